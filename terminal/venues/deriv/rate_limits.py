"""Deriv's call limits (website_status.api_call_limits) and the pacing that keeps requests inside them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from terminal.venues.ratelimit import Clock, Rate, RateLimiter
from terminal.venues.wire import WireObject


class RateClass(StrEnum):
    GENERAL = "general"
    PRICING = "pricing"
    OUTCOME = "outcome"


# Each class is limited per minute and per hour (website_status.api_call_limits): max_requests_pricing
# "applies_to" proposal and proposal_open_contract, max_requests_outcome to portfolio, statement and
# profit_table, max_requestes_general to the rest. Live proposal streams are limited in number too.
_CLASS_OF: Mapping[str, RateClass] = {
    "proposal": RateClass.PRICING,
    "proposal_open_contract": RateClass.PRICING,
    "portfolio": RateClass.OUTCOME,
    "statement": RateClass.OUTCOME,
    "profit_table": RateClass.OUTCOME,
}
# Keeping the connection alive and stopping streams must never wait behind other requests.
UNPACED = frozenset({"ping", "forget", "forget_all"})

# The venue counts per minute and per hour; our windows are a little longer so that network jitter
# cannot bunch requests that left a window apart into one window at the venue.
MINUTE = 62.0
HOUR = 3_610.0


def rate_class_for(method: str) -> RateClass | None:
    """The class a call is paced in; None for calls that are never held back."""
    if method in UNPACED:
        return None
    return _CLASS_OF.get(method, RateClass.GENERAL)


@dataclass(frozen=True, slots=True)
class Window:
    minutely: int
    hourly: int


@dataclass(frozen=True, slots=True)
class CallLimits:
    general: Window
    pricing: Window
    outcome: Window
    max_proposals: int  # live proposal streams at once

    def window(self, rate_class: RateClass) -> Window:
        return {RateClass.GENERAL: self.general, RateClass.PRICING: self.pricing, RateClass.OUTCOME: self.outcome}[
            rate_class
        ]


# Until website_status answers: about half of what the venue usually grants, so that the first requests of
# a session never hit a limit whatever the venue's figures turn out to be.
DEFAULT_LIMITS = CallLimits(
    general=Window(minutely=60, hourly=3_600),
    pricing=Window(minutely=30, hourly=1_800),
    outcome=Window(minutely=10, hourly=600),
    max_proposals=5,
)


def limits_from(answer: Mapping[str, Any]) -> CallLimits:
    """The limits of a website_status answer; MalformedResponse if they are missing or not numbers."""
    limits = WireObject(answer.get("website_status"), "website_status").obj("api_call_limits")

    def window(name: str) -> Window:
        item = limits.obj(name)
        return Window(minutely=max(1, item.integer("minutely")), hourly=max(1, item.integer("hourly")))

    return CallLimits(
        # The venue's own spelling: "max_requestes_general".
        general=window("max_requestes_general"),
        pricing=window("max_requests_pricing"),
        outcome=window("max_requests_outcome"),
        max_proposals=max(1, limits.obj("max_proposal_subscription").integer("max")),
    )


def _hourly(rate_class: RateClass) -> str:
    return f"{rate_class}/hour"


def rates(limits: CallLimits) -> dict[str, Rate]:
    """Two limiter classes per call class: the minute window (named as the class) and the hour window."""
    result: dict[str, Rate] = {}
    for rate_class in RateClass:
        window = limits.window(rate_class)
        result[rate_class] = Rate(window.minutely, MINUTE)
        result[_hourly(rate_class)] = Rate(window.hourly, HOUR)
    return result


@dataclass(frozen=True, slots=True)
class Grant:
    """A permission to send one request, returned with ``Pacer.answered`` once it is done."""

    limiter: RateLimiter
    rate_class: RateClass
    times: tuple[float, float]  # grant times in the minute and the hour window


@dataclass(frozen=True, slots=True)
class PacerStatus:
    headroom: dict[str, int]
    queued: int
    paused_for: float


class Pacer:
    """Paces requests by class within the current limits (new limits: ``apply``)."""

    def __init__(self, limits: CallLimits = DEFAULT_LIMITS, clock: Clock | None = None) -> None:
        self._clock = clock
        self.limits = limits
        self.limiter = RateLimiter(rates(limits), clock)

    def apply(self, limits: CallLimits) -> bool:
        """Pace by ``limits`` from now on; False when they are what was in force already.

        The limiter's rates are fixed when it is made, so changed limits take a new limiter: requests
        already granted finish on the old one, whose history is not carried over (limits change rarely,
        in practice once, from the defaults to the venue's figures before any other request).
        """
        if limits == self.limits:
            return False
        paused = {c: self.limiter.status(c).paused_for for c in RateClass}
        self.limits = limits
        self.limiter = RateLimiter(rates(limits), self._clock)
        for rate_class, seconds in paused.items():
            if seconds > 0:
                self.limiter.pause(rate_class, seconds)
        return True

    async def acquire(self, rate_class: RateClass) -> Grant:
        limiter = self.limiter
        hour = await limiter.acquire(_hourly(rate_class))
        minute = await limiter.acquire(rate_class)
        return Grant(limiter, rate_class, (minute, hour))

    @staticmethod
    def answered(grant: Grant) -> None:
        grant.limiter.answered(grant.rate_class, grant.times[0])
        grant.limiter.answered(_hourly(grant.rate_class), grant.times[1])

    def pause(self, rate_class: RateClass, seconds: float) -> None:
        """The venue answered RateLimit: nothing of this class goes for ``seconds``."""
        self.limiter.pause(rate_class, seconds)

    def status(self) -> PacerStatus:
        limiter = self.limiter
        headroom: dict[str, int] = {}
        queued = 0
        paused = 0.0
        for rate_class in RateClass:
            minute, hour = limiter.status(rate_class), limiter.status(_hourly(rate_class))
            headroom[rate_class] = min(minute.headroom, hour.headroom)
            queued += minute.queued + hour.queued
            paused = max(paused, minute.paused_for, hour.paused_for)
        return PacerStatus(headroom, queued, paused)
