"""Longbridge's access token: when it expires, when to warn, and the legacy refresh call
(reference/longbridge/refresh-token-api.legacy.md). Plain asyncio; keyring storage is the app's job."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson

from terminal.venues.errors import MalformedResponse
from terminal.venues.longbridge.transport import LongbridgeTransport, RateClass
from terminal.venues.wire import WireObject, malformed

REFRESH_PATH = "/v1/token/refresh"
# Seed 002: "Access Token will expires in three months."
TOKEN_LIFETIME = timedelta(days=90)
WARN_DAYS = 14
_DAY_S = 86_400


def iso_ms(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``, the refresh page's form: ``2023-04-14T12:13:57.859Z``."""
    if moment.tzinfo is None:
        raise ValueError("a token time needs a time zone; naive datetimes are ambiguous")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_time(text: str, path: str) -> datetime:
    """An ISO 8601 time of the venue (``…Z`` or an offset) as an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise malformed(path, f"is not an ISO 8601 time ({text!r:.40})") from None
    if moment.tzinfo is None:
        raise malformed(path, f"has no time zone ({text!r:.40})")
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A token and when it stops being valid. ``repr`` hides the token."""

    token: str
    expires_at: datetime
    issued_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.token:
            raise ValueError("an access token cannot be empty")
        if self.expires_at.tzinfo is None or (self.issued_at is not None and self.issued_at.tzinfo is None):
            raise ValueError("token times need a time zone")

    def __repr__(self) -> str:
        issued = "None" if self.issued_at is None else iso_ms(self.issued_at)
        return f"AccessToken(token=<hidden>, expires_at={iso_ms(self.expires_at)}, issued_at={issued})"

    def seconds_left(self, now: datetime) -> float:
        return (self.expires_at - now).total_seconds()

    def days_left(self, now: datetime) -> int:
        """Whole days until expiry, rounded down (0 on its last day, negative once expired)."""
        return math.floor(self.seconds_left(now) / _DAY_S)

    def is_expired(self, now: datetime) -> bool:
        return self.seconds_left(now) <= 0

    def needs_warning(self, now: datetime, warn_days: int = WARN_DAYS) -> bool:
        """Expired, or expiring within ``warn_days`` days: time to offer a refresh."""
        return self.seconds_left(now) <= warn_days * _DAY_S

    def expiry_text(self, now: datetime) -> str:
        """What a status bar shows: "expires 2025-05-14 (in 12 days)", "expired 2025-05-14"."""
        day = self.expires_at.astimezone(UTC).strftime("%Y-%m-%d")
        if self.is_expired(now):
            return f"expired {day}"
        days = self.days_left(now)
        if days == 0:
            return f"expires {day} (today)"
        return f"expires {day} (in {days} day{'s' if days != 1 else ''})"


def parse_refresh(data: object) -> AccessToken:
    """The ``data`` of a refresh answer: ``{"token", "expired_at", "issued_at", "account_info"}``."""
    obj = WireObject(data, "token.refresh")
    token = obj.text("token")
    if not token.strip():
        raise malformed("token.refresh.token", "is empty")
    expires_at = parse_time(obj.text("expired_at"), "token.refresh.expired_at")
    issued_at = parse_time(obj.text("issued_at"), "token.refresh.issued_at") if obj.has("issued_at") else None
    return AccessToken(token, expires_at, issued_at)


def default_expiry(now: datetime) -> datetime:
    """The ``expired_at`` to ask for: three months from now, the lifetime the developer site gives."""
    return now + TOKEN_LIFETIME


class TokenClient:
    """The legacy refresh call over a signed transport (``Authorization`` carries the current token)."""

    def __init__(self, transport: LongbridgeTransport) -> None:
        self.transport = transport

    async def refresh(self, expired_at: datetime) -> AccessToken:
        """A new token valid until ``expired_at``; the transport signs with it from now on.

        "The old access_token will be invalidated after a successful call": so the call is never
        re-sent automatically. A lost answer raises UnknownOutcome; the old token may then be dead,
        and the user gets a new one on the developer site."""
        async with self.transport.token_change():
            data = await self.transport.request(
                "GET",
                REFRESH_PATH,
                # Written as the page's example, colons literal (legal in a query; signed as sent).
                query=f"expired_at={iso_ms(expired_at)}",
                rate_class=RateClass.AUTH,
                idempotent=False,
            )
            token = parse_refresh(data)
            self.transport.set_access_token(token.token)
        return token


def to_record(token: AccessToken) -> str:
    """What the app stores in the keyring after a refresh: the token with its times, as one JSON text."""
    record = {"token": token.token, "expires_at": iso_ms(token.expires_at)}
    if token.issued_at is not None:
        record["issued_at"] = iso_ms(token.issued_at)
    return orjson.dumps(record).decode("utf-8")


def from_record(text: str) -> AccessToken:
    """A token stored by ``to_record``."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise MalformedResponse("", "the stored Longbridge token is not readable") from None
    if not isinstance(data, Mapping):
        raise MalformedResponse("", "the stored Longbridge token is not readable")
    obj = WireObject(data, "stored token")
    issued = parse_time(obj.text("issued_at"), "stored token.issued_at") if obj.has("issued_at") else None
    return AccessToken(obj.text("token"), parse_time(obj.text("expires_at"), "stored token.expires_at"), issued)
