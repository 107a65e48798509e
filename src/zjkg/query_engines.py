"""The engines a query runs on: pyoxigraph (default), rdflib, or a remote SPARQL endpoint.

Parameters are bound, never pasted into the query text. rdflib takes them as
``initBindings=``. pyoxigraph's ``substitutions=`` only accepts variables the query
projects, and HTTP has no binding argument at all, so for those two a ``VALUES`` block
built from the parameters' parsed RDF terms - written in N-Triples syntax, which escapes
quotes, backslashes and line breaks, from IRIs checked to hold no delimiter - opens the
query's top-level ``WHERE`` group. A value can therefore never become query syntax.

Every engine returns a :class:`~zjkg.results.Result` of canonical terms, so the same query
gives the same rows everywhere. The shipped graph is loaded once per process and engine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Protocol

from zjkg.errors import InputError
from zjkg.results import Result, Term, construct_result

ENGINES = ("oxigraph", "rdflib")
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/turtle;q=0.8")


class Engine(Protocol):
    """What :mod:`zjkg.query` needs of an engine."""

    name: str

    def run(self, text: str, bindings: Mapping[str, Term], *,
            prefixes: Mapping[str, str] | None = None) -> Result:
        """Run ``text`` with ``bindings`` for its variables; ``prefixes`` are predeclared."""
        ...


# ---------------------------------------------------------------------------
# pyoxigraph
# ---------------------------------------------------------------------------

class OxigraphEngine:
    """SPARQL on an in-memory pyoxigraph store: the fast default."""

    name = "oxigraph"

    def __init__(self, store: Any) -> None:
        self.store = store

    def run(self, text: str, bindings: Mapping[str, Term], *,
            prefixes: Mapping[str, str] | None = None) -> Result:
        import pyoxigraph as ox

        if bindings:
            text = inject_values(text, bindings)
        try:
            answer = self.store.query(text, prefixes=dict(prefixes) if prefixes else None)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}",
                             hint="check the query against SPARQL 1.1") from exc
        except (RuntimeError, ValueError) as exc:
            raise InputError(f"pyoxigraph cannot evaluate the query: {exc}") from exc
        if isinstance(answer, ox.QueryBoolean):
            return Result([], kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            columns = [v.value for v in answer.variables]
            return Result(columns, [tuple(map(_from_ox, solution)) for solution in answer])
        return construct_result([(_from_ox(t.subject), _from_ox(t.predicate),
                                  _from_ox(t.object)) for t in answer])  # type: ignore[misc]


_OX_TERMS: dict[Any, Term] = {}


def _from_ox(node: Any) -> Term | None:
    """A pyoxigraph term as a :class:`Term`; memoized, as the same IRIs recur in every row."""
    if node is None:
        return None
    term = _OX_TERMS.get(node)
    if term is None:
        term = _convert_ox(node)
        if len(_OX_TERMS) < 100_000:
            _OX_TERMS[node] = term
    return term


def _convert_ox(node: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(node, ox.NamedNode):
        return Term.iri(node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term.literal(node.value, node.datatype.value, node.language)
    return Term.literal(str(node))  # an RDF-star triple: kept as its text


@lru_cache(maxsize=1)
def oxigraph_engine() -> OxigraphEngine:
    """The shipped graph in pyoxigraph, loaded on first use and kept for the process."""
    from zjkg.graph import load_store

    return OxigraphEngine(load_store())


# ---------------------------------------------------------------------------
# rdflib
# ---------------------------------------------------------------------------

class RdflibEngine:
    """SPARQL on an rdflib graph: slow, but the reference the other engines must match."""

    name = "rdflib"

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    def run(self, text: str, bindings: Mapping[str, Term], *,
            prefixes: Mapping[str, str] | None = None) -> Result:
        prepared = _prepare(text, tuple(sorted(prefixes.items())) if prefixes else ())
        init = {name: _to_rdflib(term) for name, term in bindings.items()}
        rows: list[tuple[Term | None, ...]] = []
        try:
            answer = self.graph.query(prepared, initBindings=init)
            if answer.type == "SELECT":  # rdflib evaluates lazily: force it inside the try
                rows = [tuple(_from_rdflib(value) for value in row) for row in answer]
        except Exception as exc:  # rdflib's evaluator may raise any type (a TypeError...)
            raise InputError(f"rdflib cannot evaluate the query: {exc}",
                             hint="try --engine oxigraph") from exc
        if answer.type == "ASK":
            return Result([], kind="ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            return Result([str(v) for v in answer.vars or []], rows)
        return construct_result([(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o))
                                 for s, p, o in answer.graph])  # type: ignore[misc]


@lru_cache(maxsize=256)
def _prepare(text: str, prefixes: tuple[tuple[str, str], ...]) -> Any:
    """rdflib parses SPARQL slowly, so each text is parsed once per process."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=dict(prefixes))
    except Exception as exc:  # pyparsing's ParseException and rdflib's own errors
        raise InputError(f"SPARQL syntax error: {' '.join(str(exc).split())}",
                         hint="check the query against SPARQL 1.1") from exc


def _to_rdflib(term: Term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.lang:
        return Literal(term.value, lang=term.lang)
    return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)


def _from_rdflib(node: Any) -> Term | None:
    from rdflib import BNode, Literal

    if node is None:
        return None
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return Term.literal(str(node), datatype, node.language)
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    return Term.iri(str(node))


@lru_cache(maxsize=1)
def rdflib_engine() -> RdflibEngine:
    """The shipped graph in rdflib, parsed on first use and kept for the process."""
    from zjkg.graph import load_graph

    return RdflibEngine(load_graph())


# ---------------------------------------------------------------------------
# A remote SPARQL 1.1 endpoint
# ---------------------------------------------------------------------------

class EndpointEngine:
    """SPARQL 1.1 Protocol over HTTP (POST, form-encoded), with the standard library only."""

    name = "endpoint"

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        if not re.match(r"^https?://", url):
            raise InputError(f"not an HTTP(S) URL: {url!r}",
                             hint="give the endpoint as http://host:port/path")
        self.url = url
        self.timeout = timeout

    def run(self, text: str, bindings: Mapping[str, Term], *,
            prefixes: Mapping[str, str] | None = None) -> Result:
        import urllib.error
        import urllib.parse
        import urllib.request  # imported here: 12 ms that local queries need not pay

        if prefixes:
            text = declare_prefixes(text, prefixes)
        if bindings:
            text = inject_values(text, bindings)
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "zjkg"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                media = response.headers.get_content_type()
                data = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise InputError(f"the endpoint answered HTTP {exc.code}: {detail.strip()}",
                             path=self.url) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise InputError(f"cannot reach the endpoint: {exc}", path=self.url,
                             hint="check the URL and that the server runs") from exc
        return _parse_http_answer(media, data, self.url)


def _parse_http_answer(media: str, data: bytes, url: str) -> Result:
    if media in ("application/sparql-results+json", "application/json"):
        payload = json.loads(data.decode("utf-8"))
        if "boolean" in payload:
            return Result([], kind="ask", boolean=bool(payload["boolean"]))
        columns = list(payload["head"].get("vars", []))
        rows = [tuple(Term.from_sparql_json(b[c]) if c in b else None for c in columns)
                for b in payload["results"]["bindings"]]
        return Result(columns, rows)
    import pyoxigraph as ox

    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None:
        raise InputError(f"the endpoint answered in an unknown format {media!r}", path=url)
    return construct_result([(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                             for t in ox.parse(data, format=rdf_format)])  # type: ignore[misc]


def declare_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with a PREFIX line for each of ``prefixes`` it does not declare itself."""
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w.-]*):", text)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()
             if name not in declared]
    return "\n".join([*lines, text]) if lines else text


def inject_values(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with ``VALUES`` for ``bindings`` as the first thing of its top-level group.

    The group is the one after the first ``WHERE`` outside braces (or the first brace when
    the query has no ``WHERE``); comments, strings and IRIs are skipped while looking.
    """
    names = list(bindings)
    row = " ".join(bindings[name].n3() for name in names)
    block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    position = _top_level_group(text)
    return text[:position] + block + text[position:]


_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.DOTALL)


@lru_cache(maxsize=256)
def _top_level_group(text: str) -> int:
    """Where the top-level group's ``{`` ends; cached, as canned queries recur."""
    depth = 0
    seen_where = False
    first_brace: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if ch in "\"'":
            match = _STRING.match(text, i)
            i = match.end() if match else i + 1
            continue
        if ch == "<":
            match = _IRI.match(text, i)
            i = match.end() if match else i + 1
            continue
        if ch == "{":
            if depth == 0 and first_brace is None:
                first_brace = i + 1
            if depth == 0 and seen_where:
                return i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and text[i:i + 5].upper() == "WHERE" and not _word(text, i, 5):
            seen_where = True
        i += 1
    if first_brace is None:
        raise InputError("cannot bind parameters: the query has no group pattern")
    return first_brace


def _word(text: str, start: int, length: int) -> bool:
    """Whether the keyword at ``start`` is part of a longer word or name."""
    before = text[start - 1] if start else " "
    after = text[start + length] if start + length < len(text) else " "
    return before.isalnum() or before in "_?$:" or after.isalnum() or after in "_:"


_ENDPOINTS: dict[str, EndpointEngine] = {}


def get_engine(engine: str = "oxigraph", endpoint: str | None = None) -> Engine:
    """The engine to run on: a remote ``endpoint`` when given, else ``engine`` by name."""
    if endpoint:
        if endpoint not in _ENDPOINTS:
            _ENDPOINTS[endpoint] = EndpointEngine(endpoint)
        return _ENDPOINTS[endpoint]
    if engine == "oxigraph":
        return oxigraph_engine()
    if engine == "rdflib":
        return rdflib_engine()
    raise InputError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
