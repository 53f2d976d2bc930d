"""Order requests in Webull's wire form: a ``new_orders`` item, a ``modify_orders`` item, a cancel body.

Fields as the order reference's "Order Place" schema names them; one NORMAL (non-combo) equity
order by quantity. US stocks take LIMIT and MARKET; Hong Kong stocks take MARKET and ENHANCED_LIMIT,
so a limit order for an HK stock goes as ENHANCED_LIMIT.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from terminal.domain.enums import OrderType, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import InvalidRequest
from terminal.venues.webull.mapping import market_of

# "client_order_id: at most 32 characters" (letters, digits, '-' and '_').
CLIENT_ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
TRADING_SESSION = "CORE"  # regular hours only; extended sessions are not offered yet


def new_client_order_id() -> str:
    return uuid.uuid4().hex  # 32 characters


def check_client_order_id(client_order_id: str) -> str:
    if not CLIENT_ORDER_ID.fullmatch(client_order_id):
        raise InvalidRequest("", f"client order id {client_order_id!r} must be 1-32 letters, digits, '-' or '_'")
    return client_order_id


def wire_order_type(order_type: OrderType, instrument: Instrument) -> str:
    if order_type is OrderType.MARKET:
        return "MARKET"
    if order_type is OrderType.LIMIT:
        return "ENHANCED_LIMIT" if market_of(instrument) == "HK" else "LIMIT"
    raise InvalidRequest("", f"Webull does not take {order_type} orders")


_WIRE_TIME_IN_FORCE = {TimeInForce.DAY: "DAY", TimeInForce.GTC: "GTC"}


def wire_time_in_force(time_in_force: TimeInForce | None) -> str:
    """DAY or GTC; DAY, Webull's default, when none is given."""
    if time_in_force is None:
        return "DAY"
    wire = _WIRE_TIME_IN_FORCE.get(time_in_force)
    if wire is None:
        raise InvalidRequest("", f"Webull takes DAY or GTC orders, not {time_in_force}")
    return wire


def check_time_in_force(request: OrderRequest, instrument: Instrument) -> str:
    """The wire time in force of ``request``, which must be one the instrument allows for its type
    (a market order is a DAY order); none given: the instrument's default."""
    chosen = request.time_in_force or instrument.default_time_in_force(request.type)
    allowed = instrument.time_in_force_for(request.type)
    if allowed and chosen not in allowed:
        names = " or ".join(str(item) for item in allowed)
        raise InvalidRequest("", f"a Webull {request.type} order takes {names}, not {chosen}")
    return wire_time_in_force(chosen)


def new_order(request: OrderRequest, instrument: Instrument, client_order_id: str) -> dict[str, object]:
    """One item of ``new_orders`` (place and preview)."""
    if request.quantity is None or request.quantity <= 0:
        raise InvalidRequest("", "Webull orders need a quantity of shares (orders by amount are not offered)")
    item: dict[str, object] = {
        "client_order_id": check_client_order_id(client_order_id),
        "combo_type": "NORMAL",
        "symbol": request.symbol,
        "instrument_type": "EQUITY",
        "market": market_of(instrument),
        "order_type": wire_order_type(request.type, instrument),
        "quantity": request.quantity,
        "side": str(request.side),
        "time_in_force": check_time_in_force(request, instrument),
        "support_trading_session": TRADING_SESSION,
        "entrust_type": "QTY",
    }
    if request.type is OrderType.LIMIT:
        if request.price is None or request.price <= 0:
            raise InvalidRequest("", "a limit order needs a price")
        item["limit_price"] = request.price
    return item


def place_body(account_id: str, item: dict[str, object]) -> dict[str, object]:
    return {"account_id": account_id, "new_orders": [item]}


def replace_body(
    account_id: str, client_order_id: str, quantity: Decimal | None = None, price: Decimal | None = None
) -> dict[str, object]:
    """A ``modify_orders`` request: only the fields that change."""
    change: dict[str, object] = {"client_order_id": client_order_id}
    if quantity is not None:
        change["quantity"] = quantity
    if price is not None:
        change["limit_price"] = price
    if len(change) == 1:
        raise InvalidRequest("", "a replace must change the quantity or the price")
    return {"account_id": account_id, "modify_orders": [change]}


def cancel_body(account_id: str, client_order_id: str) -> dict[str, object]:
    return {"account_id": account_id, "client_order_id": client_order_id}
