"""The demo exchange's error codes and messages, and the mapping from broken rules to them (terminal/demo/errors.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from terminal.demo.errors import MESSAGES, DemoError, demo_error, error_for_violation
from terminal.domain.enums import OrderType, Side, SymbolStatus
from terminal.domain.instrument import OpenQuote
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import Violation
from tests.demo.factory import BTCUSDT, limit, market

D = Decimal

# Verbatim from 004, "Error Codes".
DOCUMENTED = {
    "0001": "Required field %s missing or invalid",
    "0201": "Instrument not found",
    "0209": "Invalid price precision",
    "0211": "Order not found",
    "0401": "Insufficient asset",
    "-1115": "Invalid timeInForce",
    "-1123": "Invalid client order id",
    "-1129": "Invalid parameters, quantity and amount are not allowed to be sent at the same time.",
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
    "-1194": "Market order creation forbidden",
    "-1206": "Order amount greater than the maximum",
    "-2010": "Limit maker order rejected: Improper price may cause immediate fill.",
    "-2017": "Open orders exceeds the limit of the trading pair",
    "-2022": "Order batch size exceeds the limit",
}


@pytest.mark.parametrize(("code", "message"), sorted(DOCUMENTED.items()))
def test_messages_are_the_documents(code: str, message: str) -> None:
    assert MESSAGES[code] == message


def test_demo_error_fills_the_placeholder_and_is_http_400() -> None:
    error = demo_error("0001", "quantity")
    assert error.code == "0001"
    assert error.message == "Required field quantity missing or invalid"
    assert error.http_status == 400
    assert str(error) == "Required field quantity missing or invalid (code 0001)"
    assert "0001" in repr(error)


def test_demo_error_is_an_exception() -> None:
    with pytest.raises(DemoError) as caught:
        raise demo_error("0211")
    assert caught.value.message == "Order not found"


@pytest.mark.parametrize(
    ("rule", "field", "code"),
    [
        ("symbol", "symbol", "0201"),
        ("order_type", "type", "0206"),
        ("time_in_force", "timeInForce", "-1115"),
        ("client_order_id", "clientOrderId", "-1123"),
        ("tick_size", "price", "0209"),
        ("post_only", "price", "-2010"),
        ("step_size", "quantity", "-1137"),
        ("min_qty", "quantity", "-1136"),
        ("max_qty", "quantity", "-1135"),
        ("min_notional", "quantity", "-1140"),
        ("min_amount", "amount", "-1140"),
        ("max_amount", "amount", "-1206"),
        ("quantity_and_amount", "amount", "-1129"),
        ("amount_sell", "amount", "-1014"),
        ("amount_precision", "amount", "-1148"),
        ("balance", "quantity", "0401"),
        ("max_open_orders", "openOrders", "-2017"),
        ("amount_not_allowed", "amount", "-1130"),
        ("price_not_allowed", "price", "-1130"),
        ("some_future_rule", "price", "-1130"),
    ],
)
def test_rules_map_to_codes(rule: str, field: str, code: str) -> None:
    error = error_for_violation(Violation(field, rule, "text"), limit(Side.BUY, "100", "1"), BTCUSDT)
    assert error.code == code


@pytest.mark.parametrize("rule", ["required", "positive"])
@pytest.mark.parametrize("field", ["price", "quantity", "amount"])
def test_missing_or_invalid_fields_name_the_field(rule: str, field: str) -> None:
    error = error_for_violation(Violation(field, rule, "text"), limit(Side.BUY, "100", "1"), BTCUSDT)
    assert (error.code, error.message) == ("0001", f"Required field {field} missing or invalid")


def test_price_band_code_depends_on_side() -> None:
    band = Violation("price", "price_band", "text")
    assert error_for_violation(band, limit(Side.BUY, "200", "1"), BTCUSDT).code == "-1132"
    assert error_for_violation(band, limit(Side.SELL, "50", "1"), BTCUSDT).code == "-1133"


def test_illegal_parameter_names_the_field() -> None:
    error = error_for_violation(Violation("price", "price_not_allowed", "t"), market(Side.BUY, qty="1"), BTCUSDT)
    assert error.message == "Illegal parameter 'price'"


def test_symbol_status_codes() -> None:
    status = Violation("symbol", "status", "text")
    request = limit(Side.BUY, "100", "1")
    preview = replace(BTCUSDT, status=SymbolStatus.IN_PREVIEW)
    halted = replace(BTCUSDT, status=SymbolStatus.HALT)
    assert error_for_violation(status, request, preview).code == "-1151"
    assert error_for_violation(status, request, halted).code == "-2020"


def test_open_quote_codes() -> None:
    quote = OpenQuote(limit_start=0, limit_end=10, limit_min_price=D("90"), limit_max_price=D("110"))
    instrument = replace(BTCUSDT, open_quote=quote)
    window = Violation("price", "open_quote", "text")
    assert error_for_violation(window, limit(Side.BUY, "120", "1"), instrument).code == "-1132"
    assert error_for_violation(window, limit(Side.SELL, "80", "1"), instrument).code == "-1133"
    no_market = Violation("type", "open_quote", "text")
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("1"))
    assert error_for_violation(no_market, request, instrument).code == "-1194"
