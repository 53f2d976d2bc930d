"""The errors the demo exchange answers with: HashKey's documented codes and messages (004, "Error Codes").

A server on top turns a ``DemoError`` into the venue's error body, ``{"code": ..., "msg": ...}``, with
``http_status``; every business error of the document is HTTP 400.
"""

from __future__ import annotations

from terminal.domain.enums import Side, SymbolStatus
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import Violation

# The codes the engine emits, with the document's messages verbatim (typos included: they are
# what clients match on). "%s" is filled in by ``demo_error``.
MESSAGES: dict[str, str] = {
    "0001": "Required field %s missing or invalid",
    "0201": "Instrument not found",
    "0206": "Unsupported order type",
    "0209": "Invalid price precision",
    "0211": "Order not found",
    "0401": "Insufficient asset",
    "-1014": "Unsupported order combination",
    "-1115": "Invalid timeInForce",
    "-1123": "Invalid client order id",
    "-1129": "Invalid parameters, quantity and amount are not allowed to be sent at the same time.",
    "-1130": "Illegal parameter %s",
    "-1132": "Order price greater than the maximum",
    "-1133": "Order price lower than the minimum",
    "-1135": "Order quantity greater than the maximum",
    "-1136": "Order quantity lower than the minimum",
    "-1137": "Order quantity precision too large",
    "-1139": "Order has been filled",
    "-1140": "Order amount lower than the minimum",
    "-1141": "Duplicate order",
    "-1142": "Order has been cancelled",
    "-1143": "Order not found on order book",
    "-1148": "Order amount precision too large",
    "-1151": "The trading pair is not open yet",
    "-1160": "Account does not exist",
    "-1161": "Balance transfer failed",
    "-1174": "Transfer not allowed between the same account",
    "-1194": "Market order creation forbidden",
    "-1206": "Order amount greater than the maximum",
    "-2010": "Limit maker order rejected: Improper price may cause immediate fill.",
    "-2017": "Open orders exceeds the limit of the trading pair",
    "-2020": "Not allowed to trade this trading pair",
    "-2022": "Order batch size exceeds the limit",
    "-2030": "Order batch size exceeds the limit",
    "-4003": "Insufficient Balance",
}

BUSINESS_HTTP_STATUS = 400  # 004, "Error Codes": every code above is listed with HTTP 400


class DemoError(Exception):
    """A request the demo exchange refuses, with the venue's code and message."""

    def __init__(self, code: str, message: str, http_status: int = BUSINESS_HTTP_STATUS) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status

    def __str__(self) -> str:
        return f"{self.message} (code {self.code})"

    def __repr__(self) -> str:
        return f"DemoError(code={self.code!r}, message={self.message!r}, http_status={self.http_status!r})"


def demo_error(code: str, *args: str) -> DemoError:
    """The documented error ``code``, its "%s" placeholders filled with ``args`` in order."""
    message = MESSAGES[code]
    return DemoError(code, message % args if args else message)


# Rules of ``validate_order`` whose code does not depend on the side or the field.
_BY_RULE: dict[str, str] = {
    "symbol": "0201",
    "order_type": "0206",
    "time_in_force": "-1115",
    "client_order_id": "-1123",
    "tick_size": "0209",
    "post_only": "-2010",
    "step_size": "-1137",
    "min_qty": "-1136",
    "max_qty": "-1135",
    "min_notional": "-1140",
    "min_amount": "-1140",
    "max_amount": "-1206",
    "quantity_and_amount": "-1129",
    "amount_sell": "-1014",
    "amount_precision": "-1148",
    "balance": "0401",
    "max_open_orders": "-2017",
}


def error_for_violation(violation: Violation, request: OrderRequest, instrument: Instrument) -> DemoError:
    """The error HashKey answers for the broken rule ``violation`` of ``request``."""
    rule = violation.rule
    code = _BY_RULE.get(rule)
    if code is not None:
        return demo_error(code)
    if rule in ("required", "positive"):
        # 004: "Required field %s missing or invalid. E.g. Required field quantity missing or invalid"
        return demo_error("0001", violation.field)
    if rule in ("amount_not_allowed", "price_not_allowed"):
        return demo_error("-1130", f"'{violation.field}'")
    if rule == "status":
        # 004, "Trading pair status": IN_PREVIEW is "Under preview", so not open yet; HALT and
        # RESUMING pairs exist but may not be traded now.
        if instrument.status is SymbolStatus.IN_PREVIEW:
            return demo_error("-1151")
        return demo_error("-2020")
    if rule == "price_band":
        # LIMIT_TRADING: "Limit Buy cannot be higher than the mark price", "Limit Sell cannot be lower".
        return demo_error("-1132" if request.side is Side.BUY else "-1133")
    if rule == "open_quote":
        if violation.field == "type":
            return demo_error("-1194")  # market orders refused in the OPEN_QUOTE window
        quote = instrument.open_quote
        above = quote is not None and request.price is not None and request.price > quote.limit_max_price > 0
        return demo_error("-1132" if above else "-1133")
    return demo_error("-1130", f"'{violation.field}'")
