"""A deterministic, readable Turtle writer: same graph, same bytes, in reading order.

rdflib's serializer sorts subjects by IRI, which scatters a report (``paragraph/10``
before ``paragraph/2``). This writer groups subjects by class in a fixed order, keeps
text blocks in document order and puts each observation next to its quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from zjkg.ns import NIF, PREFIXES, QB, QUDT, SCHEMA, ZJKG

#: Subjects are written class by class in this order; anything else comes last.
CLASS_ORDER: list[tuple[URIRef, str]] = [
    (OWL.Ontology, "Ontology"),
    (SCHEMA.Report, "The report"),
    (ZJKG.SourceText, "Its text"),
    (QB.DataSet, "Data set"),
    (ZJKG.Part, "Parts"),
    (ZJKG.Item, "Numbered items"),
    (ZJKG.PageFurniture, "Text blocks, in document order"),
    (NIF.Title, "Text blocks, in document order"),
    (NIF.Paragraph, "Text blocks, in document order"),
    (QB.Observation, "Observations, each followed by its quote, in text order"),
    (ZJKG.Indicator, "Indicators"),
    (ZJKG.Program, "Programs and initiatives"),
    (ZJKG.PolicyDocument, "Policy documents"),
    (SCHEMA.Place, "Places"),
    (SCHEMA.Organization, "Organizations"),
    (SCHEMA.Event, "Events"),
    (SCHEMA.Person, "People"),
    (ZJKG.Period, "Periods"),
    (TIME.Instant, "Instants"),
    (QUDT.Unit, "Units"),
]
PREDICATE_ORDER = [RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel]
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_\-]*[A-Za-z0-9_])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class TurtleWriter:
    """Renders terms with the package's prefixes; IRIs that cannot be shortened stay whole."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        table = prefixes or PREFIXES
        self.prefixes = sorted(table.items(), key=lambda item: -len(item[1]))
        self.used: set[str] = set()

    def iri(self, term: URIRef) -> str:
        text = str(term)
        if term == RDF.type:
            return "a"
        for name, namespace in self.prefixes:
            if text.startswith(namespace) and _LOCAL.match(text[len(namespace):]):
                self.used.add(name)
                return f"{name}:{text[len(namespace):]}"
        return f"<{text}>"

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            rendered = self.iri(term)
            return "rdf:type" if rendered == "a" else rendered
        if isinstance(term, Literal):
            body = '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
            if term.language:
                return f"{body}@{term.language}"
            if term.datatype and term.datatype != XSD.string:
                return f"{body}^^{self.term(URIRef(term.datatype))}"
            return body
        raise ValueError(f"blank nodes are not written by this writer: {term!r}")


def subject_order(graph: Graph) -> list[tuple[str, list[URIRef]]]:
    """Subjects grouped by the first class in :data:`CLASS_ORDER` they have."""
    groups: dict[str, list[URIRef]] = {}
    placed: set[URIRef] = set()
    for cls, title in CLASS_ORDER:
        members = [s for s in graph.subjects(RDF.type, cls) if s not in placed]
        members = [s for s in set(members) if isinstance(s, URIRef)]
        placed.update(members)
        groups.setdefault(title, []).extend(members)
    quotes = {s for s in graph.subjects(RDF.type, ZJKG.Quote)}
    rest = {s for s in graph.subjects() if s not in placed and s not in quotes}
    if any(isinstance(s, BNode) for s in graph.subjects()):
        raise ValueError("the graph has blank nodes; give them IRIs")
    groups["Other resources"] = sorted(rest, key=_natural)
    for title, members in groups.items():
        groups[title] = sorted(set(members), key=lambda s: _position_key(graph, s))
    return [(title, members) for title, members in groups.items() if members]


def _natural(term: URIRef) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(term))]


def _position_key(graph: Graph, subject: URIRef) -> tuple:
    position = graph.value(subject, SCHEMA.position)
    if position is None:
        quote = graph.value(subject, PROV.wasDerivedFrom)
        begin = graph.value(quote, NIF.beginIndex) if quote is not None else None
        if begin is not None:
            return (0, int(begin), _natural(subject))
        return (1, 0, _natural(subject))
    return (0, int(position), _natural(subject))


def _statement(writer: TurtleWriter, graph: Graph, subject: URIRef) -> str:
    predicates = sorted(
        set(graph.predicates(subject)),
        key=lambda p: (
            PREDICATE_ORDER.index(p) if p in PREDICATE_ORDER else len(PREDICATE_ORDER),
            writer.term(p),
        ),
    )
    parts = []
    for predicate in predicates:
        objects = sorted(writer.term(o) for o in graph.objects(subject, predicate))
        parts.append(f"{writer.iri(predicate)} {', '.join(objects)}")
    return f"{writer.term(subject)}\n    " + " ;\n    ".join(parts) + " .\n"


def serialize(graph: Graph, header: Iterable[str] = ()) -> str:
    """The graph as Turtle text; equal graphs (without blank nodes) give equal text.

    Prefixes are the package's own plus those bound in ``graph``.
    """
    names = {**PREFIXES, **{str(p): str(n) for p, n in graph.namespaces() if p}}
    writer = TurtleWriter(names)
    body: list[str] = []
    written: set[URIRef] = set()
    for title, subjects in subject_order(graph):
        body.append(f"\n# {'-' * 74}\n# {title}\n# {'-' * 74}\n")
        for subject in subjects:
            if subject in written:
                continue
            written.add(subject)
            body.append("\n" + _statement(writer, graph, subject))
            for quote in sorted(graph.objects(subject, PROV.wasDerivedFrom), key=_natural):
                if (quote, RDF.type, ZJKG.Quote) in graph and quote not in written:
                    written.add(quote)
                    body.append(_statement(writer, graph, quote))
    for quote in sorted(set(graph.subjects(RDF.type, ZJKG.Quote)) - written, key=_natural):
        body.append("\n" + _statement(writer, graph, quote))
    head = [f"# {line}\n" for line in header]
    prefixes = [f"@prefix {name}: <{names[name]}> .\n" for name in sorted(writer.used)]
    return "".join(head) + "".join(prefixes) + "".join(body)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` through a temporary file and a rename,
    so that a reader never sees half a file; the temporary file goes if writing fails."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
