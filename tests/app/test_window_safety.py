"""The main window's safety features against the demo exchange it runs: the kill switch (button and
shortcut) with its per-symbol report, a one-click order that breaks a risk limit asking first, the
journal's history of an order, CSV export, the risk dialog applying at once, and a killed demo
exchange process restarting while the terminal reconnects by itself."""

from __future__ import annotations

import csv
import os
import signal
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.domain.risk import RiskAction, RiskLimit, RiskLimits
from terminal.storage.journal import EntryKind
from terminal.ui.ladder.ladder_columns import Cell
from terminal.ui.trading_actions import KILL_SWITCH_KEYS
from terminal.venues.base import Topic
from tests.app.test_window import _far_bid, _type
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal

D = Decimal


def _rest(t: Terminal, factor: str = "0.97", symbol: str = "BTCUSDT", qty: str = "0.0010") -> OrderRequest:
    book = t.session.market.books[symbol]
    assert book.best_bid is not None
    price = (book.best_bid * D(factor)).quantize(t.session.venue.instruments[symbol].tick_size)
    return OrderRequest(symbol, Side.BUY, OrderType.LIMIT, D(qty), price)


def test_the_kill_switch_cancels_everything_disarms_and_reports(qtbot: QtBot, live: Terminal) -> None:
    w, session = live.window, live.session
    session.watch(Topic.DEPTH, "ETHUSDT")
    wait(qtbot, lambda: "ETHUSDT" in session.market.books)
    for request in (_rest(live), _rest(live, "0.96"), _rest(live, symbol="ETHUSDT", qty="0.0100")):
        assert run(qtbot, session.manager.place(request)).status is OrderStatus.NEW
    w.ladder.arm_button.click()
    assert w.ladder.armed
    assert w.actions_.kill.shortcut().toString() == KILL_SWITCH_KEYS
    QTest.keySequence(w, w.actions_.kill.shortcut())  # the documented shortcut
    assert not w.ladder.armed  # disarmed at once, before any answer
    wait(qtbot, lambda: w.actions_.last_kill is not None, timeout=30)
    results = {r.symbol: (r.asked, r.still_open) for r in w.actions_.last_kill or []}
    assert results == {"BTCUSDT": (2, 0), "ETHUSDT": (1, 0)}
    box = w.actions_.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "BTCUSDT: 2 cancelled, none left open" in box.informativeText()
    assert live.state()["openOrders"] == []
    box.accept()


def test_a_risky_one_click_order_asks_first_and_sends_on_yes(qtbot: QtBot, live: Terminal) -> None:
    w, session = live.window, live.session
    session.set_limits(RiskLimits(max_price_distance_pct=D("0.1"), actions={RiskLimit.DISTANCE: RiskAction.CONFIRM}))
    view = w.ladder.view
    _type(w.ticket.form.widgets.quantity.edit, "0.0010")
    view.set_auto_centre(False)
    model = view.model
    assert model is not None and model.best_bid_row is not None
    row = model.best_bid_row - 40  # about 200 USDT under the bid: beyond 0.1 % (90 USDT) from the mid
    view.set_centre(row)
    w.ladder.arm_button.click()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.point_of(row, Cell.BID))
    wait(qtbot, lambda: isinstance(w.actions_.dialog, QMessageBox) and w.actions_.dialog.isVisible())
    box = w.actions_.dialog
    assert isinstance(box, QMessageBox)
    assert "from the mid" in box.informativeText()
    assert session.orders.working("BTCUSDT") == []  # nothing sent while the question is open
    box.done(QMessageBox.StandardButton.Yes)
    wait(qtbot, lambda: len(session.orders.working("BTCUSDT")) == 1)
    (order,) = session.orders.working("BTCUSDT")
    journal = session.journal
    assert journal is not None
    wait(
        qtbot, lambda: any(e.kind is EntryKind.RESPONSE for e in journal.entries(client_order_id=order.client_order_id))
    )
    texts = [e.text for e in journal.entries(client_order_id=order.client_order_id)]
    assert any("confirmed" in text for text in texts)  # the yes is in the journal
    w.orders.history_requested.emit(order.client_order_id)
    assert w.history.filters()[0] == order.client_order_id
    wait(qtbot, lambda: w.history.model.rowCount() >= 3)


def test_orders_and_fills_export_as_csv(qtbot: QtBot, live: Terminal, tmp_path: Path) -> None:
    session = live.session
    run(qtbot, session.manager.place(OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, amount=D(200))))
    wait(qtbot, lambda: bool(session.orders.fills))
    orders_file, fills_file = tmp_path / "orders.csv", tmp_path / "fills.csv"
    assert live.window.actions_.export("orders", orders_file)
    assert live.window.actions_.export("fills", fills_file)
    with orders_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {row["client_order_id"] for row in rows} >= set(session.orders.orders)
    with fills_file.open(newline="", encoding="utf-8") as handle:
        fills = list(csv.DictReader(handle))
    assert {row["trade_id"] for row in fills} >= set(session.orders.fills)


def test_the_risk_dialog_saves_and_the_limits_apply_at_once(qtbot: QtBot, live: Terminal) -> None:
    controller = live.controller
    live.window.risk_action.trigger()
    dialog = controller._risk_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.edits[RiskLimit.NOTIONAL].setText("50")
    dialog.choices[RiskLimit.NOTIONAL].setCurrentIndex(dialog.choices[RiskLimit.NOTIONAL].findText("Block"))
    assert dialog.save()
    assert live.session.manager.gate.limits.max_order_notional == D(50)
    assert controller.book.get("Demo").risk.max_order_notional == D(50)
    form = live.window.ticket.form
    _type(form.widgets.price.edit, str(_far_bid(live)))
    _type(form.widgets.quantity.edit, "0.0100")
    wait(qtbot, form.widgets.submit.isEnabled)
    QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
    wait(qtbot, lambda: "Blocked by your risk limits" in form.widgets.status.text())
    assert live.state()["openOrders"] == []


def test_a_killed_demo_exchange_restarts_and_the_terminal_recovers(qtbot: QtBot, live: Terminal) -> None:
    demo, session = live.controller.demo, live.session
    wait(qtbot, lambda: all(e.state.value == "live" for e in session.status.streams.values()))
    pid = demo.pid
    assert pid is not None
    outages: list[str] = []
    demo.outage.connect(outages.append)
    os.kill(pid, signal.SIGKILL)
    wait(qtbot, lambda: bool(outages), timeout=15)
    wait(qtbot, lambda: any("demo exchange stopped" in text for text in live.window.toasts.shown))
    wait(qtbot, lambda: demo.pid not in (None, pid) and demo.running, timeout=30)
    # The streams come back by themselves, with fresh data from the new process.
    wait(qtbot, lambda: all(e.state.value == "live" for e in session.status.streams.values()), timeout=60)
    order = run(qtbot, session.manager.place(_rest(live)))
    assert order.status is OrderStatus.NEW
