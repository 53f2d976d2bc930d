"""Order queries: order detail, open orders and order history, in the current (``data`` +
``pagination_key``) and the older (list + ``page_size``) forms."""

from __future__ import annotations

from tests.support.webull.calls import Call
from tests.support.webull.engine import order_not_found
from tests.support.webull.errors import bad_parameter
from tests.support.webull.orders import FakeOrder, order_group
from tests.support.webull.pagination import keyed_page, sized_page
from tests.support.webull.wire import JSON, parse_date, parse_iso_millis

WEEK = 7 * 24 * 3600.0


def _ident(order: FakeOrder) -> str:
    return order.client_order_id


def listing(call: Call, orders: list[FakeOrder]) -> JSON:
    """Newest first; a page of groups."""
    orders = sorted(orders, key=lambda o: o.placed_at, reverse=True)
    if call.legacy:
        last = call.query.get("last_client_order_id")
        return [order_group(o) for o in sized_page(orders, call.query.get("page_size"), last, _ident)]
    page, key = keyed_page(orders, call.query.get("pagination_key"), _ident)
    answer: dict[str, JSON] = {"data": [order_group(o) for o in page]}
    if key:
        answer["pagination_key"] = key
    return answer


def detail(call: Call) -> JSON:
    account = call.state.account(call.query.get("account_id"))
    order = account.orders.get(call.param("client_order_id"))
    if order is None:
        raise order_not_found()
    return order_group(order)


def open_orders(call: Call) -> JSON:
    account = call.state.account(call.query.get("account_id"))
    return listing(call, [order for order in account.orders.values() if order.is_open])


def history(call: Call) -> JSON:
    """Orders placed in the window; "if not provided, the default query period is the last 7 days"."""
    account = call.state.account(call.query.get("account_id"))
    now = call.state.clock()
    try:
        if call.legacy:
            start = parse_date(call.query["start_date"]) if call.query.get("start_date") else now - WEEK
            end = parse_date(call.query["end_date"]) + 24 * 3600 if call.query.get("end_date") else now + 1
        else:
            start = parse_iso_millis(call.query["start_time"]) if call.query.get("start_time") else now - WEEK
            end = parse_iso_millis(call.query["end_time"]) if call.query.get("end_time") else now + 1
    except ValueError as error:
        raise bad_parameter(str(error)) from None
    return listing(call, [order for order in account.orders.values() if start <= order.placed_at <= end])
