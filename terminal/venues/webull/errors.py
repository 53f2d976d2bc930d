"""Webull's error envelope ``{"error_code", "message"}`` and HTTP status mapped to the shared exception tree.

Sources of the table: Webull's "Error Codes" page (developer.webull.hk/apis/docs/error-codes, with
HTTP status), the older error list (developer.webull.com|.hk|.co.jp/api-doc/develop/error, no
status), the OpenAPI definitions (417 = "business logic error ... domain-specific constraints") and
the SDK (``webull/core/data/retry_config.json``: throttling and retryable server codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import orjson

from terminal.venues.error_text import make_error, shorten
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

__all__ = [
    "DEFAULT_RATE_LIMIT_WAIT",
    "ERRORS",
    "ErrorSpec",
    "error_from_response",
    "spec_for",
]

# Webull documents no pause after throttling; the SDK backs a throttled GET off from 0.5 s
# (core/retry/backoff_strategy.py, SDK_DEFAULT_TROTTLED_BASE_DELAY). The transport pauses the
# whole class for at least its rate window on top of this.
DEFAULT_RATE_LIMIT_WAIT = 1.0
_MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    """One documented code: its documented message, the HTTP status it comes with (None when the
    source gives none) and our class."""

    code: str
    message: str
    http_status: int | None
    kind: type[VenueError]


_TABLE: dict[type[VenueError], tuple[tuple[str, str, int | None], ...]] = {
    AuthenticationError: (
        ("MISSING_APP_KEY", "Header x-app-key is missing.", 401),
        ("MISSING_SIGNATURE", "Header x-signature is missing.", 401),
        ("MISSING_ALGORITHM", "Header x-signature-algorithm is missing.", 401),
        ("MISSING_NONCE", "Header x-signature-nonce is missing.", 401),
        ("MISSING_TIMESTAMP", "Header x-timestamp is missing.", 401),
        ("MISSING_VERSION", "Parameter error, missing x-version header.", None),
        ("INVALID_TOKEN", "Header x-access-token is missing or invalid.", 401),
        # Also "Header x-signature is invalid.", "Your app key has been disabled...", and two
        # "Access denied..." texts, which spec_for() turns into PermissionDenied.
        (
            "UNAUTHORIZED",
            "Invalid credentials. Please verify your credentials and ensure you are connecting to the "
            "correct environment.",
            401,
        ),
        ("INCORRECT_SIGN", "Parameter error, signature verification failed.", None),
        ("VERSION_NOT_SUPPORTED", "Header x-signature-version is invalid.", 401),
        ("SIGNATURE_ALGORITHM_NOT_SUPPORTED", "Header x-signature-algorithm is invalid.", 401),
        ("VERIFICATION_CODE_INCORRECT", "Verification code error", None),
    ),
    PermissionDenied: (
        # Documented both with HTTP 401 and with 403.
        (
            "ROUTE_NOT_PERMITTED",
            "You do not have permission to access this endpoint. Please contact support to request access.",
            403,
        ),
        (
            "UNAUTHORIZED_STREAM_DATA",
            "Insufficient permission. Please subscribe to the required market data and try again.",
            401,
        ),
        ("ACCOUNT_ACCESS_DENIED", "Invalid account or insufficient permissions.", 403),
        (
            "MARKET_DATA_NOT_SUBSCRIBED",
            "Insufficient permission. Please subscribe to the required market data and try again.",
            403,
        ),
        ("APP_NOT_ACTIVATED", "Your app is not activated. Please contact support for more details.", 403),
        ("IP_NOT_ALLOWED", "IP forbidden access.", None),
        ("UNAUTHORIZED_CATEGORY", "No data permission for this CATEGORY.", None),
        ("UNAUTHORIZED_SUB_TYPE", "Unauthorized subscription type.", None),
        ("TRADE_ORDER_NO_PERMISSION", "No order permission", None),
        ("ACCOUNT_IS_DENY", "Your account is currently unavailable for trading.", None),
        ("ACCOUNT_IS_DENY_BY_ACT", "Your account is currently unavailable for trading due to ACAT out.", None),
        (
            "ACCOUNT_IS_DENY_BY_ANC",
            "Your account is currently unavailable for trading due to account type change.",
            None,
        ),
    ),
    RateLimited: (
        ("TOO_MANY_REQUESTS", "A large number of requests in a short period of time trigger current limiting.", None),
        ("REQUEST_TOTAL_COUNT_EXCEEDED", "The developer's interface call quota is insufficient.", None),
    ),
    ClockSkew: (
        # "not in the expected ISO 8601 format or outside the acceptable time window".
        ("ILLEGAL_TIMESTAMP", "Header x-timestamp is invalid.", 401),
        ("ILLEAGAL_TIMESTAMP", "Parameter error, x-timestamp format error.", None),  # the older list's spelling
        ("CLOCK_SKEW_EXCEEDED", "Request rejected, x-timestamp clock offset exceeds maximum limit.", None),
        # A nonce seen before: the request is refused as a replay; nothing new happened.
        ("DUPPLICATED_REQUEST", "Request denied for repeated requests.", None),
    ),
    OrderNotFound: (("ORDER_NOT_FOUND", "No order record.", None),),
    OrderRejected: (
        (
            "ORDER_STOP_PRICE_MUST_GRATER_TRADE_PRICE",
            "The stop-loss price of the stop-loss order must be greater than the current latest market price",
            None,
        ),
        (
            "ORDER_STOP_PRICE_MUST_LESS_TRADE_PRICE",
            "Sell stop price must be less than the current latest market price",
            None,
        ),
        (
            "ORDER_LMT_PRICE_MUST_GRATER_STOP_PRICE",
            "The limit price of a buy stop order must be greater than the stop price",
            None,
        ),
        (
            "ORDER_LMT_PRICE_MUST_LESS_STOP_PRICE",
            "The limit price for a sell stop order must be less than the stop price",
            None,
        ),
        ("ORDER_PRICE_ILLEGAL", "The price does not comply with the spread rules for the underlying", None),
        ("UNSUPPORTED_ORDER_TYPE", "The current order type is not supported", None),
        ("TICKER_ID_CAN_NOT_TRADE", "The stock is not in the tradable table", None),
        ("NOT_SUPPORT_EXTEND_HOUR", "Pre-market and after-hours trading is not supported", None),
        ("TRADE_ORDER_TICKER_UNLISTED_CANNOT_TRADE", "The ticker is not listed and cannot be traded", None),
        # A repeated client_order_id: refused, and the first order stands (reconcile by that id).
        ("TRADE_PLACE_ORDER_REPEAT", "Repeat orders", None),
        ("ORDER_TICKER_NOT_FOUND", "The target does not support transactions", None),
        ("ORDER_TICKER_CAN_NOT_TRADE", "The target does not support transactions", None),
        # developer.webull.com/api-doc/zh-Hans/develop/error: "当前订单类型不支持盘前盘后", "该标的当前不支持卖空".
        ("DAY_ORDER_NOT_ALLOWED_AFT_CORE_TIME", "The current order type does not support pre- and post-market", None),
        ("SYMBOL_CAN_NOT_SELL_SHORT", "The symbol cannot be sold short at present", None),
    ),
    InvalidRequest: (
        ("ILLEGAL_PARAMETER", "Parameter error.", None),
        ("INVALID_PARAMETER", "Parameter error", 417),  # the OpenAPI definitions' 417 example
        ("INSTRUMENT_NOT_FOUND", "instrument not exists", None),  # the envelope example of the error page
        ("INVALID_SYMBOL", "Wrong symbol.", None),
        ("UNSUPPORTED_CATEGORY", "Unsupported CATEGORY.", None),
        ("UNSUPPORTED_SUB_TYPE", "Unsupported subscription type.", None),
        ("TOO_MANY_SYMBOLS", "Too many symbols in a single call.", None),
        ("TOO_MANY_SUBSCRIPTION", "Too many quotes pushes.", None),
        ("UNSUPPORTED_API_VERSION", "Unsupported api version.", None),
        ("UNSUPPORTED_TIMESPAN", "Unsupported candlestick type.", None),
    ),
    # On a state-changing request error_from_response() turns these into UnknownOutcome.
    ServerError: (
        (
            "SYSTEM_ERROR",
            "An unexpected error occurred. Please try again later or contact support for more details.",
            500,
        ),
        (
            "INTERNAL_SERVER_ERROR",
            "An unexpected error occurred. Please try again later or contact support for more details.",
            500,
        ),
        ("INTERNAL_ERROR", "Internal error.", None),
        ("SYSTEM_INTERNAL_ERROR", "Internal error", None),
        ("GRPC_SYSTEM_ERROR", "System error.", None),
        ("SERVICE_NOT_AVAILABLE", "Service not available", None),  # retry_config.json, RetryableNormalErrors
        ("GATEWAY_TIMEOUT", "Gateway timeout", None),  # retry_config.json, RetryableNormalErrors
    ),
}


def _build() -> Mapping[str, ErrorSpec]:
    errors: dict[str, ErrorSpec] = {}
    for kind, rows in _TABLE.items():
        for code, message, status in rows:
            if code in errors:  # every code maps to exactly one class
                raise AssertionError(f"Webull error code {code} is listed twice")
            errors[code] = ErrorSpec(code, message, status, kind)
    return MappingProxyType(errors)


ERRORS: Mapping[str, ErrorSpec] = _build()

# UNAUTHORIZED also reads "Access denied. The request IP does not match your configured settings."
# and "Access denied. Please contact support for more details." (the IP whitelist): valid
# credentials that may not do this from here.
_IP_DENIED = ErrorSpec(
    "UNAUTHORIZED", "Access denied. The request IP does not match your configured settings.", 401, PermissionDenied
)


def spec_for(code: str, message: str | None = None) -> ErrorSpec | None:
    """The documented row for ``code``; ``message`` (the venue's text) tells UNAUTHORIZED's meanings apart.

    Codes whose documented spelling we only have in part are matched by their family:
    ``…BUYING_POWER…`` (the older list's "DAY_BUYING_POWER_…", cut off in our copy) is
    InsufficientFunds, ``ACCOUNT_IS_DENY_BY_…`` is PermissionDenied."""
    if code == "UNAUTHORIZED" and message and message.strip().lower().startswith("access denied"):
        return _IP_DENIED
    spec = ERRORS.get(code)
    if spec is not None:
        return spec
    if "BUYING_POWER" in code:
        return ErrorSpec(code, "Insufficient buying power", None, InsufficientFunds)
    if code.startswith("ACCOUNT_IS_DENY_BY_"):
        return ErrorSpec(code, "Your account is currently unavailable for trading.", None, PermissionDenied)
    return None


def _shorten(text: str) -> str:
    return shorten(text, _MAX_TEXT)


def _decode(body: object) -> object:
    if isinstance(body, bytes | bytearray | memoryview):
        raw = bytes(body)
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return raw.decode("utf-8", errors="replace")
    return body


def _make(kind: type[VenueError], code: str, message: str, status: int, retry_after: float | None) -> VenueError:
    return make_error(kind, code, message, status, retry_after, DEFAULT_RATE_LIMIT_WAIT)


def error_from_response(
    http_status: int, body: object, *, state_changing: bool = False, retry_after: float | None = None
) -> VenueError:
    """The exception for a failed Webull answer.

    ``body`` is the decoded JSON, raw bytes or text. ``state_changing`` says the request may have
    changed something (placed, replaced or cancelled an order, created a token): a server failure
    then means its outcome is unknown rather than retryable. ``retry_after`` is Retry-After in seconds."""
    body = _decode(body)
    code = ""
    venue_message: str | None = None
    if isinstance(body, Mapping):
        raw_code = body.get("error_code")
        if raw_code is not None and str(raw_code).strip():
            code = str(raw_code).strip()
        text = body.get("message")
        if isinstance(text, str) and text.strip():
            venue_message = _shorten(text)
    spec = spec_for(code, venue_message) if code else None

    if venue_message is not None:
        message = venue_message
    elif spec is not None:
        message = spec.message
    else:
        message = f"HTTP {http_status} from the venue"
        if isinstance(body, str) and body.strip() and not body.lstrip().startswith("<"):
            message += f": {_shorten(body)}"  # plain text is worth showing; an HTML page is not
    shown_code = code or str(http_status)

    if http_status == 429:
        return _make(RateLimited, shown_code, message, http_status, retry_after)
    if http_status >= 500:
        # Webull: "SYSTEM_ERROR ... Retry with exponential backoff". For a read that is safe; for an
        # order the request may have been executed (DESIGN.md, "Numbers, time, identifiers").
        kind: type[VenueError] = UnknownOutcome if state_changing else ServerError
        return kind(shown_code, message, http_status)
    if spec is not None:
        kind = spec.kind
        if kind is ServerError and state_changing:
            kind = UnknownOutcome
        return _make(kind, shown_code, message, http_status, retry_after)
    # An undocumented code (or none): by status.
    if http_status == 401:
        return AuthenticationError(shown_code, message, http_status)
    if http_status == 403:
        return PermissionDenied(shown_code, message, http_status)
    if http_status == 417 and state_changing:
        # 417: "A business logic error triggered when the request cannot be processed due to
        # domain-specific constraints": for an order, a trading rule refused it.
        return OrderRejected(shown_code, message, http_status)
    if 400 <= http_status < 500:
        return InvalidRequest(shown_code, message, http_status)
    # A success or redirect status whose body is not an answer: for an order we cannot tell what happened.
    if state_changing:
        return UnknownOutcome(shown_code, message, http_status)
    return MalformedResponse(shown_code, message, http_status)
