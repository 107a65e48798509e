"""RDF exports of the knowledge graph, byte-for-byte deterministic.

Every format is written by this package rather than by rdflib's serializers, whose
output order follows Python's randomised hashing (RDF/XML, JSON-LD) and so differs
between runs. Turtle and TriG reuse :mod:`zjkg.turtle`; N-Triples and N-Quads are
sorted lines; JSON-LD and RDF/XML are built from sorted subjects, predicates and
objects. The graph has no blank nodes; an export refuses one rather than invent a name.

JSON-LD embeds the published context ``ontology/context.jsonld`` (the same object,
verbatim) instead of referencing it by URL: the file then parses offline, and
processors need not fetch a remote context (JSON-LD ignores ``@base`` and is slow or
fails without network for remote ones). Users who prefer a reference can replace the
embedded object by the context's URL; the expansion is the same.

N-Quads and TriG keep the ontology in the named graph ``<https://w3id.org/zjkg/ontology>``
and the report's data in the named graph of its ``qb:DataSet`` IRI (the report IRI if
there is none), so a store can drop or replace either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from zjkg import resources
from zjkg.errors import DataError, InputError
from zjkg.ns import BASE, PREFIXES, QB, SCHEMA, report_prefixes

#: Format name -> (file suffix, media type). The names are those ``zjkg export`` takes.
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": (".ttl", "text/turtle"),
    "nt": (".nt", "application/n-triples"),
    "nquads": (".nq", "application/n-quads"),
    "trig": (".trig", "application/trig"),
    "jsonld": (".jsonld", "application/ld+json"),
    "rdfxml": (".rdf", "application/rdf+xml"),
}
ONTOLOGY_GRAPH = URIRef(BASE + "ontology")
HEADER = (
    "zjkg: Report on the Work of the Government 2021 of Zhejiang Province, as linked data.",
    "Exported by `zjkg export`; the same graph always gives the same bytes.",
    "Licence: CC BY 4.0 for the encoding; the report text belongs to its publisher.",
)
_NT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\b": "\\b", "\f": "\\f"}


# ---------------------------------------------------------------------------
# Loading the parts
# ---------------------------------------------------------------------------

def _new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def _parse(graph: Graph, path: Path) -> None:
    from zjkg.graph import rdf_format

    if not path.is_file():
        raise InputError("no such file", path=str(path),
                         hint="check the path, or omit FILES to export the shipped graph")
    try:
        graph.parse(path, format=rdf_format(path))
    except Exception as exc:  # rdflib raises many types for bad syntax
        raise InputError(f"cannot parse {rdf_format(path)}: {exc}", path=str(path),
                         hint="fix the syntax") from exc


def load_parts(files: Sequence[Path | str] | None = None, *,
               data_only: bool = False) -> list[tuple[URIRef, Graph]]:
    """The named parts to export: the ontology (unless ``data_only``) and the data.

    Returns ``[(graph name, graph), ...]``; the data is ``files`` or the shipped data.
    """
    parts: list[tuple[URIRef, Graph]] = []
    if not data_only:
        ontology = _new_graph()
        _parse(ontology, resources.ontology_path())
        parts.append((ONTOLOGY_GRAPH, ontology))
    data = _new_graph()
    for path in [Path(f) for f in files] if files else [resources.data_path()]:
        _parse(data, path)
    report = next(iter(sorted(data.subjects(RDF.type, SCHEMA.Report), key=str)), None)
    if report is not None:
        for prefix, iri in report_prefixes(str(report).rsplit("/", 1)[1]).items():
            data.bind(prefix, iri)
    parts.append((data_graph_name(data), data))
    return parts


def data_graph_name(data: Graph) -> URIRef:
    """The report's data set IRI, else the report IRI, else ``<https://w3id.org/zjkg/data>``."""
    reports = sorted(data.subjects(RDF.type, SCHEMA.Report), key=str)
    datasets = sorted((d for d in data.subjects(RDF.type, QB.DataSet)
                       if not reports or data.value(d, DCTERMS.source) in reports), key=str)
    if datasets and isinstance(datasets[0], URIRef):
        return datasets[0]
    if reports and isinstance(reports[0], URIRef):
        return reports[0]
    return URIRef(BASE + "data")


def union(parts: Sequence[tuple[URIRef, Graph]]) -> Graph:
    """All parts in one graph, with every part's prefixes."""
    graph = _new_graph()
    for _, part in parts:
        for prefix, iri in part.namespaces():
            graph.bind(prefix, iri, override=False)
        for triple in part:
            graph.add(triple)
    return graph


# ---------------------------------------------------------------------------
# The public function
# ---------------------------------------------------------------------------

def export_graph(*, format: str, data_only: bool = False,
                 files: Sequence[Path | str] | None = None,
                 parts: Sequence[tuple[URIRef, Graph]] | None = None) -> bytes:
    """The graph in ``format`` (a key of :data:`RDF_FORMATS`), as UTF-8 bytes.

    The whole graph (ontology and data) by default, the data alone with ``data_only``;
    ``files`` replace the shipped data, ``parts`` (from :func:`load_parts`) skip loading.
    """
    if format not in RDF_FORMATS:
        raise InputError(f"unknown RDF format {format!r}",
                         hint="choose one of " + ", ".join(RDF_FORMATS))
    parts = list(parts) if parts is not None else load_parts(files, data_only=data_only)
    for _, part in parts:
        _refuse_blank_nodes(part)
    if format == "nquads":
        return to_nquads(parts).encode("utf-8")
    if format == "trig":
        return to_trig(parts).encode("utf-8")
    graph = union(parts)
    if format == "turtle":
        from zjkg.turtle import serialize

        return serialize(graph, header=HEADER).encode("utf-8")
    if format == "nt":
        return to_ntriples(graph).encode("utf-8")
    if format == "jsonld":
        return to_jsonld(graph).encode("utf-8")
    return to_rdfxml(graph).encode("utf-8")


def _refuse_blank_nodes(graph: Graph) -> None:
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            raise DataError(f"the graph has a blank node in {triple!r}; give it an IRI "
                            "so that exports stay deterministic")


# ---------------------------------------------------------------------------
# N-Triples, N-Quads, TriG
# ---------------------------------------------------------------------------

def nt_term(term: Node) -> str:
    """A term in canonical N-Triples form (RDF 1.1; simple literals without xsd:string)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        body = "".join(_NT_ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if ord(ch) < 0x20
                                               or ord(ch) == 0x7F else ch)
                       for ch in str(term))
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{body}"^^<{term.datatype}>'
        return f'"{body}"'
    raise DataError(f"cannot write {term!r} in N-Triples without a blank-node label")


def _lines(graph: Graph, suffix: str = "") -> list[str]:
    return [f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{suffix} .\n" for s, p, o in graph]


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, lines sorted."""
    return "".join(sorted(_lines(graph)))


def to_nquads(parts: Sequence[tuple[URIRef, Graph]]) -> str:
    """N-Quads, each part in its named graph, lines sorted."""
    lines: set[str] = set()
    for name, graph in parts:
        lines.update(_lines(graph, f" {nt_term(name)}"))
    return "".join(sorted(lines))


def to_trig(parts: Sequence[tuple[URIRef, Graph]]) -> str:
    """TriG: the prefixes once, then each part as a named graph in :mod:`zjkg.turtle` order."""
    from zjkg.turtle import serialize

    prefixes: set[str] = set()
    blocks: list[str] = []
    for name, graph in parts:
        text = serialize(graph)
        body = []
        for line in text.splitlines(keepends=True):
            if line.startswith("@prefix "):
                prefixes.add(line)
            else:
                body.append(line)
        blocks.append(f"\n{nt_term(name)} {{\n{''.join(body).strip()}\n}}\n")
    head = "".join(f"# {line}\n" for line in HEADER)
    return head + "".join(sorted(prefixes, key=_prefix_name)) + "".join(blocks)


def _prefix_name(line: str) -> str:
    return line.split()[1]


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------

def load_context(path: Path | None = None) -> dict:
    """The published JSON-LD context object (the value of its ``@context``)."""
    source = path or resources.context_path()
    try:
        return json.loads(source.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the JSON-LD context: {exc}", path=str(source)) from exc


class Compactor:
    """Turns IRIs and terms into the short keys and values of the published context."""

    def __init__(self, context: dict) -> None:
        self.prefixes: list[tuple[str, str]] = []
        self.classes: dict[str, str] = {}
        self.properties: dict[str, tuple[str, str | None, str | None]] = {}
        for key, value in context.items():
            if key.startswith("@") or value in ("@id", "@type"):
                continue
            if isinstance(value, str) and "://" in value:
                self.prefixes.append((key, value))
        self.prefixes.sort(key=lambda item: (-len(item[1]), item[0]))
        for key, value in context.items():
            if key.startswith("@") or value in ("@id", "@type") or (
                    isinstance(value, str) and "://" in value):
                continue
            if isinstance(value, str):
                target = (self.classes if key[:1].isupper() else self.properties)
                iri = self.expand(value)
                if target is self.classes:
                    self.classes.setdefault(iri, key)
                else:
                    self.properties.setdefault(iri, (key, None, None))
            else:
                iri = self.expand(value["@id"])
                coercion = value.get("@type")
                self.properties.setdefault(
                    iri, (key, self.expand(coercion) if coercion and coercion != "@id"
                          else coercion, value.get("@language")))

    def expand(self, value: str) -> str:
        prefix, _, rest = value.partition(":")
        for name, iri in self.prefixes:
            if name == prefix and not rest.startswith("//"):
                return iri + rest
        return value

    def iri(self, iri: str) -> str:
        """The shortest safe compact IRI (``schema:Place``), else the IRI itself."""
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                rest = iri[len(namespace):]
                if not rest.startswith("//"):
                    return f"{name}:{rest}"
        return iri

    def type_name(self, iri: str) -> str:
        return self.classes.get(iri) or self.iri(iri)

    def value(self, term: Node, coercion: str | None,
              language: str | None) -> object:
        if isinstance(term, URIRef):
            return self.iri(str(term)) if coercion == "@id" else {"id": self.iri(str(term))}
        if not isinstance(term, Literal):
            raise DataError(f"cannot write {term!r} in JSON-LD without a blank-node label")
        text = str(term)
        if term.language:
            if language == term.language and coercion is None:
                return text
            return {"@value": text, "@language": term.language}
        datatype = str(term.datatype) if term.datatype and term.datatype != XSD.string else None
        if datatype is None:
            return text if coercion is None and language is None else {"@value": text}
        if coercion == datatype:
            return text
        return {"@value": text, "@type": self.iri(datatype)}


def to_jsonld(graph: Graph, context: dict | None = None) -> str:
    """JSON-LD with the published context embedded; nodes sorted by IRI, keys by name."""
    context = context if context is not None else load_context()
    compact = Compactor(context)
    nodes = []
    for subject in sorted(set(graph.subjects()), key=natural_key):
        node: dict[str, object] = {"id": compact.iri(str(subject))}
        types = sorted(compact.type_name(str(t)) for t in graph.objects(subject, RDF.type))
        if types:
            node["type"] = types[0] if len(types) == 1 else types
        entries: dict[str, object] = {}
        for predicate in set(graph.predicates(subject)) - {RDF.type}:
            key, coercion, language = compact.properties.get(
                str(predicate), (compact.iri(str(predicate)), None, None))
            objects = sorted(graph.objects(subject, predicate), key=nt_term)
            values = [compact.value(o, coercion, language) for o in objects]
            entries[key] = values[0] if len(values) == 1 else values
        node.update(sorted(entries.items()))
        nodes.append(node)
    document = {"@context": context, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# RDF/XML
# ---------------------------------------------------------------------------

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _split_predicate(iri: str, names: dict[str, str]) -> tuple[str, str]:
    """(namespace, local name) of a predicate, preferring the package's prefixes."""
    for namespace in sorted(names.values(), key=len, reverse=True):
        if iri.startswith(namespace) and _NCNAME.match(iri[len(namespace):]):
            return namespace, iri[len(namespace):]
    match = re.match(r"^(.*[/#])([A-Za-z_][A-Za-z0-9_.\-]*)$", iri)
    if not match:
        raise DataError(f"RDF/XML cannot write the predicate <{iri}>: its IRI does not "
                        "end in an XML name")
    return match.group(1), match.group(2)


def _xml_text(text: str) -> str:
    if _XML_BAD.search(text):
        raise DataError(f"XML 1.0 cannot hold a control character in {text[:60]!r}")
    return xml_escape(text).replace("\r", "&#13;")


def _xml_attribute(text: str) -> str:
    return (_xml_text(text).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


def to_rdfxml(graph: Graph) -> str:
    """Flat, striped RDF/XML: one ``rdf:Description`` a subject, all sorted."""
    names = {**PREFIXES, **{str(p): str(n) for p, n in graph.namespaces() if p}}
    by_namespace = {iri: name for name, iri in sorted(names.items())}
    used: dict[str, str] = {str(RDF): "rdf"}
    body: list[str] = []
    for subject in sorted(set(graph.subjects()), key=natural_key):
        body.append(f'  <rdf:Description rdf:about="{_xml_attribute(str(subject))}">\n')
        rows = []
        for predicate, obj in graph.predicate_objects(subject):
            namespace, local = _split_predicate(str(predicate), names)
            prefix = used.get(namespace)
            if prefix is None:
                prefix = by_namespace.get(namespace) or f"ns{len(used)}"
                used[namespace] = prefix
            rows.append((f"{prefix}:{local}", nt_term(obj), obj))
        for qname, _, obj in sorted(rows, key=lambda row: (row[0] != "rdf:type", *row[:2])):
            body.append(f"    {_xml_element(qname, obj)}\n")
        body.append("  </rdf:Description>\n")
    declarations = "".join(f'\n    xmlns:{prefix}="{_xml_attribute(namespace)}"'
                           for namespace, prefix in sorted(used.items(), key=lambda i: i[1]))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            + "".join(f"<!-- {line.replace('--', '-')} -->\n" for line in HEADER)
            + f"<rdf:RDF{declarations}>\n" + "".join(body) + "</rdf:RDF>\n")


def _xml_element(qname: str, obj: Node) -> str:
    if isinstance(obj, URIRef):
        return f'<{qname} rdf:resource="{_xml_attribute(str(obj))}"/>'
    if not isinstance(obj, Literal):
        raise DataError(f"cannot write {obj!r} in RDF/XML without a blank-node label")
    attributes = ""
    if obj.language:
        attributes = f' xml:lang="{obj.language}"'
    elif obj.datatype and obj.datatype != XSD.string:
        attributes = f' rdf:datatype="{_xml_attribute(str(obj.datatype))}"'
    return f"<{qname}{attributes}>{_xml_text(str(obj))}</{qname}>"


def natural_key(term: object) -> list:
    """Sort key that puts ``paragraph/2`` before ``paragraph/10``."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", str(term))]
