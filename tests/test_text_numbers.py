"""The number reader and the one normalisation used for matching."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zjkg.mentions import Mention, find_mentions
from zjkg.numbers import NumberError, read_number
from zjkg.text import Line, QuoteError, lines, locate, normalize


@pytest.mark.parametrize(("text", "value"), [
    ("1,306", Decimal(1306)), ("6461.3", Decimal("6461.3")), ("-5.6", Decimal("-5.6")),
    ("1/3", Decimal("0.333333")), ("twice", Decimal(2)), ("zero", Decimal(0)),
    ("ten", Decimal(10)), ("first", Decimal(1)), ("third", Decimal(3)),
    ("10,000,000", Decimal(10000000)), ("0.98", Decimal("0.98")), ("Six", Decimal(6)),
])
def test_read_number(text: str, value: Decimal) -> None:
    assert read_number(text) == value


@pytest.mark.parametrize("text", ["", "1,30", "many", "1.2.3", "12a"])
def test_read_number_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(NumberError):
        read_number(text)


def test_normalize_maps_one_character_to_one() -> None:
    text = "a\u00a0“b” c\u2019d"
    assert normalize(text) == 'a "b" c\'d'
    assert len(normalize(text)) == len(text)


def test_locate_finds_curly_text_with_straight_quotes() -> None:
    line = Line(3, 100, 120, "the \u201cEagle\u00a0Action\u201d now")
    begin, end = locate('"Eagle Action"', line)
    assert (begin, end) == (104, 118)
    assert line.text[begin - 100:end - 100] == "\u201cEagle\u00a0Action\u201d"


def test_locate_refuses_ambiguous_and_missing_quotes() -> None:
    line = Line(1, 0, 11, "up 5%, up 5%")
    with pytest.raises(QuoteError, match="2 times"):
        locate("up 5%", line)
    with pytest.raises(QuoteError, match="not found"):
        locate("down", line)


def test_lines_keep_offsets_of_non_empty_lines() -> None:
    source = "a\n\nbc\n"
    assert [(line.number, line.begin, line.end, line.text) for line in lines(source)] == [
        (1, 0, 1, "a"), (3, 3, 5, "bc")]


def test_longest_mention_wins_within_a_class_but_hyphens_and_parts_keep_theirs() -> None:
    text = "the Yangtze River Delta and Jinhua-Yiwu New District and Hangzhou West Corridor"
    line = Line(1, 0, len(text), text)
    forms = {"river": ["Yangtze River"], "delta": ["Yangtze River Delta"],
             "jinhua": ["Jinhua"], "district": ["Jinhua-Yiwu New District"],
             "hangzhou": ["Hangzhou"], "corridor": ["Hangzhou West Corridor"]}
    classes = {"river": "place", "delta": "place", "jinhua": "place", "district": "place",
               "hangzhou": "place", "corridor": "program"}
    found = {m.slug for m in find_mentions([line], forms, classes)}
    assert found == {"delta", "jinhua", "district", "hangzhou", "corridor"}
    assert isinstance(find_mentions([line], forms, classes)[0], Mention)
