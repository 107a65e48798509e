"""``zjkg stats``: what the graph holds, counted, with the audit's coverage of the source."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zjkg import resources
from zjkg.graph import add_to_store

PREFIXES = """
PREFIX zjkg: <https://w3id.org/zjkg/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
COUNTS = {
    "paragraphs": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a nif:Paragraph }",
    "headings": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a nif:Title }",
    "parts": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a zjkg:Part }",
    "items": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a zjkg:Item }",
    "observations": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a qb:Observation }",
    "quotes": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a zjkg:Quote }",
    "indicators": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a zjkg:Indicator }",
    "programs": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a zjkg:Program }",
    "policy documents": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a zjkg:PolicyDocument }",
    "places": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a schema:Place }",
    "organizations": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a schema:Organization }",
    "events": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a schema:Event }",
    "people": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a schema:Person }",
    "mentions": "SELECT (COUNT(*) AS ?n) WHERE { ?p schema:mentions ?x }",
    "links to Wikidata": """SELECT (COUNT(*) AS ?n) WHERE { ?x owl:sameAs ?w
        FILTER STRSTARTS(STR(?w), "http://www.wikidata.org/entity/") }""",
    "links to GeoNames": """SELECT (COUNT(*) AS ?n) WHERE { ?x owl:sameAs ?w
        FILTER STRSTARTS(STR(?w), "https://sws.geonames.org/") }""",
}
GROUPS = {
    "observations by kind": (
        "SELECT ?k (COUNT(?x) AS ?n) WHERE { ?x zjkg:observationKind ?c . ?c skos:notation ?k }"
        " GROUP BY ?k ORDER BY ?k"
    ),
    "observations by measure": (
        "SELECT ?k (COUNT(?x) AS ?n) WHERE { ?x zjkg:measure ?c . ?c skos:notation ?k }"
        " GROUP BY ?k ORDER BY ?k"
    ),
    "programs by kind": (
        "SELECT ?k (COUNT(?x) AS ?n) WHERE { ?x zjkg:programKind ?c . ?c skos:notation ?k }"
        " GROUP BY ?k ORDER BY ?k"
    ),
    "places by kind": (
        "SELECT ?k (COUNT(?x) AS ?n) WHERE { ?x zjkg:placeKind ?c . ?c skos:notation ?k }"
        " GROUP BY ?k ORDER BY ?k"
    ),
}


def graph_stats(*, data: Path | str | None = None, coverage: bool = True) -> dict:
    """Counts of what the graph holds; with ``coverage``, the audit's share of numbers.

    Returns a dict: ``triples``, one entry per name in :data:`COUNTS`, one mapping per
    name in :data:`GROUPS`, and ``source numbers`` when ``coverage`` is set.
    """
    import pyoxigraph as ox

    store = ox.Store()
    data_file = Path(data) if data else resources.data_path()
    add_to_store(store, [data_file])
    triples = len(store)
    add_to_store(store, [resources.ontology_path()], graph="urn:zjkg:ontology")
    union = {"use_default_graph_as_union": True}
    result: dict = {"triples": triples}
    for name, query in COUNTS.items():
        row = next(iter(store.query(PREFIXES + query)))
        result[name] = int(row["n"].value)
    for name, query in GROUPS.items():
        result[name] = {row["k"].value: int(row["n"].value)
                        for row in store.query(PREFIXES + query, **union)}
    if coverage:
        from zjkg.audit import audit

        report = audit(store=store)
        result["source numbers"] = {
            "found": report.count("number"),
            "by observations": report.count("number", "observation"),
            "by entity names": report.count("number", "entity"),
            "excluded as not facts": report.count("number", "exclusion"),
            "unexplained": report.count("number", "unexplained"),
            "share accounted for by the graph": round(report.graph_share("number"), 4),
        }
    return result


def as_text(stats: dict) -> str:
    lines = []
    for name, value in stats.items():
        if isinstance(value, dict):
            lines.append(f"{name}:")
            for key, count in value.items():
                shown = f"{count:.1%}" if isinstance(count, float) else count
                lines.append(f"  {key:<34} {shown}")
        else:
            lines.append(f"{name:<36} {value}")
    return "\n".join(lines) + "\n"


@click.command("stats")
@click.option("--data", type=click.Path(path_type=Path, dir_okay=False),
              help="The graph to count (default: the shipped data).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def stats_command(data: Path | None, fmt: str) -> None:
    """Count paragraphs, observations by kind, indicators, programs, places and links."""
    stats = graph_stats(data=data)
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        click.echo(as_text(stats), nl=False)
