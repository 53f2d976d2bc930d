"""A started WebullVenue against the fake Webull server, with generous client-side rates so tests run fast."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from terminal.venues.base import VenueEvent
from terminal.venues.ratelimit import Rate
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.transport import RATES
from terminal.venues.webull.venue import WebullVenue
from tests.support.webull.server import WebullFakeServer

FAST = {name: Rate(100, 1.0) for name in RATES}


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(rate_limits={}, sandbox=True, step_seconds=0) as fake:
        yield fake


@pytest.fixture
def events() -> list[VenueEvent]:
    return []


@pytest.fixture
def account_interval() -> float:
    """How often the venue polls the account: rarely, unless a test module overrides this fixture."""
    return 60.0


@pytest.fixture
async def venue(
    server: WebullFakeServer, events: list[VenueEvent], account_interval: float
) -> AsyncIterator[WebullVenue]:
    started = WebullVenue(
        Hosts(server.url),
        server.app_key,
        server.app_secret,
        server.issue_token(),
        poll_interval=0.05,
        account_interval=account_interval,
        rates=FAST,
        timeout=1.0,
    )
    await started.start(events.append)
    yield started
    await started.close()
    assert server.violations == []
