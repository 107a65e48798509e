"""How fast the canned queries run: pyoxigraph against rdflib, in process and end to end.

For every canned query, with the example parameters of its header, this measures in one run

* the median in-process time of ``zjkg.query.run`` on pyoxigraph and on rdflib, with both
  graphs already loaded and names already resolved once, and their ratio. pyoxigraph parses
  the SPARQL text on every call, so rdflib is timed like for like, parsing it every call
  too, and also with its parsed query cached (as ``zjkg`` does within one process): on
  tiny, very selective queries rdflib's evaluation alone takes well under a millisecond;
* the median wall time of ``zjkg query NAME`` in a fresh process (cold: interpreter start,
  imports, loading the graph, resolving names, the query, the output), against a plain
  script that parses the same Turtle with rdflib and runs the same query text with the
  parameters already bound (what one would write without zjkg);

and prints a table with the targets: <= 5 ms per query on pyoxigraph, >= 10x faster than
rdflib, <= 150 ms end to end. Run it from anywhere, with the package installed::

    python benchmarks/bench_queries.py                 # everything (about three minutes)
    python benchmarks/bench_queries.py --quick         # fewer repeats
    python benchmarks/bench_queries.py search ranks    # some queries only
    python benchmarks/bench_queries.py --markdown      # the table for benchmarks/README.md

Nothing here is a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zjkg.query_catalog import CannedQuery

TARGET_MS = 5.0
TARGET_RATIO = 10.0
TARGET_COLD_MS = 150.0

BASELINE = """\
import sys
from rdflib import Graph
from rdflib.util import from_n3

graph = Graph()
for path in sys.argv[2:]:
    graph.parse(path, format="turtle")
with open(sys.argv[1], encoding="utf-8") as handle:
    text, *pairs = handle.read().split("\\n#BINDING ")
bindings = dict(pair.strip().split(" ", 1) for pair in pairs)
result = graph.query(text, initBindings={k: from_n3(v) for k, v in bindings.items()})
print(result.serialize(format="csv" if result.type == "SELECT" else "nt").decode("utf-8"))
"""


@dataclass
class Row:
    """The figures of one query."""

    name: str
    oxigraph_ms: float
    rdflib_ms: float
    rdflib_cached_ms: float
    cold_ms: float | None = None
    baseline_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.rdflib_ms / self.oxigraph_ms

    @property
    def cached_ratio(self) -> float:
        return self.rdflib_cached_ms / self.oxigraph_ms

    @property
    def cold_ratio(self) -> float | None:
        if self.cold_ms is None or self.baseline_ms is None:
            return None
        return self.baseline_ms / self.cold_ms


def median_ms(action: Callable[[], object], repeat: int, warmup: int = 2) -> float:
    """Median wall time of ``action`` in milliseconds, after ``warmup`` unmeasured runs."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def zjkg_command() -> list[str]:
    """The installed ``zjkg`` script beside this interpreter, else ``python -m zjkg.cli``."""
    script = Path(sys.executable).with_name("zjkg")
    if script.is_file():
        return [str(script)]
    found = shutil.which("zjkg")
    return [found] if found else [sys.executable, "-m", "zjkg.cli"]


def measure(names: list[str], *, repeat: int, rdflib_repeat: int, cold_repeat: int,
            baseline_repeat: int) -> list[Row]:
    from zjkg import resources
    from zjkg.query import bind, get_query, run
    from zjkg.query_engines import _prepare, get_engine

    def uncached(canned: CannedQuery) -> object:
        _prepare.cache_clear()
        return run(canned, canned.example, engine="rdflib")

    get_engine("oxigraph")  # load both graphs first: loading is not part of a query's time
    rdflib = get_engine("rdflib")
    command = zjkg_command()
    files = [str(resources.ontology_path()), str(resources.data_path())]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        for name in names:
            canned = get_query(name)
            ox_ms = median_ms(lambda c=canned: run(c, c.example), repeat)
            rdf_ms = median_ms(lambda c=canned: uncached(c), rdflib_repeat, warmup=1)
            cached_ms = median_ms(lambda c=canned: run(c, c.example, engine="rdflib"),
                                  rdflib_repeat, warmup=1)
            row = Row(name, ox_ms, rdf_ms, cached_ms)
            if cold_repeat:
                args = [*command, "query", name, "--format", "csv"]
                for key, value in canned.example.items():
                    args += ["--param", f"{key}={value}"]
                row.cold_ms = median_ms(lambda a=args: _quiet(a), cold_repeat, warmup=1)
            if baseline_repeat:
                bound = bind(canned, canned.example, rdflib)
                query_file = Path(scratch) / f"{name}.rq"
                query_file.write_text(canned.text + "".join(
                    f"\n#BINDING {k} {t.n3()}" for k, t in bound.items()), encoding="utf-8")
                args = [sys.executable, str(script), str(query_file), *files]
                row.baseline_ms = median_ms(lambda a=args: _quiet(a), baseline_repeat,
                                            warmup=0)
            rows.append(row)
            print(f"  measured {name}", file=sys.stderr)
    return rows


def _quiet(args: list[str]) -> None:
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def table(rows: list[Row], *, markdown: bool) -> str:
    """The figures as aligned text or as a Markdown table, with a verdict per target."""
    header = ["query", "oxigraph ms", "rdflib ms", "ratio", "rdflib cached ms", "ratio",
              "zjkg query ms", "rdflib script ms", "ratio"]
    body = []
    for row in rows:
        body.append([
            row.name, f"{row.oxigraph_ms:.2f}", f"{row.rdflib_ms:.1f}", f"{row.ratio:.0f}x",
            f"{row.rdflib_cached_ms:.2f}", f"{row.cached_ratio:.1f}x",
            "-" if row.cold_ms is None else f"{row.cold_ms:.0f}",
            "-" if row.baseline_ms is None else f"{row.baseline_ms:.0f}",
            "-" if row.cold_ratio is None else f"{row.cold_ratio:.0f}x",
        ])
    if markdown:
        lines = ["| " + " | ".join(header) + " |",
                 "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
    else:
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        lines = ["  ".join(c.rjust(w) if i else c.ljust(w)
                           for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
                 for cells in [header, *body]]
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n\n" + verdict(rows)


def verdict(rows: list[Row]) -> str:
    slowest = max(rows, key=lambda r: r.oxigraph_ms)
    weakest = min(rows, key=lambda r: r.ratio)
    lines = [
        f"slowest on pyoxigraph: {slowest.name} {slowest.oxigraph_ms:.2f} ms "
        f"(target <= {TARGET_MS:g} ms: {'ok' if slowest.oxigraph_ms <= TARGET_MS else 'MISSED'})",
        f"smallest speed-up over rdflib: {weakest.name} {weakest.ratio:.0f}x "
        f"(target >= {TARGET_RATIO:g}x: {'ok' if weakest.ratio >= TARGET_RATIO else 'MISSED'})",
        f"below {TARGET_RATIO:g}x against rdflib with its parsed query cached: "
        + (", ".join(f"{r.name} {r.cached_ratio:.1f}x" for r in rows
                     if r.cached_ratio < TARGET_RATIO) or "none"),
    ]
    cold = [r for r in rows if r.cold_ms is not None]
    if cold:
        worst = max(cold, key=lambda r: r.cold_ms or 0.0)
        median = statistics.median(r.cold_ms or 0.0 for r in cold)
        ok = (worst.cold_ms or 0.0) <= TARGET_COLD_MS
        lines.append(f"zjkg query, cold, end to end: median {median:.0f} ms, slowest "
                     f"{worst.name} {worst.cold_ms:.0f} ms (target <= {TARGET_COLD_MS:g} ms: "
                     f"{'ok' if ok else 'MISSED'})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from zjkg.query import list_queries

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="*", help="query names (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--no-cold", action="store_true", help="skip the subprocess timings")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    options = parser.parse_args(argv)
    names = options.queries or [q.name for q in list_queries()]
    quick = options.quick
    rows = measure(names, repeat=10 if quick else 50, rdflib_repeat=2 if quick else 5,
                   cold_repeat=0 if options.no_cold else (3 if quick else 11),
                   baseline_repeat=0 if options.no_cold else (1 if quick else 3))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(table(rows, markdown=options.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
