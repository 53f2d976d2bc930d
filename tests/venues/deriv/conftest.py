"""The Deriv test server the venue's end-to-end tests run against."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import started_server


@pytest.fixture
def server() -> Iterator[DerivTestServer]:
    """A fast-ticking server (20 ticks a second) with the standard trading and read-only tokens."""
    started = started_server(tick_interval=0.05)
    try:
        yield started
    finally:
        assert started.violations == []  # every request and answer matched Deriv's schemas
        started.stop()
