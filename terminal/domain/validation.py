"""Check an order request against its instrument's rules before it may leave the terminal.

Every violated rule is returned, each as a sentence a trader can act on and, where one
exists, the nearest value that satisfies that rule ("price 101.237 is not a multiple of the
tick 0.01: nearest 101.24"). The rules and their parameters come from the source document
(004, "Create Order v1.1" and "Get Exchange Information").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from terminal.domain.decimals import ONE, ceil_to, div, floor_to, format_decimal, is_multiple, mul, quantize, to_plain
from terminal.domain.enums import OrderType, Side
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest

# 004, "Create Order v1.1": newClientOrderId "up to 255 characters". We also keep it to
# characters that travel unescaped in a query string, so what is signed is what is sent.
CLIENT_ORDER_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,255}")

# How the rules' sentences name each order type ("an odd-lot order takes ...").
_KIND: dict[OrderType, str] = {
    OrderType.LIMIT: "limit",
    OrderType.MARKET: "market",
    OrderType.LIMIT_MAKER: "limit-maker",
    OrderType.ENHANCED_LIMIT: "enhanced limit",
    OrderType.AT_AUCTION: "at-auction",
    OrderType.AT_AUCTION_LIMIT: "at-auction limit",
    OrderType.ODD_LOT: "odd-lot",
    OrderType.SPECIAL_LIMIT: "special limit",
}

# An odd-lot order counts whole shares (fewer than one board lot, the instrument's step).
_SHARE = ONE


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: which field, a stable rule id, a sentence, and the nearest valid value."""

    field: str
    rule: str
    message: str
    nearest: Decimal | None = None


@dataclass(frozen=True, slots=True)
class _Fmt:
    """Formats values the way the instrument shows them."""

    instrument: Instrument

    def price(self, value: Decimal) -> str:
        return format_decimal(value, self.instrument.tick_size)

    def qty(self, value: Decimal) -> str:
        return format_decimal(value, self.instrument.step_size)

    def amount(self, value: Decimal) -> str:
        return f"{format_decimal(value, self.instrument.amount_step)} {self.instrument.quote_asset}"

    @staticmethod
    def raw(value: Decimal) -> str:
        return to_plain(value)


def validate_order(
    request: OrderRequest,
    instrument: Instrument,
    *,
    reference_price: Decimal | None = None,
    free_balance: Decimal | None = None,
    best_bid: Decimal | None = None,
    best_ask: Decimal | None = None,
    open_orders: int | None = None,
    now_ms: int | None = None,
) -> list[Violation]:
    """Return every rule ``request`` breaks; an empty list means it may be sent.

    ``reference_price`` is the venue's mark/last price for the LIMIT_TRADING band,
    ``free_balance`` the free amount of the asset the order spends (quote for buys, base for
    sells), ``best_bid``/``best_ask`` the book for LIMIT_MAKER, ``open_orders`` the user's open
    orders on the symbol, ``now_ms`` the venue's time for OPEN_QUOTE windows.
    """
    out: list[Violation] = []
    fmt = _Fmt(instrument)

    if request.symbol != instrument.symbol:
        out.append(
            Violation("symbol", "symbol", f"order is for {request.symbol} but the rules are for {instrument.symbol}")
        )
    if not instrument.is_trading:
        out.append(Violation("symbol", "status", f"{instrument.symbol} is not trading now ({instrument.status})"))
    if request.type not in instrument.order_types:
        out.append(Violation("type", "order_type", f"{request.type} orders are not accepted for {instrument.symbol}"))
    else:
        allowed = instrument.time_in_force_for(request.type)
        if request.time_in_force is not None and request.time_in_force not in allowed:
            choices = " or ".join(allowed)
            out.append(
                Violation(
                    "timeInForce",
                    "time_in_force",
                    f"{request.time_in_force} is not allowed for {request.type} orders: use {choices}",
                )
            )

    if request.client_order_id is not None and not CLIENT_ORDER_ID_PATTERN.fullmatch(request.client_order_id):
        out.append(
            Violation(
                "clientOrderId",
                "client_order_id",
                "client order id must be 1 to 255 letters, digits or . _ : -",
            )
        )

    if request.type.takes_price:
        out += _limit_fields(request, instrument, fmt, reference_price, best_bid, best_ask, now_ms)
        limit = instrument.max_open_orders
        if open_orders is not None and limit is not None and open_orders >= limit:
            out.append(
                Violation(
                    "openOrders",
                    "max_open_orders",
                    f"{open_orders} orders are already open on {instrument.symbol}; the limit is {limit}",
                )
            )
    elif request.type is OrderType.MARKET:
        out += _market_fields(request, instrument, fmt, now_ms)
    else:
        out += _auction_fields(request, instrument, fmt)

    if free_balance is not None:
        out += _balance(request, instrument, fmt, free_balance, reference_price)
    return out


def _an(order_type: OrderType) -> str:
    """ "a limit order", "an odd-lot order"."""
    kind = _KIND[order_type]
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} order"


def _positive(name: str, value: Decimal | None, nearest: Decimal, fmt_value: str) -> Violation | None:
    if value is None:
        return Violation(name, "required", f"{name} is required", nearest)
    if value <= 0:
        return Violation(name, "positive", f"{name} must be greater than zero: smallest {fmt_value}", nearest)
    return None


def _limit_fields(
    request: OrderRequest,
    instrument: Instrument,
    fmt: _Fmt,
    reference_price: Decimal | None,
    best_bid: Decimal | None,
    best_ask: Decimal | None,
    now_ms: int | None,
) -> list[Violation]:
    out: list[Violation] = []
    tick = instrument.tick_size
    if request.amount is not None:
        out.append(
            Violation("amount", "amount_not_allowed", f"{_an(request.type)} takes a quantity, not a quote amount")
        )

    price = request.price
    problem = _positive("price", price, tick, fmt.price(tick))
    if problem:
        out.append(problem)
        price = None
    else:
        assert price is not None
        out += _price_rules(request, instrument, fmt, price, reference_price, best_bid, best_ask, now_ms)

    qty = request.quantity
    odd_lot = request.type is OrderType.ODD_LOT
    smallest = _SHARE if odd_lot else ceil_to(_min_qty(instrument, market=False), instrument.step_size)
    problem = _positive("quantity", qty, smallest, _shares(smallest) if odd_lot else fmt.qty(smallest))
    if problem:
        out.append(problem)
        return out
    assert qty is not None
    out += _odd_lot_rules(qty, instrument, fmt) if odd_lot else _quantity_rules(qty, instrument, fmt, market=False)
    if price is not None:
        out += _notional_rules(qty, price, instrument, fmt, instrument.quantity_step(request.type))
    return out


def _shares(value: Decimal) -> str:
    return format_decimal(value, _SHARE)


def _odd_lot_rules(qty: Decimal, instrument: Instrument, fmt: _Fmt) -> list[Violation]:
    """An odd-lot order is for 1 to lot - 1 whole shares, the lot being the instrument's step (its board lot)."""
    lot = instrument.step_size
    largest = lot - _SHARE
    if largest < _SHARE or not is_multiple(lot, _SHARE):
        return [
            Violation(
                "quantity",
                "odd_lot",
                f"{instrument.symbol} trades in steps of {fmt.raw(lot)}: there is no odd lot below one board lot",
            )
        ]
    out: list[Violation] = []
    if not is_multiple(qty, _SHARE):
        nearest = min(max(quantize(qty, _SHARE), _SHARE), largest)
        out.append(
            Violation(
                "quantity",
                "step_size",
                f"an odd-lot quantity is a whole number of shares, not {fmt.raw(qty)}: nearest {_shares(nearest)}",
                nearest,
            )
        )
    if qty >= lot:
        out.append(
            Violation(
                "quantity",
                "odd_lot",
                f"an odd-lot order is for fewer shares than one board lot of {_shares(lot)}, not {fmt.raw(qty)}: "
                f"use a limit order for whole lots, or at most {_shares(largest)} here; nearest {_shares(largest)}",
                largest,
            )
        )
    return out


def _price_rules(
    request: OrderRequest,
    instrument: Instrument,
    fmt: _Fmt,
    price: Decimal,
    reference_price: Decimal | None,
    best_bid: Decimal | None,
    best_ask: Decimal | None,
    now_ms: int | None,
) -> list[Violation]:
    out: list[Violation] = []
    tick = instrument.tick_at(price)
    if not is_multiple(price, tick):
        nearest = max(quantize(price, tick, ROUND_HALF_UP), tick)
        out.append(
            Violation(
                "price",
                "tick_size",
                f"price {fmt.raw(price)} is not a multiple of the tick {fmt.raw(tick)}: nearest {fmt.price(nearest)}",
                nearest,
            )
        )

    band = instrument.limit_trading
    if band is not None and reference_price is not None and reference_price > 0:
        if request.side is Side.BUY:
            ceiling = band.buy_ceiling(reference_price)
            if ceiling is not None and price > ceiling:
                nearest = floor_to(ceiling, tick)
                out.append(
                    Violation(
                        "price",
                        "price_band",
                        f"buy price {fmt.raw(price)} is above the limit {fmt.price(nearest)} "
                        f"({_pct(band.buy_up_rate)} above the reference price {fmt.price(reference_price)}): "
                        f"nearest {fmt.price(nearest)}",
                        nearest,
                    )
                )
        else:
            floor = band.sell_floor(reference_price)
            if floor is not None and price < floor:
                nearest = ceil_to(floor, tick)
                out.append(
                    Violation(
                        "price",
                        "price_band",
                        f"sell price {fmt.raw(price)} is below the limit {fmt.price(nearest)} "
                        f"({_pct(band.sell_down_rate)} below the reference price {fmt.price(reference_price)}): "
                        f"nearest {fmt.price(nearest)}",
                        nearest,
                    )
                )

    quote = instrument.open_quote
    if quote is not None and now_ms is not None and quote.limit_window_active(now_ms):
        if quote.limit_min_price > 0 and price < quote.limit_min_price:
            nearest = ceil_to(quote.limit_min_price, tick)
            out.append(
                Violation(
                    "price",
                    "open_quote",
                    f"during the opening window the price may not be below {fmt.price(nearest)}: "
                    f"nearest {fmt.price(nearest)}",
                    nearest,
                )
            )
        if quote.limit_max_price > 0 and price > quote.limit_max_price:
            nearest = floor_to(quote.limit_max_price, tick)
            out.append(
                Violation(
                    "price",
                    "open_quote",
                    f"during the opening window the price may not be above {fmt.price(nearest)}: "
                    f"nearest {fmt.price(nearest)}",
                    nearest,
                )
            )

    if request.type is OrderType.LIMIT_MAKER:
        if request.side is Side.BUY and best_ask is not None and price >= best_ask:
            # The highest tick strictly below the ask (the ask itself may lie off the grid).
            nearest = ceil_to(best_ask, tick) - tick
            out.append(
                Violation(
                    "price",
                    "post_only",
                    f"a limit-maker buy at {fmt.raw(price)} would take liquidity (best ask "
                    f"{fmt.price(best_ask)}): nearest {fmt.price(nearest)}",
                    nearest,
                )
            )
        if request.side is Side.SELL and best_bid is not None and price <= best_bid:
            # The lowest tick strictly above the bid.
            nearest = floor_to(best_bid, tick) + tick
            out.append(
                Violation(
                    "price",
                    "post_only",
                    f"a limit-maker sell at {fmt.raw(price)} would take liquidity (best bid "
                    f"{fmt.price(best_bid)}): nearest {fmt.price(nearest)}",
                    nearest,
                )
            )
    return out


def _min_qty(instrument: Instrument, market: bool) -> Decimal:
    lot = instrument.lot_size
    low = lot.market_min_qty if market and lot.market_min_qty is not None else lot.min_qty
    return max(low, lot.step_size)


def _max_qty(instrument: Instrument, market: bool) -> Decimal:
    lot = instrument.lot_size
    return lot.market_max_qty if market and lot.market_max_qty is not None else lot.max_qty


def validate_quantity(qty: Decimal, instrument: Instrument) -> list[Violation]:
    """The rules a limit order's quantity breaks on its own (step, bounds), e.g. for a default size."""
    if qty <= 0:
        return [Violation("quantity", "positive", f"quantity {to_plain(qty)} must be above zero", instrument.step_size)]
    return _quantity_rules(qty, instrument, _Fmt(instrument), market=False)


def _quantity_rules(qty: Decimal, instrument: Instrument, fmt: _Fmt, market: bool) -> list[Violation]:
    out: list[Violation] = []
    step = instrument.step_size
    low, high = _min_qty(instrument, market), _max_qty(instrument, market)
    what = "market order quantity" if market else "quantity"
    if not is_multiple(qty, step):
        nearest = max(quantize(qty, step), step)
        out.append(
            Violation(
                "quantity",
                "step_size",
                f"{what} {fmt.raw(qty)} is not a multiple of the step {fmt.raw(step)}: nearest {fmt.qty(nearest)}",
                nearest,
            )
        )
    if qty < low:
        nearest = ceil_to(low, step)
        out.append(
            Violation(
                "quantity",
                "min_qty",
                f"{what} {fmt.raw(qty)} is below the minimum {fmt.qty(nearest)}: nearest {fmt.qty(nearest)}",
                nearest,
            )
        )
    if qty > high:
        nearest = floor_to(high, step)
        out.append(
            Violation(
                "quantity",
                "max_qty",
                f"{what} {fmt.raw(qty)} is above the maximum {fmt.qty(nearest)}: nearest {fmt.qty(nearest)}",
                nearest,
            )
        )
    return out


def _notional_rules(qty: Decimal, price: Decimal, instrument: Instrument, fmt: _Fmt, step: Decimal) -> list[Violation]:
    out: list[Violation] = []
    notional = mul(qty, price)
    minimums: list[tuple[str, Decimal]] = []
    if instrument.min_notional is not None and instrument.min_notional.min_notional > 0:
        minimums.append(("min_notional", instrument.min_notional.min_notional))
    amounts = instrument.trade_amount
    if amounts is not None and amounts.min_amount is not None and amounts.min_amount > 0:
        minimums.append(("min_amount", amounts.min_amount))
    # MIN_NOTIONAL and TRADE_AMOUNT.minAmount say the same thing: report only the binding one, whose
    # nearest quantity satisfies both.
    binding = max(minimums, key=lambda item: item[1], default=None)
    for rule, minimum in [binding] if binding is not None else []:
        if notional < minimum:
            nearest = ceil_to(div(minimum, price, ROUND_CEILING), step)
            out.append(
                Violation(
                    "quantity",
                    rule,
                    f"order value {fmt.amount(notional)} (price x quantity) is below the minimum "
                    f"{fmt.amount(minimum)}: nearest quantity {fmt.qty(nearest)}",
                    nearest,
                )
            )
    maximum = amounts.max_amount if amounts is not None else None
    if maximum is not None and maximum > 0 and notional > maximum:
        nearest = floor_to(div(maximum, price, ROUND_FLOOR), step)
        out.append(
            Violation(
                "quantity",
                "max_amount",
                f"order value {fmt.amount(notional)} (price x quantity) is above the maximum "
                f"{fmt.amount(maximum)}: nearest quantity {fmt.qty(nearest)}",
                nearest,
            )
        )
    return out


def _market_fields(request: OrderRequest, instrument: Instrument, fmt: _Fmt, now_ms: int | None) -> list[Violation]:
    out: list[Violation] = []
    quote = instrument.open_quote
    if quote is not None and now_ms is not None and quote.market_blocked(now_ms):
        out.append(
            Violation(
                "type", "open_quote", f"market orders are not accepted on {instrument.symbol} during its opening window"
            )
        )
    if request.price is not None:
        out.append(Violation("price", "price_not_allowed", f"{_an(request.type)} takes no price"))

    qty, amount = request.quantity, request.amount
    if qty is not None and amount is not None:
        # 004, error -1129: "quantity and amount are not allowed to be sent at the same time".
        out.append(Violation("amount", "quantity_and_amount", "give either a quantity or a quote amount, not both"))
        return out
    if qty is None and amount is None:
        what = "a quantity or a quote amount" if request.side is Side.BUY else "a quantity"
        out.append(Violation("quantity", "required", f"a market order needs {what}"))
        return out
    if amount is not None:
        if request.side is Side.SELL:
            out.append(Violation("amount", "amount_sell", "a market sell takes a quantity, not a quote amount"))
            return out
        return out + _amount_rules(amount, instrument, fmt)
    assert qty is not None
    smallest = ceil_to(_min_qty(instrument, market=True), instrument.step_size)
    problem = _positive("quantity", qty, smallest, fmt.qty(smallest))
    if problem:
        return [*out, problem]
    return out + _quantity_rules(qty, instrument, fmt, market=True)


def _auction_fields(request: OrderRequest, instrument: Instrument, fmt: _Fmt) -> list[Violation]:
    """An at-auction order: no price (the auction's price applies) and a quantity in whole lots."""
    out: list[Violation] = []
    if request.price is not None:
        out.append(
            Violation(
                "price",
                "price_not_allowed",
                f"{_an(request.type)} takes no price: it is matched at the auction's price",
            )
        )
    if request.amount is not None:
        out.append(
            Violation("amount", "amount_not_allowed", f"{_an(request.type)} takes a quantity, not a quote amount")
        )
    qty = request.quantity
    smallest = ceil_to(_min_qty(instrument, market=False), instrument.step_size)
    problem = _positive("quantity", qty, smallest, fmt.qty(smallest))
    if problem:
        return [*out, problem]
    assert qty is not None
    return out + _quantity_rules(qty, instrument, fmt, market=False)


def _amount_rules(amount: Decimal, instrument: Instrument, fmt: _Fmt) -> list[Violation]:
    out: list[Violation] = []
    step = instrument.amount_step
    limits = instrument.trade_amount
    low = limits.market_min_amount if limits and limits.market_min_amount else None
    high = limits.market_max_amount if limits and limits.market_max_amount else None
    floor_value = ceil_to(low, step) if low is not None else step
    if amount <= 0:
        return [
            Violation(
                "amount",
                "positive",
                f"amount must be greater than zero: smallest {fmt.amount(floor_value)}",
                floor_value,
            )
        ]
    if not is_multiple(amount, step):
        nearest = max(quantize(amount, step), step)
        out.append(
            Violation(
                "amount",
                "amount_precision",
                f"amount {fmt.raw(amount)} has more decimals than {instrument.quote_asset} allows "
                f"({fmt.raw(step)}): nearest {fmt.amount(nearest)}",
                nearest,
            )
        )
    if low is not None and amount < low:
        out.append(
            Violation(
                "amount",
                "min_amount",
                f"amount {fmt.raw(amount)} is below the market order minimum {fmt.amount(floor_value)}: "
                f"nearest {fmt.amount(floor_value)}",
                floor_value,
            )
        )
    if high is not None and amount > high:
        nearest = floor_to(high, step)
        out.append(
            Violation(
                "amount",
                "max_amount",
                f"amount {fmt.raw(amount)} is above the market order maximum {fmt.amount(nearest)}: "
                f"nearest {fmt.amount(nearest)}",
                nearest,
            )
        )
    return out


def _balance(
    request: OrderRequest,
    instrument: Instrument,
    fmt: _Fmt,
    free: Decimal,
    reference_price: Decimal | None,
) -> list[Violation]:
    """Funds the order would lock (004: "0401 Insufficient asset")."""
    asset = instrument.spends(request.side)
    qty, price, amount = request.quantity, request.price, request.amount
    step = instrument.quantity_step(request.type)
    if request.side is Side.SELL:
        if qty is None or qty <= 0 or qty <= free:
            return []
        nearest = floor_to(free, step)
        return [
            Violation(
                "quantity",
                "balance",
                f"needs {fmt.qty(qty)} {asset} but only {fmt.raw(free)} {asset} is free: "
                f"largest quantity {fmt.qty(nearest)}",
                nearest,
            )
        ]
    if request.type is OrderType.MARKET and amount is not None:
        if amount <= 0 or amount <= free:
            return []
        nearest = floor_to(free, instrument.amount_step)
        return [
            Violation(
                "amount",
                "balance",
                f"needs {fmt.amount(amount)} but only {fmt.raw(free)} {asset} is free: "
                f"largest amount {fmt.amount(nearest)}",
                nearest,
            )
        ]
    unit_price = price if request.type.takes_price else _market_buy_ceiling(instrument, reference_price)
    if qty is None or qty <= 0 or unit_price is None or unit_price <= 0:
        return []
    needed = mul(qty, unit_price)
    if needed <= free:
        return []
    nearest = floor_to(div(free, unit_price, ROUND_FLOOR), step)
    estimate = "" if request.type.takes_price else " up to"
    return [
        Violation(
            "quantity",
            "balance",
            f"needs{estimate} {fmt.amount(needed)} but only {fmt.raw(free)} {asset} is free: "
            f"largest quantity {fmt.qty(nearest)}",
            nearest,
        )
    ]


def _market_buy_ceiling(instrument: Instrument, reference_price: Decimal | None) -> Decimal | None:
    """What a market buy by quantity may cost per unit: the MARKET_TRADING band's ceiling around the
    reference price (the venue locks funds at that price), or the reference price without a band."""
    if reference_price is None:
        return None
    band = instrument.market_trading
    ceiling = band.buy_ceiling(reference_price) if band is not None else None
    return ceiling if ceiling is not None else reference_price


def _pct(rate: Decimal | None) -> str:
    return f"{to_plain(mul(rate or Decimal(0), Decimal(100)))}%"
