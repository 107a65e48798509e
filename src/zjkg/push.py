"""``zjkg push``: upload the graph to any SPARQL 1.1 Graph Store Protocol store and check it.

The upload is one HTTP PUT (replace) or POST (merge) of Turtle or N-Triples to
``URL?graph=IRI`` or ``URL?default``. The check is a SPARQL ``COUNT`` on the store's query
endpoint: a store that silently dropped or merged triples is caught there, not later.
Only the standard library talks HTTP, so pushing needs no extra package.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zjkg.errors import DataError, InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rdflib import Graph

MEDIA_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples"}
#: Known Graph Store endpoint layouts: (path pattern, query endpoint path replacement).
QUERY_LAYOUTS: list[tuple[str, str, str]] = [
    (r"/store/?$", "/query", "Oxigraph: /store and /query"),
    (r"/rdf-graphs/service/?$", "", "RDF4J and GraphDB: /repositories/ID/rdf-graphs/service"),
    (r"/statements/?$", "", "RDF4J: /repositories/ID/statements"),
    (r"/sparql-graph-crud(-auth)?/?$", "/sparql", "Virtuoso: /sparql-graph-crud and /sparql"),
    (r"/data/?$", "/query", "Fuseki: /DATASET/data and /DATASET/query"),
]


@dataclass
class PushReport:
    """What a push did: where it went and how many triples were sent and found there."""

    store_url: str
    query_endpoint: str
    graph: str | None
    media_type: str
    method: str
    status: int
    sent: int
    found: int

    @property
    def ok(self) -> bool:
        return self.sent == self.found


def query_endpoint_for(endpoint: str) -> str:
    """The query endpoint that goes with a Graph Store ``endpoint``, by known layouts.

    Raises :class:`InputError` when the layout is unknown (give ``--query-endpoint``).
    """
    parts = urllib.parse.urlsplit(endpoint)
    for pattern, replacement, _ in QUERY_LAYOUTS:
        if re.search(pattern, parts.path):
            path = re.sub(pattern, replacement, parts.path) or "/"
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    known = "; ".join(note for _, _, note in QUERY_LAYOUTS)
    raise InputError(f"cannot tell the query endpoint of {endpoint}",
                     hint=f"give --query-endpoint URL (known layouts: {known})")


def store_url(endpoint: str, graph: str | None) -> str:
    """``endpoint`` addressed at a named graph (``?graph=IRI``) or the default (``?default``)."""
    glue = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    if graph is None:
        return f"{endpoint}{glue}default"
    return f"{endpoint}{glue}{urllib.parse.urlencode({'graph': graph})}"


def count_triples(query_endpoint: str, graph: str | None, *, timeout: float = 60.0) -> int:
    """The number of triples the store holds in ``graph`` (or its default graph)."""
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    request = urllib.request.Request(query_endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json", "User-Agent": "zjkg"})
    data = _send(request, timeout, what="the count query")
    try:
        bindings = json.loads(data)["results"]["bindings"]
        return int(bindings[0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(f"the store's answer to the count query is not SPARQL JSON: "
                         f"{data[:200]!r}", path=query_endpoint) from exc


def push(endpoint: str, *, graph: str | None = None, query_endpoint: str | None = None,
         files: Sequence[Path | str] | None = None, rdf_graph: Graph | None = None,
         rdf_format: str = "turtle", method: str = "PUT", timeout: float = 60.0) -> PushReport:
    """Upload ``rdf_graph`` (default: ``files``, else the shipped graph) and count it there.

    ``method`` PUT replaces the graph, POST adds to it (the count then checks at least the
    upload's size). Returns a :class:`PushReport`; raises :class:`DataError` when the
    store holds a different number of triples, :class:`InputError` when it cannot be
    reached or refuses the upload.
    """
    from zjkg.graph import load_graph

    if rdf_format not in MEDIA_TYPES:
        raise InputError(f"unknown format {rdf_format!r}",
                         hint=f"use one of {', '.join(MEDIA_TYPES)}")
    method = method.upper()
    if method not in ("PUT", "POST"):
        raise InputError(f"unknown method {method!r}", hint="use PUT (replace) or POST (add)")
    if not re.match(r"^https?://", endpoint):
        raise InputError(f"not an HTTP(S) URL: {endpoint!r}",
                         hint="give the store as http://host:port/path")
    source = rdf_graph if rdf_graph is not None else (load_graph(files) if files
                                                       else load_graph())
    query_url = query_endpoint or query_endpoint_for(endpoint)
    payload = source.serialize(format=rdf_format, encoding="utf-8")
    media = MEDIA_TYPES[rdf_format]
    target = store_url(endpoint, graph)
    request = urllib.request.Request(target, data=payload, method=method, headers={
        "Content-Type": f"{media}; charset=utf-8" if rdf_format == "turtle" else media,
        "User-Agent": "zjkg"})
    status = _send(request, timeout, what=f"the {method} upload", status_only=True)
    found = count_triples(query_url, graph, timeout=timeout)
    report = PushReport(store_url=target, query_endpoint=query_url, graph=graph,
                        media_type=media, method=method, status=int(status), sent=len(source),
                        found=found)
    if (method == "PUT" and found != report.sent) or found < report.sent:
        raise DataError(f"sent {report.sent} triples to {target} but the store's query "
                        f"endpoint {query_url} counts {found}")
    return report


def _send(request: urllib.request.Request, timeout: float, *, what: str,
          status_only: bool = False) -> bytes | int:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status if status_only else response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise InputError(f"{what} failed: HTTP {exc.code} {detail}",
                         path=request.full_url) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise InputError(f"{what} failed: cannot reach the store: {exc}",
                         path=request.full_url,
                         hint="check the URL and that the store is running") from exc
