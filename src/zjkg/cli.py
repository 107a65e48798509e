"""The ``zjkg`` command: a thin click layer over the library, importing each command lazily.

Each subcommand lives in the module that does its work; this group only knows their names,
so ``zjkg query`` does not pay for importing rdflib, pyshacl or networkx.

Exit codes: 0 ok, 1 the data fails a check, 2 usage or input error.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from zjkg import __version__
from zjkg.errors import EXIT_USAGE, ZjkgError

#: command name -> (module, attribute, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("zjkg.commands", "build_command", "Rebuild data/report2021.ttl from the tables."),
    "validate": ("zjkg.validate", "validate_command", "Validate the graph against the shapes."),
    "audit": ("zjkg.audit", "audit_command", "List numbers and names the graph misses."),
    "stats": ("zjkg.stats", "stats_command", "Count what the graph holds."),
    "query": ("zjkg.query_cli", "query_command", "Run a canned query."),
    "sparql": ("zjkg.query_cli", "sparql_command", "Run an ad-hoc SPARQL query."),
    "export": ("zjkg.export_cli", "export_command", "Export the graph in another format."),
    "network": ("zjkg.export_cli", "network_command", "Network analysis of the graph."),
    "path": ("zjkg.export_cli", "path_command", "Shortest connection between two entities."),
    "draw": ("zjkg.export_cli", "draw_command", "Draw the graph as PNG, SVG or HTML."),
    "serve": ("zjkg.server_cli", "serve_command", "Serve SPARQL, pages and IRIs locally."),
    "push": ("zjkg.server_cli", "push_command", "Upload the graph to a triplestore."),
    "void": ("zjkg.server_cli", "void_command", "Write the VoID/DCAT dataset description."),
    "docs": ("zjkg.server_cli", "docs_command", "Write the ontology's HTML documentation."),
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[cmd_name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @staticmethod
    def _available(name: str) -> bool:
        return importlib.util.find_spec(COMMANDS[name][0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zjkg")
def cli() -> None:
    """zjkg: Zhejiang's Report on the Work of the Government 2021 as linked data.

    Exit codes: 0 ok, 1 the data fails a check, 2 usage or input error.
    """


def main(argv: list[str] | None = None) -> int:
    """Run the command line; turn zjkg's errors into a message and an exit code."""
    try:
        # Without standalone mode click returns a command's exit code instead of exiting.
        code = cli.main(args=argv, prog_name="zjkg", standalone_mode=False)
    except ZjkgError as exc:
        click.echo(f"zjkg: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_USAGE
    return code if isinstance(code, int) else 0


def run() -> None:  # pragma: no cover - the console-script entry point
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
