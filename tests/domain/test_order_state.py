"""The order state machine (terminal/domain/order_state.py and the Order model of orders.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.decimals import ZERO, div
from terminal.domain.enums import OrderStatus, OrderType, Side, StpMode, TimeInForce
from terminal.domain.order_state import (
    VENUE_RANK,
    TransitionError,
    apply_update,
    cancel_failed,
    mark_missing,
    mark_rejected,
    mark_unknown,
    new_order,
    request_cancel,
)
from terminal.domain.orders import Fill, Order, OrderRequest, OrderUpdate

D = Decimal
CID = "cid-1"
S = OrderStatus


def request(quantity: str | None = "1", price: str | None = "100", amount: str | None = None) -> OrderRequest:
    return OrderRequest(
        symbol="BTCUSDT",
        side=Side.BUY,
        type=OrderType.LIMIT if price is not None else OrderType.MARKET,
        quantity=None if quantity is None else D(quantity),
        price=None if price is None else D(price),
        amount=None if amount is None else D(amount),
    )


def update(
    status: OrderStatus,
    executed: str = "0",
    quote: str = "0",
    avg: str | None = None,
    ms: int = 0,
    order_id: str | None = "42",
    reason: str = "",
) -> OrderUpdate:
    return OrderUpdate(
        client_order_id=CID,
        status=status,
        executed_qty=D(executed),
        cumulative_quote_qty=D(quote),
        order_id=order_id,
        avg_price=None if avg is None else D(avg),
        update_ms=ms,
        cancel_reason=reason,
    )


def submitted() -> Order:
    return new_order(request(), CID, now_ms=1_000)


def acknowledged() -> Order:
    return apply_update(submitted(), update(S.NEW, ms=1_001))


def apply_all(order: Order, updates: list[OrderUpdate]) -> Order:
    for item in updates:
        order = apply_update(order, item)
    return order


# --- new_order -----------------------------------------------------------------------------


def test_new_order_is_submitting() -> None:
    order = submitted()
    assert order.status is S.SUBMITTING
    assert order.venue_status is None
    assert order.client_order_id == CID
    assert order.symbol == "BTCUSDT"
    assert order.side is Side.BUY
    assert order.type is OrderType.LIMIT
    assert order.quantity == D(1)
    assert order.price == D(100)
    assert order.amount == ZERO
    assert order.time_in_force is TimeInForce.GTC
    assert order.created_ms == order.updated_ms == 1_000
    assert order.executed_qty == ZERO
    assert not order.cancel_pending


def test_new_order_keeps_the_requested_time_in_force_and_stp() -> None:
    order = new_order(replace(request(), time_in_force=TimeInForce.FOK, stp_mode=StpMode.EXPIRE_MAKER), CID, 5)
    assert order.time_in_force is TimeInForce.FOK
    assert order.stp_mode is StpMode.EXPIRE_MAKER


def test_new_market_order_by_amount() -> None:
    order = new_order(request(quantity=None, price=None, amount="250"), CID, 5)
    assert order.type is OrderType.MARKET
    assert order.time_in_force is TimeInForce.IOC
    assert order.quantity == ZERO
    assert order.amount == D(250)
    assert order.price is None


# --- apply_update --------------------------------------------------------------------------


def test_updates_move_the_order_forward() -> None:
    order = submitted()
    order = apply_update(order, update(S.PENDING_NEW, ms=1_001))
    assert order.status is S.PENDING_NEW
    order = apply_update(order, update(S.NEW, ms=1_002))
    assert order.status is S.NEW
    assert order.order_id == "42"
    order = apply_update(order, update(S.PARTIALLY_FILLED, "0.4", "40", "100", ms=1_003))
    assert order.status is S.PARTIALLY_FILLED
    assert order.executed_qty == D("0.4")
    assert order.cumulative_quote_qty == D("40")
    order = apply_update(order, update(S.FILLED, "1", "100.5", "100.5", ms=1_004))
    assert order.status is S.FILLED
    assert order.executed_qty == D(1)
    assert order.updated_ms == 1_004
    assert order.status.is_terminal


def test_a_late_new_after_filled_changes_nothing() -> None:
    filled = apply_update(acknowledged(), update(S.FILLED, "1", "100", "100", ms=2_000))
    assert apply_update(filled, update(S.NEW, ms=1_500)) == filled
    assert apply_update(filled, update(S.PARTIALLY_FILLED, "0.5", "50", "100", ms=1_800)) == filled


def test_a_duplicated_update_changes_nothing() -> None:
    fill = update(S.PARTIALLY_FILLED, "0.5", "50", "100", ms=1_500)
    once = apply_update(acknowledged(), fill)
    assert apply_update(once, fill) == once


def test_executed_quantity_never_decreases() -> None:
    order = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.7", "70", ms=1_500))
    order = apply_update(order, update(S.PARTIALLY_FILLED, "0.3", "30", ms=1_400))
    assert order.executed_qty == D("0.7")
    assert order.cumulative_quote_qty == D("70")
    assert order.updated_ms == 1_500


def test_terminal_statuses_outrank_working_ones() -> None:
    for ending in (S.CANCELED, S.PARTIALLY_CANCELED, S.FILLED, S.REJECTED):
        for working in (S.PENDING_NEW, S.NEW, S.PARTIALLY_FILLED):
            assert VENUE_RANK[ending] > VENUE_RANK[working]
    assert set(VENUE_RANK) == {status for status in OrderStatus if not status.is_local}


def test_an_update_for_another_order_is_refused() -> None:
    other = replace(update(S.NEW), client_order_id="someone-else")
    with pytest.raises(TransitionError, match="someone-else"):
        apply_update(submitted(), other)


@pytest.mark.parametrize("status", [S.SUBMITTING, S.UNKNOWN, S.CANCEL_REQUESTED])
def test_the_venue_never_reports_a_local_status(status: OrderStatus) -> None:
    with pytest.raises(ValueError, match="local status"):
        update(status)


def test_the_order_id_is_kept_once_known() -> None:
    order = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.1", "10", order_id=None))
    assert order.order_id == "42"
    order = apply_update(order, update(S.PARTIALLY_FILLED, "0.2", "20", order_id=""))
    assert order.order_id == "42"


def test_cancel_reason_is_kept() -> None:
    order = apply_update(acknowledged(), update(S.CANCELED, reason="USER_CANCELED"))
    assert order.cancel_reason == "USER_CANCELED"
    assert apply_update(order, update(S.CANCELED)).cancel_reason == "USER_CANCELED"


def test_average_price_follows_the_largest_execution() -> None:
    order = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.5", "50", "100"))
    assert order.average_price == D(100)
    # A later fill that carries no average (or "0") must not leave the first fill's average behind.
    order = apply_update(order, update(S.PARTIALLY_FILLED, "1", "110", None))
    assert order.average_price == D(110)
    order = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.5", "50", "100"))
    order = apply_update(order, update(S.FILLED, "1", "110", "0"))
    assert order.average_price == D(110)


def test_average_price_is_independent_of_arrival_order() -> None:
    early = update(S.PARTIALLY_FILLED, "0.5", "50", "100")
    late = update(S.FILLED, "1", "110")
    assert apply_all(acknowledged(), [early, late]) == apply_all(acknowledged(), [late, early])


def test_average_price() -> None:
    assert acknowledged().average_price == ZERO
    reported = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.5", "50.25", "100.49"))
    assert reported.average_price == D("100.49")
    derived = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.3", "30.1"))
    assert derived.average_price == div(D("30.1"), D("0.3"))
    assert str(derived.average_price).startswith("100.3333333333")


# --- local transitions ---------------------------------------------------------------------


def test_mark_unknown_before_the_venue_spoke() -> None:
    order = mark_unknown(submitted(), "timeout")
    assert order.status is S.UNKNOWN
    assert order.reject_reason == "timeout"
    assert order.status.is_working


def test_mark_unknown_after_a_venue_report_changes_nothing() -> None:
    order = acknowledged()
    assert mark_unknown(order, "timeout") == order


def test_mark_unknown_after_a_rejection_is_refused() -> None:
    with pytest.raises(TransitionError, match="rejected"):
        mark_unknown(mark_rejected(submitted(), "insufficient balance"), "timeout")


def test_mark_rejected_before_the_venue_spoke() -> None:
    for start in (submitted(), mark_unknown(submitted(), "timeout")):
        order = mark_rejected(start, "0401 Insufficient asset")
        assert order.status is S.REJECTED
        assert order.status.is_terminal
        assert order.reject_reason == "0401 Insufficient asset"
        assert order.remaining_qty == ZERO


def test_mark_rejected_after_a_venue_report_changes_nothing() -> None:
    order = acknowledged()
    assert mark_rejected(order, "late guess") == order


def test_a_later_venue_report_wins_over_a_local_rejection() -> None:
    rejected = mark_rejected(mark_unknown(submitted(), "timeout"), "not found on query")
    order = apply_update(rejected, update(S.NEW))
    assert order.status is S.NEW
    order = apply_update(order, update(S.PARTIALLY_FILLED, "0.2", "20"))
    assert order.status is S.PARTIALLY_FILLED
    assert order.remaining_qty == D("0.8")


def test_mark_missing_of_an_acknowledged_order_ends_it_without_claiming_how() -> None:
    order = mark_missing(request_cancel(acknowledged()), "the venue has no such order")
    assert order.status is S.MISSING
    assert order.status.is_terminal and not order.status.is_working
    assert order.remaining_qty == ZERO
    assert not order.cancel_pending
    assert order.reject_reason == "the venue has no such order"


def test_mark_missing_before_an_acknowledgement_is_a_rejection() -> None:
    order = mark_missing(mark_unknown(submitted(), "timeout"), "never arrived")
    assert order.status is S.REJECTED
    assert order.reject_reason == "never arrived"


def test_mark_missing_keeps_a_known_ending() -> None:
    filled = apply_update(acknowledged(), update(S.FILLED, "1", "100"))
    assert mark_missing(filled, "forgotten") == filled


def test_any_report_undoes_missing() -> None:
    missing = mark_missing(acknowledged(), "not found")
    order = apply_update(missing, update(S.PARTIALLY_FILLED, "0.5", "50"))
    assert order.status is S.PARTIALLY_FILLED
    assert order.reject_reason == ""
    assert apply_update(missing, update(S.NEW)).status is S.NEW


def test_request_cancel_then_terminal_update_clears_it() -> None:
    order = request_cancel(acknowledged())
    assert order.status is S.CANCEL_REQUESTED
    assert order.cancel_pending
    assert order.venue_status is S.NEW
    # A fill while the cancel is in flight: still cancel-requested, with the fill counted.
    order = apply_update(order, update(S.PARTIALLY_FILLED, "0.3", "30"))
    assert order.status is S.CANCEL_REQUESTED
    assert order.executed_qty == D("0.3")
    order = apply_update(order, update(S.PARTIALLY_CANCELED, "0.3", "30", reason="USER_CANCEL"))
    assert order.status is S.PARTIALLY_CANCELED
    assert not order.cancel_pending
    assert order.remaining_qty == ZERO


def test_a_fill_wins_the_race_against_a_cancel() -> None:
    order = apply_update(request_cancel(acknowledged()), update(S.FILLED, "1", "100"))
    assert order.status is S.FILLED
    assert not order.cancel_pending


def test_cancel_failed_reverts_to_the_venue_status() -> None:
    order = cancel_failed(request_cancel(acknowledged()))
    assert order.status is S.NEW
    assert not order.cancel_pending
    partial = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.5", "50"))
    assert cancel_failed(request_cancel(partial)).status is S.PARTIALLY_FILLED


def test_request_cancel_is_idempotent() -> None:
    once = request_cancel(acknowledged())
    assert request_cancel(once) == once


def test_request_cancel_before_acknowledgement_is_refused() -> None:
    with pytest.raises(TransitionError, match="not acknowledged"):
        request_cancel(submitted())


@pytest.mark.parametrize("ending", [S.FILLED, S.CANCELED, S.PARTIALLY_CANCELED, S.REJECTED])
def test_request_cancel_of_a_finished_order_is_refused(ending: OrderStatus) -> None:
    with pytest.raises(TransitionError, match="already"):
        request_cancel(apply_update(acknowledged(), update(ending)))
    with pytest.raises(TransitionError, match="already"):
        request_cancel(mark_rejected(submitted(), "no"))


def test_request_cancel_of_an_unknown_order_is_allowed() -> None:
    # Reconciliation may cancel by client order id an order whose creation is uncertain.
    order = request_cancel(mark_unknown(submitted(), "timeout"))
    assert order.cancel_pending
    assert order.status is S.UNKNOWN


# --- remaining_qty -------------------------------------------------------------------------


def test_remaining_quantity() -> None:
    assert submitted().remaining_qty == D(1)
    assert apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "0.25", "25")).remaining_qty == D("0.75")
    assert apply_update(acknowledged(), update(S.CANCELED)).remaining_qty == ZERO
    assert apply_update(acknowledged(), update(S.FILLED, "1", "100")).remaining_qty == ZERO
    assert request_cancel(acknowledged()).remaining_qty == D(1)


def test_remaining_quantity_of_an_order_by_amount_is_zero() -> None:
    order = new_order(request(quantity=None, price=None, amount="250"), CID, 5)
    assert order.remaining_qty == ZERO


def test_remaining_quantity_never_negative() -> None:
    over = apply_update(acknowledged(), update(S.PARTIALLY_FILLED, "1.5", "150"))
    assert over.remaining_qty == ZERO


def test_fill_notional() -> None:
    fill = Fill("t1", "42", CID, "BTCUSDT", Side.BUY, D("100.01"), D("0.3"), D("0.0003"), "BTC", 1, is_maker=False)
    assert fill.notional == D("30.003")


# --- property: any permutation with duplicates gives the in-order result --------------------


Lifecycle = tuple[Order, list[OrderUpdate]]


@st.composite
def lifecycles(draw: st.DrawFn) -> Lifecycle:
    """An order just sent, and the venue's reports about it in the order they happened."""
    quantity = D(draw(st.integers(1, 1_000))) / 100
    start = new_order(request(quantity=str(quantity)), CID, now_ms=1_000)
    events: list[OrderUpdate] = []
    ms = 1_000
    order_id = str(draw(st.integers(1, 10**18)))

    def report(status: OrderStatus, executed: Decimal, quote: Decimal, avg: Decimal | None, reason: str = "") -> None:
        nonlocal ms
        ms += draw(st.integers(0, 50))  # two reports may share a millisecond
        events.append(
            OrderUpdate(
                client_order_id=CID,
                status=status,
                executed_qty=executed,
                cumulative_quote_qty=quote,
                order_id=draw(st.sampled_from([order_id, order_id, None])),
                avg_price=avg,
                update_ms=ms,
                cancel_reason=reason,
            )
        )

    if draw(st.booleans()):
        report(S.PENDING_NEW, ZERO, ZERO, None)
    if draw(st.integers(0, 9)) == 0:
        report(S.REJECTED, ZERO, ZERO, None, "REJECTED_BY_RISK")
        return start, events
    report(S.NEW, ZERO, ZERO, draw(st.sampled_from([None, ZERO])))

    executed, quote = ZERO, ZERO
    fills = draw(st.lists(st.integers(1, 100), max_size=6))
    for size in fills:
        step = min(quantity - executed, quantity * size / 1000)
        if step <= 0:
            break
        executed += step
        quote += step * D(draw(st.integers(9_000, 11_000))) / 100
        if executed == quantity:
            break
        avg = draw(st.sampled_from([None, ZERO, quote / executed]))
        report(S.PARTIALLY_FILLED, executed, quote, avg)

    ending = draw(st.sampled_from(["FILLED", "CANCELED", "NONE"]))
    if ending == "FILLED" or executed == quantity:
        last = quantity - executed
        quote += last * D(draw(st.integers(9_000, 11_000))) / 100
        report(S.FILLED, quantity, quote, draw(st.sampled_from([None, quote / quantity])))
    elif ending == "CANCELED":
        status = S.PARTIALLY_CANCELED if executed > 0 else S.CANCELED
        report(status, executed, quote, None, draw(st.sampled_from(["", "USER_CANCEL"])))
    return start, events


@st.composite
def shuffled_with_duplicates(draw: st.DrawFn) -> tuple[Order, list[OrderUpdate], list[OrderUpdate]]:
    start, events = draw(lifecycles())
    extra = draw(st.lists(st.sampled_from(events), max_size=8))
    return start, events, draw(st.permutations(events + extra))


@settings(max_examples=400, deadline=None)
@given(shuffled_with_duplicates(), st.booleans())
def test_any_arrival_order_gives_the_in_order_result(
    case: tuple[Order, list[OrderUpdate], list[OrderUpdate]], cancel_first: bool
) -> None:
    start, in_order, arrived = case
    if cancel_first and not in_order[0].status.is_terminal:
        # A cancel in flight from the first acknowledgement on: the merge must not depend on it either.
        start = request_cancel(apply_update(start, in_order[0]))
    expected = apply_all(start, in_order)

    order = start
    for item in arrived:
        before = order
        order = apply_update(order, item)
        assert order.venue_status is not None
        assert before.venue_status is None or VENUE_RANK[order.venue_status] >= VENUE_RANK[before.venue_status]
        assert order.executed_qty >= before.executed_qty
        assert order.cumulative_quote_qty >= before.cumulative_quote_qty
        assert order.updated_ms >= before.updated_ms
    assert order == expected
    assert order.status == expected.status
    assert order.average_price == expected.average_price


@settings(max_examples=200, deadline=None)
@given(lifecycles())
def test_the_in_order_result_is_the_last_report(case: Lifecycle) -> None:
    start, events = case
    order = apply_all(start, events)
    last = events[-1]
    assert order.venue_status is last.status
    assert order.status is last.status
    assert order.executed_qty == last.executed_qty
    assert order.cumulative_quote_qty == last.cumulative_quote_qty
    assert order.updated_ms == max(start.updated_ms, last.update_ms)
    if last.status is S.FILLED:
        assert order.executed_qty == order.quantity
    assert order.remaining_qty == (order.quantity - order.executed_qty if order.status.is_working else ZERO)
    # The average of the reports that executed the most; derived from the quote when none carries one.
    averages = [e.avg_price for e in events if e.executed_qty == last.executed_qty and e.avg_price]
    if averages:
        assert order.average_price == max(averages)
    elif order.executed_qty > 0:
        assert order.average_price == div(last.cumulative_quote_qty, last.executed_qty)
    else:
        assert order.average_price == ZERO


@settings(max_examples=200, deadline=None)
@given(shuffled_with_duplicates())
def test_applying_everything_twice_changes_nothing(case: tuple[Order, list[OrderUpdate], list[OrderUpdate]]) -> None:
    start, _, arrived = case
    once = apply_all(start, arrived)
    assert apply_all(once, arrived) == once
    assert apply_all(once, list(reversed(arrived))) == once
