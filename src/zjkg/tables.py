"""The reviewed tables under ``data/tables`` that the graph is built from, and their checks.

Run ``python -m zjkg.tables`` to check every table against the source text; each problem
is printed as ``file:row: what is wrong`` and the exit code is 1 when there is any.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from zjkg import resources
from zjkg.mentions import surface_pattern
from zjkg.numbers import NumberError, read_number
from zjkg.text import Line, QuoteError, lines, locate, normalize, read_source

KINDS = ("actual", "baseline", "target", "estimate")
MEASURES = ("level", "change", "average-annual-change", "ratio", "rank")
COMPARATORS = ("about", "more-than", "at-least", "less-than", "at-most")
THEMES = ("innovation", "coordination", "green", "openness", "sharing", "security")
INDICATOR_TYPES = ("share", "quantity")
ENTITY_KINDS: dict[str, tuple[str, ...]] = {
    "program": (
        "strategy", "action", "project", "reform", "campaign", "plan", "platform", "brand",
        "application", "policy", "initiative", "goal", "mechanism", "system",
    ),
    "place": (
        "country", "province", "autonomous-region", "municipality", "prefecture-level-city",
        "county-level-city", "county", "district", "new-area", "region", "river", "reservoir",
        "lake", "port", "park", "corridor", "railway", "expressway", "site", "mountain",
        "plain", "zone", "world",
    ),
    "organization": (
        "government", "legislature", "party-organ", "laboratory", "university", "committee",
        "organization",
    ),
    "event": ("summit", "conference", "games", "competition", "disaster"),
    "person": ("person",),
    "document": ("document",),
}


@dataclass(frozen=True)
class Row:
    """One CSV row with where it came from, for error messages."""

    path: Path
    number: int
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return (self.cells.get(key) or "").strip()

    def many(self, key: str) -> list[str]:
        return [part.strip() for part in self[key].split("|") if part.strip()]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


@dataclass
class Tables:
    """All rows of every table, by table name."""

    observations: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    units: list[Row] = field(default_factory=list)
    periods: list[Row] = field(default_factory=list)
    entities: list[Row] = field(default_factory=list)
    exclusions: list[Row] = field(default_factory=list)
    blocks: list[Row] = field(default_factory=list)


TABLE_FILES = {
    "observations": "observations*.csv",
    "indicators": "indicators*.csv",
    "units": "units.csv",
    "periods": "periods.csv",
    "entities": "entities*.csv",
    "exclusions": "audit-exclusions*.csv",
    "blocks": "blocks.csv",
}
BLOCK_ROLES = ("furniture", "title", "heading", "paragraph")


class TableError(ValueError):
    """A table cannot be read at all."""


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of one CSV file; the header is row 1, so data rows start at 2."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for index, cells in enumerate(reader, start=2):
                if None in cells:
                    raise TableError(f"{path}:{index}: more cells than the header names")
                yield Row(path, index, cells)
    except UnicodeDecodeError as exc:
        raise TableError(f"{path}: not UTF-8 ({exc.reason})") from exc


def load_tables(folder: Path | None = None) -> Tables:
    """Read every table in ``folder`` (default: the shipped ``data/tables``)."""
    base = folder or resources.tables_dir()
    tables = Tables()
    for name, pattern in TABLE_FILES.items():
        rows = getattr(tables, name)
        for path in sorted(base.glob(pattern)):
            rows.extend(read_rows(path))
    return tables


def parse_value(text: str) -> Decimal:
    """A table's ``value`` cell: a decimal, or a fraction written as in the text."""
    if "/" in text:
        return read_number(text)
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise NumberError(f"not a decimal: {text!r}") from exc


def check(tables: Tables, source: str) -> list[str]:
    """Every problem in the tables, as ``file:row: message`` strings."""
    by_number = {line.number: line for line in lines(source)}
    problems: list[str] = []
    problems += _check_unique(tables)
    units = {row["slug"] for row in tables.units}
    periods = {row["slug"] for row in tables.periods}
    indicators = {row["slug"] for row in tables.indicators}
    entities = {row["slug"]: row for row in tables.entities}
    places = {slug for slug, row in entities.items() if row["class"] == "place"}
    for row in tables.indicators:
        if row["type"] not in INDICATOR_TYPES:
            problems.append(f"{row.where}: type {row['type']!r} is not one of {INDICATOR_TYPES}")
        if row["theme"] and row["theme"] not in THEMES:
            problems.append(f"{row.where}: theme {row['theme']!r} is not one of {THEMES}")
        if not row["label"] or not row["definition"]:
            problems.append(f"{row.where}: an indicator needs a label and a definition")
    for row in tables.observations:
        problems += _check_observation(row, by_number, units, periods, indicators, places)
    for row in tables.entities:
        problems += _check_entity(row, entities, indicators, source)
    problems += _check_blocks(tables.blocks, by_number)
    problems += _check_themes(tables)
    for row in tables.exclusions:
        line = _line(row, by_number, problems)
        if line is not None:
            try:
                if normalize(row["context"]) not in normalize(line.text):
                    raise QuoteError(f"not found in line {line.number}: {row['context']!r}")
            except QuoteError as exc:
                problems.append(f"{row.where}: context {exc}")
        if not row["reason"]:
            problems.append(f"{row.where}: an exclusion needs a reason")
    return problems


def _check_unique(tables: Tables) -> list[str]:
    problems = []
    for name, key in (
        ("observations", "id"), ("indicators", "slug"), ("units", "slug"),
        ("periods", "slug"), ("entities", "slug"),
    ):
        seen: dict[str, Row] = {}
        for row in getattr(tables, name):
            slug = row[key]
            if not slug or slug != slug.lower() or " " in slug:
                problems.append(f"{row.where}: {key} {slug!r} is not a lower-case slug")
            if slug in seen:
                problems.append(f"{row.where}: {key} {slug!r} also at {seen[slug].where}")
            seen[slug] = row
    return problems


def _check_blocks(blocks: list[Row], by_number: dict[int, Line]) -> list[str]:
    """Every non-empty source line is exactly one block, in order, with a known role."""
    problems: list[str] = []
    numbers = [row["line"] for row in blocks]
    expected = [str(number) for number in sorted(by_number)]
    if numbers != expected:
        missing = sorted(set(expected) - set(numbers), key=int)
        extra = [number for number in numbers if number not in expected]
        problems.append(
            f"blocks.csv: must list every non-empty source line once, in order"
            f" (missing {missing}, unknown {extra})"
        )
    for row in blocks:
        if row["role"] not in BLOCK_ROLES:
            problems.append(f"{row.where}: role {row['role']!r} is not one of {BLOCK_ROLES}")
        if row["theme"] and row["theme"] not in THEMES:
            problems.append(f"{row.where}: theme {row['theme']!r} is not one of {THEMES}")
    return problems


def _check_themes(tables: Tables) -> list[str]:
    """An indicator's theme is the theme of the paragraphs that state it, and only that."""
    block_theme = {row["line"]: row["theme"] for row in tables.blocks}
    stated: dict[str, set[str]] = {}
    for row in tables.observations:
        theme = block_theme.get(row["line"])
        if theme:
            stated.setdefault(row["indicator"], set()).add(theme)
    problems = []
    for row in tables.indicators:
        themes = stated.get(row["slug"], set())
        expected = next(iter(themes)) if len(themes) == 1 else ""
        if row["theme"] != expected:
            why = f"its observations stand in {sorted(themes)} paragraphs" if themes else (
                "no observation of it stands in a paragraph with a theme")
            problems.append(f"{row.where}: theme should be {expected!r}: {why}")
    return problems


def _line(row: Row, by_number: dict[int, Line], problems: list[str]) -> Line | None:
    try:
        return by_number[int(row["line"])]
    except (KeyError, ValueError):
        problems.append(f"{row.where}: line {row['line']!r} is not a non-empty source line")
        return None


def _check_observation(
    row: Row,
    by_number: dict[int, Line],
    units: set[str],
    periods: set[str],
    indicators: set[str],
    places: set[str],
) -> list[str]:
    problems: list[str] = []
    line = _line(row, by_number, problems)
    if line is not None:
        try:
            locate(row["quote"], line)
        except QuoteError as exc:
            problems.append(f"{row.where}: quote {exc}")
    if normalize(row["number"]) not in normalize(row["quote"]):
        problems.append(f"{row.where}: number {row['number']!r} is not in the quote")
    try:
        written = read_number(row["number"])
        value = parse_value(row["value"])
        if abs(value) != abs(written):
            problems.append(
                f"{row.where}: value {row['value']} does not read back from {row['number']!r}"
            )
        if value < 0 and row["measure"] not in ("change", "average-annual-change") and (
            not row["number"].startswith("-")
        ):
            problems.append(f"{row.where}: only a change may be negative")
    except NumberError as exc:
        problems.append(f"{row.where}: {exc}")
    for key, allowed in (
        ("unit", units), ("period", periods), ("indicator", indicators),
        ("kind", KINDS), ("measure", MEASURES),
    ):
        if row[key] not in allowed:
            problems.append(f"{row.where}: {key} {row[key]!r} is not defined")
    if row["comparator"] and row["comparator"] not in COMPARATORS:
        problems.append(
            f"{row.where}: comparator {row['comparator']!r} is not one of {COMPARATORS}"
        )
    for key in ("place", "scope"):
        if row[key] and places and row[key] not in places:
            problems.append(f"{row.where}: {key} {row[key]!r} is not a place in entities*.csv")
    if row["measure"] == "rank" and not row["scope"]:
        problems.append(f"{row.where}: a rank needs a scope (the field ranked in)")
    return problems


def _check_entity(
    row: Row, entities: dict[str, Row], indicators: set[str], source: str
) -> list[str]:
    problems: list[str] = []
    kinds = ENTITY_KINDS.get(row["class"])
    if kinds is None:
        problems.append(f"{row.where}: class {row['class']!r} is not one of {list(ENTITY_KINDS)}")
    elif row["kind"] not in kinds:
        problems.append(f"{row.where}: kind {row['kind']!r} is not one of {kinds}")
    plain = normalize(source)
    for form in [row["label"], *row.many("alt_labels")]:
        if not surface_pattern(form).search(plain):
            problems.append(f"{row.where}: {form!r} does not occur in the source as whole words")
    for key in ("part_of", "located_in", "concerns"):
        for target in row.many(key):
            if target not in entities:
                problems.append(f"{row.where}: {key} {target!r} is not an entity slug")
    for target in row.many("measured_by"):
        if target not in indicators:
            problems.append(f"{row.where}: measured_by {target!r} is not an indicator slug")
    return problems


def main(argv: Iterable[str] | None = None) -> int:
    """Check the shipped tables; print problems; 0 when there are none, 1 otherwise."""
    tables = load_tables()
    problems = check(tables, read_source())
    for problem in problems:
        print(problem)
    counts = ", ".join(f"{len(getattr(tables, name))} {name}" for name in TABLE_FILES)
    print(f"{len(problems)} problems; {counts}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
