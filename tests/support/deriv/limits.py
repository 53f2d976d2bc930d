"""Deriv's call limits: what website_status reports and what the server enforces, per connection over a
sliding minute (the hourly figures are reported, not enforced)."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from tests.support.deriv.wire import JSON

PRICING = frozenset({"proposal", "proposal_open_contract"})
OUTCOME = frozenset({"portfolio", "statement", "profit_table"})
UNLIMITED = frozenset({"ping", "time", "forget", "forget_all"})
WINDOW_SECONDS = 60.0


@dataclass
class Limits:
    general_per_minute: int = 600
    pricing_per_minute: int = 300
    outcome_per_minute: int = 60
    max_proposals: int = 10  # live proposal subscriptions per connection

    def per_minute(self, rate_class: str) -> int:
        return {
            "general": self.general_per_minute,
            "pricing": self.pricing_per_minute,
            "outcome": self.outcome_per_minute,
        }[rate_class]


def rate_class(method: str) -> str | None:
    """Which minute budget a call spends (None: keep-alive and unsubscribe calls are never limited)."""
    if method in UNLIMITED:
        return None
    if method in PRICING:
        return "pricing"
    if method in OUTCOME:
        return "outcome"
    return "general"


class RateWindows:
    """The times of the calls admitted in the last minute, per rate class."""

    def __init__(self) -> None:
        self._times: dict[str, deque[float]] = defaultdict(deque)

    def admit(self, rate_class: str, limit: int, now: float) -> bool:
        times = self._times[rate_class]
        while times and times[0] <= now - WINDOW_SECONDS:
            times.popleft()
        if len(times) >= limit:
            return False
        times.append(now)
        return True


def api_call_limits(limits: Limits) -> JSON:
    def window(applies_to: str, minutely: int) -> JSON:
        return {"applies_to": applies_to, "hourly": minutely * 60, "minutely": minutely}

    return {
        "max_proposal_subscription": {"applies_to": "subscription to proposal", "max": limits.max_proposals},
        "max_requestes_general": window("rest", limits.general_per_minute),  # sic: Deriv's spelling
        "max_requests_outcome": window("portfolio, statement and proposal", limits.outcome_per_minute),
        "max_requests_pricing": window("proposal and proposal_open_contract", limits.pricing_per_minute),
    }
