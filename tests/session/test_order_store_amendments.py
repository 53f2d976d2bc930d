"""A working order changed in place at the venue (another app) takes its new price and quantity in
the store, where the venue amends orders; never while the terminal's own change is in flight, and
never for an order that has ended (terminal/session/order_store.py)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.order_state import report_of
from terminal.domain.orders import Order
from terminal.session.order_store import OrderStore
from terminal.venues.base import OrderEvent

D = Decimal
WORKING = Order("AAPL", Side.BUY, OrderType.LIMIT, "c1", D(2), D("150"), venue_status=OrderStatus.NEW, updated_ms=5)


def _event(order: Order) -> OrderEvent:
    return OrderEvent(report_of(order), order)


def _store(qtbot: QtBot) -> OrderStore:
    store = OrderStore()
    store.put(WORKING)
    return store


def test_new_terms_reported_for_a_working_order_are_taken(qtbot: QtBot) -> None:
    store = _store(qtbot)
    elsewhere = dataclasses.replace(WORKING, price=D("149.5"), quantity=D(5), updated_ms=9)
    merged = store.apply(_event(elsewhere), amendable=True)
    assert (merged.price, merged.quantity, merged.status) == (D("149.5"), D(5), OrderStatus.NEW)


def test_a_venue_that_cannot_amend_keeps_the_terms_the_terminal_sent(qtbot: QtBot) -> None:
    store = _store(qtbot)
    merged = store.apply(_event(dataclasses.replace(WORKING, price=D("149.5"))), amendable=False)
    assert merged.price == D("150")


def test_a_report_during_the_terminals_own_change_does_not_undo_it(qtbot: QtBot) -> None:
    store = _store(qtbot)
    store.mark_replacing("c1", True)
    merged = store.apply(_event(dataclasses.replace(WORKING, price=D("149.5"))), amendable=True)
    assert merged.price == D("150")


def test_an_ended_order_keeps_its_terms(qtbot: QtBot) -> None:
    store = _store(qtbot)
    cancelled = dataclasses.replace(WORKING, price=D("149.5"), venue_status=OrderStatus.CANCELED, updated_ms=9)
    merged = store.apply(_event(cancelled), amendable=True)
    assert (merged.price, merged.status) == (D("150"), OrderStatus.CANCELED)
