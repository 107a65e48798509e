"""Reading a number back from the words the report writes it with."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "twenty": 20, "thirty": 30, "hundred": 100, "thousand": 1000,
    "twice": 2, "double": 2, "half": 1,
}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
WORDS_HALF = {"half"}
_DIGITS = re.compile(r"^[-\u2212]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-\u2212]?\d+(\.\d+)?$")
_FRACTION = re.compile(r"^(\d+)/(\d+)$")
FRACTION_PLACES = 6


class NumberError(ValueError):
    """A string that the reader does not know as a number."""


def read_number(text: str) -> Decimal:
    """Return the value that ``text`` writes, e.g. ``"1,306"`` -> 1306, ``"twice"`` -> 2.

    Fractions are rounded to :data:`FRACTION_PLACES` places, since ``xsd:decimal`` cannot
    hold 1/3 exactly.
    """
    word = text.strip().lower()
    if word in WORDS:
        return Decimal("0.5") if word in WORDS_HALF else Decimal(WORDS[word])
    if word in ORDINALS:
        return Decimal(ORDINALS[word])
    fraction = _FRACTION.match(word)
    if fraction:
        quotient = Decimal(fraction.group(1)) / Decimal(fraction.group(2))
        return quotient.quantize(Decimal(1).scaleb(-FRACTION_PLACES), ROUND_HALF_EVEN)
    if _DIGITS.match(word):
        try:
            return Decimal(word.replace(",", "").replace("\u2212", "-"))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise NumberError(f"not a number: {text!r}") from exc
    raise NumberError(f"not a number the reader knows: {text!r}")
