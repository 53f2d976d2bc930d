"""Read and check one order of a place/preview request (``new_orders[i]``), as the reference's
"Order Place" schema and its feature matrix describe it, into a typed ticket."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tests.support.webull.errors import bad_parameter, rejected
from tests.support.webull.instruments import BY_SYMBOL, FakeInstrument, on_tick
from tests.support.webull.wire import JSON

CLIENT_ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
# Feature matrix (developer.webull.hk, "Trading API Overview"): US stocks take LIMIT and MARKET;
# HK stocks take MARKET and ENHANCED_LIMIT, not LIMIT. Stop, trailing, touch and auction orders
# exist at the venue but not in this fake.
ORDER_TYPES = {"US": frozenset({"LIMIT", "MARKET"}), "HK": frozenset({"MARKET", "ENHANCED_LIMIT"})}
PRICED_TYPES = frozenset({"LIMIT", "ENHANCED_LIMIT"})
TIME_IN_FORCE = frozenset({"DAY", "GTC"})
SESSIONS = frozenset({"Y", "N", "NIGHT", "ALL", "CORE", "ALL_DAY"})


@dataclass(frozen=True)
class OrderTicket:
    client_order_id: str
    instrument: FakeInstrument
    side: str
    order_type: str
    time_in_force: str
    quantity: Decimal
    limit_price: Decimal | None
    support_trading_session: str


def field(item: dict[str, JSON], name: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value:
        raise bad_parameter(f"{name} is required")
    return value


def decimal_field(value: JSON, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise bad_parameter(f"{name} is not a number: {value!r}") from None
    if not number.is_finite():
        raise bad_parameter(f"{name} is not a number: {value!r}")
    return number


def check_quantity(quantity: Decimal, instrument: FakeInstrument) -> None:
    if quantity <= 0 or quantity != quantity.to_integral_value():
        raise bad_parameter("quantity must be a positive whole number of shares")
    if quantity % instrument.lot_size:
        raise bad_parameter(f"quantity must be a multiple of the board lot ({instrument.lot_size})")


def check_price(price: Decimal, instrument: FakeInstrument) -> None:
    if not on_tick(instrument.market, price):
        raise rejected("OPENAPI_ORDER_PRICE_ILLEGAL", "Invalid Order Price")


def read_ticket(item: JSON) -> OrderTicket:
    if not isinstance(item, dict):
        raise bad_parameter("each order must be an object")
    client_order_id = field(item, "client_order_id")
    if not CLIENT_ORDER_ID.fullmatch(client_order_id):
        raise bad_parameter("client_order_id: at most 32 letters, digits, '-' or '_'")
    if field(item, "combo_type") != "NORMAL":
        raise bad_parameter("combo orders are not supported by this fake (combo_type NORMAL only)")
    if field(item, "instrument_type") != "EQUITY":
        raise bad_parameter("instrument_type must be EQUITY")
    if field(item, "entrust_type") != "QTY":
        raise bad_parameter("entrust_type QTY only (orders by amount are not supported by this fake)")
    instrument = BY_SYMBOL.get(field(item, "symbol"))
    if instrument is None:
        raise rejected("INVALID_SYMBOL", "Wrong symbol.")
    if field(item, "market") != instrument.market:
        raise bad_parameter(f"market must be {instrument.market} for {instrument.symbol}")
    side = field(item, "side")
    if side not in ("BUY", "SELL"):
        raise bad_parameter("side must be BUY or SELL (SHORT is not supported by this fake)")
    order_type = field(item, "order_type")
    if order_type not in ORDER_TYPES[instrument.market]:
        raise bad_parameter(f"order_type {order_type} is not accepted for {instrument.market} stocks")
    time_in_force = field(item, "time_in_force")
    if time_in_force not in TIME_IN_FORCE:
        raise bad_parameter("time_in_force must be DAY or GTC")
    session = str(item.get("support_trading_session") or "CORE")
    if session not in SESSIONS:
        raise bad_parameter(f"support_trading_session {session} is unknown")
    quantity = decimal_field(item.get("quantity"), "quantity")
    check_quantity(quantity, instrument)
    quantity = quantity.quantize(Decimal(1))
    limit_price = None
    if order_type in PRICED_TYPES:
        limit_price = decimal_field(field(item, "limit_price"), "limit_price")
        check_price(limit_price, instrument)
    return OrderTicket(client_order_id, instrument, side, order_type, time_in_force, quantity, limit_price, session)
