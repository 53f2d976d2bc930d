"""Feed-rate mode: the public state topics pushed at a fixed total rate, for load tests of a client.

The real venue has nothing like it; its cadences (004) are far below what a GUI benchmark needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

MAX_FEED_RATE = 100_000.0  # messages per second: far above what one Python process can send


def check_feed_rate(value: float) -> float:
    """``value`` as a rate, or ValueError with a sentence saying what is wrong."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("feed_rate must be a number")
    if value < 0:
        raise ValueError("feed_rate must be at least 0")
    if value > MAX_FEED_RATE:
        raise ValueError(f"feed_rate must be at most {MAX_FEED_RATE:g}")
    return float(value)


class FeedRate:
    """The exchange-wide rate (messages per second, 0: off) and how many subscriptions share it.

    Every state subscription (depth, bbo, realtimes, kline; v1 and v2) of every public connection
    gets an equal share; trade subscriptions follow the market and take no share.
    """

    def __init__(self, rate: float = 0.0) -> None:
        self.rate = check_feed_rate(rate)
        self.subscriptions = 0

    @property
    def on(self) -> bool:
        return self.rate > 0

    def set(self, rate: float) -> None:
        self.rate = check_feed_rate(rate)

    @property
    def share(self) -> float:
        """Messages per second each state subscription is due (0 while off or unshared)."""
        return self.rate / self.subscriptions if self.rate > 0 and self.subscriptions else 0.0

    def join(self) -> Callable[[], None]:
        """Count one more state subscription; returns the function that removes it (once)."""
        self.subscriptions += 1
        left = False

        def leave() -> None:
            nonlocal left
            if not left:
                left = True
                self.subscriptions -= 1

        return leave
