"""Building ``data/report2021.ttl`` from the reviewed tables and the source text.

The tables say what the report states; this module turns them into triples, placing every
quote in the source to get its offsets, so no offset is ever typed by hand.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from zjkg import resources
from zjkg.mentions import Mention, find_mentions
from zjkg.ns import (
    BASE,
    CODE,
    GEONAMES,
    NIF,
    PREFIXES,
    QB,
    QUDT,
    SCHEMA,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    UNIT,
    WD,
    ZJKG,
    entity_iri,
    report_iri,
    report_prefixes,
)
from zjkg.tables import Row, Tables, check, load_tables, parse_value
from zjkg.text import Line, lines, locate, read_source


class BuildError(ValueError):
    """The tables do not describe a consistent graph; the message lists every problem."""


ENTITY_CLASSES = {
    "program": ZJKG.Program,
    "place": SCHEMA.Place,
    "organization": SCHEMA.Organization,
    "event": SCHEMA.Event,
    "person": SCHEMA.Person,
    "document": ZJKG.PolicyDocument,
}
KIND_PROPERTIES = {
    "program": (ZJKG.programKind, "program-kind"),
    "place": (ZJKG.placeKind, "place-kind"),
    "organization": (ZJKG.organizationKind, "organization-kind"),
    "event": (ZJKG.eventKind, "event-kind"),
}
BLOCK_CLASSES = {
    "furniture": (ZJKG.PageFurniture, "furniture"),
    "title": (NIF.Title, "heading"),
    "heading": (NIF.Title, "heading"),
    "paragraph": (NIF.Paragraph, "paragraph"),
}


@dataclass(frozen=True)
class Report:
    """The report's own metadata, from ``data/report.toml``."""

    slug: str
    meta: dict

    @property
    def iri(self) -> URIRef:
        return URIRef(report_iri(self.slug))

    def sub(self, path: str) -> URIRef:
        return URIRef(f"{report_iri(self.slug)}/{path}")


def load_report(path: Path | None = None) -> Report:
    target = path or resources.root() / "data" / "report.toml"
    with open(target, "rb") as handle:
        meta = tomllib.load(handle)
    return Report(meta["slug"], meta)


def load_links(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The rows of ``links.csv`` by name."""
    target = path or resources.root() / "data" / "reference" / "links.csv"
    with open(target, encoding="utf-8", newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def entity_forms(tables: Tables) -> dict[str, list[str]]:
    """Each entity slug's surface forms: its label, then its alternative labels."""
    return {row["slug"]: [row["label"], *row.many("alt_labels")] for row in tables.entities}


def entity_hierarchy(tables: Tables) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each entity's class, and the entities it is part of or contained in, transitively."""
    classes = {row["slug"]: row["class"] for row in tables.entities}
    direct = {
        row["slug"]: set(row.many("part_of")) | set(row.many("located_in"))
        for row in tables.entities
    }
    parents: dict[str, set[str]] = {}
    for slug in direct:
        seen: set[str] = set()
        todo = list(direct[slug])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        parents[slug] = seen
    return classes, parents


def build_graph(
    *, tables: Tables | None = None, source: str | None = None, report: Report | None = None
) -> Graph:
    """The report as an rdflib graph, built from ``tables`` and ``source``.

    Raises :class:`BuildError` listing every table problem when the tables are not clean.
    """
    tables = tables or load_tables()
    source = source if source is not None else read_source()
    report = report or load_report()
    problems = check(tables, source)
    if problems:
        raise BuildError("\n".join(problems))
    graph = Graph(bind_namespaces="none")
    for prefix, iri in {**PREFIXES, **report_prefixes(report.slug)}.items():
        graph.bind(prefix, iri)
    builder = _Builder(graph, tables, source, report)
    builder.run()
    return graph


class _Builder:
    def __init__(self, graph: Graph, tables: Tables, source: str, report: Report) -> None:
        self.g = graph
        self.t = tables
        self.source = source
        self.report = report
        self.lines = {line.number: line for line in lines(source)}
        self.entities = {row["slug"]: row for row in tables.entities}
        self.text = report.sub("text")
        self.block_of_line: dict[int, URIRef] = {}

    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.g.add((s, p, o))

    def run(self) -> None:
        self.report_and_text()
        self.blocks()
        self.vocabulary()
        self.entity_rows()
        self.mentions()
        self.observations()

    # -- the report, its text, its sections and text blocks ---------------------------------

    def report_and_text(self) -> None:
        meta, r = self.report.meta, self.report.iri
        add = self.add
        add(r, RDF.type, SCHEMA.Report)
        add(r, RDFS.label, Literal(meta["title"], lang="en"))
        add(r, DCTERMS.title, Literal(meta["title"], lang="en"))
        add(r, DCTERMS.alternative, Literal(meta["alternative_title"], lang="en"))
        add(r, DCTERMS.date, Literal(meta["date"], datatype=XSD.date))
        add(r, DCTERMS.spatial, URIRef(entity_iri("place", meta["place"])))
        add(r, ZJKG.deliveredBy, URIRef(entity_iri("person", meta["speaker"])))
        add(r, ZJKG.deliveredAt, URIRef(entity_iri("event", meta["session"])))
        add(r, DCTERMS.creator, URIRef(entity_iri("organization", meta["creator"])))
        add(r, ZJKG.text, self.text)
        translation = meta["translation"]
        add(self.text, RDF.type, ZJKG.SourceText)
        add(self.text, RDFS.label, Literal(f"{meta['title']} (English text)", lang="en"))
        add(self.text, DCTERMS.language, Literal(meta["language"], datatype=XSD.language))
        add(self.text, DCTERMS.publisher,
            URIRef(entity_iri("organization", translation["publisher"])))
        add(self.text, DCTERMS.issued, Literal(translation["issued"], datatype=XSD.date))
        add(self.text, NIF.beginIndex, _index(0))
        add(self.text, NIF.endIndex, _index(len(self.source)))
        add(self.text, NIF.isString, Literal(self.source))
        dataset = self.report.sub("dataset")
        add(dataset, RDF.type, QB.DataSet)
        add(dataset, RDFS.label, Literal(f"Facts stated in {meta['title']}", lang="en"))
        add(dataset, QB.structure, ZJKG.structure)
        add(dataset, DCTERMS.source, r)

    def blocks(self) -> None:
        counters: dict[str, int] = {}
        sections: dict[str, URIRef] = {}
        order = 0
        for row in self.t.blocks:
            line = self.lines[int(row["line"])]
            cls, folder = BLOCK_CLASSES[row["role"]]
            counters[folder] = counters.get(folder, 0) + 1
            order += 1
            block = self.report.sub(f"{folder}/{counters[folder]}")
            self.block_of_line[line.number] = block
            add = self.add
            add(block, RDF.type, cls)
            add(block, RDFS.label, Literal(_block_label(row["role"], counters[folder], line)))
            add(block, NIF.anchorOf, Literal(line.text))
            add(block, NIF.beginIndex, _index(line.begin))
            add(block, NIF.endIndex, _index(line.end))
            add(block, NIF.referenceContext, self.text)
            add(block, ZJKG.sourceLine, Literal(line.number, datatype=XSD.integer))
            add(block, SCHEMA.position, Literal(order, datatype=XSD.integer))
            if row["theme"]:
                add(block, ZJKG.theme, CODE[f"theme/{row['theme']}"])
            if row["role"] == "furniture":
                continue
            parent = self.section(row["section"], line, sections) if row["section"] else None
            container = parent or self.report.iri
            if row["role"] == "heading" and parent is not None:
                add(parent, ZJKG.heading, block)
            add(block, DCTERMS.isPartOf, container)
            add(container, DCTERMS.hasPart, block)

    def section(self, path: str, line: Line, sections: dict[str, URIRef]) -> URIRef:
        """The part or item at ``path`` (``part-1`` or ``part-1/item-3``), made on first use."""
        if path in sections:
            return sections[path]
        iri = self.report.sub(path)
        sections[path] = iri
        add = self.add
        parts = path.split("/")
        position = int(parts[-1].rsplit("-", 1)[1])
        add(iri, SCHEMA.position, Literal(position, datatype=XSD.integer))
        if len(parts) == 1:
            numeral, heading = re.match(r"^([IVX]+)\.\s*(.*)$", line.text).groups()
            add(iri, RDF.type, ZJKG.Part)
            add(iri, DCTERMS.isPartOf, self.report.iri)
            add(self.report.iri, DCTERMS.hasPart, iri)
            label = f"Part {numeral}: {heading.strip()}"
        else:
            parent = sections[parts[0]]
            numeral, rest = re.match(r"^(\d+)\.\s*(.*)$", line.text).groups()
            heading = _first_sentence(rest)
            add(iri, RDF.type, ZJKG.Item)
            add(iri, DCTERMS.isPartOf, parent)
            add(parent, DCTERMS.hasPart, iri)
            part_numeral = self.g.value(parent, ZJKG.number)
            label = f"{part_numeral}.{numeral} {heading}"
        # Titles and labels are for reading and searching: no-break spaces become spaces.
        # The exact characters stay in the heading's or paragraph's nif:anchorOf.
        add(iri, ZJKG.number, Literal(numeral))
        add(iri, DCTERMS.title, Literal(_spaces(heading.strip()), lang="en"))
        add(iri, RDFS.label, Literal(_spaces(label), lang="en"))
        return iri

    # -- indicators, units, periods ------------------------------------------------------------

    def vocabulary(self) -> None:
        add = self.add
        for row in self.t.indicators:
            iri = URIRef(f"{BASE}indicator/{row['slug']}")
            add(iri, RDF.type, ZJKG.Indicator)
            add(iri, SKOS.inScheme, CODE.indicators)
            _labels(self.g, iri, row)
            add(iri, SKOS.definition, Literal(row["definition"], lang="en"))
            add(iri, ZJKG.indicatorType, CODE[f"indicator-type/{row['type']}"])
            if row["theme"]:
                add(iri, ZJKG.theme, CODE[f"theme/{row['theme']}"])
        for row in self.t.units:
            iri = unit_iri(row)
            add(iri, RDF.type, QUDT.Unit)
            add(iri, RDFS.label, Literal(row["label"], lang="en"))
            if row["symbol"]:
                add(iri, QUDT.symbol, Literal(row["symbol"]))
            if row["base"]:
                add(iri, QUDT.scalingOf, unit_iri(self._unit_row(row["base"])))
                add(iri, QUDT.conversionMultiplier,
                    decimal_literal(Decimal(row["multiplier"])))
        for row in self.t.periods:
            iri = URIRef(f"{BASE}period/{row['slug']}")
            add(iri, RDF.type, ZJKG.Period)
            add(iri, RDF.type, TIME.ProperInterval)
            add(iri, RDFS.label, Literal(row["label"], lang="en"))
            for alt in row.many("alt_labels"):
                add(iri, SKOS.altLabel, Literal(alt, lang="en"))
            for prop, key in ((TIME.hasBeginning, "start"), (TIME.hasEnd, "end")):
                instant = URIRef(f"{BASE}instant/{row[key]}")
                add(iri, prop, instant)
                add(instant, RDF.type, TIME.Instant)
                add(instant, RDFS.label, Literal(row[key]))
                add(instant, TIME.inXSDDate, Literal(row[key], datatype=XSD.date))

    def _unit_row(self, slug: str) -> Row:
        return next(row for row in self.t.units if row["slug"] == slug)

    # -- programs, places, organizations, events, people --------------------------------------

    def entity_rows(self) -> None:
        links = load_links()
        add = self.add
        for row in self.t.entities:
            iri = self.entity(row["slug"])
            add(iri, RDF.type, ENTITY_CLASSES[row["class"]])
            _labels(self.g, iri, row)
            if row["class"] in KIND_PROPERTIES:
                prop, scheme = KIND_PROPERTIES[row["class"]]
                add(iri, prop, CODE[f"{scheme}/{row['kind']}"])
            for target in row.many("part_of"):
                add(iri, DCTERMS.isPartOf, self.entity(target))
            for target in row.many("located_in"):
                add(iri, SCHEMA.containedInPlace, self.entity(target))
            for target in row.many("concerns"):
                add(iri, DCTERMS.spatial, self.entity(target))
            for target in row.many("measured_by"):
                add(iri, ZJKG.measuredBy, URIRef(f"{BASE}indicator/{target}"))
            if row["note"]:
                add(iri, SKOS.editorialNote, Literal(row["note"], lang="en"))
            link = links.get(row["link_name"]) if row["link_name"] else None
            if link and link["status"] == "verified":
                if link["wikidata"]:
                    add(iri, OWL.sameAs, WD[link["wikidata"]])
                if link["geonames"]:
                    add(iri, OWL.sameAs, URIRef(f"{GEONAMES}{link['geonames']}/"))
                names = [name.strip() for name in link["name_zh"].split("/") if name.strip()]
                for index, name in enumerate(names):
                    prop = SKOS.prefLabel if index == 0 else SKOS.altLabel
                    add(iri, prop, Literal(name, lang="zh"))
                    if index == 0:
                        add(iri, RDFS.label, Literal(name, lang="zh"))

    def entity(self, slug: str) -> URIRef:
        return URIRef(entity_iri(self.entities[slug]["class"], slug))

    def mentions(self) -> None:
        text_lines = [self.lines[int(row["line"])] for row in self.t.blocks]
        seen: set[tuple[URIRef, URIRef]] = set()
        for mention in find_mentions(text_lines, entity_forms(self.t), *entity_hierarchy(self.t)):
            pair = (self.block_of_line[mention.line], self.entity(mention.slug))
            if pair not in seen:
                seen.add(pair)
                self.add(pair[0], SCHEMA.mentions, pair[1])

    # -- observations ----------------------------------------------------------------------------

    def observations(self) -> None:
        dataset = self.report.sub("dataset")
        labels = {row["slug"]: row["label"] for row in self.t.indicators}
        unit_labels = {row["slug"]: row["label"] for row in self.t.units}
        add = self.add
        for row in self.t.observations:
            obs = self.report.sub(f"observation/{row['id']}")
            line = self.lines[int(row["line"])]
            begin, end = locate(row["quote"], line)
            quote = URIRef(f"{self.text}#char={begin},{end}")
            value = parse_value(row["value"])
            add(obs, RDF.type, QB.Observation)
            add(obs, QB.dataSet, dataset)
            add(obs, ZJKG.indicator, URIRef(f"{BASE}indicator/{row['indicator']}"))
            add(obs, SDMX_DIMENSION.refArea, self.entity(row["place"] or "zhejiang"))
            add(obs, SDMX_DIMENSION.refPeriod, URIRef(f"{BASE}period/{row['period']}"))
            add(obs, ZJKG.observationKind, CODE[f"kind/{row['kind']}"])
            add(obs, ZJKG.measure, CODE[f"measure/{row['measure']}"])
            add(obs, SDMX_MEASURE.obsValue, decimal_literal(value))
            add(obs, SDMX_ATTRIBUTE.unitMeasure, unit_iri(self._unit_row(row["unit"])))
            if row["comparator"]:
                add(obs, ZJKG.comparator, CODE[f"comparator/{row['comparator']}"])
            if row["scope"]:
                add(obs, ZJKG.rankScope, self.entity(row["scope"]))
            add(obs, ZJKG.numberText, Literal(row["number"]))
            add(obs, PROV.wasDerivedFrom, quote)
            if row["note"]:
                add(obs, SKOS.editorialNote, Literal(row["note"], lang="en"))
            comparator = row["comparator"].replace("-", " ") + " " if row["comparator"] else ""
            label = (
                f"{labels[row['indicator']]}, {row['period']}, {row['kind']} "
                f"{row['measure'].replace('-', ' ')}: "
                f"{comparator}{value} {unit_labels[row['unit']]}"
            )
            add(obs, RDFS.label, Literal(label, lang="en"))
            add(quote, RDF.type, ZJKG.Quote)
            add(quote, NIF.anchorOf, Literal(self.source[begin:end]))
            add(quote, NIF.beginIndex, _index(begin))
            add(quote, NIF.endIndex, _index(end))
            add(quote, NIF.referenceContext, self.text)
            add(quote, NIF.superString, self.block_of_line[line.number])


def unit_iri(row: Row) -> URIRef:
    """QUDT's own unit where one exists, else zjkg's."""
    if row["qudt"]:
        return UNIT[row["qudt"]]
    return URIRef(f"{BASE}unit/{row['slug']}")


def _labels(graph: Graph, iri: URIRef, row: Row) -> None:
    graph.add((iri, RDFS.label, Literal(row["label"], lang="en")))
    graph.add((iri, SKOS.prefLabel, Literal(row["label"], lang="en")))
    for alt in row.many("alt_labels"):
        if alt != row["label"]:
            graph.add((iri, SKOS.altLabel, Literal(alt, lang="en")))


def _index(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in the shortest form ("6", "6461.3"), as stores canonicalise it."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text, datatype=XSD.decimal)


def _spaces(text: str) -> str:
    return text.replace("\u00a0", " ")


def _first_sentence(text: str) -> str:
    match = re.match(r"^(.*?[.!?])(\s|$)", text)
    return (match.group(1) if match else text).strip()


def _block_label(role: str, number: int, line: Line) -> str:
    words = line.text.split()
    preview = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
    return f"{role} {number}: {preview}"


__all__ = ["BuildError", "Mention", "build_graph", "load_report", "unit_iri"]
