"""Run a benchmark program in a fresh Python process and read its figures (one JSON line on stdout,
written by ``emit``)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import asdict

import orjson

from terminal.bench.report import Result

TIMEOUT_S = 1800.0


class BenchmarkFailed(RuntimeError):
    pass


def run_child(module: str, arguments: list[str], timeout: float = TIMEOUT_S) -> list[Result]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    command = [sys.executable, "-m", module, *arguments]
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkFailed(f"{module} did not finish within {timeout:.0f} s") from exc
    lines = done.stdout.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        errors = done.stderr.decode(errors="replace").strip().splitlines()[-15:]
        raise BenchmarkFailed(f"{module} exited with {done.returncode}:\n" + "\n".join(errors))
    return [Result(**row) for row in orjson.loads(lines[-1])]


def emit(results: list[Result]) -> None:
    """The child's side: its figures as the one JSON line ``run_child`` reads."""
    sys.stdout.write(orjson.dumps([asdict(r) for r in results]).decode() + "\n")
    sys.stdout.flush()
