"""Contracts on the Deriv test server: price, buy, follow until settled, sell, history, refusals, lost answers."""

from __future__ import annotations

import asyncio
import dataclasses
from decimal import Decimal

import pytest

from terminal.domain.contracts import Basis, ContractSpec, ContractStatus, DurationUnit
from terminal.venues.base import ContractEvent, ProposalEvent
from terminal.venues.errors import (
    InsufficientFunds,
    OrderRejected,
    PermissionDenied,
    RateLimited,
    UnknownOutcome,
)
from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import READ_TOKEN, TRADE_LOGIN
from tests.venues.deriv.live import EventLog, running

TICKS = ContractSpec("R_100", "CALL", Decimal("10"), Basis.STAKE, 5, DurationUnit.TICKS, "USD")
MINUTES = ContractSpec("R_100", "PUT", Decimal("10"), Basis.STAKE, 5, DurationUnit.MINUTES, "USD")


async def _quote(log: EventLog, spec: ContractSpec, after: int = 0) -> ProposalEvent:
    return await log.wait(ProposalEvent, lambda e: e.spec == spec and e.quote is not None, after=after)


async def test_propose_then_buy_then_follow_until_settled(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        watch = venue.propose(TICKS)
        event = await _quote(log, TICKS)
        assert event.quote is not None
        quote = event.quote
        assert quote.ask_price == Decimal("10") and quote.payout > quote.ask_price
        assert quote.longcode and quote.spot.as_tuple().exponent == -2
        newer = await _quote(log, TICKS, after=next(i for i, e in enumerate(log.events) if e is event) + 1)
        assert newer.quote is not None and newer.quote.proposal_id != quote.proposal_id

        purchase = await venue.buy(newer.quote)
        assert purchase.buy_price == Decimal("10") and purchase.payout == newer.quote.payout
        assert purchase.balance_after == Decimal("9990")
        (request,) = server.requests_of("buy")
        assert request["buy"] == newer.quote.proposal_id and request["price"] == 10
        watch.release()

        venue.follow(purchase.contract_id)
        first = await log.wait(ContractEvent, lambda e: e.contract.contract_id == purchase.contract_id)
        assert first.contract.symbol == "R_100" and first.contract.buy_price == Decimal("10")
        final = await log.wait(ContractEvent, lambda e: not e.contract.is_open)
        assert final.contract.status in (ContractStatus.WON, ContractStatus.LOST)
        assert final.contract.bid_price is None and not final.contract.can_sell
        await asyncio.sleep(0.2)
        mark = log.mark()
        await asyncio.sleep(0.2)
        assert not [e for e in log.events[mark:] if isinstance(e, ContractEvent)]  # the stream ended

        (entry,) = [t for t in await venue.statement() if t.action == "buy"]
        assert entry.contract_id == purchase.contract_id and entry.amount == Decimal("-10")
        (closed,) = await venue.profit_table()
        assert closed.contract_id == purchase.contract_id and closed.buy_price == Decimal("10")
        assert await venue.portfolio() == []


async def test_sell_an_open_contract(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        venue.propose(MINUTES)
        quote = (await _quote(log, MINUTES)).quote
        assert quote is not None
        purchase = await venue.buy(quote)
        (held,) = await venue.portfolio()
        assert held.contract_id == purchase.contract_id and held.symbol == "R_100"
        venue.follow(purchase.contract_id)
        sellable = await log.wait(ContractEvent, lambda e: e.contract.can_sell)
        assert sellable.contract.bid_price is not None and sellable.contract.is_open
        sale = await venue.sell(purchase.contract_id, Decimal(0))
        assert sale.contract_id == purchase.contract_id and sale.sold_for >= 0
        assert sale.balance_after == Decimal("9990") + sale.sold_for
        sold = await log.wait(ContractEvent, lambda e: e.contract.status is ContractStatus.SOLD)
        assert sold.contract.sell_price == sale.sold_for
        with pytest.raises(OrderRejected, match="sold"):
            await venue.sell(purchase.contract_id, Decimal(0))
    request = server.requests_of("sell")[0]
    assert request["sell"] == purchase.contract_id and request["price"] == 0


async def test_equal_specs_share_one_price_stream(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        first = venue.propose(TICKS)
        second = venue.propose(dataclasses.replace(TICKS))
        await _quote(log, TICKS)
        assert len(server.requests_of("proposal")) == 1
        first.release()
        second.release()
        for _ in range(100):
            if server.requests_of("forget"):
                break
            await asyncio.sleep(0.02)
        assert len(server.requests_of("forget")) == 1


async def test_a_spec_the_venue_will_not_price(server: DerivTestServer) -> None:
    closed = dataclasses.replace(TICKS, symbol="frxUSDJPY", duration=5, duration_unit=DurationUnit.MINUTES)
    async with running(server) as (venue, log):
        venue.propose(closed)
        event = await log.wait(ProposalEvent, lambda e: e.spec == closed)
        assert event.quote is None and event.error == "This market is presently closed."
        assert venue.contracts.proposals() == {closed: 1}
        assert venue.connection.count("proposal") == 0  # it does not count against the limit


async def test_the_venues_limits_apply(server: DerivTestServer) -> None:
    server.set_limits(max_proposals=2, general_per_minute=120, pricing_per_minute=90, outcome_per_minute=30)
    async with running(server) as (venue, log):
        limits = venue.connection.pacer.limits
        assert (limits.max_proposals, limits.general.minutely, limits.pricing.minutely, limits.outcome.minutely) == (
            2,
            120,
            90,
            30,
        )
        venue.propose(TICKS)
        venue.propose(MINUTES)
        with pytest.raises(RateLimited, match="2 live contract prices"):
            venue.propose(dataclasses.replace(TICKS, amount=Decimal("11")))
        await _quote(log, MINUTES)
        assert len(server.requests_of("proposal")) == 2
        assert venue.status().rate_headroom["pricing"] <= 88


async def test_refusals_keep_the_venues_message(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        venue.propose(TICKS)
        event = await _quote(log, TICKS)
        assert event.quote is not None
        server.fail_next("buy", "InsufficientBalance", "Your account balance is insufficient.")
        with pytest.raises(InsufficientFunds, match="insufficient") as raised:
            await venue.buy(event.quote)
        assert raised.value.code == "InsufficientBalance"
        cheaper = dataclasses.replace(event.quote, ask_price=Decimal("9.5"))
        with pytest.raises(OrderRejected) as moved:
            await venue.buy(cheaper)
        assert moved.value.code == "PriceMoved"
    assert server.contracts_of(TRADE_LOGIN) == []


async def test_a_read_only_token_cannot_buy(server: DerivTestServer) -> None:
    async with running(server, READ_TOKEN) as (venue, log):
        venue.propose(TICKS)
        event = await _quote(log, TICKS)
        assert event.quote is not None
        with pytest.raises(PermissionDenied):
            await venue.buy(event.quote)


async def test_a_lost_answer_to_a_buy_is_an_unknown_outcome(server: DerivTestServer) -> None:
    async with running(server, request_timeout=0.5) as (venue, log):
        venue.propose(MINUTES)
        event = await _quote(log, MINUTES)
        assert event.quote is not None
        server.swallow_next("buy")
        with pytest.raises(UnknownOutcome, match="not known"):
            await venue.buy(event.quote)
        (bought,) = server.contracts_of(TRADE_LOGIN)  # it did go through: the desk reconciles by the statement
        (line,) = [t for t in await venue.statement(since_ms=0) if t.action == "buy"]
        assert line.contract_id == bought.contract_id


async def test_open_contracts_are_reported_at_start(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        venue.propose(MINUTES)
        event = await _quote(log, MINUTES)
        assert event.quote is not None
        purchase = await venue.buy(event.quote)
    async with running(server) as (_, later):
        reported = later.of(ContractEvent)
        assert [e.contract.contract_id for e in reported] == [purchase.contract_id]
        assert reported[0].contract.is_open
