"""Sizes for the 25/50/75/100 % buttons and the notional and fee an order would cost (no Qt).

Fees charged in the asset an order spends are locked on top of it when the order enters (the
demo exchange does as HashKey documents), so a size leaves room for them or the venue refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Protocol

from terminal.domain.decimals import ONE, ZERO, div, floor_to, mul
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest

PERCENTAGES = (25, 50, 75, 100)


class FeeRates(Protocol):
    """The venue's rates for one symbol (``terminal.venues.base.Fees`` has this shape)."""

    @property
    def maker(self) -> Decimal: ...

    @property
    def taker(self) -> Decimal: ...

    @property
    def buy_currency(self) -> str: ...

    @property
    def sell_currency(self) -> str: ...


class Liquidity(StrEnum):
    MAKER = "maker"
    TAKER = "taker"


def liquidity(
    side: Side,
    order_type: OrderType,
    time_in_force: TimeInForce | None,
    price: Decimal | None,
    best_bid: Decimal | None,
    best_ask: Decimal | None,
) -> Liquidity:
    """Taker for orders that never rest (market, at-auction, special limit), IOC and FOK orders and for limits
    that cross the book; maker for orders that rest."""
    if order_type is OrderType.LIMIT_MAKER:
        return Liquidity.MAKER
    if not order_type.rests or time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
        return Liquidity.TAKER
    if price is not None:
        if side is Side.BUY and best_ask is not None and price >= best_ask:
            return Liquidity.TAKER
        if side is Side.SELL and best_bid is not None and price <= best_bid:
            return Liquidity.TAKER
    return Liquidity.MAKER


def fee_currency(fees: FeeRates, side: Side) -> str:
    return fees.buy_currency if side is Side.BUY else fees.sell_currency


def reserve_rate(
    fees: FeeRates | None, side: Side, spent_asset: str, order_type: OrderType, time_in_force: TimeInForce | None
) -> Decimal:
    """The share of the spent amount the venue locks on top of it for fees charged in that asset:
    the higher of the rates the order may pay (a resting limit may make or take)."""
    if fees is None or fee_currency(fees, side) != spent_asset:
        return ZERO
    may_take = order_type is not OrderType.LIMIT_MAKER
    may_make = order_type is OrderType.LIMIT_MAKER or (
        order_type.rests and time_in_force in (None, TimeInForce.GTC, TimeInForce.DAY)
    )
    rates = ([fees.maker] if may_make else []) + ([fees.taker] if may_take else [])
    return max([ZERO, *rates])


def market_buy_unit_price(instrument: Instrument, reference: Decimal | None) -> Decimal | None:
    """What a market buy by quantity is funded at: the band's ceiling above the reference price
    (004: "Market buy cannot be higher than the mark price" plus buyPriceUpRate), else the reference."""
    if reference is None or reference <= 0:
        return None
    band = instrument.market_trading
    ceiling = band.buy_ceiling(reference) if band is not None else None
    return ceiling if ceiling is not None else reference


@dataclass(frozen=True, slots=True)
class SizeQuery:
    """Everything a percentage of the free balance depends on."""

    percent: int
    side: Side
    type: OrderType
    time_in_force: TimeInForce | None
    by_amount: bool  # a market buy sized by quote amount
    free: Decimal  # free balance of the asset the order spends
    unit_price: Decimal | None  # the limit price; for market buys ``market_buy_unit_price``


def percent_size(query: SizeQuery, instrument: Instrument, fees: FeeRates | None) -> Decimal | None:
    """The quantity (or, for a market buy by amount, the quote amount) that spends ``percent`` % of
    the free balance, floored to its step; None when a buy has no price to divide by."""
    share = div(mul(max(query.free, ZERO), Decimal(query.percent)), Decimal(100), ROUND_FLOOR)
    if query.type is OrderType.MARKET and query.side is Side.BUY and query.by_amount:
        # The quote amount is the whole budget, fees in the quote asset included: nothing to hold back.
        return floor_to(share, instrument.amount_step)
    spent = instrument.spends(query.side)
    room = ONE + reserve_rate(fees, query.side, spent, query.type, query.time_in_force)
    step = instrument.quantity_step(query.type)
    if query.side is Side.SELL:
        size = floor_to(div(share, room, ROUND_FLOOR), step)
    elif query.unit_price is None or query.unit_price <= 0:
        return None
    else:
        size = floor_to(div(share, mul(query.unit_price, room), ROUND_FLOOR), step)
    if query.type is OrderType.ODD_LOT:  # fewer shares than one board lot
        size = min(size, max(instrument.step_size - step, ZERO))
    return size


@dataclass(frozen=True, slots=True)
class Estimate:
    """What an order would cost: its notional in the quote asset and its fee, at the rate that applies."""

    notional: Decimal | None  # None without a price to value a market order at
    approximate: bool  # the notional is valued at the reference price, not at a price of the order's own
    liquidity: Liquidity
    rate: Decimal | None  # None when the venue gave no fee rates
    fee: Decimal | None
    fee_currency: str
    fee_approximate: bool = False


def estimate(
    request: OrderRequest,
    instrument: Instrument,
    fees: FeeRates | None,
    *,
    reference: Decimal | None,
    best_bid: Decimal | None,
    best_ask: Decimal | None,
) -> Estimate:
    side = request.side
    kind = liquidity(side, request.type, request.time_in_force, request.price, best_bid, best_ask)
    market = not request.type.takes_price  # valued at the reference price
    price = reference if market else request.price
    if price is not None and price <= 0:
        price = None
    notional: Decimal | None = None
    base_qty: Decimal | None = request.quantity
    if request.amount is not None:
        notional = request.amount
        base_qty = div(request.amount, price) if price is not None else None
    elif request.quantity is not None and price is not None:
        notional = mul(request.quantity, price)
    # Valued at the reference price: a market order's notional by quantity, its quantity by amount.
    notional_approximate = market and request.amount is None
    quantity_approximate = market and request.amount is not None
    if fees is None:
        return Estimate(notional, notional_approximate, kind, None, None, "")
    rate = fees.maker if kind is Liquidity.MAKER else fees.taker
    currency = fee_currency(fees, side)
    charged_on, approximate = None, False
    if currency == instrument.quote_asset:
        charged_on, approximate = notional, notional_approximate
    elif currency == instrument.base_asset:
        charged_on, approximate = base_qty, quantity_approximate
    fee = mul(charged_on, rate) if charged_on is not None else None
    return Estimate(notional, notional_approximate, kind, rate, fee, currency, approximate)
