"""``python -m terminal.bench``: run the benchmarks, print a table, optionally write JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from terminal.bench import chart, gui_load, ingest, startup
from terminal.bench.child import BenchmarkFailed
from terminal.bench.compare import BaselineError, comparison, load_baseline
from terminal.bench.report import Result, machine, table, write_json

# In order of running; "memory" streams for ten minutes (thirty seconds with --quick).
SUITES: dict[str, Callable[[bool], list[Result]]] = {
    "ingest": ingest.run,
    "chart": chart.run,
    "ui": gui_load.run_load,
    "startup": startup.run,
    "memory": gui_load.run_memory,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m terminal.bench", description="Run the benchmark suite.")
    parser.add_argument("--quick", action="store_true", help="a short pass (about a minute)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--only", choices=sorted(SUITES), action="append", help="run only these suites")
    parser.add_argument(
        "--compare", type=Path, metavar="PATH", help="compare with earlier figures (e.g. resources/bench/results.json)"
    )
    args = parser.parse_args(argv)
    try:
        baseline = load_baseline(args.compare) if args.compare is not None else None
    except BaselineError as exc:
        parser.error(str(exc))
    info = machine()
    print(f"machine: {info['cpu']} ({info['cores']} cores), {info['os']}, Python {info['python']}")
    results: list[Result] = []
    failed: list[str] = []
    for name in args.only or list(SUITES):
        print(f"running {name} ...", flush=True)
        try:
            results.extend(SUITES[name](args.quick))
        except BenchmarkFailed as exc:
            failed.append(name)
            print(f"{name} failed: {exc}", file=sys.stderr)
    print(table(results))
    worse = 0
    if baseline is not None:
        text, worse = comparison(results, baseline)
        print(f"\ncompared with {args.compare}:\n{text}")
        if worse:
            print(f"{worse} figure(s) worse than before by more than 10 %", file=sys.stderr)
    if args.json is not None:
        write_json(args.json, results)
        print(f"wrote {args.json}")
    return 1 if failed or worse else 0


if __name__ == "__main__":
    raise SystemExit(main())
