"""Networks: their shape, the analysis, name resolution, paths in words, and file formats
that networkx (and so Gephi) reads back."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner
from networkx.readwrite import json_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from zjkg.cli import cli
from zjkg.errors import InputError
from zjkg.graph import load_graph
from zjkg.network import (
    FORMATS,
    STRUCTURE_TYPES,
    analyse,
    build_network,
    centrality,
    communities,
    components,
    explain,
    export_network,
    pagerank,
    resolve_entity,
    shortest_path,
)
from zjkg.ns import NIF, SCHEMA, ZJKG

ENTITY_RELATIONS = {"part-of", "contained-in", "concerns", "measured-by", "mentions",
                    "reports", "measured-in"}
R = "https://w3id.org/zjkg/"


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def networks(rdf) -> dict[str, nx.Graph]:
    return {kind: build_network(kind, rdf) for kind in ("entity", "bipartite", "comention",
                                                         "path")}


def tiny() -> Graph:
    """A report with one item and one paragraph naming a program and a place."""
    g = Graph()
    report, item, para = URIRef(R + "report/x"), URIRef(R + "report/x/part-1/item-1"), \
        URIRef(R + "report/x/paragraph/7")
    program, place, lone = URIRef(R + "program/eagle"), URIRef(R + "place/hangzhou"), \
        URIRef(R + "program/lone")
    g.add((report, RDF.type, SCHEMA.Report))
    g.add((report, RDFS.label, Literal("Report", lang="en")))
    g.add((item, RDF.type, ZJKG.Item))
    g.add((item, RDFS.label, Literal("I.3 Important progress in innovation", lang="en")))
    g.add((para, RDF.type, NIF.Paragraph))
    g.add((para, RDFS.label, Literal("paragraph 7: We carried out …")))
    g.add((para, DCTERMS.isPartOf, item))
    g.add((para, SCHEMA.mentions, program))
    g.add((para, SCHEMA.mentions, place))
    g.add((program, RDF.type, ZJKG.Program))
    g.add((program, RDFS.label, Literal("Eagle Action", lang="en")))
    g.add((place, RDF.type, SCHEMA.Place))
    g.add((place, RDFS.label, Literal("Hangzhou", lang="en")))
    g.add((lone, RDF.type, ZJKG.Program))
    g.add((lone, RDFS.label, Literal("Lone <Program> & Co", lang="en")))
    return g


# ---------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["entity", "bipartite", "comention", "path"])
def test_nodes_are_iris_with_string_label_and_type(kind, networks):
    network = networks[kind]
    assert network.number_of_nodes() > 10
    for node, data in network.nodes(data=True):
        assert node.startswith(R), node
        assert isinstance(data["label"], str) and data["label"], node
        assert isinstance(data["type"], str) and data["type"], node
    for _, _, data in network.edges(data=True):
        assert data["relation"] and data["weight"] >= 1


def test_entity_network_has_typed_edges(networks, rdf):
    network = networks["entity"]
    relations = {r for _, _, rel in network.edges(data="relation") for r in rel.split("|")}
    assert relations >= ENTITY_RELATIONS
    types = {t for _, t in network.nodes(data="type")}
    assert {"program", "place", "indicator", "organization", "section"} <= types
    assert "paragraph" not in types
    for program in rdf.subjects(RDF.type, ZJKG.Program):
        for place in rdf.objects(program, DCTERMS.spatial):
            assert "concerns" in network.edges[str(program), str(place)]["relation"]


def text_mentions(rdf: Graph) -> list[tuple[URIRef, URIRef]]:
    """Mentions in the report's paragraphs and headings (not in page furniture)."""
    return [(b, e) for b, e in rdf.subject_objects(SCHEMA.mentions)
            if (b, RDF.type, NIF.Paragraph) in rdf or (b, RDF.type, NIF.Title) in rdf]


def test_path_network_puts_paragraphs_between_sections_and_entities(networks, rdf):
    network = networks["path"]
    pairs = text_mentions(rdf)
    assert pairs
    for block, entity in pairs:
        assert network.has_edge(str(block), str(entity))
        assert network.nodes[str(block)]["type"] in ("paragraph", "heading")


def test_bipartite_network_joins_programs_to_places(networks):
    network = networks["bipartite"]
    assert nx.is_bipartite(network)
    for _, data in network.nodes(data=True):
        assert data["bipartite"] == (0 if data["type"] == "program" else 1)
    for u, v in network.edges():
        assert {network.nodes[u]["type"], network.nodes[v]["type"]} == {"program", "place"}


def test_comention_weights_count_shared_paragraphs(networks, rdf):
    network = networks["comention"]
    mentioned: dict[str, set[str]] = {}
    for block, entity in text_mentions(rdf):
        mentioned.setdefault(str(entity), set()).add(str(block))
    for u, v, data in network.edges(data=True):
        shared = mentioned[u] & mentioned[v]
        assert data["weight"] == len(shared) == len(data["paragraphs"].split())


def test_building_is_deterministic(rdf, networks):
    again = build_network("entity", rdf)
    assert list(again.nodes(data=True)) == list(networks["entity"].nodes(data=True))
    assert list(again.edges(data=True)) == list(networks["entity"].edges(data=True))


def test_unknown_network_kind_is_an_input_error(rdf):
    with pytest.raises(InputError):
        build_network("social", rdf)


# ---------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["entity", "bipartite", "comention"])
def test_centrality_lists_are_ranked_entities(kind, networks):
    result = centrality(networks[kind], top=7)
    for measure in ("degree", "betweenness", "pagerank"):
        rows = result[measure]
        assert 0 < len(rows) <= 7
        scores = [row["score"] for row in rows]
        assert scores == sorted(scores, reverse=True)
        assert not any(row["type"] in STRUCTURE_TYPES for row in rows)


def test_structure_can_be_ranked_too(networks):
    rows = centrality(networks["path"], top=20, structure=True)["degree"]
    assert any(row["type"] in STRUCTURE_TYPES for row in rows)


def test_pagerank_is_a_distribution(networks):
    for kind in ("entity", "comention"):
        scores = pagerank(networks[kind])
        assert math.isclose(sum(scores.values()), 1.0, abs_tol=1e-6)
        assert min(scores.values()) > 0


def test_pagerank_agrees_with_networkx(networks):
    pytest.importorskip("scipy")
    network = networks["comention"]
    ours, theirs = pagerank(network), nx.pagerank(network, weight="weight", tol=1e-12)
    assert all(math.isclose(ours[n], theirs[n], abs_tol=1e-6) for n in network)


@pytest.mark.parametrize("kind", ["entity", "bipartite", "comention"])
def test_components_and_communities_partition_the_nodes(kind, networks):
    network = networks[kind]
    for groups in (components(network), communities(network, seed=3)[0]):
        flat = [n for group in groups for n in group]
        assert sorted(flat) == sorted(network) and len(flat) == len(set(flat))
        assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    found, modularity = communities(network, seed=3)
    assert -0.5 <= modularity <= 1
    assert communities(network, seed=3) == (found, modularity)


def test_analysis_does_not_depend_on_hash_seed(networks):
    script = ("import json\nfrom zjkg.network import analyse, build_network\n"
              "print(json.dumps(analyse(build_network('comention'), top=5)))\n")
    expected = json.dumps(analyse(networks["comention"], top=5)) + "\n"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                                text=True, env=env, check=True)
        assert result.stdout == expected


def test_analysis_is_json_ready(networks):
    result = analyse(networks["entity"], top=5)
    text = json.dumps(result)
    assert json.loads(text)["nodes"] == networks["entity"].number_of_nodes()
    assert result["components"]["count"] >= 1 and result["communities"]["count"] >= 1


# ---------------------------------------------------------------------------
# Names and paths
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", [R + "place/hangzhou", "<" + R + "place/hangzhou>",
                                  "place:hangzhou", "hangzhou", "place/hangzhou",
                                  "HANGZHOU", "  Hangzhou "])
def test_resolve_by_iri_slug_or_label(name):
    g = tiny()
    network = build_network("path", g)
    assert resolve_entity(name, network, g) == R + "place/hangzhou"


def test_resolve_report_prefixes_in_the_shipped_graph(networks, rdf):
    paragraph = next(n for n, t in networks["path"].nodes(data="type") if t == "paragraph")
    number = paragraph.rsplit("/", 1)[-1]
    assert resolve_entity(f"paragraph:{number}", networks["path"], rdf) == paragraph


def test_resolve_by_alt_label_in_the_shipped_graph(networks, rdf):
    from rdflib.namespace import SKOS

    program, alt = next((s, o) for s, o in rdf.subject_objects(SKOS.altLabel)
                        if (s, RDF.type, ZJKG.Program) in rdf)
    matches = [s for s, o in rdf.subject_objects(SKOS.altLabel | RDFS.label | SKOS.prefLabel)
               if str(o).casefold() == str(alt).casefold()]
    if len(set(matches)) == 1:
        assert resolve_entity(str(alt).upper(), networks["path"], rdf) == str(program)


def test_resolve_refuses_unknown_and_ambiguous_names():
    g = tiny()
    for slug in ("hangzhou-bay", "hangzhou-bay-area"):
        g.add((URIRef(R + "place/" + slug), RDF.type, SCHEMA.Place))
        g.add((URIRef(R + "place/" + slug), RDFS.label, Literal("Hangzhou Bay", lang="en")))
    network = build_network("path", g)
    with pytest.raises(InputError, match="names 2"):
        resolve_entity("Hangzhou Bay", network, g)
    with pytest.raises(InputError, match="no entity is called"):
        resolve_entity("Atlantis", network, g)


def test_path_is_explained_edge_by_edge():
    steps = shortest_path("eagle action", "Hangzhou", graph=tiny())
    assert [s.relation for s in steps] == ["mentions", "mentions"]
    assert [s.forward for s in steps] == [False, True]
    assert explain(steps) == ("Eagle Action is mentioned in paragraph 7 (I.3 Important "
                              "progress in innovation), which mentions Hangzhou.")


def test_path_to_itself_and_to_nothing():
    g = tiny()
    assert shortest_path("Hangzhou", "place:hangzhou", graph=g) == []
    with pytest.raises(InputError, match="not connected"):
        shortest_path("Hangzhou", "Lone <Program> & Co", graph=g)


def test_paths_in_the_shipped_graph_follow_real_edges(networks, rdf):
    network = networks["path"]
    entities = [n for n, t in network.nodes(data="type") if t in ("program", "indicator")]
    first, last = entities[0], entities[-1]
    steps = shortest_path(first, last, graph=rdf, network=network)
    assert steps[0].source == first and steps[-1].target == last
    for step, following in itertools.pairwise(steps):
        assert step.target == following.source
    for step in steps:
        edge = (step.source, step.target) if step.forward else (step.target, step.source)
        assert network.has_edge(*edge)
        assert step.relation == network.edges[edge]["relation"]
    assert explain(steps).endswith(".")


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def read_back(data: bytes, fmt: str, tmp_path) -> nx.Graph:
    path = tmp_path / f"network.{fmt}"
    path.write_bytes(data)
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    return json_graph.node_link_graph(json.loads(data), edges="edges")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["entity", "bipartite", "comention"])
def test_network_files_read_back(kind, fmt, networks, tmp_path):
    network = networks[kind]
    data = export_network(kind, format=fmt, network=network)
    assert data == export_network(kind, format=fmt, network=network)
    back = read_back(data, fmt, tmp_path)
    assert set(back) == set(network)
    assert back.number_of_edges() == network.number_of_edges()
    assert back.is_directed() == network.is_directed()
    for node, attrs in network.nodes(data=True):
        assert back.nodes[node]["label"] == attrs["label"]
        assert back.nodes[node]["type"] == attrs["type"]
    u, v, attrs = next(iter(network.edges(data=True)))
    assert back.edges[u, v]["relation"] == attrs["relation"]
    if fmt == "gexf":
        assert b"lastmodifieddate" not in data


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["entity", "bipartite", "comention"])
def test_network_command(kind):
    runner = CliRunner()
    text = runner.invoke(cli, ["network", "--graph", kind, "--top", "3"])
    assert text.exit_code == 0, text.output
    assert "Most central by betweenness" in text.output and "Communities" in text.output
    data = runner.invoke(cli, ["network", "--graph", kind, "--format", "json"])
    assert json.loads(data.output)["graph"] == kind


def test_path_command(rdf):
    program = next(str(p) for p in sorted(rdf.subjects(RDF.type, ZJKG.Program))
                   if (None, SCHEMA.mentions, p) in rdf)
    runner = CliRunner()
    result = runner.invoke(cli, ["path", program, "place:zhejiang", "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)["steps"]
    assert steps[0]["source"] == program and steps[-1]["target"] == R + "place/zhejiang"
    missing = runner.invoke(cli, ["path", program, "no such thing anywhere"])
    assert missing.exit_code != 0
