"""Webull's 2FA access token (seed 000, "Token"): ask whether it is required, create it, wait
while the user verifies it in the Webull app, check it. Plain asyncio; the dialog comes later."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from terminal.venues.errors import MalformedResponse, ServerError, VenueUnavailable
from terminal.venues.ratelimit import Clock, MonotonicClock
from terminal.venues.webull.transport import RateClass, WebullTransport

log = logging.getLogger("terminal.venues.webull.token")


class TokenStatus(StrEnum):
    """000, "Check Token Status"."""

    PENDING = "PENDING"  # "A newly created Token is set to Pending Verification by default."
    NORMAL = "NORMAL"  # "After a pending Token completes verification, its status will change to Active."
    INVALID = "INVALID"  # "no API calls ... for 15 consecutive days", or "a token does not exist in the system"
    EXPIRED = (
        "EXPIRED"  # "A pending Token will be marked as Expired if verification is not completed within 5 minutes."
    )


# The SDK's comment in token_manager.py: "PENDING -> 0, NORMAL -> 1, INVALID -> 2, EXPIRED -> 3".
_NUMBERED = (TokenStatus.PENDING, TokenStatus.NORMAL, TokenStatus.INVALID, TokenStatus.EXPIRED)
# Below this an ``expires`` is epoch seconds, at or above it epoch milliseconds (10**11 s is the
# year 5138; 10**11 ms is 1973). Below 10**9 (2001 in seconds) it is no timestamp at all.
_MS_THRESHOLD = 10**11
_S_THRESHOLD = 10**9


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A token, when it stops being valid (epoch milliseconds) and its status. ``repr`` hides the token."""

    token: str
    expires_ms: int
    status: TokenStatus

    def __repr__(self) -> str:
        return f"AccessToken(token=<hidden>, expires_ms={self.expires_ms}, status={self.status.value})"


@dataclass(frozen=True, slots=True)
class TokenPaths:
    config: str
    create: str
    check: str


# The paths of seed 000 and reference/SIGNING.md, sent with x-version v2.
DOCUMENTED_PATHS = TokenPaths("/openapi/config", "/openapi/auth/token/create", "/openapi/auth/token/check")
# What the SDK 3.0.4 sends (with x-version v3): core/http/initializer/config/bean/query_config_request.py
# and token/bean/{create,check}_token_request.py. Webull's current API reference agrees.
SDK3_PATHS = TokenPaths("/openapi/config", "/auth/tokens/create", "/auth/tokens/check")


def _status(raw: object) -> TokenStatus:
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < len(_NUMBERED):
        return _NUMBERED[raw]
    if isinstance(raw, str):
        try:
            return TokenStatus(raw.strip().upper())
        except ValueError:
            pass
    raise MalformedResponse("", f"the venue sent an unknown token status {raw!r}")


def _expires_ms(data: Mapping[str, object]) -> int:
    """``expires_at`` (Webull's API reference: "a Unix timestamp in milliseconds") or ``expires``
    (SIGNING.md and the SDK's AccessToken), in seconds or milliseconds."""
    raw = data.get("expires_at", data.get("expires"))
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < _S_THRESHOLD:
        raise MalformedResponse("", f"the venue sent no usable token expiry ({raw!r})")
    return raw if raw >= _MS_THRESHOLD else raw * 1000


def parse_token(data: object, sent_token: str | None = None) -> AccessToken:
    """An answer of create or check, ``{"token", "expires" | "expires_at", "status"}``."""
    if not isinstance(data, Mapping):
        raise MalformedResponse("", "the token endpoint did not answer with a JSON object")
    token = data.get("token")
    if not isinstance(token, str) or not token:
        if sent_token is None:
            raise MalformedResponse("", "the venue created no token")
        token = sent_token
    return AccessToken(token, _expires_ms(data), _status(data.get("status")))


def _flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise MalformedResponse("", f"token_check_enabled is {raw!r}, not true or false")


class TokenChecker(Protocol):
    async def check(self, token: str) -> AccessToken: ...


class TokenClient:
    """The token endpoints over a signed transport. They are sent without ``x-access-token`` being
    required; the transport adds one when it has it, which the venue ignores here."""

    def __init__(self, transport: WebullTransport, paths: TokenPaths = DOCUMENTED_PATHS) -> None:
        self.transport = transport
        self.paths = paths

    async def required(self) -> bool:
        """Whether this account must send ``x-access-token`` (``GET /openapi/config`` →
        ``token_check_enabled``; the SDK treats a missing flag as false: client_initializer.py)."""
        data = await self.transport.request("GET", self.paths.config, rate_class=RateClass.AUTH, idempotent=True)
        if not isinstance(data, Mapping):
            raise MalformedResponse("", "the config endpoint did not answer with a JSON object")
        return _flag(data.get("token_check_enabled", False))

    async def create(self) -> AccessToken:
        """A new token, normally PENDING (an SMS goes to the account's phone); never re-sent
        automatically, since each call creates a token and sends a code (000, "1. Create Token")."""
        data = await self.transport.request(
            "POST", self.paths.create, json_body={}, rate_class=RateClass.AUTH, idempotent=False
        )
        return parse_token(data)

    async def check(self, token: str) -> AccessToken:
        """The token's current status (000, "3. Check Token Status"). A read: retried when it fails."""
        data = await self.transport.request(
            "POST", self.paths.check, json_body={"token": token}, rate_class=RateClass.AUTH, idempotent=True
        )
        return parse_token(data, token)


async def wait_for_verification(
    client: TokenChecker,
    token: AccessToken,
    *,
    timeout: float = 300.0,
    interval: float = 5.0,
    on_poll: Callable[[float, AccessToken], None] | None = None,
    clock: Clock | None = None,
) -> AccessToken:
    """Poll ``check`` every ``interval`` seconds until the token is NORMAL, EXPIRED or INVALID, or
    ``timeout`` runs out; then the status last seen, EXPIRED if it was still PENDING ("If
    verification is not completed within 5 minutes, the Check Token interface will return a
    Verification Timeout error", 000). ``on_poll(seconds_left, token)`` runs before each wait, for a
    countdown. The SDK polls the same way: every 5 s for 300 s (ApiClient's token_check_* defaults)."""
    if interval <= 0:
        raise ValueError("the polling interval must be positive")
    clock = clock or MonotonicClock()
    deadline = clock.now() + timeout
    current = token
    while current.status is TokenStatus.PENDING:
        left = deadline - clock.now()
        if left <= 0:
            return AccessToken(current.token, current.expires_ms, TokenStatus.EXPIRED)
        if on_poll is not None:
            on_poll(left, current)
        await clock.sleep(min(interval, left))
        try:
            current = await client.check(current.token)
        except (ServerError, VenueUnavailable) as exc:
            # The countdown goes on: a later check may get through before the token expires.
            log.warning("could not check the access token: %s", exc)
    return current
