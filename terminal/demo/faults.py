"""Fault injection state of the demo exchange (for tests; the real venue has none of this).

The REST side reads order failures, the rate-limit window and the clock skew; the WebSocket side
reads paused streams and the refused-streams window, and registers its connections so that they
can be counted and dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

FailStatus = Literal[500, 503, "timeout"]
Endpoint = Literal["public_v1", "public_v2", "private"]


@dataclass(frozen=True, slots=True)
class OrderFailure:
    """How the next order-placing request fails, and whether the order is executed anyway."""

    status: FailStatus
    execute: bool


@dataclass
class FaultState:
    clock_skew_ms: int = 0
    rate_limited_until_ms: int = 0
    silent_until_ms: int = 0  # public streams answer no pings (and send nothing) until then
    streams_refused_until_ms: int = 0  # every WebSocket handshake (public and private) is refused until then
    _order_failures: list[OrderFailure] = field(default_factory=list)
    # (topic, symbol) -> (since_ms, until_ms); since None: every subscription, old or new
    _paused: dict[tuple[str, str], tuple[int | None, int]] = field(default_factory=dict)

    def fail_next_orders(self, count: int, status: FailStatus, execute: bool) -> None:
        self._order_failures = [OrderFailure(status, execute)] * count

    def take_order_failure(self) -> OrderFailure | None:
        """The failure for this order-placing request, if one is armed (each is used once)."""
        return self._order_failures.pop(0) if self._order_failures else None

    @property
    def pending_order_failures(self) -> int:
        return len(self._order_failures)

    def pause_stream(self, topic: str, symbol: str, until_ms: int, since_ms: int | None = None) -> None:
        """Silence (topic, symbol) until ``until_ms``. With ``since_ms``, only subscriptions made at
        or before it fall silent: like a venue subscription that died quietly, subscribing again
        brings the data back, which is what a client's staleness watchdog must find out."""
        self._paused[(topic, symbol)] = (since_ms, until_ms)

    def stream_paused(self, topic: str, symbol: str, now_ms: int, subscribed_ms: int | None = None) -> bool:
        entry = self._paused.get((topic, symbol))
        if entry is None:
            return False
        since, until = entry
        if now_ms >= until:
            del self._paused[(topic, symbol)]
            return False
        return since is None or subscribed_ms is None or subscribed_ms <= since

    def rate_limited(self, now_ms: int) -> bool:
        return now_ms < self.rate_limited_until_ms

    def silenced(self, now_ms: int) -> bool:
        return now_ms < self.silent_until_ms

    def streams_refused(self, now_ms: int) -> bool:
        return now_ms < self.streams_refused_until_ms


Closer = Callable[[], Awaitable[None]]


class Connections:
    """Open WebSocket connections by endpoint, each with a way to close it."""

    def __init__(self) -> None:
        self._open: dict[int, tuple[Endpoint, Closer]] = {}
        self._next = 0

    def add(self, endpoint: Endpoint, close: Closer) -> int:
        self._next += 1
        self._open[self._next] = (endpoint, close)
        return self._next

    def remove(self, handle: int) -> None:
        self._open.pop(handle, None)

    def counts(self) -> dict[str, int]:
        out = {"public_v1": 0, "public_v2": 0, "private": 0}
        for endpoint, _ in self._open.values():
            out[endpoint] += 1
        return out

    async def drop_all(self) -> int:
        """Close every connection; returns how many were open."""
        closers = [close for _, close in self._open.values()]
        self._open.clear()
        await asyncio.gather(*(close() for close in closers), return_exceptions=True)
        return len(closers)
