"""``zjkg query`` and ``zjkg sparql``: the command-line face of :mod:`zjkg.query`.

Kept to click and the query library, so a canned query on pyoxigraph starts in well under
a tenth of a second and never imports rdflib.
"""

from __future__ import annotations

import click

from zjkg.errors import InputError
from zjkg.results import FORMATS, Result, Term, render

_ENGINES = ("oxigraph", "rdflib")


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``KEY=VALUE`` options as a dict; the value may itself hold ``=``."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param wants KEY=VALUE, not {pair!r}")
        if key.strip() in params:
            raise InputError(f"--param {key.strip()} given twice")
        params[key.strip()] = value
    return params


def catalog_result() -> Result:
    """The canned queries as a table (name, title, parameters), for ``--list``."""
    from zjkg.query import list_queries

    rows = [(Term.literal(q.name), Term.literal(q.title),
             Term.literal("; ".join(p.signature() for p in q.params)),
             Term.literal(", ".join(q.columns)))
            for q in list_queries()]
    return Result(["name", "title", "parameters", "columns"], rows)


@click.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query; repeat for several.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="Output format.")
@click.option("--engine", type=click.Choice(_ENGINES), default="oxigraph", show_default=True,
              help="The SPARQL engine to run on.")
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL 1.1 endpoint.")
@click.option("--list", "list_queries", is_flag=True,
              help="List the canned queries with their titles and parameters.")
@click.option("--show", is_flag=True, help="Print the query's SPARQL instead of running it.")
def query_command(name: str | None, params: tuple[str, ...], fmt: str, engine: str,
                  endpoint: str | None, list_queries: bool, show: bool) -> None:
    """Run the canned query NAME (see --list) and print its result.

    \b
    Examples:
      zjkg query --list
      zjkg query programs-in-place --param place=Hangzhou
      zjkg query indicator-trajectory -p indicator=GDP --format csv

    An entity parameter takes an IRI, a prefixed name, a slug or any label.
    """
    from zjkg.query import get_query, run

    if list_queries:
        click.echo(render(catalog_result(), fmt), nl=False)
        return
    if not name:
        raise InputError("give a query NAME, or --list to see them")
    canned = get_query(name)
    if show:
        click.echo(canned.text, nl=not canned.text.endswith("\n"))
        return
    result = run(canned, _parse_params(params), engine=engine, endpoint=endpoint)
    click.echo(render(result, fmt), nl=False)


@click.command("sparql")
@click.argument("query_or_file")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="Output format.")
@click.option("--engine", type=click.Choice(_ENGINES), default="oxigraph", show_default=True,
              help="The SPARQL engine to run on.")
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL 1.1 endpoint.")
def sparql_command(query_or_file: str, fmt: str, engine: str, endpoint: str | None) -> None:
    """Run an ad-hoc SPARQL query: its text, a file holding it, or - for stdin.

    zjkg's prefixes (zjkg:, place:, program:, schema:, qb: ...) are declared for you.

    \b
    Example:
      zjkg sparql 'SELECT ?p WHERE { ?p a zjkg:Program } ORDER BY ?p LIMIT 5'
    """
    from zjkg.query import read_query_argument, sparql

    result = sparql(read_query_argument(query_or_file), engine=engine, endpoint=endpoint)
    click.echo(render(result, fmt), nl=False)
