"""The profile dialog's Webull rows: region, environment, algorithm, app key and secret (keyring), account,
endpoint override; Test connection lists the key's accounts; Get access token… runs the 2FA dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from terminal.storage.profiles import ProfileStore, Region, SignatureAlgorithm, Venue
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui.dialogs.profiles import ProfileDialog
from tests.support.keyring import MemoryKeyring
from tests.support.qt import wait
from tests.support.webull.server import WebullFakeServer

PROFILE = "Webull HK"


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(rate_limits={}, sandbox=True) as fake:
        yield fake
    assert fake.violations == []


def _dialog(qtbot: QtBot, tmp_path: Path, secrets: SecretStore) -> ProfileDialog:
    dialog = ProfileDialog(ProfileStore(tmp_path / "profiles.json"), secrets)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.list.setCurrentRow(dialog.book.names.index(PROFILE))
    assert dialog.name.text() == PROFILE and dialog.venue.currentText() == "Webull"
    return dialog


def _fill(dialog: ProfileDialog, server: WebullFakeServer) -> None:
    dialog.webull_endpoint.setText(server.url)
    dialog.api_key.setText(server.app_key)
    dialog.secret.setText(server.app_secret)


def test_the_webull_rows_show_and_save(qtbot: QtBot, tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    dialog = _dialog(qtbot, tmp_path, SecretStore(keyring))
    assert dialog.form.isRowVisible(dialog.webull_region) and dialog.form.isRowVisible(dialog.webull_token_row)
    assert not dialog.form.isRowVisible(dialog.stream_url) and not dialog.form.isRowVisible(dialog.deriv_token)
    label = dialog.form.labelForField(dialog.api_key)
    assert label is not None and label.text() == "App key"  # type: ignore[attr-defined]
    assert "https://api.webull.hk" in dialog.webull_endpoint.placeholderText()
    dialog.webull_region.setCurrentText("United States (us)")
    dialog.environment.setCurrentText("Sandbox")
    assert "https://api.sandbox.webull.com" in dialog.webull_endpoint.placeholderText()
    dialog.webull_algorithm.setCurrentText("HMAC-SHA1")
    dialog.api_key.setText("AK-1")
    dialog.secret.setText("the-secret")
    dialog.webull_account.setCurrentText("ACC-US-CASH-0001")
    assert dialog.save(), dialog.problem.text()
    saved = ProfileStore(tmp_path / "profiles.json").load().get(PROFILE)
    assert (saved.venue, saved.region, saved.algorithm, saved.api_key, saved.account, saved.rest_url) == (
        Venue.WEBULL,
        Region.US,
        SignatureAlgorithm.HMAC_SHA1,
        "AK-1",
        "ACC-US-CASH-0001",
        None,
    )
    assert keyring.entries[("trading-terminal", f"{PROFILE}/AK-1")] == "the-secret"
    assert "the-secret" not in (tmp_path / "profiles.json").read_text()


def test_a_bad_endpoint_is_refused_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    dialog.webull_endpoint.setText("https://h/openapi")
    assert not dialog.save()
    assert "must be a bare host, without a path" in dialog.problem.text()


def test_get_access_token_then_test_connection_lists_the_accounts(
    qtbot: QtBot, aloop: object, tmp_path: Path, server: WebullFakeServer
) -> None:
    secrets = SecretStore(MemoryKeyring())
    dialog = _dialog(qtbot, tmp_path, secrets)
    _fill(dialog, server)
    dialog.token_interval = 0.05
    dialog.webull_get_token.click()  # the sandbox: NORMAL at once
    wait(qtbot, lambda: "verified and stored" in dialog.outcome.text())
    token = secrets.get(PROFILE, access_token_key(server.app_key))
    assert token is not None and server.tokens[token] == "NORMAL"
    assert dialog.webull_token_state.text() == "a token is stored"
    dialog.test.click()
    wait(qtbot, lambda: dialog.outcome.text().startswith(("Connected.", "Failed")))
    assert dialog.outcome.text().startswith("Connected. Accounts:"), dialog.outcome.text()
    assert "Access token: active" in dialog.outcome.text()
    assert dialog.webull_account.count() == 2
    dialog.webull_account.setCurrentIndex(dialog.webull_account.findData("ACC-HK-MRGN-0002"))
    assert dialog.save(), dialog.problem.text()
    assert ProfileStore(tmp_path / "profiles.json").load().get(PROFILE).account == "ACC-HK-MRGN-0002"
    dialog.webull_get_token.click()  # a stored active token: nothing to do
    wait(qtbot, lambda: "stored access token is active" in dialog.outcome.text())


def test_test_connection_without_a_secret_says_what_is_missing(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, SecretStore(MemoryKeyring()))
    dialog.api_key.setText("AK-1")
    dialog.test.click()
    assert "Webull signs every request" in dialog.outcome.text()


def test_renaming_moves_the_app_secret_and_the_token(qtbot: QtBot, tmp_path: Path) -> None:
    secrets = SecretStore(MemoryKeyring())
    dialog = _dialog(qtbot, tmp_path, secrets)
    dialog.api_key.setText("AK-1")
    dialog.secret.setText("s")
    assert dialog.save()
    secrets.set(PROFILE, access_token_key("AK-1"), "tok")
    dialog.name.setText("My Webull")
    assert dialog.save()
    assert secrets.get("My Webull", "AK-1") == "s" and secrets.get("My Webull", access_token_key("AK-1")) == "tok"
    assert secrets.get(PROFILE, access_token_key("AK-1")) is None
