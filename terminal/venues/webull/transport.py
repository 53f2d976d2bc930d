"""Signed HTTP requests to Webull: pace, sign, send, classify the answer, retry what is safe.

A JSON body is serialized once and those exact bytes are both signed and sent (SIGNING.md, step 4;
Webull: "the JSON body used for MD5 computation must be exactly the same string sent"). Every
attempt gets a fresh timestamp, nonce and signature. A state-changing request whose outcome is
uncertain (timeout, dropped connection, 5xx) raises ``UnknownOutcome`` and is never re-sent;
idempotent reads are retried with backoff.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import httpx
import orjson

from terminal import __version__
from terminal.domain.decimals import to_plain
from terminal.venues.app_key_transport import AppKeyTransport
from terminal.venues.errors import (
    MalformedResponse,
    RateLimited,
    UnknownOutcome,
    VenueUnavailable,
)
from terminal.venues.ratelimit import SHARED_LIMITERS, Rate, RateLimiter
from terminal.venues.read_retry import read_retrying
from terminal.venues.webull.errors import error_from_response
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.signing import API_VERSION, check_algorithm, new_nonce, sign, utc_timestamp

log = logging.getLogger("terminal.venues.webull.rest")


class RateClass(StrEnum):
    AUTH = "auth"  # /openapi/config and the token endpoints
    ACCOUNT_LIST = "account_list"
    ACCOUNT = "account"  # balance, positions
    ORDER = "order"  # place, replace, cancel
    ORDER_QUERY = "order_query"  # open orders, order detail, history
    PREVIEW = "preview"
    INSTRUMENT = "instrument"
    MARKET_DATA = "market_data"
    DEFAULT = "default"  # anything not classified yet


# The stricter of Webull's two published tables, each window 10% longer than documented (network
# jitter can bunch requests that left a window apart):
# - HK Trading API overview: account list/balance/positions 60/60 s; preview 40/10 s; place,
#   replace, cancel "15 req/s (US), 1 req/s (HK/A-share)"; history, open orders, detail 40/2 s.
# - US API reference: create/check token 10 per 30 s; account list 10 per 30 s; balance and
#   positions 2 per 2 s; open orders, detail, history 2 per 2 s; instruments 60 per 60 s.
# - Market Data API: "600 requests per minute".
# /openapi/config has no published limit: it shares the token endpoints' budget. Orders use HK's
# 1/s: a US profile may pass its own ``rates``.
RATES: dict[str, Rate] = {
    RateClass.AUTH: Rate(10, 33.0),
    RateClass.ACCOUNT_LIST: Rate(10, 33.0),
    RateClass.ACCOUNT: Rate(2, 2.2),
    RateClass.ORDER: Rate(1, 1.1),
    RateClass.ORDER_QUERY: Rate(2, 2.2),
    RateClass.PREVIEW: Rate(40, 11.0),
    RateClass.INSTRUMENT: Rate(1, 1.1),
    RateClass.MARKET_DATA: Rate(10, 1.1),
    RateClass.DEFAULT: Rate(1, 1.1),
}

# Failures that never let a request leave this machine: safe to report as "not delivered".
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
_HIDDEN_HEADERS = frozenset({"x-app-key", "x-signature", "x-access-token"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WebullTransport(AppKeyTransport):
    """One keep-alive HTTP client and the rate limiter for one app key; signs every request."""

    def __init__(
        self,
        hosts: Hosts,
        app_key: str,
        app_secret: str,
        *,
        algorithm: str | None = None,
        access_token: str | None = None,
        clock: Callable[[], datetime] = _utc_now,
        client: httpx.AsyncClient | None = None,
        limiter: RateLimiter | None = None,
        rates: Mapping[str, Rate] | None = None,
        api_version: str = API_VERSION,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        order_max_wait: float = 5.0,
        retry_attempts: int = 3,
        retry_initial_wait: float = 0.25,
        retry_sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(
            app_key,
            app_secret,
            access_token,
            client,
            timeout=timeout,
            connect_timeout=connect_timeout,
            order_max_wait=order_max_wait,
            retry_attempts=retry_attempts,
            retry_initial_wait=retry_initial_wait,
            retry_sleep=retry_sleep,
        )
        self.hosts = hosts
        self.algorithm = check_algorithm(algorithm or hosts.algorithm)
        self.api_version = api_version
        self._clock = clock
        self._rates = dict(rates if rates is not None else RATES)
        self.limiter = limiter or SHARED_LIMITERS.get(hosts.api_url, app_key, self._rates)

    def __repr__(self) -> str:
        return f"WebullTransport({self.hosts.api_url}, app_key={self._shown_key()}, secret=<hidden>)"

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        json_body: object = None,
        rate_class: str = RateClass.DEFAULT,
        idempotent: bool,
        max_wait: float | None = None,
    ) -> Any:
        """Send one request; the decoded JSON of a successful answer (None for an empty one).

        ``idempotent`` says the request may be sent again automatically (reads); otherwise it is
        sent once, and an uncertain outcome raises ``UnknownOutcome``. ``max_wait`` bounds the wait
        for the rate limiter; by default a state-changing request waits at most ``order_max_wait``."""
        if rate_class not in self._rates:
            raise ValueError(f"unknown rate class {rate_class!r}")
        method = method.upper()
        body = None if json_body is None else orjson.dumps(json_body, default=_wire_value)
        if not idempotent:
            wait = self._order_max_wait if max_wait is None else max_wait
            return await self._send(method, path, query, body, rate_class, idempotent, wait)
        retrying = read_retrying(self._retry_attempts, self._retry_initial_wait, self._retry_sleep)
        async for attempt in retrying:
            with attempt:
                return await self._send(method, path, query, body, rate_class, idempotent, max_wait)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    def _headers(self, method: str, path: str, query: Mapping[str, str] | None, body: bytes | None) -> dict[str, str]:
        headers = sign(
            method,
            self.hosts.api_host,
            path,
            query,
            body,
            self._app_key,
            self._app_secret,
            utc_timestamp(self._clock()),
            new_nonce(),
            self.algorithm,
            version=self.api_version,
        )
        if self._access_token:
            headers["x-access-token"] = self._access_token  # not signed (SIGNING.md, step 1)
        headers["Accept"] = "application/json"
        headers["User-Agent"] = f"trading-terminal/{__version__}"
        if body is not None:
            headers["Content-Type"] = "application/json"  # "For POST requests, Content-Type must be application/json"
        return headers

    async def _send(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | None,
        body: bytes | None,
        rate_class: str,
        idempotent: bool,
        max_wait: float | None,
    ) -> Any:
        granted = await self.limiter.acquire(rate_class, max_wait=max_wait)
        headers = self._headers(method, path, query, body)
        log.debug("-> %s %s %s %s", method, path, dict(query or {}), _shown(headers))
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method,
                f"{self.hosts.api_url}{path}",
                params=dict(query) if query else None,
                content=body,
                headers=headers,
            )
        except _NOT_SENT as exc:
            raise VenueUnavailable("", f"could not reach the venue: {_describe(exc)}") from None
        except httpx.HTTPError as exc:
            reason = f"no complete answer from the venue: {_describe(exc)}"
            if idempotent:
                raise VenueUnavailable("", reason) from None
            raise UnknownOutcome("", f"{reason}; the request may or may not have been executed") from None
        finally:
            self.limiter.answered(rate_class, granted)
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug("<- %s %s %d in %.0f ms", method, path, response.status_code, elapsed_ms)
        return self._result(response, rate_class, idempotent)

    def _result(self, response: httpx.Response, rate_class: str, idempotent: bool) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return None
            try:
                return orjson.loads(response.content)
            except orjson.JSONDecodeError:
                text = f"the venue answered HTTP {status} with a body that is not JSON"
                if idempotent:
                    raise MalformedResponse("", text, status) from None
                raise UnknownOutcome("", f"{text}; the request may or may not have been executed", status) from None
        retry_after = _retry_after(response)
        error = error_from_response(status, response.content, state_changing=not idempotent, retry_after=retry_after)
        if isinstance(error, RateLimited):
            # Nothing of this class goes out for a whole window (or what the venue asked for).
            pause = max(error.retry_after or 0.0, self._rates[rate_class].window)
            error.retry_after = pause
            self.limiter.pause(rate_class, pause)
            log.warning("rate limited on %s requests: pausing them for %.1f s", rate_class, pause)
        raise error


def _wire_value(value: object) -> str:
    """What orjson cannot write itself: decimals go as plain strings, the way Webull writes prices
    (its order examples send "limit_price": "180.00"), in the plain form of to_plain, never via a float."""
    if isinstance(value, Decimal):
        return to_plain(value)
    raise TypeError(f"cannot send a {type(value).__name__} in a JSON body")


def _shown(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: ("<redacted>" if name in _HIDDEN_HEADERS else value) for name, value in headers.items()}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
