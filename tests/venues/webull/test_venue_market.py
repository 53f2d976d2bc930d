"""WebullVenue against the fake server: start-up, instruments, balances, polled market data, candles."""

from __future__ import annotations

import asyncio
import itertools
from decimal import Decimal

from terminal.domain.intervals import Interval
from terminal.venues.base import (
    BalanceEvent,
    BboEvent,
    BookEvent,
    CandleEvent,
    ConnectionEvent,
    ConnectionState,
    TickerEvent,
    Topic,
    VenueEvent,
)
from terminal.venues.webull.venue import STREAM, WebullVenue
from tests.support.webull.server import WebullFakeServer
from tests.venues.webull import venue_fixtures

server = venue_fixtures.server
events = venue_fixtures.events
venue = venue_fixtures.venue
account_interval = venue_fixtures.account_interval


async def wait_for(events: list[VenueEvent], kind: type, timeout: float = 3.0) -> list[VenueEvent]:
    async with asyncio.timeout(timeout):
        while not any(isinstance(e, kind) for e in events):
            await asyncio.sleep(0.01)
    return [e for e in events if isinstance(e, kind)]


async def test_start_chooses_the_first_account_and_loads_its_instruments(
    venue: WebullVenue,
    events: list[VenueEvent],
) -> None:
    assert venue.account_id == "ACC-US-CASH-0001"
    assert set(venue.instruments) == {"AAPL", "MSFT", "TSLA"}
    aapl = venue.instruments["AAPL"]
    assert aapl.tick_size == Decimal("0.01") and aapl.step_size == Decimal(1) and aapl.quote_asset == "USD"
    assert venue.permissions.can_trade and venue.permissions.account == "ACC-US-CASH-0001"
    assert ConnectionEvent(STREAM, ConnectionState.LIVE) in events
    assert venue.capabilities.poll_interval_s == 0.05 and venue.capabilities.positions
    (balance,) = [e for e in events if isinstance(e, BalanceEvent)]
    assert balance.complete and balance.balances[0].asset == "USD"
    assert balance.balances[0].total == Decimal("100000.00")
    assert balance.balances[1].asset == "AAPL" and balance.balances[1].free == Decimal(10)  # the holding


async def test_an_hk_account_gets_hkex_ticks(server: WebullFakeServer) -> None:
    from terminal.venues.webull.hosts import Hosts

    hk = WebullVenue(
        Hosts(server.url),
        server.app_key,
        server.app_secret,
        server.issue_token(),
        account_id="ACC-HK-MRGN-0002",
        rates=venue_fixtures.FAST,
    )
    await hk.start(lambda event: None)
    try:
        assert set(hk.instruments) == {"00700", "09988"}
        assert hk.instruments["00700"].tick_size == Decimal("0.2")  # 380 HKD: 200-500 band
        assert hk.instruments["09988"].tick_size == Decimal("0.05")  # 80 HKD: 20-100 band
        assert hk.instruments["00700"].step_size == Decimal(100)
        (held,) = await hk.positions()
        assert held.symbol == "00700" and held.quantity == Decimal(200)
    finally:
        await hk.close()


async def test_positions_and_accounts(venue: WebullVenue) -> None:
    (held,) = await venue.positions()
    assert held.symbol == "AAPL" and held.quantity == Decimal(10) and held.cost_price == Decimal("180.00")
    assert [a.account_id for a in await venue.accounts()] == ["ACC-US-CASH-0001", "ACC-HK-MRGN-0002"]


async def test_a_watched_snapshot_emits_ticker_and_bbo(
    venue: WebullVenue,
    events: list[VenueEvent],
) -> None:
    ticker = venue.watch(Topic.TICKER, "AAPL")
    bbo = venue.watch(Topic.BBO, "AAPL")
    assert len(venue._polls) == 1  # one snapshot poll serves both
    (first,) = (await wait_for(events, TickerEvent))[:1]
    assert isinstance(first, TickerEvent) and first.ticker.last == Decimal("190.00")
    quote = (await wait_for(events, BboEvent))[0]
    assert isinstance(quote, BboEvent)
    assert quote.quote.bid == Decimal("189.99") and quote.quote.ask == Decimal("190.01")
    ticker.release()
    bbo.release()
    assert venue._polls == {}


async def test_depth_emits_a_book(venue: WebullVenue, events: list[VenueEvent]) -> None:
    watch = venue.watch(Topic.DEPTH, "MSFT")
    (event,) = (await wait_for(events, BookEvent))[:1]
    assert isinstance(event, BookEvent)
    book = event.book
    assert book.best_bid == Decimal("419.99") and book.best_ask == Decimal("420.01")
    assert len(book.bids) == 10
    watch.release()


async def test_trades_are_a_no_op_watch(venue: WebullVenue) -> None:
    venue.watch(Topic.TRADES, "AAPL").release()
    assert venue._polls == {}


async def test_candles_oldest_first_and_polled(
    venue: WebullVenue,
    events: list[VenueEvent],
) -> None:
    bars = await venue.candles("AAPL", Interval.M5, limit=50)
    assert len(bars) == 50
    assert all(a.open_time_ms + 300_000 == b.open_time_ms for a, b in itertools.pairwise(bars))
    assert bars[-1].close == Decimal("190.00")
    watch = venue.watch(Topic.CANDLES, "AAPL", Interval.M5)
    (event,) = (await wait_for(events, CandleEvent))[:1]
    assert isinstance(event, CandleEvent) and event.candle.close == Decimal("190.00")
    watch.release()
