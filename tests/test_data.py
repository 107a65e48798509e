"""The encoding itself: every quote, value, label, link and mention checked against the source."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, SKOS

from zjkg import resources
from zjkg.ns import NIF, QB, SCHEMA, SDMX_MEASURE, ZJKG
from zjkg.numbers import read_number
from zjkg.tables import check, load_tables
from zjkg.text import lines

CHANGES = {URIRef("https://w3id.org/zjkg/code/measure/change"),
           URIRef("https://w3id.org/zjkg/code/measure/average-annual-change")}


def test_source_is_the_shared_text_byte_for_byte(tests_dir) -> None:
    shared = tests_dir.parents[1] / "shared" / "source" / "zhejiang-gwr-2021.en.txt"
    if not shared.is_file():
        pytest.skip(f"no shared/ beside this checkout ({shared})")
    assert resources.source_path().read_bytes() == shared.read_bytes()


def test_source_keeps_no_break_spaces_and_curly_quotes(source: str) -> None:
    assert source.count("\u00a0") == 678
    assert source.count("\u201c") == source.count("\u201d") == 13
    assert source.count("\u2019") == 23


def test_tables_have_no_problems(source: str) -> None:
    assert check(load_tables(), source) == []


def test_every_text_block_is_the_source_at_its_offsets(data_graph: Graph, source: str) -> None:
    blocks = [b for cls in (NIF.Paragraph, NIF.Title, ZJKG.PageFurniture)
              for b in data_graph.subjects(RDF.type, cls)]
    assert len(blocks) == len(lines(source))
    for block in blocks:
        begin = int(data_graph.value(block, NIF.beginIndex))
        end = int(data_graph.value(block, NIF.endIndex))
        assert str(data_graph.value(block, NIF.anchorOf)) == source[begin:end], block


def test_every_quote_is_the_source_at_its_offsets(data_graph: Graph, source: str) -> None:
    quotes = list(data_graph.subjects(RDF.type, ZJKG.Quote))
    assert quotes
    for quote in quotes:
        begin = int(data_graph.value(quote, NIF.beginIndex))
        end = int(data_graph.value(quote, NIF.endIndex))
        assert str(data_graph.value(quote, NIF.anchorOf)) == source[begin:end], quote
        assert str(quote).endswith(f"#char={begin},{end}")
        block = data_graph.value(quote, NIF.superString)
        assert int(data_graph.value(block, NIF.beginIndex)) <= begin
        assert end <= int(data_graph.value(block, NIF.endIndex))


def test_every_observation_value_reads_back_from_its_quote(data_graph: Graph) -> None:
    observations = list(data_graph.subjects(RDF.type, QB.Observation))
    assert len(observations) >= 200
    for obs in observations:
        written = str(data_graph.value(obs, ZJKG.numberText))
        quote = str(data_graph.value(data_graph.value(obs, PROV.wasDerivedFrom), NIF.anchorOf))
        assert written in quote.replace("\u00a0", " "), obs
        value = Decimal(str(data_graph.value(obs, SDMX_MEASURE.obsValue)))
        expected = read_number(written)
        assert abs(value) == abs(expected), f"{obs}: {value} is not {written!r}"
        if value < 0 and not written.startswith("-"):
            assert data_graph.value(obs, ZJKG.measure) in CHANGES, f"{obs}: only changes fall"


def test_values_are_decimals_in_canonical_form(data_graph: Graph) -> None:
    for value in data_graph.objects(None, SDMX_MEASURE.obsValue):
        assert isinstance(value, Literal)
        text = str(value)
        assert not (("." in text) and text.endswith("0")), text
        assert not text.endswith(".")


@pytest.mark.parametrize("cls", [ZJKG.Program, SCHEMA.Place, SCHEMA.Organization,
                                 SCHEMA.Event, SCHEMA.Person, ZJKG.PolicyDocument])
def test_every_entity_is_mentioned_by_a_paragraph(data_graph: Graph, cls: URIRef) -> None:
    entities = set(data_graph.subjects(RDF.type, cls))
    assert entities
    unmentioned = {e for e in entities if (None, SCHEMA.mentions, e) not in data_graph}
    assert not unmentioned


def test_no_two_entities_share_a_preferred_label(data_graph: Graph) -> None:
    labels = Counter(
        (str(label).lower(), label.language)
        for s, label in data_graph.subject_objects(SKOS.prefLabel)
        if (s, RDF.type, ZJKG.Code) not in data_graph
    )
    assert [label for label, n in labels.items() if n > 1] == []


def test_spelling_variants_are_one_strategy(data_graph: Graph) -> None:
    forms = {"Double-Eight Strategy", "Double Eight Strategy", "Double Eighth Strategy"}
    owners = {s for s, label in data_graph.subject_objects(SKOS.prefLabel | SKOS.altLabel)
              if str(label) in forms}
    assert len(owners) == 1


def test_four_major_constructions_have_their_parts(data_graph: Graph) -> None:
    from rdflib.namespace import DCTERMS

    umbrella = URIRef("https://w3id.org/zjkg/program/four-major-constructions")
    parts = {str(data_graph.value(p, SKOS.prefLabel)) for p in
             data_graph.subjects(DCTERMS.isPartOf, umbrella)}
    assert {"Greater Bay", "Greater Garden", "Greater Corridor",
            "Greater Metropolitan Area"} <= parts


def _links() -> list[dict[str, str]]:
    with open(resources.root() / "data" / "reference" / "links.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_only_verified_rows_are_linked(data_graph: Graph) -> None:
    verified = {f"http://www.wikidata.org/entity/{r['wikidata']}" for r in _links()
                if r["status"] == "verified" and r["wikidata"]}
    verified |= {f"https://sws.geonames.org/{r['geonames']}/" for r in _links()
                 if r["status"] == "verified" and r["geonames"]}
    linked = {str(o) for o in data_graph.objects(None, OWL.sameAs)}
    assert linked <= verified
    unverified = {f"https://sws.geonames.org/{r['geonames']}/" for r in _links()
                  if r["status"] != "verified" and r["geonames"]}
    assert not linked & unverified


def test_every_verified_row_with_an_entity_is_linked_with_its_chinese_label(
        data_graph: Graph) -> None:
    rows = {r["name"]: r for r in _links() if r["status"] == "verified"}
    paired = {row["link_name"]: row["slug"] for row in load_tables().entities if row["link_name"]}
    assert set(rows) - set(paired) == set(), "a verified row has no entity"
    for name, row in rows.items():
        entity = next(s for s in data_graph.subjects(SKOS.prefLabel, None)
                      if str(s).endswith("/" + paired[name]))
        if row["wikidata"]:
            wikidata = URIRef(f"http://www.wikidata.org/entity/{row['wikidata']}")
            assert (entity, OWL.sameAs, wikidata) in data_graph
        chinese = {str(x) for x in data_graph.objects(entity, SKOS.prefLabel) if x.language == "zh"}
        assert chinese == {row["name_zh"].split("/")[0].strip()}


def test_observations_cover_the_kinds_the_report_states(data_graph: Graph) -> None:
    kinds = Counter(str(o).rsplit("/", 1)[1]
                    for o in data_graph.objects(None, ZJKG.observationKind))
    assert kinds["actual"] > 100 and kinds["target"] >= 30 and kinds["baseline"] >= 15
    comparators = Counter(str(o).rsplit("/", 1)[1]
                          for o in data_graph.objects(None, ZJKG.comparator))
    assert {"about", "more-than", "at-least"} <= set(comparators)


def test_gdp_has_one_indicator_across_years(data_graph: Graph) -> None:
    gdp = URIRef("https://w3id.org/zjkg/indicator/gdp")
    ref_period = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
    periods = {str(data_graph.value(o, ref_period)).rsplit("/", 1)[1]
               for o in data_graph.subjects(ZJKG.indicator, gdp)}
    assert {"2020", "2021", "2025", "2016-2020", "2020-q1"} <= periods
