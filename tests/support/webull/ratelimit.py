"""Request rate limits per app key, as the reference documents them (developer.webull.hk, "Trading API
Overview", the token and market-data pages); a limited request is answered 429 TOO_MANY_REQUESTS."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int
    window: float  # seconds


# Limit groups; each path has its own counter unless the group is shared (market data).
DEFAULT_LIMITS: Mapping[str, Limit] = {
    "token": Limit(10, 30.0),  # Create Token / Check Token: 10 requests every 30 seconds
    "account": Limit(60, 60.0),  # Account List, Account Balance, Account Positions: 60/60s
    "instruments": Limit(60, 60.0),  # not in the overview table; the instrument page's 60/60s
    "preview": Limit(40, 10.0),  # Preview Order: 40/10s
    "order-write:US": Limit(15, 1.0),  # Place / Replace / Cancel: 15 req/s (US)
    "order-write:HK": Limit(1, 1.0),  # ... 1 req/s (HK/A-share)
    "order-query": Limit(40, 2.0),  # Order History, Open Orders, Order Detail: 40/2s
    "market-data": Limit(600, 60.0),  # "The Data API (HTTP) has a rate limit of 600 requests per minute."
}

SHARED_GROUPS = frozenset({"market-data"})


class RateLimiter:
    def __init__(self, clock: Callable[[], float], limits: Mapping[str, Limit]) -> None:
        self._clock = clock
        self._limits = dict(limits)
        self._hits: dict[Hashable, deque[float]] = {}

    def allow(self, group: str, key: Hashable) -> bool:
        """Count one request against ``group`` under ``key``; False if the window is already full."""
        limit = self._limits.get(group)
        if limit is None:
            return True
        now = self._clock()
        hits = self._hits.setdefault((group, key), deque())
        while hits and hits[0] <= now - limit.window:
            hits.popleft()
        if len(hits) >= limit.count:
            return False
        hits.append(now)
        return True
