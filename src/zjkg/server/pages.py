"""HTML pages for people: entity pages, the query page, lists and errors.

Every piece of text from the graph or the request passes through :func:`html.escape`
before it reaches a page; the layout is ``templates/layout.html`` (found with
importlib.resources) filled by :class:`string.Template` with already-escaped values.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from zjkg.ns import BASE, NIF
from zjkg.server.entities import RDF_TYPE, Entity, Fact, Lookup, is_local, prefixed

if TYPE_CHECKING:
    from collections.abc import Iterable

REPORT_PATH = "/report/zhejiang-2021"
DATASET_PATH = "/dataset/zhejiang-2021"
#: Long literals (the source text) are shown in a scrolling box above this many characters.
LONG_TEXT = 400
#: At most this many links into an entity are listed per predicate.
INCOMING_LIMIT = 200


@lru_cache(maxsize=4)
def _template(name: str) -> Template:
    return Template((files("zjkg.server") / "templates" / name).read_text(encoding="utf-8"))


def e(text: object) -> str:
    """HTML-escape (quotes too), the one way text enters a page."""
    return html.escape(str(text), quote=True)


def local_path(iri: str) -> str:
    """The server path of an IRI in the graph's URI space (``BASE`` maps onto ``/``)."""
    rest = iri[len(BASE):]
    return "/" + quote(rest, safe="/#=,:;-._~!$&'()*+@")


def href(iri: str) -> str:
    return local_path(iri) if is_local(iri) else iri


def page(title: str, body: str, *, origin: str, head: str = "") -> bytes:
    """A whole page in the site layout; ``title`` is raw text, ``body`` is HTML."""
    return _template("layout.html").substitute(
        title=e(title), body=body, head=head, base=e(BASE), origin=e(origin),
        report=e(REPORT_PATH), dataset=e(DATASET_PATH)).encode("utf-8")


def link(lookup: Lookup, iri: str, text: str | None = None) -> str:
    """A link to a resource, labelled; local IRIs stay on this server."""
    label = text if text is not None else lookup.label(iri)
    if is_local(iri):
        return f'<a href="{e(local_path(iri))}" title="{e(iri)}">{e(label)}</a>'
    if not iri.startswith(("http://", "https://")):  # no javascript:, data:, ... links
        return f'<span class="iri" title="{e(iri)}">{e(label)}</span>'
    return (f'<a href="{e(iri)}" class="external" rel="external noopener noreferrer" '
            f'title="{e(iri)}">{e(label)}</a>')


def term(lookup: Lookup, value: Any) -> str:
    """An RDF term (pyoxigraph) as HTML: a link for an IRI, escaped text for a literal."""
    kind = type(value).__name__
    if kind == "NamedNode":
        return link(lookup, value.value)
    if kind == "Literal":
        text = value.value
        shown = (f'<div class="long">{e(text)}</div>' if len(text) > LONG_TEXT
                 else e(text))
        if value.language:
            return f'{shown}<span class="lang">@{e(value.language)}</span>'
        datatype = value.datatype.value
        if datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f'{shown}<span class="datatype">{e(prefixed(datatype))}</span>'
        return shown
    return e(str(value))


def _predicate(lookup: Lookup, iri: str) -> str:
    return link(lookup, iri, prefixed(iri))


def _formats(path: str) -> str:
    links = [(f"{path}?format={name}", label) for name, label in
             (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))]
    return '<p class="formats">As data: ' + " ".join(
        f'<a href="{e(url)}" rel="alternate">{e(label)}</a>' for url, label in links) + "</p>"


def entity_page(lookup: Lookup, entity: Entity, *, origin: str) -> bytes:
    """The page for one entity: label, types, facts with quotes, properties, links in."""
    path = local_path(entity.iri)
    parts = [f"<h1>{e(entity.label)}</h1>", f'<p class="iri">{e(entity.iri)}</p>']
    if entity.other_labels:
        parts.append('<p class="other-labels">' + "".join(
            f'<span lang="{e(lang)}">{e(text)}<span class="lang">{e(lang)}</span></span>'
            for text, lang in entity.other_labels) + "</p>")
    if entity.types:
        parts.append('<p class="types">Type: ' + ", ".join(
            link(lookup, t) for t in entity.types) + "</p>")
    parts.append(_formats(path))
    if entity.facts:
        parts.append(_facts(lookup, entity.facts))
    if entity.outgoing:
        parts.append("<section><h2>Statements</h2><table><tr><th>property</th><th>value</th>"
                     "</tr>")
        for predicate, value in entity.outgoing:
            parts.append(f"<tr><td>{_predicate(lookup, predicate)}</td>"
                         f"<td>{term(lookup, value)}</td></tr>")
        parts.append("</table></section>")
    if entity.members:
        parts.append(_members(lookup, entity))
    if entity.incoming:
        parts.append(_incoming(lookup, entity.incoming))
    return page(entity.label, "\n".join(parts), origin=origin,
                head=f'<link rel="alternate" type="text/turtle" href="{e(path)}?format=ttl">')


def _facts(lookup: Lookup, facts: Iterable[Fact]) -> str:
    rows = ['<section id="facts"><h2>Facts</h2><table><tr><th>observation</th>'
            "<th>value</th><th>period</th><th>quote</th></tr>"]
    for fact in facts:
        unit = f" {link(lookup, fact.unit)}" if fact.unit else ""
        period = link(lookup, fact.period) if fact.period else ""
        quote_html = ""
        if fact.quote_text is not None:
            quote_html = f"<blockquote>{e(fact.quote_text)}</blockquote>"
            if fact.quote:
                quote_html += link(lookup, fact.quote, "in the text")
            if fact.paragraph:
                quote_html += " · " + link(lookup, fact.paragraph, lookup.label(fact.paragraph)
                                           if fact.paragraph in lookup.labels else "paragraph")
        rows.append(f"<tr><td>{link(lookup, fact.observation)}</td>"
                    f'<td class="num">{e(fact.value)}{unit}</td><td>{period}</td>'
                    f"<td>{quote_html}</td></tr>")
    rows.append("</table></section>")
    return "\n".join(rows)


def _members(lookup: Lookup, entity: Entity) -> str:
    """Resources named ``IRI#fragment`` (the quotes of a text), each with its anchor."""
    parts = [f'<section id="members"><h2>Described here ({len(entity.members)})</h2>']
    for member, statements in entity.members:
        fragment = member.split("#", 1)[1]
        anchor = next((o.value for p, o in statements if p == str(NIF.anchorOf)), None)
        parts.append(f'<div class="member" id="{e(fragment)}"><p class="iri">{e(member)}</p>')
        if anchor is not None:
            parts.append(f"<blockquote>{e(anchor)}</blockquote>")
        for _, subject in lookup.incoming(member):
            parts.append(f"<p>Source of {link(lookup, subject)}</p>")
        types = [o.value for p, o in statements if p == RDF_TYPE]
        if types:
            parts.append('<p class="types">Type: ' + ", ".join(
                link(lookup, t) for t in types) + "</p>")
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _incoming(lookup: Lookup, incoming: list[tuple[str, str]]) -> str:
    grouped: dict[str, list[str]] = {}
    for predicate, subject in incoming:
        grouped.setdefault(predicate, []).append(subject)
    parts = ['<section id="incoming"><h2>Linked from</h2><table><tr><th>property</th>'
             "<th>resources</th></tr>"]
    for predicate, subjects in grouped.items():
        shown = sorted(subjects, key=lambda s: lookup.label(s).lower())[:INCOMING_LIMIT]
        more = len(subjects) - len(shown)
        extra = f" <span class=\"note\">and {more} more</span>" if more > 0 else ""
        parts.append(f"<tr><td>{_predicate(lookup, predicate)}</td><td>"
                     + ", ".join(link(lookup, s) for s in shown) + extra + "</td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts)


def query_page(*, query: str, examples: dict[str, tuple[str, str]], origin: str,
               result: dict[str, Any] | None = None, error: str | None = None,
               raw: str | None = None, lookup: Lookup | None = None,
               selected: str | None = None) -> bytes:
    """The SPARQL editor with the canned queries as examples, and the results of ``query``.

    ``examples`` maps a name to (title, query text); ``result`` is SPARQL JSON results.
    """
    options = ['<option value="">Examples…</option>'] + [
        f'<option value="{e(name)}"{" selected" if name == selected else ""}>'
        f"{e(title)}</option>" for name, (title, _) in examples.items()]
    payload = json.dumps({name: text for name, (_, text) in examples.items()})
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    parts = [
        "<h1>SPARQL query</h1>",
        "<p>Query the graph: the ontology with its code lists and the report's data. "
        f"The endpoint is <code>{e(origin)}/sparql</code>; this page runs the query there.</p>",
        '<form class="query" id="query-form" method="get" action="/query">',
        '<div class="controls"><label for="examples">Canned queries:</label>',
        f'<select id="examples" name="example">{"".join(options)}</select></div>',
        f'<textarea id="query" name="query" spellcheck="false">{e(query)}</textarea>',
        '<div class="controls"><button type="submit" id="run">Run query</button>'
        '<span class="note">Ctrl+Enter runs it too.</span></div></form>',
        f'<script type="application/json" id="example-data">{payload}</script>',
        '<script src="/static/query.js" defer></script>',
    ]
    if error:
        parts.append(f'<p class="error" id="error">{e(error)}</p>')
    if result is not None:
        parts.append(results_table(result, lookup))
    if raw is not None:
        parts.append(f'<pre class="result" id="result-text">{e(raw)}</pre>')
    return page("SPARQL query", "\n".join(parts), origin=origin)


def results_table(result: dict[str, Any], lookup: Lookup | None) -> str:
    """SPARQL JSON results (SELECT or ASK) as an HTML table."""
    if "boolean" in result:
        return f'<p id="results">Answer: <strong>{e(str(result["boolean"]).lower())}</strong></p>'
    names = result["head"]["vars"]
    rows = result["results"]["bindings"]
    parts = [f'<p class="note">{len(rows)} result{"s" if len(rows) != 1 else ""}</p>',
             '<table id="results"><thead><tr>'
             + "".join(f"<th>{e(n)}</th>" for n in names) + "</tr></thead><tbody>"]
    for row in rows:
        cells = []
        for name in names:
            cell = row.get(name)
            cells.append(f"<td>{_cell(cell, lookup)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _cell(cell: dict[str, Any] | None, lookup: Lookup | None) -> str:
    if cell is None:
        return ""
    value = str(cell.get("value", ""))
    if cell.get("type") == "uri":
        label = lookup.label(value) if lookup is not None else prefixed(value)
        return link(lookup, value, label) if lookup is not None else e(value)
    text = e(value)
    if "xml:lang" in cell:
        return f'{text}<span class="lang">@{e(cell["xml:lang"])}</span>'
    return text


def canned_page(entries: list[dict[str, Any]], *, origin: str) -> bytes:
    """The canned queries: what each answers, its parameters, and links to run it."""
    parts = ["<h1>Canned queries</h1>",
             "<p>Each runs as <code>GET /queries/NAME?param=value</code> and answers SPARQL "
             "JSON results or CSV (by the Accept header, or <code>?format=json|csv</code>). "
             "An entity parameter takes an IRI, a slug or a label.</p>"]
    for entry in entries:
        name = entry["name"]
        example = urlencode(entry["example"])
        run = f"/queries/{name}" + (f"?{example}" if example else "")
        glue = "&" if example else "?"
        parts.append(f'<section class="canned" id="{e(name)}"><h2>{e(entry["title"])}</h2>'
                     f"<p><code>{e(name)}</code></p><p>{e(entry['description'])}</p>")
        if entry["parameters"]:
            parts.append("<ul>" + "".join(
                f"<li><code>{e(p['name'])}</code> ({e(p['type'])}"
                f"{', required' if p['required'] else ''}) {e(p['doc'])}</li>"
                for p in entry["parameters"]) + "</ul>")
        parts.append(f'<p><a href="/query?example={e(name)}">Open in the editor</a> · '
                     f'<a href="{e(run)}{e(glue)}format=json">JSON</a> · '
                     f'<a href="{e(run)}{e(glue)}format=csv">CSV</a>'
                     + (f' <span class="note">(with {e(example)})</span>' if example else "")
                     + "</p></section>")
    return page("Canned queries", "\n".join(parts), origin=origin)


def error_page(status: int, message: str, *, origin: str) -> bytes:
    """A plain error page; ``message`` is escaped like everything else."""
    body = (f"<h1>{status}</h1><p class=\"error\">{e(message)}</p>"
            '<p><a href="/">Back to the start page</a></p>')
    return page(f"Error {status}", body, origin=origin)
