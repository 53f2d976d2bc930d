"""Every documented Webull error code maps to one class of the shared tree, keeping the venue's message."""

from __future__ import annotations

import orjson
import pytest

from terminal.venues.errors import (
    AuthenticationError,
    ClockSkew,
    InsufficientFunds,
    InvalidRequest,
    MalformedResponse,
    OrderNotFound,
    OrderRejected,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnknownOutcome,
    VenueError,
)
from terminal.venues.webull.errors import DEFAULT_RATE_LIMIT_WAIT, ERRORS, error_from_response, spec_for

# The table, as the documents give it: code -> class. A test per code below.
EXPECTED: dict[str, type[VenueError]] = {
    "MISSING_APP_KEY": AuthenticationError,
    "MISSING_SIGNATURE": AuthenticationError,
    "MISSING_ALGORITHM": AuthenticationError,
    "MISSING_NONCE": AuthenticationError,
    "MISSING_TIMESTAMP": AuthenticationError,
    "MISSING_VERSION": AuthenticationError,
    "INVALID_TOKEN": AuthenticationError,
    "UNAUTHORIZED": AuthenticationError,
    "INCORRECT_SIGN": AuthenticationError,
    "VERSION_NOT_SUPPORTED": AuthenticationError,
    "SIGNATURE_ALGORITHM_NOT_SUPPORTED": AuthenticationError,
    "VERIFICATION_CODE_INCORRECT": AuthenticationError,
    "ROUTE_NOT_PERMITTED": PermissionDenied,
    "UNAUTHORIZED_STREAM_DATA": PermissionDenied,
    "ACCOUNT_ACCESS_DENIED": PermissionDenied,
    "MARKET_DATA_NOT_SUBSCRIBED": PermissionDenied,
    "APP_NOT_ACTIVATED": PermissionDenied,
    "IP_NOT_ALLOWED": PermissionDenied,
    "UNAUTHORIZED_CATEGORY": PermissionDenied,
    "UNAUTHORIZED_SUB_TYPE": PermissionDenied,
    "TRADE_ORDER_NO_PERMISSION": PermissionDenied,
    "ACCOUNT_IS_DENY": PermissionDenied,
    "ACCOUNT_IS_DENY_BY_ACT": PermissionDenied,
    "ACCOUNT_IS_DENY_BY_ANC": PermissionDenied,
    "TOO_MANY_REQUESTS": RateLimited,
    "REQUEST_TOTAL_COUNT_EXCEEDED": RateLimited,
    "ILLEGAL_TIMESTAMP": ClockSkew,
    "ILLEAGAL_TIMESTAMP": ClockSkew,
    "CLOCK_SKEW_EXCEEDED": ClockSkew,
    "DUPPLICATED_REQUEST": ClockSkew,
    "ORDER_NOT_FOUND": OrderNotFound,
    "ORDER_STOP_PRICE_MUST_GRATER_TRADE_PRICE": OrderRejected,
    "ORDER_STOP_PRICE_MUST_LESS_TRADE_PRICE": OrderRejected,
    "ORDER_LMT_PRICE_MUST_GRATER_STOP_PRICE": OrderRejected,
    "ORDER_LMT_PRICE_MUST_LESS_STOP_PRICE": OrderRejected,
    "ORDER_PRICE_ILLEGAL": OrderRejected,
    "UNSUPPORTED_ORDER_TYPE": OrderRejected,
    "TICKER_ID_CAN_NOT_TRADE": OrderRejected,
    "NOT_SUPPORT_EXTEND_HOUR": OrderRejected,
    "TRADE_ORDER_TICKER_UNLISTED_CANNOT_TRADE": OrderRejected,
    "TRADE_PLACE_ORDER_REPEAT": OrderRejected,
    "ORDER_TICKER_NOT_FOUND": OrderRejected,
    "ORDER_TICKER_CAN_NOT_TRADE": OrderRejected,
    "DAY_ORDER_NOT_ALLOWED_AFT_CORE_TIME": OrderRejected,
    "SYMBOL_CAN_NOT_SELL_SHORT": OrderRejected,
    "ILLEGAL_PARAMETER": InvalidRequest,
    "INVALID_PARAMETER": InvalidRequest,
    "INSTRUMENT_NOT_FOUND": InvalidRequest,
    "INVALID_SYMBOL": InvalidRequest,
    "UNSUPPORTED_CATEGORY": InvalidRequest,
    "UNSUPPORTED_SUB_TYPE": InvalidRequest,
    "TOO_MANY_SYMBOLS": InvalidRequest,
    "TOO_MANY_SUBSCRIPTION": InvalidRequest,
    "UNSUPPORTED_API_VERSION": InvalidRequest,
    "UNSUPPORTED_TIMESPAN": InvalidRequest,
    "SYSTEM_ERROR": ServerError,
    "INTERNAL_SERVER_ERROR": ServerError,
    "INTERNAL_ERROR": ServerError,
    "SYSTEM_INTERNAL_ERROR": ServerError,
    "GRPC_SYSTEM_ERROR": ServerError,
    "SERVICE_NOT_AVAILABLE": ServerError,
    "GATEWAY_TIMEOUT": ServerError,
}


def test_the_table_is_exactly_the_documented_codes() -> None:
    assert {code: spec.kind for code, spec in ERRORS.items()} == EXPECTED


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_code_raises_its_class_with_the_venues_message(code: str) -> None:
    spec = ERRORS[code]
    # With no status of its own the code arrives as a 417 ("business logic error") in these tests.
    status = spec.http_status or 417
    error = error_from_response(status, {"error_code": code, "message": f"venue says {code}"})
    if status >= 500:
        assert type(error) is ServerError
    else:
        assert type(error) is EXPECTED[code]
    assert error.code == code
    assert error.message == f"venue says {code}"
    assert error.http_status == status


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_without_a_message_the_documented_one_is_used(code: str) -> None:
    error = error_from_response(ERRORS[code].http_status or 417, orjson.dumps({"error_code": code}))
    assert error.message == ERRORS[code].message


def test_unauthorized_from_the_ip_whitelist_is_a_permission_problem() -> None:
    body = {
        "error_code": "UNAUTHORIZED",
        "message": "Access denied. The request IP does not match your configured settings.",
    }
    assert type(error_from_response(401, body)) is PermissionDenied
    body = {"error_code": "UNAUTHORIZED", "message": "Access denied. Please contact support for more details."}
    assert type(error_from_response(401, body)) is PermissionDenied
    body = {"error_code": "UNAUTHORIZED", "message": "Header x-signature is invalid."}
    assert type(error_from_response(401, body)) is AuthenticationError


@pytest.mark.parametrize("code", ["DAY_BUYING_POWER_INSUFFICIENT", "OVERNIGHT_BUYING_POWER_NOT_ENOUGH"])
def test_buying_power_codes_are_insufficient_funds(code: str) -> None:
    error = error_from_response(417, {"error_code": code, "message": "Insufficient buying power"}, state_changing=True)
    assert type(error) is InsufficientFunds
    assert spec_for(code) is not None


def test_other_account_denials_are_permission_problems() -> None:
    error = error_from_response(417, {"error_code": "ACCOUNT_IS_DENY_BY_BCL", "message": "unavailable"})
    assert type(error) is PermissionDenied


def test_429_is_rate_limited_with_a_wait() -> None:
    error = error_from_response(429, {"error_code": "TOO_MANY_REQUESTS", "message": "slow down"}, retry_after=7.0)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 7.0
    bare = error_from_response(429, b"")
    assert isinstance(bare, RateLimited)
    assert bare.retry_after == DEFAULT_RATE_LIMIT_WAIT
    assert bare.code == "429"
    coded = error_from_response(417, {"error_code": "TOO_MANY_REQUESTS"})
    assert isinstance(coded, RateLimited)
    assert coded.retry_after == DEFAULT_RATE_LIMIT_WAIT


def test_5xx_is_retryable_for_a_read_and_unknown_for_an_order() -> None:
    body = {"error_code": "SYSTEM_ERROR", "message": "An unexpected error occurred."}
    assert type(error_from_response(500, body)) is ServerError
    assert type(error_from_response(500, body, state_changing=True)) is UnknownOutcome
    assert type(error_from_response(502, b"<html>bad gateway</html>", state_changing=True)) is UnknownOutcome
    # A documented server code with a 4xx status is still uncertain for an order.
    assert type(error_from_response(417, {"error_code": "INTERNAL_ERROR"}, state_changing=True)) is UnknownOutcome


def test_undocumented_codes_fall_back_to_the_status() -> None:
    def kind(status: int, *, state_changing: bool = False) -> type[VenueError]:
        return type(
            error_from_response(status, {"error_code": "NEW_CODE", "message": "m"}, state_changing=state_changing)
        )

    assert kind(401) is AuthenticationError
    assert kind(403) is PermissionDenied
    assert kind(404) is InvalidRequest
    assert kind(417) is InvalidRequest
    assert kind(417, state_changing=True) is OrderRejected
    assert kind(400, state_changing=True) is InvalidRequest
    assert kind(302) is MalformedResponse
    assert kind(302, state_changing=True) is UnknownOutcome


def test_text_bodies_are_shown_but_html_pages_are_not() -> None:
    assert error_from_response(400, b"bad things").message == "HTTP 400 from the venue: bad things"
    assert error_from_response(400, "<html>…</html>").message == "HTTP 400 from the venue"
    long = error_from_response(400, {"error_code": "ILLEGAL_PARAMETER", "message": "x" * 1000})
    assert len(long.message) == 300
