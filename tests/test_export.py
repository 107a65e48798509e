"""Exports: every RDF format round-trips (rdflib and pyoxigraph), bytes are deterministic,
tables match the graph, and the command writes files atomically."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF

from zjkg import resources
from zjkg.cli import cli
from zjkg.export import (
    ONTOLOGY_GRAPH,
    RDF_FORMATS,
    Compactor,
    data_graph_name,
    export_graph,
    load_context,
    load_parts,
    union,
)
from zjkg.ns import NIF, QB, SCHEMA, ZJKG
from zjkg.tables_export import TABLES, export_table

RDFLIB_NAMES = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig",
                "jsonld": "json-ld", "rdfxml": "xml"}
OXIGRAPH_NAMES = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
                  "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}
DATASET_FORMATS = {"nquads", "trig"}


@pytest.fixture(scope="module")
def parts() -> list[tuple[URIRef, Graph]]:
    return load_parts()


@pytest.fixture(scope="module")
def source(parts) -> Graph:
    return union(parts)


@pytest.fixture(scope="module")
def exported(parts) -> dict[str, bytes]:
    return {fmt: export_graph(format=fmt, parts=parts) for fmt in RDF_FORMATS}


def assert_isomorphic(got: Graph, expected: Graph, what: str) -> None:
    """Fail with the first 20 triples found only on each side."""
    if isomorphic(got, expected):
        return
    _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
    lines = [f"{what}: {len(got)} triples read back, {len(expected)} expected"]
    for title, side in (("only in the export", only_got), ("only in the source", only_expected)):
        rows = sorted(" ".join(term.n3() for term in triple) for triple in side)
        lines.append(f"{title} ({len(rows)}):")
        lines.extend(f"  {row}" for row in rows[:20])
    pytest.fail("\n".join(lines))


def rdflib_read(data: bytes, fmt: str) -> Graph:
    if fmt in DATASET_FORMATS:
        dataset = Dataset()
        dataset.parse(data=data, format=RDFLIB_NAMES[fmt])
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=data, format=RDFLIB_NAMES[fmt])


def as_rdflib(quads) -> Graph:
    """pyoxigraph's quads, through N-Triples (pyoxigraph's writer), into rdflib."""
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=text, format="nt")


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdflib_reads_back_the_same_graph(fmt, exported, source):
    assert_isomorphic(rdflib_read(exported[fmt], fmt), source, f"{fmt} via rdflib")


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_pyoxigraph_reads_back_the_same_graph(fmt, exported, source):
    oxi_format = getattr(pyoxigraph.RdfFormat, OXIGRAPH_NAMES[fmt], None)
    if oxi_format is None:  # pyoxigraph < 0.5 has no JSON-LD parser
        assert fmt == "jsonld"
        parsed = rdflib_read(exported[fmt], fmt)
        data = parsed.serialize(format="nt", encoding="utf-8")
        quads = pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        quads = pyoxigraph.parse(exported[fmt], oxi_format)
    assert_isomorphic(as_rdflib(quads), source, f"{fmt} via pyoxigraph")


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_export_is_deterministic(fmt, exported):
    again = export_graph(format=fmt, parts=load_parts())
    assert again == exported[fmt]


def test_bytes_do_not_depend_on_hash_seed(exported):
    script = ("import hashlib, sys\nfrom zjkg.export import export_graph, RDF_FORMATS\n"
              "for f in RDF_FORMATS: print(f, hashlib.sha256(export_graph(format=f))"
              ".hexdigest())\n")
    expected = "".join(f"{fmt} {hashlib.sha256(data).hexdigest()}\n"
                       for fmt, data in exported.items())
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                                text=True, env=env, check=True)
        assert result.stdout == expected


def test_ntriples_lines_are_sorted_and_have_no_blank_nodes(exported, source):
    lines = exported["nt"].decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(source)
    assert not any(line.startswith("_:") or " _:" in line for line in lines)
    assert not any(isinstance(term, BNode) for triple in source for term in triple)


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_named_graphs_separate_ontology_and_data(fmt, exported, parts):
    dataset = Dataset()
    dataset.parse(data=exported[fmt], format=RDFLIB_NAMES[fmt])
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    data_name = parts[-1][0]
    assert names == {str(ONTOLOGY_GRAPH), str(data_name)}
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    data = dataset.graph(data_name)
    assert (ONTOLOGY_GRAPH, RDF.type, OWL.Ontology) in ontology
    assert next(data.subjects(RDF.type, SCHEMA.Report), None) is not None
    assert next(ontology.subjects(RDF.type, QB.Observation), None) is None
    assert_isomorphic(data, parts[-1][1], f"{fmt} data graph")


def test_data_graph_is_named_by_the_dataset(parts):
    data = parts[-1][1]
    name = data_graph_name(data)
    assert (name, RDF.type, QB.DataSet) in data


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_data_only_leaves_out_the_ontology(fmt, parts):
    data = export_graph(format=fmt, data_only=True)
    graph = rdflib_read(data, fmt)
    assert (ONTOLOGY_GRAPH, RDF.type, OWL.Ontology) not in graph
    assert_isomorphic(graph, parts[-1][1], f"{fmt} --data-only")


def test_jsonld_embeds_the_published_context(exported):
    document = json.loads(exported["jsonld"])
    published = json.loads(resources.context_path().read_text(encoding="utf-8"))
    assert document["@context"] == published["@context"]
    observation = next(n for n in document["@graph"] if n.get("type") == "Observation")
    for key in ("label", "observationValue", "indicator", "period", "place", "quote", "unit"):
        assert key in observation, key
    assert isinstance(observation["observationValue"], str)  # lexical form kept
    assert not any("@id" in node for node in document["@graph"])  # the alias "id" is used


def test_context_names_every_predicate_and_class_of_the_data(parts):
    context = load_context()
    compactor = Compactor(context)
    data = parts[-1][1]
    predicates = {str(p) for p in data.predicates()} - {str(RDF.type)}
    assert predicates - set(compactor.properties) == set()
    for cls in (ZJKG.Program, SCHEMA.Place, QB.Observation, ZJKG.Quote, NIF.Paragraph):
        assert str(cls) in compactor.classes
    prefixes = {name for name, _ in compactor.prefixes}
    terms = {key for key in context if not key.startswith("@")} - prefixes
    assert not prefixes & terms
    for iri, (term, coercion, _) in compactor.properties.items():
        assert iri.startswith(("http://", "https://")), term
        assert coercion in (None, "@id") or coercion.startswith("http://www.w3.org/2001/"), term


def test_unknown_format_is_an_input_error():
    from zjkg.errors import InputError

    with pytest.raises(InputError):
        export_graph(format="yaml")


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tables(source) -> dict[str, list[dict[str, str]]]:
    return {name: list(csv.DictReader(io.StringIO(export_table(table=name, graph=source)
                                                  .decode("utf-8"))))
            for name in TABLES}


@pytest.mark.parametrize(("table", "cls"), [("observations", QB.Observation),
                                            ("programs", ZJKG.Program),
                                            ("places", SCHEMA.Place)])
def test_table_has_a_row_per_resource(table, cls, tables, source):
    rows = tables[table]
    assert list(rows[0]) == list(TABLES[table][0])
    assert sorted(r["id"] for r in rows) == sorted(str(s) for s in
                                                   set(source.subjects(RDF.type, cls)))
    assert export_table(table=table, graph=source) == export_table(table=table, graph=source)


def test_observation_quotes_are_the_text_at_their_offsets(tables):
    text = resources.source_path().read_text(encoding="utf-8")
    for row in tables["observations"]:
        begin, end = int(row["begin"]), int(row["end"])
        assert text[begin:end] == row["quote"], row["id"]
        assert row["value"] and row["unit"] and row["period"] and row["kind"], row["id"]
        assert row["paragraph"].startswith("https://w3id.org/zjkg/report/"), row["id"]
    begins = [int(r["begin"]) for r in tables["observations"]]
    assert begins == sorted(begins)


def test_places_table_links_identities(tables):
    rows = {r["id"]: r for r in tables["places"]}
    linked = [r for r in rows.values() if r["wikidata"]]
    assert linked
    for row in linked:
        assert row["wikidata"].startswith("http://www.wikidata.org/entity/Q")
    for row in rows.values():
        for parent in filter(None, row["contained_in"].split("|")):
            assert parent in rows, (row["id"], parent)


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "nquads", "csv", "graphml"])
def test_command_writes_a_file_atomically(fmt, tmp_path):
    target = tmp_path / "out" / f"graph.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 1000
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_command_writes_to_standard_output(exported):
    result = CliRunner().invoke(cli, ["export", "--format", "nt"])
    assert result.exit_code == 0
    assert result.stdout_bytes == exported["nt"]


def test_command_takes_data_files(tmp_path, parts):
    data = tmp_path / "data.ttl"
    data.write_bytes(export_graph(format="turtle", data_only=True, parts=parts[-1:]))
    result = CliRunner().invoke(cli, ["export", str(data), "--format", "nt", "--data-only"])
    assert result.exit_code == 0
    assert_isomorphic(Graph().parse(data=result.stdout_bytes, format="nt"), parts[-1][1],
                      "export of a data file")
