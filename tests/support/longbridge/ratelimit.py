"""Request rate limits (off unless a test sets them): per app key and path (429002, "api request is
limited") and for everything from the client's address (429001, "ip request ratelimit")."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int
    window: float  # seconds


# An opt-in per-endpoint limit for tests of throttling (the fake's choice, not a published figure).
TRADE_API_LIMIT = Limit(30, 30.0)


class RateLimiter:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}

    def allow(self, limit: Limit | None, key: Hashable) -> bool:
        """Count one request under ``key``; False if ``limit``'s window is already full."""
        if limit is None:
            return True
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - limit.window:
            hits.popleft()
        if len(hits) >= limit.count:
            return False
        hits.append(now)
        return True
