"""Compare a run with earlier figures (a ``--json`` file): what got better, what got worse, by how much,
so that a regression shows when the suite is run again after a change."""

from __future__ import annotations

import math
from pathlib import Path

import orjson

from terminal.bench.report import Result, number

TOLERANCE = 0.10  # changes within 10 % are noise on a shared 2-core machine
HIGHER_IS_BETTER = frozenset({"msg/s", "frames/s"})  # every other unit is a cost: lower is better


class BaselineError(ValueError):
    pass


def load_baseline(path: Path) -> dict[str, Result]:
    try:
        document = orjson.loads(path.read_bytes())
        return {row["name"]: Result(**row) for row in document["benchmarks"]}
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path} is not a benchmark results file: {exc}") from exc


def verdict(now: Result, was: Result) -> str:
    if not (math.isfinite(now.value) and math.isfinite(was.value)) or was.value == 0:
        return "?"
    change = (now.value - was.value) / abs(was.value)
    if now.unit not in HIGHER_IS_BETTER:
        change = -change
    if change < -TOLERANCE:
        return "WORSE"
    return "better" if change > TOLERANCE else "same"


def comparison(results: list[Result], baseline: dict[str, Result]) -> tuple[str, int]:
    """A table of every figure against the baseline, and how many got worse beyond the tolerance."""
    rows = [("benchmark", "was", "now", "change", "")]
    worse = 0
    for now in results:
        was = baseline.get(now.name)
        if was is None:
            rows.append((now.name, "-", f"{number(now.value)} {now.unit}", "new", ""))
            continue
        mark = verdict(now, was)
        worse += mark == "WORSE"
        change = f"{(now.value - was.value) / abs(was.value):+.0%}" if was.value else "-"
        rows.append((now.name, f"{number(was.value)} {was.unit}", f"{number(now.value)} {now.unit}", change, mark))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join(lines), worse
