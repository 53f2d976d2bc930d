"""UI tests run against the demo exchange in its own process, through a real session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.session.frame_clock import FrameClock
from terminal.session.session import Session
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from tests.support.demo_process import demo_process
from tests.support.qt import run


@pytest.fixture(scope="module")
def demo() -> Iterator[Endpoints]:
    with demo_process("--rate", "12") as endpoints:
        yield endpoints


@pytest.fixture
def session(qtbot: QtBot, aloop: object, demo: Endpoints) -> Iterator[Session]:
    """A live session on the demo exchange with BTCUSDT active; its frame clock runs at 60 Hz."""
    clock = FrameClock(fps=60)
    venue = HashKeyVenue(Hosts(demo.rest_url, demo.stream_url), Credentials(demo.api_key, demo.api_secret))
    session = Session(venue, "Demo", clock)
    clock.start()
    assert run(qtbot, session.start())
    session.set_active_symbol("BTCUSDT")
    yield session
    run(qtbot, session.close())
    clock.stop()
