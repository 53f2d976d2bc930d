"""The first-run panel: its buttons, its honesty about the demo exchange, and the controls it names exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFormLayout, QLabel, QMainWindow, QPushButton, QToolBar
from pytestqt.qtbot import QtBot

from terminal.storage.profiles import ProfileStore
from terminal.storage.secrets import SecretStore
from terminal.ui import theme
from terminal.ui.dialogs.profiles import ProfileDialog
from terminal.ui.main_window import MainWindow
from terminal.ui.welcome import WelcomePanel
from tests.support.keyring import MemoryKeyring


@pytest.fixture
def panel(qtbot: QtBot) -> WelcomePanel:
    widget = WelcomePanel()
    qtbot.addWidget(widget)
    widget.resize(1200, 60)
    widget.show()
    return widget


@pytest.fixture
def dark_theme(qapp: QApplication) -> Iterator[None]:
    theme.apply(qapp, "dark")
    yield
    theme.apply(qapp, "dark")  # other tests expect the default


def _hosted(qtbot: QtBot, width: int) -> tuple[QMainWindow, QToolBar, WelcomePanel]:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("docks"))
    bar = QToolBar("Welcome", window)
    panel = WelcomePanel()
    bar.addWidget(panel)
    window.addToolBar(bar)
    window.resize(width, 1000)
    window.show()
    qtbot.waitExposed(window)
    return window, bar, panel


def test_add_key_emits_its_signal(qtbot: QtBot, panel: WelcomePanel) -> None:
    with qtbot.waitSignal(panel.add_key_requested, timeout=1000):
        QTest.mouseClick(panel.add_key, Qt.MouseButton.LeftButton)
    assert panel.isVisible()


def test_got_it_hides_the_panel_and_says_so(qtbot: QtBot, panel: WelcomePanel) -> None:
    with qtbot.waitSignal(panel.dismissed, timeout=1000):
        QTest.mouseClick(panel.got_it, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def test_got_it_hides_the_panel_inside_a_tool_bar(qtbot: QtBot) -> None:
    _window, bar, panel = _hosted(qtbot, 1600)
    with qtbot.waitSignal(panel.dismissed, timeout=1000):
        QTest.mouseClick(panel.got_it, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=1000)
    assert not any(a.isVisible() for a in bar.actions() if bar.widgetForAction(a) is panel)


def test_it_tells_the_user_about_the_demo_exchange_and_the_keyring(panel: WelcomePanel) -> None:
    text = panel.plain_text()
    assert "Welcome to trading-terminal" in text
    assert "demo exchange" in text
    assert "simulated" in text and "play money" in text
    assert "nothing reaches a real venue" in text
    assert "system keyring, never to a file" in text
    assert "Press F1 for the keyboard shortcuts" in text  # F1 is HelpContents on Linux (the tests' platform)


def test_on_a_real_venue_it_names_the_profile_instead(panel: WelcomePanel) -> None:
    panel.set_demo(False, "Desk <main>", "HashKey")
    text = panel.plain_text()
    assert "demo exchange" not in text
    assert "This is profile Desk <main> on HashKey: orders you send go to HashKey." in text
    assert "To add another API key" in text
    panel.set_demo(True)
    assert "demo exchange" in panel.plain_text()


def test_the_path_it_describes_exists(qtbot: QtBot, tmp_path: Path, panel: WelcomePanel) -> None:
    text = panel.plain_text()
    assert "Edit profiles… in the toolbar ▸ Add (venue HashKey) ▸ enter the API key and API secret" in text
    assert "(on Deriv: the account and its API token;" in text
    assert "on Webull: the app key and app secret, then Get access token…;" in text
    assert "on Longbridge: the app key, app secret and access token) ▸ Save" in text
    window = MainWindow(tmp_path / "window.ini")
    qtbot.addWidget(window)
    toolbar_actions = [a.text() for bar in window.findChildren(QToolBar) for a in bar.actions()]
    assert "Edit profiles…" in toolbar_actions
    dialog = ProfileDialog(ProfileStore(tmp_path / "profiles.json"), SecretStore(MemoryKeyring()))
    qtbot.addWidget(dialog)
    add = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Add")
    QTest.mouseClick(add, Qt.MouseButton.LeftButton)
    assert dialog.venue.currentText() == "HashKey"  # a new profile is a HashKey one
    form = dialog.findChild(QFormLayout)
    assert isinstance(form, QFormLayout)
    labels = [form.labelForField(field) for field in (dialog.api_key, dialog.secret)]
    assert [label.text() if isinstance(label, QLabel) else None for label in labels] == ["API key", "API secret"]
    dialog.venue.setCurrentIndex(dialog.venue.findText("Webull"))
    assert [label.text() if isinstance(label, QLabel) else None for label in labels] == ["App key", "App secret"]
    assert dialog.webull_get_token.text() == "Get access token…" and not dialog.webull_get_token.isHidden()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)  # type: ignore[union-attr]
    assert save.text().replace("&", "") == "Save"


def test_it_stays_compact_in_a_full_size_window(qtbot: QtBot) -> None:
    _window, bar, panel = _hosted(qtbot, 1600)
    qtbot.waitUntil(lambda: panel.text.height() == panel.text.heightForWidth(panel.text.width()), timeout=1000)
    assert bar.height() <= 70
    assert panel.text.height() >= panel.text.heightForWidth(panel.text.width())  # nothing clipped


def test_narrower_windows_wrap_the_text_instead_of_clipping_it(qtbot: QtBot) -> None:
    window, _bar, panel = _hosted(qtbot, 1600)
    wide = panel.height()
    window.resize(700, 1000)
    qtbot.waitUntil(lambda: panel.text.height() >= panel.text.heightForWidth(panel.text.width()), timeout=1000)
    assert panel.height() > wide
    assert panel.width() <= 700


def test_it_follows_the_theme(qapp: QApplication, dark_theme: None, panel: WelcomePanel) -> None:
    assert theme.DARK.alt_base in panel.styleSheet()
    theme.apply(qapp, "light")
    QApplication.processEvents()
    assert theme.LIGHT.alt_base in panel.styleSheet()
    assert theme.DARK.alt_base not in panel.styleSheet()
