"""Longbridge's envelope ``{code, message, data}`` and its error codes mapped to the shared exception tree.

Sources: seed 002, "API Response" (``code == 0`` is success; HTTP status "follows RESTful style");
reference/SIGNING.md, "Longbridge" (the codes below). The refresh page (refresh-token-api.legacy.md)
names the text field ``msg`` in its table and ``message`` in its example, and seed 002's examples use
``msg``: both are read.
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
    InvalidRequest,
    MalformedResponse,
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
    "InvalidApiKey",
    "ReusedTimestamp",
    "SignatureInvalid",
    "TokenExpired",
    "error_from_response",
    "unwrap",
]

# Longbridge documents no Retry-After nor a pause after 429xxx. Its trade limit counts 30 calls per
# 30 s, so the transport pauses the class for its whole window on top of this.
DEFAULT_RATE_LIMIT_WAIT = 1.0
_MAX_TEXT = 300


class SignatureInvalid(AuthenticationError):
    """403201: the venue computed another ``X-Api-Signature`` (wrong secret, or what was signed is
    not what was sent)."""


class InvalidApiKey(AuthenticationError):
    """403203: the ``X-Api-Key`` is unknown or disabled."""


class TokenExpired(AuthenticationError):
    """401003: the access token has expired. The app offers a refresh (``token.TokenClient``) or a new
    token from the developer site ("Token can be reset in Developer Website after expiration": seed 002)."""


class ReusedTimestamp(ClockSkew):
    """403202: the venue saw this ``X-Timestamp`` before ("duplicate request"). The transport never
    reuses one, so this is our bug or a replay between us and the venue. Nothing new happened for
    the refused copy; a read may go again with a fresh timestamp."""


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    """One documented code: its documented message and our class."""

    code: int
    message: str
    kind: type[VenueError]


_ROWS: tuple[tuple[int, str, type[VenueError]], ...] = (
    (403201, "signature invalid", SignatureInvalid),  # seed 002's failure example: {"code": 403201, "msg": ...}
    (403202, "duplicate request", ReusedTimestamp),
    (403203, "invalid API key", InvalidApiKey),
    (401003, "token expired", TokenExpired),
    (429001, "too many requests", RateLimited),
    (429002, "too many requests", RateLimited),
)


def _build() -> Mapping[int, ErrorSpec]:
    errors: dict[int, ErrorSpec] = {}
    for code, message, kind in _ROWS:
        if code in errors:
            raise AssertionError(f"Longbridge error code {code} is listed twice")
        errors[code] = ErrorSpec(code, message, kind)
    return MappingProxyType(errors)


ERRORS: Mapping[int, ErrorSpec] = _build()


def spec_for(code: int) -> ErrorSpec | None:
    """The documented row; any other 429xxx is a rate limit as well (the family of 429001/429002)."""
    spec = ERRORS.get(code)
    if spec is None and 429000 <= code <= 429999:
        return ErrorSpec(code, "too many requests", RateLimited)
    return spec


def _shorten(text: str) -> str:
    return shorten(text, _MAX_TEXT)


def _decode(body: object) -> object:
    if isinstance(body, bytes | bytearray | memoryview):
        raw = bytes(body)
        if not raw.strip():
            return None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return raw.decode("utf-8", errors="replace")
    return body


def _code(envelope: Mapping[str, object]) -> int | None:
    """The envelope's ``code`` as an int (the docs show a JSON number; a numeric string is accepted)."""
    raw = envelope.get("code")
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    return None


def _text(envelope: Mapping[str, object]) -> str | None:
    for key in ("message", "msg"):
        value = envelope.get(key)
        if isinstance(value, str) and value.strip():
            return _shorten(value)
    return None


def _make(kind: type[VenueError], code: str, message: str, status: int, retry_after: float | None) -> VenueError:
    return make_error(kind, code, message, status, retry_after, DEFAULT_RATE_LIMIT_WAIT)


def error_from_response(
    http_status: int, body: object, *, state_changing: bool = False, retry_after: float | None = None
) -> VenueError:
    """The exception for a failed Longbridge answer (an HTTP error status, or ``code != 0``).

    ``body`` is the decoded JSON, raw bytes or text. ``state_changing`` says the request may have
    changed something (an order, a token refresh): a server failure then means its outcome is
    unknown. ``retry_after`` is Retry-After in seconds, if the answer had one."""
    body = _decode(body)
    envelope = body if isinstance(body, Mapping) else None
    code = _code(envelope) if envelope is not None else None
    venue_message = _text(envelope) if envelope is not None else None
    spec = spec_for(code) if code is not None else None

    if venue_message is not None:
        message = venue_message
    elif spec is not None:
        message = spec.message
    else:
        message = f"HTTP {http_status} from the venue"
        if isinstance(body, str) and body.strip() and not body.lstrip().startswith("<"):
            message += f": {_shorten(body)}"  # plain text is worth showing; an HTML page is not
    shown_code = str(code) if code is not None and code != 0 else str(http_status)

    if spec is not None:
        if spec.kind is ReusedTimestamp and state_changing:
            # We never send a timestamp twice: if the venue has seen this one, it has seen this very
            # request (a replay on the way), and the first copy may have been executed. Reconcile.
            return UnknownOutcome(
                shown_code,
                f"{message}; the venue saw this request before, so it may or may not have been executed",
                http_status,
            )
        return _make(spec.kind, shown_code, message, http_status, retry_after)
    if http_status == 429:
        return _make(RateLimited, shown_code, message, http_status, retry_after)
    if http_status >= 500:
        # For a read, retrying is safe; for an order the request may have been executed
        # (DESIGN.md, "Numbers, time, identifiers").
        kind: type[VenueError] = UnknownOutcome if state_changing else ServerError
        return kind(shown_code, message, http_status)
    if http_status == 401:
        return AuthenticationError(shown_code, message, http_status)
    if http_status == 403:
        return PermissionDenied(shown_code, message, http_status)
    if 400 <= http_status < 500:
        return InvalidRequest(shown_code, message, http_status)
    if code is not None and code != 0:
        # A success status carrying an undocumented business code: the venue refused the request.
        return InvalidRequest(shown_code, message, http_status)
    # A success or redirect status whose body is no envelope: for an order we cannot tell what happened.
    if state_changing:
        return UnknownOutcome(shown_code, f"{message}; the request may or may not have been executed", http_status)
    return MalformedResponse(shown_code, f"{message}: not a Longbridge answer", http_status)


def unwrap(http_status: int, body: object, *, state_changing: bool = False) -> object:
    """``data`` of a successful envelope (``code == 0``; None when absent); raises the mapped error
    otherwise, including for a body that is not an envelope at all."""
    decoded = _decode(body)
    if 200 <= http_status < 300 and isinstance(decoded, Mapping) and _code(decoded) == 0:
        return decoded.get("data")
    raise error_from_response(http_status, decoded, state_changing=state_changing)
