"""Settings and keyboard-first trading on the live terminal (demo exchange): the dialog applies at once and
is saved per profile; the buy key sends the ticket's order through the confirmations chosen; navigation
and cancel keys act on the docks."""

from __future__ import annotations

from decimal import Decimal

import orjson
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from terminal.domain.confirmation import ConfirmRule
from terminal.domain.enums import OrderType, Side
from terminal.domain.intervals import Interval
from terminal.domain.orders import OrderRequest
from terminal.storage.profiles import Profile
from terminal.ui import theme
from terminal.ui.keymap import BY_ID
from tests.app.test_window import _far_bid
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal

D = Decimal


def _press(t: Terminal, keys: str) -> None:
    QTest.keySequence(t.window, QKeySequence(keys))


def test_settings_apply_at_once_and_are_kept_with_the_profile(qtbot: QtBot, live: Terminal) -> None:
    w, controller = live.window, live.controller
    assert w.welcome_bar.isVisible()  # a first run
    w.welcome.dismiss()
    assert not w.welcome_bar.isVisible()
    w.settings_action.trigger()
    dialog = controller.preferences.dialog
    assert dialog is not None and dialog.isVisible()
    step = live.session.venue.instruments["BTCUSDT"].lot_size.min_qty * 3
    try:
        dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
        dialog.fps.setValue(30)
        dialog.fill_sound.setChecked(True)
        dialog.confirm[ConfirmRule.KEYBOARD].setChecked(True)
        dialog.sizes.add_row().size.setText(str(step))
        dialog.keys.edits["buy"].setKeySequence(QKeySequence("F9"))
        dialog.accept_if_applied()
        assert not dialog.isVisible(), dialog.problem.text()
        # Applied without a restart:
        assert theme.current().name == "light"
        assert controller.clock.fps == 30
        assert w.fill_alerts.sound
        assert w.keys.actions["buy"].shortcut().toString() == "F9"
        assert live.session.manager.gate.confirm_rules == {ConfirmRule.KEYBOARD, ConfirmRule.CANCEL_ALL}
        # Saved: the app's settings in settings.json, the profile's in the profile.
        saved = orjson.loads((live.tmp / "settings.json").read_bytes())
        assert (saved["theme"], saved["fps"], saved["fill_sound"], saved["welcome_done"]) == ("light", 30, True, True)
        demo = next(
            p for p in orjson.loads((live.tmp / "profiles.json").read_bytes())["profiles"] if p["name"] == "Demo"
        )
        assert demo["ui"]["shortcuts"] == {"buy": "F9"}
        assert demo["ui"]["default_sizes"] == {"BTCUSDT": str(step)}
        assert demo["ui"]["confirm"] == ["keyboard", "cancel_all"]

        # The default size fills the ticket when the symbol is chosen.
        live.session.set_active_symbol("ETHUSDT")
        wait(qtbot, lambda: w.ticket.form.instrument is not None and w.ticket.form.instrument.symbol == "ETHUSDT")
        assert w.ticket.form.widgets.quantity.edit.text() == ""
        live.session.set_active_symbol("BTCUSDT")
        wait(qtbot, lambda: w.ticket.form.widgets.quantity.edit.text() != "")
        assert D(w.ticket.form.widgets.quantity.edit.text()) == step

        # The buy key sends the ticket's order, held first for the confirmation the profile asks for.
        w.ticket.form.set_price_and_side(Side.SELL, _far_bid(live))
        _press(live, "F9")
        assert w.ticket.form.side() is Side.BUY
        form = w.ticket.form
        wait(qtbot, lambda: form.widgets.repeat_prompt.isVisibleTo(form))
        assert "buy and sell keys" in form.widgets.repeat_text.text()
        assert live.session.orders.working("BTCUSDT") == []
        form.widgets.repeat_confirm.click()
        wait(qtbot, lambda: len(live.session.orders.working("BTCUSDT")) == 1)
        order = live.session.orders.working("BTCUSDT")[0]
        assert (order.side, order.quantity) == (Side.BUY, step)

        # Stored per profile: another profile has its own (here the defaults), Demo's come back with it.
        controller.preferences.apply_profile(Profile("Other"), True, None)
        assert w.keys.actions["buy"].shortcut().toString() == BY_ID["buy"].default
        assert w.ticket.form.default_sizes == {}
        demo_profile = controller.store.load().get("Demo")
        controller.preferences.apply_profile(demo_profile, True, live.session)
        assert w.keys.actions["buy"].shortcut().toString() == "F9"
    finally:
        w.set_theme("dark")  # the theme is the application's: leave it as the other tests expect


def test_navigation_and_cancel_keys_act_on_the_docks(qtbot: QtBot, live: Terminal) -> None:
    w, session = live.window, live.session
    symbols = [str(key) for key in w.markets.model.row_keys()]
    _press(live, BY_ID["next_symbol"].default)
    assert session.active_symbol == symbols[(symbols.index("BTCUSDT") + 1) % len(symbols)]
    _press(live, BY_ID["previous_symbol"].default)
    assert session.active_symbol == "BTCUSDT"
    assert w.chart.interval is Interval.M1
    _press(live, BY_ID["next_interval"].default)
    assert w.chart.interval is list(Interval)[1]
    _press(live, BY_ID["previous_interval"].default)
    _press(live, BY_ID["previous_interval"].default)  # the first interval is the end of the road
    assert w.chart.interval is Interval.M1

    price = _far_bid(live)
    for offset in (0, 100):
        request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.0010"), price - offset)
        run(qtbot, session.manager.place(request))
    wait(qtbot, lambda: w.orders.open_model.rowCount() == 2)
    _press(live, BY_ID["cancel_selected"].default)  # nothing selected: said, nothing cancelled
    assert len(session.orders.working("BTCUSDT")) == 2
    w.orders.open_table.selectRow(0)
    _press(live, BY_ID["cancel_selected"].default)
    wait(qtbot, lambda: len(session.orders.working("BTCUSDT")) == 1)
    _press(live, BY_ID["cancel_all"].default)  # cancel all asks first (the default confirmation)
    box = w.orders._confirm
    assert isinstance(box, QMessageBox) and box.isVisible() and "Cancel all 1 open order on BTCUSDT" in box.text()
    box.done(QMessageBox.StandardButton.Yes)
    wait(qtbot, lambda: session.orders.working("BTCUSDT") == [])
    assert live.state()["openOrders"] == []


def test_keys_the_window_and_its_docks_use_cannot_become_trading_keys(qtbot: QtBot, live: Terminal) -> None:
    dialog = live.controller.preferences.open_dialog()
    for taken, user in (
        ("F1", "Keyboard shortcuts"),
        ("Space", "Re-centre on the mid (Ladder)"),
        ("Del", "(Open orders)"),
    ):
        dialog.keys.edits["recentre"].setKeySequence(QKeySequence(taken))
        assert not dialog.apply()
        assert user in dialog.problem.text()
    dialog.keys.edits["recentre"].setKeySequence(QKeySequence("Ctrl+Alt+C"))
    assert dialog.apply()
    assert live.window.keys.actions["recentre"].shortcut().toString() == "Ctrl+Alt+C"
    dialog.close()


def test_a_hand_edited_profile_cannot_take_a_key_of_the_window(qtbot: QtBot, live: Terminal) -> None:
    demo = live.controller.store.load().get("Demo").with_ui("shortcuts", {"buy": "F1", "sell": "Enter"})
    live.controller.preferences.apply_profile(demo, True, live.session)
    actions = live.window.keys.actions
    assert actions["buy"].shortcut().isEmpty() and actions["sell"].shortcut().isEmpty()
    assert live.window.help_menu.shortcuts_action.shortcut().toString() == "F1"  # Help keeps its key
