"""The order ticket on a live session against the demo exchange: what it offers, checks, sends and reports."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.decimals import div, floor_to
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.session.frame_clock import FrameClock
from terminal.session.market_store import MarketChange
from terminal.session.order_store import OrderChange
from terminal.session.session import Session
from terminal.ui.ticket import TicketDock, TicketForm
from terminal.ui.ticket.ticket_text import format_amount
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from tests.support.qt import run, wait

D = Decimal


def _state(demo: Endpoints, api_key: str = "") -> dict[str, Any]:
    params = {"api_key": api_key or demo.api_key}
    response = httpx.get(f"{demo.rest_url}/_demo/state", params=params, timeout=10)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def _open_ids(demo: Endpoints, api_key: str = "") -> set[str]:
    return {row["orderId"] for row in _state(demo, api_key)["openOrders"]}


def _ready(session: Session) -> bool:
    return (
        "BTCUSDT" in session.market.books
        and session.manager.reference_price("BTCUSDT") is not None
        and {"USDT", "BTC"} <= set(session.account.balances)
    )


@pytest.fixture
def dock(qtbot: QtBot, session: Session) -> Iterator[TicketDock]:
    dock = TicketDock()
    qtbot.addWidget(dock)
    dock.bind(session)
    dock.show()
    wait(qtbot, lambda: _ready(session))
    yield dock
    dock.bind(None)


def _type(edit: QLineEdit, text: str) -> None:
    """Replace the field's text as a user would (each key makes the ticket check again)."""
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def _choose_type(form: TicketForm, order_type: OrderType) -> None:
    combo = form.widgets.type_combo
    combo.setCurrentIndex(combo.findData(order_type.value))


def _resting_buy_price(session: Session) -> Decimal:
    """A buy price well below the market (it rests) but inside the venue's 10 % band."""
    book = session.market.books["BTCUSDT"]
    assert book.best_bid is not None
    return floor_to(book.best_bid * D("0.95"), D("0.01"))


def _problem_texts(form: TicketForm) -> list[str]:
    return form.widgets.problems.messages()


def _nearest_buttons(form: TicketForm) -> list[QPushButton]:
    return form.widgets.problems.findChildren(QPushButton, "useNearest")


def _limit(form: TicketForm, price: Decimal, quantity: str) -> None:
    _choose_type(form, OrderType.LIMIT)
    _type(form.widgets.price.edit, str(price))
    _type(form.widgets.quantity.edit, quantity)


def test_an_off_tick_price_is_explained_and_use_nearest_fixes_it(
    qtbot: QtBot, session: Session, dock: TicketDock
) -> None:
    form = dock.form
    price = _resting_buy_price(session)
    _limit(form, price, "0.01000")
    assert form.widgets.submit.isEnabled()
    _type(form.widgets.price.edit, f"{price}4")  # one digit more than the tick allows
    nearest = price
    expected = f"price {price}4 is not a multiple of the tick 0.01: nearest {nearest}"
    assert expected in _problem_texts(form)
    assert not form.widgets.submit.isEnabled()
    assert form.widgets.reason.text() == expected
    (button,) = _nearest_buttons(form)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert form.widgets.price.edit.text() == str(nearest)
    assert _problem_texts(form) == []
    assert form.widgets.submit.isEnabled()
    assert form.widgets.submit.text() == f"Buy 0.01000 BTC at {nearest:,}"
    assert form.widgets.reason.text() == ""
    notional = format_amount(nearest * D("0.01"), session.venue.instruments["BTCUSDT"], grouping=True)
    assert form.widgets.estimate.text().startswith(f"Notional {notional} USDT · fee ")
    assert form.widgets.estimate.text().endswith("BTC (maker rate 0.15%)")


def test_an_invalid_ticket_sends_nothing(qtbot: QtBot, demo: Endpoints, session: Session, dock: TicketDock) -> None:
    form = dock.form
    before = _open_ids(demo)
    price = _resting_buy_price(session)
    _limit(form, price, "0.000001")  # below the step
    assert any("not a multiple of the step" in text for text in _problem_texts(form))
    assert not form.widgets.submit.isEnabled()
    QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
    QTest.mouseClick(form.widgets.submit, Qt.MouseButton.LeftButton)
    _type(form.widgets.quantity.edit, "abc")
    assert _problem_texts(form) == ["quantity 'abc' is not a number"]
    QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
    assert form.widgets.status.text() == ""  # nothing was sent, so nothing is reported
    # Orders leave one after another: once a valid one has arrived, an invalid one sent before it would have too.
    _type(form.widgets.quantity.edit, "0.00020")
    QTest.keyClick(form.widgets.quantity.edit, Qt.Key.Key_Return)
    wait(qtbot, lambda: form.widgets.status.text().startswith("Accepted"))
    added = _open_ids(demo) - before
    assert len(added) == 1
    (order,) = [o for o in session.orders.orders.values() if o.order_id in added]
    assert (order.price, order.quantity) == (price, D("0.0002"))


def test_a_valid_limit_order_sent_with_enter_is_accepted(
    qtbot: QtBot, demo: Endpoints, session: Session, dock: TicketDock
) -> None:
    form = dock.form
    price = _resting_buy_price(session)
    _limit(form, price, "0.00100")
    QTest.keyClick(form.widgets.price.edit, Qt.Key.Key_Return)
    assert form.widgets.status.text().startswith("Sending: Buy 0.00100 BTC at")
    wait(qtbot, lambda: form.widgets.status.text().startswith("Accepted: order "))
    working = [o for o in session.orders.working("BTCUSDT") if o.price == price and o.quantity == D("0.001")]
    assert len(working) == 1
    order = working[0]
    assert order.order_id is not None and order.order_id in form.widgets.status.text()
    assert order.time_in_force is TimeInForce.GTC
    assert order.order_id in _open_ids(demo)


def test_a_market_buy_by_amount_fills(qtbot: QtBot, session: Session, dock: TicketDock) -> None:
    form, w = dock.form, dock.form.widgets
    _choose_type(form, OrderType.MARKET)
    assert w.size_mode.isVisible()
    QTest.mouseClick(w.by_amount, Qt.MouseButton.LeftButton)
    assert w.amount.edit.isVisible() and not w.quantity.edit.isVisible() and not w.price.edit.isVisible()
    _type(w.amount.edit, "25")
    assert w.submit.text() == "Buy BTC for 25.00 USDT at market"
    assert w.estimate.text().startswith("Notional 25.00 USDT · fee ≈ 0.000000")
    assert "(taker rate " in w.estimate.text()
    fills_before = set(session.orders.fills)
    QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: w.status.text().startswith("Filled: "))
    wait(qtbot, lambda: bool(set(session.orders.fills) - fills_before))
    new = [f for f in session.orders.fills.values() if f.trade_id not in fills_before]
    assert {(f.symbol, f.side) for f in new} == {("BTCUSDT", Side.BUY)}
    order = session.orders.get(new[0].client_order_id)
    assert order is not None and order.status is OrderStatus.FILLED
    assert (order.type, order.amount, order.quantity) == (OrderType.MARKET, D("25"), D(0))


def test_percentage_buttons_size_from_the_free_balance(qtbot: QtBot, session: Session, dock: TicketDock) -> None:
    form, w = dock.form, dock.form.widgets
    instrument = session.venue.instruments["BTCUSDT"]
    price = _resting_buy_price(session)
    _limit(form, price, "")
    QTest.mouseClick(w.percent[50], Qt.MouseButton.LeftButton)
    usdt = session.account.balances["USDT"].free
    # BTCUSDT buys pay their fee in BTC: all of the share buys.
    assert w.quantity.edit.text() == f"{floor_to(div(usdt / 2, price, ROUND_FLOOR), instrument.step_size)}"

    QTest.mouseClick(w.sell, Qt.MouseButton.LeftButton)
    QTest.mouseClick(w.percent[25], Qt.MouseButton.LeftButton)
    btc = session.account.balances["BTC"].free
    assert w.quantity.edit.text() == f"{floor_to(btc / 4, instrument.step_size)}"
    assert w.submit.text().startswith("Sell ")

    QTest.mouseClick(w.buy, Qt.MouseButton.LeftButton)
    _choose_type(form, OrderType.MARKET)
    QTest.mouseClick(w.by_amount, Qt.MouseButton.LeftButton)
    QTest.mouseClick(w.percent[100], Qt.MouseButton.LeftButton)
    usdt = session.account.balances["USDT"].free
    assert D(w.amount.edit.text()) == floor_to(usdt, instrument.amount_step)
    assert _problem_texts(form) == []

    _type(w.amount.edit, "")
    QTest.mouseClick(w.by_quantity, Qt.MouseButton.LeftButton)
    QTest.mouseClick(w.percent[75], Qt.MouseButton.LeftButton)
    # A market buy by quantity is funded at the band's ceiling, 10 % above the reference price.
    reference = session.manager.reference_price("BTCUSDT")
    assert reference is not None
    quantity = D(w.quantity.edit.text())
    assert quantity > 0
    assert quantity * reference * D("1.1") <= usdt * D("0.75")


def test_the_combos_offer_only_allowed_combinations(qtbot: QtBot, dock: TicketDock) -> None:
    form, w = dock.form, dock.form.widgets

    def items(combo: Any) -> list[str]:
        return [combo.itemData(i) for i in range(combo.count())]

    assert items(w.type_combo) == ["LIMIT", "MARKET", "LIMIT_MAKER"]
    _choose_type(form, OrderType.LIMIT)
    assert items(w.tif_combo) == ["GTC", "IOC", "FOK"]
    w.tif_combo.setCurrentIndex(w.tif_combo.findData("FOK"))
    _choose_type(form, OrderType.LIMIT_MAKER)
    assert items(w.tif_combo) == ["GTC"]
    assert w.price.edit.isVisible() and not w.size_mode.isVisible()
    _choose_type(form, OrderType.MARKET)
    assert items(w.tif_combo) == ["IOC"]
    assert not w.price.edit.isVisible() and w.size_mode.isVisible()
    QTest.mouseClick(w.sell, Qt.MouseButton.LeftButton)
    assert not w.size_mode.isVisible()  # only buys spend a quote amount
    _choose_type(form, OrderType.LIMIT)
    assert form.time_in_force() is TimeInForce.FOK  # each type remembers the choice made for it


def test_a_second_identical_submit_waits_for_confirmation(
    qtbot: QtBot, demo: Endpoints, session: Session, dock: TicketDock
) -> None:
    form, w = dock.form, dock.form.widgets
    before = _open_ids(demo)
    price = _resting_buy_price(session) - D("1.00")
    _limit(form, price, "0.00030")
    # A double click: two presses and releases in quick succession (each one a click of the button).
    QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
    QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
    wait(qtbot, w.repeat_prompt.isVisible)
    assert "was not sent again" in w.repeat_text.text()
    assert w.repeat_confirm.text() == "Send it again"
    wait(qtbot, lambda: bool(_open_ids(demo) - before) and "Accepted" in w.status.text())
    assert len(_open_ids(demo) - before) == 1
    assert w.repeat_prompt.isVisible()

    QTest.mouseClick(w.repeat_confirm, Qt.MouseButton.LeftButton)
    assert not w.repeat_prompt.isVisible()
    wait(qtbot, lambda: len(_open_ids(demo) - before) == 2)

    QTest.keyClick(w.quantity.edit, Qt.Key.Key_Return)  # a key repeat right after: refused again
    wait(qtbot, w.repeat_prompt.isVisible)
    assert "was not sent again" in w.repeat_text.text()
    _type(w.quantity.edit, "0.00031")  # a different order dismisses the prompt
    assert not w.repeat_prompt.isVisible()
    assert len(_open_ids(demo) - before) == 2


def test_a_read_only_key_may_explore_but_not_send(qtbot: QtBot, aloop: object, demo: Endpoints) -> None:
    clock = FrameClock(fps=60)
    venue = HashKeyVenue(
        Hosts(demo.rest_url, demo.stream_url), Credentials(demo.readonly_api_key, demo.readonly_api_secret)
    )
    session = Session(venue, "Read only", clock)
    clock.start()
    dock = TicketDock()
    qtbot.addWidget(dock)
    try:
        assert run(qtbot, session.start())
        session.set_active_symbol("BTCUSDT")
        dock.bind(session)
        dock.show()
        form, w = dock.form, dock.form.widgets
        wait(qtbot, lambda: "BTCUSDT" in session.market.books)
        before = _open_ids(demo, demo.readonly_api_key)
        _limit(form, D("90000.00"), "0.00100")
        assert w.price.edit.isEnabled() and w.percent[25].isEnabled()
        assert w.submit.text() == "Buy 0.00100 BTC at 90,000.00"
        assert not w.submit.isEnabled()
        assert w.reason.text().startswith("Read-only API key: ")
        assert w.reason.text() == f"Read-only API key: {venue.permissions.reason}"
        QTest.keyClick(w.price.edit, Qt.Key.Key_Return)
        QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
        assert w.status.text() == ""
        assert _open_ids(demo, demo.readonly_api_key) == before
    finally:
        dock.bind(None)
        run(qtbot, session.close())
        clock.stop()


def test_without_a_session_nothing_can_be_done(qtbot: QtBot) -> None:
    dock = TicketDock()
    qtbot.addWidget(dock)
    dock.show()
    w = dock.form.widgets
    assert dock.objectName() == "ticketDock" and dock.windowTitle() == "Order ticket"
    assert not w.body.isEnabled() and not w.submit.isEnabled()
    assert w.reason.text() == "Not connected"


def test_a_venue_rejection_is_shown_in_words(qtbot: QtBot, demo: Endpoints, session: Session, dock: TicketDock) -> None:
    """An order that passes every local check but that the venue refuses (here: it is rate limiting
    this key) ends REJECTED with the venue's message in words."""
    form, w = dock.form, dock.form.widgets
    _limit(form, _resting_buy_price(session), "0.00040")
    assert w.submit.isEnabled(), _problem_texts(form)
    httpx.post(f"{demo.rest_url}/_demo/rate-limit", json={"seconds": 1}, timeout=10).raise_for_status()
    QTest.keyClick(w.quantity.edit, Qt.Key.Key_Enter)
    wait(qtbot, lambda: w.status.text().startswith("Rejected: "))
    assert "Too many requests" in w.status.text()
    assert "Rate limit exceeded" in w.status.text() or "Too many new orders" in w.status.text()
    assert w.status.property("tone") == "error"


def test_a_market_buy_the_funds_cannot_cover_at_the_band_ceiling_is_caught_locally(
    qtbot: QtBot, session: Session, dock: TicketDock
) -> None:
    """The venue funds a market buy by quantity at its band's ceiling (10 % above the reference):
    an order sized at the reference price would be refused there, so it is refused here first."""
    form, w = dock.form, dock.form.widgets
    instrument = session.venue.instruments["BTCUSDT"]
    _choose_type(form, OrderType.MARKET)
    QTest.mouseClick(w.by_quantity, Qt.MouseButton.LeftButton)
    reference = session.manager.reference_price("BTCUSDT")
    assert reference is not None
    usdt = session.account.balances["USDT"].free
    quantity = floor_to(div(usdt * D("0.99"), reference, ROUND_FLOOR), instrument.step_size)
    _type(w.quantity.edit, str(quantity))
    assert not w.submit.isEnabled()
    assert any("needs up to" in text for text in _problem_texts(form))


def test_an_unknown_outcome_is_followed_until_it_ends(
    qtbot: QtBot, demo: Endpoints, session: Session, dock: TicketDock
) -> None:
    form, w = dock.form, dock.form.widgets
    _limit(form, _resting_buy_price(session), "0.00040")
    body = {"count": 1, "status": 503, "execute": False}
    httpx.post(f"{demo.rest_url}/_demo/fail-orders", json=body, timeout=10).raise_for_status()
    QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: w.status.text().startswith("Outcome unknown, being checked with the venue"))
    wait(qtbot, lambda: w.status.text().startswith("Rejected: "), timeout=30)
    assert w.status.text() == "Rejected: the venue has no record of it: it was never placed"


def test_the_ladder_fills_price_and_side_and_reads_the_size(qtbot: QtBot, session: Session, dock: TicketDock) -> None:
    form, w = dock.form, dock.form.widgets
    _choose_type(form, OrderType.MARKET)
    dock.set_price_and_side(Side.SELL, D("123456.7"))
    assert form.order_type() is OrderType.LIMIT and form.side() is Side.SELL
    assert w.price.edit.text() == "123456.70"
    assert dock.current_size(Side.SELL) is None  # no quantity yet
    _type(w.quantity.edit, "0.01")
    assert dock.current_size(Side.BUY) == D("0.01")
    _type(w.quantity.edit, "0.000011")
    assert dock.current_size(Side.BUY) is None


def test_market_balance_and_order_changes_are_checked_once_per_frame(qtbot: QtBot, session: Session) -> None:
    form = TicketForm()  # fed by hand here, not by the live stores
    qtbot.addWidget(form)
    form.set_session(session)
    form.set_symbol("BTCUSDT")
    drafts: list[object] = []
    form.checked.connect(drafts.append)
    for _ in range(200):
        form.on_market_changed(MarketChange(books={"BTCUSDT"}, trades={"BTCUSDT"}))
        form.on_account_changed({"USDT"})
        form.on_orders_changed(OrderChange(orders={"someone"}))
    form.on_market_changed(MarketChange(books={"ETHUSDT"}))  # another symbol: nothing to check
    form.on_account_changed({"ETH"})
    assert drafts == []
    qtbot.waitUntil(lambda: len(drafts) >= 1)
    assert len(drafts) == 1
    assert not form._coalesce.isActive()  # and no other check is pending
