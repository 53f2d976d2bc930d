"""Order writes: preview, place, replace and cancel (``/trading/orders/*``, the SDK's order_v3)."""

from __future__ import annotations

from decimal import Decimal

from tests.support.webull.calls import Call
from tests.support.webull.errors import bad_parameter
from tests.support.webull.order_params import OrderTicket, read_ticket
from tests.support.webull.wire import JSON, text


def single(fields: dict[str, JSON], name: str) -> JSON:
    items = fields.get(name)
    if not isinstance(items, list) or not items:
        raise bad_parameter(f"{name} is required")
    if len(items) != 1:
        raise bad_parameter(f"{name}: one NORMAL order per request (combo orders are not supported by this fake)")
    return items[0]


def ticket_of(call: Call) -> OrderTicket:
    return read_ticket(single(call.fields(), "new_orders"))


def preview(call: Call) -> JSON:
    """OrderCommonPreviewResult: the estimated cost, no order placed."""
    account = call.state.account(call.fields().get("account_id"))
    ticket = ticket_of(call)
    call.state.engine.check_account(account, ticket)
    cost = call.state.engine.cost(ticket).quantize(Decimal("0.01"))
    return {
        "estimated_cost": text(cost),
        "estimated_transaction_fee": "0.00",
        "currency": account.currency,
        "estimated_transaction_fee_detail": {
            "commission": {"actual_commission": "0.00", "receivable_commission": "0.00"},
            "fees": [],
        },
    }


def place(call: Call) -> JSON:
    """OrderCommonWriteResult: ``{client_order_id, order_id}``."""
    account = call.state.account(call.fields().get("account_id"))
    order = call.state.engine.place(account, ticket_of(call))
    return {"client_order_id": order.client_order_id, "order_id": order.order_id}


def replace(call: Call) -> JSON:
    fields = call.fields()
    account = call.state.account(fields.get("account_id"))
    change = single(fields, "modify_orders")
    if not isinstance(change, dict):
        raise bad_parameter("modify_orders items must be objects")
    order = call.state.engine.replace(account, change)
    return {"client_order_id": order.client_order_id, "order_id": order.order_id}


def cancel(call: Call) -> JSON:
    fields = call.fields()
    account = call.state.account(fields.get("account_id"))
    client_order_id = fields.get("client_order_id")
    if not isinstance(client_order_id, str) or not client_order_id:
        raise bad_parameter("client_order_id is required")
    order = call.state.engine.cancel(account, client_order_id)
    return {"client_order_id": order.client_order_id, "order_id": order.order_id}
