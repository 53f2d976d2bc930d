"""HashKey's documented error codes (document 004) mapped to the shared exception tree, so callers act by class."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from terminal.venues.error_text import shorten
from terminal.venues.errors import (
    AuthenticationError,
    Banned,
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
    "DOCUMENTED_HTTP_STATUS",
    "ERRORS",
    "INCORRECT_SIGNATURE",
    "SUCCESS_CODES",
    "ErrorSpec",
    "error_from_response",
    "is_success_code",
    "normalize_code",
    "spec_for",
]


@dataclass(frozen=True)
class ErrorSpec:
    """One row of the document's error table: the code, its documented message and status, and our class."""

    code: str
    message: str
    http_status: int
    kind: type[VenueError]


# "| 200 | 200 | Success request |" and "| 0000 | 200 | success |"; SIGNING.md adds that success bodies
# may also carry `0` or no code at all.
SUCCESS_CODES: frozenset[str] = frozenset({"0", "0000", "200"})

# Every error row of the table documents "HTTP Status Code" 400, including the rate-limit rows.
DOCUMENTED_HTTP_STATUS = 400

# "When the number of orders exceeds the set limit, a response with an HTTP CODE 429 will be received.
# Please wait 1 minute for the suspended period to expire."
DEFAULT_RATE_LIMIT_WAIT = 60.0

# Longest piece of a venue's text we put into an error message (bodies can be whole HTML pages).
_MAX_TEXT = 200

# The table, grouped by the class each code maps to; messages are the "ERROR MESSAGE" column verbatim
# (`%s` placeholders kept). Code 0001 is documented twice; its second meaning is INCORRECT_SIGNATURE below.
_TABLE: Mapping[type[VenueError], tuple[tuple[str, str], ...]] = {
    AuthenticationError: (
        ("0102", "Invalid APIKey"),
        ("0103", "APIKey expired"),
        ("-1002", "Unauthorized operation"),
        ("-1152", "User does not exist"),  # "Unable to find user": the key resolves to nobody
    ),
    PermissionDenied: (
        ("0104", "accountId is not allowed"),
        ("0202", "Invalid IP"),
        ("-1005", "No permission"),
        # -1155: "API trading is suspended for API trading" on this pair: a permission, not an order rule.
        ("-1155", "The trading pair is not available for api trading"),
        ("-1186", "Placing orders via api is not allowed, please check the API permission"),
        ("-1205", "Account not authorized"),
        ("-1215", "User account status is abnormal"),  # judgement: the account is restricted, not the request
        ("-2019", "Trader and omnibus user not allowed to login app"),
        ("-2020", "Not allowed to trade this trading pair"),
        ("-2021", "Not allowed to trade this trading pair"),
        ("-2023", "Need to pass KYC verification"),
        ("-3117", "Invalid permission"),
        # -3144: "We have temporarily suspended your transfer": a restriction on the account (judgement);
        # its twin -3143 only ever answers an order, so it is OrderRejected.
        (
            "-3144",
            "Currently, your trading account has exceeded its limit and is temporarily unable to perform transfers",
        ),
        ("-4006", "Kyc is not certified"),  # "The user has not passed KYC", as -2023
        ("-4009", "No withdrawal permission"),
    ),
    # All three are documented as HTTP 400, not 429; error_from_response gives them the 1-minute wait.
    RateLimited: (
        ("0003", "Rate limit exceeded"),
        ("-1015", "Too many new orders, current limit is %s orders per %s"),
        ("-3145", "Please DO NOT submit request too frequently"),
    ),
    InsufficientFunds: (
        ("0401", "Insufficient asset"),
        ("-4003", "Insufficient Balance"),
        ("-5023", "Insufficient Fund Position."),
    ),
    OrderRejected: (
        ("0206", "Unsupported order type"),
        ("0207", "Invalid price"),
        ("0209", "Invalid price precision"),
        ("0210", "Price outside of allowed range"),
        ("-1014", "Unsupported order combination"),
        ("-1115", "Invalid timeInForce"),
        ("-1117", "Invalid order side"),
        ("-1123", "Invalid client order id"),
        ("-1124", "Invalid price"),
        ("-1126", "Invalid quantity"),
        ("-1129", "Invalid parameters, quantity and amount are not allowed to be sent at the same time."),
        ("-1132", "Order price greater than the maximum"),
        ("-1133", "Order price lower than the minimum"),
        ("-1135", "Order quantity greater than the maximum"),
        ("-1136", "Order quantity lower than the minimum"),
        ("-1137", "Order quantity precision too large"),
        ("-1140", "Order amount lower than the minimum"),
        ("-1141", "Duplicate order"),  # "an existing clientOrderId sent before": that earlier order exists
        ("-1144", "Order has been locked"),
        ("-1145", "Cancellation on this order type not supported"),
        ("-1148", "Order amount precision too large"),
        ("-1149", "Order creation failed"),  # a definite "failed", unlike the "timeout" codes -1146/-1147
        ("-1150", "Order cancellation failed"),
        ("-1151", "The trading pair is not open yet"),
        ("-1153", "Invalid price type"),
        ("-1154", "Invalid position side"),
        ("-1156", "Limit maker order rejected: Improper price may cause immediate fill."),
        ("-1193", "Order creation count exceeds the limit"),
        ("-1194", "Market order creation forbidden"),
        ("-1200", "Order buy quantity too small"),
        ("-1201", "Order buy quantity too large"),
        ("-1202", "Order sell quantity too small"),
        ("-1203", "Order sell quantity too large"),
        ("-1206", "Order amount greater than the maximum"),
        ("-2010", "Limit maker order rejected: Improper price may cause immediate fill."),
        ("-2011", "Order cancellation rejected"),
        ("-2017", "Open orders exceeds the limit of the trading pair"),
        ("-3143", "Currently, your trading account has exceeded its limit and is temporarily unable to perform trades"),
    ),
    # -1139 "Order has been filled" and -1142 "Order has been cancelled": the order "is no longer open".
    OrderNotFound: (
        ("0211", "Order not found"),
        (
            "0212",
            "Order has already been completed (filled, canceled, etc) or does not exist. "
            "Please check the order status to verify",
        ),
        ("-1139", "Order has been filled"),
        ("-1142", "Order has been cancelled"),
        ("-1143", "Order not found on order book"),
    ),
    ClockSkew: (("-1021", "Timestamp for this request is outside of the recvWindow"),),
    # -1006: "An unexpected response was received from the message bus"; -1007: "Send status unknown; execution
    # status unknown"; -1146/-1147: "Not able to create/cancel the order and timed out". Reconcile, never re-send.
    UnknownOutcome: (
        ("-1006", "Execution status unknown"),
        ("-1007", "Timeout waiting for response from server"),
        ("-1146", "Order creation timeout"),
        ("-1147", "Order cancellation timeout"),
    ),
    # -1001 says "Please try again"; on an order request error_from_response turns these into UnknownOutcome.
    ServerError: (
        ("-1000", "An unknown error occurred while processing the request"),
        ("-1001", "Internal error"),
        ("-4011", "System error"),
    ),
    InvalidRequest: (
        ("0201", "Instrument not found"),  # a bad symbol is bad input, not a trading rule
        ("-1004", "Bad request"),
        ("-1020", "Unsupported operation"),
        ("-1024", "Duplicate request"),  # judgement: the request as sent is refused; nothing new happened
        ("-1101", "Feature has been offline"),
        ("-1130", "Illegal parameter %s"),
        ("-1160", "Account does not exist"),
        ("-1161", "Balance transfer failed"),
        ("-1162", "Unsupport contract address"),
        ("-1163", "Illegal withdrawal address"),
        ("-1164", "Withdraw failed"),
        ("-1165", "Withdrawal amount cannot be null"),
        ("-1166", "Withdrawal amount exceeds the daily limit"),
        ("-1167", "Withdrawal amount less than the minimum"),
        ("-1168", "Illegal withdrawal amount"),
        ("-1169", "Withdraw not allowed"),
        ("-1170", "Deposit not allowed"),
        ("-1171", "Withdrawal address not in whitelist"),
        ("-1172", "Invalid from account id"),
        ("-1173", "Invalid to account id"),
        ("-1174", "Transfer not allowed between the same account"),
        ("-1175", "Invalid fiat deposit status"),
        ("-1176", "Invalid fiat withdrawal status"),
        ("-1177", "Invalid fiat order type"),
        ("-1182", "The newly whitelisted withdrawal address will take effect in 30 min. Please try it later."),
        ("-1204", "From account must be a main account"),
        ("-1207", "The status of deposit is invalid"),
        ("-1208", "The orderType of fiat is invalid"),
        ("-1209", "The status of withdraw is invalid"),
        ("-1210", "The deposit amount %s must not be less than the minimum deposit amount %s %s."),
        ("-1211", "Withdrawal in progress"),
        # Deposit, subscription and quote "orders" are not trading orders: -1212, -1300, -5011, -5012 and -5027
        # are InvalidRequest rather than OrderNotFound.
        ("-1212", "The order of deposit does not exist"),
        ("-1213", "The status of deposit cannot apply refund"),
        ("-1214", "The account of deposit does not exist"),
        ("-1300", "Sorry we can not locate this depositOrderId, please check and try again."),
        ("-1301", "Please contact the support team for historical orders"),
        ("-1302", "The refund via api can not be processed due to order status, please contact support team"),
        ("-1303", "The refund request via api can not be processed due to failure reason, please contact support team"),
        ("-1304", "Please upload supporting docs as required, only image files .jpg, .png, .jpeg allowed."),
        ("-1305", "Image size exceeds 1M, please revise and try again"),
        ("-2016", "API key creation exceeds the limit"),
        ("-2018", "Trade user creation exceeds the limit"),
        ("-2022", "Order batch size exceeds the limit"),  # the whole batch request is malformed
        ("-2024", "Fiat account does not exist"),
        ("-2025", "Custody account not exist"),
        ("-2026", "Invalid type"),
        ("-2027", "Exceed maximum time range of 30 days"),
        ("-2028", "The search is limited to data within the last one month"),
        ("-2029", "The search is limited to data within the last three months"),
        ("-2030", "Order batch size exceeds the limit"),
        ("-4000", "Invalid bank account number"),
        ("-4001", "Invalid asset"),
        ("-4002", "Withdrawal amount less than the minimum withdrawal amount"),
        ("-4004", "Invalid bank account number"),
        ("-4005", "Assets are not listed"),
        ("-4007", "Withdrawal channels are not supported"),
        ("-4008", "This currency does not support this customer type"),
        ("-4010", "Withdrawals on the same day exceed the maximum limit for a single day"),
        ("-4012", "Parameter error"),
        ("-4013", "Withdraw repeatedly"),
        ("-4014", "The type of whitelist is invalid"),
        # -4016..-4018: the 2FA token is a parameter of a withdrawal, not the API credentials (judgement).
        ("-4016", "twoFaToken missing. Please send valid twoFaToken as 2FA is enabled for this action"),
        ("-4017", "twoFaToken wrong, please send valid twoFaToken"),
        ("-4018", "twoFaToken used before. Please wait and try again later"),
        ("-4019", "The withdraw exceeded the predefined maximum limit, and has been rejected"),
        ("-4020", "The withdrawal happened during abnormal operation hours, and had been rejected"),
        ("-5000", "Duplicate IN-KIND subscription order"),
        ("-5001", "Fund code is invalid"),
        ("-5002", "Deposit address does not exist"),
        ("-5003", "Invalid address. Please verify"),
        # -5004..-5006: the signature proving a wallet address is ours, not the request's HMAC signature.
        ("-5004", "Signature verification failed because the address had been whitelisted by another account."),
        ("-5005", "Signature verification fails because client submits incorrect signature result."),
        ("-5006", "Signature verification failed because the address had been whitelisted before."),
        ("-5011", "No Subscription found."),
        ("-5012", "Unknown subscriptionId"),
        ("-5013", "Subscription failed."),
        ("-5021", "Only one of 'buyAmount' or 'sellAmount' must be specified."),
        ("-5022", "quoteId expired. Please get a quote again."),
        ("-5024", "The amount is below the minimum required: 100 USD or equivalent USD."),
        ("-5025", "Exceed the maximum buy amount."),
        ("-5026", "Unsupported Quote Pair."),
        ("-5027", "Invalid orderId: %s provided."),
        ("-5030", "The Length of %s cannot exceed %s"),
        ("-5031", "Unsupported quote pair"),
        ("-5032", "Precision illegal"),
        ("-5033", "Precision illegal"),
        ("-5034", "Fail to generate the clientOrderId"),
        ("-5035", "%s"),
        ("-5036", "%s"),
    ),
}

# "| 0001 | 400 | Required field %s missing or invalid |" and "| 0001 | 400 | Incorrect signature |": the same
# code means two things, so ERRORS keeps the first and spec_for() tells them apart by the venue's text.
_REQUIRED_FIELD = ErrorSpec("0001", "Required field %s missing or invalid", DOCUMENTED_HTTP_STATUS, InvalidRequest)
INCORRECT_SIGNATURE = ErrorSpec("0001", "Incorrect signature", DOCUMENTED_HTTP_STATUS, AuthenticationError)


def _build_errors() -> Mapping[str, ErrorSpec]:
    errors: dict[str, ErrorSpec] = {_REQUIRED_FIELD.code: _REQUIRED_FIELD}
    for kind, rows in _TABLE.items():
        for code, message in rows:
            if code in errors:  # every code maps to exactly one class
                raise AssertionError(f"HashKey error code {code} is listed twice")
            errors[code] = ErrorSpec(code, message, DOCUMENTED_HTTP_STATUS, kind)
    return MappingProxyType(errors)


ERRORS: Mapping[str, ErrorSpec] = _build_errors()


def normalize_code(raw: object) -> str:
    """The venue's code as the document spells it: -1021 -> "-1021", 1 -> "0001", 401 -> "0401", 200 -> "200".

    The document writes its positive codes with four digits ("0001", "0401") except the success code 200;
    JSON clients may send them as numbers, which lose the leading zeros. ``None`` becomes "".
    """
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        if raw in (0, 200) or raw < 0 or raw >= 10_000:
            return str(raw)
        return f"{raw:04d}"
    text = str(raw).strip()
    if text.isdigit():  # "1" -> "0001"; "0001", "0000" and "0" stay as written
        value = int(text)
        if len(text) < 4 and value not in (0, 200):
            return f"{value:04d}"
        return text
    if text.startswith("-") and text[1:].isdigit():
        return str(int(text))
    return text


def is_success_code(raw: object) -> bool:
    """True for the success codes 0, "0000" and 200 (int or str), and for an absent code (None or "")."""
    return normalize_code(raw) in SUCCESS_CODES or normalize_code(raw) == ""


def spec_for(code: object, message: str | None = None) -> ErrorSpec | None:
    """The documented row for ``code``; ``message`` (the venue's text) picks between the two meanings of 0001."""
    normalized = normalize_code(code)
    if normalized == INCORRECT_SIGNATURE.code and message is not None:
        text = message.lower()
        # "Required field signature missing or invalid" is still the required-field row.
        if "signature" in text and "required field" not in text:
            return INCORRECT_SIGNATURE
    return ERRORS.get(normalized)


def _shorten(text: str) -> str:
    return shorten(text, _MAX_TEXT)


def _decode(body: object) -> object:
    """Raw text that happens to be JSON is decoded; anything else is returned as it came."""
    if isinstance(body, bytes | bytearray):
        body = bytes(body).decode("utf-8", errors="replace")
    if isinstance(body, str):
        try:
            decoded: object = json.loads(body)
        except ValueError:
            return body
        return decoded
    return body


def _make(kind: type[VenueError], code: str, message: str, http_status: int, retry_after: float | None) -> VenueError:
    if issubclass(kind, RateLimited):
        return kind(code, message, http_status, retry_after=retry_after)
    return kind(code, message, http_status)


def error_from_response(
    http_status: int, body: object, *, placing_order: bool = False, retry_after: float | None = None
) -> VenueError:
    """The exception for a failed HashKey response.

    ``body`` is the decoded JSON (or the raw text when it was not JSON). ``placing_order`` says the request
    may have created an order, so a server-side failure means the outcome is unknown rather than retryable.
    ``retry_after`` is the Retry-After header in seconds, if any.
    """
    body = _decode(body)
    venue_code = ""
    venue_message: str | None = None
    if isinstance(body, Mapping):
        raw_code = body.get("code")
        if not is_success_code(raw_code):
            venue_code = normalize_code(raw_code)
        for key in ("msg", "message"):
            text = body.get(key)
            if isinstance(text, str) and text.strip():
                venue_message = _shorten(text)
                break
    spec = spec_for(venue_code, venue_message) if venue_code else None

    code = venue_code or str(http_status)
    if venue_message is not None:
        message = venue_message
    elif spec is not None:
        message = spec.message
    else:
        message = f"HTTP {http_status} from the venue"
        if isinstance(body, str) and body.strip() and not body.lstrip().startswith("<"):
            message += f": {_shorten(body)}"  # plain text is worth showing; an HTML page is not

    # "HTTP 418 error code when our server have detected the IP address continues to send subsequent requests
    # after receiving 429 error code and is automatically blocked".
    if http_status == 418:
        return Banned(code, message, http_status, retry_after=retry_after)
    # "HTTP 429 error code indicates that the request rate limit has been exceeded" ... "Please wait 1 minute".
    if http_status == 429:
        return RateLimited(
            code, message, http_status, retry_after=DEFAULT_RATE_LIMIT_WAIT if retry_after is None else retry_after
        )
    # "HTTP 5XX indicates an internal system error ... The execution status is uncertain, it could potentially
    # be either successful or unsuccessful." A venue code that already says "unknown" stays UnknownOutcome.
    if http_status >= 500:
        if placing_order or (spec is not None and spec.kind is UnknownOutcome):
            return UnknownOutcome(code, message, http_status)
        return ServerError(code, message, http_status)

    if spec is not None:
        kind = spec.kind
        if kind is ServerError and placing_order:  # -1000, -1001, -4011 on an order: it may have gone through
            kind = UnknownOutcome
        wait = retry_after
        if issubclass(kind, RateLimited) and wait is None:
            wait = DEFAULT_RATE_LIMIT_WAIT  # 0003, -1015, -3145 arrive as HTTP 400 without a Retry-After
        return _make(kind, code, message, http_status, wait)

    # An undocumented code (or none): "HTTP 4XX error code indicate that the request content is invalid".
    if http_status == 401:
        return AuthenticationError(code, message, http_status)
    if http_status == 403:
        return PermissionDenied(code, message, http_status)
    if 400 <= http_status < 500:
        return InvalidRequest(code, message, http_status)
    # A success status whose body is not a documented error: if it answered an order we cannot tell what
    # happened; otherwise the answer simply does not match the document.
    if placing_order:
        return UnknownOutcome(code, message, http_status)
    return MalformedResponse(code, message, http_status)
