"""Longbridge through the whole window, against the local Longbridge REST fake (every signature
verified, reused timestamps and expired tokens refused) and the local quote gateway driven by the
official SDK: balances and positions, the token's expiry, an order placed, modified and cancelled,
a resting order filled and announced, live book and trades, and the access token refreshed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.storage.profiles import Profile, Venue
from terminal.storage.secrets import access_token_key
from terminal.ui.dialogs.longbridge_setup import store_token
from terminal.venues.longbridge.token import AccessToken, from_record
from tests.support.longbridge.server import LongbridgeFakeServer
from tests.support.longbridge_quotes.server import LongbridgeQuoteServer
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal, terminal

NAME = "Longbridge fake"
D = Decimal


def _type(edit: object, text: str) -> None:
    edit.clear()  # type: ignore[attr-defined]
    QTest.keyClicks(edit, text)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[LongbridgeFakeServer]:
    with LongbridgeFakeServer() as fake:
        yield fake
    assert fake.violations == []


@pytest.fixture
def quotes() -> Iterator[LongbridgeQuoteServer]:
    with LongbridgeQuoteServer() as fake:
        yield fake


@pytest.fixture
def longbridge(
    qtbot: QtBot, aloop: object, tmp_path: Path, server: LongbridgeFakeServer, quotes: LongbridgeQuoteServer
) -> Iterator[Terminal]:
    with terminal(qtbot, tmp_path) as t:
        profile = Profile(
            NAME, Venue.LONGBRIDGE, api_key=server.app_key, rest_url=server.url, stream_url=quotes.quote_ws_url
        )
        t.controller.book = t.controller.book.add(profile)
        t.controller.store.save(t.controller.book)
        t.controller.secrets.set(NAME, server.app_key, server.app_secret)
        expires = datetime.now(UTC) + timedelta(days=80)
        store_token(t.controller.secrets, NAME, server.app_key, AccessToken(server.token, expires))
        assert run(qtbot, t.controller.open(profile), timeout=60)
        wait(qtbot, lambda: "HKD" in t.session.account.balances and "700.HK" in t.session.account.positions)
        t.session.set_active_symbol("700.HK")
        yield t


def _working(t: Terminal, symbol: str) -> set[str]:
    return {o.client_order_id for o in t.session.orders.working(symbol)}


def _place(qtbot: QtBot, t: Terminal, symbol: str, order_type: OrderType, price: str, quantity: str) -> str:
    t.session.set_active_symbol(symbol)
    form = t.window.ticket.form
    w = form.widgets
    wait(qtbot, lambda: form.instrument is not None and form.instrument.symbol == symbol)
    w.type_combo.setCurrentIndex(w.type_combo.findData(order_type.value))
    _type(w.price.edit, price)
    _type(w.quantity.edit, quantity)
    wait(qtbot, w.submit.isEnabled)
    before = _working(t, symbol)
    w.submit.click()
    wait(qtbot, lambda: len(_working(t, symbol) - before) == 1)
    (cid,) = _working(t, symbol) - before
    wait(qtbot, lambda: t.session.orders.orders[cid].status is OrderStatus.NEW)
    return cid


def _fake_order(server: LongbridgeFakeServer, cid: str) -> object:
    (order,) = [o for o in server.orders if o.remark == cid]
    return order


def test_balances_positions_and_the_tokens_expiry(
    qtbot: QtBot, longbridge: Terminal, server: LongbridgeFakeServer
) -> None:
    window, session = longbridge.window, longbridge.session
    assert session.account.balances["HKD"].free == server.cash("HKD")
    held = session.account.positions["700.HK"]
    assert (held.quantity, held.cost_price, held.currency) == (D(200), D(300), "HKD")
    assert held.last_price > 0 and held.market_value == held.quantity * held.last_price
    wait(qtbot, lambda: window.balances.positions.model.row_of("700.HK") is not None)
    assert window.balances.model.row_of("700.HK") is None  # holdings are positions, not cash
    assert "token expires" in window.token_label.text() and "(in 79 days)" in window.token_label.text()
    assert window.refresh_token_action.isVisible()
    # Every request the SDK and the terminal signed was accepted by the fake's own verifier.
    assert any(r.path == "/v1/socket/token" for r in server.requests)


def test_an_hk_order_placed_modified_and_cancelled_from_the_window(
    qtbot: QtBot, longbridge: Terminal, server: LongbridgeFakeServer
) -> None:
    window = longbridge.window
    form = window.ticket.form
    longbridge.session.set_active_symbol("700.HK")
    wait(qtbot, lambda: form.instrument is not None and form.instrument.symbol == "700.HK")
    types = [form.widgets.type_combo.itemData(i) for i in range(form.widgets.type_combo.count())]
    assert {"LIMIT", "ENHANCED_LIMIT", "AT_AUCTION", "ODD_LOT"} <= set(types) and "MARKET" not in types
    cid = _place(qtbot, longbridge, "700.HK", OrderType.ENHANCED_LIMIT, "300.00", "100")
    placed = _fake_order(server, cid)
    assert (placed.order_type, placed.time_in_force, placed.price, placed.quantity) == (  # type: ignore[attr-defined]
        "ELO",
        "Day",
        D("300.00"),
        D(100),
    )
    assert longbridge.session.orders.orders[cid].time_in_force is TimeInForce.DAY
    wait(qtbot, lambda: window.orders.open_model.row_of(cid) is not None)
    dialog = window.orders.modify(cid)
    assert dialog is not None
    _type(dialog.price, "299.80")
    _type(dialog.quantity, "200")
    wait(qtbot, dialog.ok.isEnabled)
    dialog.ok.click()
    wait(qtbot, lambda: _fake_order(server, cid).price == D("299.80"))  # type: ignore[attr-defined]
    assert _fake_order(server, cid).quantity == D(200)  # type: ignore[attr-defined]
    wait(qtbot, lambda: longbridge.session.orders.orders[cid].price == D("299.80"))
    window.orders.cancel([cid])
    wait(qtbot, lambda: longbridge.session.orders.orders[cid].status is OrderStatus.CANCELED)
    wait(qtbot, lambda: window.orders.open_model.row_of(cid) is None)
    assert not _fake_order(server, cid).is_open  # type: ignore[attr-defined]


def test_a_resting_us_order_filled_at_the_venue_is_announced_and_held(
    qtbot: QtBot, longbridge: Terminal, server: LongbridgeFakeServer
) -> None:
    cid = _place(qtbot, longbridge, "AAPL.US", OrderType.LIMIT, "150.00", "4")
    order_id = _fake_order(server, cid).order_id  # type: ignore[attr-defined]
    server.fill_order(order_id, quantity=D(1))
    wait(qtbot, lambda: longbridge.session.orders.orders[cid].status is OrderStatus.PARTIALLY_FILLED, timeout=30)
    server.fill_order(order_id)
    wait(qtbot, lambda: longbridge.session.orders.orders[cid].status is OrderStatus.FILLED, timeout=30)
    fills = [f for f in longbridge.session.orders.fills.values() if f.client_order_id == cid]
    assert sorted(f.quantity for f in fills) == [D(1), D(3)] and {f.side for f in fills} == {Side.BUY}
    wait(qtbot, lambda: sum(1 for text in longbridge.window.toasts.shown if "Bought" in text) == 2)
    wait(qtbot, lambda: longbridge.session.account.positions["AAPL.US"].quantity == D(14), timeout=30)


def test_the_book_and_the_tape_come_from_the_quote_socket(
    qtbot: QtBot, longbridge: Terminal, quotes: LongbridgeQuoteServer
) -> None:
    window = longbridge.window
    wait(qtbot, lambda: "700.HK" in quotes.subscriptions())
    quotes.push_depth("700.HK", [("320.00", 1200), ("319.80", 800)], [("320.20", 500), ("320.40", 900)])
    wait(qtbot, lambda: (m := window.ladder.view.model) is not None and m.bid_rows >= 2 and m.ask_rows >= 2)
    book = longbridge.session.market.books["700.HK"]
    assert (book.best_bid, book.best_ask) == (D("320.00"), D("320.20"))
    quotes.push_trades("700.HK", [("320.20", 300), ("320.40", 100)])
    wait(qtbot, lambda: any(t.price == D("320.40") for t in longbridge.session.market.tapes.get("700.HK", ())))
    wait(qtbot, lambda: window.trades.model.rowCount() > 0)
    assert not window.ladder.polled.isVisible()  # streamed, not polled


def test_the_access_token_is_refreshed_and_kept(
    qtbot: QtBot, longbridge: Terminal, server: LongbridgeFakeServer
) -> None:
    controller = longbridge.controller
    old = server.token
    assert run(qtbot, controller.refresh_longbridge_token(), timeout=30)
    record = controller.secrets.get(NAME, access_token_key(server.app_key))
    assert record is not None
    new = from_record(record)
    assert new.token != old and server.tokens[old] == "invalidated" and server.tokens[new.token] == "valid"
    assert new.days_left(datetime.now(UTC)) >= 89
    wait(qtbot, lambda: "(in 89 days)" in longbridge.window.token_label.text())
    # The session goes on with the new token: an order is placed with it.
    cid = _place(qtbot, longbridge, "AAPL.US", OrderType.LIMIT, "150.00", "1")
    assert _fake_order(server, cid).remark == cid  # type: ignore[attr-defined]
    assert server.requests[-1].headers["authorization"] in (new.token,) or any(
        r.headers["authorization"] == new.token for r in server.requests
    )
