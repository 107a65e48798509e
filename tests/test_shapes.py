"""The shapes: stable IRIs and messages, a passing and a failing example for each shape,
and the fast engine agreeing with pySHACL.

Passing example: ``shapes/mini-report.ttl``, a small report built from ``shapes/mini/`` that
has a focus node for every node shape. Failing examples: ``shapes/violations/*.ru``, one
SPARQL Update per shape (and per SPARQL constraint) that breaks the mini report in one way;
each must fail for the shape it names. On top, every constraint of every property shape is
broken by a generated mutation and must be reported by that property shape.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from zjkg import resources
from zjkg.build import build_graph, load_report
from zjkg.shacl import UnsupportedShape
from zjkg.tables import load_tables
from zjkg.text import read_source
from zjkg.turtle import serialize
from zjkg.validate import validate

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_NS = "https://w3id.org/zjkg/shapes#"
HERE = Path(__file__).resolve().parent / "shapes"
MINI = HERE / "mini-report.ttl"
VIOLATIONS = sorted((HERE / "violations").glob("*.ru"))
MINI_HEADER = (
    "A small conforming report: the passing example for every shape.",
    "Built from tests/shapes/mini/; "
    "regenerate with ZJKG_UPDATE_GOLDEN=1 pytest tests/test_shapes.py",
)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(resources.shapes_path())


@pytest.fixture(scope="module")
def mini() -> Graph:
    return Graph().parse(MINI)


def _node_shapes(shapes: Graph) -> list[URIRef]:
    return sorted(shapes.subjects(RDF.type, SH.NodeShape))


def _family(shapes: Graph, node_shape: URIRef) -> set[str]:
    return {str(node_shape)} | {str(p) for p in shapes.objects(node_shape, SH.property)}


def test_every_shape_has_a_stable_iri_and_a_message(shapes: Graph) -> None:
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        members = set(shapes.subjects(RDF.type, kind))
        assert members, kind
        for shape in members:
            assert isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS), shape
            messages = list(shapes.objects(shape, SH.message))
            assert messages and all(m.language == "en" for m in messages), shape
    for node_shape in _node_shapes(shapes):
        for component in (*shapes.objects(node_shape, SH.property),
                          *shapes.objects(node_shape, SH.sparql)):
            assert isinstance(component, URIRef), f"{node_shape} has an anonymous shape"


def test_mini_report_is_built_from_its_tables() -> None:
    mini = HERE / "mini"
    graph = build_graph(tables=load_tables(mini / "tables"),
                        source=read_source(mini / "source.txt"),
                        report=load_report(mini / "report.toml"))
    text = serialize(graph, header=MINI_HEADER)
    if os.environ.get("ZJKG_UPDATE_GOLDEN"):
        MINI.write_text(text, encoding="utf-8")
    assert text == MINI.read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_mini_report_conforms(engine: str) -> None:
    report = validate([MINI], engine=engine)
    assert report.violations == [] and report.lint == []


def test_every_node_shape_has_a_passing_and_a_failing_example(shapes: Graph, mini: Graph) -> None:
    failing = {re.search(r"# expect-shape: shapes:(\S+)", p.read_text()).group(1)
               for p in VIOLATIONS}
    ontology = Graph().parse(resources.ontology_path())
    for node_shape in _node_shapes(shapes):
        name = str(node_shape)[len(SHAPES_NS):]
        assert _focus_nodes(node_shape, shapes, ontology, mini), \
            f"{name}: no focus node in the passing example"
        assert name in failing, f"{name}: no failing example in shapes/violations/"


def _focus_nodes(node_shape: URIRef, shapes: Graph, ontology: Graph, data: Graph) -> list:
    """The nodes of ``data`` that ``node_shape`` targets, through subclasses too."""
    classes = set(shapes.objects(node_shape, SH.targetClass))
    classes |= {s for c in list(classes) for s in ontology.transitive_subjects(RDFS.subClassOf, c)}
    return sorted({f for c in classes for f in data.subjects(RDF.type, c)})


def _apply(update: str, tmp_path: Path) -> Path:
    store = ox.Store()
    store.load(path=str(MINI), format=ox.RdfFormat.TURTLE)
    store.update(update)
    target = tmp_path / "broken.nt"
    store.dump(output=str(target), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return target


@pytest.mark.parametrize("example", VIOLATIONS, ids=lambda p: p.stem)
def test_failing_example_fails_for_its_shape_on_both_engines(
    example: Path, shapes: Graph, tmp_path: Path
) -> None:
    text = example.read_text(encoding="utf-8")
    shape = URIRef(SHAPES_NS + re.search(r"# expect-shape: shapes:(\S+)", text).group(1))
    focus = re.search(r"# expect-focus: (\S*)", text).group(1)
    broken = _apply(text, tmp_path)
    found = {}
    for engine in ("oxigraph", "pyshacl"):
        report = validate([broken], engine=engine)
        found[engine] = {(v.focus, v.source_shape) for v in report.violations}
        hits = [v for v in report.violations if v.source_shape in _family(shapes, shape)
                and (not focus or v.focus == focus)]
        assert hits, f"{engine}: {example.name} does not fail for {shape}: {report.violations}"
    assert found["oxigraph"] == found["pyshacl"], "the engines disagree"


def _mutations(shapes: Graph, mini: Graph) -> list[tuple[str, str, str, str]]:
    """(node shape, property shape, component, focus) for every constraint to break."""
    cases = []
    ontology = Graph().parse(resources.ontology_path())
    for node_shape in _node_shapes(shapes):
        focus_nodes = _focus_nodes(node_shape, shapes, ontology, mini)
        for prop in sorted(shapes.objects(node_shape, SH.property)):
            path = shapes.value(prop, SH.path)
            with_values = [f for f in focus_nodes if (f, path, None) in mini] or focus_nodes
            for component in ("minCount", "maxCount", "datatype", "class", "in", "pattern",
                              "nodeKind", "minLength", "minInclusive", "minExclusive",
                              "lessThan", "uniqueLang", "or"):
                value = shapes.value(prop, SH[component])
                if value is None or (component == "minCount" and int(value) == 0):
                    continue
                if component == "uniqueLang" and not value.toPython():
                    continue
                cases.append((str(node_shape), str(prop), component, str(with_values[0])))
    return cases


def _break(graph: Graph, shapes: Graph, prop: URIRef, component: str, focus: URIRef) -> None:
    path = shapes.value(prop, SH.path)
    values = list(graph.objects(focus, path))
    bad: object
    if component == "minCount":
        graph.remove((focus, path, None))
        return
    if component == "maxCount":
        base = values[0] if values else Literal("x")
        extra = Literal(str(base) + " (again)", lang=base.language, datatype=base.datatype) \
            if isinstance(base, Literal) else URIRef("urn:zjkg:test:another")
        graph.add((focus, path, extra))
        return
    if component == "uniqueLang":
        graph.add((focus, path, Literal("Another label", lang="en")))
        graph.add((focus, path, Literal("Yet another label", lang="en")))
        return
    if component == "lessThan":
        other = graph.value(focus, shapes.value(prop, SH.lessThan))
        graph.set((focus, path, other))
        return
    replacements = {
        "datatype": (
            Literal(1) if shapes.value(prop, SH.datatype) == XSD.string else Literal("text")
        ),
        "class": URIRef("urn:zjkg:test:untyped"),
        "in": URIRef("urn:zjkg:test:not-in-the-list"),
        "or": URIRef("urn:zjkg:test:untyped"),
        "pattern": Literal("@@@"),
        "nodeKind": Literal("not an IRI"),
        "minLength": Literal(""),
        "minInclusive": Literal(-1),
        "minExclusive": Literal(Decimal("0"), datatype=XSD.decimal),
    }
    bad = replacements[component]
    graph.remove((focus, path, None))
    graph.add((focus, path, bad))


def _cases() -> list[tuple[str, str, str, str]]:
    return _mutations(Graph().parse(resources.shapes_path()), Graph().parse(MINI))


@pytest.mark.parametrize("case", _cases(),
                         ids=lambda c: f"{c[1].rsplit('#', 1)[1]}-{c[2]}@{c[0].rsplit('#', 1)[1]}")
def test_every_property_constraint_catches_its_mutation(
    case: tuple[str, str, str, str], shapes: Graph, mini: Graph, tmp_path: Path
) -> None:
    _node_shape, prop, component, focus = case
    graph = Graph()
    for triple in mini:
        graph.add(triple)
    _break(graph, shapes, URIRef(prop), component, URIRef(focus))
    target = tmp_path / "mutated.nt"
    graph.serialize(target, format="nt", encoding="utf-8")
    report = validate([target])
    wanted = component[0].upper() + component[1:] + "ConstraintComponent"
    hits = [v for v in report.violations
            if v.source_shape == prop and v.focus == focus and v.component.endswith(wanted)]
    assert hits, f"no {wanted} from {prop} at {focus}: {report.violations}"


def test_engines_agree_on_the_passing_example_with_extra_blank_shapes(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <https://schema.org/Place> ;
            sh:property <urn:p> .
        <urn:p> a sh:PropertyShape ; sh:path <https://schema.org/name> ; sh:hasValue "x" .
    """, encoding="utf-8")
    with pytest.raises(UnsupportedShape):
        validate([MINI], shapes=shapes)


def test_no_blank_nodes_in_shapes_except_lists_and_prefix_declarations(shapes: Graph) -> None:
    for subject in shapes.subjects():
        if isinstance(subject, BNode):
            predicates = set(shapes.predicates(subject))
            allowed = {RDF.first, RDF.rest, SH["class"], SH.prefix, SH.namespace}
            assert predicates <= allowed, predicates
