"""``zjkg serve`` with real clients: SPARQLWrapper, rdflib's SPARQLStore and plain HTTP."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper

from zjkg.query import list_queries
from zjkg.server import make_server
from zjkg.server.app import ZjkgServer
from zjkg.void import void_turtle

pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser

HANGZHOU = "https://w3id.org/zjkg/place/hangzhou"
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SAME_AS = URIRef("http://www.w3.org/2002/07/owl#sameAs")
PLACES = """PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?place ?label WHERE { ?place a schema:Place ; rdfs:label ?label .
  FILTER(lang(?label) = "en") } ORDER BY ?label"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Response:
    """Status, headers and body of one HTTP exchange, errors included."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http(url: str, *, accept: str | None = None, data: bytes | None = None,
         content_type: str | None = None, method: str | None = None) -> Response:
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()},
                            answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()},
                        error.read())


@pytest.fixture(scope="module")
def server() -> Iterator[ZjkgServer]:
    """The shipped graph, served on a free 127.0.0.1 port for this module."""
    instance = make_server(port=0, timeout=20, max_results=100, max_query_bytes=4096)
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def endpoint(server: ZjkgServer) -> str:
    return server.url + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# -- SPARQL results in every format ------------------------------------------------------

def test_select_json_with_sparqlwrapper(endpoint: str) -> None:
    result = wrapper(endpoint, PLACES, JSON).query().convert()
    labels = {b["label"]["value"] for b in result["results"]["bindings"]}
    assert "Hangzhou" in labels


def test_select_xml_csv_tsv_with_sparqlwrapper(endpoint: str) -> None:
    xml = wrapper(endpoint, PLACES, XML).query()
    assert xml.info()["content-type"].startswith("application/sparql-results+xml")
    assert b"Hangzhou" in xml.response.read()
    csv = wrapper(endpoint, PLACES, CSV).query().convert()
    assert csv.splitlines()[0].strip() == b"place,label"
    assert b"https://w3id.org/zjkg/place/hangzhou,Hangzhou" in csv
    tsv = wrapper(endpoint, PLACES, TSV).query().convert()
    assert tsv.splitlines()[0].strip() == b"?place\t?label"
    assert b'<https://w3id.org/zjkg/place/hangzhou>\t"Hangzhou"@en' in tsv


def test_post_with_sparqlwrapper(endpoint: str) -> None:
    client = wrapper(endpoint, PLACES, JSON)
    client.setMethod(POST)
    assert client.query().convert()["results"]["bindings"]


def test_ask_json_and_xml(endpoint: str) -> None:
    query = f"ASK {{ <{HANGZHOU}> ?p ?o }}"
    assert wrapper(endpoint, query, JSON).query().convert()["boolean"] is True
    xml = wrapper(endpoint, query, XML).query().response.read()
    assert b"<boolean>true</boolean>" in xml


def test_construct_turtle_jsonld_ntriples(endpoint: str) -> None:
    query = f"CONSTRUCT {{ <{HANGZHOU}> ?p ?o }} WHERE {{ <{HANGZHOU}> ?p ?o }}"
    turtle = wrapper(endpoint, query, TURTLE).query()
    assert turtle.info()["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.response.read(), format="turtle")
    assert (URIRef(HANGZHOU), LABEL, Literal("Hangzhou", lang="en")) in graph
    jsonld = wrapper(endpoint, query, JSONLD).query()
    assert jsonld.info()["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=jsonld.response.read(), format="json-ld")) == len(graph)
    nt = http(endpoint + "?" + urllib.parse.urlencode({"query": query}),
              accept="application/n-triples")
    assert nt.media_type == "application/n-triples"
    assert len(Graph().parse(data=nt.text, format="nt")) == len(graph)
    n3 = wrapper(endpoint, query, N3).query()  # asks for Turtle among others
    assert len(Graph().parse(data=n3.response.read(), format="turtle")) == len(graph)


def test_describe(endpoint: str) -> None:
    answer = http(endpoint + "?" + urllib.parse.urlencode(
        {"query": f"DESCRIBE <{HANGZHOU}>"}), accept="text/turtle")
    assert answer.status == 200
    graph = Graph().parse(data=answer.text, format="turtle")
    assert (URIRef(HANGZHOU), SAME_AS, URIRef("http://www.wikidata.org/entity/Q4970")) in graph


def test_format_parameter_overrides_accept(endpoint: str) -> None:
    for name, media in [("json", "application/sparql-results+json"),
                        ("xml", "application/sparql-results+xml"), ("csv", "text/csv"),
                        ("tsv", "text/tab-separated-values")]:
        answer = http(endpoint + "?" + urllib.parse.urlencode({"query": PLACES,
                                                               "format": name}),
                      accept="text/html")
        assert (answer.status, answer.media_type) == (200, media)


def test_rdflib_sparqlstore(endpoint: str) -> None:
    store = SPARQLStore(endpoint)
    rows = list(Graph(store=store).query(PLACES))
    assert any(str(label) == "Hangzhou" for _, label in rows)


def test_post_raw_query_and_default_graph_uri(endpoint: str) -> None:
    answer = http(endpoint, data=b"ASK { ?s ?p ?o }", content_type="application/sparql-query",
                  accept="application/sparql-results+json")
    assert json.loads(answer.body)["boolean"] is True
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://rdfs.org/ns/void#Linkset> }"
    plain = http(endpoint + "?" + urllib.parse.urlencode({"query": count}))
    assert json.loads(plain.body)["results"]["bindings"][0]["n"]["value"] == "0"
    void = http(endpoint + "?" + urllib.parse.urlencode({
        "query": count, "default-graph-uri": "https://w3id.org/zjkg/data/void.ttl"}))
    assert json.loads(void.body)["results"]["bindings"][0]["n"]["value"] == "2"


def test_unacceptable_media_type(endpoint: str) -> None:
    answer = http(endpoint + "?" + urllib.parse.urlencode({"query": PLACES}), accept="image/png")
    assert answer.status == 406


# -- refusals ----------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x:> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR DEFAULT",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_updates_load_and_service_are_refused(endpoint: str, query: str) -> None:
    for answer in (http(endpoint + "?" + urllib.parse.urlencode({"query": query})),
                   http(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                        content_type="application/x-www-form-urlencoded")):
        assert answer.status == 403
        assert "not accepted" in answer.text


def test_update_parameter_and_update_body_are_refused(endpoint: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    form = http(endpoint, data=urllib.parse.urlencode({"update": update}).encode(),
                content_type="application/x-www-form-urlencoded")
    assert form.status == 403 and "read-only" in form.text
    body = http(endpoint, data=update.encode(), content_type="application/sparql-update")
    assert body.status == 403
    client = wrapper(endpoint, update, JSON)
    client.setMethod(POST)
    with pytest.raises(Exception, match="403"):
        client.query()
    count = http(endpoint + "?" + urllib.parse.urlencode(
        {"query": "ASK { <urn:a> <urn:b> <urn:c> }"}))
    assert json.loads(count.body)["boolean"] is False


def test_keywords_inside_strings_and_iris_are_not_refused(endpoint: str) -> None:
    query = 'SELECT * WHERE { ?s <http://example.org/LOAD> "SERVICE INSERT" } # DELETE'
    assert http(endpoint + "?" + urllib.parse.urlencode({"query": query})).status == 200


def test_over_long_queries_are_refused(endpoint: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 5000
    assert http(endpoint + "?" + urllib.parse.urlencode({"query": query})).status == 413
    posted = http(endpoint, data=query.encode(), content_type="application/sparql-query")
    assert posted.status == 413
    assert "at most 4096 bytes" in posted.text


def test_syntax_errors_are_400(endpoint: str) -> None:
    answer = http(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT WHERE {"}))
    assert answer.status == 400
    assert "syntax" in answer.text


def test_results_are_capped(endpoint: str) -> None:
    answer = http(endpoint + "?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert answer.status == 200
    assert len(json.loads(answer.body)["results"]["bindings"]) == 100
    assert answer.headers["x-results-truncated"].startswith("true")
    triples = http(endpoint + "?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}), accept="application/n-triples")
    assert len(triples.text.strip().splitlines()) == 100


def test_runaway_query_times_out_and_the_server_recovers() -> None:
    small = make_server(port=0, timeout=1, workers=1)
    small.start()
    try:
        url = small.url + "/sparql?"
        answer = http(url + urllib.parse.urlencode({"query": RUNAWAY}))
        assert answer.status == 503
        assert "did not finish" in answer.text
        for _ in range(60):  # the replacement worker starts in the background
            after = http(url + urllib.parse.urlencode({"query": "ASK {}"}))
            if after.status == 200:
                break
        assert after.status == 200
    finally:
        small.stop()


# -- dereferenceable IRIs ----------------------------------------------------------------

def test_entity_page_html(server: ZjkgServer) -> None:
    page = http(server.url + "/place/hangzhou", accept="text/html,application/xhtml+xml")
    assert page.status == 200 and page.media_type == "text/html"
    assert "<h1>Hangzhou</h1>" in page.text
    assert 'href="/place/zhejiang"' in page.text  # related entities stay on this server
    assert "http://www.wikidata.org/entity/Q4970" in page.text
    assert "https://w3id.org/zjkg/place/hangzhou" in page.text
    assert "IRI mapping" in page.text and server.url in page.text


def test_entity_page_shows_facts_with_quotes(server: ZjkgServer) -> None:
    page = http(server.url + "/indicator/gdp", accept="text/html")
    assert 'id="facts"' in page.text
    assert "The province\u2019s GDP reached 6461.3 billion yuan" in page.text
    assert 'href="/report/zhejiang-2021/text#char=' in page.text
    text = http(server.url + "/report/zhejiang-2021/text", accept="text/html")
    assert 'id="char=2216,2262"' in text.text


@pytest.mark.parametrize(("accept", "fmt", "media", "parser"), [
    ("text/turtle", "ttl", "text/turtle", "turtle"),
    ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
    ("application/n-triples", "nt", "application/n-triples", "nt"),
])
def test_entity_content_negotiation(server: ZjkgServer, accept: str, fmt: str, media: str,
                                    parser: str) -> None:
    for answer in (http(server.url + "/place/hangzhou", accept=accept),
                   http(server.url + f"/place/hangzhou?format={fmt}", accept="text/html")):
        assert answer.status == 200 and answer.media_type == media
        assert "accept" in answer.headers.get("vary", "").lower()
        graph = Graph().parse(data=answer.text, format=parser)
        assert (URIRef(HANGZHOU), LABEL, Literal("Hangzhou", lang="en")) in graph
        assert (URIRef(HANGZHOU), SAME_AS,
                URIRef("https://sws.geonames.org/1808926/")) in graph


def test_observation_data_includes_its_quote(server: ZjkgServer) -> None:
    answer = http(server.url + "/report/zhejiang-2021/observation/gdp-2020", accept="text/turtle")
    graph = Graph().parse(data=answer.text, format="turtle")
    anchors = {str(o) for o in graph.objects(None, URIRef(
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"))}
    assert "The province\u2019s GDP reached 6461.3 billion yuan" in anchors


def test_unknown_iri_is_404(server: ZjkgServer) -> None:
    for accept in ("text/html", "text/turtle", None):
        answer = http(server.url + "/place/atlantis", accept=accept)
        assert answer.status == 404
    assert "atlantis" in http(server.url + "/place/atlantis", accept="text/html").text


def test_dataset_description_is_served(server: ZjkgServer) -> None:
    answer = http(server.url + "/.well-known/void")
    assert answer.media_type == "text/turtle"
    assert answer.text == void_turtle()
    page = http(server.url + "/dataset/zhejiang-2021", accept="text/html")
    assert page.status == 200 and "Linkset" not in page.text.split("<h1>")[0]


def test_dumps_are_served(server: ZjkgServer) -> None:
    for path in ("/data/report2021.ttl", "/ontology/zjkg.ttl", "/data/void.ttl"):
        answer = http(server.url + path)
        assert answer.status == 200 and answer.media_type == "text/turtle"
        assert len(Graph().parse(data=answer.text, format="turtle")) > 0


def test_head_request(server: ZjkgServer) -> None:
    answer = http(server.url + "/place/hangzhou", method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert int(answer.headers["content-length"]) > 0


# -- a label holding markup renders as text ----------------------------------------------

def test_markup_in_labels_is_escaped(tmp_path: Path) -> None:
    evil = tmp_path / "evil.ttl"
    evil.write_text("""
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/zjkg/place/evil> a schema:Place ;
    rdfs:label "<script>alert('x')</script> & \\"quotes\\""@en .
<https://w3id.org/zjkg/place/good> a schema:Place ; rdfs:label "Good"@en ;
    schema:containedInPlace <https://w3id.org/zjkg/place/evil> ;
    schema:url <javascript:alert(1)> .
""", encoding="utf-8")
    small = make_server([evil], port=0, workers=1)
    small.start()
    try:
        for path in ("/place/evil", "/place/good",
                     "/query?" + urllib.parse.urlencode({"query": PLACES})):
            page = http(small.url + path, accept="text/html")
            assert page.status == 200
            assert "<script>alert" not in page.text
            assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;" \
                in page.text
            assert 'href="javascript:' not in page.text
    finally:
        small.stop()


# -- canned queries, the query page and the ontology -------------------------------------

def test_canned_query_list(server: ZjkgServer) -> None:
    listing = json.loads(http(server.url + "/queries", accept="application/json").body)
    assert {q["name"] for q in listing} == {q.name for q in list_queries()}
    page = http(server.url + "/queries", accept="text/html")
    assert "programs-in-place" in page.text


def test_canned_query_json_and_csv(server: ZjkgServer) -> None:
    url = server.url + "/queries/programs-in-place?place=Hangzhou"
    data = json.loads(http(url, accept="application/json").body)
    assert data["head"]["vars"][:2] == ["program", "program_label"]
    labels = {b["linked_place_label"]["value"] for b in data["results"]["bindings"]}
    assert labels == {"Hangzhou"} or "Hangzhou" in labels
    for answer in (http(url, accept="text/csv"), http(url + "&format=csv")):
        assert answer.media_type == "text/csv"
        assert answer.text.splitlines()[0].startswith("program,program_label")
        assert len(answer.text.splitlines()) == len(data["results"]["bindings"]) + 1


def test_canned_query_errors(server: ZjkgServer) -> None:
    assert http(server.url + "/queries/no-such-query").status == 404
    missing = http(server.url + "/queries/programs-in-place")
    assert missing.status == 400 and "place" in missing.text
    wrong = http(server.url + "/queries/programs-in-place?place=Atlantis")
    assert wrong.status == 400
    unknown = http(server.url + "/queries/programs-in-place?place=Hangzhou&colour=red")
    assert unknown.status == 400


def test_query_page_offers_canned_queries_and_runs_offline(server: ZjkgServer) -> None:
    page = http(server.url + "/query")
    assert page.status == 200 and 'id="query-form"' in page.text
    for canned in list_queries():
        assert html.escape(canned.title) in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    local = [a for a in assets if a.startswith("/")]
    assert "/static/query.js" in local and "/static/style.css" in local
    assert not [a for a in assets if re.match(r"(https?:)?//", a) and a.endswith((".js", ".css"))]
    assert http(server.url + "/static/query.js").media_type == "text/javascript"
    assert http(server.url + "/").status == 200


def test_query_page_renders_results(server: ZjkgServer) -> None:
    page = http(server.url + "/query?" + urllib.parse.urlencode({"query": PLACES}))
    assert 'id="results"' in page.text and 'href="/place/hangzhou"' in page.text
    refused = http(server.url + "/query?" + urllib.parse.urlencode({"query": "CLEAR ALL"}))
    assert refused.status == 403 and 'class="error"' in refused.text


def test_ontology_documentation(server: ZjkgServer) -> None:
    page = http(server.url + "/ontology", accept="text/html")
    assert page.status == 200 and page.media_type == "text/html"
    for anchor in ('id="Quote"', 'id="indicator"', 'id="code-kind"'):
        assert anchor in page.text
    turtle = http(server.url + "/ontology", accept="text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef("https://w3id.org/zjkg/ontology#Quote"), None, None) in graph


# -- the command line --------------------------------------------------------------------

def test_zjkg_serve_command() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "from zjkg.cli import run; run()", "serve", "--port", "0",
         "--no-log", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
        assert match, line + (process.stderr.read() if process.poll() is not None else "")
        answer = http(match.group(1) + "/sparql?query=" + urllib.parse.quote("ASK {}"))
        assert json.loads(answer.body)["boolean"] is True
    finally:
        process.terminate()
        process.wait(timeout=30)
