"""The profile dialog's Longbridge rows: region, overrides, the access token with its expiry date, Test
connection (a signed GET /v1/asset/account) and "Refresh token" (the documented refresh call)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.storage.profiles import LongbridgeRegion, Profile
from terminal.storage.secrets import SecretStore
from terminal.ui import theme
from terminal.ui.dialogs.longbridge_setup import (
    NEW_TOKEN_HINT,
    expired_message,
    longbridge_hosts,
    store_token,
    stored_token,
    token_until,
)
from terminal.venues.errors import VenueError
from terminal.venues.longbridge.hosts import Region, hosts_for
from terminal.venues.longbridge.token import TOKEN_LIFETIME, AccessToken, TokenClient, default_expiry
from terminal.venues.longbridge.transport import LongbridgeTransport, RateClass

log = logging.getLogger("terminal.ui.profiles")

LONGBRIDGE_REGIONS = {
    "Global (longportapp.com)": LongbridgeRegion.GLOBAL,
    "China (longportapp.cn)": LongbridgeRegion.CHINA,
}
ACCOUNT_PATH = "/v1/asset/account"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class LongbridgeRows(QObject):
    """The widgets and the two network actions; the dialog owns the app key and app secret fields."""

    def __init__(self, parent: QWidget, report: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._report = report  # a sentence for the dialog's outcome line
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests move time
        self.region = QComboBox()
        self.region.setObjectName("longbridgeRegion")
        self.region.addItems(list(LONGBRIDGE_REGIONS))
        self.region.currentIndexChanged.connect(self._show_placeholder)
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("longbridgeEndpoint")
        self.quote_url = QLineEdit()
        self.quote_url.setObjectName("longbridgeQuoteUrl")
        self.quote_url.setPlaceholderText("the SDK's quote socket (leave blank), or wss://host:port")
        self.token = QLineEdit()
        self.token.setObjectName("longbridgeToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setFont(theme.mono_font())
        self.expires = QDateEdit()
        self.expires.setObjectName("longbridgeExpires")
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("yyyy-MM-dd")
        hint = QLabel("Longbridge's developer page shows the real date (tokens last about 90 days).")
        hint.setWordWrap(True)
        self.expires_row = QWidget()
        column = QVBoxLayout(self.expires_row)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.expires)
        column.addWidget(hint)
        self.refresh = QPushButton("Refresh token")
        self.refresh.setObjectName("longbridgeRefresh")
        self.refresh.setToolTip(
            "Ask Longbridge for a new token valid 90 more days (only while the current one is valid)"
        )
        self.state = QLabel()
        self.state.setObjectName("longbridgeTokenState")
        self.state.setWordWrap(True)
        self.refresh_row = QWidget()
        row = QHBoxLayout(self.refresh_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.refresh)
        row.addWidget(self.state, 1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._show_placeholder()

    @property
    def rows(self) -> tuple[tuple[str, QWidget], ...]:
        return (
            ("Longbridge region", self.region),
            ("REST endpoint override", self.endpoint),
            ("Quote socket override", self.quote_url),
            ("Access token", self.token),
            ("Expires on", self.expires_row),
            ("", self.refresh_row),
        )

    def _show_placeholder(self) -> None:
        hosts = hosts_for(Region(LONGBRIDGE_REGIONS[self.region.currentText()].value))
        self.endpoint.setPlaceholderText(f"{hosts.api_url} (leave blank), or https://host:port")

    # ---- the form -------------------------------------------------------------------------------

    def show(self, profile: Profile, secrets: SecretStore) -> None:
        mine = profile.venue.value == "longbridge"
        self.region.setCurrentText(next(k for k, v in LONGBRIDGE_REGIONS.items() if v == profile.longbridge_region))
        self.endpoint.setText((profile.rest_url or "") if mine else "")
        self.quote_url.setText((profile.stream_url or "") if mine else "")
        self.token.clear()
        self.expires.setDate(_qdate((self.now() + TOKEN_LIFETIME).date()))
        self.show_state(secrets, profile.name, profile.api_key if mine else "")

    def show_state(self, secrets: SecretStore, profile: str, app_key: str) -> None:
        """What the keyring holds: "stored: expires 2027-02-14 (in 84 days)", "none stored"…"""
        try:
            token = stored_token(secrets, profile, app_key)
        except ValueError as exc:
            self.token.setPlaceholderText("")
            self.state.setText(str(exc))
            return
        self.token.setPlaceholderText("stored (leave blank to keep)" if token else "")
        self.state.setText(f"stored: {token.expiry_text(self.now())}" if token else "none stored")

    def profile_fields(self) -> dict[str, object]:
        return {
            "longbridge_region": LONGBRIDGE_REGIONS[self.region.currentText()],
            "rest_url": self.endpoint.text().strip() or None,
            "stream_url": self.quote_url.text().strip() or None,
        }

    def typed_token(self) -> AccessToken | None:
        """The token typed in the form, valid until the chosen day; None when the field is blank."""
        text = self.token.text().strip()
        if not text:
            return None
        day = self.expires.date().toPython()
        assert isinstance(day, date)
        return token_until(text, day)

    def save_token(self, secrets: SecretStore, profile: str, app_key: str) -> None:
        token = self.typed_token()
        if token is not None and app_key:
            store_token(secrets, profile, app_key, token)
            self.token.clear()
        self.show_state(secrets, profile, app_key)

    # ---- the network ----------------------------------------------------------------------------

    def test(self, profile: Profile, secret: str, token: AccessToken | None, done: Callable[[], None]) -> None:
        self._start(self._run_test(profile, secret, token), done)

    def refresh_stored(self, profile: Profile, secret: str, token: AccessToken | None, secrets: SecretStore) -> None:
        self.refresh.setEnabled(False)
        self._start(self._run_refresh(profile, secret, token, secrets), lambda: self.refresh.setEnabled(True))

    def _start(self, work: object, done: Callable[[], None]) -> None:
        async def run() -> None:
            try:
                await work  # type: ignore[misc]
            finally:
                done()

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_test(self, profile: Profile, secret: str, token: AccessToken | None) -> None:
        now = self.now()
        if token is None:
            self._report(f"No access token: {NEW_TOKEN_HINT.replace('create', 'Create', 1)}.")
            return
        if token.is_expired(now):
            self._report(f"Failed: {expired_message(profile.name, token)}.")
            return
        self._report(f"Testing {profile.rest_url or 'Longbridge'}…")
        try:
            async with LongbridgeTransport(
                longbridge_hosts(profile), profile.api_key, secret, access_token=token.token
            ) as transport:
                data = await transport.request("GET", ACCOUNT_PATH, rate_class=RateClass.TRADE, idempotent=True)
        except VenueError as exc:
            self._report(f"Failed: {exc.message}")
            return
        except Exception as exc:  # said in words, never as a traceback
            log.warning("testing Longbridge failed: %r", exc)
            self._report(f"Failed: {exc or type(exc).__name__}")
            return
        currencies = _currencies(data)
        self._report(
            f"Connected. Account currencies: {', '.join(currencies) or 'none'}. Access token {token.expiry_text(now)}."
        )

    async def _run_refresh(
        self, profile: Profile, secret: str, token: AccessToken | None, secrets: SecretStore
    ) -> None:
        now = self.now()
        if token is None:
            self._report(f"No access token to refresh: {NEW_TOKEN_HINT}.")
            return
        if token.is_expired(now):
            self._report(f"Cannot refresh: {expired_message(profile.name, token)}.")
            return
        try:
            async with LongbridgeTransport(
                longbridge_hosts(profile), profile.api_key, secret, access_token=token.token
            ) as transport:
                fresh = await TokenClient(transport).refresh(default_expiry(now))
        except VenueError as exc:
            self._report(f"Refresh failed: {exc.message}")
            return
        except Exception as exc:
            log.warning("refreshing the Longbridge token failed: %r", exc)
            self._report(f"Refresh failed: {exc or type(exc).__name__}")
            return
        store_token(secrets, profile.name, profile.api_key, fresh)
        self.token.clear()
        self.show_state(secrets, profile.name, profile.api_key)
        self._report(f"Access token refreshed and stored: it {fresh.expiry_text(now)}.")

    async def settle(self) -> None:
        """Wait for running tests and refreshes (tests, closing)."""
        while self._tasks:
            with contextlib.suppress(Exception):
                await asyncio.gather(*self._tasks)


def _currencies(data: object) -> list[str]:
    entries = data.get("list") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    return [str(entry["currency"]) for entry in entries if isinstance(entry, dict) and "currency" in entry]
