"""The market's heartbeat: every tick interval each open symbol ticks, contracts on it move on or settle, and
every stream on that symbol (ticks, ohlc, proposal, open contract) gets its message."""

from __future__ import annotations

import asyncio
import logging
import time
from decimal import Decimal

from tests.support.deriv.connection import Connection, Stream, Subscription
from tests.support.deriv.contracts import observe
from tests.support.deriv.market import Tick
from tests.support.deriv.pricing import price
from tests.support.deriv.state import ServerState
from tests.support.deriv.streams import ohlc_body, proposal_body, push_balance, push_contract, tick_body
from tests.support.deriv.symbols import Symbol
from tests.support.deriv.trades import finish
from tests.support.deriv.wire import DerivError, error_body

log = logging.getLogger(__name__)


async def run_ticker(state: ServerState) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time()
    while True:
        # After a stall, carry on from now rather than firing the missed ticks in a burst.
        deadline = max(deadline + state.tick_interval, loop.time())
        await asyncio.sleep(max(0.0, deadline - loop.time()))
        try:
            for symbol, tick in state.market.advance(state.now()):
                on_tick(state, symbol, tick)
        except Exception as error:  # a server bug must fail the test, not silently stop every stream
            log.exception("Deriv test server: ticker failed")
            state.journal.add_violation(f"server error in the ticker: {error!r}")


def on_tick(state: ServerState, symbol: Symbol, tick: Tick) -> None:
    contracts = list(state.bank.open_contracts(symbol.code))
    for contract in contracts:
        status = observe(contract, tick)
        if status is not None:
            finish(state, contract, status, contract.payout if status == "won" else Decimal(0), tick)
    for conn in list(state.connections):
        for subscription in list(conn.subscriptions.values()):
            if subscription.symbol == symbol.code:
                _stream(state, conn, subscription, symbol, tick)
    for contract in contracts:
        push_contract(state, contract)
    for login_id in sorted({contract.login_id for contract in contracts if not contract.is_open}):
        push_balance(state, login_id)


def _stream(state: ServerState, conn: Connection, subscription: Subscription, symbol: Symbol, tick: Tick) -> None:
    if subscription.stream is Stream.TICKS:
        state.push(conn, subscription, "tick", tick_body(symbol, tick, subscription.id))
    elif subscription.stream is Stream.CANDLES:
        candle = state.candles.live(symbol.code, subscription.granularity)
        state.push(
            conn, subscription, "ohlc", ohlc_body(symbol, candle, subscription.granularity, tick, subscription.id)
        )
    elif subscription.stream is Stream.PROPOSAL and subscription.spec is not None:
        try:
            quote = price(subscription.spec, tick, state.now())
        except DerivError as error:  # Deriv reports a proposal that stopped pricing inside its stream
            state.push(conn, subscription, "proposal", error_body(error))
            return
        offer_id = conn.remember(quote, subscription.offers, time.monotonic())
        state.push(conn, subscription, "proposal", proposal_body(quote, offer_id))
