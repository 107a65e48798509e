"""The source text: exact characters, line blocks, and the one normalisation used for matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zjkg import resources

#: Characters that matching treats as their ASCII twins. Each maps one character to one
#: character, so an offset found in the normalised text is the same offset in the source.
NORMALIZATION: dict[str, str] = {
    "\u00a0": " ",  # no-break space
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark
}
_TABLE = str.maketrans(NORMALIZATION)


def normalize(text: str) -> str:
    """Map no-break spaces and curly quotes to ASCII, keeping the length unchanged."""
    return text.translate(_TABLE)


@dataclass(frozen=True)
class Line:
    """One non-empty line of the source with its code-point offsets (end-exclusive)."""

    number: int
    begin: int
    end: int
    text: str


@lru_cache(maxsize=4)
def read_source(path: Path | None = None) -> str:
    """Read the source exactly: no newline translation, UTF-8."""
    target = path or resources.source_path()
    with open(target, encoding="utf-8", newline="") as handle:
        return handle.read()


def lines(source: str) -> list[Line]:
    """Every non-empty line of ``source`` with its offsets."""
    result: list[Line] = []
    offset = 0
    for number, raw in enumerate(source.split("\n"), start=1):
        if raw.strip():
            result.append(Line(number, offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return result


class QuoteError(ValueError):
    """A table's quote cannot be placed in the source."""


def locate(needle: str, line: Line) -> tuple[int, int]:
    """Place ``needle`` in ``line`` exactly once; return absolute (begin, end) offsets."""
    hay = normalize(line.text)
    want = normalize(needle)
    if not want:
        raise QuoteError("the quote is empty")
    hits = [m.start() for m in re.finditer(re.escape(want), hay)]
    if not hits:
        raise QuoteError(f"not found in line {line.number}: {needle!r}")
    if len(hits) > 1:
        raise QuoteError(
            f"occurs {len(hits)} times in line {line.number}: {needle!r}; lengthen it"
        )
    begin = line.begin + hits[0]
    return begin, begin + len(want)
