"""Edit profiles: venue, hosts, API key ID (saved in the profile file) and secret (keyring only).

"Test connection" asks the venue what the key is (API-key type), whether it can read the account
and whether it may trade (a test order, validated but never placed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
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

from terminal.storage.profiles import (
    Deployment,
    Environment,
    Profile,
    ProfileBook,
    ProfileError,
    ProfileStore,
)
from terminal.storage.profiles import Venue as VenueKind
from terminal.storage.secrets import SecretStore
from terminal.ui import theme
from terminal.venues.errors import VenueError
from terminal.venues.hashkey.hosts import Deployment as HostDeployment
from terminal.venues.hashkey.hosts import Environment as HostEnvironment
from terminal.venues.hashkey.hosts import Hosts, hosts_for
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue

log = logging.getLogger("terminal.ui.profiles")

VENUES = {"Demo exchange (built in)": VenueKind.DEMO, "HashKey": VenueKind.HASHKEY}
DEPLOYMENTS = {"MENA (pro)": Deployment.PRO, "Global (glb)": Deployment.GLOBAL}
ENVIRONMENTS = {"Sandbox": Environment.SANDBOX, "Production": Environment.PRODUCTION}


class ProfileDialog(QDialog):
    saved = Signal(object)  # ProfileBook

    def __init__(self, store: ProfileStore, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Profiles")
        self.setMinimumWidth(720)
        self._store = store
        self._secrets = secrets
        self.book: ProfileBook = store.load()
        self._tasks: set[asyncio.Task[None]] = set()
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
        form = QFormLayout()
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
        self._enable()

    def _enable(self) -> None:
        hashkey = VENUES[self.venue.currentText()] is VenueKind.HASHKEY
        custom = self.custom.isChecked()
        self.deployment.setEnabled(hashkey and not custom)
        self.environment.setEnabled(hashkey and not custom)
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
        except (ProfileError, ValueError) as exc:
            self.problem.setText(str(exc))
            return False
        secret = self.secret.text()
        if profile.name != old.name and old.api_key:
            self._secrets.move(old.name, profile.name, old.api_key)
        if secret and profile.api_key:
            self._secrets.set(profile.name, profile.api_key, secret)
        try:
            self._store.save(book)
        except ProfileError as exc:
            self.problem.setText(str(exc))
            return False
        self.book = book
        self.secret.clear()
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
