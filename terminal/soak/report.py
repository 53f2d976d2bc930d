"""The outcome of a soak run, as a table for people and as JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from terminal.soak.activity import ActivityStats
from terminal.soak.consistency import Difference
from terminal.soak.faults import FaultRecord
from terminal.soak.monitor import Sample
from terminal.soak.settings import SoakSettings

MAX_TABLE_ROWS = 40  # longer runs show one row per minute (last sample, largest lag of the minute)
MAX_LISTED = 50  # differences and faults listed in the text report (the JSON has them all)


@dataclass(frozen=True, slots=True)
class Check:
    """One consistency check: the differences of its last attempt (none: consistent)."""

    name: str
    attempts: int
    differences: list[Difference]

    @property
    def consistent(self) -> bool:
        return not self.differences


@dataclass(frozen=True, slots=True)
class UnknownOutcomes:
    """What became of the orders whose outcome was uncertain when their request returned."""

    total: int = 0
    placed: int = 0  # reconciled: the venue had the order
    never_placed: int = 0  # reconciled: the venue never had it
    unresolved: int = 0  # still unknown at the end


@dataclass
class SoakResult:
    settings: SoakSettings
    started_at: str  # UTC, ISO 8601
    activity_s: float = 0.0
    total_s: float = 0.0
    interrupted: bool = False
    samples: list[Sample] = field(default_factory=list)
    activity: ActivityStats = field(default_factory=ActivityStats)
    unknown: UnknownOutcomes = field(default_factory=UnknownOutcomes)
    faults: list[FaultRecord] = field(default_factory=list)
    notices: Counter[str] = field(default_factory=Counter)  # the session's notices by level
    unsettled: list[str] = field(default_factory=list)  # orders still in flight after the settle timeout
    streams: dict[str, str] = field(default_factory=dict)  # each stream's state at the end
    checks: list[Check] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return bool(self.checks) and all(c.consistent for c in self.checks) and not self.unsettled

    @property
    def ok(self) -> bool:
        return self.consistent and not self.errors

    def faults_by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(f.kind for f in self.faults).items()))


def as_json(result: SoakResult) -> dict[str, Any]:
    a = result.activity
    return {
        "ok": result.ok,
        "consistent": result.consistent,
        "started_at": result.started_at,
        "activity_s": result.activity_s,
        "total_s": result.total_s,
        "interrupted": result.interrupted,
        "settings": {**asdict(result.settings), "symbols": list(result.settings.symbols)},
        "memory": [asdict(s) for s in result.samples],
        "orders": {
            "placed": a.placed,
            "accepted": a.accepted,
            "rejected": a.rejected,
            "refused": a.refused,
            "unknown": asdict(result.unknown),
            "by_kind": dict(sorted(a.by_kind.items())),
            "refused_reasons": dict(a.refused_reasons.most_common()),
            "rejected_reasons": dict(a.rejected_reasons.most_common()),
            "skipped": a.skipped,
        },
        "cancels": {
            "requested": a.cancels,
            "refused": a.cancels_refused,
            "cancel_all": a.cancel_alls,
            "cancel_all_refused": a.cancel_alls_refused,
        },
        "faults": {
            "count": len(result.faults),
            "by_kind": result.faults_by_kind(),
            "log": [asdict(f) for f in result.faults],
        },
        "notices": dict(sorted(result.notices.items())),
        "consistency": {
            "consistent": result.consistent,
            "unsettled": result.unsettled,
            "streams": result.streams,
            "checks": [
                {
                    "name": c.name,
                    "attempts": c.attempts,
                    "consistent": c.consistent,
                    "differences": [asdict(d) for d in c.differences],
                }
                for c in result.checks
            ],
        },
        "errors": result.errors,
    }


def write_json(path: Path, result: SoakResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(as_json(result), option=orjson.OPT_INDENT_2) + b"\n")


def text(result: SoakResult) -> str:
    s, a, u = result.settings, result.activity, result.unknown
    lines = [
        f"soak: {result.activity_s / 60:.1f} min of activity on {', '.join(s.symbols)} (seed {s.seed}, "
        f"{s.rate:g} actions/s), {result.total_s / 60:.1f} min in all, started {result.started_at}"
        + (" (interrupted)" if result.interrupted else ""),
        "",
        "memory over time",
        *_memory_table(result.samples),
        "",
        f"orders placed      {a.placed} ({_counts(a.by_kind)})",
        f"  accepted         {a.accepted}",
        f"  rejected         {a.rejected}" + (f" ({_counts(a.rejected_reasons)})" if a.rejected else ""),
        f"  unknown          {u.total}: reconciled {u.placed + u.never_placed} "
        f"(placed {u.placed}, never placed {u.never_placed}), unresolved {u.unresolved}",
        f"refused by terminal {a.refused}" + (f" ({_counts(a.refused_reasons)})" if a.refused else ""),
        f"cancels            {a.cancels} (refused {a.cancels_refused}); "
        f"cancel-all {a.cancel_alls} (refused {a.cancel_alls_refused})",
        f"faults             {len(result.faults)} ({_counts(Counter(result.faults_by_kind()))})",
        f"notices            {_counts(result.notices) or 'none'}",
        "",
        "faults",
        *[f"  {f.at_s:8.1f} s  {f.kind}: {f.detail}" for f in result.faults[:MAX_LISTED]],
    ]
    if len(result.faults) > MAX_LISTED:
        lines.append(f"  ... and {len(result.faults) - MAX_LISTED} more (see the JSON)")
    lines += ["", "consistency"]
    if result.streams:
        lines.append("  streams at the end: " + ", ".join(f"{name} {state}" for name, state in result.streams.items()))
    for check in result.checks:
        verdict = "consistent" if check.consistent else f"{len(check.differences)} differences"
        lines.append(f"  {check.name}: {verdict} (attempt {check.attempts})")
        lines += [f"    {d}" for d in check.differences[:MAX_LISTED]]
    if result.unsettled:
        lines.append(f"  still unsettled after {s.settle_timeout:.0f} s: {', '.join(result.unsettled[:MAX_LISTED])}")
    if result.errors:
        lines += ["", "errors", *[f"  {e}" for e in result.errors[:MAX_LISTED]]]
    verdict = "CONSISTENT" if result.consistent else "INCONSISTENT"
    lines += ["", f"verdict: {verdict}" + ("" if not result.errors else f", {len(result.errors)} errors")]
    return "\n".join(lines)


def _memory_table(samples: list[Sample]) -> list[str]:
    rows = samples if len(samples) <= MAX_TABLE_ROWS else _per_minute(samples)
    header = f"  {'minute':>7}  {'RSS MB':>8}  {'orders':>7}  {'working':>7}  {'fills':>7}  {'max lag ms':>10}"
    out = [header]
    for r in rows:
        rss = f"{r.rss_mb:8.1f}" if r.rss_mb is not None else f"{'n/a':>8}"
        out.append(
            f"  {r.elapsed_s / 60:7.2f}  {rss}  {r.orders_held:7d}  {r.working:7d}  {r.fills_held:7d}  "
            f"{r.max_lag_ms:10.1f}"
        )
    return out


def _per_minute(samples: list[Sample]) -> list[Sample]:
    """The last sample of each minute, carrying the largest lag seen in that minute."""
    minutes: dict[int, list[Sample]] = {}
    for sample in samples:
        minutes.setdefault(int(sample.elapsed_s // 60), []).append(sample)
    out = []
    for group in minutes.values():
        last = group[-1]
        out.append(
            Sample(
                last.elapsed_s,
                last.rss_mb,
                last.orders_held,
                last.working,
                last.fills_held,
                max(s.max_lag_ms for s in group),
            )
        )
    return out


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {n}" for key, n in counter.most_common())
