"""rdflib namespaces for the IRI pattern of :mod:`zjkg.prefixes`."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

from zjkg import prefixes
from zjkg.prefixes import (
    BASE,
    ENTITY_FOLDERS,
    PREFIXES,
    entity_iri,
    report_iri,
    report_prefixes,
    sparql_prefixes,
)

ZJKG = Namespace(prefixes.ZJKG)
CODE = Namespace(prefixes.CODE)
SCHEMA = Namespace("https://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")
GEONAMES = "https://sws.geonames.org/"

__all__ = [
    "BASE", "CODE", "DCAT", "DCTERMS", "ENTITY_FOLDERS", "FOAF", "GEONAMES", "NIF", "OWL",
    "PREFIXES", "PROV", "QB", "QUDT", "RDF", "RDFS", "SCHEMA", "SDMX_ATTRIBUTE",
    "SDMX_DIMENSION", "SDMX_MEASURE", "SH", "SKOS", "TIME", "UNIT", "VANN", "VOID", "WD",
    "XSD", "ZJKG", "entity_iri", "report_iri", "report_prefixes", "sparql_prefixes",
]
