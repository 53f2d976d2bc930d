"""Signed HTTP requests to Longbridge: pace, timestamp, sign, send, unwrap the envelope, retry what is safe.

A JSON body is serialized once and those exact bytes are both signed and sent; the query string is
signed as it stands in the URL that goes out. Every attempt gets its own ``X-Timestamp``, strictly
greater than the previous one of the same API key: the venue refuses a reused one (403202). A
state-changing request whose outcome is uncertain (timeout, dropped connection, 5xx) raises
``UnknownOutcome`` and is never re-sent; idempotent reads are retried with backoff
(``read_retry``), and also after a rate limit (429xxx) or a 403202, each time freshly signed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from urllib.parse import urlencode

import httpx
import orjson
from tenacity import retry_if_exception

from terminal import __version__
from terminal.domain.decimals import to_plain
from terminal.venues.app_key_transport import AppKeyTransport
from terminal.venues.errors import (
    AuthenticationError,
    Banned,
    RateLimited,
    UnknownOutcome,
    VenueUnavailable,
)
from terminal.venues.longbridge.errors import ReusedTimestamp, error_from_response
from terminal.venues.longbridge.hosts import Hosts
from terminal.venues.longbridge.signing import headers as signed_headers
from terminal.venues.ratelimit import SHARED_LIMITERS, Rate, RateLimiter
from terminal.venues.read_retry import read_retrying

log = logging.getLogger("terminal.venues.longbridge.rest")

Query = Mapping[str, str] | Sequence[tuple[str, str]] | str


class RateClass(StrEnum):
    QUOTE = "quote"  # the HTTP quote endpoints (the live quotes come over the SDK's socket)
    TRADE = "trade"  # orders, executions, account and positions: Longbridge's "Trade API"
    TRADE_GAP = "trade_gap"  # the trade calls' minimum spacing; taken together with TRADE, never alone
    AUTH = "auth"  # /v1/token/refresh


# Longbridge, "Permissions and restrictions" → "Rate Limit" (open.longbridge.com/docs, longbridge/
# developers docs/en/docs/index.md):
#   Quote API: "No more than 10 calls in a 1-second interval and the number of concurrent requests
#   should not exceed 5".
#   Trade API: "No more than 30 calls in a 30-second interval, and the interval between two calls
#   should not be less than 0.02 seconds".
# Each window 10% longer than documented, as for the other venues (network jitter bunches requests).
# The token refresh has no published limit: it is called about once a quarter, so one call per
# 1.1 s is conservative. An unclassified call counts as a trade call, the strictest budget.
RATES: dict[str, Rate] = {
    RateClass.QUOTE: Rate(10, 1.1),
    RateClass.TRADE: Rate(30, 33.0),
    RateClass.TRADE_GAP: Rate(1, 0.022),
    RateClass.AUTH: Rate(1, 1.1),
}
QUOTE_CONCURRENCY = 5
_SPACED_BY: dict[str, str] = {RateClass.TRADE: RateClass.TRADE_GAP}

# Failures that never let a request leave this machine: safe to report as "not delivered".
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
_HIDDEN_HEADERS = frozenset({"x-api-key", "authorization", "x-api-signature"})


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class TimestampSequence:
    """``X-Timestamp`` values (epoch ms) that never repeat: the clock's time, or one past the last
    value given when the clock has not moved on (two requests in one millisecond, a clock stepped back)."""

    def __init__(self, clock_ms: Callable[[], int] = wall_clock_ms) -> None:
        self._clock_ms = clock_ms
        self._last = -1

    @property
    def last(self) -> int:
        return self._last

    def next(self) -> int:
        value = max(self._clock_ms(), self._last + 1)
        self._last = value
        return value


class TimestampRegistry:
    """One sequence per (venue address, API key): the venue remembers timestamps per key, so a new
    transport of the same key (a profile switch, a restarted session) must continue the old sequence."""

    def __init__(self) -> None:
        self._sequences: dict[tuple[str, str], TimestampSequence] = {}

    def get(self, address: str, key: str) -> TimestampSequence:
        sequence = self._sequences.get((address, key))
        if sequence is None:
            sequence = self._sequences[(address, key)] = TimestampSequence()
        return sequence


SHARED_TIMESTAMPS = TimestampRegistry()


def _retry_read_also(exc: BaseException) -> bool:
    """Beyond read_retry's server failures: a rate limit (the limiter holds the class back for the
    pause) and a 403202 (a fresh timestamp is taken for the next attempt). Never a ban."""
    return (isinstance(exc, RateLimited) and not isinstance(exc, Banned)) or isinstance(exc, ReusedTimestamp)


def encode_query(query: Query | None) -> str:
    """The query string as it goes on the wire (and is signed): pairs in the order given, repeated
    keys kept (``currency=USD&currency=HKD``); a str is taken as already encoded."""
    if query is None:
        return ""
    if isinstance(query, str):
        return query.removeprefix("?")
    pairs = list(query.items()) if isinstance(query, Mapping) else list(query)
    return urlencode(pairs)


class LongbridgeTransport(AppKeyTransport):
    """One keep-alive HTTP client, the rate limiter and the timestamp sequence of one app key."""

    def __init__(
        self,
        hosts: Hosts,
        app_key: str,
        app_secret: str,
        *,
        access_token: str | None = None,
        clock_ms: Callable[[], int] | None = None,
        timestamps: TimestampSequence | None = None,
        client: httpx.AsyncClient | None = None,
        limiter: RateLimiter | None = None,
        rates: Mapping[str, Rate] | None = None,
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
        # A token change waits for the requests on the wire and holds new ones back meanwhile: the
        # venue invalidates the old token the moment it issues the new one (refresh-token-api).
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._open = asyncio.Event()
        self._open.set()
        self._changer: asyncio.Task[object] | None = None
        if timestamps is None:
            timestamps = (
                TimestampSequence(clock_ms) if clock_ms is not None else SHARED_TIMESTAMPS.get(hosts.api_url, app_key)
            )
        self.timestamps = timestamps
        self._rates = dict(rates if rates is not None else RATES)
        self.limiter = limiter or SHARED_LIMITERS.get(hosts.api_url, app_key, self._rates)
        self._quote_slots = asyncio.Semaphore(QUOTE_CONCURRENCY)

    def __repr__(self) -> str:
        return (
            f"LongbridgeTransport({self.hosts.api_url}, app_key={self._shown_key()}, secret=<hidden>, token=<hidden>)"
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Query | None = None,
        json_body: object = None,
        rate_class: str = RateClass.TRADE,
        idempotent: bool,
        max_wait: float | None = None,
    ) -> object:
        """Send one request; the envelope's ``data`` (None when it has none).

        ``idempotent`` says the request may be sent again automatically (reads); otherwise it is
        sent once, and an uncertain outcome raises ``UnknownOutcome``. ``max_wait`` bounds the wait
        for the rate limiter; by default a state-changing request waits at most ``order_max_wait``."""
        if rate_class not in self._rates or rate_class in _SPACED_BY.values():
            raise ValueError(f"unknown rate class {rate_class!r}")
        method = method.upper()
        query_string = encode_query(query)
        body = None if json_body is None else orjson.dumps(json_body, default=_wire_value)
        if not idempotent:
            wait = self._order_max_wait if max_wait is None else max_wait
            return await self._send(method, path, query_string, body, rate_class, idempotent, wait)
        retrying = read_retrying(self._retry_attempts, self._retry_initial_wait, self._retry_sleep)
        retrying = retrying.copy(retry=retrying.retry | retry_if_exception(_retry_read_also))
        async for attempt in retrying:
            with attempt:
                return await self._send(method, path, query_string, body, rate_class, idempotent, max_wait)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    @contextlib.asynccontextmanager
    async def _slot(self, rate_class: str, max_wait: float | None) -> AsyncIterator[None]:
        """Hold a place in the class's window (and its spacing, and the quote concurrency) for one request."""
        async with contextlib.AsyncExitStack() as stack:
            if rate_class == RateClass.QUOTE:
                await stack.enter_async_context(self._quote_slots)
            granted = await self.limiter.acquire(rate_class, max_wait=max_wait)
            stack.callback(self.limiter.answered, rate_class, granted)
            gap = _SPACED_BY.get(rate_class)
            if gap is not None and gap in self._rates:
                # Counted from the grant, not the answer: the documented spacing is between calls
                # going out, and counting from answers would let only one trade call fly at a time.
                await self.limiter.acquire(gap, max_wait=max_wait)
            yield

    @contextlib.asynccontextmanager
    async def _on_the_wire(self) -> AsyncIterator[None]:
        """Count a request from signing to its answer; wait first while another task changes the token."""
        if asyncio.current_task() is not self._changer:
            await self._open.wait()
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    @contextlib.asynccontextmanager
    async def token_change(self) -> AsyncIterator[None]:
        """While held, only this task's requests go out, after every other request on the wire has been
        answered: a refresh (which kills the old token) never races a request signed with it."""
        if self._changer is not None:
            raise RuntimeError("a token change is already under way")
        self._changer = asyncio.current_task()
        self._open.clear()
        try:
            await self._idle.wait()
            yield
        finally:
            self._changer = None
            self._open.set()

    async def _send(
        self,
        method: str,
        path: str,
        query_string: str,
        body: bytes | None,
        rate_class: str,
        idempotent: bool,
        max_wait: float | None,
    ) -> object:
        url = f"{self.hosts.api_url}{path}" + (f"?{query_string}" if query_string else "")
        async with self._slot(rate_class, max_wait), self._on_the_wire():
            token = self._access_token  # read after any wait: a token change may have happened meanwhile
            if not token:
                raise AuthenticationError(
                    "", "no Longbridge access token: set one (developer site) before calling the API"
                )
            request = self._http.build_request(method, url, content=body)
            # Signed as it will go out: the path and query httpx will write, the body bytes it will send.
            sent_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
            timestamp = self.timestamps.next()  # after any wait: the venue checks it against its clock
            headers = signed_headers(
                method, sent_path, raw_query, body, token, self._app_key, self._app_secret, timestamp
            )
            request.headers.update(headers)
            request.headers["Accept"] = "application/json"
            request.headers["User-Agent"] = f"trading-terminal/{__version__}"
            log.debug("-> %s %s?%s %s", method, sent_path, raw_query, _shown(request.headers))
            started = time.perf_counter()
            try:
                response = await self._http.send(request)
            except _NOT_SENT as exc:
                raise VenueUnavailable("", f"could not reach the venue: {_describe(exc)}") from None
            except httpx.HTTPError as exc:
                reason = f"no complete answer from the venue: {_describe(exc)}"
                if idempotent:
                    raise VenueUnavailable("", reason) from None
                raise UnknownOutcome("", f"{reason}; the request may or may not have been executed") from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug("<- %s %s %d in %.0f ms", method, path, response.status_code, elapsed_ms)
        return self._result(response, rate_class, idempotent)

    def _result(self, response: httpx.Response, rate_class: str, idempotent: bool) -> object:
        status = response.status_code
        envelope: object = None
        if response.content:
            with contextlib.suppress(orjson.JSONDecodeError):
                envelope = orjson.loads(response.content)
        if 200 <= status < 300 and isinstance(envelope, Mapping) and envelope.get("code") in (0, "0"):
            return envelope.get("data")
        error = error_from_response(
            status,
            envelope if envelope is not None else response.content,
            state_changing=not idempotent,
            retry_after=_retry_after(response),
        )
        if isinstance(error, RateLimited):
            # Nothing of this class goes out for a whole window (or what the venue asked for).
            pause = max(error.retry_after or 0.0, self._rates[rate_class].window)
            error.retry_after = pause
            self.limiter.pause(rate_class, pause)
            log.warning("rate limited on %s requests: pausing them for %.1f s", rate_class, pause)
        raise error


def _wire_value(value: object) -> str:
    """Decimals go as plain strings, the way Longbridge writes prices (seed 002's order example:
    "submitted_price": "50"), never via a float."""
    if isinstance(value, Decimal):
        return to_plain(value)
    raise TypeError(f"cannot send a {type(value).__name__} in a JSON body")


def _shown(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: ("<redacted>" if name.lower() in _HIDDEN_HEADERS else value) for name, value in headers.items()}


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
