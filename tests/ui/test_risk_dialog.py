"""The risk limits dialog: loads a profile's limits, validates as the user types, saves through the profile store."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QStandardItem
from pytestqt.qtbot import QtBot

from terminal.storage.profiles import (
    Profile,
    ProfileBook,
    ProfileStore,
    RiskAction,
    RiskLimit,
    RiskLimits,
    Venue,
    default_book,
)
from terminal.ui.dialogs.risk import RiskDialog

D = Decimal
PROFILE = "HashKey MENA sandbox"

LIMITS = RiskLimits(
    max_order_notional=D("10000"),
    max_quantity_per_symbol={"*": D("5"), "ETHUSDT": D("20"), "BTCUSDT": D("0.5")},
    max_price_distance_pct=D("2.5"),
    max_open_orders=12,
    actions={RiskLimit.NOTIONAL: RiskAction.BLOCK, RiskLimit.OPEN_ORDERS: RiskAction.BLOCK},
    cancel_on_disconnect_s=90,
)


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(tmp_path / "profiles.json")


def with_limits(store: ProfileStore, limits: RiskLimits, name: str = PROFILE) -> ProfileBook:
    book = default_book()
    book = book.update(Profile(name, Venue.HASHKEY, risk=limits))
    assert store.save(book)
    return book


def make_dialog(qtbot: QtBot, store: ProfileStore, name: str = PROFILE) -> RiskDialog:
    dialog = RiskDialog(store, name)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def table(dialog: RiskDialog) -> list[tuple[str, str]]:
    model = dialog.quantity_model
    return [(model.item(row, 0).text(), model.item(row, 1).text()) for row in range(model.rowCount())]


def set_row(dialog: RiskDialog, row: int, symbol: str, quantity: str) -> None:
    model = dialog.quantity_model
    model.setItem(row, 0, QStandardItem(symbol))
    model.setItem(row, 1, QStandardItem(quantity))


def choose(dialog: RiskDialog, limit: RiskLimit, action: RiskAction) -> None:
    combo = dialog.choices[limit]
    combo.setCurrentIndex(combo.findData(action.value))


def test_the_profiles_limits_are_loaded_into_the_form(qtbot: QtBot, store: ProfileStore) -> None:
    with_limits(store, LIMITS)
    dialog = make_dialog(qtbot, store)
    assert dialog.windowTitle() == f"Risk limits: {PROFILE}"
    assert dialog.edits[RiskLimit.NOTIONAL].text() == "10000"
    assert dialog.edits[RiskLimit.DISTANCE].text() == "2.5"
    assert dialog.edits[RiskLimit.OPEN_ORDERS].text() == "12"
    assert table(dialog) == [("BTCUSDT", "0.5"), ("ETHUSDT", "20"), ("*", "5")]  # "*" last
    assert {limit: combo.currentData() for limit, combo in dialog.choices.items()} == LIMITS.actions
    assert dialog.choices[RiskLimit.NOTIONAL].currentText() == "Block"
    assert dialog.choices[RiskLimit.DISTANCE].currentText() == "Ask to confirm"
    assert dialog.cancel_on_disconnect.isChecked()
    assert dialog.disconnect_seconds.isEnabled()
    assert dialog.disconnect_seconds.value() == 90
    assert dialog.save_button.isEnabled()
    assert dialog.limits() == LIMITS


def test_a_profile_without_limits_shows_empty_fields_and_the_option_off(qtbot: QtBot, store: ProfileStore) -> None:
    dialog = make_dialog(qtbot, store)  # no file yet: the default profiles
    assert all(edit.text() == "" for edit in dialog.edits.values())
    assert dialog.edits[RiskLimit.NOTIONAL].placeholderText() == "no limit"
    assert table(dialog) == []
    assert all(combo.currentData() == RiskAction.CONFIRM for combo in dialog.choices.values())
    assert not dialog.cancel_on_disconnect.isChecked()
    assert not dialog.disconnect_seconds.isEnabled()
    assert dialog.limits() == RiskLimits()
    assert not any(label.isVisible() for label in dialog.errors.values())


def test_edited_limits_are_saved_to_the_profile_and_emitted(qtbot: QtBot, store: ProfileStore) -> None:
    with_limits(store, LIMITS)
    dialog = make_dialog(qtbot, store)
    dialog.edits[RiskLimit.NOTIONAL].setText("2500.75")
    dialog.edits[RiskLimit.DISTANCE].setText("")  # no limit any more
    dialog.edits[RiskLimit.OPEN_ORDERS].setText("3")
    choose(dialog, RiskLimit.NOTIONAL, RiskAction.CONFIRM)
    choose(dialog, RiskLimit.QUANTITY, RiskAction.BLOCK)
    dialog.quantities.setCurrentIndex(dialog.quantity_model.index(1, 0))  # ETHUSDT
    dialog.remove_symbol.click()
    dialog.add_symbol.click()
    set_row(dialog, 2, "SOLUSDT", "100")
    dialog.disconnect_seconds.setValue(15)
    with qtbot.waitSignal(dialog.saved, timeout=1000) as signal:
        dialog.save_button.click()
    expected = RiskLimits(
        max_order_notional=D("2500.75"),
        max_quantity_per_symbol={"BTCUSDT": D("0.5"), "*": D(5), "SOLUSDT": D(100)},
        max_open_orders=3,
        actions={RiskLimit.QUANTITY: RiskAction.BLOCK, RiskLimit.OPEN_ORDERS: RiskAction.BLOCK},
        cancel_on_disconnect_s=15,
    )
    book = signal.args[0]
    assert isinstance(book, ProfileBook)
    assert book.get(PROFILE).risk == expected
    assert store.load().get(PROFILE).risk == expected
    assert store.load() == book
    assert not dialog.isVisible()  # saved and closed
    again = make_dialog(qtbot, store)
    assert again.limits() == expected


def test_saving_changes_only_this_profiles_limits(qtbot: QtBot, store: ProfileStore) -> None:
    with_limits(store, RiskLimits())
    dialog = make_dialog(qtbot, store)
    store.save(store.load().add(Profile("Added meanwhile")))  # e.g. by the profile dialog, while this one is open
    dialog.edits[RiskLimit.OPEN_ORDERS].setText("7")
    assert dialog.save()
    saved = store.load()
    assert saved.names[-1] == "Added meanwhile"
    assert saved.get(PROFILE).risk == RiskLimits(max_open_orders=7)
    others = [profile.risk for profile in saved.profiles if profile.name != PROFILE]
    assert others == [RiskLimits()] * (len(saved.profiles) - 1)


@pytest.mark.parametrize(
    ("limit", "text", "reason"),
    [
        (RiskLimit.NOTIONAL, "lots", "The limit 'lots' is not a number"),
        (RiskLimit.NOTIONAL, "10,000", "The limit '10,000' is not a number"),
        (RiskLimit.NOTIONAL, "0", "The limit must be greater than zero"),
        (RiskLimit.DISTANCE, "-5", "The limit must be greater than zero"),
        (RiskLimit.DISTANCE, "nan", "not a finite number"),
        (RiskLimit.OPEN_ORDERS, "2.5", "The limit '2.5' must be a whole number of at least 1"),
        (RiskLimit.OPEN_ORDERS, "0", "must be a whole number of at least 1"),
    ],
)
def test_an_invalid_number_is_shown_in_red_with_its_reason_and_disables_save(
    qtbot: QtBot, store: ProfileStore, limit: RiskLimit, text: str, reason: str
) -> None:
    dialog = make_dialog(qtbot, store)
    edit, error = dialog.edits[limit], dialog.errors[limit]
    edit.setText(text)
    assert not dialog.save_button.isEnabled()
    assert error.isVisible()
    assert reason in error.text()
    assert "color" in edit.styleSheet()
    assert dialog.limits() is None
    assert not dialog.save()
    assert not store.path.exists()  # nothing written
    edit.setText(" 5 ")
    assert dialog.save_button.isEnabled()
    assert not error.isVisible()
    assert edit.styleSheet() == ""


def test_the_per_symbol_table_is_checked_row_by_row(qtbot: QtBot, store: ProfileStore) -> None:
    dialog = make_dialog(qtbot, store)
    quantity_error = dialog.errors[RiskLimit.QUANTITY]
    dialog.add_symbol.click()
    assert dialog.save_button.isEnabled()  # a blank row is ignored
    assert dialog.limits() == RiskLimits()
    cases = [
        (("", "1"), 'Row 1: enter a symbol (or "*" for every other symbol)'),
        (("BTCUSDT", ""), "Row 1: enter the largest quantity of one BTCUSDT order"),
        (("BTCUSDT", "zero"), "Row 1: The limit 'zero' is not a number"),
        (("BTCUSDT", "-1"), "Row 1: The limit must be greater than zero"),
        (("BTC USDT", "1"), "Row 1: the symbol 'BTC USDT' may not contain spaces"),
    ]
    for (symbol, quantity), reason in cases:
        set_row(dialog, 0, symbol, quantity)
        assert quantity_error.text() == reason
        assert quantity_error.isVisible()
        assert not dialog.save_button.isEnabled()
    red = dialog.quantity_model.item(0, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(red, QBrush)  # the bad cell is red
    set_row(dialog, 0, "BTCUSDT", "0.5")
    dialog.add_symbol.click()
    set_row(dialog, 1, "btcusdt", "2")
    assert quantity_error.text() == "Row 2: btcusdt is already listed"
    set_row(dialog, 1, "*", "2")
    assert not quantity_error.isVisible()
    assert dialog.quantity_model.item(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert dialog.limits() == RiskLimits(max_quantity_per_symbol={"BTCUSDT": D("0.5"), "*": D(2)})
    dialog.quantities.clearSelection()
    dialog.quantities.setCurrentIndex(dialog.quantity_model.index(0, 1))
    dialog.remove_symbol.click()
    assert table(dialog) == [("*", "2")]
    assert dialog.save()
    assert store.load().get(PROFILE).risk.max_quantity("ANYTHING") == D(2)


def test_the_disconnect_option_is_off_by_default_and_saved_when_on(qtbot: QtBot, store: ProfileStore) -> None:
    dialog = make_dialog(qtbot, store)
    spin = dialog.disconnect_seconds
    assert (spin.minimum(), spin.maximum(), spin.suffix()) == (5, 3600, " s")
    assert "account stream is down" in dialog.cancel_on_disconnect.text()
    dialog.cancel_on_disconnect.setChecked(True)
    assert spin.isEnabled()
    spin.setValue(1)  # clamped to the minimum
    assert dialog.save()
    assert store.load().get(PROFILE).risk.cancel_on_disconnect_s == 5
    again = make_dialog(qtbot, store)
    again.cancel_on_disconnect.setChecked(False)
    assert not again.disconnect_seconds.isEnabled()
    assert again.save()
    assert store.load().get(PROFILE).risk.cancel_on_disconnect_s is None


def test_a_save_that_fails_is_shown_in_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    dialog = make_dialog(qtbot, ProfileStore(blocker / "profiles.json"))
    dialog.edits[RiskLimit.NOTIONAL].setText("100")
    with qtbot.assertNotEmitted(dialog.saved):
        assert not dialog.save()
    assert "The profiles could not be saved to" in dialog.problem.text()
    assert dialog.isVisible()


def test_an_os_error_while_saving_is_shown_too(
    qtbot: QtBot, store: ProfileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(qtbot, store)

    def full_disk(book: ProfileBook) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save", full_disk)
    assert not dialog.save()
    assert "No space left on device" in dialog.problem.text()


def test_a_profile_that_is_gone_cannot_be_saved(qtbot: QtBot, store: ProfileStore) -> None:
    dialog = make_dialog(qtbot, store, "Nobody")
    assert dialog.problem.text() == 'There is no profile named "Nobody"'
    assert not dialog.save_button.isEnabled()
    assert not dialog.save()
