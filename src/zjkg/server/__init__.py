"""The local server behind ``zjkg serve``.

Paths (every IRI ``https://w3id.org/zjkg/X`` is served at ``/X``):

- ``/`` and ``/query``: the query page (a SPARQL editor with the canned queries);
- ``/sparql``: the SPARQL 1.1 Protocol endpoint, read-only (GET, POST form or query);
- ``/queries`` and ``/queries/NAME?param=...``: the canned queries, as JSON or CSV;
- ``/ontology``: the ontology's documentation (HTML) or its Turtle, by Accept;
- ``/.well-known/void``, ``/data/void.ttl``, ``/data/report2021.ttl``,
  ``/ontology/zjkg.ttl``: the dataset description and the dumps;
- any other path: the entity page of its IRI (HTML, Turtle, JSON-LD or N-Triples), or 404.

Modules: :mod:`.app` (HTTP), :mod:`.sparql` (checks, workers, formats), :mod:`.entities`
(lookups), :mod:`.pages` (HTML), :mod:`.canned` (canned queries), :mod:`.worker` (the
worker process). This package imports nothing heavy itself, so a worker starts fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["make_server"]


def __getattr__(name: str) -> Any:
    if name == "make_server":
        from zjkg.server.app import make_server

        return make_server
    raise AttributeError(name)
