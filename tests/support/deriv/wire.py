"""Deriv's message envelope: every answer echoes the request (echo_req), names its msg_type and carries
req_id and passthrough back; a stream message also carries its subscription id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson

JSON = dict[str, Any]

# Deriv shows a sensitive request field (the token) as this in echo_req.
MASK = "<not shown>"


@dataclass(frozen=True)
class Request:
    """One request as received: its body, its method name and what echo_req shows of it."""

    body: JSON
    method: str
    echo: JSON

    @property
    def req_id(self) -> int | None:
        value = self.body.get("req_id")
        # Only an integer goes back: the receive schemas declare req_id an integer.
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class DerivError(Exception):
    """A Deriv error answer: ``{"error": {"code", "message", "details"?}}``."""

    def __init__(self, code: str, message: str, details: JSON | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details


def make_request(body: JSON, method: str, sensitive: frozenset[str]) -> Request:
    echo = {key: (MASK if key in sensitive else value) for key, value in body.items()}
    return Request(body=body, method=method, echo=echo)


def envelope(request: Request, msg_type: str, body: JSON, subscription_id: str | None = None) -> JSON:
    message: JSON = {"echo_req": request.echo, "msg_type": msg_type, **body}
    if subscription_id is not None:
        message["subscription"] = {"id": subscription_id}
    if request.req_id is not None:
        message["req_id"] = request.req_id
    if isinstance(request.body.get("passthrough"), dict):
        message["passthrough"] = request.body["passthrough"]
    return message


def error_body(error: DerivError) -> JSON:
    detail: JSON = {"code": error.code, "message": error.message}
    if error.details is not None:
        detail["details"] = error.details
    return {"error": detail}


def error_msg_type(request: Request) -> str:
    """The msg_type of an error answer: the method name, except where the schema names it otherwise."""
    if request.method == "ticks":
        return "tick"
    if request.method == "ticks_history":
        return "candles" if request.body.get("style") == "candles" else "history"
    return request.method


def new_id() -> str:
    """A subscription or proposal id: 32 hex characters, which forget's pattern ^[\\w-]{32,128}$ accepts."""
    return uuid.uuid4().hex


def num(value: Decimal) -> float:
    """A wire number: Deriv sends prices and amounts as JSON numbers."""
    return float(value)


def encode(message: JSON) -> str:
    return orjson.dumps(message, default=_default).decode()


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {value!r}")
