"""The read-only SPARQL engine behind ``/sparql``: checks, worker processes, result formats.

Queries run in worker processes, each with its own in-memory copy of the graph, because a
thread cannot be stopped: a runaway query in a thread would burn a core until the server
exits. A worker that overruns the timeout is killed and replaced. Results are capped at
``max_results`` rows (or triples) and serialized with pyoxigraph's own writers.
"""

from __future__ import annotations

import contextlib
import json
import queue
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Sequence
    from multiprocessing.connection import Connection

    import pyoxigraph

#: Media types of SELECT and ASK results, by the name ``?format=`` may give.
RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Media types of CONSTRUCT and DESCRIBE results, by the name ``?format=`` may give.
GRAPH_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
#: Other names clients send for the same formats.
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/x-json+ld": "application/ld+json",
    "text/plain": "application/n-triples",
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                   "ADD", "WITH"}
#: One lexical token: comments, strings and IRIs are skipped whole, so a keyword inside
#: them (``"SERVICE"``, ``<http://x/LOAD>``) is never mistaken for one.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<word>[?$]?[A-Za-z_][\w\-.]*(?::[\w\-.%]*)?|:[\w\-.%]*)
      | (?P<other>\S)""",
    re.VERBOSE,
)

T = TypeVar("T")


class QueryRefused(Exception):
    """A request the endpoint will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Answer:
    """What a query produced: an HTTP status, a media type, a body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def keywords(query: str) -> list[str]:
    """The bare words of ``query`` in upper case, outside comments, strings and IRIs."""
    words = []
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "word":
            word = match.group("word")
            if not word.startswith(("?", "$")) and ":" not in word:
                words.append(word.upper())
        elif match.lastgroup == "iri":
            words.append("<IRI>")
    return words


def check_query(query: str, *, max_bytes: int) -> None:
    """Refuse what a read-only public endpoint must not run; return quietly otherwise.

    Raises :class:`QueryRefused`: 413 for an over-long query, 403 for SPARQL Update
    (INSERT, DELETE, LOAD, ...) and for federated queries (SERVICE), 400 when empty.
    """
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise QueryRefused(413, f"the query is {size} bytes long; this endpoint accepts at "
                                f"most {max_bytes} bytes")
    if not query.strip():
        raise QueryRefused(400, "the query is empty")
    # SPARQL lets \u escapes stand for any character; check the text both ways.
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    words = keywords(query) + (keywords(decoded) if decoded != query else [])
    index = 0
    while index < len(words) and words[index] in {"BASE", "PREFIX"}:
        index += 2  # BASE <iri>, or PREFIX pname: <iri> (the pname is not a bare word)
    form = words[index] if index < len(words) else ""
    if form in UPDATE_KEYWORDS or any(w in {"INSERT", "DELETE", "LOAD"} for w in words):
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, "
                                "LOAD, CLEAR, ...) is not accepted")
    if "SERVICE" in words:
        raise QueryRefused(403, "federated queries (SERVICE) are not accepted by this endpoint")


def parse_accept(header: str | None) -> list[str]:
    """Media types from an Accept header, best first (by q, then as listed); q=0 dropped."""
    if not header:
        return ["*/*"]
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, position, ALIASES.get(media, media)))
    return [media for _, _, media in sorted(ranked)] or ["*/*"]


def choose(accepted: list[str], offered: list[str]) -> str | None:
    """The first of ``accepted`` that one of ``offered`` satisfies (wildcards allowed)."""
    for media in accepted:
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            kind = media[:-1]
            for candidate in offered:
                if candidate.startswith(kind):
                    return candidate
    return None


def accepted_types(accept: str | None, format_name: str | None) -> list[str]:
    """The ranked media types a request asks for; a known ``?format=`` beats the Accept
    header (clients such as SPARQLWrapper send names like ``n3`` too: unknown ones are
    ignored, and the header decides)."""
    ranked = parse_accept(accept)
    if not format_name:
        return ranked
    name = format_name.lower()
    if name == "json":
        return [RESULT_TYPES["json"], GRAPH_TYPES["jsonld"]]
    if name == "n3":
        return [GRAPH_TYPES["ttl"], *ranked]
    media = RESULT_TYPES.get(name) or GRAPH_TYPES.get(name) or ALIASES.get(name, name)
    known = set(RESULT_TYPES.values()) | set(GRAPH_TYPES.values())
    return [media, *ranked] if media in known else ranked


# ---------------------------------------------------------------------------------------
# Running a query (in a worker process, or in-process for trusted page queries)
# ---------------------------------------------------------------------------------------

def execute(store: pyoxigraph.Store, query: str, accepted: list[str], *, max_results: int,
            default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
            prefixes: dict[str, str] | None = None) -> Answer:
    """Run ``query`` on ``store`` and serialize the result in the best accepted format."""
    import pyoxigraph

    options: dict[str, Any] = {}
    if default_graphs:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(query, **options)
    except SyntaxError as exc:
        return Answer(400, "text/plain; charset=utf-8", f"syntax error: {exc}".encode())
    except (OSError, ValueError) as exc:
        return Answer(400, "text/plain; charset=utf-8", f"query failed: {exc}".encode())
    try:
        if isinstance(result, pyoxigraph.QueryBoolean):
            return _boolean(result, accepted)
        if isinstance(result, pyoxigraph.QuerySolutions):
            return _solutions(result, accepted, max_results)
        return _triples(result, accepted, max_results, prefixes or {})
    except (OSError, ValueError, RuntimeError) as exc:  # evaluation errors surface here
        return Answer(400, "text/plain; charset=utf-8", f"query failed: {exc}".encode())


def _not_acceptable(offered: list[str]) -> Answer:
    text = "none of the requested media types is available here; try: " + ", ".join(offered)
    return Answer(406, "text/plain; charset=utf-8", text.encode())


def _results_format(media: str) -> pyoxigraph.QueryResultsFormat:
    import pyoxigraph

    return pyoxigraph.QueryResultsFormat.from_media_type(media)


def _boolean(result: pyoxigraph.QueryBoolean, accepted: list[str]) -> Answer:
    offered = list(RESULT_TYPES.values())
    media = choose(accepted, offered)
    if media is None:
        return _not_acceptable(offered)
    return Answer(200, _with_charset(media), result.serialize(format=_results_format(media)))


def _term_json(term: Any) -> dict[str, Any]:
    """A term as SPARQL 1.1 JSON results write it."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                        "predicate": _term_json(term.predicate),
                                        "object": _term_json(term.object)}}


def _solutions(result: pyoxigraph.QuerySolutions, accepted: list[str],
               max_results: int) -> Answer:
    import pyoxigraph

    offered = list(RESULT_TYPES.values())
    media = choose(accepted, offered)
    if media is None:
        return _not_acceptable(offered)
    names = [v.value for v in result.variables]
    solutions, truncated = _capped(result, max_results)
    bindings = [
        {name: _term_json(solution[name]) for name in names if solution[name] is not None}
        for solution in solutions
    ]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if media != RESULT_TYPES["json"]:
        parsed = pyoxigraph.parse_query_results(document, format=_results_format(RESULT_TYPES[
            "json"]))
        document = parsed.serialize(format=_results_format(media))
    headers = {"X-Result-Count": str(len(bindings))}
    if truncated:
        headers["X-Results-Truncated"] = f"true; max-results={max_results}"
    return Answer(200, _with_charset(media), document, headers)


def _capped(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """At most ``limit`` items, and whether there were more."""
    taken: list[T] = []
    for item in items:
        if len(taken) >= limit:
            return taken, True
        taken.append(item)
    return taken, False


def _triples(result: pyoxigraph.QueryTriples, accepted: list[str], max_results: int,
             prefixes: dict[str, str]) -> Answer:
    offered = list(GRAPH_TYPES.values())
    media = choose(accepted, offered)
    if media is None:
        return _not_acceptable(offered)
    triples, truncated = _capped(result, max_results)
    headers = {"X-Result-Count": str(len(triples))}
    if truncated:
        headers["X-Results-Truncated"] = f"true; max-results={max_results}"
    return Answer(200, _with_charset(media), serialize_triples(triples, media, prefixes),
                  headers)


def serialize_triples(triples: list[Any], media: str, prefixes: dict[str, str]) -> bytes:
    """Triples in ``media``; Turtle gets only the prefixes its IRIs use."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat.from_media_type(media)
    used = {}
    if media == "text/turtle":
        iris = set()
        for triple in triples:
            for term in (triple.subject, triple.predicate, triple.object):
                if isinstance(term, pyoxigraph.NamedNode):
                    iris.add(term.value)
                elif isinstance(term, pyoxigraph.Literal):
                    iris.add(term.datatype.value)
        for name, namespace in prefixes.items():
            if any(iri.startswith(namespace) for iri in iris):
                used[name] = namespace
    return pyoxigraph.serialize(triples, format=fmt, prefixes=used) or b""


def _with_charset(media: str) -> str:
    if media.startswith("text/") or media.endswith("json") or media.endswith("xml"):
        return f"{media}; charset=utf-8"
    return media


# ---------------------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------------------

def worker_loop(inbox: Connection, outbox: Connection) -> None:
    """Body of a worker process: load the graph it is sent, then answer jobs until told to
    stop (``None``) or until the pipe closes."""
    import pyoxigraph

    nquads, max_results, prefixes = inbox.recv()
    store = pyoxigraph.Store()
    store.bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
    del nquads
    outbox.send("ready")
    while True:
        try:
            job = inbox.recv()
        except EOFError:
            return
        if job is None:
            return
        query, accepted, default_graphs, named_graphs = job
        outbox.send(execute(store, query, accepted, max_results=max_results,
                            default_graphs=default_graphs, named_graphs=named_graphs,
                            prefixes=prefixes))


class _Worker:
    """One worker process (``python -m zjkg.server.worker``) and the two pipes to it.

    A plain subprocess, not :mod:`multiprocessing`: its "spawn" start re-imports the
    parent's ``__main__``, which breaks any unguarded script that embeds the server.
    """

    def __init__(self, init: tuple[bytes, int, dict[str, str]]) -> None:
        import os
        import subprocess
        import sys
        from multiprocessing.connection import Connection
        from pathlib import Path

        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root,
                                                          env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zjkg.server.worker", str(to_child_read),
             str(from_child_write)],
            pass_fds=(to_child_read, from_child_write), stdin=subprocess.DEVNULL, env=env)
        os.close(to_child_read)
        os.close(from_child_write)
        self.inbox = Connection(from_child_read, writable=False)
        self.outbox = Connection(to_child_write, readable=False)
        self.outbox.send(init)

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.inbox.poll(timeout) and self.inbox.recv() == "ready"
        except (EOFError, OSError):
            return False

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.outbox.send(None)
        for pipe in (self.inbox, self.outbox):
            pipe.close()
        try:
            self.process.wait(timeout=2)
        except Exception:  # still busy: a runaway query
            self.process.kill()
            self.process.wait(timeout=5)

    def kill(self) -> None:
        self.process.kill()
        self.stop()


class QueryPool:
    """A few worker processes that run queries under a timeout; a stuck one is replaced.

    ``run`` answers 503 when the query overruns ``timeout`` seconds, or when every worker
    stays busy for that long.
    """

    def __init__(self, nquads: bytes, *, workers: int = 2, timeout: float = 10.0,
                 max_results: int = 10_000, prefixes: dict[str, str] | None = None) -> None:
        self.timeout = timeout
        self.max_results = max_results
        self._init = (nquads, max_results, prefixes or {})
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [self._spawn() for _ in range(max(1, workers))]
        for worker in starting:
            if not worker.wait_ready(120):
                self.close()
                raise RuntimeError("a SPARQL worker process did not start")
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._init)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, dead: _Worker) -> None:
        dead.kill()
        with self._lock:
            self._all.discard(dead)
            if self._closed:
                return
        worker = self._spawn()
        if worker.wait_ready(120) and not self._closed:
            self._idle.put(worker)
        else:
            worker.kill()

    def run(self, query: str, accepted: list[str], *, default_graphs: Sequence[str] = (),
            named_graphs: Sequence[str] = ()) -> Answer:
        """Run ``query`` in a worker and return its answer (503 on timeout or overload)."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer(503, "text/plain; charset=utf-8",
                          b"the server is busy with other queries; try again later",
                          {"Retry-After": "5"})
        try:
            worker.outbox.send((query, accepted, list(default_graphs), list(named_graphs)))
            if worker.inbox.poll(self.timeout):
                answer: Answer = worker.inbox.recv()
                self._idle.put(worker)
                return answer
        except (OSError, EOFError):
            pass
        threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
        message = (f"the query did not finish within {self.timeout:g} seconds and was "
                   "stopped; narrow it down or add a LIMIT")
        return Answer(503, "text/plain; charset=utf-8", message.encode(), {"Retry-After": "1"})

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
