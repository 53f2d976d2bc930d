"""A demo exchange running in the test's event loop, and tools to watch what venue clients emit."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from terminal.demo.exchange import DemoConfig, wall_ms
from terminal.demo.server.app import DemoServer
from terminal.venues.base import VenueEvent


class Clock:
    """Wall time that a test can move forward (the demo exchange runs on it)."""

    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return wall_ms() + self.offset_ms


@contextlib.asynccontextmanager
async def running_demo(
    config: DemoConfig | None = None, *, simulate: bool = True, clock: Clock | None = None
) -> AsyncIterator[DemoServer]:
    server = DemoServer(config or DemoConfig(seed=3, history_days=2), simulate=simulate, clock=clock or Clock())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def fault(server: DemoServer, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call one of the demo's fault-injection routes over HTTP, as a test would from outside."""
    assert server.endpoints is not None
    async with httpx.AsyncClient(base_url=server.endpoints.rest_url) as client:
        if body is None:
            response = await client.get(path)
        else:
            response = await client.post(path, json=body)
    response.raise_for_status()
    return response.json()


class EventLog:
    """Everything a venue client emitted, with a way to wait for what a test expects."""

    def __init__(self) -> None:
        self.events: list[VenueEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, event: VenueEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    async def wait_for(self, predicate: Callable[[VenueEvent], bool], timeout: float = 10.0, after: int = 0) -> Any:
        """The first event from index ``after`` on that satisfies ``predicate``."""

        async def scan() -> VenueEvent:
            index = after
            while True:
                while index < len(self.events):
                    event = self.events[index]
                    index += 1
                    if predicate(event):
                        return event
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(scan(), timeout)

    def mark(self) -> int:
        return len(self.events)
