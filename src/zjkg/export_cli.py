"""``zjkg export``, ``zjkg network``, ``zjkg path`` and ``zjkg draw``: a thin click layer.

The work is done by :mod:`zjkg.export`, :mod:`zjkg.tables_export`, :mod:`zjkg.network`
and :mod:`zjkg.draw`; here options are read, files written atomically, and results shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from zjkg.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph

RDF_CHOICES = ("turtle", "nt", "nquads", "trig", "jsonld", "rdfxml")
TABLE_CHOICES = ("observations", "programs", "places")
NETWORK_CHOICES = ("graphml", "gexf", "node-link")
GRAPH_CHOICES = ("entity", "bipartite", "comention", "path")
FILES = click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))


def write_output(data: bytes, output: Path | None) -> None:
    """Write ``data`` to ``output`` atomically, or to standard output when there is none."""
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream, untouched
        return
    from zjkg.turtle import write_atomic

    write_atomic(output, data)


def _graph(files: tuple[Path, ...]) -> Graph:
    """FILES as a graph (with the ontology), or the shipped graph."""
    from zjkg.graph import load_graph

    return load_graph(list(files)) if files else load_graph()


@click.command("export")
@FILES
@click.option("-f", "--format", "fmt", required=True,
              type=click.Choice((*RDF_CHOICES, "csv", *NETWORK_CHOICES)),
              help="RDF (turtle, nt, nquads, trig, jsonld, rdfxml), a CSV table, "
                   "or a network (graphml, gexf, node-link).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (atomically); standard output if omitted.")
@click.option("--data-only", is_flag=True,
              help="RDF: the report's data without the ontology.")
@click.option("--table", type=click.Choice(TABLE_CHOICES), default="observations",
              show_default=True, help="Which table, with --format csv.")
@click.option("--graph", "kind", type=click.Choice(GRAPH_CHOICES), default="entity",
              show_default=True, help="Which network, with graphml, gexf or node-link.")
def export_command(files: tuple[Path, ...], fmt: str, output: Path | None, data_only: bool,
                   table: str, kind: str) -> None:
    """Export the graph (the shipped one, or FILES as the data) in another format.

    The same graph always gives the same bytes. JSON-LD embeds the context of
    ontology/context.jsonld; N-Quads and TriG put the ontology and the data in
    separate named graphs.
    """
    if fmt in RDF_CHOICES:
        from zjkg.export import export_graph

        data = export_graph(format=fmt, data_only=data_only, files=list(files) or None)
    elif fmt == "csv":
        from zjkg.tables_export import export_table

        data = export_table(table=table, graph=_graph(files))
    else:
        from zjkg.network import export_network

        data = export_network(kind, format=fmt, graph=_graph(files))
    write_output(data, output)
    if output is not None:
        click.echo(f"{output}: {fmt}, {len(data):,} bytes", err=True)


@click.command("network")
@FILES
@click.option("--graph", "kind", type=click.Choice(GRAPH_CHOICES), default="entity",
              show_default=True, help="entity: typed ties; bipartite: programs and places; "
                                      "comention: named in one paragraph; path: with paragraphs.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many nodes to list per measure.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True)
@click.option("--seed", type=int, default=42, show_default=True,
              help="Seed of the community detection (Louvain).")
@click.option("--structure", is_flag=True,
              help="Rank the report, sections and paragraphs too, not only entities.")
def network_command(files: tuple[Path, ...], kind: str, top: int, fmt: str, seed: int,
                    structure: bool) -> None:
    """Centrality, components and communities of a network of the graph."""
    from zjkg.network import analyse, build_network, format_analysis

    network = build_network(kind, _graph(files))
    result = analyse(network, top=top, seed=seed, structure=structure)
    if fmt == "json":
        click.echo(json.dumps({"graph": kind, **result}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_analysis(result, title=f"{kind} network"), nl=False)


@click.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True)
def path_command(source: str, target: str, fmt: str) -> None:
    """The shortest connection between SOURCE and TARGET (IRI, slug or label), in words."""
    from zjkg.network import explain, shortest_path

    steps = shortest_path(source, target)
    if fmt == "json":
        click.echo(json.dumps({
            "steps": [{"source": s.source, "source_label": s.source_label,
                       "relation": s.relation, "forward": s.forward, "target": s.target,
                       "target_label": s.target_label, "sentence": s.sentence}
                      for s in steps],
            "explanation": explain(steps)}, ensure_ascii=False, indent=2))
        return
    click.echo(explain(steps))
    for number, step in enumerate(steps, 1):
        click.echo(f"  {number}. {step.sentence}  [{step.relation}]")


@click.command("draw")
@FILES
@click.option("--view", type=click.Choice(("program-place", "neighbourhood", "trajectories")),
              required=True, help="What to draw.")
@click.option("--entity", help="Centre of the neighbourhood view (IRI, slug or label).")
@click.option("--radius", type=click.IntRange(1, 4), default=1, show_default=True,
              help="Steps from the entity, for the neighbourhood view.")
@click.option("--format", "fmt", type=click.Choice(("png", "svg", "html")),
              help="Picture format (default: from the output file's suffix).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="File to write (atomically).")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the layout.")
def draw_command(files: tuple[Path, ...], view: str, entity: str | None, radius: int,
                 fmt: str | None, output: Path, seed: int) -> None:
    """Draw a view of the graph as PNG or SVG (1600x1200) or an offline HTML page."""
    from zjkg.draw import draw_view

    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "html"):
        raise InputError(f"cannot tell the picture format from {output.name!r}",
                         hint="give --format png, svg or html")
    data = draw_view(view=view, format=fmt, entity=entity, radius=radius,
                     graph=_graph(files), seed=seed)
    write_output(data, output)
    click.echo(f"{output}: {view}, {fmt}, {len(data):,} bytes", err=True)
