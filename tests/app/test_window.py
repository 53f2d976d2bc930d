"""The whole terminal as a trader uses it: the Demo profile starts the demo exchange as a child
process, the docks come alive, orders go in and out through the ticket, ladder and orders dock."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.intervals import Interval
from terminal.storage.profiles import Profile
from terminal.storage.profiles import Venue as VenueKind
from terminal.ui.ladder.ladder_columns import Cell
from tests.support.demo_process import demo_process
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal, terminal


def _type(edit: object, text: str) -> None:
    edit.clear()  # type: ignore[attr-defined]
    QTest.keyClicks(edit, text)  # type: ignore[arg-type]


def _far_bid(t: Terminal) -> Decimal:
    book = t.session.market.books["BTCUSDT"]
    assert book.best_bid is not None
    return (book.best_bid * Decimal("0.97")).quantize(Decimal(100))


def test_the_window_starts_live_with_book_trades_and_chart(qtbot: QtBot, live: Terminal) -> None:
    w = live.window
    assert w.windowTitle() == "Demo (HashKey) - trading-terminal"
    model = w.ladder.view.model
    assert model is not None and model.bid_rows >= 10 and model.ask_rows >= 10
    wait(qtbot, lambda: w.trades.model.rowCount() > 0)
    wait(qtbot, lambda: len(live.session.market.candle_series("BTCUSDT", Interval.M1)) >= 1000)
    assert w.markets.model.rowCount() == 6
    assert live.controller.demo.running
    assert {d.objectName() for d in w.docks} == {
        "marketsDock",
        "ticketDock",
        "ladderDock",
        "chartDock",
        "ordersDock",
        "balancesDock",
        "tradesDock",
        "logDock",
    }
    wait(qtbot, lambda: all(e.state.value == "live" for e in live.session.status.streams.values()))


def test_a_ticket_order_shows_in_orders_and_ladder_and_is_cancelled_from_the_orders_dock(
    qtbot: QtBot, live: Terminal
) -> None:
    w = live.window
    form = w.ticket.form
    price = _far_bid(live)
    _type(form.widgets.price.edit, str(price))
    _type(form.widgets.quantity.edit, "0.0100")
    wait(qtbot, form.widgets.submit.isEnabled)
    QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
    wait(qtbot, lambda: len(live.session.orders.working("BTCUSDT")) == 1)
    (order,) = live.session.orders.working("BTCUSDT")
    cid = order.client_order_id
    wait(qtbot, lambda: live.session.orders.orders[cid].status is OrderStatus.NEW)  # acknowledged
    wait(qtbot, lambda: w.orders.open_model.row_of(cid) is not None)
    wait(qtbot, lambda: any(cid in row.own_buy_ids for row in w.ladder.view.model.rows.values()))  # type: ignore[union-attr]
    assert cid in {o["clientOrderId"] for o in live.state()["openOrders"]}
    w.orders.cancel([cid])
    wait(qtbot, lambda: w.orders.open_model.row_of(cid) is None)
    wait(qtbot, lambda: not any(cid in row.own_buy_ids for row in w.ladder.view.model.rows.values()))  # type: ignore[union-attr]
    assert live.session.orders.orders[cid].status is OrderStatus.CANCELED
    assert cid not in {o["clientOrderId"] for o in live.state()["openOrders"]}


def test_a_market_order_fills_and_balances_and_fills_update(qtbot: QtBot, live: Terminal) -> None:
    w = live.window
    form = w.ticket.form
    index = form.widgets.type_combo.findData(OrderType.MARKET.value)
    form.widgets.type_combo.setCurrentIndex(index)
    form.widgets.by_amount.click()
    _type(form.widgets.amount.edit, "500")
    before = live.session.account.balances["BTC"].total
    wait(qtbot, form.widgets.submit.isEnabled)
    form.widgets.submit.click()
    wait(qtbot, lambda: w.orders.fills_model.rowCount() >= 1)
    wait(qtbot, lambda: live.session.account.balances["BTC"].total > before)
    w.balances.raise_()
    wait(qtbot, lambda: w.balances.model.row_of("BTC") is not None)
    wait(qtbot, lambda: any("Bought" in text for text in w.toasts.shown))


def test_an_invalid_ticket_shows_its_problem_and_sends_nothing(qtbot: QtBot, live: Terminal) -> None:
    form = live.window.ticket.form
    before = len(live.state()["openOrders"])
    _type(form.widgets.price.edit, "95000.123")
    _type(form.widgets.quantity.edit, "0.01")
    wait(qtbot, lambda: "is not a multiple of the tick 0.01" in form.widgets.reason.text())
    assert not form.widgets.submit.isEnabled()
    QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
    form.submit()
    qtbot.wait(500)
    assert len(live.state()["openOrders"]) == before
    assert live.session.orders.working("BTCUSDT") == []


def test_an_armed_ladder_click_places_and_a_second_click_cancels(qtbot: QtBot, live: Terminal) -> None:
    w = live.window
    view = w.ladder.view
    _type(w.ticket.form.widgets.quantity.edit, "0.0020")
    view.set_auto_centre(False)
    model = view.model
    assert model is not None and model.best_bid_row is not None
    # Twenty rows (about 100 USDT) under the bid: far enough that the lively demo market does not
    # fill it within the few seconds of this test.
    row = model.best_bid_row - 20
    view.set_centre(row)
    w.ladder.arm_button.click()
    assert view.armed
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.point_of(row, Cell.BID))
    wait(qtbot, lambda: len(live.session.orders.working("BTCUSDT")) == 1 or bool(w.toasts.shown))
    assert not w.toasts.shown, w.toasts.shown
    (order,) = live.session.orders.working("BTCUSDT")
    assert order.quantity == Decimal("0.0020") and order.side is Side.BUY
    wait(qtbot, lambda: order.client_order_id in view.model.rows[row].own_buy_ids)  # type: ignore[union-attr]
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.point_of(row, Cell.OWN_BUY))
    wait(qtbot, lambda: live.session.orders.orders[order.client_order_id].status is OrderStatus.CANCELED)


def test_changing_the_interval_reloads_the_chart(qtbot: QtBot, live: Terminal) -> None:
    chart = live.window.chart
    wait(qtbot, lambda: len(live.session.market.candle_series("BTCUSDT", Interval.M1)) >= 1000)
    chart.set_interval(Interval.M15)
    wait(qtbot, lambda: len(live.session.market.candle_series("BTCUSDT", Interval.M15)) >= 100)
    series = live.session.market.candle_series("BTCUSDT", Interval.M15)
    assert all(int(t) % (15 * 60_000) == 0 for t in series.times)
    assert chart.interval is Interval.M15


def test_the_layout_is_saved_and_restored_per_profile(qtbot: QtBot, live: Terminal) -> None:
    w = live.window
    w.trades.setFloating(True)
    w.log.toggleViewAction().trigger()  # closed from the View menu
    assert not w.log.toggleViewAction().isChecked()
    w.save_layout()
    w.reset_layout()
    assert not w.trades.isFloating()
    assert all(dock.toggleViewAction().isChecked() for dock in w.docks)  # every dock is back
    assert w.restore_layout("Demo")
    assert w.trades.isFloating()
    assert not w.log.toggleViewAction().isChecked()
    w.reset_layout()
    assert not w.trades.isFloating()
    assert w.log.toggleViewAction().isChecked()


def test_switching_profiles_closes_the_old_session_cleanly(qtbot: QtBot, aloop: object, tmp_path: Path) -> None:
    with demo_process("--symbols", "BTCUSDT,ETHUSDT") as other, terminal(qtbot, tmp_path) as t:
        assert run(qtbot, t.controller.open(t.controller.book.get("Demo")), timeout=60)
        first = t.session
        endpoints = t.controller.demo.endpoints
        assert endpoints is not None
        wait(qtbot, lambda: first.status.streams.get("private") is not None)
        old_tasks = {task for task in asyncio.all_tasks() if not task.done()}
        assert any(task.get_name().startswith("ws-") for task in old_tasks)
        attached = Profile(
            name="Other demo",
            venue=VenueKind.HASHKEY,
            rest_url=other.rest_url,
            stream_url=other.stream_url,
            api_key=other.api_key,
        )
        t.controller.secrets.set(attached.name, other.api_key, other.api_secret)
        t.controller.book = t.controller.book.add(attached)
        assert run(qtbot, t.controller.open(attached), timeout=60)
        assert first.state == "closed"
        assert not t.controller.demo.running  # the child demo exchange was stopped
        assert t.session is not first and t.session.state == "live"
        assert set(t.session.venue.instruments) == {"BTCUSDT", "ETHUSDT"}
        assert t.window.windowTitle().startswith("Other demo")
        # Nothing of the old session keeps running: every task alive before the switch has ended.
        assert [task.get_name() for task in old_tasks if not task.done()] == []
