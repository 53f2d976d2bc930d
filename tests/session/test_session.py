"""A session against the demo exchange (a separate process): stores fill from the venue, orders go
through the order manager, every outcome is accounted for, and closing leaves nothing behind."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.session.frame_clock import FrameClock
from terminal.session.market_store import MarketChange
from terminal.session.order_gate import TicketError
from terminal.session.order_manager import Notice
from terminal.session.session import Session
from terminal.venues.base import BookEvent, Topic
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from tests.support.demo_process import demo_process
from tests.support.qt import run, wait


@pytest.fixture(scope="module")
def demo() -> Iterator[Endpoints]:
    with demo_process("--symbols", "BTCUSDT,ETHUSDT") as endpoints:
        yield endpoints


@pytest.fixture
def session(qtbot: QtBot, aloop: object, demo: Endpoints) -> Iterator[Session]:
    clock = FrameClock(fps=30)
    venue = HashKeyVenue(Hosts(demo.rest_url, demo.stream_url), Credentials(demo.api_key, demo.api_secret))
    session = Session(venue, "Demo", clock)
    clock.start()
    assert run(qtbot, session.start())
    yield session
    run(qtbot, session.close())
    clock.stop()


def _state(demo: Endpoints) -> dict:  # type: ignore[type-arg]
    return httpx.get(f"{demo.rest_url}/_demo/state", params={"api_key": demo.api_key}, timeout=10).json()


def _fault(demo: Endpoints, path: str, body: dict) -> None:  # type: ignore[type-arg]
    httpx.post(f"{demo.rest_url}{path}", json=body, timeout=10).raise_for_status()


def _far_bid(session: Session, symbol: str) -> Decimal:
    book = session.market.books[symbol]
    assert book.best_bid is not None
    return (book.best_bid * Decimal("0.95")).quantize(session.venue.instruments[symbol].tick_size)


def test_a_session_connects_and_fills_its_stores(qtbot: QtBot, session: Session) -> None:
    assert session.state == "live"
    assert set(session.venue.instruments) == {"BTCUSDT", "ETHUSDT"}
    assert session.venue.permissions.can_trade
    wait(qtbot, lambda: "USDT" in session.account.balances)
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books)
    wait(qtbot, lambda: session.status.streams.get("private") is not None)
    assert session.status.venue.clock_offset_ms is not None


def test_many_events_make_one_signal_per_frame(qtbot: QtBot, session: Session) -> None:
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books)
    book = session.market.books["BTCUSDT"]
    changes: list[MarketChange] = []
    session.market.changed.connect(changes.append)
    session.market.flush()
    changes.clear()
    for _ in range(5000):
        session.market.apply(BookEvent(book))
    session.market.flush()
    session.market.flush()
    assert len(changes) == 1 and changes[0].books == {"BTCUSDT"}


def test_a_limit_order_is_placed_and_cancelled(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    session.watch(Topic.DEPTH, "ETHUSDT")
    wait(qtbot, lambda: "ETHUSDT" in session.market.books)
    wait(qtbot, lambda: "USDT" in session.account.balances)
    notices: list[Notice] = []
    session.notice.connect(notices.append)
    request = OrderRequest("ETHUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.01"), _far_bid(session, "ETHUSDT"))
    order = run(qtbot, session.manager.place(request))
    assert order.status is OrderStatus.NEW and order.client_order_id.startswith("tt")
    assert order.client_order_id in {o["clientOrderId"] for o in _state(demo)["openOrders"]}
    assert any("Accepted: buy 0.0100 ETHUSDT" in n.text for n in notices)
    run(qtbot, session.manager.cancel(order.client_order_id))
    wait(qtbot, lambda: session.orders.orders[order.client_order_id].status is OrderStatus.CANCELED)
    assert order.client_order_id not in {o["clientOrderId"] for o in _state(demo)["openOrders"]}


def test_a_market_order_fills_and_updates_balances(qtbot: QtBot, session: Session) -> None:
    wait(qtbot, lambda: "ETH" in session.account.balances)
    session.watch(Topic.DEPTH, "ETHUSDT")
    wait(qtbot, lambda: "ETHUSDT" in session.market.books)
    before = session.account.balances["ETH"].total
    notices: list[Notice] = []
    session.notice.connect(notices.append)
    order = run(qtbot, session.manager.place(OrderRequest("ETHUSDT", Side.BUY, OrderType.MARKET, amount=Decimal(200))))
    wait(qtbot, lambda: any(f.client_order_id == order.client_order_id for f in session.orders.fills.values()))
    wait(qtbot, lambda: session.account.balances["ETH"].total > before)
    assert any(n.kind == "fill" and n.text.startswith("Bought") for n in notices)


def test_an_invalid_order_is_refused_before_anything_is_sent(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    wait(qtbot, lambda: "USDT" in session.account.balances)
    before = len(_state(demo)["openOrders"])
    bad = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.000001"), Decimal("90000.005"))
    with pytest.raises(TicketError) as raised:
        run(qtbot, session.manager.place(bad))
    rules = {v.rule for v in raised.value.violations}
    assert {"tick_size", "min_qty"} <= rules
    assert len(_state(demo)["openOrders"]) == before


def test_an_order_whose_answer_is_lost_is_reconciled_not_resent(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books)
    wait(qtbot, lambda: "USDT" in session.account.balances)
    _fault(demo, "/_demo/fail-orders", {"count": 1, "status": 500, "execute": True})
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.001"), _far_bid(session, "BTCUSDT"))
    order = run(qtbot, session.manager.place(request))
    assert order.status is OrderStatus.UNKNOWN
    wait(qtbot, lambda: session.orders.orders[order.client_order_id].status is OrderStatus.NEW)
    open_ids = [o["clientOrderId"] for o in _state(demo)["openOrders"]]
    assert open_ids.count(order.client_order_id) == 1  # placed once, shown once
    run(qtbot, session.manager.cancel(order.client_order_id))


def test_an_order_that_never_reached_the_venue_ends_rejected(qtbot: QtBot, session: Session, demo: Endpoints) -> None:
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books)
    wait(qtbot, lambda: "USDT" in session.account.balances)
    _fault(demo, "/_demo/fail-orders", {"count": 1, "status": 503, "execute": False})
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.001"), _far_bid(session, "BTCUSDT"))
    order = run(qtbot, session.manager.place(request))
    assert order.status is OrderStatus.UNKNOWN
    wait(qtbot, lambda: session.orders.orders[order.client_order_id].status is OrderStatus.REJECTED, timeout=30)
    assert order.client_order_id not in {o["clientOrderId"] for o in _state(demo)["openOrders"]}


def test_closing_releases_subscriptions_and_the_private_stream(qtbot: QtBot, aloop: object, demo: Endpoints) -> None:
    clock = FrameClock()
    venue = HashKeyVenue(Hosts(demo.rest_url, demo.stream_url), Credentials(demo.api_key, demo.api_secret))
    session = Session(venue, "Demo", clock)
    assert run(qtbot, session.start())
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: _state(demo)["connections"]["private"] >= 1)
    run(qtbot, session.close())
    assert session.state == "closed"
    wait(qtbot, lambda: _state(demo)["connections"] == {"public_v1": 0, "public_v2": 0, "private": 0})


def test_a_read_only_key_cannot_trade(qtbot: QtBot, aloop: object, demo: Endpoints) -> None:
    clock = FrameClock()
    venue = HashKeyVenue(
        Hosts(demo.rest_url, demo.stream_url), Credentials(demo.readonly_api_key, demo.readonly_api_secret)
    )
    session = Session(venue, "Demo read-only", clock)
    assert run(qtbot, session.start())
    try:
        assert not venue.permissions.can_trade
        assert "only read" in venue.permissions.reason
        with pytest.raises(TicketError, match="only read"):
            run(qtbot, session.manager.place(OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, amount=Decimal(10))))
    finally:
        run(qtbot, session.close())


def test_a_cancel_asked_before_the_acknowledgement_is_sent_when_it_comes(
    qtbot: QtBot, session: Session, demo: Endpoints
) -> None:
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books and "USDT" in session.account.balances)
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.001"), _far_bid(session, "BTCUSDT"))
    # Hold order requests in the client's pacing queue for a moment, as after a 429: the order
    # stays SUBMITTING long enough for the user to ask for its cancel.
    assert isinstance(session.venue, HashKeyVenue)
    session.venue.transport.limiter.pause("order", 0.8)
    placing = asyncio.ensure_future(session.manager.place(request))
    wait(qtbot, lambda: any(o.status is OrderStatus.SUBMITTING for o in session.orders.orders.values()))
    (cid,) = [c for c, o in session.orders.orders.items() if o.status is OrderStatus.SUBMITTING]
    run(qtbot, session.manager.cancel(cid))  # the request is still in flight
    wait(qtbot, placing.done)
    wait(qtbot, lambda: session.orders.orders[cid].status is OrderStatus.CANCELED)
    assert cid not in {o["clientOrderId"] for o in _state(demo)["openOrders"]}
