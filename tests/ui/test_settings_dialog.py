"""The Settings dialog on its own: what it reads back, sizes checked against the lot rules with the nearest
valid one, keys that clash or belong to the window refused in words, and nothing applied while a problem stands."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from terminal.domain.confirmation import ConfirmRule
from terminal.storage.app_settings import AppSettings
from terminal.storage.trading_prefs import TradingPrefs
from terminal.ui.dialogs.settings import SettingsDialog, SettingsState
from terminal.ui.dialogs.settings_sizes import check_size
from terminal.ui.keymap import BY_ID, resolve
from tests.demo.factory import BTCUSDT

D = Decimal
INSTRUMENTS = {"BTCUSDT": BTCUSDT}


class Recorder:
    def __init__(self, answer: str | None = None) -> None:
        self.calls: list[tuple[AppSettings, TradingPrefs | None]] = []
        self.answer = answer

    def __call__(self, settings: AppSettings, prefs: TradingPrefs | None) -> str | None:
        self.calls.append((settings, prefs))
        return self.answer


def _dialog(qtbot: QtBot, apply: Recorder, prefs: TradingPrefs | None = None, **changes: object) -> SettingsDialog:
    state = SettingsState(
        settings=AppSettings(),
        prefs=TradingPrefs(default_sizes={"BTCUSDT": D("0.01")}) if prefs is None else prefs,
        keys=resolve({})[0],
        profile="Demo",
        instruments=INSTRUMENTS,
        active_symbol="BTCUSDT",
        reserved={"F1": "Keyboard shortcuts", "Ctrl+Q": "Quit"},
        **changes,  # type: ignore[arg-type]
    )
    dialog = SettingsDialog(state, apply)
    qtbot.addWidget(dialog)
    return dialog


def test_it_opens_with_the_current_values_and_hands_back_what_was_changed(qtbot: QtBot) -> None:
    apply = Recorder()
    dialog = _dialog(qtbot, apply)
    assert dialog.theme.currentData() == "dark" and dialog.fps.value() == 60
    assert dialog.confirm[ConfirmRule.CANCEL_ALL].isChecked()
    assert dialog.sizes.rows[0].size.text() == "0.010"  # shown with the symbol's step
    dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    dialog.fps.setValue(30)
    dialog.fill_sound.setChecked(True)
    dialog.confirm[ConfirmRule.MARKET].setChecked(True)
    dialog.confirm[ConfirmRule.CANCEL_ALL].setChecked(False)
    dialog.sizes.rows[0].size.setText("0.025")
    dialog.keys.edits["buy"].setKeySequence(QKeySequence("F9"))
    assert dialog.apply()
    settings, prefs = apply.calls[-1]
    assert settings == AppSettings(theme="system", fps=30, fill_sound=True)
    assert prefs == TradingPrefs(
        confirm=frozenset({ConfirmRule.MARKET}), default_sizes={"BTCUSDT": D("0.025")}, shortcuts={"buy": "F9"}
    )
    assert not dialog.problem.isVisible()


def test_a_size_off_the_lot_rules_is_refused_with_the_nearest_valid_one(qtbot: QtBot) -> None:
    apply = Recorder()
    dialog = _dialog(qtbot, apply)
    dialog.show()
    dialog.sizes.rows[0].size.setText("0.0105")
    assert not dialog.apply()
    assert apply.calls == []
    assert "not a multiple of the step 0.001: nearest 0.011" in dialog.problem.text()
    assert not dialog.sizes.rows[0].problem.isHidden()  # under its row (on a tab not shown)
    assert check_size("BTCUSDT", "0.001", INSTRUMENTS)[1].startswith("quantity 0.001 is below the minimum 0.002")
    assert check_size("BTCUSDT", "abc", INSTRUMENTS) == (None, "the size 'abc' is not a number")
    assert check_size("BTCUSDT", "0", INSTRUMENTS)[1] == "quantity 0 must be above zero"
    assert check_size("XYZ", "3", INSTRUMENTS) == (D("3"), "")  # not on this venue: checked when traded


def test_rows_can_be_added_for_the_active_symbol_and_removed(qtbot: QtBot) -> None:
    apply = Recorder()
    dialog = _dialog(qtbot, apply, prefs=TradingPrefs())
    row = dialog.sizes.add_row()
    assert row.symbol.currentText() == "BTCUSDT"
    row.size.setText("0.004")
    second = dialog.sizes.add_row()
    assert second.symbol.currentText() == ""  # the active symbol has its row already
    second.symbol.setCurrentText("BTCUSDT")
    second.size.setText("0.006")
    assert not dialog.apply()
    assert "BTCUSDT is listed twice" in dialog.problem.text()
    second.remove.click()
    assert dialog.apply()
    assert apply.calls[-1][1] is not None and apply.calls[-1][1].default_sizes == {"BTCUSDT": D("0.004")}


def test_a_key_taken_twice_or_taken_by_the_window_is_refused(qtbot: QtBot) -> None:
    apply = Recorder()
    dialog = _dialog(qtbot, apply)
    dialog.keys.edits["sell"].setKeySequence(QKeySequence(BY_ID["buy"].default))
    assert not dialog.apply()
    assert "cannot have it too" in dialog.problem.text()
    dialog.keys.edits["sell"].setKeySequence(QKeySequence("F1"))
    assert not dialog.apply()
    assert 'is already "Keyboard shortcuts"' in dialog.problem.text()
    dialog.keys.edits["sell"].clear()  # no key at all is allowed
    assert dialog.apply()
    prefs = apply.calls[-1][1]
    assert prefs is not None and prefs.shortcuts == {"sell": ""}
    dialog.keys.reset_all()
    assert dialog.apply()
    assert apply.calls[-1][1] is not None and apply.calls[-1][1].shortcuts == {}


def test_a_failure_to_save_is_shown_and_the_dialog_stays_open(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, Recorder("The settings could not be saved to /x (disk full)"))
    dialog.open()
    dialog.accept_if_applied()
    assert dialog.isVisible()
    assert dialog.problem.text() == "The settings could not be saved to /x (disk full)"


def test_an_unsaved_profile_offers_only_the_general_page(qtbot: QtBot) -> None:
    apply = Recorder()
    unsaved = SettingsDialog(SettingsState(AppSettings(), None, resolve({})[0], "Command line", INSTRUMENTS), apply)
    qtbot.addWidget(unsaved)
    assert not unsaved.tabs.isTabEnabled(1) and not unsaved.tabs.isTabEnabled(2)
    unsaved.fps.setValue(120)
    assert unsaved.apply()
    assert apply.calls[-1] == (AppSettings(fps=120), None)


def test_the_notification_note_says_when_no_service_exists(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, Recorder(), notification_route="none")
    assert any("fills show in the window only" in label.text() for label in dialog.findChildren(type(dialog.problem)))
