"""``zjkg serve``, ``zjkg push``, ``zjkg void`` and ``zjkg docs``: thin click commands.

Each command parses its options, calls one library function and prints what it did;
errors are :mod:`zjkg.errors` exceptions that :func:`zjkg.cli.main` turns into exit codes.
"""

from __future__ import annotations

from pathlib import Path

import click

from zjkg.errors import DataError, InputError


@click.command("serve")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; keep 127.0.0.1 unless others must reach it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a SPARQL query may run before it is stopped (503).")
@click.option("--max-results", default=10_000, show_default=True,
              type=click.IntRange(min=1), help="Most rows or triples one query returns.")
@click.option("--max-query-kb", default=16, show_default=True, type=click.IntRange(min=1),
              help="Longest query accepted, in KiB (longer: 413).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="SPARQL worker processes.")
@click.option("--log/--no-log", default=True, show_default=True,
              help="Log each request to stderr.")
def serve_command(files: tuple[Path, ...], host: str, port: int, timeout: float,
                  max_results: int, max_query_kb: int, workers: int, log: bool) -> None:
    """Serve SPARQL (/sparql), the query page (/query), entity pages for every IRI
    (https://w3id.org/zjkg/X is served at /X), canned queries (/queries/NAME) and the
    ontology's documentation (/ontology). FILES default to the shipped graph."""
    from zjkg.server.app import make_server

    try:
        server = make_server(list(files) or None, host=host, port=port, timeout=timeout,
                             max_results=max_results, max_query_bytes=max_query_kb * 1024,
                             workers=workers, log_requests=log)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="choose another --port, or 0 for a free one") from exc
    click.echo(f"zjkg: serving on {server.url}/ (SPARQL at {server.url}/sparql); "
               "Ctrl+C stops", err=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("zjkg: stopped", err=True)
    finally:
        server.server_close()


@click.command("push")
@click.option("--endpoint", required=True,
              help="The store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", "graph_iri", default=None,
              help="Named graph IRI to write (default: the store's default graph).")
@click.option("--query-endpoint", default=None,
              help="The store's SPARQL query URL (default: guessed from --endpoint).")
@click.option("--format", "rdf_format", type=click.Choice(["turtle", "nt"]), default="turtle",
              show_default=True, help="What to upload.")
@click.option("--method", type=click.Choice(["PUT", "POST"], case_sensitive=False),
              default="PUT", show_default=True, help="PUT replaces the graph, POST adds to it.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for the store.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def push_command(endpoint: str, graph_iri: str | None, query_endpoint: str | None,
                 rdf_format: str, method: str, timeout: float, files: tuple[Path, ...]) -> None:
    """Upload the graph (or FILES) to a SPARQL 1.1 Graph Store and check the triple count."""
    from zjkg.push import push

    report = push(endpoint, graph=graph_iri, query_endpoint=query_endpoint,
                  files=list(files) or None, rdf_format=rdf_format, method=method,
                  timeout=timeout)
    click.echo(f"{report.method} {report.store_url}: HTTP {report.status}, sent "
               f"{report.sent} triples ({report.media_type}); {report.query_endpoint} "
               f"counts {report.found}")


@click.command("void")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write (default: the shipped data/void.ttl).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if the file is not what the graph gives.")
def void_command(output: Path | None, check_only: bool) -> None:
    """Compute the VoID/DCAT description of the graph (counts, partitions, linksets)."""
    from zjkg.commands import file_state
    from zjkg.void import write_void

    target, changed = write_void(output=output, check_only=check_only)
    if check_only and changed:
        raise DataError(f"{target} is out of date: run `zjkg void`")
    state = file_state(changed, check_only)
    click.echo(f"{target}: {state}")


@click.command("docs")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write index.html into (default: out/ontology).")
def docs_command(output_dir: Path | None) -> None:
    """Write the ontology's HTML documentation (classes, properties, code lists)."""
    from zjkg.docs import write_docs

    page = write_docs(output_dir=output_dir)
    click.echo(f"{page}: written")
