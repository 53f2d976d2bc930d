"""Trading on Webull through the whole window, against the Webull fake (every request signed and
checked): balances and positions with cost and P&L, a stock order placed from the ticket (DAY),
previewed, modified from the orders dock and cancelled, a resting order filled at the venue and
announced, polled data marked as polled, and an account that needs no 2FA token."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.storage.profiles import Profile, Venue
from terminal.storage.secrets import access_token_key
from terminal.venues.webull.hosts import Hosts as WebullHosts
from terminal.venues.webull.venue import WebullVenue
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal, terminal
from tests.support.webull.server import WebullFakeServer

NAME = "Webull fake"
ACCOUNT = "ACC-US-CASH-0001"
D = Decimal


def _type(edit: object, text: str) -> None:
    edit.clear()  # type: ignore[attr-defined]
    QTest.keyClicks(edit, text)  # type: ignore[arg-type]


def _open(qtbot: QtBot, t: Terminal, server: WebullFakeServer, *, token: bool = True) -> None:
    profile = Profile(NAME, Venue.WEBULL, rest_url=server.url, api_key=server.app_key, account=ACCOUNT)
    t.controller.book = t.controller.book.add(profile)
    t.controller.secrets.set(NAME, server.app_key, server.app_secret)
    if token:
        t.controller.secrets.set(NAME, access_token_key(server.app_key), server.issue_token())
    t.controller.webull_intervals = (0.2, 0.2)
    assert run(qtbot, t.controller.open(profile), timeout=30)
    assert t.controller.token_dialog is None
    wait(qtbot, lambda: "USD" in t.session.account.balances and "AAPL" in t.session.account.positions)


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(rate_limits={}, step_seconds=0) as fake:
        yield fake
    assert fake.violations == []


@pytest.fixture
def webull(qtbot: QtBot, aloop: object, tmp_path: Path, server: WebullFakeServer) -> Iterator[Terminal]:
    with terminal(qtbot, tmp_path) as t:
        _open(qtbot, t, server)
        t.session.set_active_symbol("AAPL")
        yield t


def _working(t: Terminal) -> list[str]:
    return [o.client_order_id for o in t.session.orders.working("AAPL")]


def _place_limit_buy(qtbot: QtBot, t: Terminal, price: str, quantity: str) -> str:
    form = t.window.ticket.form
    w = form.widgets
    w.type_combo.setCurrentIndex(w.type_combo.findData(OrderType.LIMIT.value))
    assert [w.tif_combo.itemData(i) for i in range(w.tif_combo.count())] == ["DAY", "GTC"]
    assert form.time_in_force() is TimeInForce.DAY
    _type(w.price.edit, price)
    _type(w.quantity.edit, quantity)
    wait(qtbot, w.submit.isEnabled)
    before = set(_working(t))
    w.submit.click()
    wait(qtbot, lambda: len(set(_working(t)) - before) == 1)
    (cid,) = set(_working(t)) - before
    wait(qtbot, lambda: t.session.orders.orders[cid].status is OrderStatus.NEW)
    return cid


def test_balances_show_cash_and_positions_with_cost_and_profit(
    qtbot: QtBot, webull: Terminal, server: WebullFakeServer
) -> None:
    balances = webull.window.balances
    assert balances.model.row_of("USD") is not None and balances.model.row_of("AAPL") is None
    assert balances.model.headerData(4, Qt.Orientation.Horizontal) == "Value (USD)"
    positions = balances.positions
    assert not positions.isHidden() and positions.model.row_of("AAPL") is not None
    held = webull.session.account.positions["AAPL"]
    assert (held.quantity, held.cost_price, held.currency) == (D(10), D("180.00"), "USD")
    # The venue moves the price: the account poll brings the new value and P&L to the dock.
    server.set_price("AAPL", "200.00")
    wait(qtbot, lambda: webull.session.account.positions["AAPL"].last_price == D("200.00"))
    assert webull.session.account.positions["AAPL"].unrealized_pnl == D("200.00")
    wait(qtbot, lambda: "Unrealized P&L +200.00 USD" in positions.total.text())


def test_an_order_placed_previewed_modified_and_cancelled_from_the_window(
    qtbot: QtBot, webull: Terminal, server: WebullFakeServer
) -> None:
    window = webull.window
    form = window.ticket.form
    # The venue's estimate before anything is placed.
    form.widgets.type_combo.setCurrentIndex(form.widgets.type_combo.findData(OrderType.LIMIT.value))
    _type(form.widgets.price.edit, "150.00")
    _type(form.widgets.quantity.edit, "2")
    wait(qtbot, form.preview.button.isEnabled)
    form.preview.button.click()
    wait(qtbot, lambda: form.preview.result.text() == "Estimated cost 300.00 USD · fee 0.00 USD")
    assert not server.accounts[ACCOUNT].orders  # a preview places nothing
    cid = _place_limit_buy(qtbot, webull, "150.00", "2")
    placed = server.accounts[ACCOUNT].orders[cid]
    assert (placed.limit_price, placed.quantity, placed.time_in_force, placed.side) == (D("150.00"), D(2), "DAY", "BUY")
    wait(qtbot, lambda: window.orders.open_model.row_of(cid) is not None)
    # Modify from the orders dock: a new price and quantity reach the venue and the row.
    assert window.orders.modify_selected.isVisible()
    dialog = window.orders.modify(cid)
    assert dialog is not None
    _type(dialog.price, "151.25")
    _type(dialog.quantity, "3")
    wait(qtbot, dialog.ok.isEnabled)
    dialog.ok.click()
    wait(qtbot, lambda: server.accounts[ACCOUNT].orders[cid].limit_price == D("151.25"))
    assert server.accounts[ACCOUNT].orders[cid].quantity == D(3)
    wait(
        qtbot,
        lambda: (
            (webull.session.orders.orders[cid].price, webull.session.orders.orders[cid].quantity) == (D("151.25"), D(3))
        ),
    )
    # Cancel from the orders dock.
    window.orders.cancel([cid])
    wait(qtbot, lambda: webull.session.orders.orders[cid].status is OrderStatus.CANCELED)
    wait(qtbot, lambda: window.orders.open_model.row_of(cid) is None)
    assert not server.accounts[ACCOUNT].orders[cid].is_open
    # The journal holds the change as it was asked for, and the order with its final terms.
    journal = webull.session.journal
    assert journal is not None
    wait(qtbot, lambda: any(o.client_order_id == cid and o.status is OrderStatus.CANCELED for o in journal.orders()))
    (final,) = [o for o in journal.orders() if o.client_order_id == cid]
    assert (final.price, final.quantity) == (D("151.25"), D(3))
    texts = " | ".join(entry.text for entry in journal.entries(client_order_id=cid))
    assert "151.25" in texts


def test_a_resting_order_filled_at_the_venue_is_announced_and_held(
    qtbot: QtBot, webull: Terminal, server: WebullFakeServer
) -> None:
    cid = _place_limit_buy(qtbot, webull, "150.00", "2")
    server.fill_order(cid, quantity="1")
    wait(qtbot, lambda: webull.session.orders.orders[cid].status is OrderStatus.PARTIALLY_FILLED)
    server.fill_order(cid)
    wait(qtbot, lambda: webull.session.orders.orders[cid].status is OrderStatus.FILLED)
    fills = [f for f in webull.session.orders.fills.values() if f.client_order_id == cid]
    assert sorted(f.quantity for f in fills) == [D(1), D(1)] and {f.side for f in fills} == {Side.BUY}
    wait(qtbot, lambda: sum(1 for text in webull.window.toasts.shown if "Bought" in text) == 2)
    wait(qtbot, lambda: webull.session.account.positions["AAPL"].quantity == D(12))
    wait(qtbot, lambda: webull.window.orders.fills_model.rowCount() >= 2)


def test_polled_data_is_marked_as_polled_and_the_book_comes_from_depth_quotes(
    qtbot: QtBot, webull: Terminal, server: WebullFakeServer
) -> None:
    window = webull.window
    wait(qtbot, lambda: "AAPL" in webull.session.market.books)
    wait(qtbot, lambda: (m := window.ladder.view.model) is not None and m.bid_rows >= 1 and m.ask_rows >= 1)
    assert window.ladder.polled.text() == "polled every 0.2 s"
    assert window.markets.polled.text() == "Prices polled every 0.2 s, not streamed."
    assert "publishes no public trades" in window.trades.empty.text()
    wait(qtbot, lambda: window.status.streams.get("webull") is not None)
    wait(qtbot, lambda: window.status.streams["webull"].text() == "webull: polled every 0.2 s")
    assert any(r.path.endswith("/depths/list") for r in server.requests)


def test_an_account_without_2fa_trades_without_a_token(qtbot: QtBot, aloop: object, tmp_path: Path) -> None:
    with (
        WebullFakeServer(rate_limits={}, step_seconds=0, token_required=False) as server,
        terminal(qtbot, tmp_path) as t,
    ):
        _open(qtbot, t, server, token=False)
        venue = t.session.venue
        assert venue.permissions.can_trade
        t.session.set_active_symbol("AAPL")
        cid = _place_limit_buy(qtbot, t, "150.00", "1")
        assert cid in server.accounts[ACCOUNT].orders
        assert not any(r.path.endswith("/create") for r in server.requests)
    assert server.violations == []


def test_an_order_modified_in_another_app_shows_its_new_terms(
    qtbot: QtBot, webull: Terminal, server: WebullFakeServer
) -> None:
    cid = _place_limit_buy(qtbot, webull, "150.00", "2")
    # The Webull app (here: another client of the same key) changes the order.
    other = WebullVenue(
        WebullHosts(server.url), server.app_key, server.app_secret, server.issue_token(), account_id=ACCOUNT
    )

    async def modify_elsewhere() -> None:
        try:
            await other.replace(cid, quantity=D(5), price=D("149.50"))
        finally:
            await other.close()

    run(qtbot, modify_elsewhere(), timeout=30)
    wait(qtbot, lambda: (o := webull.session.orders.orders[cid]).price == D("149.50") and o.quantity == D(5))
    assert webull.session.orders.orders[cid].status is OrderStatus.NEW
    wait(
        qtbot,
        lambda: "149.50" in str(webull.window.orders.open_model.data(webull.window.orders.open_model.index(0, 3))),
    )
