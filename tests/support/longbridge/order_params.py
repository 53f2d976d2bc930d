"""The checks a submit or replace body passes (trade/order/submit.md, replace.md): field names, enum
strings, decimals as strings, lot sizes and ticks. Anything else is 400 / 602001."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tests.support.longbridge.market import Instrument, Market, tick_size
from tests.support.longbridge.wire import JSON, bad_parameter, decimal_string

SUBMIT_FIELDS = frozenset(
    {
        "symbol",
        "order_type",
        "submitted_price",
        "submitted_quantity",
        "trigger_price",
        "limit_offset",
        "trailing_amount",
        "trailing_percent",
        "expire_date",
        "side",
        "outside_rth",
        "time_in_force",
        "remark",
        "limit_depth_level",
        "monitor_price",
        "trigger_count",
    }
)
REPLACE_FIELDS = frozenset(
    {
        "order_id",
        "quantity",
        "price",
        "trigger_price",
        "limit_offset",
        "trailing_amount",
        "trailing_percent",
        "remark",
        "limit_depth_level",
        "monitor_price",
        "trigger_count",
    }
)

ORDER_TYPES = frozenset(
    {"LO", "ELO", "MO", "AO", "ALO", "ODD", "LIT", "MIT", "TSLPAMT", "TSLPPCT", "TSMAMT", "TSMPCT", "SLO"}
)
# What the fake can match, per market (HK has no market orders; US has no auction / odd-lot types).
SUPPORTED = {"HK": frozenset({"LO", "ELO", "ALO", "AO", "ODD", "SLO"}), "US": frozenset({"LO", "MO"})}
PRICED = frozenset({"LO", "ELO", "ALO", "ODD", "SLO"})
SIDES = frozenset({"Buy", "Sell"})
TIME_IN_FORCE = frozenset({"Day", "GTC", "GTD"})
OUTSIDE_RTH = frozenset({"RTH_ONLY", "ANY_TIME", "OVERNIGHT"})
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Ticket:
    instrument: Instrument
    order_type: str
    side: str
    quantity: Decimal
    price: Decimal | None
    time_in_force: str
    expire_date: str
    outside_rth: str
    remark: str


def string_field(fields: dict[str, JSON], name: str, allowed: frozenset[str] | None = None) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise bad_parameter(f"{name} is required")
    if allowed is not None and value not in allowed:
        raise bad_parameter(f"{name} {value!r} is not one of {sorted(allowed)}")
    return value


def check_quantity(quantity: Decimal, instrument: Instrument, order_type: str) -> None:
    if quantity <= 0 or quantity != quantity.to_integral_value():
        raise bad_parameter(f"quantity must be a positive whole number, got {quantity}")
    if order_type != "ODD" and quantity % instrument.lot_size:
        raise bad_parameter(f"quantity {quantity} is not a multiple of the lot size {instrument.lot_size}")
    if order_type == "ODD" and quantity >= instrument.lot_size:
        raise bad_parameter(f"an ODD order is for less than one lot ({instrument.lot_size})")


def check_price(price: Decimal, instrument: Instrument) -> None:
    if price <= 0:
        raise bad_parameter(f"price must be positive, got {price}")
    if price % tick_size(instrument, price):
        raise bad_parameter(f"price {price} is not on the tick size {tick_size(instrument, price)}")


def check_remark(fields: dict[str, JSON]) -> str:
    remark = fields.get("remark", "")
    if not isinstance(remark, str):
        raise bad_parameter("remark must be a string")
    if len(remark) > 64:
        raise bad_parameter("remark is longer than 64 characters")
    return remark


def submit_ticket(fields: JSON, market: Market) -> Ticket:
    if not isinstance(fields, dict):
        raise bad_parameter("the body must be a JSON object")
    symbol = string_field(fields, "symbol")
    instrument = market.instrument(symbol)
    if instrument is None:
        raise bad_parameter(f"unknown symbol {symbol!r} (ticker.region, e.g. 700.HK)")
    order_type = string_field(fields, "order_type", ORDER_TYPES)
    if order_type not in SUPPORTED[instrument.market]:
        raise bad_parameter(f"order_type {order_type} is not supported for {instrument.market} stocks by the fake")
    side = string_field(fields, "side", SIDES)
    time_in_force = string_field(fields, "time_in_force", TIME_IN_FORCE)
    quantity = decimal_string(fields, "submitted_quantity", required=True)
    assert quantity is not None
    check_quantity(quantity, instrument, order_type)
    price = decimal_string(fields, "submitted_price", required=order_type in PRICED)
    if order_type not in PRICED:
        price = None
    if price is not None:
        check_price(price, instrument)
    expire_date = fields.get("expire_date") or ""
    if time_in_force == "GTD":
        if not isinstance(expire_date, str) or not DATE.match(expire_date):
            raise bad_parameter("expire_date (YYYY-MM-DD) is required when time_in_force is GTD")
    elif expire_date:
        raise bad_parameter("expire_date is for GTD orders only")
    outside_rth = fields.get("outside_rth") or ""
    if outside_rth and outside_rth not in OUTSIDE_RTH:
        raise bad_parameter(f"outside_rth {outside_rth!r} is not one of {sorted(OUTSIDE_RTH)}")
    return Ticket(
        instrument,
        order_type,
        side,
        quantity,
        price,
        time_in_force,
        str(expire_date),
        str(outside_rth),
        check_remark(fields),
    )
