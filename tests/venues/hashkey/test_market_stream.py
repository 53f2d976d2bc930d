"""The public market stream against the real demo exchange over real sockets: topics, shared
subscriptions, dropped links, missing pongs, a quietly dead subscription, and candle gaps."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

from terminal.demo.server.app import DemoServer
from terminal.domain.enums import OrderType, Side
from terminal.domain.intervals import Interval
from terminal.domain.orders import OrderRequest
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
)
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.market_stream import HashKeyMarketStream
from terminal.venues.hashkey.stream_wire import Decoded, decode_public
from terminal.venues.hashkey.transport import HashKeyTransport
from terminal.venues.ws_link import Backoff, Heartbeat
from tests.support.demo import Clock, EventLog, fault, running_demo

FAST_BACKOFF = Backoff(initial=0.05, maximum=0.5, jitter=0.05, healthy_after=0.5)


@dataclass
class Rig:
    demo: DemoServer
    stream: HashKeyMarketStream
    log: EventLog
    clock: Clock


@contextlib.asynccontextmanager
async def _rig(
    clock: Clock | None = None,
    heartbeat: Heartbeat | None = None,
    silence: dict[Topic, float] | None = None,
) -> AsyncIterator[Rig]:
    clock = clock or Clock()
    async with running_demo(clock=clock) as demo:
        assert demo.endpoints is not None
        hosts = Hosts(demo.endpoints.rest_url, demo.endpoints.stream_url)
        rest = HashKeyRestClient(HashKeyTransport(hosts.rest_url))
        log = EventLog()
        stream = HashKeyMarketStream(
            hosts, rest, log, heartbeat=heartbeat, backoff=FAST_BACKOFF, silence_limits=silence, watchdog_period=0.1
        )
        stream.start()
        try:
            yield Rig(demo, stream, log, clock)
        finally:
            await stream.close()
            await rest.aclose()


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    async with _rig() as r:
        yield r


def _live(stream: str) -> object:
    return lambda e: isinstance(e, ConnectionEvent) and e.stream == stream and e.state is ConnectionState.LIVE


async def test_every_topic_delivers_normalized_events(rig: Rig) -> None:
    rig.stream.watch(Topic.DEPTH, "BTCUSDT")
    rig.stream.watch(Topic.TRADES, "BTCUSDT")
    rig.stream.watch(Topic.CANDLES, "BTCUSDT", Interval.M1)
    rig.stream.watch(Topic.TICKER, "BTCUSDT")
    rig.stream.watch(Topic.BBO, "BTCUSDT")
    book = await rig.log.wait_for(lambda e: isinstance(e, BookEvent) and e.book.version != "")
    assert book.book.best_bid < book.book.best_ask
    assert len(book.book.bids) >= 20
    snapshot = await rig.log.wait_for(lambda e: isinstance(e, TradesEvent) and e.snapshot)
    assert len(snapshot.trades) <= 60  # the latest trades, or none if nothing traded yet
    live = await rig.log.wait_for(lambda e: isinstance(e, TradesEvent) and not e.snapshot and e.trades)
    assert all(t.symbol == "BTCUSDT" and t.price > 0 for t in live.trades)
    candle = await rig.log.wait_for(lambda e: isinstance(e, CandleEvent))
    assert candle.interval is Interval.M1 and candle.candle.low <= candle.candle.close <= candle.candle.high
    ticker = await rig.log.wait_for(lambda e: isinstance(e, TickerEvent))
    assert ticker.ticker.symbol == "BTCUSDT" and ticker.ticker.last > 0
    bbo = await rig.log.wait_for(lambda e: isinstance(e, BboEvent))
    assert bbo.quote.bid is not None and bbo.quote.ask is not None
    fresh = {e.key.topic for e in rig.log.of(SubscriptionStatus) if not e.stale}
    assert fresh == set(Topic)


async def test_books_never_go_backwards(rig: Rig) -> None:
    rig.stream.watch(Topic.DEPTH, "ETHUSDT")
    for _ in range(5):
        await rig.log.wait_for(lambda e: isinstance(e, BookEvent) and e.book.version != "", after=rig.log.mark())
    versions = [e.book.sequence for e in rig.log.of(BookEvent) if e.book.sequence is not None]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


async def test_watchers_of_the_same_data_share_one_subscription(rig: Rig) -> None:
    bus = rig.demo.exchange.bus
    first = rig.stream.watch(Topic.DEPTH, "SOLUSDT")
    second = rig.stream.watch(Topic.DEPTH, "SOLUSDT")
    await rig.log.wait_for(lambda e: isinstance(e, BookEvent) and e.book.symbol == "SOLUSDT" and e.book.version)
    assert rig.stream.subscriptions()[next(iter(rig.stream.subscriptions()))] == 2
    assert bus.subscribers(("book", "SOLUSDT")) == 1  # one subscription at the venue
    first.release()
    first.release()  # releasing twice counts once
    await asyncio.sleep(0.2)
    assert bus.subscribers(("book", "SOLUSDT")) == 1
    second.release()
    for _ in range(50):
        if bus.subscribers(("book", "SOLUSDT")) == 0:
            break
        await asyncio.sleep(0.05)
    assert bus.subscribers(("book", "SOLUSDT")) == 0  # the last watcher left: cancelled at the venue
    assert rig.stream.subscriptions() == {}


async def test_dropped_links_reconnect_and_resubscribe_with_stale_flags(rig: Rig) -> None:
    rig.stream.watch(Topic.DEPTH, "BTCUSDT")
    rig.stream.watch(Topic.TRADES, "BTCUSDT")
    await rig.log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and not e.stale and e.key.topic is Topic.DEPTH)
    await rig.log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and not e.stale and e.key.topic is Topic.TRADES)
    mark = rig.log.mark()
    dropped = await fault(rig.demo, "/_demo/drop-connections", {})
    assert dropped["dropped"] >= 2
    stale = await rig.log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and e.stale, after=mark)
    assert "public" in stale.reason
    await rig.log.wait_for(_live("public_v1"), after=mark)
    await rig.log.wait_for(_live("public_v2"), after=mark)
    for topic in (Topic.DEPTH, Topic.TRADES):
        await rig.log.wait_for(
            lambda e, t=topic: isinstance(e, SubscriptionStatus) and not e.stale and e.key.topic is t, after=mark
        )
    await rig.log.wait_for(lambda e: isinstance(e, BookEvent), after=mark)


async def test_missing_pongs_make_the_link_reconnect() -> None:
    beat = Heartbeat(interval=0.3, timeout=0.2, idle_timeout=5.0, ping=lambda: {"ping": 1})
    async with _rig(heartbeat=beat) as rig:
        await rig.log.wait_for(_live("public_v2"))
        mark = rig.log.mark()
        await fault(rig.demo, "/_demo/silence", {"seconds": 1.0})
        dropped = await rig.log.wait_for(
            lambda e: isinstance(e, ConnectionEvent) and e.state is ConnectionState.RECONNECTING, after=mark
        )
        assert "no pong" in dropped.reason
        await rig.log.wait_for(_live("public_v2"), after=mark, timeout=15)


async def test_a_quietly_dead_subscription_is_healed_by_the_watchdog() -> None:
    async with _rig(silence={Topic.DEPTH: 0.6}) as rig:
        rig.stream.watch(Topic.DEPTH, "BTCUSDT")
        await rig.log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and not e.stale)
        mark = rig.log.mark()
        # The venue stops sending this subscription's data for a minute; the socket stays up.
        await fault(rig.demo, "/_demo/pause-stream", {"topic": "depth", "symbol": "BTCUSDT", "seconds": 60})
        stale = await rig.log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and e.stale, after=mark)
        assert "no depth data" in stale.reason
        reported = await rig.log.wait_for(lambda e: isinstance(e, ConnectionEvent), after=mark)
        assert reported.state is ConnectionState.STALE and reported.stream == "public_v2"
        # The watchdog resubscribes at once: the fresh data may already be here. Look from the stale mark.
        healed = rig.log.events.index(stale, mark) + 1
        await rig.log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and not e.stale, after=healed, timeout=5)
        await rig.log.wait_for(lambda e: isinstance(e, BookEvent) and e.book.version != "", after=healed, timeout=5)
        states = [e.state for e in rig.log.events[mark:] if isinstance(e, ConnectionEvent)]
        assert states[:2] == [ConnectionState.STALE, ConnectionState.LIVE]
        assert set(states) == {ConnectionState.STALE, ConnectionState.LIVE}  # healed without reconnecting


async def test_candles_missed_while_disconnected_are_filled_from_rest() -> None:
    clock = Clock()
    async with _rig(clock=clock) as rig:
        rig.stream.watch(Topic.CANDLES, "BTCUSDT", Interval.M1)
        first = await rig.log.wait_for(lambda e: isinstance(e, CandleEvent))
        await fault(rig.demo, "/_demo/silence", {"seconds": 0.5})
        mark = rig.log.mark()
        await fault(rig.demo, "/_demo/drop-connections", {})
        clock.offset_ms += 4 * 60_000  # four minutes pass while the link is down
        await rig.log.wait_for(_live("public_v2"), after=mark)
        last = first.candle.open_time_ms + 4 * 60_000

        def contiguous_to_last(_: object) -> bool:
            opens = sorted({e.candle.open_time_ms for e in rig.log.of(CandleEvent)})
            return opens[-1] >= last and opens == list(range(opens[0], opens[-1] + 60_000, 60_000))

        await rig.log.wait_for(contiguous_to_last, after=mark)
        gap = {first.candle.open_time_ms + m * 60_000 for m in (1, 2, 3)}
        filled = {e.candle.open_time_ms for e in rig.log.events[mark:] if isinstance(e, CandleEvent)}
        assert gap <= filled  # the minutes the link missed came back from REST


def test_an_empty_first_trade_message_is_an_empty_snapshot() -> None:
    decoded = decode_public({"symbol": "BTCUSDT", "topic": "trade", "params": {}, "data": [], "f": True})
    assert isinstance(decoded, Decoded)
    (event,) = decoded.events
    assert isinstance(event, TradesEvent) and event.snapshot and event.trades == ()


async def test_after_every_socket_dropped_the_book_equals_the_venues() -> None:
    async with running_demo(simulate=False) as demo:
        assert demo.endpoints is not None
        exchange = demo.exchange
        maker = exchange.open_account({"BTC": Decimal(100), "USDT": Decimal(10_000_000)})
        for i in range(10):
            exchange.place(
                maker, OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.1"), Decimal(94_000 - i))
            )
            exchange.place(
                maker, OrderRequest("BTCUSDT", Side.SELL, OrderType.LIMIT, Decimal("0.1"), Decimal(94_100 + i))
            )
        hosts = Hosts(demo.endpoints.rest_url, demo.endpoints.stream_url)
        rest = HashKeyRestClient(HashKeyTransport(hosts.rest_url))
        log = EventLog()
        stream = HashKeyMarketStream(hosts, rest, log, backoff=FAST_BACKOFF)
        stream.start()
        try:
            stream.watch(Topic.DEPTH, "BTCUSDT")
            await log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and not e.stale)
            mark = log.mark()
            await fault(demo, "/_demo/drop-connections", {})
            # While the terminal is away the book changes: new levels, a level taken out.
            exchange.place(maker, OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.7"), Decimal(94_050)))
            exchange.cancel_all(maker, symbol="BTCUSDT", side=Side.SELL)
            exchange.place(maker, OrderRequest("BTCUSDT", Side.SELL, OrderType.LIMIT, Decimal("0.3"), Decimal(94_070)))
            await log.wait_for(lambda e: isinstance(e, SubscriptionStatus) and not e.stale, after=mark)
            await log.wait_for(lambda e: isinstance(e, BookEvent) and e.book.best_bid == Decimal(94_050), after=mark)
            mine = stream.book("BTCUSDT")
            truth = exchange.depth("BTCUSDT", 200)
            assert mine is not None
            assert mine.bids.top(200) == list(truth.bids)
            assert mine.asks.top(200) == list(truth.asks)
        finally:
            await stream.close()
            await rest.aclose()
