"""A fast SHACL engine: each constraint of zjkg's shapes compiled to one SPARQL query.

pySHACL checks constraints focus node by focus node through rdflib and takes seconds on the
report; compiling each constraint to a single query over a pyoxigraph store takes a fraction
of that. Only the SHACL features zjkg's shapes use are compiled, and any other feature in a
shapes file is refused (:class:`UnsupportedShape`) rather than ignored. The test suite checks
that this engine and pySHACL report the same violations on every example.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
SHAPES_GRAPH = ox.NamedNode("urn:zjkg:shapes")
#: Constraint parameters this engine compiles; anything else in a shape is refused.
SUPPORTED = {
    "minCount", "maxCount", "datatype", "class", "in", "pattern", "flags", "nodeKind",
    "minLength", "uniqueLang", "lessThan", "minExclusive", "minInclusive", "or", "path", "message",
    "severity", "name", "description", "property", "sparql", "targetClass",
}


class UnsupportedShape(ValueError):
    """A shapes file uses a SHACL feature this engine does not compile."""


@dataclass(frozen=True)
class Violation:
    """One validation result, as SHACL's sh:ValidationResult would give it."""

    node_shape: str
    source_shape: str
    focus: str
    path: str | None
    value: str | None
    message: str
    component: str


def sorted_violations(violations: set[Violation]) -> list[Violation]:
    """Violations in a stable order: by shape, focus node, path and value."""
    return sorted(violations, key=lambda v: (v.node_shape, v.source_shape, v.focus,
                                             v.path or "", v.value or "", v.component))


@dataclass(frozen=True)
class _Check:
    node_shape: str
    source_shape: str
    path: str | None
    message: str
    component: str
    query: str


def _iri(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    raise UnsupportedShape(f"shapes must be IRIs, found {term}")


def _one(store: ox.Store, query: str) -> Iterator[ox.QuerySolution]:
    yield from store.query(query, default_graph=SHAPES_GRAPH)


def _targets(cls: str) -> str:
    return f"?this {RDF_TYPE}/{SUBCLASS}* <{cls}> ."


def _list(store: ox.Store, shape: str, parameter: str, tail: str = "") -> list[ox.Term]:
    """Members of the RDF list ``shape parameter (...)``; lists are blank nodes, so they are
    reached by a path from the shape rather than named."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    query = f"""SELECT DISTINCT ?item WHERE {{
        <{shape}> <{SH}{parameter}>/<{rdf}rest>*/<{rdf}first>{tail} ?item }} ORDER BY ?item"""
    return [row["item"] for row in _one(store, query)]


def _values(store: ox.Store, subject: str) -> dict[str, list[ox.Term]]:
    found: dict[str, list[ox.Term]] = {}
    for row in _one(store, f"SELECT ?p ?o WHERE {{ <{subject}> ?p ?o }}"):
        predicate = row["p"].value
        if predicate.startswith(SH):
            found.setdefault(predicate[len(SH):], []).append(row["o"])
    unknown = set(found) - SUPPORTED
    if unknown:
        raise UnsupportedShape(
            f"<{subject}> uses {sorted(unknown)}, which this engine does not compile"
        )
    return found


def _message(values: dict[str, list[ox.Term]], fallback: str) -> str:
    messages = values.get("message", [])
    english = [
        m.value for m in messages if isinstance(m, ox.Literal) and m.language in (None, "en")
    ]
    return english[0] if english else fallback


def compile_shapes(store: ox.Store) -> list[_Check]:
    """Every constraint of the shapes in ``store``'s shapes graph, as a SPARQL query."""
    checks: list[_Check] = []
    shapes = _one(store, f"""SELECT ?shape ?class WHERE {{
        ?shape {RDF_TYPE} <{SH}NodeShape> ; <{SH}targetClass> ?class }} ORDER BY ?shape ?class""")
    for row in shapes:
        shape, cls = _iri(row["shape"]), _iri(row["class"])
        values = _values(store, shape)
        target = _targets(cls)
        for prop in values.get("property", []):
            checks.extend(_property_checks(store, shape, _iri(prop), target))
        for constraint in values.get("sparql", []):
            checks.append(_sparql_check(store, shape, _iri(constraint), target))
    return checks


def _property_checks(store: ox.Store, node_shape: str, shape: str, target: str) -> list[_Check]:
    values = _values(store, shape)
    paths = values.get("path", [])
    if len(paths) != 1 or not isinstance(paths[0], ox.NamedNode):
        raise UnsupportedShape(f"<{shape}> needs one sh:path that is a single IRI")
    path = paths[0].value
    message = _message(values, f"Fails <{shape}>")
    triple = f"{target} ?this <{path}> ?value ."
    queries: list[tuple[str, str]] = []
    for name, terms in values.items():
        term = terms[0]
        if name == "minCount":
            queries.append((name, f"""SELECT ?this WHERE {{ {target}
                OPTIONAL {{ ?this <{path}> ?value }} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(term.value)})"""))
        elif name == "maxCount":
            queries.append((name, f"""SELECT ?this WHERE {{ {triple} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(term.value)})"""))
        elif name == "datatype":
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (!isLiteral(?value) || DATATYPE(?value) != {term}) }}"""))
        elif name == "class":
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER NOT EXISTS {{ ?value {RDF_TYPE}/{SUBCLASS}* {term} }} }}"""))
        elif name == "in":
            members = ", ".join(str(item) for item in _list(store, shape, "in"))
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (?value NOT IN ({members})) }}"""))
        elif name == "pattern":
            flags = values.get("flags", [ox.Literal("")])[0]
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (isBlank(?value) || !REGEX(STR(?value), {term}, {flags})) }}"""))
        elif name == "nodeKind":
            tests = {f"{SH}IRI": "isIRI(?value)", f"{SH}Literal": "isLiteral(?value)",
                     f"{SH}BlankNode": "isBlank(?value)"}
            if term.value not in tests:
                raise UnsupportedShape(f"<{shape}>: sh:nodeKind {term.value} is not compiled")
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (!{tests[term.value]}) }}"""))
        elif name == "minLength":
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (isBlank(?value) || STRLEN(STR(?value)) < {int(term.value)}) }}"""))
        elif name == "uniqueLang":
            if term.value == "true":
                queries.append((name, f"""SELECT ?this WHERE {{ {triple}
                    FILTER (LANG(?value) != "") }}
                    GROUP BY ?this (LANG(?value)) HAVING (COUNT(?value) > 1)"""))
        elif name == "lessThan":
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple} ?this {term} ?other .
                FILTER (!(?value < ?other)) }}"""))
        elif name == "minExclusive":
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (!(?value > {term})) }}"""))
        elif name == "minInclusive":
            queries.append((name, f"""SELECT ?this ?value WHERE {{ {triple}
                FILTER (!(?value >= {term})) }}"""))
        elif name == "or":
            used = {
                row["p"].value for row in _one(store, f"""
                    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
                    SELECT DISTINCT ?p WHERE {{
                    <{shape}> <{SH}or>/rdf:rest*/rdf:first ?member . ?member ?p ?o }}""")
            }
            if used != {f"{SH}class"}:
                raise UnsupportedShape(f"<{shape}>: sh:or members may only use sh:class")
            classes = [str(item) for item in _list(store, shape, "or", f"/<{SH}class>")]
            none_of = " && ".join(
                f"NOT EXISTS {{ ?value {RDF_TYPE}/{SUBCLASS}* {cls} }}" for cls in classes
            )
            queries.append((name, f"SELECT ?this ?value WHERE {{ {triple} FILTER ({none_of}) }}"))
    component = {"in": "In", "or": "Or"}
    return [
        _Check(node_shape, shape, path, message,
               f"{SH}{component.get(name, name[0].upper() + name[1:])}ConstraintComponent", query)
        for name, query in queries
    ]


def _sparql_check(store: ox.Store, node_shape: str, constraint: str, target: str) -> _Check:
    values = {
        row["p"].value: row["o"]
        for row in _one(store, f"SELECT ?p ?o WHERE {{ <{constraint}> ?p ?o }}")
    }
    select = values.get(f"{SH}select")
    if select is None:
        raise UnsupportedShape(f"<{constraint}> has no sh:select")
    prefixes = "".join(
        f"PREFIX {row['prefix'].value}: <{row['namespace'].value}>\n"
        for row in _one(store, f"""SELECT ?prefix ?namespace WHERE {{
            <{constraint}> <{SH}prefixes>/<{SH}declare> ?d .
            ?d <{SH}prefix> ?prefix ; <{SH}namespace> ?namespace }}""")
    )
    text = select.value
    where = text.upper().find("WHERE")
    brace = text.find("{", where)
    if where < 0 or brace < 0:
        raise UnsupportedShape(f"<{constraint}>: cannot find the WHERE clause")
    query = prefixes + text[: brace + 1] + f" {target} " + text[brace + 1:]
    message = values.get(f"{SH}message")
    return _Check(node_shape, node_shape, None,
                  message.value if message is not None else f"Fails <{constraint}>",
                  f"{SH}SPARQLConstraintComponent", query)


def run_checks(
    store: ox.Store, checks: list[_Check], graphs: list[ox.NamedNode]
) -> list[Violation]:
    """Run every compiled check over the union of ``graphs``; return sorted violations."""
    found: set[Violation] = set()
    for check in checks:
        solutions = store.query(check.query, default_graph=graphs)
        has_value = any(variable.value == "value" for variable in solutions.variables)
        for row in solutions:
            value = row["value"] if has_value else None
            found.add(Violation(
                check.node_shape, check.source_shape, row["this"].value, check.path,
                None if value is None else str(value), check.message, check.component,
            ))
    return sorted_violations(found)
