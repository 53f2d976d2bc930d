"""``python -m terminal.bench.markdown results.json``: the README's performance table from a results
file, so the published figures are the measured ones, copied by no hand."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from terminal.bench.compare import BaselineError, load_baseline
from terminal.bench.report import Result, number


def _cell(value: float | None, unit: str) -> str:
    return "–" if value is None else f"{number(value)} {unit}"


def markdown(machine: dict[str, object], results: list[Result]) -> str:
    lines = [
        f"Machine: {machine.get('cpu')}, {machine.get('cores')} cores, {machine.get('os')}, "
        f"Python {machine.get('python')}, PySide6 {machine.get('pyside6')}; measured {machine.get('date')}.",
        "",
        "| figure | ours | peer | ratio | what was measured |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "–"
        note = r.note.replace("|", "/")
        lines.append(f"| `{r.name}` | {_cell(r.value, r.unit)} | {_cell(r.peer_value, r.unit)} | {ratio} | {note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m terminal.bench.markdown RESULTS.json", file=sys.stderr)
        return 2
    path = Path(args[0])
    try:
        results = list(load_baseline(path).values())
        machine = orjson.loads(path.read_bytes()).get("machine", {})
    except BaselineError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(markdown(machine, results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
