"""Longbridge's wire conventions: the ``{code, message, data}`` envelope, the error codes, decimals and
times as strings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

JSON = Any


@dataclass(eq=False)
class LongbridgeError(Exception):
    """An error answer: an HTTP status and the envelope ``{"code": ..., "message": ...}``."""

    status: int
    code: int
    message: str

    def body(self) -> dict[str, JSON]:
        return {"code": self.code, "message": self.message, "data": None}

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


def ok(data: JSON) -> dict[str, JSON]:
    return {"code": 0, "message": "success", "data": data}


# -- the "Common Error Codes" page (open.longportapp.com/docs/error-codes) ------------------------------------


def signature_invalid() -> LongbridgeError:
    return LongbridgeError(403, 403201, "signature invalid")


def duplicate_request() -> LongbridgeError:
    return LongbridgeError(403, 403202, "duplicate request")  # the page spells it "duplicae request"


def apikey_illegal() -> LongbridgeError:
    return LongbridgeError(403, 403203, "apikey illegal")


def token_expired() -> LongbridgeError:
    return LongbridgeError(401, 401003, "token expired")


def ip_rate_limited() -> LongbridgeError:
    return LongbridgeError(429, 429001, "ip request ratelimit")


def api_rate_limited() -> LongbridgeError:
    return LongbridgeError(429, 429002, "api request is limited")


def internal_error() -> LongbridgeError:
    return LongbridgeError(500, 500000, "internal error")


# -- not on that page --------------------------------------------------------------------------------------


def token_invalid() -> LongbridgeError:
    """An Authorization the venue never issued, or one a refresh replaced (the fake's choice of code)."""
    return LongbridgeError(401, 401004, "token invalid")


def bad_parameter(message: str) -> LongbridgeError:
    """HTTP 400 (the trade pages: "rejected with an incorrect request parameter"); 602001 is the code the
    live venue answers for a failed parameter check ("参数校验失败", longbridge/openapi issue #9)."""
    return LongbridgeError(400, 602001, f"parameter check failed: {message}")


def not_found() -> LongbridgeError:
    return LongbridgeError(404, 404001, "not found")


# Business refusals: HTTP 400 with codes the fake chose (the venue does not publish its trade codes).
ORDER_NOT_FOUND = 603001
ORDER_NOT_OPEN = 603002
INSUFFICIENT_FUNDS = 603003
INSUFFICIENT_POSITION = 603004


def rejected(code: int, message: str) -> LongbridgeError:
    return LongbridgeError(400, code, message)


def text(value: Decimal) -> str:
    """A decimal as the venue writes it: plain digits, never an exponent."""
    return format(value.normalize() if value == value.to_integral() else value, "f")


def fixed(value: Decimal, places: str = "0.001") -> str:
    """A decimal at a fixed number of places (``executed_price``, ``cost_price``: ``"300.000"``)."""
    return format(value.quantize(Decimal(places)), "f")


def seconds_text(moment: float) -> str:
    """Times in responses are Unix seconds as strings ("1651644897")."""
    return str(int(moment))


def iso(moment: float) -> str:
    whole, fraction = divmod(round(moment * 1000), 1000)
    return datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{fraction:03d}Z"


def parse_iso(value: str) -> float:
    """ISO 8601 (``2023-04-14T12:13:57.859Z``, offsets allowed); ValueError otherwise."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"no time zone in {value!r}")
    return moment.timestamp()


def decimal_string(fields: dict[str, JSON], name: str, *, required: bool) -> Decimal | None:
    """A decimal field sent as a JSON string (the venue's and its SDK's form); 602001 otherwise."""
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise bad_parameter(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise bad_parameter(f"{name} must be a string, got {type(value).__name__}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise bad_parameter(f"{name} is not a number: {value!r}") from None
    if not number.is_finite():
        raise bad_parameter(f"{name} is not a number: {value!r}")
    return number
