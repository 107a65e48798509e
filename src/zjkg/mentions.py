"""Finding where the text names an entity, by the surface forms its table row lists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from zjkg.text import Line, normalize


@dataclass(frozen=True, order=True)
class Mention:
    """One occurrence of an entity's surface form, with absolute offsets."""

    begin: int
    end: int
    line: int
    slug: str
    form: str


def surface_pattern(form: str) -> re.Pattern[str]:
    """A case-sensitive whole-word pattern for one normalised surface form."""
    return re.compile(r"(?<![\w])" + re.escape(normalize(form)) + r"(?![\w])")


def find_mentions(lines: Iterable[Line], forms: dict[str, list[str]]) -> list[Mention]:
    """Every occurrence of every entity's forms in ``lines``, sorted by position.

    ``forms`` maps an entity slug to its label and alternative labels. The longest match
    wins: a form found inside a longer form of another entity ("Consumption in Zhejiang"
    inside "Trustworthy Consumption in Zhejiang") is not a mention of its own.
    """
    patterns = [
        (slug, form, surface_pattern(form))
        for slug, slug_forms in sorted(forms.items())
        for form in dict.fromkeys(slug_forms)
        if form
    ]
    found: list[Mention] = []
    for line in lines:
        plain = normalize(line.text)
        for slug, form, pattern in patterns:
            for match in pattern.finditer(plain):
                found.append(
                    Mention(line.begin + match.start(), line.begin + match.end(), line.number,
                            slug, form)
                )
    return _outermost(sorted(found))


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop each mention that lies within a longer mention of another entity."""
    kept: list[Mention] = []
    for mention in mentions:
        inside = any(
            other.begin <= mention.begin and mention.end <= other.end
            and (other.end - other.begin) > (mention.end - mention.begin)
            and other.slug != mention.slug
            for other in mentions
            if other.line == mention.line
        )
        if not inside:
            kept.append(mention)
    return kept
