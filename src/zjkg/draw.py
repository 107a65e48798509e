"""Pictures of the graph: networks as PNG, SVG or an offline HTML page; indicator charts.

PNG and SVG come from matplotlib (Agg backend, 1600x1200 px, fixed layout seed, no dates
in the metadata), so the same graph gives the same picture. The HTML page is written here
in full: an inline SVG with inline CSS and vanilla JavaScript for pan, zoom and hover, no
file or script from elsewhere, every label HTML-escaped, so it opens offline and is safe
whatever the labels hold.
"""

from __future__ import annotations

import html
import io
import json
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from zjkg.errors import InputError
from zjkg.export import natural_key
from zjkg.network import build_network, resolve_entity
from zjkg.ns import NIF, QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, ZJKG
from zjkg.tables_export import label, notation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

VIEWS = ("program-place", "neighbourhood", "trajectories")
FORMATS = ("png", "svg", "html")
WIDTH, HEIGHT, DPI = 1600, 1200, 100
SEED = 7
#: node type -> colour (Okabe-Ito, readable by colour-blind viewers)
COLOURS = {
    "program": "#0072B2", "place": "#009E73", "indicator": "#E69F00",
    "organization": "#CC79A7", "event": "#D55E00", "person": "#56B4E9",
    "document": "#8C7A00", "section": "#7F7F7F", "report": "#333333",
    "paragraph": "#B0B0B0", "heading": "#B0B0B0",
}
YEARS = {"2015": 2015, "2020": 2020, "2021": 2021, "2025": 2025}
COMPARATOR_SIGNS = {"about": "≈", "more-than": ">", "at-least": "≥", "less-than": "<",
                    "at-most": "≤"}


# ---------------------------------------------------------------------------
# The public function
# ---------------------------------------------------------------------------

def draw_view(*, view: str, format: str, entity: str | None = None, radius: int = 1,
              graph: Graph | None = None, seed: int = SEED) -> bytes:
    """The picture of ``view`` (see :data:`VIEWS`) in ``format`` (png, svg or html).

    ``entity`` (IRI, slug or label) is the centre of the ``neighbourhood`` view, with
    everything within ``radius`` edges. Returns the file's bytes.
    """
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r}", hint="choose one of " + ", ".join(VIEWS))
    if format not in FORMATS:
        raise InputError(f"unknown picture format {format!r}",
                         hint="choose one of " + ", ".join(FORMATS))
    if graph is None:
        from zjkg.graph import load_graph

        graph = load_graph()
    if view == "trajectories":
        if format == "html":
            raise InputError("the trajectories view is drawn as png or svg only")
        return _render(lambda figure: _draw_trajectories(figure, trajectories(graph)), format)
    network, title, centre = _view_network(view, graph, entity, radius)
    if format == "html":
        return html_page(network, title=title, centre=centre, seed=seed).encode("utf-8")
    return _render(lambda figure: _draw_network(figure, network, title, centre, seed), format)


def _view_network(view: str, graph: Graph, entity: str | None,
                  radius: int) -> tuple[nx.Graph, str, str | None]:
    if view == "program-place":
        network = build_network("bipartite", graph)
        return network, "Programs and the places they concern", None
    if not entity:
        raise InputError("the neighbourhood view needs --entity NAME")
    whole = build_network("entity", graph)
    centre = resolve_entity(entity, whole, graph)
    nodes = nx.ego_graph(whole.to_undirected(as_view=True), centre, radius=max(radius, 1))
    network = induced(whole, sorted(nodes, key=natural_key))
    name = whole.nodes[centre]["label"]
    return network, f"Neighbourhood of {name} (within {radius} step{'s' * (radius > 1)})", centre


# ---------------------------------------------------------------------------
# matplotlib pictures
# ---------------------------------------------------------------------------

def _render(draw: Callable[[Figure], None], format: str) -> bytes:
    """Draw on a fresh 1600x1200 figure and return it as PNG or SVG bytes."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise InputError("PNG and SVG need matplotlib", hint="pip install matplotlib") from exc
    with matplotlib.rc_context({"svg.hashsalt": "zjkg", "svg.fonttype": "none",
                                "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
        FigureCanvasAgg(figure)  # Agg, whatever backend pyplot may have chosen elsewhere
        draw(figure)
        out = io.BytesIO()
        metadata = {"Software": "zjkg"} if format == "png" else {"Date": None,
                                                                 "Creator": "zjkg"}
        figure.savefig(out, format=format, dpi=DPI, metadata=metadata)
    return out.getvalue()


def induced(network: nx.Graph, nodes: list[str]) -> nx.Graph:
    """The subgraph on ``nodes``, in their order, edges in the parent's order.

    ``network.subgraph`` iterates a small node set in hash order, which would make a
    seeded layout differ from run to run.
    """
    keep = set(nodes)
    sub = network.__class__()
    sub.add_nodes_from((n, network.nodes[n]) for n in nodes)
    sub.add_edges_from((u, v, d) for u, v, d in network.edges(data=True)
                       if u in keep and v in keep)
    return sub


def _unit_square(points: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    dx = (span - (max(xs) - min(xs))) / 2
    dy = (span - (max(ys) - min(ys))) / 2
    return {n: ((p[0] - min(xs) + dx) / span, (p[1] - min(ys) + dy) / span)
            for n, p in points.items()}


def _fan_out_leaves(network: nx.Graph, points: dict[str, tuple[float, float]],
                    ) -> dict[str, tuple[float, float]]:
    """Put the one-edge nodes of a hub on a ring around it: a spring layout piles them up."""
    placed = dict(points)
    for hub in sorted(network, key=natural_key):
        leaves = sorted((n for n in network[hub] if network.degree(n) == 1),
                        key=lambda n: str(network.nodes[n].get("label", n)))
        if len(leaves) < 4:
            continue
        cx, cy = points[hub]
        radius = max(0.15, 0.035 * len(leaves))
        for i, leaf in enumerate(leaves):
            angle = 2 * math.pi * i / len(leaves) + 0.3
            placed[leaf] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return placed


def _spring(network: nx.Graph, *, seed: int, k: float) -> dict:
    """networkx's spring layout; from 500 nodes on it needs SciPy, else a shell layout."""
    try:
        return nx.spring_layout(network, seed=seed, k=k, iterations=200, weight=None)
    except ImportError:
        by_degree = sorted(network, key=lambda n: (-network.degree(n), natural_key(n)))
        shells = [by_degree[:1], by_degree[1:25], by_degree[25:]]
        return nx.shell_layout(network, nlist=[s for s in shells if s])


def layout(network: nx.Graph, *, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Node positions in [0, 1] x [0, 1]: each connected component gets a spring layout
    (fixed seed) in a square as large as its size needs, and the squares are packed in
    rows (largest first) to fill a 4:3 picture, so small components don't drift to the
    rim and squeeze the large one."""
    if network.number_of_nodes() == 0:
        return {}
    undirected = network.to_undirected(as_view=True) if network.is_directed() else network
    parts = sorted((sorted(c, key=natural_key) for c in nx.connected_components(undirected)),
                   key=lambda c: (-len(c), natural_key(c[0])))
    sides = [math.sqrt(len(part)) for part in parts]
    width = max(sides[0], math.sqrt(sum(s * s for s in sides) * WIDTH / HEIGHT) * 1.05)
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x > 0 and x + side > width + 1e-9:
            x, y, row_height = 0.0, y + row_height, 0.0
        sub = induced(undirected, part)
        k = 3.0 / math.sqrt(len(part))
        raw = _spring(sub, seed=seed, k=k) if len(part) > 1 else {part[0]: (0.0, 0.0)}
        points = _fan_out_leaves(sub, {n: (float(p[0]), float(p[1])) for n, p in raw.items()})
        square = _unit_square(points)
        for node, (u, v) in square.items():
            placed[node] = (x + side * (0.1 + 0.8 * u), -(y + side * (0.1 + 0.8 * (1 - v))))
        x += side
        row_height = max(row_height, side)
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {n: ((p[0] - min(xs)) / span_x if len(xs) > 1 else 0.5,
                (p[1] - min(ys)) / span_y if len(ys) > 1 else 0.5)
            for n, p in placed.items()}


def _short(text: str, width: int = 34) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _draw_network(figure: Figure, network: nx.Graph, title: str, centre: str | None,
                  seed: int) -> None:
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.89))
    axes.set_axis_off()
    figure.suptitle(f"{title}: {network.number_of_nodes()} nodes, "
                    f"{network.number_of_edges()} edges", fontsize=16)
    positions = layout(network, seed=seed)
    for u, v in network.edges():
        (x1, y1), (x2, y2) = positions[u], positions[v]
        axes.plot([x1, x2], [y1, y2], color="#C8C8C8", linewidth=0.7, zorder=1)
    degree = dict(network.degree())
    for kind in sorted({t for _, t in network.nodes(data="type")}):
        members = [n for n in network if network.nodes[n].get("type") == kind]
        axes.scatter([positions[n][0] for n in members], [positions[n][1] for n in members],
                     s=[40 + 18 * min(degree[n], 40) for n in members],
                     c=COLOURS.get(kind, "#444444"), edgecolors="white", linewidths=0.8,
                     label=f"{kind} ({len(members)})", zorder=2)
    many = network.number_of_nodes() > 120
    for node, (x, y) in positions.items():
        if many and degree[node] < 3 and node != centre:
            continue
        bold = "bold" if node == centre or degree[node] >= 5 else "normal"
        axes.annotate(_short(network.nodes[node].get("label", node)), (x, y),
                      xytext=(0, 7), textcoords="offset points", ha="center",
                      fontsize=7.5, fontweight=bold, color="#222222", zorder=3)
    axes.set_xlim(-0.06, 1.06)
    axes.set_ylim(-0.05, 1.05)
    figure.legend(loc="upper center", bbox_to_anchor=(0.5, 0.955), ncols=6, fontsize=11,
                  frameon=False, markerscale=0.6)


# ---------------------------------------------------------------------------
# Indicator trajectories
# ---------------------------------------------------------------------------

@dataclass
class Trajectory:
    """The figures of one indicator, measure, unit and place in 2015, 2020, 2021, 2025."""

    indicator: str
    label: str
    measure: str
    unit: str
    place: str
    points: dict[int, tuple[float, str, str]] = field(default_factory=dict)
    # year -> (value, kind, comparator)


def trajectories(graph: Graph) -> list[Trajectory]:
    """Indicators with a figure in at least two of 2015, 2020 (achieved or baseline) and the
    2021 and 2025 targets, in one unit; the first figure in the text wins a tie."""
    groups: dict[tuple[str, str, str, str], Trajectory] = {}
    observations = []
    for obs in graph.subjects(RDF.type, QB.Observation):
        quote = graph.value(obs, PROV.wasDerivedFrom)
        begin = graph.value(quote, NIF.beginIndex) if quote is not None else None
        observations.append((int(str(begin)) if begin is not None else 10**9, str(obs), obs))
    for _, _, obs in sorted(observations):
        period = graph.value(obs, SDMX_DIMENSION.refPeriod)
        year = YEARS.get(str(period).rsplit("/", 1)[-1]) if period is not None else None
        kind = notation(graph, graph.value(obs, ZJKG.observationKind))
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        indicator = graph.value(obs, ZJKG.indicator)
        if year is None or value is None or indicator is None:
            continue
        if (year >= 2021) != (kind == "target"):
            continue
        unit = graph.value(obs, SDMX_ATTRIBUTE.unitMeasure)
        place = graph.value(obs, SDMX_DIMENSION.refArea)
        measure = notation(graph, graph.value(obs, ZJKG.measure))
        key = (str(indicator), measure, str(unit), str(place))
        group = groups.setdefault(key, Trajectory(
            str(indicator), label(graph, indicator), measure, label(graph, unit),
            label(graph, place)))
        group.points.setdefault(year, (float(str(value)), kind,
                                       notation(graph, graph.value(obs, ZJKG.comparator))))
    found = [g for g in groups.values() if len(g.points) >= 2]
    return sorted(found, key=lambda g: (g.label.casefold(), g.measure, g.unit, g.place))


def _draw_trajectories(figure: Figure, series: list[Trajectory]) -> None:
    figure.suptitle("Indicator trajectories: 2015 and 2020 figures (blue), 2021 and 2025 "
                    "targets (orange); ≈ about, > more than", fontsize=15)
    if not series:
        figure.text(0.5, 0.5, "no indicator has two of these figures", ha="center")
        return
    columns = max(1, math.ceil(math.sqrt(len(series) * WIDTH / HEIGHT)))
    rows = math.ceil(len(series) / columns)
    grid = figure.add_gridspec(rows, columns, left=0.04, right=0.99, bottom=0.04, top=0.91,
                               hspace=0.75, wspace=0.3)
    for index, item in enumerate(series):
        axes = figure.add_subplot(grid[index // columns, index % columns])
        years = sorted(item.points)
        done = [y for y in years if item.points[y][1] != "target"]
        aims = [y for y in years if item.points[y][1] == "target"]
        if aims:
            start = done[-1:] if done else []
            axes.plot(start + aims, [item.points[y][0] for y in start + aims], "--",
                      color="#D55E00", linewidth=1.4, zorder=2)
            axes.plot(aims, [item.points[y][0] for y in aims], "o", color="#D55E00",
                      markerfacecolor="white", markersize=5, zorder=3, label="target")
        if done:
            axes.plot(done, [item.points[y][0] for y in done], "o-", color="#0072B2",
                      linewidth=1.8, markersize=5, zorder=3, label="achieved or baseline")
        for year in years:
            value, _, comparator = item.points[year]
            axes.annotate(f"{COMPARATOR_SIGNS.get(comparator, '')}{value:g}", (year, value),
                          xytext=(0, 5), textcoords="offset points", ha="center", fontsize=7)
        axes.set_xticks([2015, 2020, 2025])
        axes.set_xlim(2014, 2026)
        axes.tick_params(labelsize=7)
        axes.margins(y=0.35)
        place = "" if item.place.startswith("Zhejiang") else f", {item.place}"
        heading = item.label if item.measure == "level" else f"{item.label} ({item.measure})"
        axes.set_title("\n".join(textwrap.wrap(heading, 34)[:2]), fontsize=8.5)
        axes.set_ylabel(_short(f"{item.unit}{place}", 30), fontsize=7)
        axes.grid(alpha=0.3)


# ---------------------------------------------------------------------------
# The offline HTML page
# ---------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:8px 16px}h1{font-size:20px;margin:4px 0}p{margin:4px 0;font-size:14px}
.legend span{display:inline-block;margin-right:12px;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px}
svg{width:100%;height:78vh;background:#fff;border-top:1px solid #ddd;border-bottom:1px solid #ddd;
cursor:grab;display:block}
line{stroke:#c8c8c8;stroke-width:1}
.node text{font-size:11px;fill:#222;pointer-events:none;paint-order:stroke;stroke:#fff;
stroke-width:3px}
.node.quiet text{display:none}
svg.focus .node,svg.focus line{opacity:.12}
svg.focus .node.hl,svg.focus line.hl{opacity:1}
svg.focus .node.hl text{display:inline}
details{padding:8px 16px;font-size:13px}table{border-collapse:collapse}
td,th{border-bottom:1px solid #eee;padding:2px 8px;text-align:left}
"""
_SCRIPT = """
(function(){
var svg=document.getElementById('graph');var box=[0,0,%(w)d,%(h)d];
function show(){svg.setAttribute('viewBox',box.join(' '));}
svg.addEventListener('wheel',function(e){e.preventDefault();
 var r=svg.getBoundingClientRect();var f=e.deltaY<0?0.85:1/0.85;
 var mx=box[0]+(e.clientX-r.left)/r.width*box[2];var my=box[1]+(e.clientY-r.top)/r.height*box[3];
 box=[mx-(mx-box[0])*f,my-(my-box[1])*f,box[2]*f,box[3]*f];show();},{passive:false});
var drag=null;
svg.addEventListener('mousedown',function(e){drag=[e.clientX,e.clientY];});
window.addEventListener('mouseup',function(){drag=null;});
window.addEventListener('mousemove',function(e){if(!drag)return;
 var r=svg.getBoundingClientRect();
 box[0]-=(e.clientX-drag[0])/r.width*box[2];box[1]-=(e.clientY-drag[1])/r.height*box[3];
 drag=[e.clientX,e.clientY];show();});
var near={};var lines=svg.querySelectorAll('line');
lines.forEach(function(l){var s=l.dataset.s,t=l.dataset.t;
 (near[s]=near[s]||[]).push([t,l]);(near[t]=near[t]||[]).push([s,l]);});
svg.querySelectorAll('.node').forEach(function(g){
 g.addEventListener('mouseenter',function(){svg.classList.add('focus');g.classList.add('hl');
  (near[g.dataset.i]||[]).forEach(function(p){p[1].classList.add('hl');
   var o=document.getElementById('n'+p[0]);if(o)o.classList.add('hl');});});
 g.addEventListener('mouseleave',function(){svg.classList.remove('focus');
  svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});});});
})();
"""


def html_page(network: nx.Graph, *, title: str, centre: str | None = None,
              seed: int = SEED) -> str:
    """A standalone page: the network as inline SVG, pan and zoom, neighbours on hover."""
    esc = html.escape
    positions = layout(network, seed=seed)
    margin = 60
    index = {node: i for i, node in enumerate(network)}

    def xy(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return (margin + x * (WIDTH - 2 * margin), margin + (1 - y) * (HEIGHT - 2 * margin))

    degree = dict(network.degree())
    many = network.number_of_nodes() > 120
    edges = []
    for u, v, data in network.edges(data=True):
        (x1, y1), (x2, y2) = xy(u), xy(v)
        words = f"{network.nodes[u].get('label', u)} — {data.get('relation', '')} — " \
                f"{network.nodes[v].get('label', v)}"
        edges.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'data-s="{index[u]}" data-t="{index[v]}"><title>{esc(words)}</title>'
                     "</line>")
    nodes = []
    for node in network:
        x, y = xy(node)
        attrs = network.nodes[node]
        kind = attrs.get("type", "")
        radius = 4 + 1.2 * math.sqrt(degree[node])
        quiet = " quiet" if many and degree[node] < 3 and node != centre else ""
        name = attrs.get("label", node)
        nodes.append(
            f'<g class="node{quiet}" id="n{index[node]}" data-i="{index[node]}" '
            f'transform="translate({x:.1f},{y:.1f})">'
            f'<circle r="{radius:.1f}" fill="{COLOURS.get(kind, "#444444")}" '
            f'stroke="{"#000" if node == centre else "#fff"}" stroke-width="1.5"></circle>'
            f'<text y="{-radius - 3:.1f}" text-anchor="middle">{esc(_short(name, 40))}</text>'
            f"<title>{esc(name)} ({esc(kind)})\n{esc(node)}</title></g>")
    kinds = sorted({network.nodes[n].get("type", "") for n in network})
    legend = "".join(f'<span><i style="background:{COLOURS.get(k, "#444444")}"></i>'
                     f"{esc(k)}</span>" for k in kinds)
    rows = "".join(
        f"<tr><td>{esc(network.nodes[n].get('label', n))}</td>"
        f"<td>{esc(network.nodes[n].get('type', ''))}</td><td>{degree[n]}</td>"
        f"<td>{esc(n)}</td></tr>"
        for n in sorted(network, key=lambda n: (-degree[n], network.nodes[n].get("label", ""))))
    summary = json.dumps({"nodes": network.number_of_nodes(),
                          "edges": network.number_of_edges()})
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{esc(title)}</h1>\n<p>{network.number_of_nodes()} nodes, "
        f"{network.number_of_edges()} edges. Drag to pan, scroll to zoom, point at a node "
        "to see its name and neighbours.</p>\n"
        f'<div class="legend">{legend}</div></header>\n'
        f'<svg id="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{esc(title)}" data-summary="{esc(summary)}">\n'
        f'<g class="edges">{"".join(edges)}</g>\n<g class="nodes">{"".join(nodes)}</g>\n'
        "</svg>\n"
        "<details><summary>All nodes</summary><table><tr><th>label</th><th>type</th>"
        f"<th>degree</th><th>IRI</th></tr>{rows}</table></details>\n"
        f"<script>{_SCRIPT % {'w': WIDTH, 'h': HEIGHT}}</script>\n</body>\n</html>\n")
