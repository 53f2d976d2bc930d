"""``python -m terminal.bench``: run the benchmarks, print a table, optionally write JSON."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from terminal.bench import ingest
from terminal.bench.report import Result, machine, table, write_json

SUITES: dict[str, Callable[[bool], list[Result]]] = {
    "ingest": ingest.run,
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
    for name in args.only or list(SUITES):
        print(f"running {name} ...", flush=True)
        results.extend(SUITES[name](args.quick))
    print(table(results))
    if args.json is not None:
        write_json(args.json, results)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
