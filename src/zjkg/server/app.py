"""``zjkg serve``: one local HTTP server for SPARQL, pages, IRIs, canned queries and docs.

Built on the standard library's ThreadingHTTPServer: the graph is small (thousands of
triples) and the server is for one person or a test suite on 127.0.0.1, so an async
framework would add two dependencies and buy nothing. Slow work is not done in the
request threads anyway: SPARQL runs in worker processes (see :mod:`zjkg.server.sparql`).
"""

from __future__ import annotations

import json
import re
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from zjkg import resources
from zjkg.ns import BASE, PREFIXES, report_prefixes
from zjkg.server import pages
from zjkg.server.canned import CannedQueries
from zjkg.server.entities import Lookup
from zjkg.server.sparql import (
    GRAPH_TYPES,
    RESULT_TYPES,
    Answer,
    QueryPool,
    QueryRefused,
    accepted_types,
    check_query,
    choose,
    parse_accept,
    serialize_triples,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rdflib import Graph

VOID_GRAPH = f"{BASE}data/void.ttl"
HTML = "text/html"
PAGE_TYPES = [HTML, *GRAPH_TYPES.values()]
FORMAT_NAMES = {"html": HTML, **GRAPH_TYPES, "turtle": "text/turtle", "json": GRAPH_TYPES[
    "jsonld"], "json-ld": GRAPH_TYPES["jsonld"]}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
_SAFE_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")


@dataclass
class Settings:
    """Limits of one server; every one is a ``zjkg serve`` option."""

    timeout: float = 10.0
    max_results: int = 10_000
    max_query_bytes: int = 16 * 1024
    workers: int = 2
    log_requests: bool = False


class Site:
    """Everything the request handlers share: the store, lookups, workers and pages."""

    def __init__(self, graph: Graph, settings: Settings) -> None:
        import pyoxigraph

        from zjkg.docs import render_docs
        from zjkg.void import describe_dataset

        self.settings = settings
        self.prefixes = {**PREFIXES, **report_prefixes(resources.REPORT_SLUG)}
        description = describe_dataset(graph)
        self.store = pyoxigraph.Store()
        self.store.bulk_load(graph.serialize(format="nt", encoding="utf-8"),
                             pyoxigraph.RdfFormat.N_TRIPLES)
        self.store.bulk_load(description.serialize(format="nt", encoding="utf-8"),
                             pyoxigraph.RdfFormat.N_TRIPLES,
                             to_graph=pyoxigraph.NamedNode(VOID_GRAPH))
        self.lookup = Lookup(self.store)
        from zjkg.turtle import serialize
        from zjkg.void import HEADER

        self.void_turtle = serialize(description, header=HEADER).encode("utf-8")
        self.docs_html = render_docs(link=lambda iri: pages.href(iri)).encode("utf-8")
        self.canned = CannedQueries(self.store)
        nquads = self.store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
        self.pool = QueryPool(nquads, workers=settings.workers, timeout=settings.timeout,
                              max_results=settings.max_results, prefixes=self.prefixes)
        self.static = {item.name: item.read_bytes()
                       for item in (files("zjkg.server") / "static").iterdir()
                       if item.is_file()}

    def close(self) -> None:
        self.pool.close()


class ZjkgServer(ThreadingHTTPServer):
    """The HTTP server; ``url`` is where it listens, ``site`` what it serves."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site) -> None:
        self.site = site
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.site.close()

    def start(self) -> threading.Thread:
        """Serve in a background thread (for tests and embedding); returns the thread."""
        thread = threading.Thread(target=self.serve_forever, daemon=True, name="zjkg-serve")
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def make_server(files: Sequence[Path | str] | None = None, *, graph: Graph | None = None,
                host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0,
                max_results: int = 10_000, max_query_bytes: int = 16 * 1024,
                workers: int = 2, log_requests: bool = False) -> ZjkgServer:
    """A ready, not yet serving, server of ``graph`` or ``files`` (default: shipped graph).

    ``port=0`` picks a free port (see ``server.url``). Call ``serve_forever()`` or
    ``start()``, and ``stop()`` when done; the worker processes stop with it.
    """
    from zjkg.graph import load_graph

    if graph is None:
        graph = load_graph(files) if files else load_graph()
    settings = Settings(timeout=timeout, max_results=max_results,
                        max_query_bytes=max_query_bytes, workers=workers,
                        log_requests=log_requests)
    site = Site(graph, settings)
    try:
        return ZjkgServer((host, port), site)
    except OSError:
        site.close()
        raise


class Handler(BaseHTTPRequestHandler):
    """Routes one request; see the module docstring of :mod:`zjkg.server` for the paths."""

    server: ZjkgServer
    server_version = "zjkg"
    protocol_version = "HTTP/1.1"

    # -- plumbing ----------------------------------------------------------------------

    @property
    def site(self) -> Site:
        return self.server.site

    def log_message(self, format: str, *args: Any) -> None:
        if self.site.settings.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def origin(self) -> str:
        host = self.headers.get("Host", "")
        if _SAFE_HOST.fullmatch(host):
            return f"http://{host}"
        return self.server.url

    def send(self, status: int, media_type: str, body: bytes,
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_answer(self, answer: Answer, extra: dict[str, str] | None = None) -> None:
        self.send(answer.status, answer.media_type, answer.body, {**answer.headers,
                                                                  **(extra or {})})

    def fail(self, status: int, message: str) -> None:
        """An error as HTML for a browser, else as plain text."""
        if HTML in (self.headers.get("Accept") or ""):
            self.send(status, "text/html; charset=utf-8",
                      pages.error_page(status, message, origin=self.origin()))
        else:
            self.send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def params(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    # -- verbs -------------------------------------------------------------------------

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        try:
            self.route(path, self.params())
        except QueryRefused as refused:
            self.fail(refused.status, refused.message)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path != "/sparql":
            self.close_connection = True
            self.fail(405, "only /sparql accepts POST")
            return
        try:
            self.sparql(self.post_params())
        except QueryRefused as refused:
            self.close_connection = True
            self.fail(refused.status, refused.message)

    def do_PUT(self) -> None:
        self.close_connection = True
        self.fail(405, "this server is read-only")

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def post_params(self) -> dict[str, list[str]]:
        """The protocol's parameters from a POST: form fields or a raw query body."""
        length = int(self.headers.get("Content-Length") or 0)
        limit = self.site.settings.max_query_bytes
        if length > 3 * limit + 4096:  # form encoding can triple a query's size
            raise QueryRefused(413, f"the request body is {length} bytes; this endpoint "
                                    f"accepts queries of at most {limit} bytes")
        body = self.rfile.read(length) if length else b""
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self.params()
        if media == "application/x-www-form-urlencoded":
            for name, values in parse_qs(body.decode("utf-8", "replace"),
                                         keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
        elif media == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif media == "application/sparql-update":
            params["update"] = [body.decode("utf-8", "replace")]
        else:
            raise QueryRefused(415, "POST a form (application/x-www-form-urlencoded) or a "
                                    "query (application/sparql-query)")
        return params

    # -- routes ------------------------------------------------------------------------

    def route(self, path: str, params: dict[str, list[str]]) -> None:
        if path in ("/", "/query"):
            self.query_page(params)
        elif path == "/sparql":
            self.sparql(params)
        elif path.startswith("/static/"):
            self.static(path[len("/static/"):])
        elif path == "/queries":
            self.canned_list()
        elif path.startswith("/queries/"):
            self.canned(path[len("/queries/"):], params)
        elif path == "/ontology":
            self.ontology(params)
        elif path in ("/.well-known/void", "/data/void.ttl"):
            self.send(200, "text/turtle; charset=utf-8", self.site.void_turtle)
        elif path == "/data/report2021.ttl":
            self.send(200, "text/turtle; charset=utf-8", resources.data_path().read_bytes())
        elif path == "/ontology/zjkg.ttl":
            self.send(200, "text/turtle; charset=utf-8", resources.ontology_path().read_bytes())
        elif path == "/favicon.ico":
            self.send(204, "image/x-icon", b"")
        else:
            self.resource(path, params)

    def sparql(self, params: dict[str, list[str]]) -> None:
        """The SPARQL 1.1 Protocol: query via GET or POST; updates are refused."""
        if "update" in params:
            raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is not "
                                    "accepted")
        queries = params.get("query", [])
        if not queries:
            if HTML in (self.headers.get("Accept") or ""):
                self.send(303, "text/plain; charset=utf-8", b"see /query\n",
                          {"Location": "/query"})
                return
            raise QueryRefused(400, "give a SPARQL query as the `query` parameter")
        if len(queries) > 1:
            raise QueryRefused(400, "give exactly one `query` parameter")
        query = queries[0]
        check_query(query, max_bytes=self.site.settings.max_query_bytes)
        accepted = accepted_types(self.headers.get("Accept"), _first(params, "format"))
        answer = self.site.pool.run(query, accepted,
                                    default_graphs=params.get("default-graph-uri", []),
                                    named_graphs=params.get("named-graph-uri", []))
        self.send_answer(answer, {"Access-Control-Allow-Origin": "*", "Vary": "Accept"})

    def query_page(self, params: dict[str, list[str]]) -> None:
        examples = self.site.canned.examples()
        query = _first(params, "query") or ""
        selected = _first(params, "example")
        if not query.strip() and selected in examples:
            query = examples[selected][1]
            self._page(query, examples, selected, run=False)
            return
        self._page(query, examples, selected, run=bool(query.strip()))

    def _page(self, query: str, examples: dict[str, tuple[str, str]], selected: str | None,
              *, run: bool) -> None:
        origin = self.origin()
        if not run:
            self.send(200, "text/html; charset=utf-8", pages.query_page(
                query=query or _DEFAULT_QUERY, examples=examples, origin=origin,
                selected=selected))
            return
        status, result, raw, error = 200, None, None, None
        try:
            check_query(query, max_bytes=self.site.settings.max_query_bytes)
            answer = self.site.pool.run(query, [RESULT_TYPES["json"], GRAPH_TYPES["ttl"]])
            status = answer.status
            if answer.status != 200:
                error = answer.body.decode("utf-8", "replace")
            elif answer.media_type.startswith(RESULT_TYPES["json"]):
                result = json.loads(answer.body)
            else:
                raw = answer.body.decode("utf-8", "replace")
        except QueryRefused as refused:
            status, error = refused.status, refused.message
        self.send(status, "text/html; charset=utf-8", pages.query_page(
            query=query, examples=examples, origin=origin, result=result, raw=raw,
            error=error, lookup=self.site.lookup, selected=selected))

    def static(self, name: str) -> None:
        body = self.site.static.get(name)
        if body is None:
            self.fail(404, f"no static file {name!r}")
            return
        media = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}.get(
            name.rsplit(".", 1)[-1], "application/octet-stream")
        self.send(200, media, body, {"Cache-Control": "max-age=3600"})

    def canned_list(self) -> None:
        entries = self.site.canned.entries()
        if choose(parse_accept(self.headers.get("Accept")), [HTML, "application/json"]) == HTML:
            self.send(200, "text/html; charset=utf-8",
                      pages.canned_page(entries, origin=self.origin()))
            return
        self.send(200, "application/json; charset=utf-8",
                  json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))

    def canned(self, name: str, params: dict[str, list[str]]) -> None:
        values = {key: vals[-1] for key, vals in params.items() if key != "format"}
        fmt = (_first(params, "format") or "").lower()
        offered = [RESULT_TYPES["json"], "application/json", "text/csv"]
        media = {"json": RESULT_TYPES["json"], "csv": "text/csv"}.get(fmt) or choose(
            parse_accept(self.headers.get("Accept")), offered)
        if media is None:
            raise QueryRefused(406, "canned queries answer JSON or CSV (?format=json|csv)")
        if media == "application/json":
            media = RESULT_TYPES["json"]
        text = self.site.canned.text(name, values)
        answer = self.site.pool.run(text, [media])
        self.send_answer(answer, {"Access-Control-Allow-Origin": "*", "Vary": "Accept"})

    def ontology(self, params: dict[str, list[str]]) -> None:
        media = self.negotiate(params)
        if media == HTML:
            self.send(200, "text/html; charset=utf-8", self.site.docs_html, {"Vary": "Accept"})
        elif media == "text/turtle":
            self.send(200, "text/turtle; charset=utf-8", resources.ontology_path().read_bytes(),
                      {"Vary": "Accept"})
        else:
            self.machine(f"{BASE}ontology", media)

    def negotiate(self, params: dict[str, list[str]]) -> str:
        fmt = _first(params, "format")
        if fmt:
            media = FORMAT_NAMES.get(fmt.lower())
            if media is None:
                raise QueryRefused(400, "format must be one of html, ttl, jsonld, nt, rdf")
            return media
        media = choose(parse_accept(self.headers.get("Accept")), PAGE_TYPES)
        if media is None:
            raise QueryRefused(406, "available: " + ", ".join(PAGE_TYPES))
        return media

    def resource(self, path: str, params: dict[str, list[str]]) -> None:
        """A dereferenced IRI: BASE + path, as a page or as data."""
        iri = BASE + unquote(path[1:])
        if not path[1:] or not self.site.lookup.exists(iri):
            self.fail(404, f"nothing is known about {iri}")
            return
        media = self.negotiate(params)
        if media == HTML:
            entity = self.site.lookup.entity(iri)
            self.send(200, "text/html; charset=utf-8",
                      pages.entity_page(self.site.lookup, entity, origin=self.origin()),
                      {"Vary": "Accept"})
        else:
            self.machine(iri, media)

    def machine(self, iri: str, media: str) -> None:
        triples = self.site.lookup.describe(iri)
        body = serialize_triples(triples, media, self.site.prefixes)
        charset = "; charset=utf-8" if media != "application/n-triples" else ""
        self.send(200, media + charset, body, {"Vary": "Accept",
                                               "Access-Control-Allow-Origin": "*"})


_DEFAULT_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>

SELECT ?place ?label WHERE {
  ?place a schema:Place ; rdfs:label ?label .
  FILTER(lang(?label) = "en")
}
ORDER BY ?label
LIMIT 20
"""


def _first(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None
