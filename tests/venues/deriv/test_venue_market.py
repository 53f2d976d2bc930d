"""Market data from the Deriv test server: candle history, candle and tick streams, sharing and forgetting."""

from __future__ import annotations

import asyncio

import pytest

from terminal.domain.intervals import Interval
from terminal.venues.base import CandleEvent, SubscriptionKey, SubscriptionStatus, TickerEvent, Topic, TradesEvent
from terminal.venues.errors import InvalidRequest
from tests.support.deriv.server import DerivTestServer
from tests.venues.deriv.live import running


async def test_candle_history(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, _):
        candles = await venue.candles("R_100", Interval.M1, limit=50)
        assert 48 <= len(candles) <= 50  # the candle just opened may not have its first tick yet
        assert [c.open_time_ms for c in candles] == sorted(c.open_time_ms for c in candles)
        for candle in candles:
            assert candle.open_time_ms % 60_000 == 0
            assert candle.close_time_ms == candle.open_time_ms + 59_999
            assert candle.low <= min(candle.open, candle.close) <= max(candle.open, candle.close) <= candle.high
            assert candle.close.as_tuple().exponent == -2 and candle.volume == 0
        end = candles[-10].open_time_ms + 30_000
        older = await venue.candles("R_100", Interval.M5, end_ms=end, limit=5)
        assert 4 <= len(older) <= 5 and older[-1].open_time_ms <= end
        with pytest.raises(InvalidRequest, match="no 6h candles"):
            await venue.candles("R_100", Interval.H6)
    request = server.requests_of("ticks_history")[0]
    assert request["style"] == "candles" and request["granularity"] == 60 and request["end"] == "latest"


async def test_a_candle_watch_streams_ohlc(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        watch = venue.watch(Topic.CANDLES, "R_100", Interval.M1)
        first = await log.wait(CandleEvent)
        assert first.symbol == "R_100" and first.interval is Interval.M1
        key = SubscriptionKey(Topic.CANDLES, "R_100", Interval.M1)
        await log.wait(SubscriptionStatus, lambda e: e.key == key and not e.stale)
        mark = log.mark()
        live = await log.wait(CandleEvent, after=mark)
        later = await log.wait(CandleEvent, lambda e: e.candle.close != live.candle.close, after=mark)
        assert later.candle.open_time_ms >= first.candle.open_time_ms
        assert later.candle.close_time_ms == later.candle.open_time_ms + 59_999
        watch.release()
    (request,) = server.requests_of("ticks_history")
    assert request["count"] == 2 and request["subscribe"] == 1 and request["granularity"] == 60


async def test_a_trades_watch_gives_a_snapshot_then_ticks(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        venue.watch(Topic.TRADES, "R_50")
        snapshot = await log.wait(TradesEvent)
        assert snapshot.snapshot and snapshot.symbol == "R_50" and len(snapshot.trades) == 500
        times = [t.time_ms for t in snapshot.trades]
        assert times == sorted(times)
        tick = await log.wait(TradesEvent, lambda e: not e.snapshot)
        (trade,) = tick.trades
        assert trade.quantity == 0 and trade.trade_id == str(trade.time_ms // 1000)
        assert trade.time_ms >= times[-1]
        ticker = await log.wait(TickerEvent, lambda e: e.ticker.last == trade.price and e.ticker.best_bid is not None)
        assert ticker.ticker.best_bid is not None and ticker.ticker.best_ask is not None
        assert ticker.ticker.best_bid < ticker.ticker.last < ticker.ticker.best_ask


async def test_watchers_share_a_stream_and_the_last_one_forgets_it(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        first = venue.watch(Topic.TRADES, "R_100")
        second = venue.watch(Topic.TRADES, "R_100")
        await log.wait(TradesEvent, lambda e: not e.snapshot)
        assert len(server.requests_of("ticks_history")) == 1
        subscription = venue.market._streams.get(SubscriptionKey(Topic.TRADES, "R_100"))
        assert subscription is not None and subscription.id in server.subscriptions()
        first.release()
        await asyncio.sleep(0.1)
        assert server.requests_of("forget") == []
        second.release()
        second.release()
        for _ in range(100):
            if subscription.id not in server.subscriptions():
                break
            await asyncio.sleep(0.02)
        assert [r["forget"] for r in server.requests_of("forget")] == [subscription.id]
        assert subscription.id not in server.subscriptions()
        mark = log.mark()
        await asyncio.sleep(0.2)
        assert not [e for e in log.events[mark:] if isinstance(e, TradesEvent)]  # delivered no more


async def test_a_watch_released_at_once_sends_nothing(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, _):
        venue.watch(Topic.CANDLES, "R_50", Interval.M5).release()
        await asyncio.sleep(0.2)
    assert server.requests_of("ticks_history") == [] and server.requests_of("forget") == []


async def test_a_watch_released_before_its_answer_is_forgotten_when_it_comes(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        watch = venue.watch(Topic.CANDLES, "R_50", Interval.M5)
        subscription = venue.market._streams.get(SubscriptionKey(Topic.CANDLES, "R_50", Interval.M5))
        assert subscription is not None
        while subscription.req_id is None:  # the request is on its way, its answer is not here yet
            await asyncio.sleep(0)
        assert subscription.id is None
        watch.release()
        for _ in range(100):
            if server.requests_of("forget"):
                break
            await asyncio.sleep(0.02)
        assert [r["forget"] for r in server.requests_of("forget")] == [subscription.id]
        assert not [m for m in server.subscriptions().values() if m == "ticks_history"]
        assert not log.of(CandleEvent)


async def test_tickers_depth_and_bbo_need_no_stream(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, _):
        for topic in (Topic.TICKER, Topic.DEPTH, Topic.BBO):
            venue.watch(topic, "R_100").release()
        with pytest.raises(InvalidRequest):
            venue.watch(Topic.CANDLES, "R_100", Interval.W1)
        await asyncio.sleep(0.1)
    assert server.requests_of("ticks_history") == [] and server.requests_of("forget") == []


async def test_a_refused_stream_is_flagged_stale_with_the_reason(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        venue.watch(Topic.TRADES, "NOPE_1")
        status = await log.wait(SubscriptionStatus, lambda e: e.stale)
        assert status.key == SubscriptionKey(Topic.TRADES, "NOPE_1")
        assert "invalid" in status.reason.lower()
