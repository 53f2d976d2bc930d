"""Order requests in Longbridge's wire form: the submit body (POST /v1/trade/order), the replace body
(PUT /v1/trade/order) and the cancel query (DELETE /v1/trade/order).

Longbridge has no client order id. The terminal keys every order by one, so it travels in the order's
``remark`` (at most 64 characters), and the venue finds an order by it when the answer to a submit was
lost (``LongbridgeVenue.query``).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import InvalidRequest

# "remark: Remark (Maximum 64 characters)" (trade/order/submit.md); the terminal keeps to a safe alphabet.
REMARK_LIMIT = 64
CLIENT_ORDER_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# The id given to an order the terminal did not place (no remark): "LB-" and Longbridge's order id.
FOREIGN_PREFIX = "LB-"

# OrderType -> Longbridge's order_type (trade/order/submit.md, "OrderType").
WIRE_ORDER_TYPES: dict[OrderType, str] = {
    OrderType.LIMIT: "LO",
    OrderType.MARKET: "MO",
    OrderType.ENHANCED_LIMIT: "ELO",
    OrderType.AT_AUCTION: "AO",
    OrderType.AT_AUCTION_LIMIT: "ALO",
    OrderType.ODD_LOT: "ODD",
    OrderType.SPECIAL_LIMIT: "SLO",
}
# What each type may be sent with, first the default: the auction types and SLO live for the day only,
# and a market order is a DAY order.
TIME_IN_FORCE_RULES: dict[OrderType, tuple[TimeInForce, ...]] = {
    OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.MARKET: (TimeInForce.DAY,),
    OrderType.ENHANCED_LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.AT_AUCTION: (TimeInForce.DAY,),
    OrderType.AT_AUCTION_LIMIT: (TimeInForce.DAY,),
    OrderType.ODD_LOT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.SPECIAL_LIMIT: (TimeInForce.DAY,),
}
_WIRE_TIME_IN_FORCE = {TimeInForce.DAY: "Day", TimeInForce.GTC: "GTC"}
_WIRE_SIDES = {Side.BUY: "Buy", Side.SELL: "Sell"}


def new_client_order_id() -> str:
    return uuid.uuid4().hex  # 32 characters


def check_client_order_id(client_order_id: str) -> str:
    if not CLIENT_ORDER_ID.fullmatch(client_order_id):
        raise InvalidRequest(
            "", f"client order id {client_order_id!r} must be 1-{REMARK_LIMIT} letters, digits, '_', '.', ':' or '-'"
        )
    if client_order_id.startswith(FOREIGN_PREFIX):
        raise InvalidRequest("", f"client order ids starting {FOREIGN_PREFIX!r} name orders placed elsewhere")
    return client_order_id


def foreign_client_order_id(order_id: str) -> str:
    return f"{FOREIGN_PREFIX}{order_id}"


def order_id_of_foreign(client_order_id: str) -> str | None:
    """The Longbridge order id inside a ``LB-<order_id>`` client order id, else None."""
    if client_order_id.startswith(FOREIGN_PREFIX):
        rest = client_order_id[len(FOREIGN_PREFIX) :]
        return rest if rest.isdigit() else None
    return None


def wire_order_type(order_type: OrderType) -> str:
    wire = WIRE_ORDER_TYPES.get(order_type)
    if wire is None:
        raise InvalidRequest("", f"Longbridge does not take {order_type} orders")
    return wire


def wire_time_in_force(request: OrderRequest, instrument: Instrument | None) -> str:
    """Day or GTC, one the order type (and the instrument, where it says) allows; none given: the default."""
    allowed = TIME_IN_FORCE_RULES.get(request.type, ())
    if instrument is not None and instrument.time_in_force_rules.get(request.type):
        allowed = instrument.time_in_force_rules[request.type]
    chosen = request.time_in_force or (allowed[0] if allowed else TimeInForce.DAY)
    if allowed and chosen not in allowed:
        names = " or ".join(str(item) for item in allowed)
        raise InvalidRequest("", f"a Longbridge {request.type} order takes {names}, not {chosen}")
    wire = _WIRE_TIME_IN_FORCE.get(chosen)
    if wire is None:
        raise InvalidRequest("", f"Longbridge takes DAY or GTC orders, not {chosen}")
    return wire


def submit_body(request: OrderRequest, instrument: Instrument | None, client_order_id: str) -> dict[str, object]:
    """The body of POST /v1/trade/order; decimals go as strings (the transport writes them so)."""
    if request.quantity is None or request.quantity <= 0:
        raise InvalidRequest("", "Longbridge orders need a quantity of shares (orders by amount are not offered)")
    if request.amount is not None:
        raise InvalidRequest("", "Longbridge orders are by quantity, not by amount")
    body: dict[str, object] = {
        "symbol": request.symbol,
        "order_type": wire_order_type(request.type),
        "side": _WIRE_SIDES[request.side],
        "submitted_quantity": request.quantity,
        "time_in_force": wire_time_in_force(request, instrument),
        "remark": check_client_order_id(client_order_id),
    }
    if request.type.takes_price:
        if request.price is None or request.price <= 0:
            raise InvalidRequest("", f"a {request.type} order needs a price")
        body["submitted_price"] = request.price
    elif request.price is not None:
        raise InvalidRequest("", f"a {request.type} order takes no price")
    return body


def replace_body(order_id: str, quantity: Decimal, price: Decimal | None) -> dict[str, object]:
    """The body of PUT /v1/trade/order: the quantity always (the venue requires it), the price for a
    priced order. The remark (the client order id) is left as it is."""
    if quantity <= 0:
        raise InvalidRequest("", "a replace needs a positive quantity")
    body: dict[str, object] = {"order_id": order_id, "quantity": quantity}
    if price is not None:
        if price <= 0:
            raise InvalidRequest("", "a replace needs a positive price")
        body["price"] = price
    return body


def cancel_query(order_id: str) -> dict[str, str]:
    return {"order_id": order_id}
