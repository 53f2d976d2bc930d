"""LongbridgeMarket with the real SDK against the fake quote gateway (tests/support/longbridge_quotes)."""

from __future__ import annotations

import asyncio
import gc
import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from terminal.domain.enums import OrderType, TimeInForce
from terminal.domain.intervals import Interval
from terminal.venues.base import (
    BboEvent,
    BookEvent,
    CandleEvent,
    ConnectionEvent,
    ConnectionState,
    SubscriptionStatus,
    TickerEvent,
    Topic,
    TradesEvent,
    VenueEvent,
)
from terminal.venues.errors import InvalidRequest
from terminal.venues.longbridge.market import STREAM, LongbridgeMarket
from tests.support.longbridge_quotes.server import SUB_DEPTH, SUB_QUOTE, SUB_TRADE, LongbridgeQuoteServer

E = TypeVar("E")


@pytest.fixture
def server() -> Iterator[LongbridgeQuoteServer]:
    with LongbridgeQuoteServer() as fake:
        yield fake


@pytest.fixture
async def market(server: LongbridgeQuoteServer) -> AsyncIterator[tuple[LongbridgeMarket, list[VenueEvent]]]:
    events: list[VenueEvent] = []
    quotes = LongbridgeMarket("key", "secret", "token-1", http_url=server.http_url, quote_ws_url=server.quote_ws_url)
    await quotes.start(events.append)
    yield quotes, events
    await quotes.close()
    del quotes
    gc.collect()
    await asyncio.sleep(0.05)  # let the SDK's runtime wind the dropped context down


async def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


def of(events: list[VenueEvent], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


async def test_start_reports_live(market: tuple[LongbridgeMarket, list[VenueEvent]]) -> None:
    _, events = market
    states = [e.state for e in of(events, ConnectionEvent) if e.stream == STREAM]
    assert states == [ConnectionState.CONNECTING, ConnectionState.LIVE]


async def test_instruments_from_static_info(market: tuple[LongbridgeMarket, list[VenueEvent]]) -> None:
    quotes, _ = market
    found = await quotes.instruments(["700.HK", "AAPL.US", "NOPE.US"])
    assert set(found) == {"700.HK", "AAPL.US"}
    tencent, apple = found["700.HK"], found["AAPL.US"]
    assert (tencent.quote_asset, tencent.step_size, tencent.lot_size.min_qty) == ("HKD", Decimal(100), Decimal(100))
    assert tencent.name == "Tencent Holdings" and tencent.group == "HK"
    assert tencent.tick_at(Decimal("380.2")) == Decimal("0.2")
    assert OrderType.MARKET not in tencent.order_types and OrderType.ENHANCED_LIMIT in tencent.order_types
    assert tencent.time_in_force_for(OrderType.LIMIT) == (TimeInForce.DAY, TimeInForce.GTC)
    assert (apple.quote_asset, apple.step_size, apple.group) == ("USD", Decimal(1), "US")
    assert apple.tick_at(Decimal("190.5")) == Decimal("0.01") and apple.tick_at(Decimal("0.5")) == Decimal("0.0001")
    assert apple.order_types == (OrderType.LIMIT, OrderType.MARKET)


async def test_depth_push_reaches_a_book_event(
    server: LongbridgeQuoteServer, market: tuple[LongbridgeMarket, list[VenueEvent]]
) -> None:
    quotes, events = market
    server.push_depth("700.HK", [("380.0", 100)], [("380.2", 200)])  # before the watch: the snapshot
    watch = quotes.watch(Topic.DEPTH, "700.HK")
    await wait_for(lambda: len(of(events, BookEvent)) >= 1)
    assert of(events, BookEvent)[0].book.best_bid == Decimal("380.0")
    await wait_for(lambda: SUB_DEPTH in server.subscriptions().get("700.HK", set()))
    server.push_depth("700.HK", [("380.2", 300), ("380.0", 100)], [("380.4", 500)])
    await wait_for(lambda: len(of(events, BookEvent)) >= 2)
    book = of(events, BookEvent)[-1].book
    assert book.bids.top(2) == [(Decimal("380.2"), Decimal(300)), (Decimal("380.0"), Decimal(100))]
    assert book.best_ask == Decimal("380.4")
    watch.release()
    await wait_for(lambda: "700.HK" not in server.subscriptions())


async def test_trades_snapshot_then_pushes(
    server: LongbridgeQuoteServer, market: tuple[LongbridgeMarket, list[VenueEvent]]
) -> None:
    quotes, events = market
    server.push_trades("700.HK", [("380.0", 100), ("380.2", 200)])
    watch = quotes.watch(Topic.TRADES, "700.HK")
    await wait_for(lambda: len(of(events, TradesEvent)) >= 1)
    snapshot = of(events, TradesEvent)[0]
    assert snapshot.snapshot and [t.price for t in snapshot.trades] == [Decimal("380.0"), Decimal("380.2")]
    await wait_for(lambda: SUB_TRADE in server.subscriptions().get("700.HK", set()))
    server.push_trades("700.HK", [("380.4", 300)])
    await wait_for(lambda: len(of(events, TradesEvent)) >= 2)
    live = of(events, TradesEvent)[-1]
    assert not live.snapshot and live.trades[0].quantity == Decimal(300) and not live.trades[0].buyer_is_maker
    watch.release()


async def test_ticker_and_bbo(server: LongbridgeQuoteServer, market: tuple[LongbridgeMarket, list[VenueEvent]]) -> None:
    quotes, events = market
    server.push_depth("AAPL.US", [("190.4", 10)], [("190.6", 20)])
    ticker, bbo = quotes.watch(Topic.TICKER, "AAPL.US"), quotes.watch(Topic.BBO, "AAPL.US")
    await wait_for(lambda: bool(of(events, TickerEvent)) and bool(of(events, BboEvent)))
    first = of(events, TickerEvent)[0].ticker
    assert first.last == Decimal("190.5") and first.best_bid == Decimal("190.4")
    assert of(events, BboEvent)[0].quote.ask == Decimal("190.6")
    await wait_for(lambda: SUB_QUOTE in server.subscriptions().get("AAPL.US", set()))
    server.set_quote("AAPL.US", "191.25")
    await wait_for(lambda: of(events, TickerEvent)[-1].ticker.last == Decimal("191.25"))
    ticker.release()
    bbo.release()
    await wait_for(lambda: "AAPL.US" not in server.subscriptions())


async def test_candles_history_and_live_candle(market: tuple[LongbridgeMarket, list[VenueEvent]]) -> None:
    quotes, events = market
    recent = await quotes.candles("700.HK", Interval.M5, limit=10)
    assert len(recent) == 10
    assert all(b.open_time_ms - a.open_time_ms == 300_000 for a, b in itertools.pairwise(recent))
    end_ms = recent[0].open_time_ms - 1
    older = await quotes.candles("700.HK", Interval.M5, end_ms=end_ms, limit=5)
    assert len(older) >= 4 and all(c.open_time_ms <= end_ms for c in older)
    assert isinstance(older[0].close, Decimal)
    with pytest.raises(InvalidRequest):
        await quotes.candles("700.HK", Interval.H6)
    watch = quotes.watch(Topic.CANDLES, "700.HK", Interval.M1)
    await wait_for(lambda: bool(of(events, CandleEvent)))  # the current candle, from subscribe_candlesticks
    assert of(events, CandleEvent)[0].interval is Interval.M1
    watch.release()


async def test_two_watchers_share_one_subscription(
    server: LongbridgeQuoteServer, market: tuple[LongbridgeMarket, list[VenueEvent]]
) -> None:
    quotes, events = market
    first = quotes.watch(Topic.DEPTH, "9988.HK")
    second = quotes.watch(Topic.DEPTH, "9988.HK")
    await wait_for(lambda: SUB_DEPTH in server.subscriptions().get("9988.HK", set()))
    subscribes = server.commands.count(6)
    first.release()
    first.release()  # twice: still one release
    await asyncio.sleep(0.2)
    assert SUB_DEPTH in server.subscriptions().get("9988.HK", set())
    server.push_depth("9988.HK", [("82.3", 100)], [("82.35", 100)])
    await wait_for(lambda: any(e.book.symbol == "9988.HK" and e.book.best_ask for e in of(events, BookEvent)))
    second.release()
    await wait_for(lambda: "9988.HK" not in server.subscriptions())
    assert server.commands.count(6) == subscribes


async def test_last_prices_and_watchlist(market: tuple[LongbridgeMarket, list[VenueEvent]]) -> None:
    quotes, _ = market
    assert await quotes.last_prices(["700.HK", "TSLA.US"]) == {"700.HK": Decimal("320.0"), "TSLA.US": Decimal("250.1")}
    assert await quotes.watchlist() == ["700.HK", "AAPL.US", "9988.HK"]


async def test_set_access_token_reconnects_and_resubscribes(
    server: LongbridgeQuoteServer, market: tuple[LongbridgeMarket, list[VenueEvent]]
) -> None:
    quotes, events = market
    watch = quotes.watch(Topic.DEPTH, "700.HK")
    await wait_for(lambda: SUB_DEPTH in server.subscriptions().get("700.HK", set()))
    await quotes.set_access_token("token-2")
    assert any("token-2" in seen for seen in server.tokens_seen)
    await wait_for(lambda: SUB_DEPTH in server.subscriptions().get("700.HK", set()))
    stale = [e for e in of(events, SubscriptionStatus) if e.key.symbol == "700.HK"]
    assert [e.stale for e in stale] == [True, False]
    before = len(of(events, BookEvent))
    server.push_depth("700.HK", [("381.0", 100)], [("381.2", 100)])
    await wait_for(lambda: len(of(events, BookEvent)) > before)
    assert of(events, BookEvent)[-1].book.best_bid == Decimal("381.0")
    watch.release()


async def test_close_unsubscribes_everything(server: LongbridgeQuoteServer) -> None:
    events: list[VenueEvent] = []
    quotes = LongbridgeMarket("key", "secret", "token-1", http_url=server.http_url, quote_ws_url=server.quote_ws_url)
    await quotes.start(events.append)
    quotes.watch(Topic.DEPTH, "700.HK")
    quotes.watch(Topic.TRADES, "AAPL.US")
    await wait_for(lambda: {"700.HK", "AAPL.US"} <= set(server.subscriptions()))
    await quotes.close()
    assert server.subscriptions() == {}
    assert of(events, ConnectionEvent)[-1].state is ConnectionState.CLOSED
    count = len(events)
    server.push_depth("700.HK", [("1", 1)], [("2", 1)])
    await asyncio.sleep(0.2)
    assert len(events) == count
    del quotes
    gc.collect()
    await asyncio.sleep(0.05)


async def test_dropped_socket_the_sdk_reconnects_and_resubscribes(
    server: LongbridgeQuoteServer, market: tuple[LongbridgeMarket, list[VenueEvent]]
) -> None:
    quotes, events = market
    watch = quotes.watch(Topic.DEPTH, "700.HK")
    await wait_for(lambda: SUB_DEPTH in server.subscriptions().get("700.HK", set()))
    subscribes = server.commands.count(6)
    server.drop_connections()
    await wait_for(lambda: server.commands.count(6) > subscribes, timeout=15)  # the SDK subscribed again
    before = len(of(events, BookEvent))
    for _ in range(50):  # until the new socket's subscription is in place
        server.push_depth("700.HK", [("379.8", 100)], [("380.0", 100)])
        await asyncio.sleep(0.1)
        if len(of(events, BookEvent)) > before:
            break
    assert of(events, BookEvent)[-1].book.best_bid == Decimal("379.8")
    watch.release()


def test_sdk_errors_map_to_the_venue_tree() -> None:
    from longbridge.openapi import ErrorKind
    from longbridge.openapi import OpenApiException as Shipped

    # The shipped stubs say (code, message); the 5.3 runtime takes (kind, code, trace_id, message).
    OpenApiException: Any = Shipped

    from terminal.venues.errors import RateLimited, VenueUnavailable
    from terminal.venues.longbridge.errors import TokenExpired
    from terminal.venues.longbridge.quote_mapping import venue_error

    assert isinstance(venue_error(OpenApiException(ErrorKind.OpenApi, 401003, "trace", "token expired")), TokenExpired)
    assert isinstance(venue_error(OpenApiException(ErrorKind.OpenApi, 429002, "trace", "too many")), RateLimited)
    assert isinstance(venue_error(OSError("refused")), VenueUnavailable)
    assert isinstance(venue_error(OpenApiException(ErrorKind.Http, None, None, "refused")), VenueUnavailable)
