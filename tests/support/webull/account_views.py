"""Accounts, balances, positions and instrument profiles in the reference's answer shapes."""

from __future__ import annotations

from decimal import Decimal

from tests.support.webull.accounts import FakeAccount, FakePosition
from tests.support.webull.instruments import BY_SYMBOL, FakeInstrument, as_price
from tests.support.webull.market import Market
from tests.support.webull.wire import JSON, text

CENT = Decimal("0.01")


def account_row(account: FakeAccount) -> JSON:
    """AccountListResult (reference: "List Accounts")."""
    return {
        "account_id": account.account_id,
        "account_number": account.account_number,
        "account_type": account.type,
        "account_class": account.account_class,
        "account_label": f"{account.currency} {account.type.title()}",
    }


def position_value(position: FakePosition, market: Market) -> tuple[Decimal, Decimal]:
    """(market value, unrealized profit) at the last price."""
    last = market.quotes[position.symbol].price
    return position.quantity * last, (last - position.cost_price) * position.quantity


def position_row(position: FakePosition, account: FakeAccount, market: Market) -> JSON:
    """AssetsPositionResult (reference: "List Account Positions")."""
    instrument = BY_SYMBOL[position.symbol]
    value, profit = position_value(position, market)
    rate = profit / (position.cost_price * position.quantity) if position.cost_price else Decimal(0)
    return {
        "position_id": position.position_id,
        "symbol": position.symbol,
        "currency": account.currency,
        "quantity": text(position.quantity),
        "instrument_type": "EQUITY",
        "option_strategy": "SINGLE",  # present, and SINGLE, in the reference's equity example
        "cost_price": text(as_price(instrument.market, position.cost_price)),
        "last_price": text(market.quotes[position.symbol].price),
        "market_value": text(value.quantize(CENT)),
        "unrealized_profit_loss": text(profit.quantize(CENT)),
        "unrealized_profit_loss_rate": text(rate.quantize(Decimal("0.0001"))),
    }


def balance(account: FakeAccount, market: Market) -> JSON:
    """AssetsBalanceResult (reference: "Get Account Balance"): one currency asset per account."""
    values = [position_value(position, market) for position in account.positions.values()]
    market_value = sum((value for value, _ in values), Decimal(0))
    profit = sum((gain for _, gain in values), Decimal(0))
    reserved = account.reserved_cash()
    asset = {
        "currency": account.currency,
        "cash_balance": text(account.cash.quantize(CENT)),
        "settled_cash": text(account.cash.quantize(CENT)),
        "unsettled_cash": "0.00",
        "market_value": text(market_value.quantize(CENT)),
        "held_amount": "0.00",
        "frozen_amount": text(reserved.quantize(CENT)),
        "buying_power": text(account.buying_power().quantize(CENT)),
        "unrealized_profit_loss": text(profit.quantize(CENT)),
        "available_withdrawal": text(max(account.cash - reserved, Decimal(0)).quantize(CENT)),
        "interests_unpaid": "0.00",
        "net_liquidation_value": text((account.cash + market_value).quantize(CENT)),
    }
    return {
        "total_asset_currency": account.currency,
        "total_cash_balance": asset["cash_balance"],
        "total_market_value": asset["market_value"],
        "total_unrealized_profit_loss": asset["unrealized_profit_loss"],
        "total_net_liquidation_value": asset["net_liquidation_value"],
        "account_currency_assets": [asset],
    }


def instrument_row(instrument: FakeInstrument) -> JSON:
    """InstrumentStockDetailVO (reference: "List Stock Instruments")."""
    us = instrument.market == "US"
    return {
        "name": instrument.name,
        "instrument_id": instrument.instrument_id,
        "exchange_code": instrument.exchange_code,
        "category": instrument.category,
        "symbol": instrument.symbol,
        "status": "OC",
        "shortable": us,
        "fractionable": False,
        "marginable": True,
        "overnight_trading_supported": us,
        "margin_requirement_long": "0.5",
        "margin_requirement_short": "0.5" if us else "1",
        "intraday_margin_long": "0.25",
        "intraday_margin_short": "0.25",
        "maintenance_margin_long": "0.3",
        "maintenance_margin_short": "0.3",
        "easy_to_borrow": us,
        "lot_size": text(instrument.lot_size),
        "currency": instrument.currency,
        "sub_category": "COMMON_STOCK",
    }
