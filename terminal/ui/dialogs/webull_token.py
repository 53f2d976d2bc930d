"""Webull's 2FA access token, verified by the user in the Webull app while this dialog counts down.

Seed 000, "Token Creation Process": create a token (PENDING; an SMS code goes to the account's phone),
the user enters the code in the Webull app, the token turns NORMAL; unverified within 5 minutes it
EXPIRES. Non-modal: the event loop keeps running while it polls the check endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui import theme
from terminal.venues.errors import VenueError
from terminal.venues.webull.token import AccessToken, TokenStatus, wait_for_verification

log = logging.getLogger("terminal.ui.webull_token")

TOKEN_TIMEOUT = 300.0  # 000: "If verification is not completed within 5 minutes ..."
POLL_INTERVAL = 5.0  # as Webull's SDK polls
TICK_MS = 250  # how often the countdown is redrawn (it shows whole seconds)
VERIFY_TEXT = (
    "Verify in the Webull app: an SMS code was sent to the phone of this account. Enter it in the Webull app "
    "(if no window pops up: Menu ▸ Messages ▸ OpenAPI Notifications ▸ the latest message ▸ Check Now)."
)


class TokenService(Protocol):
    """What the dialog needs of terminal.venues.webull.token.TokenClient."""

    async def create(self) -> AccessToken: ...

    async def check(self, token: str) -> AccessToken: ...


def countdown_text(seconds: float) -> str:
    """mm:ss, rounded up: "05:00" at the start, "00:00" only when the time is up."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class WebullTokenDialog(QDialog):
    """Get a NORMAL access token for (profile, app key): create one (or wait for ``pending``), poll it,
    store it in the keyring under ``access_token_key(app_key)``.

    ``token_ready(str)`` carries the verified token; ``read_only()`` says the user chose to go on
    without one (Continue read-only, or closing the window). ``wait()`` returns either: the token or
    None. Cancel only stops polling; Start again creates a new token (and sends a new SMS).
    """

    token_ready = Signal(str)
    read_only = Signal()

    def __init__(
        self,
        client: TokenService,
        secrets: SecretStore,
        profile: str,
        app_key: str,
        parent: QWidget | None = None,
        *,
        pending: AccessToken | None = None,
        timeout: float = TOKEN_TIMEOUT,
        interval: float = POLL_INTERVAL,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webullTokenDialog")
        self.setWindowTitle("Webull access token")
        self.setModal(False)
        self._client = client
        self._secrets = secrets
        self._profile = profile
        self._app_key = app_key
        self._pending = pending
        self.timeout = timeout
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._polling = False
        self._result: asyncio.Future[str | None] | None = None
        self._deadline = 0.0
        self.polls = 0  # check requests answered so far in this run (for tests and logs)
        self.status = QLabel()
        self.status.setObjectName("webullTokenStatus")
        self.status.setWordWrap(True)
        self.countdown = QLabel("")
        self.countdown.setObjectName("webullTokenCountdown")
        self.countdown.setFont(theme.mono_font())
        self.start_again = QPushButton("Start again")
        self.start_again.setObjectName("webullTokenStartAgain")
        self.start_again.clicked.connect(self.restart)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("webullTokenCancel")
        self.cancel.clicked.connect(self.stop)
        self.continue_read_only = QPushButton("Continue read-only")
        self.continue_read_only.setObjectName("webullTokenReadOnly")
        self.continue_read_only.clicked.connect(self.go_read_only)
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self._tick)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_again)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.countdown)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        self._set_polling(False)

    # ---- the flow -----------------------------------------------------------------------------

    @property
    def polling(self) -> bool:
        """Whether the dialog shows a flow under way (set with the buttons, so the two always agree)."""
        return self._polling

    def start(self) -> None:
        """Show the dialog and begin: wait for the pending token given, else create one. Needs a running loop."""
        if self._result is None or self._result.done():
            self._result = asyncio.get_event_loop().create_future()
        self.show()
        self.raise_()
        self._begin(self._pending)
        self._pending = None

    def restart(self) -> None:
        """Start again: a new token (a new SMS code)."""
        self.stop()
        self._begin(None)

    async def wait(self) -> str | None:
        """The verified token, or None when the user continued read-only (or the dialog was closed)."""
        if self._result is None:
            self.start()
        assert self._result is not None
        return await asyncio.shield(self._result)

    async def run(self) -> str | None:
        """Start, wait for the outcome (as ``wait``), then stop for good and let Qt delete the dialog."""
        try:
            self.start()
            return await self.wait()
        finally:
            self.shutdown()
            self.deleteLater()

    def stop(self) -> None:
        """Cancel: stop polling; the dialog stays for Start again or Continue read-only."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self._say("Stopped waiting for the verification. Start again for a new code, or continue read-only.")
        self._task = None
        self._ticker.stop()
        self._set_polling(False)

    def go_read_only(self) -> None:
        self.stop()
        self._finish(None)

    def _begin(self, pending: AccessToken | None) -> None:
        self.polls = 0
        self._set_polling(True)
        task = asyncio.ensure_future(self._run(pending))
        self._task = task
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        if self._task is task:
            self._task = None
            self._ticker.stop()
            self._set_polling(False)

    async def _run(self, pending: AccessToken | None) -> None:
        try:
            token = pending if pending is not None else await self._create()
            if token.status is TokenStatus.INVALID:
                token = await self._create()  # INVALID: "a token does not exist in the system": a new one
            if token.status is TokenStatus.PENDING:
                token = await self._wait(token)
        except VenueError as exc:
            self._ticker.stop()
            self._say(f"Webull refused the access token request: {exc.message}. Start again, or continue read-only.")
            return
        except (OSError, ValueError) as exc:
            self._ticker.stop()
            self._say(f"The access token request failed ({exc}). Start again, or continue read-only.")
            return
        self._ticker.stop()
        self._done(token)

    async def _create(self) -> AccessToken:
        self._say("Creating an access token…")
        self.countdown.setText("")
        return await self._client.create()

    async def _wait(self, token: AccessToken) -> AccessToken:
        self._say(VERIFY_TEXT)
        self._deadline = time.monotonic() + self.timeout
        self._tick()
        self._ticker.start()
        return await wait_for_verification(
            self._client, token, timeout=self.timeout, interval=self.interval, on_poll=self._polled
        )

    def _polled(self, seconds_left: float, _token: AccessToken) -> None:
        self.polls += 1
        self._deadline = time.monotonic() + seconds_left

    def _tick(self) -> None:
        self.countdown.setText(countdown_text(self._deadline - time.monotonic()))

    def _done(self, token: AccessToken) -> None:
        if token.status is TokenStatus.NORMAL:
            self._secrets.set(self._profile, access_token_key(self._app_key), token.token)
            kept = "kept in the keyring" if self._secrets.available else "kept for this session only"
            self._say(f"Verified: the access token is active and {kept}.")
            self.countdown.setText("")
            self._finish(token.token)
        elif token.status is TokenStatus.EXPIRED:
            self.countdown.setText(countdown_text(0))
            self._say(
                "The access token expired: it was not verified within 5 minutes. Start again for a new SMS code, "
                "or continue read-only."
            )
        else:
            self._say(
                f"Webull says the access token is {token.status.value.lower()}. Start again for a new one, "
                "or continue read-only."
            )

    def _finish(self, token: str | None) -> None:
        """Hand the outcome over once (later clicks and closes only hide the dialog)."""
        self.hide()
        if self._result is None or self._result.done():
            return
        self._result.set_result(token)
        if token is None:
            self.read_only.emit()
        else:
            self.token_ready.emit(token)

    # ---- the widgets --------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _set_polling(self, polling: bool) -> None:
        self._polling = polling
        self.cancel.setEnabled(polling)
        self.start_again.setEnabled(not polling)

    def reject(self) -> None:  # Escape: as closing the window
        self.go_read_only()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        if self._result is not None and not self._result.done():
            self._finish(None)
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop for good (the session that asked is no longer opening): no signal, no result."""
        if self._task is not None:
            self._task.cancel()
        self._task = None
        self._ticker.stop()
        if self._result is not None and not self._result.done():
            with contextlib.suppress(asyncio.InvalidStateError):
                self._result.cancel()
        self.hide()
