"""Running a DerivVenue against the local Deriv test server: quick timings and a log of what it emits."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from terminal.venues.base import ConnectionEvent, ConnectionState, VenueEvent
from terminal.venues.deriv.venue import DerivVenue
from terminal.venues.ws_link import Backoff, Heartbeat
from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import TRADE_TOKEN

E = TypeVar("E")

FAST_HEARTBEAT = Heartbeat(interval=1.0, timeout=0.5, idle_timeout=5.0)
FAST_BACKOFF = Backoff(initial=0.05, maximum=0.2, jitter=0.01, healthy_after=0.5)


class EventLog:
    """Every event the venue emitted, in order, with a way to wait for one."""

    def __init__(self) -> None:
        self.events: list[VenueEvent] = []

    def __call__(self, event: VenueEvent) -> None:
        self.events.append(event)

    def of(self, kind: type[E], where: Callable[[E], bool] = lambda _: True) -> list[E]:
        return [e for e in self.events if isinstance(e, kind) and where(e)]

    async def wait(
        self, kind: type[E], where: Callable[[E], bool] = lambda _: True, timeout: float = 5.0, after: int = 0
    ) -> E:
        """The first event of ``kind`` matching ``where`` at index ``after`` or later (waiting for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[after:]:
                if isinstance(event, kind) and where(event):
                    return event
            if time.monotonic() > deadline:
                raise AssertionError(f"no {kind.__name__} came within {timeout} s; last events: {self.events[-8:]}")
            await asyncio.sleep(0.01)

    def mark(self) -> int:
        return len(self.events)

    def states(self) -> list[ConnectionState]:
        return [e.state for e in self.of(ConnectionEvent)]


def venue_for(server: DerivTestServer, token: str | None = TRADE_TOKEN, **options: object) -> DerivVenue:
    settings: dict[str, object] = {
        "heartbeat": FAST_HEARTBEAT,
        "backoff": FAST_BACKOFF,
        "request_timeout": 2.0,
        "start_timeout": 5.0,
    } | options
    return DerivVenue(server.url, 1089, token, **settings)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def running(
    server: DerivTestServer, token: str | None = TRADE_TOKEN, **options: object
) -> AsyncIterator[tuple[DerivVenue, EventLog]]:
    venue = venue_for(server, token, **options)
    log = EventLog()
    await venue.start(log)
    try:
        yield venue, log
    finally:
        await venue.close()
