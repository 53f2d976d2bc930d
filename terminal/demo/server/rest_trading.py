"""Spot trading endpoints (004, "Spot Trading"): create (also on the v1 path existing clients use), test,
batch, cancel and query orders."""

from __future__ import annotations

import orjson

from terminal.demo.engine import BATCH_ORDERS_LIMIT
from terminal.demo.errors import DemoError, demo_error, error_for_violation
from terminal.demo.exchange import DemoExchange
from terminal.demo.records import OrderView
from terminal.demo.results import PlaceResult
from terminal.demo.server import wire
from terminal.demo.server.limits import RateClass
from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_errors import api_error, illegal
from terminal.demo.server.rest_market import known_symbol, opt_symbol_param, symbol_param
from terminal.demo.server.rest_params import Params
from terminal.domain.enums import OrderType, Side, StpMode, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import validate_order

QUERY_DEFAULT, QUERY_MAX = 500, 1000  # open and traded orders: "Default 500, Maximum 1000"
CANCEL_ALL_DEFAULT, CANCEL_ALL_MAX = 100, 200  # cancelAllOpenOrders: "Default 100, Max 200"
# Rules about the account rather than the request: as the engine's admission, a duplicate
# clientOrderId (-1141) is reported before them.
_STATE_RULES = frozenset({"max_open_orders", "balance"})


def order_request(params: Params, exchange: DemoExchange) -> OrderRequest:
    """An order from its parameters, each malformed one answered with its documented code."""
    return OrderRequest(
        symbol=known_symbol(exchange, params.text("symbol")),
        side=params.enum("side", Side, "-1117"),
        type=params.enum("type", OrderType, "0206"),
        quantity=params.opt_decimal("quantity"),
        price=params.opt_decimal("price"),
        amount=params.opt_decimal("amount"),
        time_in_force=params.opt_enum("timeInForce", TimeInForce, "-1115"),
        client_order_id=params.get("newClientOrderId"),
        stp_mode=params.opt_enum("stpMode", StpMode, "-1130"),
    )


def check_order(exchange: DemoExchange, account_id: str, request: OrderRequest) -> None:
    """Every check the engine makes when admitting ``request``, without placing it."""
    engine = exchange.engine
    instrument = engine.instrument(request.symbol)
    book = engine.book(request.symbol)
    violations = validate_order(
        request,
        instrument,
        reference_price=engine.last_price(request.symbol),
        free_balance=engine.ledger.free(account_id, instrument.spends(request.side)),
        best_bid=book.best_bid,
        best_ask=book.best_ask,
        open_orders=len(engine.open_orders(account_id, symbol=request.symbol, limit=QUERY_MAX)),
        now_ms=exchange.now_ms(),
    )
    for violation in violations:
        if violation.rule not in _STATE_RULES:
            raise error_for_violation(violation, request, instrument)
    if request.client_order_id is not None and _known_client_id(exchange, account_id, request.client_order_id):
        raise demo_error("-1141")
    if violations:
        raise error_for_violation(violations[0], request, instrument)


def _known_client_id(exchange: DemoExchange, account_id: str, client_order_id: str) -> bool:
    try:
        exchange.engine.order(account_id, client_order_id=client_order_id)
    except DemoError:
        return False
    return True


def test_order(call: Call) -> object:
    """ "The test endpoint is solely to validate the parameters of the new order"; it answers {}."""
    check_order(call.exchange, call.account_id, order_request(call.params, call.exchange))
    return {}


def create_order(call: Call) -> object:
    result = call.exchange.place(call.account_id, order_request(call.params, call.exchange))
    return wire.order_ack(result.order)


def _item_params(item: object) -> Params:
    """One order of a batch (a JSON object) as parameters."""
    if not isinstance(item, dict):
        raise api_error("-1004")
    pairs = []
    for name, value in item.items():
        if isinstance(value, bool):
            pairs.append((str(name), "true" if value else "false"))
        elif isinstance(value, str | int | float):
            pairs.append((str(name), repr(value) if isinstance(value, float) else str(value)))
        elif value is not None:
            raise illegal(str(name))
    return Params(pairs)


def batch_orders(call: Call) -> object:
    """ "Create orders in batches up to 20 orders at a time. Currently only support for same symbol."
    Each order is answered on its own: {"code": "0000", "order": {...}} or {"code": ..., "msg": ...}."""
    try:
        items = orjson.loads(call.body)
    except orjson.JSONDecodeError:
        raise api_error("-1004") from None
    if not isinstance(items, list) or not items:
        raise api_error("-1004")
    if len(items) > BATCH_ORDERS_LIMIT:
        raise demo_error("-2022")
    if len({item.get("symbol") for item in items if isinstance(item, dict)}) > 1:
        raise illegal("symbol")
    parsed: list[OrderRequest | DemoError] = []
    for item in items:
        try:
            parsed.append(order_request(_item_params(item), call.exchange))
        except DemoError as error:
            parsed.append(error)
    requests = [p for p in parsed if isinstance(p, OrderRequest)]
    placed = iter(call.exchange.place_batch(call.account_id, requests) if requests else [])
    result = []
    for entry in parsed:
        outcome = next(placed) if isinstance(entry, OrderRequest) else entry
        if isinstance(outcome, PlaceResult):
            result.append({"code": "0000", "order": wire.order_ack(outcome.order)})
        else:
            result.append({"code": outcome.code, "msg": outcome.message})
    return {"code": 0, "result": result, "concentration": ""}


def cancel_order(call: Call) -> object:
    params = call.params
    result = call.exchange.cancel(
        call.account_id, order_id=params.get("orderId"), client_order_id=params.get("clientOrderId")
    )
    return wire.cancel_ack(result.acknowledged)


def cancel_open_orders(call: Call) -> object:
    """ "Cancel all open orders (Same symbol only)": symbol is required."""
    call.exchange.cancel_all(
        call.account_id, symbol=symbol_param(call), side=call.params.opt_enum("side", Side, "-1117")
    )
    return {"success": True}


def cancel_all_open_orders(call: Call) -> object:
    params = call.params
    result = call.exchange.cancel_all(
        call.account_id,
        symbol=opt_symbol_param(call),
        side=params.opt_enum("side", Side, "-1117"),
        from_order_id=params.get("fromOrderId"),
        limit=params.limit(CANCEL_ALL_DEFAULT, CANCEL_ALL_MAX),
    )
    last = result.last_order_id
    return {"code": "0000", "message": "success", "timestamp": call.now_ms, "lastOrderId": int(last) if last else 0}


def cancel_order_by_ids(call: Call) -> object:
    ids = call.params.ids("ids")
    if not ids:
        raise api_error("0001", "ids")
    result = call.exchange.cancel_by_ids(call.account_id, ids)
    return {"code": "0000", "result": [{"orderId": f.order_id, "code": f.code} for f in result.failures]}


def get_order(call: Call) -> object:
    params = call.params
    view = call.exchange.engine.order(
        call.own_account(), order_id=params.get("orderId"), client_order_id=params.get("origClientOrderId")
    )
    return wire.order_detail(view)


def open_orders(call: Call) -> object:
    return [wire.order_row(v) for v in open_order_views(call, call.account_id, QUERY_DEFAULT, QUERY_MAX)]


def trade_orders(call: Call) -> object:
    return [wire.order_row(v) for v in trade_order_views(call, call.account_id, QUERY_DEFAULT, QUERY_MAX)]


def open_order_views(call: Call, account_id: str, default: int, maximum: int) -> list[OrderView]:
    params = call.params
    return call.exchange.engine.open_orders(
        account_id,
        symbol=opt_symbol_param(call),
        side=params.opt_enum("side", Side, "-1117"),
        from_order_id=params.get("fromOrderId"),
        limit=params.limit(default, maximum),
    )


def trade_order_views(call: Call, account_id: str, default: int, maximum: int) -> list[OrderView]:
    params = call.params
    return call.exchange.engine.trade_orders(
        account_id,
        symbol=opt_symbol_param(call),
        side=params.opt_enum("side", Side, "-1117"),
        from_order_id=params.get("fromOrderId"),
        start_ms=params.opt_int("startTime"),
        end_ms=params.opt_int("endTime"),
        limit=params.limit(default, maximum),
    )


_O = RateClass.ORDER

SPECS: tuple[Spec, ...] = (
    Spec("POST", "/api/v1/spot/orderTest", test_order, rate=_O, writes=True),
    Spec("POST", "/api/v1.1/spot/order", create_order, rate=_O, writes=True, places_orders=True),
    Spec("POST", "/api/v1/spot/order", create_order, rate=_O, writes=True, places_orders=True),
    Spec("POST", "/api/v1.1/spot/batchOrders", batch_orders, rate=_O, writes=True, places_orders=True, json_body=True),
    Spec("DELETE", "/api/v1/spot/order", cancel_order, rate=_O, writes=True),
    Spec("DELETE", "/api/v1/spot/openOrders", cancel_open_orders, rate=_O, writes=True),
    Spec("DELETE", "/api/v1/spot/cancelAllOpenOrders", cancel_all_open_orders, rate=_O, writes=True),
    Spec("DELETE", "/api/v1/spot/cancelOrderByIds", cancel_order_by_ids, rate=_O, writes=True),
    Spec("GET", "/api/v1/spot/order", get_order),
    Spec("GET", "/api/v1/spot/openOrders", open_orders),
    Spec("GET", "/api/v1/spot/tradeOrders", trade_orders),
)
