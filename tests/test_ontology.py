"""The ontology: every term labelled and defined, code lists in step with the code."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from zjkg import resources, tables
from zjkg.ns import CODE, QB

ONTOLOGY = URIRef("https://w3id.org/zjkg/ontology")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_path())


def own_terms(ontology: Graph) -> list[URIRef]:
    return sorted(s for s in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY) if isinstance(s, URIRef))


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, URIRef("http://purl.org/dc/terms/license"),
                 URIRef("http://purl.org/dc/terms/creator"),
                 URIRef("http://purl.org/dc/terms/description")):
        assert ontology.value(ONTOLOGY, prop) is not None, prop
    description = str(ontology.value(ONTOLOGY, URIRef("http://purl.org/dc/terms/description")))
    for named in ("NIF", "Data Cube", "PROV-O", "SKOS", "QUDT", "OWL-Time", "schema.org",
                  "VoID", "DCAT", "IRI pattern"):
        assert named in description, named


def test_every_own_term_has_a_label_and_a_definition(ontology: Graph) -> None:
    terms = own_terms(ontology)
    assert len(terms) > 80
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
        assert ontology.value(term, SKOS.definition) is not None, f"{term} has no definition"


def test_every_own_class_and_property_is_typed(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, QB.DataStructureDefinition,
             QB.ComponentSpecification, SKOS.ConceptScheme, SKOS.Concept}
    for term in own_terms(ontology):
        assert set(ontology.objects(term, RDF.type)) & kinds, term


def test_reused_terms_name_their_vocabulary(ontology: Graph) -> None:
    reused = [s for s, o in ontology.subject_objects(RDFS.isDefinedBy) if o != ONTOLOGY]
    assert len(reused) > 100
    assert all(not str(s).startswith("https://w3id.org/zjkg/") for s in reused)


@pytest.mark.parametrize(("scheme", "codes"), [
    ("kind", tables.KINDS), ("measure", tables.MEASURES), ("comparator", tables.COMPARATORS),
    ("theme", tables.THEMES), ("indicator-type", tables.INDICATOR_TYPES),
    ("program-kind", tables.ENTITY_KINDS["program"]), ("place-kind", tables.ENTITY_KINDS["place"]),
    ("organization-kind", tables.ENTITY_KINDS["organization"]),
    ("event-kind", tables.ENTITY_KINDS["event"]),
])
def test_code_lists_match_what_the_tables_accept(ontology: Graph, scheme: str, codes) -> None:
    in_ontology = {str(c).rsplit("/", 1)[1] for c in ontology.subjects(SKOS.inScheme, CODE[scheme])}
    assert in_ontology == set(codes)
