"""Pictures: PNGs decode at 1600x1200, SVGs are XML, HTML pages are standalone, hold
every node's label, escape it, and load nothing from the network."""

from __future__ import annotations

import hashlib
import html
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from zjkg.cli import cli
from zjkg.draw import HEIGHT, WIDTH, draw_view, html_page, layout, trajectories
from zjkg.errors import InputError
from zjkg.graph import load_graph
from zjkg.network import build_network

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def entity(rdf) -> str:
    """A program with a handful of neighbours: a readable neighbourhood."""
    network = build_network("entity", rdf)
    programs = [n for n, t in network.nodes(data="type") if t == "program"]
    return max(programs, key=lambda n: (network.degree(n), n))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


class Collector(HTMLParser):
    """Gathers the text and the tags with their attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse_page(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def assert_offline(page: str) -> None:
    collector = parse_page(page)
    for tag, attrs in collector.tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
        assert not (tag == "script" and attrs.get("src")), attrs
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
    assert "@import" not in page


VIEWS = [("program-place", fmt) for fmt in ("png", "svg", "html")] + \
        [("neighbourhood", fmt) for fmt in ("png", "svg", "html")] + \
        [("trajectories", fmt) for fmt in ("png", "svg")]


@pytest.fixture(scope="module")
def pictures(rdf, entity) -> dict[tuple[str, str], bytes]:
    return {(view, fmt): draw_view(view=view, format=fmt, entity=entity, graph=rdf)
            for view, fmt in VIEWS}


@pytest.mark.parametrize(("view", "fmt"), VIEWS)
def test_picture_is_sound(view, fmt, pictures, tmp_path):
    data = pictures[(view, fmt)]
    path = tmp_path / f"{view}.{fmt}"
    path.write_bytes(data)
    if fmt == "png":
        assert png_size(data) == (WIDTH, HEIGHT)
        image = pytest.importorskip("matplotlib.image").imread(path)
        assert image.shape[:2] == (HEIGHT, WIDTH)
        assert image.std() > 0.01  # not a blank canvas
    elif fmt == "svg":
        root = ET.parse(path).getroot()
        assert root.tag.endswith("svg")
        assert len(root.iter().__next__()) > 0
    else:
        page = data.decode("utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert_offline(page)


@pytest.mark.parametrize(("view", "fmt"), VIEWS)
def test_picture_is_deterministic(view, fmt, pictures, rdf, entity):
    assert draw_view(view=view, format=fmt, entity=entity, graph=rdf) == pictures[(view, fmt)]


@pytest.mark.parametrize("view", ["program-place", "neighbourhood"])
def test_html_holds_every_node_label(view, pictures, rdf, entity):
    page = pictures[(view, "html")].decode("utf-8")
    network = build_network("bipartite" if view == "program-place" else "entity", rdf)
    if view == "neighbourhood":
        network = network.subgraph(nx.ego_graph(network.to_undirected(), entity, radius=1))
        assert html.escape(network.nodes[entity]["label"]) in page
    text = "".join(parse_page(page).text)
    for _, label in network.nodes(data="label"):
        assert label in text, label
    assert len(re.findall(r'class="node( quiet)?"', page)) == network.number_of_nodes()


def test_pictures_do_not_depend_on_hash_seed(pictures):
    script = ("import hashlib\nfrom zjkg.draw import draw_view\n"
              "for fmt in ('html', 'svg'):\n"
              "    data = draw_view(view='program-place', format=fmt)\n"
              "    print(hashlib.sha256(data).hexdigest())\n")
    expected = "".join(hashlib.sha256(pictures[("program-place", fmt)]).hexdigest() + "\n"
                       for fmt in ("html", "svg"))
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                                text=True, env=env, check=True)
        assert result.stdout == expected


def test_html_escapes_labels():
    network = nx.Graph()
    network.add_node("https://w3id.org/zjkg/program/x", label='<script>alert("x")</script> & Co',
                     type="program")
    network.add_node("https://w3id.org/zjkg/place/y", label="Y <b>", type="place")
    network.add_edge("https://w3id.org/zjkg/program/x", "https://w3id.org/zjkg/place/y",
                     relation="concerns")
    page = html_page(network, title='Title with "quotes" & <tags>')
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    assert page.count("<script>") == 1  # only the page's own inline script
    assert "<title>Title with &quot;quotes&quot; &amp; &lt;tags&gt;</title>" in page
    assert_offline(page)


def test_layout_is_in_the_unit_square_and_fixed():
    network = nx.disjoint_union(nx.star_graph(8), nx.path_graph(4))
    network = nx.relabel_nodes(network, {n: f"n{n}" for n in network})
    first = layout(network, seed=3)
    assert first == layout(network, seed=3)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())
    assert len({(round(x, 3), round(y, 3)) for x, y in first.values()}) == len(network)


def test_trajectories_take_two_or_more_of_the_four_years(rdf):
    series = trajectories(rdf)
    assert series
    for item in series:
        assert len(item.points) >= 2
        assert set(item.points) <= {2015, 2020, 2021, 2025}
        for year, (_, kind, _) in item.points.items():
            assert (kind == "target") == (year >= 2021), (item.label, year, kind)


def test_views_refuse_bad_requests(rdf):
    with pytest.raises(InputError):
        draw_view(view="trajectories", format="html", graph=rdf)
    with pytest.raises(InputError):
        draw_view(view="neighbourhood", format="png", graph=rdf)
    with pytest.raises(InputError):
        draw_view(view="neighbourhood", format="png", entity="no such entity at all", graph=rdf)
    with pytest.raises(InputError):
        draw_view(view="map", format="png", graph=rdf)


@pytest.mark.parametrize("suffix", ["png", "svg", "html"])
def test_draw_command_writes_the_file(suffix, tmp_path):
    target = tmp_path / "pictures" / f"places.{suffix}"
    result = CliRunner().invoke(cli, ["draw", "--view", "program-place", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if suffix == "png":
        assert png_size(data) == (WIDTH, HEIGHT)
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_draw_command_needs_a_known_suffix_or_format(tmp_path):
    result = CliRunner().invoke(cli, ["draw", "--view", "trajectories", "-o",
                                      str(tmp_path / "chart.pdf")])
    assert result.exit_code != 0
