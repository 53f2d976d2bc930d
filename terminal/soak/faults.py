"""Faults injected into the demo exchange at random (seeded) intervals, each logged with its time.

The kinds are those the demo can express and a trader meets in life: dropped sockets, order
requests whose outcome is uncertain (5xx or no answer, executed or not), a 429 window, a server
clock that jumps, a market stream that dies quietly, and an expired listen key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass

from terminal.session.session import Session
from terminal.soak.demo_admin import DemoAdmin, DemoAdminError

log = logging.getLogger("terminal.soak")

KINDS: tuple[str, ...] = (
    "drop-connections",
    "fail-orders 500 executed",
    "fail-orders 500 not executed",
    "fail-orders timeout executed",
    "fail-orders timeout not executed",
    "rate-limit",
    "clock-skew",
    "pause-stream",
    "expire-listen-key",
)
SKEW_MS = 3000
PAUSED_TOPICS = ("depth", "trade")


@dataclass(frozen=True, slots=True)
class FaultRecord:
    at_s: float  # seconds since the start of the run
    kind: str
    detail: str


def listen_key_of(session: Session) -> str | None:
    """The listen key of the session's private stream. The venue does not publish it (nothing in the
    terminal needs it), so this reaches into the HashKey venue: the soak must expire exactly that key."""
    user = getattr(session.venue, "_user", None)
    keeper = getattr(user, "keeper", None)
    key = getattr(keeper, "key", None)
    return key if isinstance(key, str) else None


class FaultInjector:
    def __init__(
        self,
        admin: DemoAdmin,
        session: Session,
        symbols: tuple[str, ...],
        rng: random.Random,
        interval: tuple[float, float],
        started: float,
    ) -> None:
        self._admin = admin
        self._session = session
        self._symbols = symbols
        self._rng = rng
        self._interval = interval
        self._started = started
        self._paused: set[tuple[str, str]] = set()
        self._restores: set[asyncio.Task[None]] = set()
        self.records: list[FaultRecord] = []
        self.errors: list[str] = []

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._rng.uniform(*self._interval))
            if stop.is_set():
                break
            kind = self._rng.choice(KINDS)
            try:
                detail = await self._inject(kind)
            except DemoAdminError as exc:
                self.errors.append(f"injecting {kind}: {exc}")
                log.error("could not inject %s: %s", kind, exc)
                continue
            record = FaultRecord(round(time.monotonic() - self._started, 1), kind, detail)
            self.records.append(record)
            log.info("fault at %.1f s: %s (%s)", record.at_s, kind, detail)

    async def _inject(self, kind: str) -> str:
        rng, admin = self._rng, self._admin
        if kind == "drop-connections":
            answer = await admin.post("/_demo/drop-connections", {})
            return f"{answer.get('dropped')} connections dropped"
        if kind.startswith("fail-orders"):
            _, status_text, *rest = kind.split(" ")
            status: int | str = 500 if status_text == "500" else "timeout"
            execute = rest == ["executed"]
            count = rng.randint(1, 3)
            await admin.post("/_demo/fail-orders", {"count": count, "status": status, "execute": execute})
            return f"the next {count} order requests fail ({status}, {'executed' if execute else 'not executed'})"
        if kind == "rate-limit":
            seconds = round(rng.uniform(2.0, 5.0), 1)
            await admin.post("/_demo/rate-limit", {"seconds": seconds})
            return f"every signed request answered 429 for {seconds} s"
        if kind == "clock-skew":
            skew = rng.choice((SKEW_MS, -SKEW_MS))
            hold = round(rng.uniform(10.0, 30.0), 1)
            await admin.post("/_demo/clock-skew", {"ms": skew})
            task = asyncio.create_task(self._restore_clock(hold))
            self._restores.add(task)
            task.add_done_callback(self._restores.discard)
            return f"server clock {skew:+d} ms for {hold} s"
        if kind == "pause-stream":
            topic, symbol = rng.choice(PAUSED_TOPICS), rng.choice(self._symbols)
            seconds = round(rng.uniform(10.0, 30.0), 1)
            await admin.post("/_demo/pause-stream", {"topic": topic, "symbol": symbol, "seconds": seconds})
            self._paused.add((topic, symbol))
            return f"{topic} {symbol} silent for {seconds} s"
        if kind == "expire-listen-key":
            key = listen_key_of(self._session)
            if key is None:
                return "no listen key at this moment (the private stream is reconnecting): nothing expired"
            answer = await admin.post("/_demo/expire-listen-key", {"listenKey": key})
            return "the private stream's listen key expired" if answer.get("expired") else "the key was already gone"
        raise ValueError(f"unknown fault kind {kind!r}")

    async def _restore_clock(self, after: float) -> None:
        await asyncio.sleep(after)
        try:
            await self._admin.post("/_demo/clock-skew", {"ms": 0})
        except DemoAdminError as exc:
            self.errors.append(f"restoring the clock: {exc}")
            return
        log.info("fault over: server clock back to 0 ms")

    async def clear(self) -> None:
        """End every fault still in force: no skew, no armed order failures, no 429, no paused stream."""
        for task in list(self._restores):
            task.cancel()
        await asyncio.gather(*self._restores, return_exceptions=True)
        calls: list[tuple[str, dict[str, object]]] = [
            ("/_demo/clock-skew", {"ms": 0}),
            ("/_demo/fail-orders", {"count": 0, "status": 500}),
            ("/_demo/rate-limit", {"seconds": 0}),
        ]
        calls += [("/_demo/pause-stream", {"topic": t, "symbol": s, "seconds": 0}) for t, s in sorted(self._paused)]
        for path, body in calls:
            try:
                await self._admin.post(path, body)
            except DemoAdminError as exc:
                self.errors.append(f"clearing faults: {exc}")
