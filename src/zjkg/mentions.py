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


def find_mentions(
    lines: Iterable[Line],
    forms: dict[str, list[str]],
    classes: dict[str, str],
    parents: dict[str, set[str]] | None = None,
) -> list[Mention]:
    """Every occurrence of every entity's forms in ``lines``, sorted by position.

    ``forms`` maps an entity slug to its label and alternative labels, ``classes`` to its
    class (program, place, ...), ``parents`` to the slugs it is part of or contained in,
    transitively. Within one class the longest match wins: a form inside a longer form of
    another entity of the same class ("Yangtze River" inside "Yangtze River Delta") is not a
    mention of its own, unless the longer form joins it with hyphens ("Jinhua" in
    "Jinhua-Yiwu New District") or names a part of it ("Longquan-Lishui-Wenzhou Expressway"
    in "Wencheng-Taishun Section of the Longquan-Lishui-Wenzhou Expressway"). A place named
    inside a program's name ("Hangzhou" in "Hangzhou West Science and Innovation Corridor")
    is always a mention.
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
    return _outermost(sorted(found), classes, parents or {})


def _outermost(
    mentions: list[Mention], classes: dict[str, str], parents: dict[str, set[str]]
) -> list[Mention]:
    """Drop each mention that a longer mention of the same class swallows."""
    by_line: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_line.setdefault(mention.line, []).append(mention)
    return [
        mention
        for mention in mentions
        if not any(_swallows(other, mention, classes, parents) for other in by_line[mention.line])
    ]


def _swallows(
    outer: Mention, inner: Mention, classes: dict[str, str], parents: dict[str, set[str]]
) -> bool:
    if outer.slug == inner.slug or classes[outer.slug] != classes[inner.slug]:
        return False
    if not (outer.begin <= inner.begin and inner.end <= outer.end):
        return False
    if outer.end - outer.begin <= inner.end - inner.begin:
        return False
    if inner.slug in parents.get(outer.slug, set()):
        return False
    left = outer.form[inner.begin - outer.begin - 1] if inner.begin > outer.begin else "-"
    right = outer.form[inner.end - outer.begin] if inner.end < outer.end else "-"
    return not (left == "-" and right == "-")
