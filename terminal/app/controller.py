"""Opens a session for a profile, switches between profiles cleanly, and shuts everything down.

Switching closes the old session completely (streams closed, listen key deleted, the journal
closed, the demo exchange stopped unless the new profile uses it too) before the new one starts.
Each session gets its profile's journal and risk limits; without a journal it may not trade.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from terminal.app.connect import connect, webull_hosts, webull_secret
from terminal.app.demo_process import DemoProcess, DemoProcessError
from terminal.app.preferences import Preferences
from terminal.app.webull_auth import POLL_INTERVAL, TOKEN_TIMEOUT, TokenNeed, check_stored_token
from terminal.session.frame_clock import FrameClock
from terminal.session.order_manager import Notice
from terminal.session.session import Session
from terminal.storage.app_settings import SettingsStore
from terminal.storage.journal import Journal, JournalError
from terminal.storage.profiles import Profile, ProfileBook, ProfileStore
from terminal.storage.profiles import Venue as VenueKind
from terminal.storage.secrets import SecretStore
from terminal.ui.dialogs.longbridge_setup import expiry_line, expiry_warning, store_token
from terminal.ui.dialogs.profiles import ProfileDialog
from terminal.ui.dialogs.risk import RiskDialog
from terminal.ui.dialogs.webull_token import WebullTokenDialog
from terminal.ui.main_window import MainWindow
from terminal.venues.errors import VenueError
from terminal.venues.webull.token import TokenClient
from terminal.venues.webull.transport import WebullTransport

if TYPE_CHECKING:
    from terminal.venues.longbridge.token import AccessToken

log = logging.getLogger("terminal.app")


class Controller(QObject):
    session_opened = Signal(object)  # Session | None

    def __init__(
        self,
        window: MainWindow,
        store: ProfileStore,
        secrets: SecretStore,
        *,
        fps: int | None = None,
        theme: str | None = None,
        settings_store: SettingsStore | None = None,
        extra_profile: Profile | None = None,
        secret_override: str | None = None,
        demo_arguments: list[str] | None = None,
        journal_file: Path | None = None,
        demo: DemoProcess | None = None,
        access_token: str | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.secrets = secrets
        self.clock = FrameClock(fps or 60, self)
        self.demo = demo if demo is not None else DemoProcess(self)  # given: launched early by the app
        self.demo.setParent(self)
        self.book: ProfileBook = store.load()
        self.extra = extra_profile  # a profile given on the command line (not saved)
        self._secret_override = secret_override
        self._access_token_override = access_token  # $TERMINAL_ACCESS_TOKEN: the command line's Longbridge token
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests move time
        self._demo_arguments = demo_arguments
        self._journal_file = journal_file  # None: sessions are not journaled (and may trade regardless)
        self.session: Session | None = None
        self.profile: Profile | None = None
        self._switching = asyncio.Lock()
        self._pending: set[asyncio.Future[bool]] = set()
        window.profile_requested.connect(self.request_profile)
        window.edit_profiles_requested.connect(self.edit_profiles)
        window.risk_limits_requested.connect(self.edit_risk_limits)
        window.account_requested.connect(self.request_account)
        window.refresh_token_requested.connect(self.request_token_refresh)
        self.demo.outage.connect(self._demo_outage)
        self.demo.restored.connect(self._demo_restored)
        self._dialog: ProfileDialog | None = None
        self._risk_dialog: RiskDialog | None = None
        # Webull's 2FA: how long the token dialog waits for the user, how often it asks (tests shorten both).
        self.webull_token_timeout = TOKEN_TIMEOUT
        self.webull_poll_interval = POLL_INTERVAL
        self.token_dialog: WebullTokenDialog | None = None  # while a Webull session waits for its token
        self.webull_intervals: tuple[float, float] | None = None  # seconds between polls: market data, account
        # Settings: saved in settings_store (None: defaults, not saved); --theme and --fps win for this run.
        self.preferences = Preferences(window, self.clock, settings_store, store, theme_name=theme, fps=fps)
        window.settings_requested.connect(self.preferences.open_dialog)
        self.preferences.book_saved.connect(self._prefs_saved)
        for problem in self.book.problems:
            log.warning("%s", problem)
        self.clock.start()

    def profile_names(self) -> list[str]:
        names = list(self.book.names)
        return [self.extra.name, *names] if self.extra is not None else names

    def find(self, name: str) -> Profile | None:
        if self.extra is not None and name == self.extra.name:
            return self.extra
        return self.book.find(name)

    def request_profile(self, name: str) -> None:
        profile = self.find(name)
        if profile is not None and (self.profile is None or profile.name != self.profile.name):
            future = asyncio.ensure_future(self.open(profile))
            self._pending.add(future)
            future.add_done_callback(self._pending.discard)

    async def open(self, profile: Profile) -> bool:
        """Close the current session and open one for ``profile``; False if it could not connect."""
        async with self._switching:
            await self._close_session(keep_demo=profile.venue is VenueKind.DEMO and profile.custom_hosts is None)
            self.profile = profile
            self.window.set_profiles(self.profile_names(), profile.name)
            self.window.restore_layout(profile.name)
            self.window.status.session_label.setText(f"Connecting to {profile.name}…")
            override = self._secret_override if profile is self.extra else None
            try:
                access_token, token_required = (
                    await self._webull_token(profile, override) if profile.venue is VenueKind.WEBULL else (None, True)
                )
                connection = await connect(
                    profile,
                    self.secrets,
                    self.demo,
                    secret_override=override,
                    demo_arguments=self._demo_arguments,
                    access_token=access_token,
                    token_required=token_required,
                    poll_intervals=self.webull_intervals,
                    longbridge_token=self._command_line_token(profile),
                )
            except (DemoProcessError, VenueError, ValueError) as exc:
                message = f"Could not open {profile.name}: {exc}"
                log.error("%s", message)
                self.window.status.session_label.setText(message)
                return False
            journal, journal_problem = self._open_journal(profile.name)
            session = Session(connection.venue, profile.name, self.clock, journal=journal, limits=profile.risk)
            if journal_problem:
                session.pause_trading(journal_problem)
            saved = profile is not self.extra and self.book.find(profile.name) is not None
            self.preferences.apply_profile(profile, saved, session)
            self.session = session
            self.window.status.bind(session)
            if connection.notice:
                log.warning("%s", connection.notice)
            ok = await session.start()
            # The docks are bound once the venue has said what it trades and what the key may do.
            self.window.bind(session, profile.name, connection.description)
            if profile is not self.extra and self.book.find(profile.name) is not None:
                self.book = self.book.with_last_used(profile.name)
                self.store.save(self.book)
            self.window.risk_action.setEnabled(profile is not self.extra)
            if profile.venue is VenueKind.LONGBRIDGE:
                self._show_token_expiry(session, warn=True)
            if journal_problem:
                session.notice.emit(Notice("error", f"Trading is disabled: {journal_problem}.", "system"))
            for problem in journal.problems if journal is not None else []:
                session.notice.emit(Notice("warning", problem, "system"))
            self.session_opened.emit(session)
            return ok

    async def _webull_token(self, profile: Profile, override: str | None) -> tuple[str | None, bool]:
        """The 2FA access token to open ``profile`` with: a stored NORMAL one silently; else, when the
        account requires one, the token dialog (non-modal) until the user verifies it in the Webull app.
        Returns (token, whether the account requires one): no token and required means read only
        (the user continued without). Raises ValueError or
        VenueError in words (no app secret, a refused key)."""
        secret = webull_secret(profile, self.secrets, override)
        self.window.status.session_label.setText(f"Checking the Webull access token of {profile.name}…")
        async with WebullTransport(webull_hosts(profile), profile.api_key, secret) as transport:
            client = TokenClient(transport)
            check = await check_stored_token(client, self.secrets, profile.name, profile.api_key)
            if check.token is not None and check.need is TokenNeed.READY:
                return check.token.token, True
            if check.need is TokenNeed.NOT_REQUIRED:
                return None, False
            log.info("Webull access token needed for %s: %s", profile.name, check.reason)
            self.window.status.session_label.setText(
                f"{profile.name}: verify the access token in the Webull app (or continue read-only)…"
            )
            dialog = WebullTokenDialog(
                client,
                self.secrets,
                profile.name,
                profile.api_key,
                self.window,
                pending=check.token,
                timeout=self.webull_token_timeout,
                interval=self.webull_poll_interval,
            )
            self.token_dialog = dialog
            try:
                token = await dialog.run()
            finally:
                self.token_dialog = None
        self.window.status.session_label.setText(f"Connecting to {profile.name}…")
        if token is None:
            log.warning("%s opens read only: no Webull access token", profile.name)
        return token, True

    def _command_line_token(self, profile: Profile) -> AccessToken | None:
        """The command line's Longbridge token ($TERMINAL_ACCESS_TOKEN), valid 90 days as far as we know."""
        if profile is not self.extra or profile.venue is not VenueKind.LONGBRIDGE or not self._access_token_override:
            return None
        from terminal.venues.longbridge.token import AccessToken, default_expiry

        return AccessToken(self._access_token_override, default_expiry(self.now()))

    def _longbridge_token(self, session: Session | None) -> AccessToken | None:
        from terminal.venues.longbridge.token import AccessToken

        token = getattr(session.venue, "token", None) if session is not None else None
        return token if isinstance(token, AccessToken) else None

    def _show_token_expiry(self, session: Session, *, warn: bool = False) -> None:
        """The token's expiry in the window; with ``warn``, a one-time notice when it is due within 14 days."""
        token = self._longbridge_token(session)
        if token is None:
            return
        now = self.now()
        line = expiry_line(token, now)
        self.window.show_token_expiry(line)
        if warn and line.warn:
            text = expiry_warning(token, now)
            log.warning("%s", text)
            self.window.toasts.show(text, "warning")
            session.notice.emit(Notice("warning", text, "system"))

    def request_token_refresh(self) -> None:
        future = asyncio.ensure_future(self.refresh_longbridge_token())
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    async def refresh_longbridge_token(self) -> bool:
        """Ask Longbridge for a new access token valid 90 days, keep its record in the keyring and show
        its expiry; False (the reason in words, no traceback) when it could not be refreshed."""
        from terminal.venues.longbridge.token import default_expiry

        session, profile = self.session, self.profile
        if session is None or profile is None or profile.venue is not VenueKind.LONGBRIDGE:
            return False
        refresh = getattr(session.venue, "refresh_token", None)
        if refresh is None:
            return False
        self.window.refresh_token_action.setEnabled(False)
        try:
            token = await refresh(expired_at=default_expiry(self.now()))
        except VenueError as exc:
            return self._refresh_failed(profile, exc.message)
        except Exception as exc:  # any other failure is still said in words, never as a traceback
            log.warning("refreshing the Longbridge access token failed: %r", exc)
            return self._refresh_failed(profile, str(exc) or type(exc).__name__)
        finally:
            self.window.refresh_token_action.setEnabled(True)
        store_token(self.secrets, profile.name, profile.api_key, token)
        if self.session is session:
            self._show_token_expiry(session)
        where = "the keyring" if self.secrets.available else "this session only (no keyring)"
        text = f"Longbridge access token refreshed: it {token.expiry_text(self.now())}; kept in {where}."
        log.info("%s", text)
        self.window.toasts.show(text, "info")
        return True

    def _refresh_failed(self, profile: Profile, reason: str) -> bool:
        text = (
            f"Could not refresh the Longbridge access token of {profile.name}: {reason}. If it has expired, "
            "create a new one on Longbridge's developer site and enter it in Profiles."
        )
        log.error("%s", text)
        self.window.toasts.show(text, "error")
        return False

    def request_account(self, account_id: str) -> None:
        """The account picker chose another account of the same key: re-open the session on it (a saved
        profile remembers it)."""
        profile = self.profile
        if profile is None or not account_id or profile.account == account_id:
            return
        chosen = replace(profile, account=account_id)
        if profile is self.extra:
            self.extra = chosen
        elif self.book.find(profile.name) is not None:
            self.book = self.book.update(chosen)
            self.store.save(self.book)
        future = asyncio.ensure_future(self.open(chosen))
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def _open_journal(self, profile: str) -> tuple[Journal | None, str]:
        """The profile's journal, or None and why trading must wait (orders are never sent unjournaled)."""
        if self._journal_file is None:
            return None, ""
        try:
            return Journal(self._journal_file, profile), ""
        except JournalError as exc:
            log.error("the journal could not be opened: %s", exc)
            return None, f"the journal could not be opened ({exc})"

    async def _close_session(self, *, keep_demo: bool) -> None:
        if self.session is not None:
            self.window.save_layout()
            session, self.session = self.session, None
            self.window.bind(None, "")
            await session.close()
            if session.journal is not None:
                session.journal.close()
            session.deleteLater()
        if not keep_demo:
            await self.demo.stop()

    async def shutdown(self) -> None:
        async with self._switching:
            await self._close_session(keep_demo=False)
        self.clock.stop()

    def edit_profiles(self) -> None:
        """The profile dialog, non-modal (the event loop keeps running while it is open)."""
        if self._dialog is None:
            self._dialog = ProfileDialog(self.store, self.secrets, self.window)
            self._dialog.saved.connect(self.reload_profiles)
        self._dialog.open()
        self._dialog.raise_()

    def reload_profiles(self, book: ProfileBook) -> None:
        """The profile dialog saved changes: refresh the switcher."""
        self.book = book
        current = self.profile.name if self.profile else ""
        self.window.set_profiles(self.profile_names(), current)

    def edit_risk_limits(self) -> None:
        """The risk limits of the current profile (saved profiles only), non-modal."""
        profile = self.profile
        if profile is None or profile is self.extra or self.book.find(profile.name) is None:
            return
        if self._risk_dialog is not None:
            self._risk_dialog.close()
        self._risk_dialog = RiskDialog(self.store, profile.name, self.window)
        self._risk_dialog.saved.connect(self._risk_saved)
        self._risk_dialog.open()

    def _risk_saved(self, book: ProfileBook) -> None:
        self.book = book
        if self.profile is None:
            return
        profile = book.find(self.profile.name)
        if profile is not None:
            self.profile = profile
            if self.session is not None:
                self.session.set_limits(profile.risk)
                log.info("risk limits of %s saved and applied", profile.name)

    def _prefs_saved(self, book: ProfileBook) -> None:
        """The settings dialog wrote the current profile's preferences: hold the book as written."""
        self.reload_profiles(book)
        if self.profile is not None and self.profile is not self.extra:
            self.profile = book.find(self.profile.name) or self.profile

    def _demo_outage(self, reason: str) -> None:
        log.error("demo exchange outage: %s", reason)
        self.window.toasts.show(f"The demo exchange stopped ({reason}); restarting it…", "error")
        self.window.status.session_label.setText(f"Demo exchange outage: {reason}; restarting…")

    def _demo_restored(self) -> None:
        log.warning("the demo exchange is running again; the streams reconnect by themselves")
        self.window.toasts.show("The demo exchange is back; reconnecting.", "warning")
        if self.session is not None:
            self.window.status.refresh()
