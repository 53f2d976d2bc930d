"""Trading calls: proposal (price a contract, optionally streamed), buy, sell and proposal_open_contract."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

from tests.support.deriv import trades
from tests.support.deriv.connection import Stream, ensure_new
from tests.support.deriv.contracts import Contract, sell_refusal, value
from tests.support.deriv.pricing import Quote, price
from tests.support.deriv.spec import parse_spec
from tests.support.deriv.state import Context
from tests.support.deriv.streams import proposal_body, push_balance, push_contract
from tests.support.deriv.views import contract_view
from tests.support.deriv.wire import DerivError, num

SOLD = "This contract has been sold."
NOT_OFFERED = "Resale of this contract is not offered."
EXPIRED = "Proposal has expired or is not valid."


def proposal(ctx: Context) -> None:
    state, body = ctx.state, ctx.request.body
    spec = parse_spec(body, state.market, state.now())
    quote = price(spec, state.market.last(spec.symbol.code), state.now())
    if body.get("subscribe") != 1:
        ctx.reply("proposal", proposal_body(quote, ctx.conn.remember(quote, ctx.conn.one_shot, time.monotonic())))
        return
    live = ctx.conn.streams(Stream.PROPOSAL)
    if len(live) >= state.limits.max_proposals:
        raise DerivError(
            "RateLimit", f"You have reached the limit of {state.limits.max_proposals} proposal subscriptions."
        )
    ensure_new([s for s in live if s.spec == spec], "proposal")
    subscription = ctx.subscribe(Stream.PROPOSAL, symbol=spec.symbol.code, spec=spec)
    offer_id = ctx.conn.remember(quote, subscription.offers, time.monotonic())
    ctx.reply("proposal", proposal_body(quote, offer_id), subscription.id)


def buy(ctx: Context) -> None:
    state, body, account = ctx.state, ctx.request.body, ctx.account
    quote = _quote_to_buy(ctx)
    currency = account.currency
    if quote.spec.currency != currency:
        raise DerivError(
            "NotDefaultCurrency", f"The provided currency {quote.spec.currency} is not the default currency"
        )
    limit = Decimal(str(body["price"]))
    if limit < quote.ask_price:
        raise DerivError(
            "PriceMoved",
            "The underlying market has moved too much since you priced the contract. "
            f"The contract price has changed from {limit:.2f} {currency} to {quote.ask_price:.2f} {currency}.",
        )
    if account.balance < quote.ask_price:
        raise DerivError(
            "InsufficientBalance",
            f"Your account balance ({currency} {account.balance:.2f}) is insufficient to buy this contract "
            f"({currency} {quote.ask_price:.2f}).",
        )
    contract, line = trades.buy(state, account, quote, ctx.conn.app_id_number)
    ctx.conn.offers.pop(body["buy"], None)  # an id buys one contract
    subscription_id = None
    if body.get("subscribe") == 1:  # buy with subscribe streams the new contract, as proposal_open_contract
        subscription = ctx.subscribe(Stream.CONTRACT, schema="proposal_open_contract",
                                     contract_id=contract.contract_id, login_id=account.login_id)  # fmt: skip
        subscription_id = subscription.id
    bought = {
        "balance_after": num(line.balance_after),
        "buy_price": num(contract.buy_price),
        "contract_id": contract.contract_id,
        "longcode": contract.longcode,
        "payout": num(contract.payout),
        "purchase_time": contract.purchase_time,
        "shortcode": contract.shortcode,
        "start_time": contract.purchase_time,
        "transaction_id": line.transaction_id,
    }
    ctx.reply("buy", {"buy": bought}, subscription_id)
    push_balance(state, account.login_id)


def _quote_to_buy(ctx: Context) -> Quote:
    state, body = ctx.state, ctx.request.body
    if body["buy"] != "1":
        offer = ctx.conn.offer(body["buy"], time.monotonic())
        if offer is None:
            raise DerivError("InvalidContractProposal", EXPIRED)
        return offer.quote
    if "parameters" not in body:  # "1" means: the contract is described in parameters
        raise DerivError("InvalidContractProposal", EXPIRED)
    spec = parse_spec(body["parameters"], state.market, state.now())
    return price(spec, state.market.last(spec.symbol.code), state.now())


def sell(ctx: Context) -> None:
    state, body, account = ctx.state, ctx.request.body, ctx.account
    contract = account.contracts.get(body["sell"])
    if contract is None:
        raise DerivError("InvalidSellContractProposal", "This contract was not found among your open positions.")
    now = state.now()
    refusal = sell_refusal(contract, now)
    if refusal is not None:
        raise DerivError("InvalidSellContractProposal", SOLD if refusal == SOLD else NOT_OFFERED)
    bid = value(contract, now)
    floor = Decimal(str(body["price"]))  # 0 sells at market
    if floor > 0 and bid < floor:
        raise DerivError("InvalidSellContractProposal", "The contract's price moved below the price you asked for.")
    line = trades.finish(state, contract, "sold", bid, contract.current)
    sold = {
        "balance_after": num(line.balance_after),
        "contract_id": contract.contract_id,
        "reference_id": contract.buy_transaction_id,
        "sold_for": num(bid),
        "transaction_id": line.transaction_id,
    }
    ctx.reply("sell", {"sell": sold})
    push_contract(state, contract)
    push_balance(state, account.login_id)


def proposal_open_contract(ctx: Context) -> None:
    body, account, now = ctx.request.body, ctx.account, ctx.state.now()
    streamed = {s.contract_id for s in ctx.conn.streams(Stream.CONTRACT)}
    if "contract_id" in body:
        found = account.contracts.get(body["contract_id"])
        contracts: list[Contract] = [found] if found is not None else []
        if found is not None and found.is_open and body.get("subscribe") == 1 and found.contract_id in streamed:
            raise DerivError("AlreadySubscribed", "You are already subscribed to proposal_open_contract.")
    else:
        contracts = [c for c in account.contracts.values() if c.is_open]
    if not contracts:  # Deriv answers an unknown contract, or none open, with an empty object
        ctx.reply("proposal_open_contract", {"proposal_open_contract": {}})
        return
    for contract in contracts:
        subscription_id = None
        # A closed contract comes back once, without a stream; so does one this connection already streams.
        if body.get("subscribe") == 1 and contract.is_open and contract.contract_id not in streamed:
            subscription = ctx.subscribe(Stream.CONTRACT, contract_id=contract.contract_id, login_id=account.login_id)
            subscription_id = subscription.id
        view = contract_view(contract, now, subscription_id)
        ctx.reply("proposal_open_contract", {"proposal_open_contract": view}, subscription_id)


HANDLERS: dict[str, Callable[[Context], None]] = {
    "proposal": proposal,
    "buy": buy,
    "sell": sell,
    "proposal_open_contract": proposal_open_contract,
}
