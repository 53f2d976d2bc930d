"""Per-key request limits of the REST API: sliding one-second windows, a one-minute suspension, a ban.

Budgets and suspensions are per key and class (a client pauses the class it was refused in); a ban blocks the key."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from terminal.demo.errors import DemoError
from terminal.demo.server.rest_errors import api_error


class RateClass(StrEnum):
    QUERY = "query"
    ORDER = "order"
    TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class Limits:
    """004, "Order Rate Limiting": "each API Key has a default rate limit of 2 requests per second for
    query-related endpoints, while order-related endpoints allow 10 requests per second"; "Internal
    Account Transfer": "This endpoint should be called no more than once per second." After a 429:
    "Please wait 1 minute for the suspended period to expire"; "HTTP 418 ... continues to send
    subsequent requests after receiving 429 error code and is automatically blocked"."""

    per_second: Mapping[RateClass, int] = field(
        default_factory=lambda: {RateClass.QUERY: 2, RateClass.ORDER: 10, RateClass.TRANSFER: 1}
    )
    window_ms: int = 1000
    suspension_ms: int = 60_000  # "Please wait 1 minute for the suspended period to expire"
    strikes_before_ban: int = 5  # requests tolerated inside a suspension before a 418
    ban_ms: int = 120_000


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request turned away: its HTTP status, body and Retry-After seconds."""

    status: int
    error: DemoError
    retry_after_s: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


def seconds_until(until_ms: int, now_ms: int) -> int:
    """Whole seconds to wait, rounded up and at least one."""
    return max(1, math.ceil((until_ms - now_ms) / 1000))


def limit_error(rate: RateClass, limits: Limits) -> DemoError:
    """The 429 body: -1015 for order endpoints, 0003 for the rest."""
    if rate is RateClass.ORDER:
        return api_error("-1015", str(limits.per_second[rate]), "second", http_status=429)
    return api_error("0003", http_status=429)


@dataclass
class _ClassState:
    sent: deque[int] = field(default_factory=deque)
    suspended_until: int = 0
    strikes: int = 0


@dataclass
class _KeyState:
    classes: dict[RateClass, _ClassState] = field(default_factory=dict)
    banned_until: int = 0


class KeyLimiter:
    """Counts each key's requests per class; time in ms from ``clock``."""

    def __init__(self, clock: Callable[[], int], limits: Limits | None = None) -> None:
        self._clock = clock
        self.limits = limits or Limits()
        self._keys: dict[str, _KeyState] = {}

    def admit(self, key: str, rate: RateClass) -> Refusal | None:
        """Count one request of ``key`` in ``rate``; None if it may proceed."""
        now = self._clock()
        limits = self.limits
        state = self._keys.setdefault(key, _KeyState())
        if state.banned_until:
            if now < state.banned_until:
                return Refusal(418, api_error("-3145", http_status=418), seconds_until(state.banned_until, now))
            state.classes.clear()  # the ban is served: a fresh start
            state.banned_until = 0
        cls = state.classes.setdefault(rate, _ClassState())
        if now < cls.suspended_until:
            cls.strikes += 1
            if cls.strikes > limits.strikes_before_ban:
                state.banned_until = now + limits.ban_ms
                return Refusal(418, api_error("-3145", http_status=418), seconds_until(state.banned_until, now))
            return self._suspend(cls, rate, now)  # each 429 starts the minute again
        cls.strikes = 0
        horizon = now - limits.window_ms
        while cls.sent and cls.sent[0] <= horizon:
            cls.sent.popleft()
        if len(cls.sent) >= limits.per_second[rate]:
            return self._suspend(cls, rate, now)
        cls.sent.append(now)
        return None

    def _suspend(self, cls: _ClassState, rate: RateClass, now: int) -> Refusal:
        cls.suspended_until = now + self.limits.suspension_ms
        return Refusal(429, limit_error(rate, self.limits), seconds_until(cls.suspended_until, now))
