"""A dropped connection: states reported, the session restored (authorize, limits, every stream with a new id),
stale flags until fresh data, and what happens to requests caught by the drop. Also pacing and closing."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from terminal.domain.contracts import Basis, ContractSpec, DurationUnit, Quote
from terminal.domain.intervals import Interval
from terminal.venues.base import (
    AccountEvent,
    BalanceEvent,
    CandleEvent,
    ConnectionEvent,
    ConnectionState,
    ContractEvent,
    ProposalEvent,
    SubscriptionKey,
    SubscriptionStatus,
    Topic,
    TradesEvent,
)
from terminal.venues.deriv.contract_streams import PRICE_LOST
from terminal.venues.errors import RateLimited, UnknownOutcome, VenueUnavailable
from tests.support.deriv.server import DerivTestServer
from tests.venues.deriv.live import running, venue_for

SPEC = ContractSpec("R_50", "CALL", Decimal("10"), Basis.STAKE, 5, DurationUnit.MINUTES, "USD")
TRADES = SubscriptionKey(Topic.TRADES, "R_100")
CANDLES = SubscriptionKey(Topic.CANDLES, "R_100", Interval.M1)


def _live(event: ConnectionEvent) -> bool:
    return event.state is ConnectionState.LIVE


async def _ids(server: DerivTestServer, count: int) -> set[str]:
    for _ in range(200):
        ids = set(server.subscriptions())
        if len(ids) >= count:
            return ids
        await asyncio.sleep(0.02)
    raise AssertionError(f"expected {count} subscriptions at the server, found {server.subscriptions()}")


async def test_a_drop_restores_the_whole_session(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        venue.watch(Topic.TRADES, "R_100")
        venue.watch(Topic.CANDLES, "R_100", Interval.M1)
        venue.propose(SPEC)
        await log.wait(SubscriptionStatus, lambda e: e.key == TRADES and not e.stale)
        await log.wait(SubscriptionStatus, lambda e: e.key == CANDLES and not e.stale)
        await log.wait(ProposalEvent, lambda e: e.quote is not None)
        before = await _ids(server, 4)  # ticks, candles, proposal, balance

        mark = log.mark()
        assert server.drop_connections() == 1
        await log.wait(ConnectionEvent, lambda e: e.state is ConnectionState.RECONNECTING, after=mark)
        live = await log.wait(ConnectionEvent, _live, after=mark)
        after_live = next(i for i, e in enumerate(log.events) if e is live)
        stale = [e for e in log.events[mark:after_live] if isinstance(e, SubscriptionStatus)]
        assert {e.key for e in stale if e.stale} == {TRADES, CANDLES}
        assert any(isinstance(e, ProposalEvent) and e.error == PRICE_LOST for e in log.events[mark:after_live])
        assert len(server.requests_of("authorize")) == 2  # authorized again
        assert len(server.requests_of("website_status")) == 2
        assert log.of(AccountEvent)[-1] in log.events[mark:]

        await log.wait(SubscriptionStatus, lambda e: e.key == TRADES and not e.stale, after=mark)
        await log.wait(SubscriptionStatus, lambda e: e.key == CANDLES and not e.stale, after=mark)
        await log.wait(TradesEvent, lambda e: e.snapshot, after=mark)  # a new snapshot covers the gap
        await log.wait(TradesEvent, lambda e: not e.snapshot, after=after_live)
        await log.wait(CandleEvent, after=after_live)
        await log.wait(ProposalEvent, lambda e: e.quote is not None, after=after_live)
        await log.wait(BalanceEvent, after=mark)
        after = await _ids(server, 4)
        assert not before & after  # every stream has a new id
        assert len(server.requests_of("ticks_history")) == 4 and len(server.requests_of("proposal")) == 2
        assert len(server.requests_of("balance")) == 2


async def test_released_streams_are_not_restored(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        venue.watch(Topic.TRADES, "R_100").release()
        kept = venue.watch(Topic.TRADES, "R_50")
        await log.wait(TradesEvent, lambda e: e.symbol == "R_50")
        mark = log.mark()
        server.drop_connections()
        await log.wait(ConnectionEvent, _live, after=mark)
        await log.wait(TradesEvent, lambda e: e.symbol == "R_50" and e.snapshot, after=mark)
        symbols = [r["ticks_history"] for r in server.requests_of("ticks_history")]
        assert symbols == ["R_50", "R_50"]
        kept.release()


async def test_open_contracts_are_reported_again_after_a_drop(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        venue.propose(SPEC)
        event = await log.wait(ProposalEvent, lambda e: e.quote is not None)
        assert event.quote is not None
        purchase = await venue.buy(event.quote)
        mark = log.mark()
        server.drop_connections()
        reported = await log.wait(ContractEvent, after=mark, timeout=8.0)
        assert reported.contract.contract_id == purchase.contract_id and reported.contract.is_open


async def test_requests_caught_by_a_drop(server: DerivTestServer) -> None:
    async with running(server, request_timeout=5.0) as (venue, log):
        venue.propose(SPEC)
        event = await log.wait(ProposalEvent, lambda e: e.quote is not None)
        assert event.quote is not None

        server.swallow_next("statement")
        reading = asyncio.create_task(venue.statement())
        await asyncio.sleep(0.2)
        server.drop_connections()
        with pytest.raises(VenueUnavailable, match="dropped before the statement was answered"):
            await reading
        await log.wait(ConnectionEvent, _live, after=log.mark())

        event = await log.wait(ProposalEvent, lambda e: e.quote is not None, after=log.mark())
        assert event.quote is not None
        server.swallow_next("buy")
        buying = asyncio.create_task(venue.buy(event.quote))
        await asyncio.sleep(0.2)
        server.drop_connections()
        with pytest.raises(UnknownOutcome, match="dropped after the buy was sent"):
            await buying


async def test_nothing_is_sent_while_not_connected(server: DerivTestServer) -> None:
    venue = venue_for(server)
    with pytest.raises(VenueUnavailable, match="not connected to Deriv: the portfolio was not sent"):
        await venue.portfolio()
    async with running(server) as (venue, _):
        pass
    with pytest.raises(VenueUnavailable, match="not connected"):
        await venue.buy(Quote("x" * 32, Decimal(1), Decimal(2), Decimal(3), 0, ""))
    assert len(server.requests_of("portfolio")) == 1  # the discovery at start only
    assert server.requests_of("buy") == []


async def test_the_heartbeat_pings(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, _):
        for _ in range(150):
            if server.requests_of("ping") and venue.status().round_trip_ms is not None:
                break
            await asyncio.sleep(0.02)
        (ping,) = server.requests_of("ping")[:1]
        assert ping["ping"] == 1 and isinstance(ping["req_id"], int)
        assert venue.status().round_trip_ms is not None


async def test_a_rate_limit_answer_pauses_its_class(server: DerivTestServer) -> None:
    async with running(server) as (venue, _):
        server.fail_next("statement", "RateLimit", "You have reached the rate limit for statement.")
        with pytest.raises(RateLimited) as raised:
            await venue.statement()
        assert raised.value.retry_after == 60.0
        status = venue.status()
        assert 59 < status.rate_limited_for <= 60 and status.rate_headroom["outcome"] == 0
        assert status.rate_headroom["general"] > 0


async def test_close_forgets_every_stream(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        venue.watch(Topic.TRADES, "R_100")
        await log.wait(TradesEvent)
    (forget_all,) = server.requests_of("forget_all")
    assert set(forget_all["forget_all"]) == {"ticks", "candles", "proposal", "proposal_open_contract", "balance"}
    assert server.subscriptions() == {}
    assert log.states()[-1] is ConnectionState.CLOSED
