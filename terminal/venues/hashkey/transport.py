"""Signed HTTP requests to HashKey: build, pace, send, classify the answer, retry what is safe.

What is signed is byte for byte what is sent (004, "Signature Authentication"). A request whose
outcome is uncertain (timeout, dropped connection, 5xx: "the execution status is uncertain") on an
endpoint that changes state raises ``UnknownOutcome`` and is never re-sent; idempotent reads are
retried with backoff; a -1021 on a read resynchronizes the clock and retries once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

import httpx
import orjson

from terminal import __version__
from terminal.domain.decimals import to_plain
from terminal.domain.redaction import protect_library_loggers
from terminal.venues.errors import (
    AuthenticationError,
    Banned,
    ClockSkew,
    RateLimited,
    UnknownOutcome,
    VenueError,
    VenueUnavailable,
)
from terminal.venues.hashkey import endpoints
from terminal.venues.hashkey.endpoints import Body, Endpoint
from terminal.venues.hashkey.errors import error_from_response, is_success_code
from terminal.venues.hashkey.server_clock import ClockSample, ServerClock
from terminal.venues.hashkey.signing import Credentials, encode_params
from terminal.venues.ratelimit import SHARED_LIMITERS, RateLimiter
from terminal.venues.read_retry import read_retrying

log = logging.getLogger("terminal.venues.hashkey.rest")

Param = tuple[str, object]
# 004, "Order Rate Limiting": after a 429 "please wait 1 minute for the suspended period to expire".
RATE_LIMIT_PAUSE_S = 60.0
# Failures that never let a request leave this machine: safe to report as "not delivered".
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
_REDACTED_PARAMS = frozenset({"signature", "listenKey"})


def wire_value(value: object) -> str:
    """One parameter value as the venue expects it: decimals in plain notation, enums by value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return to_plain(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"cannot send a {type(value).__name__} as a request parameter")


def wire_params(params: Iterable[Param]) -> list[tuple[str, str]]:
    return [(key, wire_value(value)) for key, value in params if value is not None]


class HashKeyTransport:
    """One keep-alive HTTP client, the rate limiter and the server clock for one API key."""

    def __init__(
        self,
        rest_url: str,
        credentials: Credentials | None = None,
        *,
        recv_window: int = 5000,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        limiter: RateLimiter | None = None,
        clock: ServerClock | None = None,
        order_max_wait: float = 5.0,
        retry_attempts: int = 3,
        retry_initial_wait: float = 0.25,
        retry_sleep: Callable[[float], Awaitable[None]] | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not 0 < recv_window <= 60_000:
            raise ValueError("recvWindow must be between 1 and 60000 ms")
        self.credentials = credentials
        protect_library_loggers()
        self.recv_window = recv_window
        key = credentials.api_key if credentials is not None else ""
        self.limiter = limiter or SHARED_LIMITERS.get(rest_url.rstrip("/"), key, endpoints.RATES)
        self.clock = clock or ServerClock()
        self._order_max_wait = order_max_wait
        self._retry_attempts = max(1, retry_attempts)
        self._retry_initial_wait = retry_initial_wait
        self._retry_sleep = retry_sleep or asyncio.sleep
        self._http = httpx.AsyncClient(
            base_url=rest_url.rstrip("/"),
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            # Expire idle connections before a server would (commonly after 5 s), so a request
            # never goes out on a socket the server is closing: that would make its outcome unknown.
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=4.0),
            headers={"User-Agent": f"trading-terminal/{__version__}", "Accept": "application/json"},
            transport=http_transport,
        )
        self._sync_task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"HashKeyTransport({self._http.base_url!s}, {self.credentials!r})"

    @property
    def base_url(self) -> str:
        return str(self._http.base_url).rstrip("/")

    async def aclose(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sync_task
            self._sync_task = None
        await self._http.aclose()

    # ---- clock ----------------------------------------------------------------------------

    async def sync_clock(self) -> ClockSample:
        """Measure the venue's clock against ours (``GET /api/v1/time``)."""
        sent = self.clock.local_ms()
        data = await self.call(endpoints.TIME)
        received = self.clock.local_ms()
        server_ms = data.get("serverTime") if isinstance(data, dict) else None
        if not isinstance(server_ms, int):
            raise error_from_response(200, {"code": "-1000", "msg": "the time endpoint sent no serverTime"})
        sample = self.clock.record(sent, server_ms, received)
        log.info("server clock offset %+d ms (round trip %d ms)", sample.offset_ms, sample.round_trip_ms)
        return sample

    async def _resync_quietly(self) -> None:
        try:
            await self.sync_clock()
        except VenueError as exc:
            log.warning("could not measure the server clock: %s", exc)

    def start_clock_sync(self, interval: float = 300.0) -> None:
        """Re-measure the clock every ``interval`` seconds until ``aclose``."""
        if self._sync_task is None or self._sync_task.done():
            self._sync_task = asyncio.create_task(self._sync_forever(interval), name="hashkey-clock-sync")

    async def _sync_forever(self, interval: float) -> None:
        while True:
            try:
                await self.sync_clock()
            except VenueError as exc:
                log.warning("could not measure the server clock: %s", exc)
            await asyncio.sleep(interval)

    # ---- requests -------------------------------------------------------------------------

    async def call(
        self,
        endpoint: Endpoint,
        params: Iterable[Param] = (),
        *,
        json_body: list[dict[str, str]] | None = None,
        max_wait: float | None = None,
    ) -> Any:
        """Send one request; return the decoded JSON of a successful answer.

        ``max_wait`` bounds the wait for the rate limiter (``RateLimited`` if it would be longer);
        by default an order waits at most ``order_max_wait`` and a query as long as it takes."""
        if endpoint.signed and self.credentials is None:
            raise AuthenticationError("", f"{endpoint.path} needs an API key; none is configured")
        prepared = wire_params(params)
        if not endpoint.idempotent:
            try:
                return await self._send(endpoint, prepared, json_body, max_wait)
            except ClockSkew:
                # Never retried (it changes state), but the next request goes out with the right time.
                log.warning("%s refused for clock skew; resynchronizing (not retried)", endpoint.path)
                await self._resync_quietly()
                raise
        retrying = read_retrying(self._retry_attempts, self._retry_initial_wait, self._retry_sleep)
        async for attempt in retrying:
            with attempt:
                try:
                    return await self._send(endpoint, prepared, json_body, max_wait)
                except ClockSkew:
                    # 004, -1021: our timestamp fell outside recvWindow. Re-measure and try once more.
                    log.warning("%s refused for clock skew; resynchronizing", endpoint.path)
                    await self.sync_clock()
                    return await self._send(endpoint, prepared, json_body, max_wait)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _send(
        self,
        endpoint: Endpoint,
        params: list[tuple[str, str]],
        json_body: list[dict[str, str]] | None,
        max_wait: float | None,
    ) -> Any:
        if max_wait is None and not endpoint.idempotent:
            max_wait = self._order_max_wait
        granted = await self.limiter.acquire(endpoint.rate_class, endpoint.priority, max_wait=max_wait)
        url, content, headers = self._build(endpoint, params, json_body)
        log.debug("-> %s %s %s", endpoint.method, endpoint.path, _redact(params))
        started = time.perf_counter()
        try:
            response = await self._http.request(endpoint.method, url, content=content, headers=headers)
        except _NOT_SENT as exc:
            raise VenueUnavailable("", f"could not reach the venue: {_describe(exc)}") from None
        except httpx.HTTPError as exc:
            reason = f"no complete answer from the venue: {_describe(exc)}"
            if endpoint.idempotent:
                raise VenueUnavailable("", reason) from None
            raise UnknownOutcome("", f"{reason}; the request may or may not have been executed") from None
        finally:
            self.limiter.answered(endpoint.rate_class, granted)
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug("<- %s %s %d in %.0f ms", endpoint.method, endpoint.path, response.status_code, elapsed_ms)
        return self._result(endpoint, response)

    def _build(
        self, endpoint: Endpoint, params: list[tuple[str, str]], json_body: list[dict[str, str]] | None
    ) -> tuple[str, bytes | None, dict[str, str]]:
        headers: dict[str, str] = {}
        if not endpoint.signed:
            query = encode_params(params)
            return (f"{endpoint.path}?{query}" if query else endpoint.path), None, headers
        assert self.credentials is not None
        headers["X-HK-APIKEY"] = self.credentials.api_key
        stamp = [("recvWindow", str(self.recv_window)), ("timestamp", str(self.clock.now_ms()))]
        if endpoint.body is Body.JSON:
            # reference/SIGNING.md: batch orders send a JSON array; only timestamp (and recvWindow)
            # travel in the query string and are signed: the JSON body is not part of the signature.
            query = encode_params(stamp)
            headers["Content-Type"] = "application/json"
            body = orjson.dumps(json_body or [])
            return f"{endpoint.path}?{query}&signature={self.credentials.sign(query)}", body, headers
        total = encode_params(params + stamp)
        signed = f"{total}&signature={self.credentials.sign(total)}"
        if endpoint.body is Body.FORM:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return endpoint.path, signed.encode("ascii"), headers
        return f"{endpoint.path}?{signed}", None, headers

    def _result(self, endpoint: Endpoint, response: httpx.Response) -> Any:
        status = response.status_code
        data = _decode(response)
        if status == 200:
            if isinstance(data, dict) and "code" in data and not is_success_code(data["code"]):
                raise error_from_response(200, data, placing_order=not endpoint.idempotent)
            return data
        retry_after = _retry_after(response)
        if status == 429:
            pause = retry_after if retry_after is not None else RATE_LIMIT_PAUSE_S
            self.limiter.pause(endpoint.rate_class, pause)
            log.warning("rate limited on %s: pausing %s requests for %.0f s", endpoint.path, endpoint.rate_class, pause)
            error = error_from_response(status, data, retry_after=pause)
            raise error if isinstance(error, RateLimited) else RateLimited(error.code, error.message, 429, pause)
        if status == 418:
            error = error_from_response(status, data, retry_after=retry_after)
            self.limiter.ban(error.message, retry_after)
            log.error("the venue banned this address: %s", error.message)
            raise error if isinstance(error, Banned) else Banned(error.code, error.message, 418, retry_after)
        raise error_from_response(status, data, placing_order=not endpoint.idempotent, retry_after=retry_after)


def _decode(response: httpx.Response) -> object:
    """The JSON body, or its text when it is not JSON (a proxy's HTML error page, say)."""
    if not response.content:
        return None
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return response.text


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _redact(params: Iterable[tuple[str, str]]) -> Mapping[str, str]:
    return {key: ("<redacted>" if key in _REDACTED_PARAMS else value) for key, value in params}


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
