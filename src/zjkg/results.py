"""Query results that do not depend on the engine that produced them, and their formats.

Every engine (pyoxigraph, rdflib, a remote endpoint) hands back :class:`Term` values in one
canonical form (decimals in their shortest form, plain literals without ``xsd:string``,
lower-case language tags), so that the same query gives byte-identical output on each.

Formats: ``table`` (for people: prefixed names, long cells cut), ``csv`` and ``tsv`` (the
SPARQL 1.1 CSV and TSV results formats), ``json`` (SPARQL 1.1 JSON results), and ``ttl`` and
``jsonld``. A CONSTRUCT result is a graph and is written as such; a SELECT table is written
with the W3C result-set vocabulary (``rs:``, http://www.w3.org/2001/sw/DataAccess/tests/
result-set#): one ``rs:ResultSet`` with its ``rs:resultVariable`` names and one
``rs:solution`` per row holding ``rs:index`` (1-based row number) and one ``rs:binding``
(``rs:variable``, ``rs:value``) per bound cell. A CONSTRUCT in a table, csv, tsv or json is
three columns, ``subject``, ``predicate`` and ``object``, one sorted row per triple.

This module must not import rdflib: ``zjkg query`` on pyoxigraph never loads it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import TYPE_CHECKING, Any

from zjkg.prefixes import PREFIXES, REPORT, report_prefixes

if TYPE_CHECKING:
    import pandas

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
FORMATS = ("table", "csv", "tsv", "json", "jsonld", "ttl")

#: The report's own short prefixes, for display only.
REPORT_PREFIXES: dict[str, str] = report_prefixes(REPORT)
_INTEGER_TYPES = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
_FLOAT_TYPES = {XSD + "double", XSD + "float"}
_TABLE_CELL = 60


@dataclass(frozen=True, slots=True)
class Term:
    """One RDF term as SPARQL JSON results describe it: ``uri``, ``literal`` or ``bnode``."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        """A literal in canonical form, whichever engine wrote it."""
        if lang:
            return cls("literal", value, None, lang.lower())
        if datatype in (None, XSD + "string", RDF_LANGSTRING):
            return cls("literal", value)
        return cls("literal", canonical_lexical(value, datatype), datatype)

    def n3(self) -> str:
        """The term in N-Triples syntax (also valid Turtle and SPARQL)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + _escape(self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype:
            return f"{text}^^<{self.datatype}>"
        return text

    def python(self) -> Any:
        """The term as a Python value: IRIs as ``str``, typed literals as numbers or dates."""
        if self.kind != "literal" or self.datatype is None:
            return self.value if self.kind != "bnode" else f"_:{self.value}"
        try:
            if self.datatype in _INTEGER_TYPES:
                return int(self.value)
            if self.datatype == XSD + "decimal":
                return Decimal(self.value)
            if self.datatype in _FLOAT_TYPES:
                return float(self.value)
            if self.datatype == XSD + "boolean":
                return self.value in ("true", "1")
            if self.datatype == XSD + "date":
                return _dt.date.fromisoformat(self.value)
            if self.datatype == XSD + "dateTime":
                return _dt.datetime.fromisoformat(self.value.replace("Z", "+00:00"))
        except ValueError:
            pass
        return self.value

    def sparql_json(self) -> dict[str, str]:
        """The term as one binding of SPARQL 1.1 JSON results."""
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    @classmethod
    def from_sparql_json(cls, data: dict[str, str]) -> Term:
        kind = data["type"]
        if kind == "typed-literal":  # SPARQL 1.0 JSON, still sent by some endpoints
            kind = "literal"
        if kind == "literal":
            return cls.literal(data["value"], data.get("datatype"), data.get("xml:lang"))
        return cls(kind, data["value"])


def canonical_lexical(value: str, datatype: str) -> str:
    """One lexical form per number, so engines that write ``2.0`` or ``2`` agree."""
    try:
        if datatype in _INTEGER_TYPES:
            return str(int(value))
        if datatype == XSD + "decimal":
            number = Decimal(value).normalize()
            text = format(number, "f")
            return "0" if text in ("-0", "0") else text
        if datatype in _FLOAT_TYPES:
            return repr(float(value))
        if datatype == XSD + "boolean":
            return "true" if value.strip() in ("true", "1") else "false"
    except (ValueError, InvalidOperation):
        pass
    return value


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


@dataclass
class Result:
    """A query's answer: ``columns`` and one tuple of terms (``None`` when unbound) per row.

    Iterating gives :attr:`rows`, dicts of Python values; ``kind`` is ``select``,
    ``construct`` (columns subject, predicate, object) or ``ask`` (``boolean`` is set).
    """

    columns: list[str]
    terms: list[tuple[Term | None, ...]] = field(default_factory=list)
    kind: str = "select"
    boolean: bool | None = None

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """Each row as a dict of Python values (``None`` when unbound); computed once."""
        return [{name: (term.python() if term is not None else None)
                 for name, term in zip(self.columns, row, strict=True)} for row in self.terms]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def to_frame(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (pandas is optional, hence imported here)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("zjkg.query_frame needs pandas, which is not installed: "
                              "run `pip install pandas`, or use zjkg.query for plain rows"
                              ) from exc
        return pandas.DataFrame(self.rows, columns=self.columns)


def construct_result(triples: Sequence[tuple[Term, Term, Term]]) -> Result:
    """A CONSTRUCT answer, deduplicated and sorted so both engines list it alike."""
    unique = sorted(set(triples), key=lambda t: tuple(part.n3() for part in t))
    return Result(["subject", "predicate", "object"], list(unique), kind="construct")


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------

def render(result: Result, fmt: str) -> str:
    """``result`` written in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    writers = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json,
               "ttl": to_turtle, "jsonld": to_jsonld}
    return writers[fmt](result)


def shorten(iri: str) -> str:
    """``iri`` as a prefixed name when a known namespace holds it, else ``<iri>``.

    For people only (tables, messages): the local part may hold ``/`` (``r:part-1/item-5``),
    which Turtle would have to escape.
    """
    best = ""
    best_prefix = ""
    for prefix, namespace in (*PREFIXES.items(), *REPORT_PREFIXES.items()):
        if iri.startswith(namespace) and len(namespace) > len(best):
            rest = iri[len(namespace):]
            if rest and all(ch.isalnum() or ch in "-_./" for ch in rest) and rest[-1] not in "./":
                best, best_prefix = namespace, prefix
    if best:
        return f"{best_prefix}:{iri[len(best):]}"
    return f"<{iri}>"


def _display(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return shorten(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return " ".join(term.value.split())


def to_table(result: Result) -> str:
    """Aligned columns for a terminal; cells longer than 60 characters end in an ellipsis."""
    if result.kind == "ask":
        return f"{'yes' if result.boolean else 'no'}\n"
    cells = [[_cut(_display(term)) for term in row] for row in result.terms]
    widths = [max([len(name)] + [len(row[i]) for row in cells])
              for i, name in enumerate(result.columns)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(result.columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]
    count = len(result.terms)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cut(text: str) -> str:
    return text if len(text) <= _TABLE_CELL else text[: _TABLE_CELL - 1] + "…"


def to_csv(result: Result) -> str:
    """SPARQL 1.1 CSV results: a header, IRIs and lexical forms, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out)
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.columns)
    for row in result.terms:
        writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value)
                         for t in row])
    return out.getvalue()


def to_term_csv(result: Result) -> str:
    """CSV whose cells are N-Triples terms: lossless (datatypes, languages), for goldens."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.terms:
        writer.writerow(["" if t is None else t.n3() for t in row])
    return out.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV results: ``?name`` headers and terms in N-Triples syntax."""
    if result.kind == "ask":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{name}" for name in result.columns)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in result.terms]
    return "\n".join(lines) + "\n"


def to_json(result: Result) -> str:
    """SPARQL 1.1 JSON results (``head``/``results``, or ``boolean`` for ASK)."""
    if result.kind == "ask":
        data: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{name: term.sparql_json()
                     for name, term in zip(result.columns, row, strict=True) if term is not None}
                    for row in result.terms]
        data = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_turtle(result: Result) -> str:
    return _serialize(result, "ttl")


def to_jsonld(result: Result) -> str:
    return _serialize(result, "jsonld")


def _serialize(result: Result, fmt: str) -> str:
    """The result as RDF, written by pyoxigraph (always present, and rdflib-free)."""
    import pyoxigraph as ox

    rows = _as_rdf(result)
    triples = [ox.Triple(*(_ox(t) for t in row)) for row in rows]
    if fmt == "ttl":
        namespaces = {**PREFIXES, **REPORT_PREFIXES, "rs": RS}
        iris = {t.value for row in rows for t in row if t.kind == "uri"}
        iris |= {t.datatype for row in rows for t in row if t.datatype}
        used = {_best_prefix(iri, namespaces) for iri in iris} - {None}
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                            prefixes={p: namespaces[p] for p in sorted(used)})
        return data.decode("utf-8")
    data = ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
    return json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n"


def _best_prefix(iri: str, namespaces: dict[str, str]) -> str | None:
    """The prefix of the longest namespace that holds ``iri``, if any."""
    best = max((ns for ns in namespaces.values() if iri.startswith(ns) and iri != ns),
               key=len, default=None)
    return next(p for p, ns in namespaces.items() if ns == best) if best else None


def _as_rdf(result: Result) -> list[tuple[Term, Term, Term]]:
    """The triples that stand for ``result``: its own, or the ``rs:`` result-set mapping."""
    if result.kind == "construct":
        return [row for row in result.terms if all(t is not None for t in row)]  # type: ignore[misc]
    rdf_type = Term.iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    root = Term("bnode", "results")
    out = [(root, rdf_type, Term.iri(RS + "ResultSet"))]
    if result.kind == "ask":
        out.append((root, Term.iri(RS + "boolean"),
                    Term.literal("true" if result.boolean else "false", XSD + "boolean")))
        return out
    out += [(root, Term.iri(RS + "resultVariable"), Term.literal(name))
            for name in result.columns]
    for index, row in enumerate(result.terms, start=1):
        solution = Term("bnode", f"s{index}")
        out.append((root, Term.iri(RS + "solution"), solution))
        out.append((solution, Term.iri(RS + "index"), Term.literal(str(index), XSD + "integer")))
        for number, (name, term) in enumerate(zip(result.columns, row, strict=True), start=1):
            if term is None:
                continue
            binding = Term("bnode", f"s{index}b{number}")
            out.append((solution, Term.iri(RS + "binding"), binding))
            out.append((binding, Term.iri(RS + "variable"), Term.literal(name)))
            out.append((binding, Term.iri(RS + "value"), term))
    return out


def _ox(term: Term) -> Any:
    import pyoxigraph as ox

    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)
