"""The ticket on a Hong Kong stock (Longbridge's order types): the types offered are those both the
stock and the venue accept, in words; the price shows only for types that take one; the rules speak."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.ui.ticket import TicketDock
from terminal.ui.ticket.ticket_form import TYPE_LABELS, TicketForm
from tests.session.stock_session import stock_session
from tests.session.stock_venue import CAPABILITIES, StockVenue

D = Decimal
HK_TYPES = (
    OrderType.LIMIT,
    OrderType.ENHANCED_LIMIT,
    OrderType.MARKET,
    OrderType.AT_AUCTION,
    OrderType.AT_AUCTION_LIMIT,
    OrderType.ODD_LOT,
    OrderType.SPECIAL_LIMIT,
)
DAY_ONLY = (TimeInForce.DAY,)
# Under the symbol the stock session trades, a stock in board lots of 100 shares.
BOARD_LOTS = Instrument(
    symbol="AAPL",
    base_asset="AAPL",
    quote_asset="USD",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(min_qty=D(100), max_qty=D(100_000), step_size=D(100)),
    order_types=HK_TYPES,
    time_in_force_rules={
        OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
        OrderType.ENHANCED_LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
        OrderType.MARKET: DAY_ONLY,
        OrderType.AT_AUCTION: DAY_ONLY,
        OrderType.AT_AUCTION_LIMIT: DAY_ONLY,
        OrderType.ODD_LOT: DAY_ONLY,
        OrderType.SPECIAL_LIMIT: DAY_ONLY,
    },
)


def _venue(venue_types: tuple[OrderType, ...] = HK_TYPES) -> StockVenue:
    capabilities = dataclasses.replace(
        CAPABILITIES,
        order_types=venue_types,
        time_in_force={**dict.fromkeys(venue_types, DAY_ONLY), OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC)},
    )
    return StockVenue(instruments={"AAPL": BOARD_LOTS}, capabilities=capabilities)


def _type(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def _choose(form: TicketForm, order_type: OrderType) -> None:
    combo = form.widgets.type_combo
    index = combo.findData(order_type.value)
    assert index >= 0, f"{order_type} is not offered"
    combo.setCurrentIndex(index)


def _price_shown(form: TicketForm) -> bool:
    return form.widgets.form.isRowVisible(form.widgets.price.row)


def _dock(qtbot: QtBot) -> TicketDock:
    dock = TicketDock()
    qtbot.addWidget(dock)
    return dock


def test_every_order_type_has_words() -> None:
    assert set(TYPE_LABELS) == set(OrderType)
    assert TYPE_LABELS[OrderType.ENHANCED_LIMIT] == "Enhanced limit"
    assert TYPE_LABELS[OrderType.AT_AUCTION] == "At-auction"
    assert TYPE_LABELS[OrderType.AT_AUCTION_LIMIT] == "At-auction limit"
    assert TYPE_LABELS[OrderType.ODD_LOT] == "Odd lot"
    assert TYPE_LABELS[OrderType.SPECIAL_LIMIT] == "Special limit"


def test_the_combo_offers_what_the_stock_and_the_venue_both_accept(qtbot: QtBot, aloop: object) -> None:
    venue = _venue(tuple(t for t in HK_TYPES if t is not OrderType.SPECIAL_LIMIT))
    with stock_session(qtbot, venue=venue) as (session, _broker, _notices):
        dock = _dock(qtbot)
        dock.bind(session)
        combo = dock.form.widgets.type_combo
        offered = [combo.itemText(i) for i in range(combo.count())]
        assert offered == ["Limit", "Enhanced limit", "Market", "At-auction", "At-auction limit", "Odd lot"]
        dock.bind(None)


def test_the_price_shows_only_for_types_that_take_one(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot, venue=_venue()) as (session, _broker, _notices):
        dock = _dock(qtbot)
        dock.bind(session)
        form = dock.form
        for order_type in HK_TYPES:
            _choose(form, order_type)
            assert _price_shown(form) is order_type.takes_price, order_type
            tifs = [form.widgets.tif_combo.itemData(i) for i in range(form.widgets.tif_combo.count())]
            assert tifs[0] == TimeInForce.DAY.value and form.time_in_force() is TimeInForce.DAY
        dock.bind(None)


def test_an_at_auction_order_is_sized_in_lots_and_sent_without_a_price(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot, venue=_venue()) as (session, _broker, _notices):
        dock = _dock(qtbot)
        dock.bind(session)
        form = dock.form
        _choose(form, OrderType.AT_AUCTION)
        _type(form.widgets.price.edit, "181.00")  # hidden: not part of the order
        _type(form.widgets.quantity.edit, "150")
        assert any("not a multiple of the step 100" in p.message for p in form.draft.problems)
        assert not form.widgets.submit.isEnabled()
        _type(form.widgets.quantity.edit, "200")
        request = form.draft.request
        assert request is not None and request.price is None and request.type is OrderType.AT_AUCTION
        assert form.widgets.submit.text() == "Buy 200 AAPL at auction"
        dock.bind(None)


def test_an_odd_lot_takes_a_price_and_fewer_shares_than_a_lot(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot, venue=_venue()) as (session, _broker, _notices):
        dock = _dock(qtbot)
        dock.bind(session)
        form = dock.form
        _choose(form, OrderType.ODD_LOT)
        _type(form.widgets.price.edit, "181.00")
        _type(form.widgets.quantity.edit, "100")
        messages = [p.message for p in form.draft.problems]
        assert any("fewer shares than one board lot of 100" in m for m in messages), messages
        assert not form.widgets.submit.isEnabled()
        _type(form.widgets.quantity.edit, "37")
        assert form.draft.problems == ()
        assert form.widgets.submit.text() == "Buy 37 AAPL at 181.00 (odd lot)"
        dock.bind(None)


def test_a_ladder_click_turns_an_at_auction_ticket_into_a_limit_one(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot, venue=_venue()) as (session, _broker, _notices):
        dock = _dock(qtbot)
        dock.bind(session)
        form = dock.form
        _choose(form, OrderType.AT_AUCTION)
        assert not _price_shown(form)
        form.set_price_and_side(Side.SELL, D("182.50"))
        assert form.order_type() is OrderType.LIMIT and _price_shown(form)
        assert form.widgets.price.edit.text() == "182.50"
        _choose(form, OrderType.ENHANCED_LIMIT)
        form.set_price_and_side(Side.BUY, D("182.40"))
        assert form.order_type() is OrderType.ENHANCED_LIMIT  # a priced type keeps its type
        dock.bind(None)
