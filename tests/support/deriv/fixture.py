"""The ``deriv_server`` pytest fixture: a started Deriv test server with the standard tokens, stopped after the
test. Load it with ``pytest_plugins = ["tests.support.deriv.fixture"]`` (or import it by name)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import started_server


@pytest.fixture
def deriv_server() -> Iterator[DerivTestServer]:
    server = started_server()
    try:
        yield server
    finally:
        server.stop()
