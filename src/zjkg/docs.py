"""The ontology's HTML documentation, generated from ``ontology/zjkg.ttl`` alone.

pyLODE was the first choice, but its 3.4 release fails at import time when installed from
a wheel (it reads a ``pyproject.toml`` that the wheel lacks), so this small generator lists
classes, properties, the Data Cube structure and the code lists with their labels,
definitions and alignments. The page is one self-contained file: no fonts, scripts or
styles from elsewhere, so it reads offline. Each term's anchor is its local name, so the
term IRI ``https://w3id.org/zjkg/ontology#Quote`` lands on its entry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from zjkg import resources
from zjkg.ns import BASE, PREFIXES, QB, ZJKG

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

ONTOLOGY = f"{BASE}ontology"
#: Properties that align a term with another vocabulary, in the order they are listed.
ALIGNMENTS = ["exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"]

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:0 auto;
padding:1rem 1.5rem;line-height:1.5;color:#1a1a1a}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-top:1rem}
h3{margin-bottom:.3rem}code,.iri{font-family:ui-monospace,monospace;font-size:.9em}
.iri{color:#555;word-break:break-all}.term{border-left:4px solid #2a6;padding:.2rem 1rem;
margin:1rem 0;background:#fafafa}.term.property{border-color:#26a}.term.code{border-color:#a62}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;
padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
nav ul{columns:3}footer{margin-top:2rem;color:#666;font-size:.9em}
"""


def _prefixed(iri: str) -> str:
    for name, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and re.fullmatch(r"[\w\-]+", iri[len(namespace):]):
            return f"{name}:{iri[len(namespace):]}"
    return iri


def _identity(iri: str) -> str:
    return iri


class _Doc:
    """Helpers bound to one ontology graph and one way of turning IRIs into links."""

    def __init__(self, graph: Graph, link: Callable[[str], str]) -> None:
        self.graph = graph
        self.link = link

    def text(self, subject: Node, *predicates: Node) -> str | None:
        """The English (or untagged) value of the first predicate that has one."""
        for predicate in predicates:
            values = list(self.graph.objects(subject, predicate))
            for value in sorted(values, key=lambda v: (getattr(v, "language", None) != "en",
                                                       str(v))):
                return str(value)
        return None

    def label(self, term: Node) -> str:
        from rdflib.namespace import RDFS, SKOS

        return self.text(term, RDFS.label, SKOS.prefLabel) or _prefixed(str(term))

    def ref(self, term: Node) -> str:
        """A link to ``term``: an anchor for this ontology's terms, else the (mapped) IRI."""
        iri = str(term)
        if iri.startswith(str(ZJKG)):
            local = iri[len(str(ZJKG)):]
            return f'<a href="#{html.escape(local)}"><code>zjkg:{html.escape(local)}</code></a>'
        return (f'<a href="{html.escape(self.link(iri))}" title="{html.escape(iri)}">'
                f"<code>{html.escape(_prefixed(iri))}</code></a>")

    def refs(self, terms: Iterable[Node]) -> str:
        return ", ".join(self.ref(t) for t in sorted(set(terms), key=str))


def render_docs(graph: Graph | None = None, *, link: Callable[[str], str] | None = None) -> str:
    """The HTML page documenting the ontology in ``graph`` (default: the shipped one).

    ``link`` maps an IRI to the href used for it (``zjkg serve`` maps the w3id IRIs onto
    itself); by default links are the IRIs themselves.
    """
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN

    if graph is None:
        graph = Graph()
        graph.parse(resources.ontology_path(), format="turtle")
    doc = _Doc(graph, link or _identity)
    ontology = URIRef(ONTOLOGY)
    title = doc.text(ontology, DCTERMS.title, RDFS.label) or "Ontology"
    classes = _own(graph, RDF.type, OWL.Class)
    properties = _own(graph, RDF.type, OWL.ObjectProperty) | _own(
        graph, RDF.type, OWL.DatatypeProperty)
    schemes = sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str)
    structures = sorted(_own(graph, RDF.type, QB.DataStructureDefinition), key=str)

    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
           f"<header><h1>{html.escape(title)}</h1>",
           f'<p class="iri">{html.escape(ONTOLOGY)}</p></header>']
    out.append(_metadata(doc, ontology))
    out.append("<nav><h2>Contents</h2><ul>"
               '<li><a href="#description">Description</a></li>'
               '<li><a href="#classes">Classes</a></li>'
               '<li><a href="#properties">Properties</a></li>'
               '<li><a href="#structure">Data Cube structure</a></li>'
               '<li><a href="#code-lists">Code lists</a></li>'
               '<li><a href="#namespaces">Namespaces</a></li></ul></nav>')
    out.append('<section id="description"><h2>Description</h2>')
    out.append(_prose(doc.text(ontology, DCTERMS.description) or ""))
    out.append("</section>")

    out.append('<section id="classes"><h2>Classes</h2>')
    out.append(_index(doc, classes))
    for cls in sorted(classes, key=lambda c: doc.label(c).lower()):
        out.append(_class_entry(doc, cls, properties))
    out.append("</section>")

    out.append('<section id="properties"><h2>Properties</h2>')
    out.append(_index(doc, properties))
    for prop in sorted(properties, key=lambda p: doc.label(p).lower()):
        out.append(_property_entry(doc, prop))
    out.append("</section>")

    out.append('<section id="structure"><h2>Data Cube structure</h2>')
    for structure in structures:
        out.append(_structure_entry(doc, structure))
    out.append("</section>")

    out.append('<section id="code-lists"><h2>Code lists</h2>')
    for scheme in schemes:
        out.append(_scheme_entry(doc, scheme))
    out.append("</section>")

    out.append('<section id="namespaces"><h2>Namespaces</h2><table>'
               "<tr><th>prefix</th><th>namespace</th></tr>")
    used = _used_namespaces(graph)
    for name, namespace in sorted(PREFIXES.items()):
        if namespace in used:
            out.append(f"<tr><td><code>{html.escape(name)}</code></td>"
                       f'<td class="iri">{html.escape(namespace)}</td></tr>')
    out.append("</table></section>")
    preferred = doc.text(ontology, VANN.preferredNamespaceUri) or str(ZJKG)
    out.append(f"<footer>Generated by <code>zjkg docs</code> from the ontology's Turtle. "
               f"Namespace <code>{html.escape(preferred)}</code>.</footer></body></html>")
    return "\n".join(out) + "\n"


def _own(graph: Graph, predicate: Node, value: Node) -> set[Node]:
    """Subjects in this ontology's namespace with ``predicate value``."""
    return {s for s in graph.subjects(predicate, value) if str(s).startswith(str(ZJKG))}


def _metadata(doc: _Doc, ontology: Node) -> str:
    from rdflib.namespace import DCTERMS, OWL, RDFS, VANN

    rows = []
    for name, predicate in [("Version", OWL.versionInfo), ("Version IRI", OWL.versionIRI),
                            ("Created", DCTERMS.created), ("Creator", DCTERMS.creator),
                            ("Licence", DCTERMS.license),
                            ("Preferred prefix", VANN.preferredNamespacePrefix),
                            ("Namespace", VANN.preferredNamespaceUri)]:
        values = sorted(doc.graph.objects(ontology, predicate), key=str)
        if values:
            rendered = ", ".join(_value(doc, v) for v in values)
            rows.append(f"<dt>{name}</dt><dd>{rendered}</dd>")
    reused = sorted(doc.graph.objects(ontology, RDFS.seeAlso), key=str)
    if reused:
        rows.append("<dt>Reuses</dt><dd>" + ", ".join(_value(doc, v) for v in reused) + "</dd>")
    rows.append('<dt>Source</dt><dd><a href="' + html.escape(doc.link(f"{BASE}ontology/zjkg.ttl"))
                + '">Turtle</a></dd>')
    return "<dl>" + "".join(rows) + "</dl>"


def _value(doc: _Doc, value: Node) -> str:
    from rdflib import URIRef

    if isinstance(value, URIRef):
        iri = str(value)
        return f'<a href="{html.escape(doc.link(iri))}">{html.escape(iri)}</a>'
    return html.escape(str(value))


def _prose(text: str) -> str:
    """Plain text with blank-line paragraphs and ``- `` bullet lines, as HTML."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        items: list[str] = []
        para: list[str] = []
        for line in lines:
            if line.startswith("- "):
                items.append(line[2:].strip())
            elif items and line.startswith("  "):
                items[-1] += " " + line.strip()
            elif items:
                items.append(line.strip())
            else:
                para.append(line.strip())
        if para:
            out.append("<p>" + html.escape(" ".join(para)) + "</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    return "\n".join(out)


def _index(doc: _Doc, terms: set[Node]) -> str:
    ordered = sorted(terms, key=lambda t: doc.label(t).lower())
    return "<p>" + " · ".join(doc.ref(t) for t in ordered) + "</p>"


def _alignments(doc: _Doc, term: Node) -> list[str]:
    from rdflib.namespace import OWL, SKOS

    rows = []
    for name in ALIGNMENTS:
        values = list(doc.graph.objects(term, SKOS[name]))
        if values:
            rows.append(f"<dt>skos:{name}</dt><dd>{doc.refs(values)}</dd>")
    for predicate, name in [(OWL.equivalentClass, "owl:equivalentClass"),
                            (OWL.equivalentProperty, "owl:equivalentProperty")]:
        values = list(doc.graph.objects(term, predicate))
        if values:
            rows.append(f"<dt>{name}</dt><dd>{doc.refs(values)}</dd>")
    return rows


def _head(doc: _Doc, term: Node, kind: str, css: str) -> list[str]:
    from rdflib.namespace import RDFS, SKOS

    iri = str(term)
    local = iri[len(str(ZJKG)):] if iri.startswith(str(ZJKG)) else iri
    definition = doc.text(term, SKOS.definition, RDFS.comment)
    out = [f'<div class="term {css}" id="{html.escape(local)}">',
           f"<h3>{html.escape(doc.label(term))} <small>({kind})</small></h3>",
           f'<p class="iri">{html.escape(iri)}</p>']
    if definition:
        out.append(f"<p>{html.escape(definition)}</p>")
    return out


def _class_entry(doc: _Doc, cls: Node, properties: set[Node]) -> str:
    from rdflib.namespace import RDFS

    out = _head(doc, cls, "class", "class")
    rows = []
    parents = list(doc.graph.objects(cls, RDFS.subClassOf))
    if parents:
        rows.append(f"<dt>Subclass of</dt><dd>{doc.refs(parents)}</dd>")
    children = list(doc.graph.subjects(RDFS.subClassOf, cls))
    if children:
        rows.append(f"<dt>Superclass of</dt><dd>{doc.refs(children)}</dd>")
    rows += _alignments(doc, cls)
    domain = [p for p in properties if (p, RDFS.domain, cls) in doc.graph]
    if domain:
        rows.append(f"<dt>Properties</dt><dd>{doc.refs(domain)}</dd>")
    ranged = [p for p in properties if (p, RDFS.range, cls) in doc.graph]
    if ranged:
        rows.append(f"<dt>Values of</dt><dd>{doc.refs(ranged)}</dd>")
    out.append("<dl>" + "".join(rows) + "</dl></div>")
    return "\n".join(out)


def _property_entry(doc: _Doc, prop: Node) -> str:
    from rdflib.namespace import OWL, RDF, RDFS

    types = sorted(doc.graph.objects(prop, RDF.type), key=str)
    kind = "datatype property" if OWL.DatatypeProperty in types else "object property"
    out = _head(doc, prop, kind, "property")
    rows = [f"<dt>Types</dt><dd>{doc.refs(types)}</dd>"]
    for name, predicate in [("Domain", RDFS.domain), ("Range", RDFS.range),
                            ("Subproperty of", RDFS.subPropertyOf), ("Code list", QB.codeList)]:
        values = list(doc.graph.objects(prop, predicate))
        if values:
            rows.append(f"<dt>{name}</dt><dd>{doc.refs(values)}</dd>")
    rows += _alignments(doc, prop)
    out.append("<dl>" + "".join(rows) + "</dl></div>")
    return "\n".join(out)


def _structure_entry(doc: _Doc, structure: Node) -> str:
    out = _head(doc, structure, "data structure definition", "class")
    components = sorted(doc.graph.objects(structure, QB.component),
                        key=lambda c: (int(doc.graph.value(c, QB.order) or 99), str(c)))
    out.append("<table><tr><th>component</th><th>role</th><th>property</th><th>order</th>"
               "<th>required</th></tr>")
    for component in components:
        local = str(component)[len(str(ZJKG)):]
        for role in ("dimension", "measure", "attribute"):
            prop = doc.graph.value(component, QB[role])
            if prop is not None:
                order = doc.graph.value(component, QB.order)
                required = doc.graph.value(component, QB.componentRequired)
                out.append(f'<tr id="{html.escape(local)}"><td>{doc.ref(component)}</td>'
                           f"<td>{role}</td><td>{doc.ref(prop)}</td>"
                           f"<td>{html.escape(str(order or ''))}</td>"
                           f"<td>{html.escape(str(required or ''))}</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _scheme_entry(doc: _Doc, scheme: Node) -> str:
    from rdflib.namespace import RDFS, SKOS

    iri = str(scheme)
    anchor = "code-" + iri.rstrip("/").rsplit("/", 1)[-1]
    definition = doc.text(scheme, SKOS.definition, RDFS.comment)
    members = set(doc.graph.subjects(SKOS.inScheme, scheme)) | set(
        doc.graph.objects(scheme, SKOS.hasTopConcept))
    out = [f'<div class="term code" id="{html.escape(anchor)}">',
           f"<h3>{html.escape(doc.label(scheme))} <small>(code list)</small></h3>",
           f'<p class="iri"><a href="{html.escape(doc.link(iri))}">{html.escape(iri)}</a></p>']
    if definition:
        out.append(f"<p>{html.escape(definition)}</p>")
    users = sorted(doc.graph.subjects(QB.codeList, scheme), key=str)
    if users:
        out.append(f"<p>Values of {doc.refs(users)}.</p>")
    if members:
        out.append("<table><tr><th>notation</th><th>label</th><th>definition</th></tr>")
        for member in sorted(members, key=lambda m: str(doc.graph.value(m, SKOS.notation) or m)):
            notation = doc.graph.value(member, SKOS.notation) or ""
            out.append(
                f'<tr><td><a href="{html.escape(doc.link(str(member)))}"><code>'
                f"{html.escape(str(notation))}</code></a></td>"
                f"<td>{html.escape(doc.label(member))}</td>"
                f"<td>{html.escape(doc.text(member, SKOS.definition) or '')}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>Its members are in the data (each with its own page).</p>")
    out.append("</div>")
    return "\n".join(out)


def _used_namespaces(graph: Graph) -> set[str]:
    used = set()
    namespaces = set(PREFIXES.values())
    for triple in graph:
        for term in triple:
            text = str(term)
            for namespace in namespaces:
                if text.startswith(namespace):
                    used.add(namespace)
    return used


def write_docs(*, output_dir: Path | None = None) -> Path:
    """Write ``index.html`` and a copy of the ontology's Turtle into ``output_dir``.

    Returns the path of the HTML page. The default folder is ``out/ontology``.
    """
    from zjkg.turtle import write_atomic

    folder = output_dir or Path("out") / "ontology"
    page = folder / "index.html"
    write_atomic(page, render_docs())
    write_atomic(folder / "zjkg.ttl", resources.ontology_path().read_text(encoding="utf-8"))
    return page
