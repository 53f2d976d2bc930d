"""The contract desk on a real DerivVenue against the local Deriv test server: buys checked, journaled,
refused in words, and a buy whose answer was lost found again in the statement (never re-sent)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from terminal.domain.contracts import Basis, ContractSpec, DurationUnit
from terminal.session.audit import Audit
from terminal.session.contract_desk import ContractDesk
from terminal.session.contract_store import ContractStore
from terminal.session.order_manager import Notice
from terminal.venues.base import AccountEvent, ContractEvent, ProposalEvent, VenueEvent
from terminal.venues.deriv.venue import DerivVenue
from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import READ_TOKEN, TRADE_LOGIN, TRADE_TOKEN, started_server
from tests.venues.deriv.live import venue_for

SPEC = ContractSpec("R_100", "CALL", Decimal("10"), Basis.STAKE, 5, DurationUnit.MINUTES, "USD")


@dataclass
class Desk:
    venue: DerivVenue
    store: ContractStore
    desk: ContractDesk
    notices: list[Notice]
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    blocked: str = ""

    def said(self, level: str) -> list[str]:
        return [n.text for n in self.notices if n.level == level]

    async def settle(self) -> None:
        while any(not task.done() for task in self.tasks):
            await asyncio.gather(*self.tasks)


async def _until(condition: object, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition did not come true in time")


@contextlib.asynccontextmanager
async def _desk(server: DerivTestServer, token: str) -> AsyncIterator[Desk]:
    store = ContractStore()
    notices: list[Notice] = []
    holder: list[Desk] = []

    def spawn(coroutine: Coroutine[object, object, None]) -> None:
        holder[0].tasks.append(asyncio.ensure_future(coroutine))

    def sink(event: VenueEvent) -> None:
        if isinstance(event, ContractEvent):
            previous = store.contracts.get(event.contract.contract_id)
            store.apply(event)
            holder[0].desk.on_contract(event, previous)
        elif isinstance(event, ProposalEvent | AccountEvent):
            store.apply(event)

    venue = venue_for(server, token, request_timeout=1.0)
    desk = ContractDesk(
        venue, store, notify=notices.append, spawn=spawn, audit=Audit(None), blocked=lambda: holder[0].blocked
    )
    holder.append(Desk(venue, store, desk, notices))
    await venue.start(sink)
    try:
        yield holder[0]
    finally:
        desk.close()
        for task in holder[0].tasks:
            task.cancel()
        await venue.close()


@pytest.fixture
def server() -> Iterator[DerivTestServer]:
    server = started_server(tick_interval=0.05)
    yield server
    server.stop()
    assert server.violations == []


async def _priced(d: Desk) -> None:
    d.desk.price(SPEC)
    await _until(lambda: d.store.proposal is not None and d.store.proposal.quote is not None)
    assert d.desk.buy_refusal(SPEC) == ""


async def test_a_buy_is_bought_at_most_at_the_quote_and_followed(server: DerivTestServer) -> None:
    async with _desk(server, TRADE_TOKEN) as d:
        await _priced(d)
        purchase = await d.desk.buy(SPEC)
        assert purchase is not None and purchase.buy_price == SPEC.amount
        assert d.desk.followed == {purchase.contract_id}
        await _until(lambda: purchase.contract_id in d.store.contracts)
        await d.settle()
        assert [entry.contract_id for entry in d.store.portfolio] == [purchase.contract_id]
        assert any(line.contract_id == purchase.contract_id for line in d.store.statement)
        assert d.said("info")[0].startswith(f"Bought contract {purchase.contract_id} for 10.00 USD")


async def test_a_lost_buy_answer_is_found_in_the_statement_and_followed_never_resent(
    server: DerivTestServer,
) -> None:
    async with _desk(server, TRADE_TOKEN) as d:
        await _priced(d)
        server.swallow_next("buy")  # the venue buys, but its answer never comes
        assert await d.desk.buy(SPEC) is None
        assert "No clear answer from the venue" in d.said("warning")[0]
        assert d.desk.reconciling == 1
        await _until(lambda: d.desk.reconciling == 0, timeout=8)
        [bought] = server.contracts_of(TRADE_LOGIN)
        assert d.desk.followed == {bought.contract_id}
        assert any(f"went through: contract {bought.contract_id}" in text for text in d.said("info"))
        assert len(server.requests_of("buy")) == 1  # looked up, not sent again


async def test_a_refused_buy_is_said_in_words_and_nothing_is_followed(server: DerivTestServer) -> None:
    async with _desk(server, TRADE_TOKEN) as d:
        await _priced(d)
        server.fail_next("buy", "InsufficientBalance", "Your account balance is insufficient for this transaction.")
        assert await d.desk.buy(SPEC) is None
        assert d.said("error") == [
            "Not bought: Not enough funds: Your account balance is insufficient for this transaction."
        ]
        assert d.desk.followed == set() and server.contracts_of(TRADE_LOGIN) == []


async def test_nothing_leaves_without_the_trade_scope_while_paused_or_for_a_bad_spec(server: DerivTestServer) -> None:
    async with _desk(server, READ_TOKEN) as d:
        await _priced_read_only(d)
        assert "trade scope" in d.desk.buy_refusal(SPEC)
        assert await d.desk.buy(SPEC) is None
    async with _desk(server, TRADE_TOKEN) as d:
        await _priced(d)
        d.blocked = "reconciling the last session"
        assert d.desk.buy_refusal(SPEC) == "trading is paused: reconciling the last session"
        d.blocked = ""
        bad = ContractSpec("R_100", "ONETOUCH", Decimal("10.005"), Basis.STAKE, 5, DurationUnit.TICKS, "USD")
        refusal = d.desk.buy_refusal(bad)
        assert "needs a barrier" in refusal and "multiple of 0.01" in refusal and "Touches takes" in refusal
    assert server.requests_of("buy") == []


async def _priced_read_only(d: Desk) -> None:
    d.desk.price(SPEC)  # a read-only token may still price
    await _until(lambda: d.store.proposal is not None and d.store.proposal.quote is not None)


async def test_selling_an_open_contract_at_the_market(server: DerivTestServer) -> None:
    async with _desk(server, TRADE_TOKEN) as d:
        await _priced(d)
        purchase = await d.desk.buy(SPEC)
        assert purchase is not None
        await _until(lambda: (c := d.store.contracts.get(purchase.contract_id)) is not None and c.can_sell)
        sale = await d.desk.sell(purchase.contract_id)
        assert sale is not None and sale.contract_id == purchase.contract_id
        assert server.requests_of("sell")[-1]["price"] == 0
        await _until(lambda: not d.store.contracts[purchase.contract_id].is_open)
        assert d.desk.followed == set()  # its stream ended with the contract
        again = await d.desk.sell(purchase.contract_id)
        assert again is None and "no longer open" in d.said("error")[-1]
