"""Markets, trades, balances, orders and log docks on a live session against the demo exchange."""

from __future__ import annotations

import logging
from decimal import Decimal

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.session.session import Session
from terminal.storage.log_buffer import LogBuffer
from terminal.ui.docks.balances import BalancesDock, value_in
from terminal.ui.docks.log import LogDock
from terminal.ui.docks.markets import MarketsDock
from terminal.ui.docks.orders import OPEN_COLUMNS, OrdersDock
from terminal.ui.docks.trades import TradesDock
from terminal.venues.base import Topic
from tests.support.qt import run, wait


def _cell(model: object, row: int, column: int) -> str:
    return str(model.data(model.index(row, column)))  # type: ignore[attr-defined]


def _open_ids(demo: Endpoints) -> set[str]:
    state = httpx.get(f"{demo.rest_url}/_demo/state", params={"api_key": demo.api_key}, timeout=10).json()
    return {o["clientOrderId"] for o in state["openOrders"]}


def test_markets_list_every_symbol_with_live_prices_and_select_the_active_one(qtbot: QtBot, session: Session) -> None:
    dock = MarketsDock()
    qtbot.addWidget(dock)
    dock.bind(session)
    assert set(dock.model.row_keys()) == set(session.venue.instruments)
    btc = dock.model.row_of("BTCUSDT")
    assert btc is not None
    wait(qtbot, lambda: _cell(dock.model, btc, 1) != "")
    assert "%" in _cell(dock.model, btc, 2)
    eth = dock.model.row_of("ETHUSDT")
    assert eth is not None
    qtbot.mouseClick(
        dock.table.viewport(), Qt.MouseButton.LeftButton, pos=dock.table.visualRect(dock.model.index(eth, 0)).center()
    )
    assert session.active_symbol == "ETHUSDT"
    dock.filter.setText("sol")
    sol = dock.model.row_of("SOLUSDT")
    assert sol is not None and not dock.table.isRowHidden(sol)
    assert dock.table.isRowHidden(btc)
    dock.bind(None)
    assert dock.model.rowCount() == 0


def test_the_tape_shows_trades_of_the_active_symbol_newest_first(qtbot: QtBot, session: Session) -> None:
    dock = TradesDock()
    qtbot.addWidget(dock)
    dock.bind(session)
    wait(qtbot, lambda: dock.model.rowCount() >= 3)
    times = [_cell(dock.model, row, 0) for row in range(3)]
    assert times == sorted(times, reverse=True)
    assert _cell(dock.model, 0, 3) in ("buy", "sell")
    session.set_active_symbol("ETHUSDT")
    wait(qtbot, lambda: dock.model.rowCount() > 0)
    key = dock.model.key_at(0)
    assert key is not None
    assert all(t.symbol == "ETHUSDT" for t in session.market.tapes["ETHUSDT"])


def test_balances_and_equity(qtbot: QtBot, session: Session) -> None:
    dock = BalancesDock()
    qtbot.addWidget(dock)
    dock.bind(session)
    session.watch(Topic.TICKER, "BTCUSDT")
    wait(qtbot, lambda: dock.model.row_of("USDT") is not None and dock.model.row_of("BTC") is not None)
    wait(qtbot, lambda: "Total equity" in dock.equity.text())
    row = dock.model.row_of("USDT")
    assert row is not None and _cell(dock.model, row, 4) != "n/a"


def test_value_in_usdt_uses_direct_and_inverse_pairs() -> None:
    from terminal.domain.market import Ticker

    def ticker(symbol: str, last: str) -> Ticker:
        value = Decimal(last)
        return Ticker(symbol, 0, value, value, value, value, Decimal(0), Decimal(0))

    tickers = {"BTCUSDT": ticker("BTCUSDT", "95000"), "USDTUSD": ticker("USDTUSD", "1.0002")}
    assert value_in("BTC", Decimal(2), tickers) == Decimal(190000)
    assert value_in("USD", Decimal("1.0002"), tickers) == Decimal(1)
    assert value_in("XYZ", Decimal(1), tickers) is None


def test_orders_dock_lists_cancels_and_keeps_history(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    dock = OrdersDock()
    qtbot.addWidget(dock)
    dock.bind(session)
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books and "USDT" in session.account.balances)
    bid = session.market.books["BTCUSDT"].best_bid
    assert bid is not None
    price = (bid * Decimal("0.96")).quantize(Decimal("0.01"))
    order = run(
        qtbot, session.manager.place(OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.001"), price))
    )
    wait(qtbot, lambda: dock.open_model.row_of(order.client_order_id) is not None)
    row = dock.open_model.row_of(order.client_order_id)
    assert row is not None
    assert _cell(dock.open_model, row, 1) == "buy"
    # Cancel through the row's cancel cell.
    cancel_rect = dock.open_table.visualRect(dock.open_model.index(row, len(OPEN_COLUMNS) - 1))
    qtbot.mouseClick(dock.open_table.viewport(), Qt.MouseButton.LeftButton, pos=cancel_rect.center())
    wait(qtbot, lambda: dock.open_model.row_of(order.client_order_id) is None)
    wait(qtbot, lambda: dock.history_model.row_of(order.client_order_id) is not None)
    assert session.orders.orders[order.client_order_id].status is OrderStatus.CANCELED
    assert order.client_order_id not in _open_ids(demo)


def test_delete_cancels_the_selection_and_cancel_all_asks_first(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    dock = OrdersDock()
    qtbot.addWidget(dock)
    dock.show()
    dock.bind(session)
    session.watch(Topic.DEPTH, "ETHUSDT")
    wait(qtbot, lambda: "ETHUSDT" in session.market.books and "USDT" in session.account.balances)
    bid = session.market.books["ETHUSDT"].best_bid
    assert bid is not None
    prices = [(bid * Decimal(f"0.9{i}")).quantize(Decimal("0.01")) for i in (3, 4, 5)]
    orders = [
        run(qtbot, session.manager.place(OrderRequest("ETHUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.01"), p)))
        for p in prices
    ]
    wait(qtbot, lambda: all(dock.open_model.row_of(o.client_order_id) is not None for o in orders))
    first = dock.open_model.row_of(orders[0].client_order_id)
    assert first is not None
    dock.open_table.selectRow(first)
    dock.open_table.setFocus()
    qtbot.keyClick(dock.open_table, Qt.Key.Key_Delete)
    wait(qtbot, lambda: session.orders.orders[orders[0].client_order_id].status is OrderStatus.CANCELED)
    dock.ask_cancel_all(None)
    box = dock._confirm
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "2 open orders" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    wait(qtbot, lambda: all(session.orders.orders[o.client_order_id].status is OrderStatus.CANCELED for o in orders))
    assert not {o.client_order_id for o in orders} & _open_ids(demo)


def test_the_log_dock_shows_our_messages_in_plain_words(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # as the app's logging setup does
    buffer = LogBuffer(100)
    handler = buffer
    logging.getLogger().addHandler(handler)
    try:
        logging.getLogger("terminal.orders").warning("Rejected: buy 1 BTCUSDT at 1.00. Not enough funds.")
        logging.getLogger("httpx").info("HTTP Request: GET http://x")
        dock = LogDock()
        qtbot.addWidget(dock)
        dock.attach(buffer)
        text = dock.text()
        assert "Rejected: buy 1 BTCUSDT at 1.00. Not enough funds." in text
        assert "HTTP Request" not in text  # library chatter stays in the log file
        logging.getLogger("terminal.session").info("Stream market is live again.")
        wait(qtbot, lambda: "live again" in dock.text())
    finally:
        logging.getLogger().removeHandler(handler)
