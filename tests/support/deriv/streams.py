"""What the streams carry (tick, ohlc, proposal, balance, website_status bodies) and the fan-out of a
balance, contract or status change to every connection subscribed to it."""

from __future__ import annotations

from tests.support.deriv.accounts import Account
from tests.support.deriv.candles import Candle
from tests.support.deriv.connection import Stream
from tests.support.deriv.contracts import Contract
from tests.support.deriv.limits import Limits, api_call_limits
from tests.support.deriv.market import Tick
from tests.support.deriv.pricing import Quote
from tests.support.deriv.spec import CURRENCIES
from tests.support.deriv.state import ServerState
from tests.support.deriv.symbols import Symbol
from tests.support.deriv.views import contract_view
from tests.support.deriv.wire import JSON, num

_CURRENCY_NAMES = {"USD": "US Dollar", "EUR": "Euro", "GBP": "Pound Sterling"}


def tick_body(symbol: Symbol, tick: Tick, subscription_id: str) -> JSON:
    # A one-pip spread each side of the quote, as on Deriv's synthetic indices.
    return {
        "tick": {
            "ask": num(tick.quote + symbol.pip),
            "bid": num(tick.quote - symbol.pip),
            "epoch": tick.epoch,
            "id": subscription_id,
            "pip_size": symbol.pip_size,
            "quote": num(tick.quote),
            "symbol": symbol.code,
        }
    }


def ohlc_body(symbol: Symbol, candle: Candle, granularity: int, tick: Tick, subscription_id: str) -> JSON:
    # Deriv sends ohlc prices as strings (candles in ticks_history as numbers).
    return {
        "ohlc": {
            "close": symbol.format(candle.close),
            "epoch": tick.epoch,
            "granularity": granularity,
            "high": symbol.format(candle.high),
            "id": subscription_id,
            "low": symbol.format(candle.low),
            "open": symbol.format(candle.open),
            "open_time": candle.open_time,
            "pip_size": symbol.pip_size,
            "symbol": symbol.code,
        }
    }


def proposal_body(quote: Quote, offer_id: str) -> JSON:
    symbol = quote.spec.symbol
    proposal: JSON = {
        "ask_price": num(quote.ask_price),
        "date_start": quote.date_start,
        "display_value": f"{quote.ask_price:.2f}",
        "id": offer_id,
        "longcode": quote.longcode,
        "payout": num(quote.payout),
        "spot": num(quote.spot.quote),
        "spot_time": quote.spot.epoch,
    }
    if quote.date_expiry is not None:
        proposal["date_expiry"] = quote.date_expiry
    if len(quote.barriers) == 2:
        high, low = quote.barriers
        proposal["contract_details"] = {"high_barrier": symbol.format(high), "low_barrier": symbol.format(low)}
    elif len(quote.barriers) == 1:
        proposal["contract_details"] = {"barrier": symbol.format(quote.barriers[0])}
    return {"proposal": proposal}


def balance_body(account: Account, subscription_id: str | None = None) -> JSON:
    balance: JSON = {"balance": num(account.balance), "currency": account.currency, "loginid": account.login_id}
    if subscription_id is not None:
        balance["id"] = subscription_id
    return {"balance": balance}


def status_body(limits: Limits) -> JSON:
    currencies = {
        code: {
            "fractional_digits": 2,
            "is_deposit_suspended": 0,
            "is_suspended": 0,
            "is_withdrawal_suspended": 0,
            "name": _CURRENCY_NAMES[code],
            "stake_default": 10,
            "transfer_between_accounts": {"fees": {}, "limits": {"max": 5000, "min": 1}},
            "type": "fiat",
        }
        for code in CURRENCIES
    }
    return {
        "website_status": {
            "api_call_limits": api_call_limits(limits),
            "broker_codes": ["CR", "VRTC"],
            "clients_country": "",
            "currencies_config": currencies,
            "site_status": "up",
            "supported_languages": ["EN"],
            "terms_conditions_version": "Version 1 2024-01-01",
        }
    }


def push_balance(state: ServerState, login_id: str) -> None:
    account = state.bank.account(login_id)
    for conn, subscription in state.account_streams(Stream.BALANCE, login_id):
        state.push(conn, subscription, "balance", balance_body(account, subscription.id))


def push_contract(state: ServerState, contract: Contract) -> None:
    """The contract's state to its streams; a closed contract's final update ends them (as on Deriv)."""
    for conn, subscription in state.account_streams(Stream.CONTRACT, contract.login_id):
        if subscription.contract_id != contract.contract_id:
            continue
        body = {"proposal_open_contract": contract_view(contract, state.now(), subscription.id)}
        state.push(conn, subscription, "proposal_open_contract", body)
        if not contract.is_open:
            conn.forget(subscription.id)


def push_status(state: ServerState) -> None:
    for conn in state.connections:
        for subscription in conn.streams(Stream.STATUS):
            state.push(conn, subscription, "website_status", status_body(state.limits))
