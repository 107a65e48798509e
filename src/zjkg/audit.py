"""``zjkg audit``: every number and quoted name in the source that the graph leaves out.

A number is accounted for when it is the number of an observation (``zjkg:numberText``
inside its quote), or lies inside a name of an entity (a label or alternative label found
in the text); a quoted phrase, when an entity's name lies inside it. What is not a fact is
listed, each with a reason, in ``data/tables/audit-exclusions*.csv``. Anything else is
unexplained, and the audit fails (exit 1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from zjkg import resources
from zjkg.errors import EXIT_DATA_FAILS
from zjkg.graph import add_to_store
from zjkg.mentions import surface_pattern
from zjkg.numbers import ORDINALS, WORDS
from zjkg.tables import load_tables
from zjkg.text import lines, normalize, read_source

if TYPE_CHECKING:
    import pyoxigraph as ox

#: Digits with optional sign, thousands separators, decimals or a fraction.
NUMBER = re.compile(
    r"(?<![\w.,])[-\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:/\d+)?(?![\d])"
)
#: Number words, cardinal and ordinal, as whole words in any case.
NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted({*WORDS, *ORDINALS, "dozen", "dual", "triple"}, key=len,
                             reverse=True)) + r")\b",
    re.IGNORECASE,
)
#: A quoted phrase: straight or curly double quotes, or straight single quotes.
QUOTED = re.compile(r'"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d|(?<![\w])\'([^\'\n]+)\'(?![\w])')


@dataclass(frozen=True, order=True)
class Finding:
    """One number or quoted phrase in the source, and what accounts for it."""

    begin: int
    end: int
    line: int
    kind: str
    text: str
    accounted_by: str
    context: str


@dataclass
class AuditReport:
    """All findings; ``unexplained`` are those nothing accounts for."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def unexplained(self) -> list[Finding]:
        return [f for f in self.findings if f.accounted_by == "unexplained"]

    def count(self, kind: str, by: str | None = None) -> int:
        return sum(1 for f in self.findings
                   if f.kind == kind and (by is None or f.accounted_by == by))

    def graph_share(self, kind: str = "number") -> float:
        """The share of the source's numbers (or names) that the graph accounts for."""
        total = self.count(kind)
        in_graph = sum(1 for f in self.findings
                       if f.kind == kind and f.accounted_by in ("observation", "entity"))
        return in_graph / total if total else 1.0


def audit(
    *,
    data: Path | str | None = None,
    exclusions_dir: Path | None = None,
    store: ox.Store | None = None,
) -> AuditReport:
    """Audit the source text against the graph in ``data`` (default: the shipped data).

    A caller that has the data loaded already passes its ``store`` (the data in the
    default graph) instead of ``data``. Returns an :class:`AuditReport` with one finding
    per number and quoted phrase.
    """
    import pyoxigraph as ox

    source = read_source()
    if store is None:
        store = ox.Store()
        add_to_store(store, [Path(data) if data else resources.data_path()])
    spans: list[tuple[int, int, str]] = []
    for row in store.query("""
        PREFIX zjkg: <https://w3id.org/zjkg/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?number ?quote ?begin WHERE {
            ?obs zjkg:numberText ?number ; prov:wasDerivedFrom ?q .
            ?q nif:anchorOf ?quote ; nif:beginIndex ?begin }"""):
        offset = normalize(row["quote"].value).find(normalize(row["number"].value))
        if offset >= 0:
            start = int(row["begin"].value) + offset
            spans.append((start, start + len(row["number"].value), "observation"))
    forms = {
        row["label"].value
        for row in store.query("""
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?label WHERE {
                ?entity skos:prefLabel|skos:altLabel ?label .
                FILTER (LANG(?label) = "en")
                FILTER NOT EXISTS { ?entity a <https://w3id.org/zjkg/ontology#Indicator> }
                FILTER NOT EXISTS { ?entity a <https://w3id.org/zjkg/ontology#Code> } }""")
    }
    plain = normalize(source)
    for form in sorted(forms):
        for match in surface_pattern(form).finditer(plain):
            spans.append((match.start(), match.end(), "entity"))
    tables = load_tables(exclusions_dir) if exclusions_dir else load_tables()
    by_number = {line.number: line for line in lines(source)}
    for row in tables.exclusions:
        line = by_number.get(int(row["line"]))
        if line is None:
            continue
        context = normalize(row["context"])
        for match in re.finditer(re.escape(context), normalize(line.text)):
            spans.append((line.begin + match.start(), line.begin + match.end(), "exclusion"))
    return AuditReport(sorted(_findings(source, spans)))


def _findings(source: str, spans: list[tuple[int, int, str]]) -> list[Finding]:
    order = {"observation": 0, "entity": 1, "exclusion": 2}
    found = []
    for line in lines(source):
        plain = normalize(line.text)
        items = [(m.start(), m.end(), "number") for m in NUMBER.finditer(plain)]
        items += [(m.start(), m.end(), "number") for m in NUMBER_WORD.finditer(plain)]
        for match in QUOTED.finditer(plain):
            group = next(i for i in (1, 2, 3) if match.group(i) is not None)
            items.append((match.start(group), match.end(group), "name"))
        for start, end, kind in items:
            begin, stop = line.begin + start, line.begin + end
            if kind == "number":
                hits = [s for s in spans if s[0] <= begin and stop <= s[1]]
            else:  # a name is accounted for by anything that overlaps it
                hits = [s for s in spans if s[0] < stop and begin < s[1] and s[2] != "observation"]
            by = min((h[2] for h in hits), key=order.__getitem__, default="unexplained")
            context = line.text[max(0, start - 40): end + 40].replace("\u00a0", " ")
            found.append(Finding(begin, stop, line.number, kind, source[begin:stop], by, context))
    return found


def summary(report: AuditReport) -> str:
    parts = []
    for kind, title in (("number", "numbers"), ("name", "quoted names")):
        counts = ", ".join(
            f"{report.count(kind, by)} by {'entities' if by == 'entity' else by + 's'}"
            for by in ("observation", "entity", "exclusion")
            if report.count(kind, by)
        )
        parts.append(
            f"{report.count(kind)} {title}: {counts};"
            f" {report.count(kind, 'unexplained')} unexplained;"
            f" {report.graph_share(kind):.1%} accounted for by the graph"
        )
    return "\n".join(parts)


@click.command("audit")
@click.option("--data", type=click.Path(path_type=Path, dir_okay=False),
              help="The graph to audit (default: the shipped data).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--all", "show_all", is_flag=True,
              help="List every finding, not only the unexplained.")
def audit_command(data: Path | None, fmt: str, show_all: bool) -> None:
    """List every number and quoted name in the source that nothing accounts for.

    Exit 1 when anything is unexplained.
    """
    report = audit(data=data)
    shown: Sequence[Finding] = report.findings if show_all else report.unexplained
    if fmt == "json":
        click.echo(json.dumps({"findings": [asdict(f) for f in shown],
                               "unexplained": len(report.unexplained),
                               "graph_share_numbers": round(report.graph_share("number"), 4)},
                              ensure_ascii=False, indent=2))
    else:
        for f in shown:
            click.echo(f"line {f.line}: {f.kind} {f.text!r} ({f.accounted_by}): …{f.context}…")
        click.echo(summary(report))
    if report.unexplained:
        raise click.exceptions.Exit(EXIT_DATA_FAILS)
