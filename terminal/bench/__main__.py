"""``python -m terminal.bench``: run the benchmarks, print a table, optionally write JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from terminal.bench import chart, gui_load, ingest, startup
from terminal.bench.child import BenchmarkFailed
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
    args = parser.parse_args(argv)
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
    if args.json is not None:
        write_json(args.json, results)
        print(f"wrote {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
