# The failing example for shapes:ReportShape: a report without its date
# expect-shape: shapes:ReportShape
# expect-focus: https://w3id.org/zjkg/report/test-2020
PREFIX zjkg: <https://w3id.org/zjkg/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX r: <https://w3id.org/zjkg/report/test-2020/>
PREFIX obs: <https://w3id.org/zjkg/report/test-2020/observation/>

DELETE WHERE { <https://w3id.org/zjkg/report/test-2020> dcterms:date ?date }
