"""Tests of the canned queries, ``zjkg query``/``zjkg sparql`` and ``zjkg.query``.

Goldens: ``tests/golden/NAME.csv`` holds each canned query's answer to the example
parameters of its header (``# example: ...``): a header row with the columns, then one row
per solution whose cells are RDF terms in N-Triples syntax, so datatypes and language tags
are compared too. pyoxigraph, rdflib and a SPARQL endpoint over HTTP must all match it.

When the data changes, regenerate the goldens with one command and review the diff::

    ZJKG_UPDATE_GOLDEN=1 python -m pytest tests/test_queries.py

Speed is measured by ``benchmarks/bench_queries.py``, never asserted here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import zjkg
from zjkg.cli import main
from zjkg.errors import InputError
from zjkg.query import get_query, list_queries, run
from zjkg.query_catalog import CannedQuery, parse_query_file
from zjkg.query_engines import inject_values
from zjkg.results import FORMATS, PREFIXES, REPORT_PREFIXES, Term, render, to_term_csv

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ZJKG_UPDATE_GOLDEN") == "1"
QUERIES = [q.name for q in list_queries()]
NASTY = 'Hangzhou" } ; DROP ALL ; { <x> ?y \\" \'\'\' """\n}\r\n\tINSERT DATA { <a> <b> <c> } #'


# ---------------------------------------------------------------------------
# A local SPARQL 1.1 endpoint (127.0.0.1 only) for --endpoint
# ---------------------------------------------------------------------------

class _Endpoint(BaseHTTPRequestHandler):
    """Answers SPARQL 1.1 Protocol POSTs from a pyoxigraph store of the shipped graph."""

    store = None

    def do_POST(self) -> None:
        import pyoxigraph as ox

        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        try:
            answer = self.store.query(form["query"][0])
        except SyntaxError as exc:
            self._reply(400, "text/plain", str(exc).encode())
            return
        if isinstance(answer, ox.QueryTriples):
            body = ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
            self._reply(200, "application/n-triples", body)
        else:
            body = answer.serialize(format=ox.QueryResultsFormat.JSON)
            self._reply(200, "application/sparql-results+json", body)

    def _reply(self, code: int, media: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    from zjkg.graph import load_store

    handler = type("Handler", (_Endpoint,), {"store": load_store()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------
# The catalog
# ---------------------------------------------------------------------------

def test_catalog_has_the_canned_queries() -> None:
    assert len(QUERIES) >= 15
    for name in ("programs-in-place", "places-of-program", "indicator-trajectory",
                 "targets-2021", "section-mentions", "co-mentioned-programs", "program-parts",
                 "entity-facts", "search", "declines", "ranks", "linked-entities",
                 "five-year-plans", "themes"):
        assert name in QUERIES
    for canned in list_queries():
        assert canned.title and canned.description and canned.columns
        body = canned.text.upper()
        assert "WHERE" in body, f"{canned.name}: the endpoint binds into the top-level WHERE"
        if canned.form == "SELECT":
            assert "ORDER BY" in body, f"{canned.name} needs a total ORDER BY"
        for param in canned.params:
            if param.required:
                assert param.name in canned.example, f"{canned.name}: example lacks {param.name}"


def test_header_format_errors(tmp_path: Path) -> None:
    bad = {
        "no-title.rq": "# columns: x\nSELECT ?x WHERE {}\n",
        "bad-type.rq": "# title: t\n# param: x (number) d\n# columns: x\nSELECT ?x WHERE {}\n",
        "unused.rq": "# title: t\n# param: y (string) d\n# columns: x\nSELECT ?x WHERE {}\n",
        "unknown-key.rq": "# title: t\n# colums: x\nSELECT ?x WHERE {}\n",
        "reserved.rq": "# title: t\n# param: engine (string) d\n# columns: x\n"
                       "SELECT ?engine WHERE {}\n",
    }
    for name, text in bad.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError):
            parse_query_file(path)


def test_display_prefixes_are_the_packages() -> None:
    from zjkg import ns

    assert ns.PREFIXES is PREFIXES
    assert ns.report_prefixes("zhejiang-2021") == REPORT_PREFIXES


# ---------------------------------------------------------------------------
# Goldens, on every engine
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", QUERIES)
def test_canned_query_matches_golden_on_both_engines(name: str) -> None:
    canned = get_query(name)
    answers = {engine: run(canned, canned.example, engine=engine)
               for engine in ("oxigraph", "rdflib")}
    texts = {engine: to_term_csv(result) for engine, result in answers.items()}
    assert texts["oxigraph"] == texts["rdflib"], f"{name}: the engines disagree"
    if canned.form == "SELECT":
        assert tuple(answers["oxigraph"].columns) == canned.columns
    golden = GOLDEN / f"{name}.csv"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(texts["oxigraph"], encoding="utf-8", newline="")
    assert golden.is_file(), f"no golden for {name}: run ZJKG_UPDATE_GOLDEN=1 pytest"
    assert texts["oxigraph"] == golden.read_text(encoding="utf-8")
    assert len(answers["oxigraph"]) > 0, f"{name}: its example finds nothing"


@pytest.mark.parametrize("name", QUERIES)
def test_canned_query_over_http_matches_golden(name: str, endpoint: str) -> None:
    canned = get_query(name)
    result = run(canned, canned.example, endpoint=endpoint)
    assert to_term_csv(result) == (GOLDEN / f"{name}.csv").read_text(encoding="utf-8")


def test_every_golden_belongs_to_a_query() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.csv")) == sorted(QUERIES)


# ---------------------------------------------------------------------------
# Mistakes are InputErrors (exit 2) that list the valid choices
# ---------------------------------------------------------------------------

def test_unknown_query(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="unknown query 'nope'") as caught:
        zjkg.query("nope")
    assert "programs-in-place" in str(caught.value)
    code, _, err = _cli(capsys, "query", "nope")
    assert code == 2 and "unknown query" in err and "search" in err


def test_unknown_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="no parameter 'town'") as caught:
        zjkg.query("programs-in-place", town="Hangzhou")
    assert "place (entity" in str(caught.value)
    code, _, err = _cli(capsys, "query", "programs-in-place", "-p", "town=Hangzhou")
    assert code == 2 and "place (entity" in err


def test_missing_required_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="needs parameter 'place'"):
        zjkg.query("programs-in-place")
    code, _, err = _cli(capsys, "query", "programs-in-place")
    assert code == 2 and "needs parameter 'place'" in err


def test_bad_parameter_values(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="must be an integer"):
        zjkg.query("co-mentioned-programs", min="two")
    with pytest.raises(InputError, match="non-empty"):
        zjkg.query("search", text="  ")
    code, _, err = _cli(capsys, "query", "search", "-p", "text")
    assert code == 2 and "KEY=VALUE" in err


def test_entity_that_matches_nothing_lists_choices() -> None:
    with pytest.raises(InputError, match="no place is called 'Hangzou'") as caught:
        zjkg.query("programs-in-place", place="Hangzou")
    assert "Hangzhou (place:hangzhou)" in str(caught.value)
    with pytest.raises(InputError, match="no theme is called 'purple'") as small:
        zjkg.query("themes", theme="purple")
    assert "green" in str(small.value)  # few candidates: all are listed


def test_entity_that_matches_several_lists_them() -> None:
    with pytest.raises(InputError, match="names 2 sections") as caught:
        zjkg.query("section-mentions", section="item-1")
    assert "r:part-1/item-1" in str(caught.value) and "r:part-2/item-1" in str(caught.value)


# ---------------------------------------------------------------------------
# Parameters are data, never query text
# ---------------------------------------------------------------------------

def _echo_query(tmp_path: Path) -> CannedQuery:
    path = tmp_path / "echo.rq"
    path.write_text("# title: echo\n# param: text (string, required) anything\n"
                    "# columns: echoed\nSELECT ?echoed WHERE { BIND(STR(?text) AS ?echoed) }"
                    "\nORDER BY ?echoed\n", encoding="utf-8")
    return parse_query_file(path)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib", "endpoint"])
def test_injection_is_treated_as_data(engine: str, endpoint: str, tmp_path: Path) -> None:
    options = {"endpoint": endpoint} if engine == "endpoint" else {"engine": engine}
    echo = _echo_query(tmp_path)
    result = run(echo, {"text": NASTY}, **options)
    assert [row["echoed"] for row in result] == [NASTY]
    assert len(run(get_query("search"), {"text": NASTY}, **options)) == 0
    with pytest.raises(InputError, match="no place is called"):
        run(get_query("programs-in-place"), {"place": NASTY}, **options)
    # a quote inside the value is matched literally against the text
    hits = run(get_query("search"), {"text": '"important window"'}, **options)
    assert any(row["field"] == "text" for row in hits)
    assert len(zjkg.query("linked-entities")) == len(run(get_query("linked-entities"), {},
                                                         **options))


def test_values_block_escapes_terms() -> None:
    import pyoxigraph as ox

    injected = inject_values("SELECT ?x WHERE { BIND(1 AS ?one) }", {"x": Term.literal(NASTY)})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://p"),
                      ox.Literal("o")))
    answer = list(store.query(injected))
    assert answer[0]["x"].value == NASTY
    assert len(store) == 1


# ---------------------------------------------------------------------------
# Entity names
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "Hangzhou", "hangzhou", "HANGZHOU", "  Hangzhou ", "杭州市", "place:hangzhou",
    "place/hangzhou", "https://w3id.org/zjkg/place/hangzhou",
    "<https://w3id.org/zjkg/place/hangzhou>",
])
def test_place_names_resolve(name: str) -> None:
    rows = zjkg.query("place-hierarchy", place=name).rows
    assert {row["place"] for row in rows} == {"https://w3id.org/zjkg/place/hangzhou"}


@pytest.mark.parametrize(("name", "iri"), [
    ("Hubei", "https://w3id.org/zjkg/place/hubei"),  # skos:altLabel
    ("中华人民共和国", "https://w3id.org/zjkg/place/china"),  # @zh skos:altLabel
    ("provincial party committee", "https://w3id.org/zjkg/organization/"
                                   "cpc-zhejiang-provincial-committee"),
    ("I.5", "https://w3id.org/zjkg/report/zhejiang-2021/part-1/item-5"),
    ("paragraph 10", "https://w3id.org/zjkg/report/zhejiang-2021/paragraph/10"),
    ("13th Five-Year Plan period", "https://w3id.org/zjkg/period/2016-2020"),
])
def test_labels_resolve(name: str, iri: str) -> None:
    from zjkg.query_engines import get_engine
    from zjkg.query_resolve import resolver_for

    assert resolver_for(get_engine()).resolve(name) == iri
    assert resolver_for(get_engine("rdflib")).resolve(name) == iri


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", FORMATS)
def test_select_formats_parse(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = zjkg.query("programs-in-place", place="Hangzhou")
    code, out, err = _cli(capsys, "query", "programs-in-place", "-p", "place=Hangzhou",
                          "--format", fmt)
    assert code == 0, err
    rows = len(expected)
    if fmt == "table":
        assert out.splitlines()[0].split() == list(expected.columns)
        assert out.rstrip().endswith(f"({rows} rows)")
    elif fmt == "csv":
        table = list(csv.reader(io.StringIO(out)))
        assert table[0] == list(expected.columns) and len(table) == rows + 1
    elif fmt == "tsv":
        lines = out.rstrip("\n").split("\n")
        assert lines[0].split("\t") == [f"?{c}" for c in expected.columns]
        assert len(lines) == rows + 1
    elif fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"] == list(expected.columns)
        assert len(data["results"]["bindings"]) == rows
        first = data["results"]["bindings"][0]
        assert first["program"]["type"] == "uri"
        assert first["program_label"] == {"type": "literal", "value":
                                          expected.rows[0]["program_label"], "xml:lang": "en"}
    else:
        _check_result_set_rdf(out, fmt, rows, len(expected.columns))


def _check_result_set_rdf(text: str, fmt: str, rows: int, columns: int) -> None:
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    rs = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
    graph = Graph().parse(data=text, format="turtle" if fmt == "ttl" else "json-ld")
    sets = list(graph.subjects(RDF.type, rs.ResultSet))
    assert len(sets) == 1
    assert len(list(graph.objects(sets[0], rs.resultVariable))) == columns
    assert len(list(graph.objects(sets[0], rs.solution))) == rows


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_construct_formats_are_the_graph(fmt: str, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    from rdflib import Graph, Literal, URIRef

    result = zjkg.query("describe-entity", entity="Hangzhou")
    code, out, err = _cli(capsys, "query", "describe-entity", "-p", "entity=Hangzhou",
                          "-f", fmt)
    assert code == 0, err
    graph = Graph().parse(data=out, format="turtle" if fmt == "ttl" else "json-ld")
    assert len(graph) == len(result)
    hangzhou = URIRef("https://w3id.org/zjkg/place/hangzhou")
    assert (hangzhou, URIRef(PREFIXES["rdfs"] + "label"), Literal("杭州市", lang="zh")) in graph


def test_ask_and_construct_in_tables() -> None:
    ask = zjkg.query.sparql("ASK { place:hangzhou schema:containedInPlace place:zhejiang }")
    assert ask.kind == "ask" and ask.boolean is True
    assert render(ask, "table") == "yes\n"
    assert json.loads(render(ask, "json")) == {"head": {}, "boolean": True}
    described = zjkg.query("describe-entity", entity="Hangzhou")
    assert described.columns == ["subject", "predicate", "object"]
    assert render(described, "csv").splitlines()[0] == "subject,predicate,object"


# ---------------------------------------------------------------------------
# The command line and the API
# ---------------------------------------------------------------------------

def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "query", "--list")
    assert code == 0
    for canned in list_queries():
        assert canned.name in out
    assert "place (entity: schema:Place, required)" in out
    code, out, _ = _cli(capsys, "query", "--list", "--format", "json")
    names = [b["name"]["value"] for b in json.loads(out)["results"]["bindings"]]
    assert names == QUERIES


def test_show_prints_the_query(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "query", "search", "--show")
    assert code == 0 and out.startswith("# title:") and "SELECT" in out


def test_sparql_command(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "SELECT ?p WHERE { ?p a zjkg:Program ; dcterms:isPartOf program:greater-corridor }" \
           " ORDER BY ?p"
    code, out, _ = _cli(capsys, "sparql", text, "-f", "csv")
    assert code == 0 and out.splitlines()[0] == "p" and len(out.splitlines()) > 5
    file = tmp_path / "q.rq"
    file.write_text(text, encoding="utf-8")
    code, out_file, _ = _cli(capsys, "sparql", str(file), "-f", "csv", "--engine", "rdflib")
    assert code == 0 and out_file == out
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out_stdin, _ = _cli(capsys, "sparql", "-", "-f", "csv")
    assert code == 0 and out_stdin == out
    code, _, err = _cli(capsys, "sparql", "SELECT ?x WHERE {")
    assert code == 2 and "syntax" in err
    code, _, err = _cli(capsys, "sparql", "missing-file.rq")
    assert code == 2 and "no such file" in err


def test_sparql_over_http(capsys: pytest.CaptureFixture[str], endpoint: str) -> None:
    text = "SELECT ?p WHERE { ?p dcterms:isPartOf program:greater-corridor } ORDER BY ?p"
    code, remote, err = _cli(capsys, "sparql", text, "-f", "csv", "--endpoint", endpoint)
    assert code == 0, err
    code, local, _ = _cli(capsys, "sparql", text, "-f", "csv")
    assert remote == local and len(local.splitlines()) > 5
    code, _, err = _cli(capsys, "sparql", "SELECT ?x WHERE {", "--endpoint", endpoint)
    assert code == 2 and "HTTP 400" in err


def test_unreachable_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "query", "ranks", "--endpoint", "http://127.0.0.1:9/sparql")
    assert code == 2 and "cannot reach" in err


def test_api_rows_are_python_values() -> None:
    result = zjkg.query("targets-2021", indicator="urbanization rate of permanent residents")
    assert result.columns[0] == "indicator" and len(result) == 1
    row = result[0]
    assert row["target"] == Decimal("72")
    assert row["latest_value"] == Decimal("71")
    assert row["change_needed_pct"] == Decimal("1.41")
    assert row["comparator"] == "https://w3id.org/zjkg/code/comparator/about"
    counts = zjkg.query("theme-summary").rows
    assert all(isinstance(r["paragraphs"], int) for r in counts)


def test_query_is_lazy_and_callable() -> None:
    import importlib

    module = importlib.import_module("zjkg.query")
    assert zjkg.query is module  # the module, callable as the function
    assert callable(zjkg.query) and zjkg.query.query is module.query
    assert len(zjkg.query("ranks")) > 0
    from zjkg import query_frame

    assert query_frame is module.query_frame


def test_query_frame() -> None:
    pandas = pytest.importorskip("pandas")
    frame = zjkg.query_frame("linked-entities")
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["entity", "label", "label_zh", "link_type", "link"]
    assert len(frame) == len(zjkg.query("linked-entities"))


def test_query_frame_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        zjkg.query_frame("linked-entities")


def test_oxigraph_path_never_imports_rdflib() -> None:
    code = ("import sys; from zjkg.cli import main; "
            "rc = main(['query', 'programs-in-place', '-p', 'place=Hangzhou', '-f', 'json']); "
            "assert rc == 0, rc; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pandas')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_module_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "zjkg.cli", "query", "programs-in-place",
                           "-p", "place=Hangzhou", "-f", "csv"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("program,program_label")
    done = subprocess.run([sys.executable, "-m", "zjkg.cli", "query", "nope"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "unknown query" in done.stderr
