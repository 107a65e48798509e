"""The IRI pattern and prefixes as plain strings, importable without rdflib.

The fast query path (``zjkg query``) must not import rdflib; it takes its prefixes from
here. :mod:`zjkg.ns` builds rdflib namespaces from the same strings.
"""

from __future__ import annotations

BASE = "https://w3id.org/zjkg/"
ZJKG = BASE + "ontology#"
CODE = BASE + "code/"
#: The report this package ships.
REPORT = "zhejiang-2021"

#: Prefixes bound in every graph, export and query the package writes.
PREFIXES: dict[str, str] = {
    "zjkg": ZJKG,
    "shapes": BASE + "shapes#",
    "code": CODE,
    "kind": CODE + "kind/",
    "measure": CODE + "measure/",
    "comparator": CODE + "comparator/",
    "theme": CODE + "theme/",
    "indicator-type": CODE + "indicator-type/",
    "program-kind": CODE + "program-kind/",
    "place-kind": CODE + "place-kind/",
    "organization-kind": CODE + "organization-kind/",
    "event-kind": CODE + "event-kind/",
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
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "qudt": "http://qudt.org/schema/qudt/",
    "qudt-unit": "http://qudt.org/vocab/unit/",
    "time": "http://www.w3.org/2006/time#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
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
