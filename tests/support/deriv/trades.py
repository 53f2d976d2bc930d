"""Buying and closing contracts: the money moved, the statement lines written, the contract recorded. The
caller answers first and then tells the streams, so a buy's answer precedes its balance update."""

from __future__ import annotations

from decimal import Decimal

from tests.support.deriv.accounts import Account, Transaction
from tests.support.deriv.contracts import Contract, close
from tests.support.deriv.market import Tick
from tests.support.deriv.pricing import Quote
from tests.support.deriv.state import ServerState
from tests.support.deriv.texts import shortcode

# Before the first tick arrives a tick contract's end is unknown; this many tick intervals is the estimate.
_TICK_ESTIMATE_MARGIN = 1


def buy(state: ServerState, account: Account, quote: Quote, app_id: int | None) -> tuple[Contract, Transaction]:
    now, spec = state.now(), quote.spec
    if spec.ticks is not None:
        expiry = now + max(1, round((spec.ticks + _TICK_ESTIMATE_MARGIN) * state.tick_interval))
    else:
        expiry = spec.date_expiry if spec.date_expiry is not None else now + spec.seconds(now)
    contract = Contract(
        contract_id=state.bank.next_contract_id(),
        login_id=account.login_id,
        quote=quote,
        buy_price=quote.ask_price,
        payout=quote.payout,
        purchase_time=now,
        buy_transaction_id=0,
        shortcode=shortcode(spec, quote.payout, now, expiry),
        current=state.market.last(spec.symbol.code),
        date_expiry=expiry,
        app_id=app_id,
    )
    line = state.bank.post(account, "buy", -quote.ask_price, now, contract)
    contract.buy_transaction_id = line.transaction_id
    account.contracts[contract.contract_id] = contract
    return contract, line


def finish(state: ServerState, contract: Contract, status: str, price: Decimal, tick: Tick) -> Transaction:
    """Close the contract (won, lost or sold) and credit what it paid; a loss is a sell line of 0, as on Deriv."""
    account = state.bank.account(contract.login_id)
    line = state.bank.post(account, "sell", price, state.now(), contract, reference_id=contract.buy_transaction_id)
    close(contract, status, price, tick, state.now(), line.transaction_id)
    return line
