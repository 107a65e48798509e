"""The canned queries (``queries/*.rq``) as the server offers them: examples and GET routes.

The query library owns the header format (:mod:`zjkg.query_catalog`) and parameter
binding (:func:`zjkg.query.bind`, :func:`zjkg.query_engines.inject_values`: names resolved
to IRIs, values written as a ``VALUES`` block, never pasted). This module asks it for the
bound text and hands that to the server's worker processes, so the timeout and row cap
apply to canned queries as to any other.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zjkg.errors import ZjkgError
from zjkg.server.sparql import QueryRefused

if TYPE_CHECKING:
    import pyoxigraph

    from zjkg.query_catalog import CannedQuery

_NAME = re.compile(r"[a-z0-9][a-z0-9\-]*")


class CannedQueries:
    """The shipped canned queries, read once; entity names resolve against ``store``."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        from zjkg.query import list_queries
        from zjkg.query_engines import OxigraphEngine

        self.engine = OxigraphEngine(store)
        self.queries: dict[str, CannedQuery] = {q.name: q for q in list_queries()}
        self._examples: dict[str, tuple[str, str]] | None = None

    def examples(self) -> dict[str, tuple[str, str]]:
        """name -> (title, text with the header's example values bound) for the editor."""
        if self._examples is None:
            examples = {}
            for name, canned in self.queries.items():
                try:
                    text = self.text(name, dict(canned.example))
                except QueryRefused:
                    text = canned.text
                examples[name] = (canned.title, text)
            self._examples = examples
        return self._examples

    def entries(self) -> list[dict[str, Any]]:
        """Name, title, description, parameters and example of every canned query."""
        return [{"name": q.name, "title": q.title, "description": q.description,
                 "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                                 "default": p.default, "doc": p.doc} for p in q.params],
                 "columns": list(q.columns), "example": dict(q.example)}
                for q in self.queries.values()]

    def text(self, name: str, values: dict[str, str]) -> str:
        """The query text of ``name`` with ``values`` bound.

        Raises :class:`QueryRefused`: 404 for an unknown query, 400 for a bad parameter.
        """
        from zjkg.query import bind
        from zjkg.query_engines import inject_values

        canned = self.queries.get(name) if _NAME.fullmatch(name) else None
        if canned is None:
            raise QueryRefused(404, f"no canned query {name!r}; see /queries")
        try:
            bindings = bind(canned, values, self.engine)
            return inject_values(canned.text, bindings) if bindings else canned.text
        except ZjkgError as exc:
            raise QueryRefused(400, str(exc)) from exc
