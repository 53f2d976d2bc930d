"""Cancel on disconnect: off by default, fires once the account stream has been down long enough,
retries while the venue is unreachable, and a stream back in time cancels nothing."""

from __future__ import annotations

import asyncio

from terminal.session.disconnect_guard import DisconnectGuard
from terminal.session.order_gate import TicketError
from terminal.venues.base import ConnectionEvent, ConnectionState


def _event(state: ConnectionState, stream: str = "private") -> ConnectionEvent:
    return ConnectionEvent(stream, state)


class Venue:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls = 0

    async def cancel_all(self) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise TicketError("The venue cannot be reached")
        return 3


async def _no_sleep(_: float) -> None:
    await asyncio.sleep(0)


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_off_by_default_nothing_happens() -> None:
    venue, reports = Venue(), []
    guard = DisconnectGuard(venue.cancel_all, lambda level, text: reports.append(text), sleep=_no_sleep)
    guard.on_connection(_event(ConnectionState.RECONNECTING))
    await _settle()
    assert venue.calls == 0 and reports == []


async def test_down_long_enough_cancels_all_retrying_until_the_venue_answers() -> None:
    venue, reports = Venue(failures=2), []
    guard = DisconnectGuard(venue.cancel_all, lambda level, text: reports.append(text), sleep=_no_sleep)
    guard.configure(5)
    guard.on_connection(_event(ConnectionState.RECONNECTING))
    guard.on_connection(_event(ConnectionState.RECONNECTING))  # still the same outage: one timer
    guard.on_connection(_event(ConnectionState.RECONNECTING, stream="public_v2"))  # not the account stream
    await _settle()
    assert venue.calls == 3
    assert reports[0].startswith("The account stream has been down for 5 s")
    assert reports[-1] == "Cancel on disconnect done: 3 open order(s) asked to cancel."
    await guard.close()


async def test_a_stream_back_in_time_cancels_nothing() -> None:
    venue, reports = Venue(), []
    slept = asyncio.Event()

    async def sleep_forever(_: float) -> None:
        slept.set()
        await asyncio.Event().wait()

    guard = DisconnectGuard(venue.cancel_all, lambda level, text: reports.append(text), sleep=sleep_forever)
    guard.configure(30)
    guard.on_connection(_event(ConnectionState.FAILED))
    await slept.wait()
    guard.on_connection(_event(ConnectionState.LIVE))
    await _settle()
    assert venue.calls == 0 and reports == []
    await guard.close()
