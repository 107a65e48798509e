"""The VoID/DCAT description: computed from the graph, shipped, and never drifting."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import BNode, Graph, Literal, URIRef

from zjkg.cli import main
from zjkg.ns import BASE, GEONAMES, WD
from zjkg.void import DATASET, describe_dataset, void_path, void_turtle

DS = URIRef(DATASET)
DCTERMS, OWL, RDF, VOID = rns.DCTERMS, rns.OWL, rns.RDF, rns.VOID
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


@pytest.fixture(scope="module")
def description(graph: Graph) -> Graph:
    return describe_dataset(graph)


def _int(g: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = g.value(subject, predicate)
    assert isinstance(value, Literal) and value.datatype == INTEGER, (subject, predicate)
    return int(value)


def test_shipped_file_equals_what_the_command_computes() -> None:
    shipped = void_path().read_text(encoding="utf-8")
    assert shipped == void_turtle(), "data/void.ttl is stale: run `zjkg void`"


def test_void_check_passes_and_output_option_writes(tmp_path: Path) -> None:
    assert main(["void", "--check"]) == 0
    target = tmp_path / "void.ttl"
    assert main(["void", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == void_turtle()
    target.write_text("# stale\n", encoding="utf-8")
    assert main(["void", "-o", str(target), "--check"]) == 1


def test_output_is_deterministic_and_has_no_blank_nodes(graph: Graph) -> None:
    first = void_turtle(graph)
    assert first == void_turtle(graph)
    parsed = Graph().parse(data=first, format="turtle")
    assert len(parsed) == len(describe_dataset(graph))
    assert not any(isinstance(term, BNode) for triple in parsed for term in triple)


def test_dataset_metadata(description: Graph) -> None:
    g = description
    assert (DS, RDF.type, VOID.Dataset) in g
    assert (DS, RDF.type, rns.DCAT.Dataset) in g
    assert g.value(DS, DCTERMS.title) is not None
    assert g.value(DS, DCTERMS.description) is not None
    assert g.value(DS, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(DS, DCTERMS.publisher) is not None
    assert URIRef(f"{BASE}report/zhejiang-2021") in set(g.objects(DS, DCTERMS.source))
    assert g.value(DS, DCTERMS.issued) is not None
    assert g.value(DS, VOID.uriSpace) == Literal(BASE)
    assert g.value(DS, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    dumps = set(g.objects(DS, VOID.dataDump))
    assert URIRef(f"{BASE}data/report2021.ttl") in dumps
    assert len(set(g.objects(DS, VOID.exampleResource))) >= 3
    services = set(g.subjects(RDF.type, rns.DCAT.DataService))
    assert any(g.value(s, rns.DCAT.endpointURL) == URIRef(f"{BASE}sparql") for s in services)


def test_counts_match_the_graph(graph: Graph, description: Graph) -> None:
    g = description
    assert _int(g, DS, VOID.triples) == len(graph)
    assert _int(g, DS, VOID.distinctSubjects) == len(set(graph.subjects()))
    assert _int(g, DS, VOID.distinctObjects) == len(set(graph.objects()))
    entities = {s for s in graph.subjects() if str(s).startswith(BASE)}
    assert _int(g, DS, VOID.entities) == len(entities)
    assert _int(g, DS, VOID.properties) == len(set(graph.predicates()))


def test_partitions_are_iris_and_add_up(graph: Graph, description: Graph) -> None:
    g = description
    classes = list(g.objects(DS, VOID.classPartition))
    properties = list(g.objects(DS, VOID.propertyPartition))
    assert classes and properties
    for partition in [*classes, *properties]:
        assert isinstance(partition, URIRef) and str(partition).startswith(DATASET + "/")
    assert sum(_int(g, p, VOID.triples) for p in properties) == len(graph)
    observations = next(p for p in classes
                        if g.value(p, VOID["class"]) == URIRef(
                            "http://purl.org/linked-data/cube#Observation"))
    assert _int(g, observations, VOID.entities) == len(set(graph.subjects(
        RDF.type, URIRef("http://purl.org/linked-data/cube#Observation"))))


def test_linksets_count_same_as_by_target(graph: Graph, description: Graph) -> None:
    g = description
    linksets = {str(g.value(ls, DCTERMS.title)): ls for ls in g.subjects(RDF.type, VOID.Linkset)}
    wikidata = sum(1 for o in graph.objects(None, OWL.sameAs) if str(o).startswith(str(WD)))
    geonames = sum(1 for o in graph.objects(None, OWL.sameAs) if str(o).startswith(GEONAMES))
    assert wikidata > 0 and geonames > 0
    assert _int(g, linksets["Identity links to Wikidata"], VOID.triples) == wikidata
    assert _int(g, linksets["Identity links to GeoNames"], VOID.triples) == geonames
    for linkset in linksets.values():
        assert g.value(linkset, VOID.linkPredicate) == OWL.sameAs
        assert g.value(linkset, VOID.subjectsTarget) == DS
        target = g.value(linkset, VOID.objectsTarget)
        assert g.value(target, VOID.uriSpace) is not None
        assert (DS, VOID.subset, linkset) in g


def test_description_of_a_small_graph() -> None:
    small = Graph()
    place = URIRef(f"{BASE}place/a")
    small.add((place, RDF.type, URIRef("https://schema.org/Place")))
    small.add((place, OWL.sameAs, URIRef(str(WD) + "Q1")))
    g = describe_dataset(small)
    assert _int(g, DS, VOID.triples) == 2
    assert _int(g, DS, VOID.entities) == 1
    wikidata = URIRef(f"{DATASET}/linkset/wikidata")
    assert _int(g, wikidata, VOID.triples) == 1
