"""API secrets and listen keys live only in the keyring (and memory); signatures only on the wire.

A whole session runs the application's own path (main window, controller, profile dialog, the
journal, JSON-lines logs at DEBUG, window settings), every file under a temporary home: two
HashKey profiles against two demo exchanges, each key entered in the profile dialog (stored in a
test keyring) and tested there; orders placed (one with an uncertain outcome), cancelled and
filled; the private stream's listen key obtained, expired and renewed; a switch of profile; a
shutdown. Every REST request the terminal sent is recorded on its way to the wire. Then every byte
of every file under the home is searched for the secrets, every signature sent and every listen
key issued: none may be there, while the files that should have been written are.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from terminal.app.controller import Controller
from terminal.demo.server.app import Endpoints
from terminal.domain.decimals import floor_to
from terminal.domain.enums import OrderStatus, OrderType
from terminal.session.session import Session
from terminal.storage.logs import setup_logging
from terminal.storage.paths import AppPaths, default_paths
from terminal.storage.profiles import ProfileStore
from terminal.storage.secrets import SecretStore
from terminal.ui.dialogs.profiles import ProfileDialog
from terminal.ui.main_window import MainWindow
from tests.support.demo_process import demo_process
from tests.support.fuzz_input import type_keys
from tests.support.keyring import MemoryKeyring
from tests.support.qt import run, wait
from tests.support.request_guard import LISTEN_KEY_PATH, WireRecorder, record_every_venue

FIRST = "HashKey MENA sandbox"  # a profile every first start offers; pointed at the first demo exchange
SECOND = "Second demo"  # added in the dialog, pointed at the second
SYMBOL = "BTCUSDT"
D = Decimal


def _encodings(value: str) -> set[bytes]:
    """``value`` as a file might hold it: as is, URL-encoded, JSON-escaped, base64, UTF-16."""
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    out = {form.encode() for form in forms}
    out.add(base64.b64encode(value.encode()))
    out.add(value.encode("utf-16-le"))
    return out


def _files(home: Path) -> list[Path]:
    return sorted(path for path in home.rglob("*") if path.is_file())


def _post(endpoints: Endpoints, path: str, body: dict[str, object]) -> None:
    httpx.post(f"{endpoints.rest_url}{path}", json=body, timeout=10).raise_for_status()


class Run:
    """The terminal as a user drives it, and what the test needs to reach."""

    def __init__(self, qtbot: QtBot, window: MainWindow, controller: Controller) -> None:
        self.qtbot, self.window, self.controller = qtbot, window, controller

    @property
    def session(self) -> Session:
        session = self.controller.session
        assert session is not None
        return session

    def dialog(self) -> ProfileDialog:
        self.window.edit_profiles_requested.emit()  # "Edit profiles…" in the toolbar
        dialog = self.window.findChild(ProfileDialog)
        assert dialog is not None and dialog.isVisible()
        return dialog

    def enter_profile(self, dialog: ProfileDialog, endpoints: Endpoints, name: str | None = None) -> None:
        """Point the profile on screen at ``endpoints`` with its key and secret, test the key, save."""
        if name is not None:
            dialog.name.setText(name)
        dialog.custom.setChecked(True)
        dialog.rest_url.setText(endpoints.rest_url)
        dialog.stream_url.setText(endpoints.stream_url)
        dialog.api_key.setText(endpoints.api_key)
        type_keys(dialog.secret, endpoints.api_secret)
        QTest.mouseClick(dialog.test, Qt.MouseButton.LeftButton)
        wait(self.qtbot, lambda: dialog.outcome.text().startswith(("Connected.", "Failed")))
        assert "this key can trade" in dialog.outcome.text(), dialog.outcome.text()
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        QTest.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert dialog.outcome.text() == "Saved.", dialog.problem.text()

    def open(self, name: str) -> None:
        """Pick ``name`` in the profile switcher; wait until its session is live with its private stream."""
        self.window.profile_requested.emit(name)
        wait(self.qtbot, lambda: self.controller.session is not None and self.controller.session.name == name, 30)
        session = self.session
        wait(self.qtbot, lambda: session.state == "live", 30)
        wait(self.qtbot, lambda: self.private_live(session), 30)
        wait(self.qtbot, lambda: SYMBOL in session.market.books and "USDT" in session.account.balances)

    @staticmethod
    def private_live(session: Session) -> bool:
        event = session.status.streams.get("private")
        return event is not None and event.state.value == "live"

    def limit_far_below(self, quantity: str) -> str:
        """Place a resting buy through the ticket; return its client order id once acknowledged."""
        form, session = self.window.ticket.form, self.session
        form.widgets.type_combo.setCurrentIndex(form.widgets.type_combo.findData(OrderType.LIMIT.value))
        QTest.mouseClick(form.widgets.buy, Qt.MouseButton.LeftButton)
        book = session.market.books[SYMBOL]
        assert book.best_bid is not None
        before = set(session.orders.orders)
        type_keys(form.widgets.price.edit, str(floor_to(book.best_bid * D("0.95"), D("0.01"))))
        type_keys(form.widgets.quantity.edit, quantity)
        wait(self.qtbot, form.widgets.submit.isEnabled)
        QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
        wait(self.qtbot, lambda: bool(set(session.orders.orders) - before))
        (cid,) = set(session.orders.orders) - before
        wait(self.qtbot, lambda: session.orders.orders[cid].status is OrderStatus.NEW, 30)
        return cid

    def cancel(self, cid: str) -> None:
        self.window.orders.cancel([cid])
        wait(self.qtbot, lambda: self.session.orders.orders[cid].status is OrderStatus.CANCELED)

    def market_buy(self, amount: str) -> None:
        form, session = self.window.ticket.form, self.session
        fills = set(session.orders.fills)
        form.widgets.type_combo.setCurrentIndex(form.widgets.type_combo.findData(OrderType.MARKET.value))
        QTest.mouseClick(form.widgets.by_amount, Qt.MouseButton.LeftButton)
        type_keys(form.widgets.amount.edit, amount)
        wait(self.qtbot, form.widgets.submit.isEnabled)
        QTest.mouseClick(form.widgets.submit, Qt.MouseButton.LeftButton)
        wait(self.qtbot, lambda: bool(set(session.orders.fills) - fills))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home of its own for every file of the terminal (the platform directories follow XDG_*)."""
    home = tmp_path / "home"
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    yield home


def _session(qtbot: QtBot, paths: AppPaths, recorder: WireRecorder, first: Endpoints, second: Endpoints) -> list[str]:
    """Everything a trader does in one sitting, through the application's own objects; returns the
    client order ids of the orders placed."""
    # Small files, so that the session's log rotates and the rotated files are searched too.
    logs = setup_logging(paths, "DEBUG", max_bytes=64 * 1024, backup_count=1000)
    try:
        # As run.py builds them, with a test keyring in place of the system's.
        window = MainWindow(paths.window_settings_file)
        window.attach_log(logs.buffer)
        window.show()
        keyring = MemoryKeyring()
        controller = Controller(
            window, ProfileStore(paths.profiles_file), SecretStore(keyring), journal_file=paths.journal_file
        )
        t = Run(qtbot, window, controller)
        try:
            dialog = t.dialog()
            dialog.list.setCurrentItem(dialog.list.findItems(FIRST, Qt.MatchFlag.MatchExactly)[0])
            t.enter_profile(dialog, first)
            QTest.mouseClick(_add_button(dialog), Qt.MouseButton.LeftButton)
            t.enter_profile(dialog, second, SECOND)
            dialog.close()
            assert set(keyring.entries.values()) == {first.api_secret, second.api_secret}

            t.open(FIRST)
            resting = t.limit_far_below("0.0100")
            t.cancel(resting)
            t.market_buy("250")
            # The next order's answer is lost (HTTP 503 after it was placed): reconciled by querying its id.
            _post(first, "/_demo/fail-orders", {"count": 1, "status": 503, "execute": True})
            uncertain = t.limit_far_below("0.0020")
            t.cancel(uncertain)
            # The listen key expires and the private stream drops: a new key is made and used.
            issued = len(_listen_keys_issued(recorder))
            for key in _listen_keys_issued(recorder):
                _post(first, "/_demo/expire-listen-key", {"listenKey": key})
            _post(first, "/_demo/drop-connections", {})
            wait(qtbot, lambda: len(_listen_keys_issued(recorder)) > issued, 30)
            wait(qtbot, lambda: t.private_live(t.session), 30)

            t.open(SECOND)  # switching closes the first session (its listen key is deleted)
            last = t.limit_far_below("0.0030")
            t.cancel(last)
            return [resting, uncertain, last]
        finally:
            run(qtbot, controller.shutdown(), timeout=30)
            window.close()
            window.deleteLater()
    finally:
        logs.teardown()


def _listen_keys_issued(recorder: WireRecorder) -> list[str]:
    return [
        str(call.answer["listenKey"])
        for call in recorder.calls
        if call.method == "POST"
        and call.path == LISTEN_KEY_PATH
        and isinstance(call.answer, dict)
        and call.answer.get("listenKey")
    ]


def _add_button(dialog: ProfileDialog) -> QPushButton:
    return next(button for button in dialog.findChildren(QPushButton) if button.text() == "Add")


def test_no_secret_signature_or_listen_key_reaches_any_file(
    qtbot: QtBot, aloop: object, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = default_paths().ensure()
    assert all(home in directory.parents for directory in paths.all_dirs())
    recorder = WireRecorder()
    record_every_venue(monkeypatch, recorder)
    with demo_process() as first, demo_process("--seed", "11") as second:
        assert first.api_secret != second.api_secret
        placed = _session(qtbot, paths, recorder, first, second)

    signatures = recorder.signatures()
    listen_keys = recorder.listen_keys()
    # The session did what it should have: signed requests, two listen keys on the first exchange
    # (one replaced after it expired), one on the second, each deleted when its session closed.
    assert len(signatures) >= 20
    assert len(_listen_keys_issued(recorder)) >= 3
    deleted = {
        call.params.get("listenKey")
        for call in recorder.calls
        if call.method == "DELETE" and call.path == LISTEN_KEY_PATH
    }
    assert len(deleted) >= 2

    files = _files(home)
    by_name = {path.name for path in files}
    assert {"profiles.json", "window.ini", "terminal.jsonl", "terminal.jsonl.1", "journal.sqlite3"} <= by_name, by_name
    log_lines = b"".join(path.read_bytes() for path in files if path.name.startswith("terminal.jsonl"))
    levels = {orjson.loads(line)["level"] for line in log_lines.splitlines() if line.strip()}
    assert "DEBUG" in levels  # request logs were written, with signed URLs and listen keys redacted
    assert b"signature=<redacted>" in log_lines and b"listenKey=<redacted>" in log_lines
    assert SECOND in paths.profiles_file.read_text()
    journal = b"".join(path.read_bytes() for path in files if path.name.startswith("journal.sqlite3"))
    assert all(cid.encode() in journal for cid in placed)  # the journal holds the session's orders

    # The search finds what is there: the key ids, which the profiles file holds (they are not secrets).
    key_ids = {key.encode(): "API key id" for key in (first.api_key, second.api_key)}
    assert f"{paths.profiles_file.relative_to(home)}: API key id" in _search(home, files, key_ids)
    needles: dict[bytes, str] = {}
    for what, values in (
        ("API secret", {first.api_secret, second.api_secret}),
        ("signature", signatures),
        ("listen key", listen_keys),
    ):
        for value in values:
            for form in _encodings(value):
                needles[form] = f"{what} {value[:6]}…"
    assert _search(home, files, needles) == []


def _search(home: Path, files: list[Path], needles: dict[bytes, str]) -> list[str]:
    """ "file: what" for each needle found in each file's bytes."""
    return [
        f"{path.relative_to(home)}: {label}"
        for path in files
        for content in [path.read_bytes()]
        for needle, label in needles.items()
        if needle in content
    ]
