"""Namespaces and the IRI pattern, in one place so every module mints IRIs the same way."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/zjkg/"
ZJKG = Namespace(BASE + "ontology#")
CODE = Namespace(BASE + "code/")
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

#: Prefixes bound in every graph, export and query the package writes.
PREFIXES: dict[str, str] = {
    "zjkg": str(ZJKG),
    "shapes": BASE + "shapes#",
    "code": str(CODE),
    "kind": str(CODE) + "kind/",
    "measure": str(CODE) + "measure/",
    "comparator": str(CODE) + "comparator/",
    "theme": str(CODE) + "theme/",
    "indicator-type": str(CODE) + "indicator-type/",
    "program-kind": str(CODE) + "program-kind/",
    "place-kind": str(CODE) + "place-kind/",
    "organization-kind": str(CODE) + "organization-kind/",
    "event-kind": str(CODE) + "event-kind/",
    "place": BASE + "place/",
    "program": BASE + "program/",
    "organization": BASE + "organization/",
    "event": BASE + "event/",
    "person": BASE + "person/",
    "document": BASE + "document/",
    "indicator": BASE + "indicator/",
    "period": BASE + "period/",
    "unit": BASE + "unit/",
    "instant": BASE + "instant/",
    "report": BASE + "report/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "qudt": str(QUDT),
    "qudt-unit": str(UNIT),
    "time": str(TIME),
    "nif": str(NIF),
    "dcat": str(DCAT),
    "void": str(VOID),
    "foaf": str(FOAF),
    "vann": str(VANN),
    "sh": str(SH),
    "wd": str(WD),
}

#: Folder of each entity class under the base IRI.
ENTITY_FOLDERS = {
    "program": "program",
    "place": "place",
    "organization": "organization",
    "event": "event",
    "person": "person",
    "document": "document",
}


def entity_iri(entity_class: str, slug: str) -> str:
    return f"{BASE}{ENTITY_FOLDERS[entity_class]}/{slug}"


def report_iri(report: str) -> str:
    return f"{BASE}report/{report}"


def report_prefixes(report: str) -> dict[str, str]:
    """Short prefixes for one report's own resources, as its Turtle file binds them."""
    root = report_iri(report)
    return {
        "r": root + "/",
        "obs": root + "/observation/",
        "paragraph": root + "/paragraph/",
        "heading": root + "/heading/",
        "furniture": root + "/furniture/",
    }


def sparql_prefixes() -> str:
    """PREFIX lines for every bound prefix, for ad-hoc queries."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
