"""CSV tables of the graph for spreadsheets and data frames: observations, programs, places.

Conventions, the same in every table: an entity a row is keyed by its IRI (``id``);
references to other entities (indicator, place, paragraph, part of) are IRIs too, so
tables join on them; codes (kind, measure, comparator, place kind) are their
``skos:notation``; periods and units are their labels, because they read as values
("2020", "billion yuan"). Several values in one cell are joined by ``|``, as in
``data/tables``. Rows are sorted (observations in text order, the rest by IRI), so the
same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from zjkg.errors import InputError
from zjkg.export import natural_key
from zjkg.ns import (
    GEONAMES,
    NIF,
    QB,
    SCHEMA,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    WD,
    ZJKG,
)

OBSERVATION_COLUMNS = ("id", "indicator", "indicator_label", "value", "unit", "period",
                       "place", "kind", "measure", "comparator", "quote", "paragraph",
                       "begin", "end")
PROGRAM_COLUMNS = ("id", "label", "kind", "alt_labels", "part_of", "places", "paragraphs")
PLACE_COLUMNS = ("id", "label", "kind", "contained_in", "wikidata", "geonames", "label_zh")
SEPARATOR = "|"

Row = dict[str, str]


def label(graph: Graph, node: Node | None, language: str = "en") -> str:
    """The node's label in ``language`` (else any untagged label, else its IRI's tail)."""
    if node is None:
        return ""
    fallback = ""
    for predicate in (RDFS.label, SKOS.prefLabel):
        for value in sorted(graph.objects(node, predicate), key=str):
            if isinstance(value, Literal):
                if value.language == language:
                    return str(value)
                if not value.language and not fallback:
                    fallback = str(value)
    return fallback or str(node).rstrip("/").rsplit("/", 1)[-1]


def notation(graph: Graph, code: Node | None) -> str:
    """A code's notation (``more-than``); its IRI's tail if it has none."""
    if code is None:
        return ""
    value = graph.value(code, SKOS.notation)
    return str(value) if value is not None else str(code).rsplit("/", 1)[-1]


def _iri(node: object) -> str:
    return str(node) if node is not None else ""


def _text(value: object) -> str:
    """A literal's lexical form; ``""`` only when there is none (``0`` is falsy in rdflib)."""
    return str(value) if value is not None else ""


def _joined(values: Iterable[object]) -> str:
    return SEPARATOR.join(sorted({str(v) for v in values}, key=natural_key))


def observation_rows(graph: Graph) -> list[Row]:
    """One row per ``qb:Observation``, in the order of their quotes in the text."""
    rows = []
    for obs in set(graph.subjects(RDF.type, QB.Observation)):
        indicator = graph.value(obs, ZJKG.indicator)
        quote = graph.value(obs, PROV.wasDerivedFrom)
        begin = graph.value(quote, NIF.beginIndex) if quote is not None else None
        end = graph.value(quote, NIF.endIndex) if quote is not None else None
        rows.append({
            "id": str(obs),
            "indicator": _iri(indicator),
            "indicator_label": label(graph, indicator) if indicator is not None else "",
            "value": _text(graph.value(obs, SDMX_MEASURE.obsValue)),
            "unit": label(graph, graph.value(obs, SDMX_ATTRIBUTE.unitMeasure)),
            "period": label(graph, graph.value(obs, SDMX_DIMENSION.refPeriod)),
            "place": _iri(graph.value(obs, SDMX_DIMENSION.refArea)),
            "kind": notation(graph, graph.value(obs, ZJKG.observationKind)),
            "measure": notation(graph, graph.value(obs, ZJKG.measure)),
            "comparator": notation(graph, graph.value(obs, ZJKG.comparator)),
            "quote": _text(graph.value(quote, NIF.anchorOf)) if quote is not None else "",
            "paragraph": _iri(graph.value(quote, NIF.superString)) if quote is not None else "",
            "begin": _text(begin),
            "end": _text(end),
        })
    return sorted(rows, key=lambda r: (int(r["begin"] or 10**9), natural_key(r["id"])))


def program_rows(graph: Graph) -> list[Row]:
    """One row per ``zjkg:Program``, with the text blocks that mention it."""
    rows = []
    for program in set(graph.subjects(RDF.type, ZJKG.Program)):
        blocks = sorted(graph.subjects(SCHEMA.mentions, program),
                        key=lambda b: int(str(graph.value(b, NIF.beginIndex) or 0)))
        rows.append({
            "id": str(program),
            "label": label(graph, program),
            "kind": notation(graph, graph.value(program, ZJKG.programKind)),
            "alt_labels": _joined(graph.objects(program, SKOS.altLabel)),
            "part_of": _joined(graph.objects(program, DCTERMS.isPartOf)),
            "places": _joined(graph.objects(program, DCTERMS.spatial)),
            "paragraphs": SEPARATOR.join(str(b) for b in blocks),
        })
    return sorted(rows, key=lambda r: natural_key(r["id"]))


def place_rows(graph: Graph) -> list[Row]:
    """One row per ``schema:Place``, with its Wikidata and GeoNames identities."""
    rows = []
    for place in set(graph.subjects(RDF.type, SCHEMA.Place)):
        same = sorted(str(o) for o in graph.objects(place, OWL.sameAs))
        zh = label(graph, place, "zh")
        rows.append({
            "id": str(place),
            "label": label(graph, place),
            "kind": notation(graph, graph.value(place, ZJKG.placeKind)),
            "contained_in": _joined(graph.objects(place, SCHEMA.containedInPlace)),
            "wikidata": SEPARATOR.join(s for s in same if s.startswith(str(WD))),
            "geonames": SEPARATOR.join(s for s in same if s.startswith(GEONAMES)),
            "label_zh": zh if _has_language(graph, place, "zh") else "",
        })
    return sorted(rows, key=lambda r: natural_key(r["id"]))


def _has_language(graph: Graph, node: Node, language: str) -> bool:
    return any(isinstance(v, Literal) and v.language == language
               for p in (RDFS.label, SKOS.prefLabel) for v in graph.objects(node, p))


#: table name -> (columns, row builder)
TABLES: dict[str, tuple[tuple[str, ...], Callable[[Graph], list[Row]]]] = {
    "observations": (OBSERVATION_COLUMNS, observation_rows),
    "programs": (PROGRAM_COLUMNS, program_rows),
    "places": (PLACE_COLUMNS, place_rows),
}


def export_table(*, table: str, graph: Graph | None = None) -> bytes:
    """The CSV (UTF-8, ``\\n`` line ends, header row) of ``table``, a key of :data:`TABLES`."""
    if table not in TABLES:
        raise InputError(f"unknown table {table!r}", hint="choose one of " + ", ".join(TABLES))
    if graph is None:
        from zjkg.graph import load_graph

        graph = load_graph()
    columns, build = TABLES[table]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(build(graph))
    return out.getvalue().encode("utf-8")
