"""Edit profiles: venue, hosts, API key ID or Deriv account (saved in the profile file), secrets (keyring only).

"Test connection" asks the venue what the key or token may do; "Log in with Deriv…" runs Deriv's OAuth
over a loopback redirect and keeps the received tokens in the keyring. For Webull, Test connection lists
the app key's accounts and "Get access token…" runs the 2FA verification (webull_token.py). For
Longbridge, the access token is entered with its expiry date and refreshed in place (longbridge_rows.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.securities import BrokerageAccount
from terminal.storage.profile_model import MAX_APP_ID
from terminal.storage.profiles import (
    Deployment,
    Environment,
    Profile,
    ProfileBook,
    ProfileError,
    ProfileStore,
    Region,
    SignatureAlgorithm,
)
from terminal.storage.profiles import Venue as VenueKind
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui import theme
from terminal.ui.dialogs.longbridge_rows import LongbridgeRows
from terminal.ui.dialogs.longbridge_setup import stored_token
from terminal.ui.dialogs.webull_token import POLL_INTERVAL, TOKEN_TIMEOUT, WebullTokenDialog
from terminal.venues.deriv.endpoints import DEFAULT_APP_ID, DEFAULT_WS_URL
from terminal.venues.deriv.oauth import DEFAULT_PATH, LoopbackReceiver, OAuthAccount, is_login_id, is_token, login_url
from terminal.venues.deriv.venue import DerivVenue
from terminal.venues.errors import VenueError
from terminal.venues.hashkey.hosts import Deployment as HostDeployment
from terminal.venues.hashkey.hosts import Environment as HostEnvironment
from terminal.venues.hashkey.hosts import Hosts, hosts_for
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from terminal.venues.longbridge.token import AccessToken
from terminal.venues.webull.hosts import Environment as WebullEnvironment
from terminal.venues.webull.hosts import Hosts as WebullHosts
from terminal.venues.webull.hosts import Region as WebullRegion
from terminal.venues.webull.hosts import hosts_for as webull_hosts_for
from terminal.venues.webull.token import TokenClient, TokenStatus
from terminal.venues.webull.transport import WebullTransport
from terminal.venues.webull.venue import WebullVenue

log = logging.getLogger("terminal.ui.profiles")

VENUES = {
    "Demo exchange (built in)": VenueKind.DEMO,
    "HashKey": VenueKind.HASHKEY,
    "Deriv": VenueKind.DERIV,
    "Webull": VenueKind.WEBULL,
    "Longbridge": VenueKind.LONGBRIDGE,
}
REGIONS = {"Hong Kong (hk)": Region.HK, "United States (us)": Region.US}
ALGORITHMS = {"HMAC-SHA256": SignatureAlgorithm.HMAC_SHA256, "HMAC-SHA1": SignatureAlgorithm.HMAC_SHA1}
DEPLOYMENTS = {"MENA (pro)": Deployment.PRO, "Global (glb)": Deployment.GLOBAL}
ENVIRONMENTS = {"Sandbox": Environment.SANDBOX, "Production": Environment.PRODUCTION}
DERIV_OAUTH_PORT = 8765  # the default loopback port of the redirect URL registered with the user's Deriv app
OAUTH_PORT_KEY = "deriv_oauth_port"  # profile.ui keys
ACCOUNTS_KEY = "deriv_accounts"  # login IDs whose tokens this profile keeps in the keyring
LOGIN_TIMEOUT = 300.0  # seconds to wait for Deriv's redirect


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the system browser; False when there is none."""
    return QDesktopServices.openUrl(QUrl(url))


class ProfileDialog(QDialog):
    saved = Signal(object)  # ProfileBook

    def __init__(
        self,
        store: ProfileStore,
        secrets: SecretStore,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[str], bool] = open_in_browser,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Profiles")
        self.setMinimumWidth(720)
        self._store = store
        self._secrets = secrets
        self.book: ProfileBook = store.load()
        self._tasks: set[asyncio.Task[None]] = set()
        self._open_url = open_url
        self._login_task: asyncio.Task[None] | None = None
        self.login_timeout = LOGIN_TIMEOUT
        self._deriv_accounts: list[str] = []
        self.list = QListWidget()
        self.list.currentTextChanged.connect(self._show)
        add = QPushButton("Add")
        add.clicked.connect(self._add)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove)
        left = QVBoxLayout()
        left.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        left.addLayout(row)
        self.name = QLineEdit()
        self.venue = QComboBox()
        self.venue.addItems(list(VENUES))
        self.deployment = QComboBox()
        self.deployment.addItems(list(DEPLOYMENTS))
        self.environment = QComboBox()
        self.environment.addItems(list(ENVIRONMENTS))
        self.custom = QCheckBox("Use these URLs instead")
        self.rest_url = QLineEdit()
        self.rest_url.setPlaceholderText("https://api-pro.hashkey.com or http://127.0.0.1:8123")
        self.stream_url = QLineEdit()
        self.stream_url.setPlaceholderText("wss://stream-pro.hashkey.com")
        self.api_key = QLineEdit()
        self.api_key.setFont(theme.mono_font())
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.recv_window = QSpinBox()
        self.recv_window.setRange(1, 60_000)
        self.recv_window.setSuffix(" ms")
        for widget in (self.venue, self.custom):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.toggled
            signal.connect(self._enable)
        self._build_deriv_widgets()
        self._build_webull_widgets()
        self.longbridge = LongbridgeRows(self, self.outcome_text)
        self.longbridge.refresh.clicked.connect(self._refresh_longbridge_token)
        form = QFormLayout()
        self.form = form
        form.addRow("Name", self.name)
        form.addRow("Venue", self.venue)
        form.addRow("Deployment", self.deployment)
        form.addRow("Environment", self.environment)
        form.addRow("", self.custom)
        form.addRow("REST URL", self.rest_url)
        form.addRow("Stream URL", self.stream_url)
        form.addRow("API key", self.api_key)
        form.addRow("API secret", self.secret)
        form.addRow("recvWindow", self.recv_window)
        form.addRow("App ID", self.deriv_app_row)
        form.addRow("WebSocket endpoint", self.deriv_endpoint)
        form.addRow("Account (login ID)", self.deriv_account)
        form.addRow("API token", self.deriv_token)
        form.addRow("OAuth redirect port", self.deriv_oauth_row)
        form.addRow("Region", self.webull_region)
        form.addRow("Signature", self.webull_algorithm)
        form.addRow("Account", self.webull_account)
        form.addRow("Endpoint override", self.webull_endpoint)
        form.addRow("Access token", self.webull_token_row)
        for row_label, row_widget in self.longbridge.rows:
            form.addRow(row_label, row_widget)
        self.keyring_note = QLabel(
            "Secrets are kept in the system keyring."
            if secrets.available
            else f"No keyring: {secrets.reason} Secrets are kept for this session only."
        )
        self.keyring_note.setWordWrap(True)
        self.test = QPushButton("Test connection")
        self.test.clicked.connect(self._test)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self._style_problem()
        theme.notifier().changed.connect(self._style_problem)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.keyring_note)
        right.addWidget(self.test)
        right.addWidget(self.outcome)
        right.addWidget(self.problem)
        right.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.close)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(buttons)
        self._editing = ""
        self._fill_list()

    # ---- the list -----------------------------------------------------------------------------

    def _style_problem(self) -> None:
        self.problem.setStyleSheet(f"color: {theme.current().sell};")

    def _fill_list(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(list(self.book.names))
        self.list.blockSignals(False)
        name = select or (self.book.current.name if self.book.profiles else "")
        items = self.list.findItems(name, Qt.MatchFlag.MatchExactly) if name else []
        if items:
            self.list.setCurrentItem(items[0])
        elif self.list.count():
            self.list.setCurrentRow(0)

    def _show(self, name: str) -> None:
        profile = self.book.find(name)
        if profile is None:
            return
        self._cancel_login()  # its tokens belong to the profile that started it
        self._editing = name
        self.problem.clear()
        self.outcome.clear()
        self.name.setText(profile.name)
        self.venue.setCurrentText(_label(VENUES, profile.venue))
        self.deployment.setCurrentText(_label(DEPLOYMENTS, profile.deployment))
        self.environment.setCurrentText(_label(ENVIRONMENTS, profile.environment))
        custom = profile.custom_hosts
        self.custom.setChecked(custom is not None)
        self.rest_url.setText(custom[0] if custom else "")
        self.stream_url.setText(custom[1] if custom else "")
        self.api_key.setText(profile.api_key)
        stored = bool(profile.api_key) and self._secrets.get(profile.name, profile.api_key) is not None
        self.secret.clear()
        self.secret.setPlaceholderText("stored (leave blank to keep)" if stored else "")
        self.recv_window.setValue(profile.recv_window)
        self._show_deriv(profile)
        self._show_webull(profile)
        self.longbridge.show(profile, self._secrets)
        self._enable()

    def _enable(self) -> None:
        deriv = self._is_deriv()
        webull = self._is_webull()
        longbridge = self._is_longbridge()
        hashkey_rows: tuple[QWidget, ...] = (
            self.deployment,
            self.custom,
            self.rest_url,
            self.stream_url,
            self.recv_window,
        )
        deriv_rows: tuple[QWidget, ...] = (
            self.deriv_app_row,
            self.deriv_endpoint,
            self.deriv_account,
            self.deriv_token,
            self.deriv_oauth_row,
        )
        webull_rows: tuple[QWidget, ...] = (
            self.webull_region,
            self.webull_algorithm,
            self.webull_account,
            self.webull_endpoint,
            self.webull_token_row,
        )
        for widget in hashkey_rows:
            self.form.setRowVisible(widget, not deriv and not webull and not longbridge)
        self.form.setRowVisible(self.environment, not deriv and not longbridge)
        for widget in (self.api_key, self.secret):
            self.form.setRowVisible(widget, not deriv)
        for _label, widget in self.longbridge.rows:
            self.form.setRowVisible(widget, longbridge)
        for widget in deriv_rows:
            self.form.setRowVisible(widget, deriv)
        for widget in webull_rows:
            self.form.setRowVisible(widget, webull)
        for widget, hashkey_label, webull_label in (
            (self.api_key, "API key", "App key"),
            (self.secret, "API secret", "App secret"),
        ):
            label = self.form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(webull_label if webull or longbridge else hashkey_label)
        hashkey = VENUES[self.venue.currentText()] is VenueKind.HASHKEY
        custom = self.custom.isChecked()
        self.deployment.setEnabled(hashkey and not custom)
        self.environment.setEnabled((hashkey and not custom) or webull)
        if webull:
            self._show_webull_placeholder()
        self.rest_url.setEnabled(custom)
        self.stream_url.setEnabled(custom)

    def _add(self) -> None:
        base = "New profile"
        name, n = base, 2
        while self.book.find(name) is not None:
            name, n = f"{base} {n}", n + 1
        try:
            self.book = self.book.add(Profile(name=name, venue=VenueKind.HASHKEY))
        except ProfileError as exc:
            self.problem.setText(str(exc))
            return
        self._fill_list(name)

    def _remove(self) -> None:
        if not self._editing:
            return
        try:
            self.book = self.book.remove(self._editing)
        except ProfileError as exc:
            self.problem.setText(str(exc))
            return
        self._fill_list()

    # ---- saving -------------------------------------------------------------------------------

    def _profile_from_form(self) -> Profile:
        current = self.book.get(self._editing)
        if self._is_deriv():
            account = self._deriv_login_id()
            if account and not is_login_id(account):
                raise ProfileError(
                    f"The account {account!r} is not a Deriv login ID (letters then digits, e.g. VRTC1234567)"
                )
            return replace(
                current,
                name=self.name.text().strip(),
                venue=VenueKind.DERIV,
                rest_url=None,
                stream_url=self.deriv_endpoint.text().strip() or None,
                api_key=account,
                app_id=self.deriv_app_id.value(),
            )
        if self._is_webull():
            return replace(
                current,
                name=self.name.text().strip(),
                venue=VenueKind.WEBULL,
                region=REGIONS[self.webull_region.currentText()],
                environment=ENVIRONMENTS[self.environment.currentText()],
                algorithm=ALGORITHMS[self.webull_algorithm.currentText()],
                rest_url=self.webull_endpoint.text().strip() or None,
                stream_url=None,
                api_key=self.api_key.text().strip(),
                account=self._webull_account_id(),
            )
        if self._is_longbridge():
            return replace(
                current,
                name=self.name.text().strip(),
                venue=VenueKind.LONGBRIDGE,
                api_key=self.api_key.text().strip(),
                **self.longbridge.profile_fields(),  # type: ignore[arg-type]
            )
        custom = self.custom.isChecked()
        return replace(
            current,
            name=self.name.text().strip(),
            venue=VENUES[self.venue.currentText()],
            deployment=DEPLOYMENTS[self.deployment.currentText()],
            environment=ENVIRONMENTS[self.environment.currentText()],
            rest_url=self.rest_url.text().strip() if custom else None,
            stream_url=self.stream_url.text().strip() if custom else None,
            api_key=self.api_key.text().strip(),
            recv_window=self.recv_window.value(),
        )

    def save(self) -> bool:
        """Validate and save the profile on screen and its secret; False (with the reason) if invalid."""
        if not self._editing:
            return False
        try:
            profile = self._profile_from_form()
            old = self.book.get(self._editing)
            book = self.book.rename(old.name, profile.name) if profile.name != old.name else self.book
            book = _keep_saved_settings(book.update(profile), self._store.load(), {profile.name: old.name})
            profile = book.get(profile.name)
            if profile.venue is VenueKind.DERIV:
                profile = self._with_deriv_ui(profile)
                book = book.update(profile)
            secret = self._deriv_token_to_save(profile) if profile.venue is VenueKind.DERIV else self.secret.text()
        except (ProfileError, ValueError) as exc:
            self.problem.setText(str(exc))
            return False
        if profile.name != old.name:
            for key in _keyring_keys(old, self._deriv_accounts):
                self._secrets.move(old.name, profile.name, key)
        if secret and profile.api_key:
            self._secrets.set(profile.name, profile.api_key, secret)
        if profile.venue is VenueKind.LONGBRIDGE:
            self.longbridge.save_token(self._secrets, profile.name, profile.api_key)
        try:
            self._store.save(book)
        except ProfileError as exc:
            self.problem.setText(str(exc))
            return False
        self.book = book
        self.secret.clear()
        self.deriv_token.clear()
        self.problem.clear()
        self._fill_list(profile.name)
        self.outcome.setText("Saved.")
        self.saved.emit(book)
        return True

    # ---- testing the key ----------------------------------------------------------------------

    def _test(self) -> None:
        try:
            profile = self._profile_from_form()
        except (ProfileError, ValueError) as exc:
            self.problem.setText(str(exc))
            return
        if profile.venue is VenueKind.DERIV:
            self._test_deriv(profile)
            return
        if profile.venue is VenueKind.WEBULL:
            self._test_webull(profile)
            return
        if profile.venue is VenueKind.LONGBRIDGE:
            self._test_longbridge(profile)
            return
        if profile.venue is VenueKind.DEMO and profile.custom_hosts is None:
            self.outcome.setText("The built-in demo exchange uses its own demo keys: nothing to test.")
            return
        secret = self.secret.text() or (self._secrets.get(self._editing, profile.api_key) if profile.api_key else None)
        if not profile.api_key or not secret:
            self.outcome.setText("Enter an API key and its secret to test them.")
            return
        try:
            custom = profile.custom_hosts
            hosts = (
                Hosts(*custom)
                if custom
                else hosts_for(HostDeployment(profile.deployment.value), HostEnvironment(profile.environment.value))
            )
        except ValueError as exc:
            self.problem.setText(str(exc))
            return
        self.outcome.setText(f"Testing {hosts.rest_url}…")
        self.test.setEnabled(False)
        task = asyncio.ensure_future(self._run_test(hosts, Credentials(profile.api_key, secret), profile.recv_window))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_test(self, hosts: Hosts, credentials: Credentials, recv_window: int) -> None:
        venue = HashKeyVenue(hosts, credentials, recv_window=recv_window)
        try:
            permissions, balances = await venue.check_key()
        except VenueError as exc:
            self.outcome.setText(f"Failed: {exc.message}")
            return
        finally:
            await venue.rest.aclose()
            self.test.setEnabled(True)
        account = f"{permissions.account}: " if permissions.account else ""
        verdict = "this key can trade." if permissions.can_trade else f"read only ({permissions.reason})."
        self.outcome.setText(f"Connected. {account}{balances} balances visible; {verdict}")

    # ---- Deriv --------------------------------------------------------------------------------

    def _build_deriv_widgets(self) -> None:
        self.deriv_app_id = QSpinBox()
        self.deriv_app_id.setObjectName("derivAppId")
        self.deriv_app_id.setRange(1, MAX_APP_ID)
        self.deriv_app_id.setValue(DEFAULT_APP_ID)
        self.deriv_app_note = QLabel()
        self.deriv_app_note.setWordWrap(True)
        self.deriv_app_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deriv_app_row = QWidget()
        app_row = QVBoxLayout(self.deriv_app_row)
        app_row.setContentsMargins(0, 0, 0, 0)
        app_row.addWidget(self.deriv_app_id)
        app_row.addWidget(self.deriv_app_note)
        self.deriv_endpoint = QLineEdit()
        self.deriv_endpoint.setObjectName("derivEndpoint")
        self.deriv_endpoint.setPlaceholderText(DEFAULT_WS_URL)
        self.deriv_account = QComboBox()
        self.deriv_account.setObjectName("derivAccount")
        self.deriv_account.setEditable(True)
        self.deriv_account.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.deriv_account.setFont(theme.mono_font())
        line = self.deriv_account.lineEdit()
        if line is not None:
            line.setPlaceholderText("VRTC1234567")
        self.deriv_account.currentTextChanged.connect(self._show_token_state)
        self.deriv_token = QLineEdit()
        self.deriv_token.setObjectName("derivToken")
        self.deriv_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.deriv_port = QSpinBox()
        self.deriv_port.setObjectName("derivOAuthPort")
        self.deriv_port.setRange(1, 65535)
        self.deriv_port.setValue(DERIV_OAUTH_PORT)
        self.deriv_port.valueChanged.connect(self._show_app_note)
        self.deriv_login = QPushButton("Log in with Deriv…")
        self.deriv_login.setObjectName("derivLogin")
        self.deriv_login.clicked.connect(self._login)
        self.deriv_oauth_row = QWidget()
        row = QHBoxLayout(self.deriv_oauth_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.deriv_port)
        row.addWidget(self.deriv_login, 1)
        self._show_app_note()

    def _is_deriv(self) -> bool:
        return VENUES[self.venue.currentText()] is VenueKind.DERIV

    def _deriv_login_id(self) -> str:
        return self.deriv_account.currentText().strip().upper()

    def _redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.deriv_port.value()}{DEFAULT_PATH}"

    def _show_app_note(self) -> None:
        self.deriv_app_note.setText(
            f"{DEFAULT_APP_ID} is Deriv's public app ID for testing: it works with API tokens. To log in "
            f"with Deriv (OAuth), register your own app with the redirect URL {self._redirect_uri()} and "
            "enter its ID here."
        )

    def _show_deriv(self, profile: Profile) -> None:
        deriv = profile.venue is VenueKind.DERIV
        self.deriv_app_id.setValue(profile.app_id)
        self.deriv_endpoint.setText((profile.stream_url or "") if deriv else "")
        known = profile.ui.get(ACCOUNTS_KEY)
        self._deriv_accounts = [a for a in known if isinstance(a, str)] if isinstance(known, list) else []
        self._fill_accounts(profile.api_key if deriv else "")
        self.deriv_token.clear()
        port = profile.ui.get(OAUTH_PORT_KEY)
        self.deriv_port.setValue(port if type(port) is int and 1 <= port <= 65535 else DERIV_OAUTH_PORT)
        self._show_token_state()

    def _fill_accounts(self, chosen: str) -> None:
        self.deriv_account.blockSignals(True)
        self.deriv_account.clear()
        self.deriv_account.addItems(self._deriv_accounts)
        self.deriv_account.setCurrentText(chosen)
        self.deriv_account.blockSignals(False)
        self._show_token_state()

    def _show_token_state(self) -> None:
        account = self._deriv_login_id()
        stored = bool(self._editing and account) and self._secrets.get(self._editing, account) is not None
        self.deriv_token.setPlaceholderText("stored (leave blank to keep)" if stored else "")

    def _with_deriv_ui(self, profile: Profile) -> Profile:
        profile = profile.with_ui(OAUTH_PORT_KEY, self.deriv_port.value())
        if self._deriv_accounts:
            profile = profile.with_ui(ACCOUNTS_KEY, list(self._deriv_accounts))
        return profile

    def _deriv_token_to_save(self, profile: Profile) -> str:
        token = self.deriv_token.text().strip()
        if token and not is_token(token):
            raise ProfileError("The API token is not a Deriv token: 1 to 128 letters, digits, _ or -")
        if token and not profile.api_key:
            raise ProfileError("Enter the account (login ID, e.g. VRTC1234567) the API token belongs to")
        return token

    def _test_deriv(self, profile: Profile) -> None:
        account = profile.api_key
        token = self.deriv_token.text().strip() or (self._secrets.get(self._editing, account) if account else None)
        if token and not is_token(token):
            self.problem.setText("The API token is not a Deriv token: 1 to 128 letters, digits, _ or -.")
            return
        ws_url = profile.stream_url or DEFAULT_WS_URL
        self.outcome.setText(f"Testing {ws_url}…")
        self.test.setEnabled(False)
        task = asyncio.ensure_future(self._run_deriv_test(ws_url, profile.app_id, token or None, account))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_deriv_test(self, ws_url: str, app_id: int, token: str | None, account: str) -> None:
        venue = DerivVenue(ws_url, app_id, token)
        try:
            await venue.start(lambda _event: None)
        except VenueError as exc:
            self.outcome.setText(f"Failed: {exc.message}")
            return
        except Exception as exc:  # any other failure is still said in words, never as a traceback
            log.warning("testing Deriv at %s failed: %r", ws_url, exc)
            self.outcome.setText(f"Failed: {exc or type(exc).__name__}")
            return
        finally:
            with contextlib.suppress(Exception):
                await venue.close()
            self.test.setEnabled(True)
        self.outcome.setText(_deriv_verdict(venue, account))

    def _cancel_login(self) -> None:
        if self._login_task is not None:
            self._login_task.cancel()

    def _login(self) -> None:
        if self._login_task is not None:  # the button reads "Cancel" while a login waits
            self._cancel_login()
            return
        self.problem.clear()
        task = asyncio.ensure_future(self._run_login(self.deriv_port.value(), self.deriv_app_id.value()))
        self._login_task = task
        self.deriv_login.setText("Cancel")
        task.add_done_callback(self._login_ended)

    def _login_ended(self, task: asyncio.Task[None]) -> None:
        if self._login_task is task:
            self._login_task = None
        self.deriv_login.setText("Log in with Deriv…")

    async def _run_login(self, port: int, app_id: int) -> None:
        receiver = LoopbackReceiver()
        try:
            try:
                uri = await receiver.start(port, DEFAULT_PATH)
            except (OSError, ValueError) as exc:
                self.outcome.clear()
                self.problem.setText(str(exc))
                return
            waiting = f"Waiting for Deriv's redirect to {uri}… (Cancel to stop.)"
            if app_id == DEFAULT_APP_ID:
                waiting += f" Note: app ID {DEFAULT_APP_ID} sends the login to Deriv's own site, not here."
            url = login_url(app_id)
            if not self._open_url(url):
                waiting += f" No browser could be opened: open {url} yourself."
            self.outcome.setText(waiting)
            try:
                accounts = await receiver.accounts(self.login_timeout)
            except (TimeoutError, ValueError) as exc:
                self.outcome.clear()
                self.problem.setText(str(exc))
                return
        except asyncio.CancelledError:
            self.outcome.setText("Login with Deriv cancelled.")
            raise
        finally:
            await receiver.close()
        self._received(accounts)

    def _received(self, accounts: list[OAuthAccount]) -> None:
        for account in accounts:
            self._secrets.set(self._editing, account.login_id, account.token)
        received = [account.login_id for account in accounts]
        self._deriv_accounts = received + [a for a in self._deriv_accounts if a not in received]
        chosen = self._deriv_login_id()
        if not chosen:
            chosen = next((a for a in received if a.startswith("VR")), received[0])  # VRTC...: a virtual account
        self._fill_accounts(chosen)
        self.deriv_token.clear()
        kept = "tokens saved in the keyring" if self._secrets.available else "tokens kept for this session only"
        count = f"{len(accounts)} account{'s' if len(accounts) != 1 else ''} received"
        self.problem.clear()
        self.outcome.setText(f"{count}; {kept}. Save to use {chosen} with this profile.")

    def hideEvent(self, event: QHideEvent) -> None:
        self._cancel_login()  # closing the dialog ends the wait and frees the port
        super().hideEvent(event)

    # ---- Webull -------------------------------------------------------------------------------

    def _build_webull_widgets(self) -> None:
        self.webull_region = QComboBox()
        self.webull_region.setObjectName("webullRegion")
        self.webull_region.addItems(list(REGIONS))
        self.webull_algorithm = QComboBox()
        self.webull_algorithm.setObjectName("webullAlgorithm")
        self.webull_algorithm.addItems(list(ALGORITHMS))
        self.webull_account = QComboBox()  # filled by Test connection with the app key's accounts
        self.webull_account.setObjectName("webullAccount")
        self.webull_account.setEditable(True)
        self.webull_account.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.webull_account.setFont(theme.mono_font())
        line = self.webull_account.lineEdit()
        if line is not None:
            line.setPlaceholderText("the first account of the key (Test connection lists them)")
        self.webull_endpoint = QLineEdit()
        self.webull_endpoint.setObjectName("webullEndpoint")
        self.webull_get_token = QPushButton("Get access token…")
        self.webull_get_token.setObjectName("webullGetToken")
        self.webull_get_token.clicked.connect(self._get_token)
        self.webull_token_state = QLabel()
        self.webull_token_state.setObjectName("webullTokenState")
        self.webull_token_row = QWidget()
        row = QHBoxLayout(self.webull_token_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.webull_get_token)
        row.addWidget(self.webull_token_state, 1)
        self.webull_region.currentIndexChanged.connect(self._show_webull_placeholder)
        self.environment.currentIndexChanged.connect(self._show_webull_placeholder)
        self.token_timeout = TOKEN_TIMEOUT  # the 2FA wait and its polling (tests shorten both)
        self.token_interval = POLL_INTERVAL
        self.token_dialog: WebullTokenDialog | None = None
        self._token_task: asyncio.Task[None] | None = None

    def _is_webull(self) -> bool:
        return VENUES[self.venue.currentText()] is VenueKind.WEBULL

    def _webull_account_id(self) -> str:
        index = self.webull_account.currentIndex()
        text = self.webull_account.currentText().strip()
        data = self.webull_account.itemData(index) if index >= 0 else None
        if isinstance(data, str) and text == self.webull_account.itemText(index):
            return data  # a listed account shows as "ACC… · CASH · USD"; the profile keeps its ID
        return text

    def _show_webull_placeholder(self) -> None:
        hosts = webull_hosts_for(
            WebullRegion(REGIONS[self.webull_region.currentText()].value),
            WebullEnvironment(ENVIRONMENTS[self.environment.currentText()].value),
        )
        self.webull_endpoint.setPlaceholderText(f"{hosts.api_url} (leave blank), or https://host:port")

    def _show_webull(self, profile: Profile) -> None:
        webull = profile.venue is VenueKind.WEBULL
        self.webull_region.setCurrentText(_label(REGIONS, profile.region))
        self.webull_algorithm.setCurrentText(_label(ALGORITHMS, profile.algorithm))
        self.webull_endpoint.setText((profile.rest_url or "") if webull else "")
        self.webull_account.clear()
        self.webull_account.setCurrentText(profile.account if webull else "")
        self._show_webull_token_state(profile.api_key if webull else "")

    def _show_webull_token_state(self, app_key: str) -> None:
        stored = bool(app_key and self._editing) and self._secrets.get(self._editing, access_token_key(app_key))
        self.webull_token_state.setText("a token is stored" if stored else "none stored")

    def _webull_setup(self, profile: Profile) -> tuple[WebullHosts, str] | None:
        """The hosts and app secret to test or verify with; None (with the reason shown) when incomplete."""
        secret = self.secret.text() or (self._secrets.get(self._editing, profile.api_key) if profile.api_key else None)
        if not profile.api_key or not secret:
            self.outcome.setText("Enter the app key and its app secret first: Webull signs every request.")
            return None
        try:
            return _webull_hosts(profile), secret
        except ValueError as exc:
            self.problem.setText(str(exc))
            return None

    def _test_webull(self, profile: Profile) -> None:
        setup = self._webull_setup(profile)
        if setup is None:
            return
        hosts, secret = setup
        token = self._secrets.get(self._editing, access_token_key(profile.api_key))
        self.outcome.setText(f"Testing {hosts.api_url}…")
        self.test.setEnabled(False)
        task = asyncio.ensure_future(self._run_webull_test(hosts, profile, secret, token))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_webull_test(self, hosts: WebullHosts, profile: Profile, secret: str, token: str | None) -> None:
        venue = WebullVenue(hosts, profile.api_key, secret, token)
        try:
            tokens = TokenClient(venue.transport)
            required = await tokens.required()  # a signed request: the key and secret are right
            state = "not required by this account"
            if token is not None:
                status = (await tokens.check(token)).status
                state = "active" if status is TokenStatus.NORMAL else f"{status.value.lower()} (Get access token…)"
                if status is not TokenStatus.NORMAL:
                    venue.transport.set_access_token(None)
            elif required:
                state = "required but none stored (Get access token… to list accounts and trade)"
            if required and (token is None or venue.transport.access_token is None):
                self.outcome.setText(f"Connected: the app key and secret are right. Access token: {state}.")
                return
            accounts = await venue.accounts()
        except VenueError as exc:
            self.outcome.setText(f"Failed: {exc.message}")
            return
        except Exception as exc:  # any other failure is still said in words, never as a traceback
            log.warning("testing Webull at %s failed: %r", hosts.api_url, exc)
            self.outcome.setText(f"Failed: {exc or type(exc).__name__}")
            return
        finally:
            with contextlib.suppress(Exception):
                await venue.transport.aclose()
            self.test.setEnabled(True)
        self._fill_webull_accounts(accounts, profile.account)
        listed = "; ".join(_account_text(account) for account in accounts) or "none"
        self.outcome.setText(f"Connected. Accounts: {listed}. Access token: {state}.")

    def _fill_webull_accounts(self, accounts: list[BrokerageAccount], chosen: str) -> None:
        self.webull_account.clear()
        for account in accounts:
            self.webull_account.addItem(_account_text(account), account.account_id)
        index = self.webull_account.findData(chosen) if chosen else (0 if accounts else -1)
        if index >= 0:
            self.webull_account.setCurrentIndex(index)
        else:
            self.webull_account.setCurrentText(chosen)

    def _get_token(self) -> None:
        if self._token_task is not None and not self._token_task.done():
            if self.token_dialog is not None:
                self.token_dialog.show()
                self.token_dialog.raise_()
            return
        try:
            profile = self._profile_from_form()
        except (ProfileError, ValueError) as exc:
            self.problem.setText(str(exc))
            return
        setup = self._webull_setup(profile)
        if setup is None:
            return
        hosts, secret = setup
        self.problem.clear()
        self._token_task = asyncio.ensure_future(self._run_get_token(hosts, profile.api_key, secret))

    async def _run_get_token(self, hosts: WebullHosts, app_key: str, secret: str) -> None:
        profile = self._editing
        key = access_token_key(app_key)
        try:
            async with WebullTransport(hosts, app_key, secret) as transport:
                client = TokenClient(transport)
                stored = self._secrets.get(profile, key)
                pending = None
                if stored:
                    checked = await client.check(stored)
                    if checked.status is TokenStatus.NORMAL:
                        self.outcome.setText("The stored access token is active: nothing to do.")
                        return
                    if checked.status is TokenStatus.PENDING:
                        pending = checked
                    else:
                        self._secrets.delete(profile, key)
                dialog = WebullTokenDialog(
                    client,
                    self._secrets,
                    profile,
                    app_key,
                    self,
                    pending=pending,
                    timeout=self.token_timeout,
                    interval=self.token_interval,
                )
                self.token_dialog = dialog
                try:
                    token = await dialog.run()
                finally:
                    self.token_dialog = None
        except VenueError as exc:
            self.outcome.setText(f"Failed: {exc.message}")
            return
        self.outcome.setText(
            "Access token verified and stored." if token else "No access token: the profile connects read-only."
        )
        self._show_webull_token_state(app_key)

    # ---- Longbridge ---------------------------------------------------------------------------

    def outcome_text(self, text: str) -> None:
        self.outcome.setText(text)

    def _is_longbridge(self) -> bool:
        return VENUES[self.venue.currentText()] is VenueKind.LONGBRIDGE

    def _longbridge_setup(self) -> tuple[Profile, str, AccessToken | None] | None:
        """The profile on screen, its app secret and token (typed, else stored); None with the reason shown."""
        try:
            profile = self._profile_from_form()
            secret = self.secret.text() or (
                self._secrets.get(self._editing, profile.api_key) if profile.api_key else None
            )
            if not profile.api_key or not secret:
                self.outcome.setText("Enter the app key and its app secret first: Longbridge signs every request.")
                return None
            token = self.longbridge.typed_token() or stored_token(self._secrets, self._editing, profile.api_key)
        except (ProfileError, ValueError) as exc:
            self.problem.setText(str(exc))
            return None
        self.problem.clear()
        return profile, secret, token

    def _test_longbridge(self, profile: Profile) -> None:
        setup = self._longbridge_setup()
        if setup is None:
            return
        self.test.setEnabled(False)
        self.longbridge.test(*setup, done=lambda: self.test.setEnabled(True))

    def _refresh_longbridge_token(self) -> None:
        setup = self._longbridge_setup()
        if setup is None:
            return
        profile, secret, token = setup
        # The new token is kept under the name the keyring knows now (renaming moves it on Save).
        self.longbridge.refresh_stored(replace(profile, name=self._editing), secret, token, self._secrets)


def _deriv_verdict(venue: DerivVenue, typed: str) -> str:
    """What "Test connection" found: the account, its scopes, and whether it may trade."""
    account, permissions = venue.account, venue.permissions
    if account is None:
        return "Connected: no token, so market data only. Enter a token or log in with Deriv to test an account."
    scopes = ", ".join(permissions.scopes or account.scopes) or "none"
    verdict = "trading allowed" if permissions.can_trade else "read only: the token has no trade scope"
    other = f" This token belongs to {account.login_id}, not {typed}." if typed and typed != account.login_id else ""
    return f"Connected. {account.describe()}; scopes: {scopes}; {verdict}.{other}"


def _keyring_keys(profile: Profile, received: list[str]) -> set[str]:
    """The keyring entries a profile owns: its key ID or account, and the Deriv accounts it logged in with."""
    keys = {profile.api_key, *received}
    if profile.api_key:
        keys.add(access_token_key(profile.api_key))  # a Webull 2FA access token (secrets.py)
    known = profile.ui.get(ACCOUNTS_KEY)
    if isinstance(known, list):
        keys.update(a for a in known if isinstance(a, str))
    return {key for key in keys if key}


def _webull_hosts(profile: Profile) -> WebullHosts:
    """As terminal/app/connect.py's webull_hosts (the UI does not import the app layer)."""
    if profile.rest_url is not None:
        return WebullHosts(profile.rest_url, algorithm=profile.algorithm.value)
    known = webull_hosts_for(WebullRegion(profile.region.value), WebullEnvironment(profile.environment.value))
    return replace(known, algorithm=profile.algorithm.value)


def _account_text(account: BrokerageAccount) -> str:
    """ "ACC-US-CASH-0001 · CASH · USD" (its label, when it has one, instead of the ID)."""
    return account.describe()


def _label(mapping: Mapping[str, object], value: object) -> str:
    return next((label for label, v in mapping.items() if v == value), next(iter(mapping)))


def _keep_saved_settings(book: ProfileBook, saved: ProfileBook, renamed: dict[str, str]) -> ProfileBook:
    """``book`` with each profile's risk limits and UI preferences as saved now: other windows (Risk
    limits, Settings) edit them while this dialog may hold a copy loaded earlier. ``renamed`` maps a
    new name to the name the file still knows."""
    for profile in book.profiles:
        current = saved.find(renamed.get(profile.name, profile.name))
        if current is not None and (current.risk, current.ui) != (profile.risk, profile.ui):
            book = book.update(replace(profile, risk=current.risk, ui=current.ui))
    return book
