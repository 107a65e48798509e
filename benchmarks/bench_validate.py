"""Validation speed: `zjkg validate` (shapes compiled to SPARQL on pyoxigraph) against pySHACL.

Measures, in one run on this machine:
- the end-to-end wall time of `zjkg validate` in a fresh process (median of N runs), the
  goal being under 1 s on the shipped graph;
- the in-process time of `zjkg.validate.validate()` on both engines (pySHACL once: it takes
  tens of seconds), and their ratio.

    python benchmarks/bench_validate.py [--runs 7] [--skip-pyshacl]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=Path.home())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(engine: str, runs: int) -> float:
    from zjkg.validate import validate

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = validate(engine=engine)
        times.append(time.perf_counter() - start)
        assert report.conforms, f"{engine}: the shipped graph does not conform"
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-pyshacl", action="store_true")
    args = parser.parse_args()
    command = [sys.executable, "-m", "zjkg.cli", "validate"]
    cold = wall(command, args.runs)
    fast = in_process("oxigraph", args.runs)
    print(f"zjkg validate, fresh process, median of {args.runs}: {cold * 1000:8.0f} ms"
          f"  (goal < 1000 ms: {'met' if cold < 1 else 'NOT met'})")
    print(f"validate(engine='oxigraph'), in process:       {fast * 1000:8.1f} ms")
    if not args.skip_pyshacl:
        slow = in_process("pyshacl", 1)
        print(f"validate(engine='pyshacl'), in process, once:   {slow * 1000:8.0f} ms")
        print(f"ratio pyshacl / oxigraph:                      {slow / fast:8.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
