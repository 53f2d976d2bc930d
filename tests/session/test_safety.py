"""Trading safety end to end against the demo exchange (a separate process) and its fault injection:
unknown outcomes settle once, dropped sockets lose nothing, a 429 storm provokes no 418, a skewed
clock resynchronizes, the journal holds every intent before it leaves and brings back the last
session's unfinished orders before trading is enabled, risk limits block or ask, the kill switch
and the cancel-on-disconnect option cancel everything."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.order_state import new_order
from terminal.domain.orders import OrderRequest
from terminal.domain.risk import RiskAction, RiskLimit, RiskLimits
from terminal.session.order_gate import NeedsConfirmation, TicketError
from terminal.session.order_manager import Notice
from terminal.session.recovery import NOT_FOUND_GRACE_MS
from terminal.session.session import RECOVERING, Session
from terminal.storage.journal import EntryKind, Journal
from terminal.venues.hashkey.venue import HashKeyVenue
from tests.session.safety_support import (
    close_session,
    differences,
    far_bid,
    fault,
    open_ids,
    open_session,
    ready,
    state,
)
from tests.support.demo_process import demo_process
from tests.support.qt import run, wait

D = Decimal


@pytest.fixture(scope="module")
def demo() -> Iterator[Endpoints]:
    with demo_process("--symbols", "BTCUSDT,ETHUSDT") as endpoints:
        yield endpoints


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def session(qtbot: QtBot, aloop: object, demo: Endpoints, journal_file: Path) -> Iterator[Session]:
    session, clock = open_session(qtbot, demo, journal_file)
    ready(qtbot, session, "BTCUSDT", "ETHUSDT")
    yield session
    run(qtbot, session.manager.cancel_all(), timeout=30)
    close_session(qtbot, session, clock)


def _resting(session: Session, symbol: str = "BTCUSDT", factor: str = "0.95", qty: str = "0.001") -> OrderRequest:
    return OrderRequest(symbol, Side.BUY, OrderType.LIMIT, D(qty), far_bid(session, symbol, factor))


# ---- unknown outcomes ------------------------------------------------------------------------


def test_a_timeout_that_executed_the_order_settles_to_exactly_one_order(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    fault(demo, "/_demo/fail-orders", {"count": 1, "status": "timeout", "execute": True})
    order = run(qtbot, session.manager.place(_resting(session)), timeout=30)
    # UNKNOWN, unless the account stream reported the order while its request hung.
    assert order.status in (OrderStatus.UNKNOWN, OrderStatus.NEW)
    wait(qtbot, lambda: session.orders.orders[order.client_order_id].status is OrderStatus.NEW, timeout=30)
    assert open_ids(demo).count(order.client_order_id) == 1  # placed once, never re-sent
    assert [o.client_order_id for o in session.orders.working()].count(order.client_order_id) == 1
    kinds = [e.kind for e in session.journal.entries(client_order_id=order.client_order_id)] if session.journal else []
    assert kinds[:2] == [EntryKind.ACTION, EntryKind.REQUEST]
    assert EntryKind.RESPONSE in kinds and EntryKind.EVENT in kinds


def test_a_timeout_that_did_not_execute_ends_rejected_with_nothing_at_the_venue(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    fault(demo, "/_demo/fail-orders", {"count": 1, "status": "timeout", "execute": False})
    order = run(qtbot, session.manager.place(_resting(session)), timeout=30)
    assert order.status is OrderStatus.UNKNOWN
    wait(qtbot, lambda: session.orders.orders[order.client_order_id].status is OrderStatus.REJECTED, timeout=40)
    assert "never placed" in session.orders.orders[order.client_order_id].reject_reason
    assert order.client_order_id not in open_ids(demo)


# ---- the journal -----------------------------------------------------------------------------


def test_the_intent_is_in_the_journal_before_the_request_leaves(
    qtbot: QtBot, session: Session, demo: Endpoints, journal_file: Path
) -> None:
    assert isinstance(session.venue, HashKeyVenue)
    session.venue.transport.limiter.pause("order", 1.0)  # the request waits in the client's queue
    placing = asyncio.ensure_future(session.manager.place(_resting(session)))
    wait(qtbot, lambda: any(o.status is OrderStatus.SUBMITTING for o in session.orders.orders.values()))
    (cid,) = [c for c, o in session.orders.orders.items() if o.status is OrderStatus.SUBMITTING]
    with Journal(journal_file, "Demo") as reader:  # another connection: what a crash would leave
        assert [o.client_order_id for o in reader.unfinished_orders()] == [cid]
    assert cid not in open_ids(demo)
    wait(qtbot, placing.done)
    assert placing.result().status is OrderStatus.NEW
    wait(qtbot, lambda: session.journal is not None and session.journal.orders()[-1].status is OrderStatus.NEW)


def test_the_last_sessions_unfinished_orders_are_settled_before_trading(
    qtbot: QtBot, aloop: object, demo: Endpoints, journal_file: Path
) -> None:
    first, clock = open_session(qtbot, demo, journal_file)
    ready(qtbot, first, "BTCUSDT")
    resting = run(qtbot, first.manager.place(_resting(first)))
    close_session(qtbot, first, clock)  # the order stays open at the venue

    # A crash of the last session right after an intent was written: the request never left.
    def never_sent_request() -> OrderRequest:
        return OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.001"), D("1000"))

    never_sent = new_order(never_sent_request(), "ttlostintent1", 1)
    with Journal(journal_file, "Demo") as journal:
        journal.record_intent(never_sent, "ticket")
        unfinished = {o.client_order_id for o in journal.unfinished_orders()}
    assert unfinished == {resting.client_order_id, "ttlostintent1"}
    assert NOT_FOUND_GRACE_MS < 10_000

    second, clock = open_session(qtbot, demo, journal_file)
    try:
        assert second.manager.blocked in ("", RECOVERING)
        if second.manager.blocked:
            with pytest.raises(TicketError, match="Trading is paused"):
                run(qtbot, second.manager.place(never_sent_request()))
        wait(qtbot, lambda: second.manager.blocked == "", timeout=30)
        shown = second.orders.get(resting.client_order_id)
        assert shown is not None and shown.status is OrderStatus.NEW  # still open: in the orders dock
        lost = second.orders.get("ttlostintent1")
        assert lost is not None and lost.status is OrderStatus.REJECTED
        assert second.journal is not None
        assert {o.client_order_id for o in second.journal.unfinished_orders()} == {resting.client_order_id}
        run(qtbot, second.manager.cancel(resting.client_order_id))
    finally:
        close_session(qtbot, second, clock)


# ---- dropped sockets, 429 storms, skewed clocks -------------------------------------------------


def test_all_sockets_dropped_while_orders_fill_loses_nothing(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    book = session.market.books["ETHUSDT"]
    assert book.best_ask is not None and book.best_bid is not None
    instrument = session.venue.instruments["ETHUSDT"]
    for step in range(6):
        if step % 2 == 0:
            fault(demo, "/_demo/drop-connections", {})
        request = OrderRequest("ETHUSDT", Side.BUY, OrderType.MARKET, amount=D(20 + step))
        run(qtbot, session.manager.place(request))
        price = (book.best_bid * D("0.98") - instrument.tick_size * step).quantize(instrument.tick_size)
        run(qtbot, session.manager.place(OrderRequest("ETHUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), price)))
    fault(demo, "/_demo/drop-connections", {})
    try:
        wait(qtbot, lambda: not differences(session, state(demo)), timeout=45)
    finally:
        problems = differences(session, state(demo))
        assert not problems, "\n".join(problems)
    assert session.orders.working()
    assert not [o for o in session.orders.orders.values() if o.status is OrderStatus.UNKNOWN]


def test_a_429_storm_during_rapid_entry_provokes_no_418(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    before = set(open_ids(demo))
    fault(demo, "/_demo/rate-limit", {"seconds": 2})
    placed = []
    for step in range(8):
        request = _resting(session, factor=str(D("0.95") - D("0.001") * step))
        placed.append(run(qtbot, session.manager.place(request, source="storm")))
    statuses = [o.status for o in placed]
    assert OrderStatus.REJECTED in statuses
    for order in placed:  # each clearly failed, or was sent
        current = session.orders.orders[order.client_order_id]
        assert current.status in (OrderStatus.NEW, OrderStatus.REJECTED)
        if current.status is OrderStatus.REJECTED:
            assert "Too many requests" in current.reject_reason
    assert not session.venue.status().banned
    wait(qtbot, lambda: session.venue.status().rate_limited_for == 0, timeout=90)
    later = run(qtbot, session.manager.place(_resting(session, factor="0.9")))
    assert later.status is OrderStatus.NEW  # the venue never escalated to a ban
    sent = [o.client_order_id for o in placed if session.orders.orders[o.client_order_id].status is OrderStatus.NEW]
    rows = sorted(state(demo)["openOrders"], key=lambda o: int(o["orderId"]))
    at_venue = [o["clientOrderId"] for o in rows if o["clientOrderId"] not in before]
    assert [cid for cid in at_venue if cid in sent] == sent  # in the order they were entered


def test_a_venue_clock_three_seconds_behind_is_resynchronized_and_trading_goes_on(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    """Our timestamps run ahead of the venue's: it refuses them (-1021) until the offset is re-measured."""
    assert isinstance(session.venue, HashKeyVenue)
    notices: list[Notice] = []
    session.notice.connect(notices.append)
    fault(demo, "/_demo/clock-skew", {"ms": -3000})
    try:
        first = run(qtbot, session.manager.place(_resting(session)))
        assert first.status is OrderStatus.REJECTED  # an order is never retried...
        assert "clock" in first.reject_reason
        assert first.client_order_id not in open_ids(demo)
        second = run(qtbot, session.manager.place(_resting(session, factor="0.94")))
        assert second.status is OrderStatus.NEW  # ...but the refusal resynchronized the clock
        offset = session.venue.status().clock_offset_ms
        assert offset is not None and abs(offset + 3000) < 500
        run(qtbot, session.venue.transport.sync_clock())
        fault(demo, "/_demo/clock-skew", {"ms": 3000})
        run(qtbot, session.venue.transport.sync_clock())
        fault(demo, "/_demo/clock-skew", {"ms": -3000})
        assert len(run(qtbot, session.venue.open_orders())) >= 1  # a read: refused, resynchronized, retried
        wait(qtbot, lambda: any("This computer's clock is 3.0 s" in n.text for n in notices), timeout=5)
    finally:
        fault(demo, "/_demo/clock-skew", {"ms": 0})
        run(qtbot, session.venue.transport.sync_clock())


def test_a_venue_clock_three_seconds_ahead_needs_no_retry(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    assert isinstance(session.venue, HashKeyVenue)
    fault(demo, "/_demo/clock-skew", {"ms": 3000})
    try:
        order = run(qtbot, session.manager.place(_resting(session)))
        assert order.status is OrderStatus.NEW  # within recvWindow: 004 accepts it as it is
        run(qtbot, session.venue.transport.sync_clock())
        offset = session.venue.status().clock_offset_ms
        assert offset is not None and abs(offset - 3000) < 500
    finally:
        fault(demo, "/_demo/clock-skew", {"ms": 0})
        run(qtbot, session.venue.transport.sync_clock())


# ---- risk limits, kill switch, cancel on disconnect ----------------------------------------------


def test_risk_limits_block_or_ask_and_pass_what_is_inside(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    session.set_limits(
        RiskLimits(
            max_order_notional=D(200),
            max_price_distance_pct=D(2),
            actions={RiskLimit.NOTIONAL: RiskAction.BLOCK, RiskLimit.DISTANCE: RiskAction.CONFIRM},
        )
    )
    before = set(open_ids(demo))
    with pytest.raises(TicketError, match="Blocked by your risk limits: Notional"):
        run(qtbot, session.manager.place(_resting(session, qty="0.01")))
    far = _resting(session, factor="0.9")
    with pytest.raises(NeedsConfirmation) as held:
        run(qtbot, session.manager.place(far))
    assert held.value.keys == {"max_price_distance_pct"}
    assert "from the mid" in held.value.concerns[0].text
    assert set(open_ids(demo)) == before  # nothing left for either
    confirmed = run(qtbot, session.manager.place(far, confirmed=held.value.keys))
    assert confirmed.status is OrderStatus.NEW
    inside = run(qtbot, session.manager.place(_resting(session, factor="0.99")))
    assert inside.status is OrderStatus.NEW


def test_the_kill_switch_cancels_everything_and_reports_per_symbol(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    for symbol in ("BTCUSDT", "ETHUSDT"):
        qty = "0.001" if symbol == "BTCUSDT" else "0.01"
        for factor in ("0.95", "0.94"):
            run(qtbot, session.manager.place(_resting(session, symbol, factor, qty)))
    assert len(open_ids(demo)) >= 4
    results = run(qtbot, session.kill_switch(), timeout=30)
    assert [(r.symbol, r.asked, r.still_open, r.ok) for r in results] == [
        ("BTCUSDT", 2, 0, True),
        ("ETHUSDT", 2, 0, True),
    ]
    assert open_ids(demo) == []
    wait(qtbot, lambda: not session.orders.working())


def test_cancel_on_disconnect_cancels_once_the_account_stream_is_down_long_enough(
    qtbot: QtBot, aloop: object, demo: Endpoints, journal_file: Path
) -> None:
    session, clock = open_session(qtbot, demo, journal_file, RiskLimits(cancel_on_disconnect_s=5))
    try:
        ready(qtbot, session, "BTCUSDT")
        wait(qtbot, lambda: session.status.streams["private"].state.value == "live")
        order = run(qtbot, session.manager.place(_resting(session)))
        notices: list[Notice] = []
        session.notice.connect(notices.append)
        fault(demo, "/_demo/refuse-streams", {"seconds": 12})
        wait(qtbot, lambda: order.client_order_id not in open_ids(demo), timeout=20)
        wait(qtbot, lambda: any("Cancel on disconnect done" in n.text for n in notices))
        assert session.journal is not None
        assert any("cancel on disconnect" in e.text for e in session.journal.entries(kinds=[EntryKind.ACTION]))
    finally:
        fault(demo, "/_demo/refuse-streams", {"seconds": 0})
        close_session(qtbot, session, clock)


def test_without_the_option_a_short_outage_cancels_nothing(
    qtbot: QtBot, session: Session, demo: Endpoints, journal_file: Path
) -> None:
    assert session.guard.after_s is None  # off by default
    order = run(qtbot, session.manager.place(_resting(session)))
    fault(demo, "/_demo/drop-connections", {})
    wait(qtbot, lambda: session.status.streams["private"].state.value == "live", timeout=30)
    assert order.client_order_id in open_ids(demo)
