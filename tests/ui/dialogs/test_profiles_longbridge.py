"""The profile dialog's Longbridge rows: region, app key and secret, the token with its expiry date (a JSON
record in the keyring), overrides; Test connection lists the account currencies; Refresh token stores a new one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from terminal.storage.profiles import LongbridgeRegion, ProfileStore, Venue
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui.dialogs.profiles import ProfileDialog
from terminal.venues.longbridge.token import from_record
from tests.support.keyring import MemoryKeyring
from tests.support.longbridge.server import LongbridgeFakeServer
from tests.support.qt import wait

PROFILE = "Longbridge"


@pytest.fixture
def server() -> Iterator[LongbridgeFakeServer]:
    with LongbridgeFakeServer() as fake:
        yield fake


def _dialog(qtbot: QtBot, tmp_path: Path, secrets: SecretStore) -> ProfileDialog:
    dialog = ProfileDialog(ProfileStore(tmp_path / "profiles.json"), secrets)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.list.setCurrentRow(dialog.book.names.index(PROFILE))
    assert dialog.venue.currentText() == "Longbridge"
    return dialog


def _fill(dialog: ProfileDialog, server: LongbridgeFakeServer, day: datetime) -> None:
    dialog.longbridge.endpoint.setText(server.url)
    dialog.api_key.setText(server.app_key)
    dialog.secret.setText(server.app_secret)
    dialog.longbridge.token.setText(server.token)
    dialog.longbridge.expires.setDate(QDate(day.year, day.month, day.day))


def test_the_longbridge_rows_show_and_save_the_token_record(qtbot: QtBot, tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    secrets = SecretStore(keyring)
    dialog = _dialog(qtbot, tmp_path, secrets)
    rows = dialog.longbridge
    assert dialog.form.isRowVisible(rows.region) and dialog.form.isRowVisible(rows.expires_row)
    assert not dialog.form.isRowVisible(dialog.webull_region) and not dialog.form.isRowVisible(dialog.stream_url)
    assert not dialog.form.isRowVisible(dialog.environment)
    assert "openapi.longportapp.com" in rows.endpoint.placeholderText()
    default_day = rows.expires.date().toPython()
    assert default_day == (datetime.now(UTC) + timedelta(days=90)).date()
    rows.region.setCurrentText("China (longportapp.cn)")
    dialog.api_key.setText("AK-1")
    dialog.secret.setText("the-secret")
    rows.quote_url.setText("wss://quote.example.com")
    rows.token.setText("tok-1")
    rows.expires.setDate(QDate(2031, 2, 14))
    assert dialog.save(), dialog.problem.text()
    saved = ProfileStore(tmp_path / "profiles.json").load().get(PROFILE)
    assert (saved.venue, saved.longbridge_region, saved.stream_url, saved.rest_url) == (
        Venue.LONGBRIDGE,
        LongbridgeRegion.CHINA,
        "wss://quote.example.com",
        None,
    )
    record = keyring.entries[("trading-terminal", f"{PROFILE}/AK-1#token")]
    token = from_record(record)
    assert token.token == "tok-1" and token.expires_at.date().isoformat() == "2031-02-14"
    assert rows.state.text().startswith("stored: expires 2031-02-14")
    assert "tok-1" not in (tmp_path / "profiles.json").read_text()


def test_test_connection_and_refresh_against_the_fake(
    qtbot: QtBot, aloop: object, tmp_path: Path, server: LongbridgeFakeServer
) -> None:
    secrets = SecretStore(MemoryKeyring())
    dialog = _dialog(qtbot, tmp_path, secrets)
    _fill(dialog, server, datetime.now(UTC) + timedelta(days=10))
    dialog.test.click()
    wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected.", "Failed")))
    assert dialog.outcome.text().startswith("Connected. Account currencies: "), dialog.outcome.text()
    assert "HKD" in dialog.outcome.text() and "Access token expires" in dialog.outcome.text()
    assert dialog.save(), dialog.problem.text()
    dialog.longbridge.refresh.click()
    wait(qtbot, lambda: "refresh" in dialog.outcome.text().lower() and dialog.longbridge.refresh.isEnabled())
    assert dialog.outcome.text().startswith("Access token refreshed and stored"), dialog.outcome.text()
    record = secrets.get(PROFILE, access_token_key(server.app_key))
    assert record is not None
    fresh = from_record(record)
    assert fresh.token != server.token and fresh.token in server.tokens
    assert fresh.days_left(datetime.now(UTC)) >= 88
    dialog.test.click()  # the new token works
    wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected.", "Failed")))
    assert dialog.outcome.text().startswith("Connected."), dialog.outcome.text()


def test_an_expired_token_is_not_sent_and_the_user_is_told_what_to_do(
    qtbot: QtBot, aloop: object, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    dialog.api_key.setText("AK-1")
    dialog.secret.setText("the-secret")
    dialog.longbridge.token.setText("old")
    dialog.longbridge.expires.setDate(QDate(2020, 1, 1))
    dialog.longbridge.refresh.click()
    wait(qtbot, lambda: "Cannot refresh" in dialog.outcome.text())
    assert "expired on 2020-01-01" in dialog.outcome.text() and "developer site" in dialog.outcome.text()


def test_test_connection_without_a_secret_says_what_is_missing(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    dialog.api_key.setText("AK-1")
    dialog.test.click()
    assert "Longbridge signs every request" in dialog.outcome.text()
