"""Closing a session (a profile switch, quitting) is prompt even while the venue rate-limits us:
the listen key is then left to expire by itself instead of waiting out the 429 pause to delete it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.session.frame_clock import FrameClock
from terminal.session.session import Session
from terminal.soak.faults import listen_key_of
from terminal.venues.errors import RateLimited
from terminal.venues.hashkey import endpoints
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from tests.support.demo_process import demo_process
from tests.support.qt import run, wait

PAUSE_S = 20


@pytest.fixture(scope="module")
def demo() -> Iterator[Endpoints]:
    with demo_process("--symbols", "BTCUSDT") as endpoints:
        yield endpoints


def _fault(demo: Endpoints, path: str, body: dict[str, object]) -> dict[str, object]:
    response = httpx.post(f"{demo.rest_url}{path}", json=body, timeout=10)
    response.raise_for_status()
    result: dict[str, object] = response.json()
    return result


async def _provoke_a_429(venue: HashKeyVenue) -> None:
    """Query until the venue has answered 429 (to this or to one of the session's own requests).

    ``max_wait=0``: a query the limiter would hold back for ordinary pacing is refused locally and
    tried again, rather than queued where a 429 pause arriving meanwhile would hold it for 20 s."""
    while venue.status().rate_limited_for == 0:
        with contextlib.suppress(RateLimited):
            await venue.rest.transport.call(endpoints.ACCOUNT, max_wait=0.0)
        await asyncio.sleep(0.05)


def test_closing_while_rate_limited_returns_promptly_and_leaves_the_key_to_expire(
    qtbot: QtBot, aloop: object, demo: Endpoints, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FrameClock(fps=30)
    venue = HashKeyVenue(Hosts(demo.rest_url, demo.stream_url), Credentials(demo.api_key, demo.api_secret))
    session = Session(venue, "Demo", clock)
    clock.start()
    try:
        assert run(qtbot, session.start())
        wait(qtbot, lambda: listen_key_of(session) is not None)
        key = listen_key_of(session)
        _fault(demo, "/_demo/rate-limit", {"seconds": PAUSE_S})
        run(qtbot, _provoke_a_429(venue), timeout=10)
        assert venue.status().rate_limited_for > PAUSE_S - 5  # queries are paused for the 20 s
        caplog.set_level(logging.INFO, logger="terminal.venues.hashkey.listen_key")
        started = time.monotonic()
        run(qtbot, session.close(), timeout=PAUSE_S + 10)
        assert time.monotonic() - started < 5
        assert session.state == "closed"
        assert any("did not delete the listen key" in r.getMessage() for r in caplog.records)
        assert _fault(demo, "/_demo/expire-listen-key", {"listenKey": key}) == {"expired": True}  # still valid
    finally:
        run(qtbot, session.close(), timeout=PAUSE_S + 10)
        clock.stop()
