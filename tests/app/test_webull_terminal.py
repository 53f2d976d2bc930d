"""A Webull profile opened by the controller against the fake server: the 2FA dialog until the user
verifies the token, the token sent afterwards and reused on the next start, read-only when the user
continues without one, and the account picker re-opening the session on another account."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from terminal.storage.profiles import Profile, Venue
from terminal.storage.secrets import access_token_key
from terminal.venues.webull.venue import WebullVenue
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal, terminal
from tests.support.webull.server import WebullFakeServer

NAME = "Webull fake"


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(rate_limits={}, step_seconds=0) as fake:
        yield fake
    assert fake.violations == []


@pytest.fixture
def live(qtbot: QtBot, aloop: object, tmp_path: Path, server: WebullFakeServer) -> Iterator[Terminal]:
    with terminal(qtbot, tmp_path) as t:
        profile = Profile(NAME, Venue.WEBULL, rest_url=server.url, api_key=server.app_key)
        t.controller.book = t.controller.book.add(profile)
        t.controller.store.save(t.controller.book)
        t.controller.secrets.set(NAME, server.app_key, server.app_secret)
        t.controller.webull_poll_interval = 0.2
        yield t


def _venue(t: Terminal) -> WebullVenue:
    venue = t.session.venue
    assert isinstance(venue, WebullVenue)
    return venue


def test_the_token_is_verified_once_then_reused(qtbot: QtBot, live: Terminal, server: WebullFakeServer) -> None:
    controller = live.controller
    opening = asyncio.ensure_future(controller.open(controller.book.get(NAME)))
    wait(qtbot, lambda: controller.token_dialog is not None and controller.token_dialog.polls >= 1)
    dialog = controller.token_dialog
    assert dialog is not None and dialog.isVisible() and "Verify in the Webull app" in dialog.status.text()
    pending = [token for token, status in server.tokens.items() if status == "PENDING"]
    server.verify_token(pending[0])
    wait(qtbot, opening.done, timeout=30)
    assert opening.result() is True
    venue = _venue(live)
    assert venue.transport.access_token == pending[0] and venue.permissions.can_trade
    assert controller.secrets.get(NAME, access_token_key(server.app_key)) == pending[0]
    # the account picker lists the key's accounts; the label names the chosen one
    window = live.window
    wait(qtbot, lambda: window.account_picker.count() == 2)
    assert window.account_label.text().startswith("  Account ACC-US-CASH-0001")
    # the next start reuses the stored token without the dialog
    assert run(qtbot, controller.open(controller.book.get("Demo")), timeout=60)
    creates = sum(1 for r in server.requests if r.path.endswith("/create"))
    assert run(qtbot, controller.open(controller.book.get(NAME)), timeout=30)
    assert controller.token_dialog is None
    assert sum(1 for r in server.requests if r.path.endswith("/create")) == creates
    assert _venue(live).transport.access_token == pending[0]


def test_continuing_without_a_token_connects_without_one(qtbot: QtBot, live: Terminal) -> None:
    controller = live.controller
    opening = asyncio.ensure_future(controller.open(controller.book.get(NAME)))
    wait(qtbot, lambda: controller.token_dialog is not None and controller.token_dialog.polls >= 1)
    assert controller.token_dialog is not None
    controller.token_dialog.continue_read_only.click()
    wait(qtbot, opening.done, timeout=30)
    venue = _venue(live)
    assert venue.transport.access_token is None and not venue.permissions.can_trade
    # This account requires the token for every request (token_check_enabled), reads included: the
    # session says so in words instead of opening.
    assert opening.result() is False
    assert "x-access-token is missing or invalid" in live.window.status.session_label.text()


def test_choosing_another_account_reopens_the_session_on_it(
    qtbot: QtBot, live: Terminal, server: WebullFakeServer
) -> None:
    controller = live.controller
    controller.secrets.set(NAME, access_token_key(server.app_key), server.issue_token())
    assert run(qtbot, controller.open(controller.book.get(NAME)), timeout=30)
    assert controller.token_dialog is None  # the stored NORMAL token was reused
    window = live.window
    wait(qtbot, lambda: window.account_picker.count() == 2)
    index = window.account_picker.findData("ACC-HK-MRGN-0002")
    window.account_picker.setCurrentIndex(index)
    window.account_picker.activated.emit(index)
    wait(qtbot, lambda: controller.session is not None and _venue(live).account_id == "ACC-HK-MRGN-0002", timeout=30)
    assert controller.book.get(NAME).account == "ACC-HK-MRGN-0002"
    assert controller.store.load().get(NAME).account == "ACC-HK-MRGN-0002"
    wait(qtbot, lambda: "ACC-HK-MRGN-0002" in window.account_label.text())


def test_without_an_app_secret_the_profile_says_why(qtbot: QtBot, live: Terminal, server: WebullFakeServer) -> None:
    controller = live.controller
    controller.secrets.delete(NAME, server.app_key)
    assert run(qtbot, controller.open(controller.book.get(NAME)), timeout=30) is False
    text = live.window.status.session_label.text()
    assert text.startswith(f"Could not open {NAME}: no app secret for Webull app key")
