"""The profile dialog: secrets only in the keyring, a clear note without one, the key test, and Deriv's login."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.storage.profiles import ProfileStore, Venue
from terminal.storage.secrets import SecretStore
from terminal.ui.dialogs.profiles import ProfileDialog
from tests.support.deriv.standard import READ_LOGIN, READ_TOKEN, TRADE_LOGIN, TRADE_TOKEN, started_server
from tests.support.keyring import MemoryKeyring
from tests.support.qt import wait

PROFILE = "HashKey MENA sandbox"


def _dialog(qtbot: QtBot, tmp_path: Path, secrets: SecretStore) -> ProfileDialog:
    dialog = ProfileDialog(ProfileStore(tmp_path / "profiles.json"), secrets)
    qtbot.addWidget(dialog)
    dialog.open()
    for row in range(dialog.list.count()):
        if dialog.list.item(row).text() == PROFILE:
            dialog.list.setCurrentRow(row)
    assert dialog.name.text() == PROFILE
    return dialog


def _point_at_demo(dialog: ProfileDialog, demo: Endpoints, key: str, secret: str) -> None:
    dialog.custom.setChecked(True)
    dialog.rest_url.setText(demo.rest_url)
    dialog.stream_url.setText(demo.stream_url)
    dialog.api_key.setText(key)
    dialog.secret.setText(secret)


def test_secrets_go_to_the_keyring_and_never_to_the_profile_file(qtbot: QtBot, tmp_path: Path, demo: Endpoints) -> None:
    keyring = MemoryKeyring()
    secrets = SecretStore(keyring)
    dialog = _dialog(qtbot, tmp_path, secrets)
    _point_at_demo(dialog, demo, demo.api_key, demo.api_secret)
    assert dialog.save()
    assert ("trading-terminal", f"{PROFILE}/{demo.api_key}") in keyring.entries
    assert keyring.entries[("trading-terminal", f"{PROFILE}/{demo.api_key}")] == demo.api_secret
    saved = (tmp_path / "profiles.json").read_text()
    assert demo.api_key in saved  # the key id is not a secret
    assert demo.api_secret not in saved
    again = _dialog(qtbot, tmp_path, secrets)
    assert again.api_key.text() == demo.api_key
    assert "stored" in again.secret.placeholderText()
    assert again.secret.text() == ""


def test_renaming_a_profile_moves_its_secret(qtbot: QtBot, tmp_path: Path, demo: Endpoints) -> None:
    keyring = MemoryKeyring()
    secrets = SecretStore(keyring)
    dialog = _dialog(qtbot, tmp_path, secrets)
    _point_at_demo(dialog, demo, demo.api_key, demo.api_secret)
    assert dialog.save()
    dialog.name.setText("My demo")
    assert dialog.save()
    assert secrets.get("My demo", demo.api_key) == demo.api_secret
    assert secrets.get(PROFILE, demo.api_key) is None


def test_invalid_input_is_refused_with_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    dialog.custom.setChecked(True)
    dialog.rest_url.setText("ftp://nowhere")
    dialog.stream_url.setText("ws://x")
    assert not dialog.save()
    assert dialog.problem.text()


def test_without_a_keyring_the_dialog_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    secrets = SecretStore(fail.Keyring())  # type: ignore[no-untyped-call]
    dialog = _dialog(qtbot, tmp_path, secrets)
    assert "No keyring" in dialog.keyring_note.text()
    assert "this session only" in dialog.keyring_note.text()
    dialog.api_key.setText("key-123456")
    dialog.secret.setText("session-only-secret")
    assert dialog.save()
    assert secrets.get(PROFILE, "key-123456") == "session-only-secret"
    assert "session-only-secret" not in (tmp_path / "profiles.json").read_text()


def test_testing_a_key_tells_trading_from_read_only(
    qtbot: QtBot, aloop: object, tmp_path: Path, demo: Endpoints
) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    _point_at_demo(dialog, demo, demo.api_key, demo.api_secret)
    dialog.test.click()
    wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected", "Failed")))
    assert "Master Account" in dialog.outcome.text()
    assert "this key can trade" in dialog.outcome.text()
    _point_at_demo(dialog, demo, demo.readonly_api_key, demo.readonly_api_secret)
    dialog.test.click()
    wait(qtbot, lambda: "read only" in dialog.outcome.text())
    _point_at_demo(dialog, demo, demo.api_key, "wrong-secret-wrong-secret")
    dialog.test.click()
    wait(qtbot, lambda: dialog.outcome.text().startswith("Failed"))
    assert "signature" in dialog.outcome.text().lower()


def test_saving_keeps_the_limits_and_settings_other_windows_saved_meanwhile(qtbot: QtBot, tmp_path: Path) -> None:
    from dataclasses import replace
    from decimal import Decimal

    from terminal.domain.confirmation import ConfirmRule
    from terminal.storage.profiles import RiskLimits
    from terminal.storage.trading_prefs import TradingPrefs, read_prefs, with_prefs

    store = ProfileStore(tmp_path / "profiles.json")
    store.save(store.load())
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))  # holds the book as it was
    book = store.load()  # meanwhile, Settings and Risk limits save this profile and the Demo one
    prefs = TradingPrefs(confirm=frozenset({ConfirmRule.MARKET}), default_sizes={"BTCUSDT": Decimal("0.01")})
    book = book.update(with_prefs(book.get("Demo"), prefs))
    limits = RiskLimits(max_open_orders=3)
    book = book.update(replace(book.get(PROFILE), risk=limits))
    store.save(book)
    dialog.name.setText("Renamed sandbox")
    assert dialog.save()
    saved = store.load()
    assert read_prefs(saved.get("Demo").ui) == (prefs, [])
    assert saved.get("Renamed sandbox").risk == limits


# ---- Deriv ------------------------------------------------------------------------------------

DERIV = "Deriv"  # the default book's Deriv profile
DOC_REDIRECT = (  # the authorization page's example, with its stray spaces
    "acct1=cr799393& token1=a1-f7pnteezo4jzhpxclctizt27hyeot&cur1=usd"
    "& acct2=vrtc1859315& token2=a1clwe3vfuuus5kraceykdsoqm4snfq& cur2=usd"
)


def _deriv_dialog(
    qtbot: QtBot, tmp_path: Path, secrets: SecretStore, opener: Callable[[str], bool] | None = None
) -> ProfileDialog:
    store = ProfileStore(tmp_path / "profiles.json")
    dialog = ProfileDialog(store, secrets, open_url=opener) if opener else ProfileDialog(store, secrets)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.list.setCurrentItem(dialog.list.findItems(DERIV, Qt.MatchFlag.MatchExactly)[0])
    assert dialog.name.text() == DERIV
    assert dialog.venue.currentText() == "Deriv"
    return dialog


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """Stands in for the system browser: "opening" the login page sends Deriv's redirect to the receiver."""

    def __init__(self, port: int, query: str | None) -> None:
        self.redirect = f"http://127.0.0.1:{port}/deriv/callback?{query}"
        self.query = query
        self.opened: list[str] = []
        self.pages: list[httpx.Response] = []
        self._follows: set[asyncio.Future[None]] = set()

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        if self.query is not None:
            follow = asyncio.ensure_future(self._follow())
            self._follows.add(follow)
            follow.add_done_callback(self._follows.discard)
        return True

    async def _follow(self) -> None:
        async with httpx.AsyncClient() as client:
            self.pages.append(await client.get(self.redirect))


def test_choosing_deriv_shows_its_rows_and_hides_hashkeys(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    hashkey_rows = [dialog.deployment, dialog.environment, dialog.rest_url, dialog.secret, dialog.recv_window]
    names = ("derivAppId", "derivEndpoint", "derivAccount", "derivToken", "derivOAuthPort", "derivLogin")
    deriv_rows = [widget for name in names if (widget := dialog.findChild(QWidget, name)) is not None]
    assert len(deriv_rows) == len(names)
    assert all(dialog.form.isRowVisible(widget) for widget in hashkey_rows)
    assert not any(widget.isVisibleTo(dialog) for widget in deriv_rows)
    dialog.venue.setCurrentText("Deriv")
    assert not any(dialog.form.isRowVisible(widget) for widget in hashkey_rows)
    assert all(widget.isVisibleTo(dialog) for widget in deriv_rows)
    assert dialog.deriv_app_id.value() == 1089
    assert (dialog.deriv_app_id.minimum(), dialog.deriv_app_id.maximum()) == (1, 2**31 - 1)
    assert dialog.deriv_endpoint.placeholderText() == "wss://ws.derivws.com/websockets/v3"
    assert dialog.deriv_port.value() == 8765
    assert "public app ID for testing" in dialog.deriv_app_note.text()
    assert "http://127.0.0.1:8765/deriv/callback" in dialog.deriv_app_note.text()
    dialog.deriv_port.setValue(9001)
    assert "http://127.0.0.1:9001/deriv/callback" in dialog.deriv_app_note.text()
    dialog.venue.setCurrentText("HashKey")
    assert all(dialog.form.isRowVisible(widget) for widget in hashkey_rows)
    assert not any(widget.isVisibleTo(dialog) for widget in deriv_rows)


def test_a_deriv_profile_saves_its_token_in_the_keyring_only(qtbot: QtBot, tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    secrets = SecretStore(keyring)
    dialog = _dialog(qtbot, tmp_path, secrets)
    dialog.venue.setCurrentText("Deriv")
    dialog.deriv_app_id.setValue(32123)
    dialog.deriv_endpoint.setText("wss://ws.example.test/websockets/v3")
    dialog.deriv_account.setCurrentText(" vrtc1234567 ")
    dialog.deriv_token.setText("a1-typed-token-0001")
    dialog.deriv_port.setValue(9123)
    assert dialog.save(), dialog.problem.text()
    assert keyring.entries[("trading-terminal", f"{PROFILE}/VRTC1234567")] == "a1-typed-token-0001"
    text = (tmp_path / "profiles.json").read_text()
    assert "a1-typed-token-0001" not in text
    profile = ProfileStore(tmp_path / "profiles.json").load().get(PROFILE)
    assert profile.venue is Venue.DERIV
    assert (profile.app_id, profile.stream_url, profile.rest_url) == (
        32123,
        "wss://ws.example.test/websockets/v3",
        None,
    )
    assert profile.api_key == "VRTC1234567"
    assert profile.ui["deriv_oauth_port"] == 9123
    again = _dialog(qtbot, tmp_path, secrets)
    assert again.venue.currentText() == "Deriv"
    assert (again.deriv_app_id.value(), again.deriv_port.value()) == (32123, 9123)
    assert again.deriv_account.currentText() == "VRTC1234567"
    assert again.deriv_token.text() == ""
    assert "stored" in again.deriv_token.placeholderText()
    again.deriv_endpoint.clear()  # no override: Deriv's own endpoint
    assert again.save()
    assert ProfileStore(tmp_path / "profiles.json").load().get(PROFILE).stream_url is None


@pytest.mark.parametrize(
    ("account", "token", "words"),
    [
        ("VRTC/1", "", "not a Deriv login ID"),
        ("VRTC1", "not a token!", "not a Deriv token"),
        ("", "a1-token-without-account", "Enter the account"),
    ],
)
def test_a_bad_deriv_account_or_token_is_refused(
    qtbot: QtBot, tmp_path: Path, account: str, token: str, words: str
) -> None:
    keyring = MemoryKeyring()
    dialog = _deriv_dialog(qtbot, tmp_path, SecretStore(keyring))
    dialog.deriv_account.setCurrentText(account)
    dialog.deriv_token.setText(token)
    assert not dialog.save()
    assert words in dialog.problem.text()
    assert not keyring.entries


def test_logging_in_with_deriv_keeps_every_token_and_picks_the_virtual_account(
    qtbot: QtBot, aloop: object, tmp_path: Path
) -> None:
    keyring = MemoryKeyring()
    port = _free_port()
    browser = Browser(port, DOC_REDIRECT)
    dialog = _deriv_dialog(qtbot, tmp_path, SecretStore(keyring), browser)
    dialog.deriv_app_id.setValue(32123)
    dialog.deriv_port.setValue(port)
    dialog.deriv_login.click()
    assert dialog.deriv_login.text() == "Cancel"
    wait(qtbot, lambda: "received" in dialog.outcome.text() or bool(dialog.problem.text()))
    assert dialog.problem.text() == ""
    assert dialog.outcome.text().startswith("2 accounts received; tokens saved in the keyring")
    assert browser.opened == ["https://oauth.deriv.com/oauth2/authorize?app_id=32123"]
    assert "You are logged in — return to trading-terminal" in browser.pages[0].text
    assert keyring.entries[("trading-terminal", f"{DERIV}/CR799393")] == "a1-f7pnteezo4jzhpxclctizt27hyeot"
    assert keyring.entries[("trading-terminal", f"{DERIV}/VRTC1859315")] == "a1clwe3vfuuus5kraceykdsoqm4snfq"
    assert dialog.deriv_account.currentText() == "VRTC1859315"  # the virtual one
    assert [dialog.deriv_account.itemText(i) for i in range(dialog.deriv_account.count())] == [
        "CR799393",
        "VRTC1859315",
    ]
    assert "stored" in dialog.deriv_token.placeholderText()
    wait(qtbot, lambda: dialog.deriv_login.text() == "Log in with Deriv…")
    with socket.socket() as again:  # the receiver is closed: its port is free
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
    dialog.name.setText("My Deriv")
    assert dialog.save(), dialog.problem.text()
    saved = ProfileStore(tmp_path / "profiles.json").load().get("My Deriv")
    assert saved.api_key == "VRTC1859315"
    assert saved.ui["deriv_accounts"] == ["CR799393", "VRTC1859315"]
    assert keyring.entries[("trading-terminal", "My Deriv/CR799393")] == "a1-f7pnteezo4jzhpxclctizt27hyeot"
    assert ("trading-terminal", f"{DERIV}/CR799393") not in keyring.entries  # moved with the rename
    assert "a1-f7pnteezo4jzhpxclctizt27hyeot" not in (tmp_path / "profiles.json").read_text()


def test_a_chosen_account_is_kept_after_logging_in(qtbot: QtBot, aloop: object, tmp_path: Path) -> None:
    port = _free_port()
    dialog = _deriv_dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()), Browser(port, DOC_REDIRECT))
    dialog.deriv_port.setValue(port)
    dialog.deriv_account.setCurrentText("CR799393")
    dialog.deriv_login.click()
    wait(qtbot, lambda: "received" in dialog.outcome.text())
    assert dialog.deriv_account.currentText() == "CR799393"


def test_a_login_can_be_cancelled(qtbot: QtBot, aloop: object, tmp_path: Path) -> None:
    port = _free_port()
    browser = Browser(port, None)  # the user never finishes logging in
    dialog = _deriv_dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()), browser)
    dialog.deriv_port.setValue(port)
    dialog.deriv_login.click()
    wait(qtbot, lambda: "Waiting" in dialog.outcome.text())
    assert f"Waiting for Deriv's redirect to http://127.0.0.1:{port}/deriv/callback…" in dialog.outcome.text()
    assert len(browser.opened) == 1
    dialog.deriv_login.click()  # now reads "Cancel"
    wait(qtbot, lambda: dialog.deriv_login.text() == "Log in with Deriv…")
    assert "cancelled" in dialog.outcome.text()
    assert dialog.problem.text() == ""
    dialog.deriv_login.click()  # the port was freed: a second login can listen on it again
    wait(qtbot, lambda: "Waiting" in dialog.outcome.text())
    dialog.close()  # closing the dialog ends the wait too
    wait(qtbot, lambda: dialog.deriv_login.text() == "Log in with Deriv…")


def test_a_refused_login_is_said_in_words(qtbot: QtBot, aloop: object, tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    port = _free_port()
    browser = Browser(port, "error=access_denied")
    dialog = _deriv_dialog(qtbot, tmp_path, SecretStore(keyring), browser)
    dialog.deriv_port.setValue(port)
    dialog.deriv_login.click()
    wait(qtbot, lambda: bool(dialog.problem.text()))
    assert "Deriv did not log you in (access_denied)" in dialog.problem.text()
    assert "did not log you in" in browser.pages[0].text
    assert not keyring.entries
    wait(qtbot, lambda: dialog.deriv_login.text() == "Log in with Deriv…")


def test_a_taken_port_or_no_redirect_is_said_in_words(qtbot: QtBot, aloop: object, tmp_path: Path) -> None:
    dialog = _deriv_dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()), Browser(0, None))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        dialog.deriv_port.setValue(port)
        dialog.deriv_login.click()
        wait(qtbot, lambda: bool(dialog.problem.text()))
    assert f"Port {port} on 127.0.0.1 is already in use" in dialog.problem.text()
    wait(qtbot, lambda: dialog.deriv_login.text() == "Log in with Deriv…")
    dialog.login_timeout = 0.3
    dialog.deriv_port.setValue(_free_port())
    dialog.deriv_login.click()
    wait(qtbot, lambda: "No login arrived" in dialog.problem.text())
    wait(qtbot, lambda: dialog.deriv_login.text() == "Log in with Deriv…")


def test_testing_a_deriv_token_shows_the_account_and_what_it_may_do(
    qtbot: QtBot, aloop: object, tmp_path: Path
) -> None:
    server = started_server()
    try:
        secrets = SecretStore(MemoryKeyring())
        secrets.set(DERIV, READ_LOGIN, READ_TOKEN)
        dialog = _deriv_dialog(qtbot, tmp_path, secrets)
        dialog.deriv_endpoint.setText(server.url)
        dialog.deriv_app_id.setValue(32123)
        dialog.deriv_account.setCurrentText(TRADE_LOGIN)
        dialog.deriv_token.setText(TRADE_TOKEN)  # typed, not saved yet
        dialog.test.click()
        wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected", "Failed")))
        assert f"{TRADE_LOGIN} · USD · virtual" in dialog.outcome.text()
        assert "read, trade, trading_information" in dialog.outcome.text()
        assert "trading allowed" in dialog.outcome.text()
        wait(qtbot, dialog.test.isEnabled)
        dialog.deriv_account.setCurrentText(READ_LOGIN)  # its token comes from the keyring
        dialog.deriv_token.clear()
        dialog.test.click()
        wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected", "Failed")))
        assert f"{READ_LOGIN} · USD · virtual" in dialog.outcome.text()
        assert "read only: the token has no trade scope" in dialog.outcome.text()
        wait(qtbot, dialog.test.isEnabled)
        dialog.deriv_token.setText("tok-unknown-0001")
        dialog.test.click()
        wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected", "Failed")))
        assert dialog.outcome.text().startswith("Failed: ")
        assert "token" in dialog.outcome.text().lower()
        assert "Traceback" not in dialog.outcome.text()
        wait(qtbot, dialog.test.isEnabled)
        dialog.deriv_account.setCurrentText("")
        dialog.deriv_token.clear()
        dialog.test.click()
        wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected", "Failed")))
        assert "market data only" in dialog.outcome.text()
        assert set(server.app_ids) == {"32123"}
    finally:
        server.stop()
