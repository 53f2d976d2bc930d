"""Benchmark results, the machine they ran on, and their table and JSON forms."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson


@dataclass(frozen=True, slots=True)
class Result:
    """One figure. ``ratio`` is written so that above 1 means ours is better than the peer."""

    name: str
    value: float
    unit: str
    peer_value: float | None = None
    ratio: float | None = None
    note: str = ""


def throughput(name: str, ours: float, unit: str, peer: float | None, note: str) -> Result:
    """A rate (more is better): ratio = ours / peer."""
    return Result(name, ours, unit, peer, (ours / peer) if peer else None, note)


def latency(name: str, ours: float, unit: str, peer: float | None, note: str) -> Result:
    """A time (less is better): ratio = peer / ours."""
    return Result(name, ours, unit, peer, (peer / ours) if peer and ours else None, note)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, object]:
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "pyside6": _package("PySide6-Essentials"),
        "numpy": _package("numpy"),
        "orjson": _package("orjson"),
        "ccxt": _package("ccxt"),
        "finplot": _package("finplot"),
    }


def number(value: float) -> str:
    """Four significant digits, without exponents: 79,438 / 26.59 / 0.4251."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def table(results: list[Result]) -> str:
    rows = [("benchmark", "ours", "peer", "ratio", "note")]
    for r in results:
        peer = f"{number(r.peer_value)} {r.unit}" if r.peer_value is not None else "-"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        rows.append((r.name, f"{number(r.value)} {r.unit}", peer, ratio, r.note))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return "\n".join(lines)


def write_json(path: Path, results: list[Result]) -> None:
    document = {"machine": machine(), "benchmarks": [asdict(r) for r in results]}
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
