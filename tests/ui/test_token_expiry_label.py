"""The main window shows a Longbridge token's expiry, in the warning colour when due, with its refresh action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from terminal.ui import theme
from terminal.ui.dialogs.longbridge_setup import expiry_line
from terminal.ui.main_window import MainWindow
from terminal.ui.status_bar import token_expired
from terminal.venues.longbridge.token import AccessToken

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def test_the_label_and_the_refresh_action_follow_the_token(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "window.ini")
    qtbot.addWidget(window)
    assert not window.refresh_token_action.isVisible() and window.token_label.text() == ""
    window.show_token_expiry(expiry_line(AccessToken("t", NOW + timedelta(days=84)), NOW))
    assert window.token_label.text().strip() == "Longbridge · token expires 2027-03-26 (in 84 days)"
    assert window.refresh_token_action.isVisible() and window.token_label.styleSheet() == ""
    window.show_token_expiry(expiry_line(AccessToken("t", NOW + timedelta(days=10)), NOW))
    assert theme.current().warn in window.token_label.styleSheet()
    window.show_token_expiry(None)
    assert not window.refresh_token_action.isVisible() and window.token_label.text() == ""


def test_an_expired_token_failure_points_to_profiles() -> None:
    assert token_expired("token expired (401003)")
    assert not token_expired("connection refused")
