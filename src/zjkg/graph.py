"""Loading the knowledge graph: the shipped ontology and data, or files a user names.

Two loaders for two engines: :func:`load_graph` gives an rdflib graph (validation, exports,
networks); :func:`load_store` gives a pyoxigraph store (fast SPARQL). Both report a syntax
error with file and line as :class:`~zjkg.errors.InputError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zjkg import resources
from zjkg.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
OXIGRAPH_FORMATS = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}


def default_files(*, ontology: bool = True, data: bool = True) -> list[Path]:
    """The shipped files: the ontology (with its code lists) and the report's data."""
    files = []
    if ontology:
        files.append(resources.ontology_path())
    if data:
        files.append(resources.data_path())
    return files


def rdf_format(path: Path) -> str:
    """The rdflib format name for ``path``, by its suffix (Turtle when unknown)."""
    return FORMATS.get(path.suffix.lower(), "turtle")


def _existing(files: Iterable[Path | str]) -> list[Path]:
    paths = [Path(f) for f in files]
    for path in paths:
        if not path.is_file():
            raise InputError("no such file", path=str(path),
                             hint="check the path, or omit FILES to use the shipped graph")
    return paths


def load_graph(files: Sequence[Path | str] | None = None, *, ontology: bool = True) -> Graph:
    """An rdflib graph of ``files`` (default: the shipped ontology and data).

    With ``files`` given, the ontology is added too unless ``ontology`` is false, so that
    labels of classes and codes are at hand.
    """
    from rdflib import Graph

    from zjkg.ns import PREFIXES

    paths = _existing(files) if files else default_files()
    if files and ontology:
        paths = [resources.ontology_path(), *paths]
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for path in paths:
        try:
            graph.parse(path, format=rdf_format(path))
        except Exception as exc:  # rdflib raises many types for bad syntax
            raise InputError(f"cannot parse {rdf_format(path)}: {_message(exc)}",
                             path=str(path), line=_line_of(exc),
                             hint="fix the syntax at that line") from exc
    return graph


def load_store(
    files: Sequence[Path | str] | None = None, *, graph: str | None = None
) -> pyoxigraph.Store:
    """An in-memory pyoxigraph store of ``files`` (default: shipped ontology and data).

    With ``graph``, the triples go into that named graph instead of the default graph.
    """
    import pyoxigraph

    store = pyoxigraph.Store()
    add_to_store(store, files or default_files(), graph=graph)
    return store


def add_to_store(
    store: pyoxigraph.Store, files: Sequence[Path | str], *, graph: str | None = None
) -> None:
    """Load ``files`` into ``store``, reporting syntax errors with file and line."""
    import pyoxigraph

    target = pyoxigraph.NamedNode(graph) if graph else pyoxigraph.DefaultGraph()
    for path in _existing(files):
        fmt = rdf_format(path)
        if fmt not in OXIGRAPH_FORMATS:
            for triple in pyoxigraph.parse(_as_ntriples(path), pyoxigraph.RdfFormat.N_TRIPLES):
                store.add(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, target))
            continue
        try:
            store.bulk_load(path=str(path),
                            format=pyoxigraph.RdfFormat.from_media_type(OXIGRAPH_FORMATS[fmt]),
                            base_iri=path.resolve().as_uri(), to_graph=target)
        except SyntaxError as exc:
            raise InputError(f"cannot parse {fmt}: {exc.msg}", path=str(path),
                             line=exc.lineno, hint="fix the syntax at that line") from exc


def _as_ntriples(path: Path) -> bytes:
    """Formats read through rdflib: JSON-LD, and quad formats, whose graphs are merged."""
    graph = load_graph([path], ontology=False)
    return graph.serialize(format="nt", encoding="utf-8")


def _message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(part.strip() for part in text[:3]) if text else type(exc).__name__


def _line_of(exc: Exception) -> int | None:
    for attribute in ("lines", "lineno", "line"):
        value = getattr(exc, attribute, None)
        if isinstance(value, int):
            return value
    match = re.search(r"line (\d+)|(\d+):\d+", str(exc))
    if match:
        return int(match.group(1) or match.group(2))
    return None
