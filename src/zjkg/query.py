"""Canned and ad-hoc SPARQL over the knowledge graph: ``zjkg.query(name, **params)``.

The library behind ``zjkg query`` and ``zjkg sparql``. The module itself is callable as
:func:`query`, because ``zjkg.query`` is at once this module and the function.

>>> import zjkg
>>> rows = zjkg.query("programs-in-place", place="Hangzhou")      # doctest: +SKIP
>>> frame = zjkg.query_frame("indicator-trajectory")                  # doctest: +SKIP

Queries run on pyoxigraph unless ``engine="rdflib"`` or an ``endpoint`` URL is given. A
parameter is parsed into an RDF term of its declared type (an entity name is resolved to
its IRI first, see :mod:`zjkg.query_resolve`) and handed to the engine as a binding; it
is never pasted into the query text. Mistakes - an unknown query or parameter, a missing
one, a name that matches nothing or several things - raise :class:`~zjkg.errors.InputError`
(exit code 2) with the valid choices.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zjkg.errors import InputError
from zjkg.query_catalog import CannedQuery, Param, load_catalog, parse_query_file
from zjkg.results import PREFIXES, XSD, Result, Term

if TYPE_CHECKING:
    import pandas

    from zjkg.query_engines import Engine

__all__ = ["Result", "get_query", "list_queries", "query", "query_frame", "run", "sparql"]

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def list_queries() -> list[CannedQuery]:
    """Every canned query, sorted by name."""
    return list(load_catalog().values())


def get_query(name: str) -> CannedQuery:
    """The canned query called ``name``; reads only that file, so a single run stays fast."""
    from zjkg.resources import queries_dir

    path = queries_dir() / f"{name}.rq"
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", name) or not path.is_file():
        names = sorted(p.stem for p in queries_dir().glob("*.rq"))
        raise InputError(f"unknown query {name!r}",
                         hint=f"valid queries: {', '.join(names)} (see `zjkg query --list`)")
    return parse_query_file(path)


def query(name: str, /, *, engine: str = "oxigraph", endpoint: str | None = None,
          **params: Any) -> Result:
    """Run the canned query ``name`` with ``params``; returns a :class:`Result`.

    Iterating the result gives one dict of Python values per row; ``.columns`` names them
    and ``.terms`` keeps the RDF terms. ``engine`` is ``oxigraph`` or ``rdflib``;
    ``endpoint`` runs the query on a remote SPARQL 1.1 endpoint instead.
    """
    return run(get_query(name), params, engine=engine, endpoint=endpoint)


def query_frame(name: str, /, *, engine: str = "oxigraph", endpoint: str | None = None,
                **params: Any) -> pandas.DataFrame:
    """Like :func:`query`, as a pandas DataFrame; raises ImportError without pandas."""
    return query(name, engine=engine, endpoint=endpoint, **params).to_frame()


def sparql(text: str, *, engine: str = "oxigraph", endpoint: str | None = None) -> Result:
    """Run ad-hoc SPARQL; zjkg's prefixes are predeclared for any the text does not declare."""
    from zjkg.query_engines import get_engine

    return get_engine(engine, endpoint).run(text, {}, prefixes=PREFIXES)


def run(canned: CannedQuery, params: Mapping[str, Any], *, engine: str = "oxigraph",
        endpoint: str | None = None) -> Result:
    """Run ``canned`` with ``params`` (strings or Python values) on the chosen engine."""
    from zjkg.query_engines import get_engine

    runner = get_engine(engine, endpoint)
    bindings = bind(canned, params, runner)
    result = runner.run(canned.text, bindings)
    if canned.form == "SELECT" and tuple(result.columns) != canned.columns:
        from zjkg.errors import DataError

        raise DataError(f"query {canned.name} returned columns {', '.join(result.columns)} "
                        f"but its header lists {', '.join(canned.columns)}")
    return result


def bind(canned: CannedQuery, params: Mapping[str, Any], engine: Engine) -> dict[str, Term]:
    """The RDF term of each given or defaulted parameter, checked against the header."""
    unknown = sorted(set(params) - {p.name for p in canned.params})
    if unknown:
        valid = ", ".join(p.signature() for p in canned.params) or "none"
        raise InputError(f"query {canned.name} has no parameter {unknown[0]!r}",
                         hint=f"its parameters: {valid}")
    bindings: dict[str, Term] = {}
    for param in canned.params:
        value = params.get(param.name)
        if value is None:
            value = param.default
        if value is None:
            if param.required:
                raise InputError(f"query {canned.name} needs parameter {param.name!r}",
                                 hint=f"give {param.name}=VALUE: {param.signature()}"
                                      f"{', ' + param.doc if param.doc else ''}")
            continue
        bindings[param.name] = to_term(param, value, engine)
    return bindings


def to_term(param: Param, value: Any, engine: Engine) -> Term:
    """``value`` as the RDF term ``param``'s type asks for; a bad value is an InputError."""
    text = value if isinstance(value, str) else str(value)
    where = f"parameter {param.name}"
    if param.type == "entity":
        from zjkg.query_resolve import resolver_for

        return Term.iri(resolver_for(engine).resolve(text, classes=param.classes,
                                                     param=param.name))
    if param.type == "string":
        if param.required and not text.strip():
            raise InputError(f"{where} needs a non-empty value")
        return Term.literal(text)
    if param.type == "integer":
        if isinstance(value, bool) or not re.fullmatch(r"\s*[-+]?\d+\s*", text):
            raise InputError(f"{where} must be an integer, not {text!r}")
        return Term.literal(str(int(text)), XSD + "integer")
    if param.type == "decimal":
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or isinstance(value, bool):
            raise InputError(f"{where} must be a decimal number, not {text!r}")
        return Term.literal(str(number), XSD + "decimal")
    if param.type == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) or _IRI_FORBIDDEN.search(text):
            raise InputError(f"{where} must be an absolute IRI, not {text!r}")
        return Term.iri(text)
    raise InputError(f"{where} has an unknown type {param.type!r}")  # the catalog forbids it


def read_query_argument(argument: str) -> str:
    """The SPARQL text of ``zjkg sparql``'s argument: a file, ``-`` for stdin, or the text."""
    import sys

    if argument == "-":
        return sys.stdin.read()
    if "\n" not in argument and len(argument) < 4096:
        path = Path(argument)
        if path.is_file():
            return path.read_text(encoding="utf-8")
        if re.fullmatch(r"[\w./\\-]+\.(rq|sparql|txt)", argument):
            raise InputError("no such file", path=argument,
                             hint="give a readable query file, SPARQL text, or - for stdin")
    return argument


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`query`.

    ``zjkg.query`` names both this module and the function: once the module is imported,
    Python makes the package attribute the module, so calling it must run the query.
    """

    def __call__(self, name: str, /, *, engine: str = "oxigraph", endpoint: str | None = None,
                 **params: Any) -> Result:
        return query(name, engine=engine, endpoint=endpoint, **params)


sys.modules[__name__].__class__ = _CallableModule
