"""``zjkg push`` against a real Oxigraph server, and ``zjkg query --endpoint`` against it."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from zjkg.cli import main
from zjkg.errors import DataError, InputError
from zjkg.push import count_triples, push, query_endpoint_for, store_url
from zjkg.query import query as run_query


def _oxigraph_binary() -> str | None:
    """The ``oxigraph`` executable of PyPI's ``oxigraph`` package: beside this Python, or
    on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free 127.0.0.1 port; yields its base URL."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph binary is absent: `pip install oxigraph` provides it")
    location = tmp_path_factory.mktemp("oxigraph")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([binary, "serve", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(200):  # bounded wait for the port to answer
            if process.poll() is not None:
                assert process.stderr is not None
                pytest.fail("oxigraph exited: " + process.stderr.read().decode()[-500:])
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph did not start")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def test_layouts_give_the_query_endpoint() -> None:
    assert query_endpoint_for("http://127.0.0.1:7878/store") == "http://127.0.0.1:7878/query"
    assert query_endpoint_for("http://h:3030/ds/data") == "http://h:3030/ds/query"
    assert (query_endpoint_for("http://h:7200/repositories/zj/rdf-graphs/service")
            == "http://h:7200/repositories/zj")
    assert (query_endpoint_for("http://h:8080/rdf4j-server/repositories/zj/statements")
            == "http://h:8080/rdf4j-server/repositories/zj")
    assert query_endpoint_for("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    with pytest.raises(InputError, match="query-endpoint"):
        query_endpoint_for("http://h/somewhere")


def test_store_url_addresses_a_graph() -> None:
    assert store_url("http://h/store", None) == "http://h/store?default"
    assert (store_url("http://h/store", "https://w3id.org/zjkg/g")
            == "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fzjkg%2Fg")
    assert store_url("http://h/store?x=1", None) == "http://h/store?x=1&default"


def test_push_default_graph(oxigraph: str, graph: Graph) -> None:
    report = push(oxigraph + "/store")
    assert report.ok and report.sent == len(graph) == report.found
    assert report.query_endpoint == oxigraph + "/query"
    again = push(oxigraph + "/store")  # PUT replaces: the same count, not twice as many
    assert again.found == len(graph)


def test_push_named_graph_as_ntriples(oxigraph: str, graph: Graph) -> None:
    name = "https://w3id.org/zjkg/graph/zhejiang-2021"
    report = push(oxigraph + "/store", graph=name, rdf_format="nt")
    assert report.media_type == "application/n-triples"
    assert count_triples(oxigraph + "/query", name) == len(graph)
    answer = json.loads(urllib.request.urlopen(oxigraph + "/query?" + urllib.parse.urlencode({
        "query": f"ASK {{ GRAPH <{name}> {{ <https://w3id.org/zjkg/place/hangzhou> ?p ?o }} }}"
    })).read())
    assert answer["boolean"] is True


def test_push_post_adds(oxigraph: str, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://w3id.org/zjkg/place/x> <http://www.w3.org/2000/01/rdf-schema#"
                     'label> "X" .\n', encoding="utf-8")
    name = "https://w3id.org/zjkg/graph/extra"
    first = push(oxigraph + "/store", graph=name, files=[extra], method="POST")
    assert first.found >= first.sent > 0


def test_push_command(oxigraph: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", "--endpoint", oxigraph + "/store"]) == 0
    out = capsys.readouterr().out
    assert "PUT" in out and "counts" in out


def test_count_mismatch_exits_1(oxigraph: str, tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text("<https://w3id.org/zjkg/place/y> <http://www.w3.org/2000/01/rdf-schema#"
                     'label> "Y" .\n', encoding="utf-8")
    name = "https://w3id.org/zjkg/graph/small"
    push(oxigraph + "/store", graph=name, files=[small])
    with pytest.raises(DataError, match="counts"):
        # the store's default graph holds the whole graph, not what this push sent
        push(oxigraph + "/store", graph=name, files=[small],
             query_endpoint=oxigraph + "/query?default-graph-uri=" + urllib.parse.quote(
                 "https://w3id.org/zjkg/graph/zhejiang-2021"))
    code = main(["push", "--endpoint", oxigraph + "/store", "--graph", name,
                 "--query-endpoint", oxigraph + "/query?default-graph-uri=" + urllib.parse.quote(
                     "https://w3id.org/zjkg/graph/zhejiang-2021"), str(small)])
    assert code == 1


def test_unreachable_store_exits_2() -> None:
    url = f"http://127.0.0.1:{_free_port()}/store"
    with pytest.raises(InputError, match="cannot reach"):
        push(url, timeout=5)
    assert main(["push", "--endpoint", url, "--timeout", "5"]) == 2
    assert main(["push", "--endpoint", "ftp://example/store"]) == 2


def test_canned_query_against_the_store(oxigraph: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    push(oxigraph + "/store")
    local = run_query("programs-in-place", place="Hangzhou")
    remote = run_query("programs-in-place", endpoint=oxigraph + "/query", place="Hangzhou")
    assert len(remote) == len(local) > 0
    assert [r["program"] for r in remote] == [r["program"] for r in local]
    code = main(["query", "programs-in-place", "--param", "place=Hangzhou", "--endpoint",
                 oxigraph + "/query", "--format", "csv"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("program")
    assert len(out.strip().splitlines()) == len(local) + 1


def test_pushed_triples_match_the_graph(oxigraph: str, graph: Graph) -> None:
    push(oxigraph + "/store", rdf_format="nt")
    body = urllib.request.urlopen(urllib.request.Request(
        oxigraph + "/store?default", headers={"Accept": "application/n-triples"})).read()
    remote = Graph().parse(data=body.decode("utf-8"), format="nt")
    assert len(remote) == len(graph)
    assert (URIRef("https://w3id.org/zjkg/place/hangzhou"), None, None) in remote
