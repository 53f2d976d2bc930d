"""The Webull 2FA dialog against the fake server: it counts down while the user verifies in the app,
stores the NORMAL token, offers Start again after EXPIRED, creates a new token for an INVALID one,
and Cancel stops polling; in the sandbox a token is NORMAL at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui.dialogs.webull_token import WebullTokenDialog, countdown_text
from terminal.venues.ratelimit import Rate
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.token import AccessToken, TokenClient, TokenStatus
from terminal.venues.webull.transport import RATES, WebullTransport
from tests.support.keyring import MemoryKeyring
from tests.support.qt import run, wait
from tests.support.webull.server import WebullFakeServer

FAST = {name: Rate(1000, 1.0) for name in RATES}
PROFILE = "Webull HK"


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(rate_limits={}, verify_timeout=60.0) as fake:
        yield fake
    assert fake.violations == []


class Harness:
    def __init__(self, qtbot: QtBot, server: WebullFakeServer) -> None:
        self.qtbot = qtbot
        self.server = server
        self.secrets = SecretStore(MemoryKeyring())
        self.transport = WebullTransport(Hosts(server.url), server.app_key, server.app_secret, rates=FAST)
        self.client = TokenClient(self.transport)

    def dialog(
        self, *, pending: AccessToken | None = None, timeout: float = 30.0, interval: float = 0.05
    ) -> WebullTokenDialog:
        dialog = WebullTokenDialog(
            self.client, self.secrets, PROFILE, self.server.app_key, pending=pending, timeout=timeout, interval=interval
        )
        self.qtbot.addWidget(dialog)
        return dialog

    def pending_tokens(self) -> list[str]:
        return [token for token, status in self.server.tokens.items() if status == "PENDING"]

    def close(self) -> None:
        run(self.qtbot, self.transport.aclose())


@pytest.fixture
def harness(qtbot: QtBot, aloop: object, server: WebullFakeServer) -> Iterator[Harness]:
    h = Harness(qtbot, server)
    yield h
    h.close()


def test_countdown_text_is_minutes_and_seconds() -> None:
    assert [countdown_text(s) for s in (300, 299.2, 61, 0.4, 0, -3)] == [
        "05:00",
        "05:00",
        "01:01",
        "00:01",
        "00:00",
        "00:00",
    ]


def test_a_token_verified_in_the_app_is_stored_and_handed_over(qtbot: QtBot, harness: Harness) -> None:
    dialog = harness.dialog()
    result = asyncio.ensure_future(dialog.wait())
    wait(qtbot, lambda: bool(harness.pending_tokens()) and dialog.polls >= 2)
    assert dialog.isVisible()
    assert "Verify in the Webull app" in dialog.status.text()
    assert dialog.countdown.text() in ("00:30", "00:29")
    assert not dialog.start_again.isEnabled() and dialog.cancel.isEnabled()
    token = harness.pending_tokens()[0]
    harness.server.verify_token(token)  # the user enters the SMS code in the Webull app
    wait(qtbot, result.done)
    assert result.result() == token
    assert harness.secrets.get(PROFILE, access_token_key(harness.server.app_key)) == token
    assert not dialog.isVisible()


def test_the_countdown_runs_down(qtbot: QtBot, harness: Harness) -> None:
    dialog = harness.dialog(timeout=5.0, interval=0.5)
    dialog.start()
    wait(qtbot, lambda: dialog.countdown.text() == "00:05")
    wait(qtbot, lambda: dialog.countdown.text() == "00:04", timeout=5)
    dialog.go_read_only()


def test_cancel_stops_polling_and_start_again_sends_a_new_code(qtbot: QtBot, harness: Harness) -> None:
    dialog = harness.dialog()
    result = asyncio.ensure_future(dialog.wait())
    wait(qtbot, lambda: dialog.polls >= 1)
    dialog.cancel.click()
    assert not dialog.polling
    assert "Stopped waiting" in dialog.status.text()
    checks = _checks(harness.server)
    qtbot.wait(300)
    assert _checks(harness.server) == checks  # nothing polled any more
    assert dialog.start_again.isEnabled() and not result.done()
    dialog.start_again.click()
    wait(qtbot, lambda: len(harness.pending_tokens()) == 2 and dialog.polls >= 1)
    dialog.continue_read_only.click()
    wait(qtbot, result.done)
    assert result.result() is None
    assert harness.secrets.get(PROFILE, access_token_key(harness.server.app_key)) is None


def test_an_expired_token_offers_start_again(qtbot: QtBot, harness: Harness) -> None:
    dialog = harness.dialog()
    dialog.start()
    wait(qtbot, lambda: bool(harness.pending_tokens()) and dialog.polls >= 1)
    harness.server.expire_token(harness.pending_tokens()[0])  # 5 minutes passed unverified
    wait(qtbot, lambda: not dialog.polling)
    assert "expired" in dialog.status.text()
    assert dialog.start_again.isEnabled() and dialog.isVisible()
    dialog.start_again.click()
    wait(qtbot, lambda: dialog.polling and len(harness.pending_tokens()) == 1 and dialog.polls >= 1)
    harness.server.verify_token(harness.pending_tokens()[0])
    wait(qtbot, lambda: harness.secrets.get(PROFILE, access_token_key(harness.server.app_key)) is not None)


def test_the_wait_running_out_counts_as_expired(qtbot: QtBot, harness: Harness) -> None:
    dialog = harness.dialog(timeout=0.5, interval=0.1)
    dialog.start()
    wait(qtbot, lambda: "expired" in dialog.status.text() and not dialog.polling)
    assert dialog.countdown.text() == "00:00" and dialog.start_again.isEnabled()


def test_an_invalid_pending_token_is_replaced_by_a_new_one(qtbot: QtBot, harness: Harness) -> None:
    invalid = AccessToken("never-issued", 1_900_000_000_000, TokenStatus.INVALID)
    dialog = harness.dialog(pending=invalid)
    dialog.start()
    wait(qtbot, lambda: len(harness.pending_tokens()) == 1 and dialog.polls >= 1)
    assert "Verify in the Webull app" in dialog.status.text()
    dialog.go_read_only()


def test_a_stored_pending_token_is_resumed_without_a_new_code(qtbot: QtBot, harness: Harness) -> None:
    created = run(qtbot, harness.client.create())
    dialog = harness.dialog(pending=created)
    result = asyncio.ensure_future(dialog.wait())
    wait(qtbot, lambda: dialog.polls >= 1)
    harness.server.verify_token(created.token)
    wait(qtbot, result.done)
    assert result.result() == created.token
    assert len(harness.server.tokens) == 1


def test_closing_the_window_continues_read_only(qtbot: QtBot, harness: Harness) -> None:
    dialog = harness.dialog()
    result = asyncio.ensure_future(dialog.wait())
    wait(qtbot, lambda: dialog.polls >= 1)
    dialog.close()
    wait(qtbot, result.done)
    assert result.result() is None and not dialog.polling


def test_an_error_from_the_token_endpoint_is_said_in_words(qtbot: QtBot, harness: Harness) -> None:
    harness.server.fail_next("/openapi/auth/token/create", 403, "INVALID_TOKEN", "token creation is not allowed")
    dialog = harness.dialog()
    dialog.start()
    wait(qtbot, lambda: "Webull refused" in dialog.status.text())
    assert "Traceback" not in dialog.status.text() and dialog.start_again.isEnabled()
    dialog.go_read_only()


def test_in_the_sandbox_the_token_is_normal_at_once(qtbot: QtBot, aloop: object) -> None:
    with WebullFakeServer(rate_limits={}, sandbox=True) as server:
        h = Harness(qtbot, server)
        dialog = h.dialog()
        result = asyncio.ensure_future(dialog.wait())
        wait(qtbot, result.done)
        token = result.result()
        assert token is not None and server.tokens[token] == "NORMAL"
        assert dialog.polls == 0
        assert h.secrets.get(PROFILE, access_token_key(server.app_key)) == token
        h.close()


def _checks(server: WebullFakeServer) -> int:
    return sum(1 for request in server.requests if request.path.endswith("/check"))
