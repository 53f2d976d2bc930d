"""The profile dialog: secrets only in the keyring, a clear note without one, and the key test."""

from __future__ import annotations

from pathlib import Path

from keyring.backends import fail
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.storage.profiles import ProfileStore
from terminal.storage.secrets import SecretStore
from terminal.ui.dialogs.profiles import ProfileDialog
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
