"""The replay guard: ``X-Timestamp`` must be near the server's clock, and one key never sends the same
signed request (timestamp and signature) twice inside the window (403202 "duplicate request")."""

from __future__ import annotations

import math
from collections.abc import Callable


def parse_timestamp(value: str) -> float | None:
    """Seconds since the epoch from ``X-Timestamp``: milliseconds (the SDK: ``1700000000000``) or seconds
    with a fraction (the page's Python example: ``1539095200.123``); None if neither."""
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    return number / 1000 if number > 1e11 else number


class TimestampBook:
    def __init__(self, clock: Callable[[], float], window: float) -> None:
        self._clock = clock
        self.window = window
        self._seen: dict[tuple[str, str], float] = {}

    def skew(self, moment: float) -> float:
        return moment - self._clock()

    def first_use(self, app_key: str, stamp: str) -> bool:
        """Whether ``stamp`` (the timestamp, with the signature it came with) is new for this key."""
        now = self._clock()
        if len(self._seen) > 2000:
            self._seen = {key: at for key, at in self._seen.items() if now - at <= 2 * self.window + 1}
        key = (app_key, stamp)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
