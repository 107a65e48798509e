"""Networks of the knowledge graph: who is tied to whom, how central, in which cluster.

Four networkx graphs, each node keyed by its IRI with string attributes ``label`` and
``type`` (what GraphML and GEXF carry to Gephi):

- ``entity``: programs, places, indicators, organizations, events, people, policy
  documents, the report and its sections, with typed edges (``relation``): part-of,
  contained-in, concerns (a program's places), measured-by, mentions (a section names an
  entity in one of its paragraphs; ``weight`` counts the paragraphs), reports (a section
  quotes a figure of an indicator), measured-in (an indicator's figures are of a place),
  delivered-by, delivered-at, created-by;
- ``path``: the entity graph with each paragraph (and heading) as a node between its
  section and what it mentions, so that a connection can be explained in the text's own
  terms ("… is mentioned in paragraph 8 (I.3 …), which mentions …");
- ``bipartite``: programs and the places they concern (``bipartite`` 0 and 1);
- ``comention``: entities named in the same paragraph, ``weight`` = how many paragraphs.

Entity names are resolved here by :func:`resolve_entity` (IRI, compact IRI, slug or any
label, case-insensitive); it is a stand-in until the query resolver is shared.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from zjkg.errors import InputError
from zjkg.export import natural_key
from zjkg.ns import NIF, QB, SCHEMA, SDMX_DIMENSION, ZJKG

KINDS = ("entity", "bipartite", "comention", "path")
FORMATS = ("graphml", "gexf", "node-link")
ENTITY_TYPES: list[tuple[URIRef, str]] = [
    (ZJKG.Program, "program"), (SCHEMA.Place, "place"), (ZJKG.Indicator, "indicator"),
    (SCHEMA.Organization, "organization"), (SCHEMA.Event, "event"),
    (SCHEMA.Person, "person"), (ZJKG.PolicyDocument, "document"),
]
SECTION_TYPES: list[tuple[URIRef, str]] = [
    (SCHEMA.Report, "report"), (ZJKG.Part, "section"), (ZJKG.Item, "section"),
]
BLOCK_TYPES: list[tuple[URIRef, str]] = [(NIF.Paragraph, "paragraph"), (NIF.Title, "heading")]
#: predicate -> relation name of a direct edge between two nodes
DIRECT_RELATIONS: dict[URIRef, str] = {
    DCTERMS.isPartOf: "part-of", SCHEMA.containedInPlace: "contained-in",
    DCTERMS.spatial: "concerns", ZJKG.measuredBy: "measured-by",
    ZJKG.deliveredBy: "delivered-by", ZJKG.deliveredAt: "delivered-at",
    DCTERMS.creator: "created-by",
}
#: relation -> (phrase from source to target, phrase from target to source)
PHRASES: dict[str, tuple[str, str]] = {
    "part-of": ("is part of", "includes"),
    "contained-in": ("lies in", "contains"),
    "concerns": ("concerns", "is a place of"),
    "measured-by": ("is measured by", "measures"),
    "mentions": ("mentions", "is mentioned in"),
    "reports": ("gives figures of", "has figures in"),
    "measured-in": ("is measured in", "has figures of"),
    "delivered-by": ("was delivered by", "delivered"),
    "delivered-at": ("was delivered at", "heard"),
    "created-by": ("was made by", "made"),
    "text-published-by": ("has its published text from", "published the text of"),
    "co-mentioned": ("is mentioned with", "is mentioned with"),
}
#: node types that stand for the text's structure rather than for things it is about
STRUCTURE_TYPES = frozenset({"report", "section", "paragraph", "heading"})


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------

def _load(graph: Graph | None) -> Graph:
    if graph is not None:
        return graph
    from zjkg.graph import load_graph

    return load_graph()


def _english(graph: Graph, node: Node) -> str:
    values = sorted((v for v in graph.objects(node, RDFS.label) if isinstance(v, Literal)),
                    key=str)
    for value in values:
        if value.language in (None, "en"):
            return str(value)
    return str(values[0]) if values else str(node).rsplit("/", 1)[-1]


def _typed(graph: Graph, table: list[tuple[URIRef, str]]) -> dict[Node, str]:
    found: dict[Node, str] = {}
    for cls, name in table:
        for node in graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef):
                found.setdefault(node, name)
    return found


def _block_name(graph: Graph, block: Node) -> str:
    """``paragraph 8 (I.3 Important progress has been made in…)``."""
    short = _english(graph, block).split(":", 1)[0]
    section = graph.value(block, DCTERMS.isPartOf)
    if section is None or (section, RDF.type, SCHEMA.Report) in graph:
        return short
    return f"{short} ({_shorten(_english(graph, section), 48)})"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass
class _Edge:
    relations: set[str] = field(default_factory=set)
    weight: int = 0
    blocks: set[str] = field(default_factory=set)


class _Builder:
    """Collects nodes and typed, weighted edges, then adds them to networkx in sorted order."""

    def __init__(self, directed: bool) -> None:
        self.directed = directed
        self.nodes: dict[str, dict[str, object]] = {}
        self.edges: dict[tuple[str, str], _Edge] = {}

    def node(self, iri: Node, label: str, kind: str, **extra: object) -> None:
        self.nodes.setdefault(str(iri), {"label": label, "type": kind, **extra})

    def edge(self, source: Node, target: Node, relation: str,
             paragraph: str | None = None) -> None:
        u, v = str(source), str(target)
        if u == v or u not in self.nodes or v not in self.nodes:
            return
        if not self.directed and natural_key(v) < natural_key(u):
            u, v = v, u
        data = self.edges.setdefault((u, v), _Edge())
        data.relations.add(relation)
        data.weight += 1
        if paragraph:
            data.blocks.add(paragraph)

    def build(self, *, with_blocks: bool = False) -> nx.Graph:
        network: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        for iri in sorted(self.nodes, key=natural_key):
            network.add_node(iri, **self.nodes[iri])
        for (u, v) in sorted(self.edges, key=lambda e: (natural_key(e[0]), natural_key(e[1]))):
            data = self.edges[(u, v)]
            attributes: dict[str, object] = {
                "relation": "|".join(sorted(data.relations)), "weight": data.weight}
            if with_blocks:
                attributes["paragraphs"] = " ".join(sorted(data.blocks, key=natural_key))
            network.add_edge(u, v, **attributes)
        return network


def build_network(kind: str = "entity", graph: Graph | None = None) -> nx.Graph:
    """The ``kind`` network (see :data:`KINDS`) of ``graph`` (default: the shipped graph).

    Returns a ``DiGraph`` for ``entity`` and ``path``, a ``Graph`` otherwise; nodes and
    edges are inserted in sorted order so that layouts and exports are reproducible.
    """
    if kind not in KINDS:
        raise InputError(f"unknown network {kind!r}", hint="choose one of " + ", ".join(KINDS))
    rdf = _load(graph)
    if kind == "bipartite":
        return _bipartite(rdf)
    if kind == "comention":
        return _comention(rdf)
    entities = _typed(rdf, ENTITY_TYPES)
    sections = _typed(rdf, SECTION_TYPES)
    blocks = _typed(rdf, BLOCK_TYPES)
    builder = _Builder(directed=True)
    for node, name in {**entities, **sections}.items():
        builder.node(node, _english(rdf, node), name)
    if kind == "path":
        for block, name in blocks.items():
            builder.node(block, _block_name(rdf, block), name)
    for predicate, relation in DIRECT_RELATIONS.items():
        for s, o in rdf.subject_objects(predicate):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                builder.edge(s, o, relation)

    def holder(block: Node) -> Node | None:
        """Where a text block's mentions attach: the block itself, or its section."""
        if kind == "path":
            return block
        section = rdf.value(block, DCTERMS.isPartOf)
        return section if isinstance(section, URIRef) else None

    for report, text in rdf.subject_objects(ZJKG.text):
        for publisher in rdf.objects(text, DCTERMS.publisher):
            builder.edge(report, publisher, "text-published-by")
    for block in blocks:
        where = holder(block)
        for entity in rdf.objects(block, SCHEMA.mentions):
            if where is not None and isinstance(entity, URIRef):
                builder.edge(where, entity, "mentions", str(block))
    for obs in rdf.subjects(RDF.type, QB.Observation):
        indicator = rdf.value(obs, ZJKG.indicator)
        quote = rdf.value(obs, PROV.wasDerivedFrom)
        quoted_in = rdf.value(quote, NIF.superString) if quote is not None else None
        place = rdf.value(obs, SDMX_DIMENSION.refArea)
        if indicator is None:
            continue
        if quoted_in is not None and (where := holder(quoted_in)) is not None:
            builder.edge(where, indicator, "reports", str(quoted_in))
        if place is not None:
            builder.edge(indicator, place, "measured-in")
    return builder.build()


def _bipartite(rdf: Graph) -> nx.Graph:
    builder = _Builder(directed=False)
    programs = set(rdf.subjects(RDF.type, ZJKG.Program))
    places = set(rdf.subjects(RDF.type, SCHEMA.Place))
    pairs = [(p, q) for p, q in rdf.subject_objects(DCTERMS.spatial)
             if p in programs and q in places]
    for program, place in pairs:
        builder.node(program, _english(rdf, program), "program", bipartite=0)
        builder.node(place, _english(rdf, place), "place", bipartite=1)
    for program, place in pairs:
        builder.edge(program, place, "concerns")
    return builder.build()


def _comention(rdf: Graph) -> nx.Graph:
    builder = _Builder(directed=False)
    entities = _typed(rdf, ENTITY_TYPES)
    for block in _typed(rdf, BLOCK_TYPES):
        named = sorted({e for e in rdf.objects(block, SCHEMA.mentions) if e in entities},
                       key=natural_key)
        for entity in named:
            builder.node(entity, _english(rdf, entity), entities[entity])
        for i, first in enumerate(named):
            for second in named[i + 1:]:
                builder.edge(first, second, "co-mentioned", str(block))
    return builder.build(with_blocks=True)


# ---------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------

def _undirected(network: nx.Graph) -> nx.Graph:
    return network.to_undirected(as_view=False) if network.is_directed() else network


def _ranked(network: nx.Graph, scores: dict[str, float], top: int,
            degree: dict[str, int], structure: bool) -> list[dict[str, object]]:
    kept = [n for n in scores
            if structure or network.nodes[n].get("type") not in STRUCTURE_TYPES]
    order = sorted(kept, key=lambda n: (-scores[n], network.nodes[n].get("label", ""), n))
    return [{"id": n, "label": network.nodes[n].get("label", n),
             "type": network.nodes[n].get("type", ""), "score": round(scores[n], 6),
             "degree": degree[n]} for n in order[:top]]


def centrality(network: nx.Graph, *, top: int = 10,
               structure: bool = False) -> dict[str, list[dict[str, object]]]:
    """The ``top`` nodes by degree, betweenness and PageRank, best first.

    Scores are computed on the whole network, but the lists leave out the report, its
    sections and paragraphs unless ``structure`` is true: they rank what the text is about.

    All three ignore edge directions: part-of and contained-in point up a hierarchy, and
    a directed PageRank would pool at its roots (China, the report) whatever their ties.
    Betweenness ignores weights (a weight is a strength, not a distance); PageRank uses them.
    """
    undirected = _undirected(network)
    degree = dict(undirected.degree())
    if undirected.number_of_nodes() == 0:
        return {"degree": [], "betweenness": [], "pagerank": []}
    return {
        "degree": _ranked(network, nx.degree_centrality(undirected), top, degree, structure),
        "betweenness": _ranked(network, nx.betweenness_centrality(undirected), top, degree,
                               structure),
        "pagerank": _ranked(network, pagerank(undirected), top, degree, structure),
    }


def pagerank(network: nx.Graph, *, alpha: float = 0.85, weight: str = "weight",
             tolerance: float = 1.0e-10, max_iterations: int = 200) -> dict[str, float]:
    """Weighted PageRank by power iteration, as ``nx.pagerank`` defines it.

    Written out because networkx's own needs SciPy, a heavy dependency for 500 nodes.
    Dangling nodes spread their rank evenly; scores sum to 1.
    """
    nodes = list(network)
    if not nodes:
        return {}
    directed = network.is_directed()
    out: dict[str, list[tuple[str, float]]] = {n: [] for n in nodes}
    for u, v, w in network.edges(data=weight, default=1):
        out[u].append((v, float(w)))
        if not directed:
            out[v].append((u, float(w)))
    totals = {n: sum(w for _, w in out[n]) for n in nodes}
    size = len(nodes)
    rank = dict.fromkeys(nodes, 1.0 / size)
    for _ in range(max_iterations):
        dangling = alpha * sum(rank[n] for n in nodes if totals[n] == 0) / size
        new = dict.fromkeys(nodes, (1.0 - alpha) / size + dangling)
        for n in nodes:
            if totals[n]:
                share = alpha * rank[n] / totals[n]
                for v, w in out[n]:
                    new[v] += share * w
        change = sum(abs(new[n] - rank[n]) for n in nodes)
        rank = new
        if change < size * tolerance:
            break
    return rank


def components(network: nx.Graph) -> list[list[str]]:
    """Connected components (ignoring direction), largest first, members sorted."""
    found = [sorted(c, key=natural_key) for c in nx.connected_components(_undirected(network))]
    return sorted(found, key=lambda c: (-len(c), natural_key(c[0])))


def communities(network: nx.Graph, *, seed: int = 42) -> tuple[list[list[str]], float]:
    """Louvain communities (weighted, fixed ``seed``), largest first, and their modularity."""
    undirected = _undirected(network)
    if undirected.number_of_edges() == 0:
        return [[n] for n in sorted(undirected, key=natural_key)], 0.0
    found = nx.community.louvain_communities(undirected, weight="weight", seed=seed)
    ordered = sorted((sorted(c, key=natural_key) for c in found),
                     key=lambda c: (-len(c), natural_key(c[0])))
    return ordered, nx.community.modularity(undirected, ordered, weight="weight")


def analyse(network: nx.Graph, *, top: int = 10, seed: int = 42,
            structure: bool = False) -> dict[str, object]:
    """Everything ``zjkg network`` reports, as plain data (JSON-ready)."""
    undirected = _undirected(network)
    degree = dict(undirected.degree())
    parts = components(network)
    groups, modularity = communities(network, seed=seed)

    def members(nodes: list[str], limit: int) -> list[dict[str, object]]:
        best = sorted(nodes, key=lambda n: (-degree[n], network.nodes[n].get("label", ""), n))
        return [{"id": n, "label": network.nodes[n].get("label", n),
                 "type": network.nodes[n].get("type", "")} for n in best[:limit]]

    types: dict[str, int] = defaultdict(int)
    for _, kind in network.nodes(data="type"):
        types[kind or ""] += 1
    relations: dict[str, int] = defaultdict(int)
    for _, _, relation in network.edges(data="relation"):
        relations[relation or ""] += 1
    return {
        "nodes": network.number_of_nodes(),
        "edges": network.number_of_edges(),
        "directed": network.is_directed(),
        "node_types": dict(sorted(types.items())),
        "edge_relations": dict(sorted(relations.items())),
        "centrality": centrality(network, top=top, structure=structure),
        "components": {"count": len(parts), "sizes": [len(c) for c in parts],
                       "largest": members(parts[0], top) if parts else []},
        "communities": {"count": len(groups), "modularity": round(modularity, 6),
                        "seed": seed,
                        "groups": [{"size": len(g), "top": members(g, 5)}
                                   for g in groups[:top]]},
    }


def format_analysis(result: dict, *, title: str) -> str:
    """The analysis as text for a terminal."""
    out = [f"{title}: {result['nodes']} nodes, {result['edges']} edges"]
    out.append("  node types: " + ", ".join(f"{k} {v}" for k, v in result["node_types"].items()))
    out.append("  edge relations: "
               + ", ".join(f"{k} {v}" for k, v in result["edge_relations"].items()))
    for measure, rows in result["centrality"].items():
        out.append(f"\nMost central by {measure}:")
        for i, row in enumerate(rows, 1):
            out.append(f"  {i:2}. {row['score']:<9.4f} {row['label']} ({row['type']}, "
                       f"degree {row['degree']})")
    parts = result["components"]
    sizes = parts["sizes"]
    out.append(f"\nConnected components: {parts['count']} (sizes {_sizes(sizes)})")
    groups = result["communities"]
    out.append(f"\nCommunities (Louvain, seed {groups['seed']}): {groups['count']}, "
               f"modularity {groups['modularity']:.3f}")
    for i, group in enumerate(groups["groups"], 1):
        names = "; ".join(m["label"] for m in group["top"])
        out.append(f"  {i:2}. {group['size']:3} nodes: {names}")
    return "\n".join(out) + "\n"


def _sizes(sizes: list[int]) -> str:
    if len(sizes) <= 8:
        return ", ".join(map(str, sizes))
    ones = sizes.count(1)
    big = [s for s in sizes if s > 1]
    return ", ".join(map(str, big)) + (f" and {ones} single nodes" if ones else "")


# ---------------------------------------------------------------------------
# Export of a network
# ---------------------------------------------------------------------------

def export_network(kind: str = "entity", *, format: str, graph: Graph | None = None,
                   network: nx.Graph | None = None) -> bytes:
    """The ``kind`` network as GraphML, GEXF 1.2 or node-link JSON (UTF-8, deterministic).

    Node ids are IRIs; ``label`` and ``type`` are string attributes Gephi and networkx
    read back. Node-link JSON uses the key ``edges`` (``node_link_graph(d, edges="edges")``).
    """
    if format not in FORMATS:
        raise InputError(f"unknown network format {format!r}",
                         hint="choose one of " + ", ".join(FORMATS))
    network = network if network is not None else build_network(kind, graph)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if format == "graphml":
        lines = nx.generate_graphml(network, encoding="utf-8", prettyprint=True)
        return (declaration + "\n".join(lines) + "\n").encode("utf-8")
    if format == "gexf":
        text = "\n".join(nx.generate_gexf(network, encoding="utf-8", prettyprint=True))
        # networkx stamps today's date; a fixed file must not change from day to day
        text = re.sub(r'\s+lastmodifieddate="[^"]*"', "", text)
        return (declaration + text + "\n").encode("utf-8")
    data = {
        "directed": network.is_directed(), "multigraph": False, "graph": {"kind": kind},
        "nodes": [{"id": n, **attrs} for n, attrs in network.nodes(data=True)],
        "edges": [{"source": u, "target": v, **attrs} for u, v, attrs in network.edges(data=True)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------
# Names and paths
# ---------------------------------------------------------------------------

def resolve_entity(name: str, network: nx.Graph, graph: Graph | None = None) -> str:
    """The node of ``network`` that ``name`` names: an IRI, a prefixed name
    (``place:hangzhou``, ``paragraph:8``), a slug or path, or any label, case-insensitive.

    The names are resolved as canned-query parameters are (:mod:`zjkg.query_resolve`), so
    a name means the same thing everywhere. Raises :class:`~zjkg.errors.InputError` when
    nothing, or several things, match, or when the match is not a node of ``network``.
    """
    from zjkg.query_engines import RdflibEngine
    from zjkg.query_resolve import Resolver

    iri = Resolver(RdflibEngine(_load(graph))).resolve(name, param="name")
    if iri not in network:
        raise InputError(f"{name!r} names <{iri}>, which is not in this network",
                         hint="choose another network with --graph, or another entity")
    return iri


@dataclass(frozen=True)
class Step:
    """One edge of a path, walked from ``source`` to ``target``."""

    source: str
    source_label: str
    target: str
    target_label: str
    relation: str
    forward: bool  # True when the edge points from source to target in the graph

    @property
    def phrase(self) -> str:
        words = PHRASES.get(self.relation.split("|")[0], (self.relation, self.relation))
        return words[0] if self.forward else words[1]

    @property
    def sentence(self) -> str:
        return f"{self.source_label} {self.phrase} {self.target_label}"


def shortest_path(a: str, b: str, *, graph: Graph | None = None,
                  network: nx.Graph | None = None) -> list[Step]:
    """The shortest chain of edges from ``a`` to ``b`` in the ``path`` network, as steps.

    ``a`` and ``b`` may be IRIs, slugs or labels. Returns ``[]`` when ``a`` is ``b``;
    raises :class:`~zjkg.errors.InputError` when they are not connected.
    """
    rdf = _load(graph)
    network = network if network is not None else build_network("path", rdf)
    source = resolve_entity(a, network, rdf)
    target = resolve_entity(b, network, rdf)
    try:
        nodes = nx.shortest_path(network.to_undirected(as_view=True), source, target)
    except nx.NetworkXNoPath as exc:
        raise InputError(f"{a!r} and {b!r} are not connected in the graph") from exc
    steps = []
    for u, v in itertools.pairwise(nodes):
        forward = network.has_edge(u, v)
        data = network.edges[u, v] if forward else network.edges[v, u]
        steps.append(Step(u, network.nodes[u]["label"], v, network.nodes[v]["label"],
                          str(data.get("relation", "")), forward))
    return steps


def explain(steps: list[Step]) -> str:
    """A path in words: ``A is mentioned in paragraph 8 (…), which mentions B``."""
    if not steps:
        return "They are the same thing."
    text = steps[0].sentence
    for step in steps[1:]:
        text += f", which {step.phrase} {step.target_label}"
    return text + "."
