"""Changing a working order's price or quantity (OrderManager.replace) on an in-memory stock broker:
refused in words with nothing sent, journaled, marked while in flight, and never left unknown."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderStatus
from terminal.domain.risk import RiskAction, RiskLimit, RiskLimits
from terminal.session import order_manager
from terminal.session.order_gate import NeedsConfirmation, TicketError
from terminal.venues.base import PositionEvent
from terminal.venues.errors import InvalidRequest, OrderRejected, UnknownOutcome
from tests.session.stock_session import place_limit, stock_session
from tests.session.stock_venue import HOLDINGS, StockVenue
from tests.support.qt import run, wait

D = Decimal


@pytest.fixture(autouse=True)
def _quick_reconciliation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(order_manager, "RECONCILE_DELAYS", (0.01, 0.02))


def _replaces(venue: StockVenue) -> list[object]:
    return [args for name, args in venue.calls if name == "replace"]


def test_a_new_price_and_quantity_reach_the_venue_and_the_store(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, notices):
        order = place_limit(qtbot, session)
        changed = run(qtbot, session.manager.replace(order.client_order_id, price=D("181.50"), quantity=D(3)))
        assert (changed.price, changed.quantity) == (D("181.50"), D(3))
        stored = session.orders.get(order.client_order_id)
        assert stored is not None and (stored.price, stored.quantity, stored.status) == (
            D("181.50"),
            D(3),
            OrderStatus.NEW,
        )
        assert _replaces(venue) == [(order.client_order_id, D(3), D("181.50"))]
        assert order.client_order_id not in session.orders.replacing
        assert any(n.text.startswith("Changed: buy 3 AAPL at 181.50") for n in notices)


@pytest.mark.parametrize(
    ("price", "quantity", "words"),
    [
        ("180.00", None, "nothing changes"),
        (None, "2", "nothing changes"),
        ("180.005", None, "tick"),
        (None, "0", "quantity"),
        ("999999.00", None, "free"),  # more than the account can pay, counting what the order holds
    ],
)
def test_an_invalid_change_is_refused_in_words_and_nothing_is_sent(
    qtbot: QtBot, aloop: object, price: str | None, quantity: str | None, words: str
) -> None:
    with stock_session(qtbot) as (session, venue, notices):
        order = place_limit(qtbot, session)
        new_price, new_qty = (D(price) if price else None), (D(quantity) if quantity else None)
        assert session.manager.check_replace(order.client_order_id, price=new_price, quantity=new_qty)
        with pytest.raises(TicketError) as refused:
            run(qtbot, session.manager.replace(order.client_order_id, price=new_price, quantity=new_qty))
        assert words in refused.value.reason
        assert _replaces(venue) == []
        assert notices[-1].level == "warning" and "not changed" in notices[-1].text


def test_the_order_itself_counts_as_free_so_a_small_raise_passes(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, _venue, _notices):
        order = place_limit(qtbot, session, price="180.00", quantity="55")  # 9,900 of 10,000 USD
        assert session.manager.check_replace(order.client_order_id, price=D("181.00")) == []


def test_a_paused_session_or_an_ended_order_refuses(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, _notices):
        order = place_limit(qtbot, session)
        session.pause_trading("checking")
        with pytest.raises(TicketError, match="paused"):
            run(qtbot, session.manager.replace(order.client_order_id, price=D("181.00")))
        session.resume_trading("checking")
        run(qtbot, session.manager.cancel(order.client_order_id))
        with pytest.raises(TicketError, match="not working"):
            run(qtbot, session.manager.replace(order.client_order_id, price=D("181.00")))
        assert _replaces(venue) == []


def test_a_risk_limit_blocks_or_asks_for_the_new_values(qtbot: QtBot, aloop: object) -> None:
    limits = RiskLimits(max_order_notional=D(1000), actions={RiskLimit.NOTIONAL: RiskAction.CONFIRM})
    with stock_session(qtbot, limits) as (session, venue, _notices):
        order = place_limit(qtbot, session, quantity="2")
        with pytest.raises(NeedsConfirmation) as held:
            run(qtbot, session.manager.replace(order.client_order_id, quantity=D(10)))
        assert _replaces(venue) == []
        changed = run(qtbot, session.manager.replace(order.client_order_id, quantity=D(10), confirmed=held.value.keys))
        assert changed.quantity == D(10)


def test_a_refusal_leaves_the_order_as_it_was_with_a_notice(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, notices):
        order = place_limit(qtbot, session)
        venue.fail_next["replace"] = OrderRejected("417", "the order cannot be modified now")
        venue.apply_lost_replace = False
        after = run(qtbot, session.manager.replace(order.client_order_id, price=D("181.00")))
        assert after.price == D("180.00") and after.status is OrderStatus.NEW
        assert order.client_order_id not in session.orders.replacing
        assert notices[-1].level == "error" and "cannot be modified now" in notices[-1].text


def test_a_lost_answer_is_settled_by_querying_and_the_mark_shows_meanwhile(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, notices):
        order = place_limit(qtbot, session)
        cid = order.client_order_id
        venue.fail_next["replace"] = UnknownOutcome("", "timeout")
        venue.fail_next["query"] = InvalidRequest("", "busy")  # the first query fails too: asked again
        run(qtbot, session.manager.replace(cid, price=D("181.00")))
        assert cid in session.orders.replacing
        wait(qtbot, lambda: cid not in session.orders.replacing, timeout=5)
        stored = session.orders.get(cid)
        assert stored is not None and stored.price == D("181.00")
        assert len(_replaces(venue)) == 1  # never re-sent
        assert any("stands as buy 2 AAPL at 181.00" in n.text for n in notices)


def test_a_venue_without_amendments_refuses(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, _notices):
        order = place_limit(qtbot, session)
        venue.capabilities = dataclasses.replace(venue.capabilities, amend_orders=False)
        with pytest.raises(TicketError, match="cannot change an order in place"):
            run(qtbot, session.manager.replace(order.client_order_id, price=D("181.00")))


def test_positions_replace_all_and_signal_once_per_frame(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, _venue, _notices):
        wait(qtbot, lambda: set(session.account.positions) == {"AAPL", "MSFT"})
        with qtbot.waitSignal(session.account.positions_changed, timeout=2000):
            session._on_event(PositionEvent(HOLDINGS[:1]))
            session._on_event(PositionEvent(HOLDINGS[:1]))
        assert set(session.account.positions) == {"AAPL"}


def test_an_amendment_takes_the_venues_price_and_quantity_and_merges_its_report() -> None:
    from terminal.domain.enums import OrderType, Side
    from terminal.domain.order_state import TransitionError, apply_amendment
    from terminal.domain.orders import Order

    order = Order("AAPL", Side.BUY, OrderType.LIMIT, "c1", D(2), D("180"), venue_status=OrderStatus.NEW, updated_ms=5)
    answer = dataclasses.replace(
        order, price=D("181"), quantity=D(3), venue_status=OrderStatus.PARTIALLY_FILLED, executed_qty=D(1)
    )
    changed = apply_amendment(order, answer)
    assert (changed.price, changed.quantity, changed.status, changed.executed_qty) == (
        D("181"),
        D(3),
        OrderStatus.PARTIALLY_FILLED,
        D(1),
    )
    silent = dataclasses.replace(answer, price=None, quantity=D(0))  # a venue that leaves them out
    assert (apply_amendment(order, silent).price, apply_amendment(order, silent).quantity) == (D("180"), D(2))
    with pytest.raises(TransitionError):
        apply_amendment(order, dataclasses.replace(answer, client_order_id="c2"))
