"""Call classes, the limits of website_status, and pacing by them (minute and hour windows, pauses)."""

from __future__ import annotations

from typing import Any

import pytest

from terminal.venues.deriv.rate_limits import (
    DEFAULT_LIMITS,
    HOUR,
    MINUTE,
    CallLimits,
    Pacer,
    RateClass,
    Window,
    limits_from,
    rate_class_for,
    rates,
)
from terminal.venues.errors import MalformedResponse
from terminal.venues.ratelimit import Rate
from tests.venues.deriv.schema_check import answer_problems


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


_USD: dict[str, Any] = {
    "fractional_digits": 2,
    "is_deposit_suspended": 0,
    "is_suspended": 0,
    "is_withdrawal_suspended": 0,
    "name": "US Dollar",
    "stake_default": 10,
    "transfer_between_accounts": {"fees": {}, "limits": {"max": 2500, "min": 1}},
    "type": "fiat",
}


def website_status(general: int = 180, pricing: int = 80, outcome: int = 25, proposals: int = 5) -> dict[str, Any]:
    """An answer as the venue sends it (only the required parts besides the limits)."""
    return {
        "echo_req": {"website_status": 1, "req_id": 2},
        "msg_type": "website_status",
        "req_id": 2,
        "website_status": {
            "api_call_limits": {
                "max_proposal_subscription": {"applies_to": "subscribing to proposal concurrently", "max": proposals},
                "max_requestes_general": {"applies_to": "rest of calls", "hourly": 14400, "minutely": general},
                "max_requests_outcome": {
                    "applies_to": "portfolio, statement and proposal",
                    "hourly": 1500,
                    "minutely": outcome,
                },
                "max_requests_pricing": {
                    "applies_to": "proposal and proposal_open_contract",
                    "hourly": 3600,
                    "minutely": pricing,
                },
            },
            "currencies_config": {"USD": _USD},
            "site_status": "up",
        },
    }


def test_the_example_answer_is_valid() -> None:
    assert answer_problems("website_status", website_status()) == []


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("proposal", RateClass.PRICING),
        ("proposal_open_contract", RateClass.PRICING),
        ("portfolio", RateClass.OUTCOME),
        ("statement", RateClass.OUTCOME),
        ("profit_table", RateClass.OUTCOME),
        ("buy", RateClass.GENERAL),
        ("ticks_history", RateClass.GENERAL),
        ("authorize", RateClass.GENERAL),
        ("ping", None),
        ("forget", None),
        ("forget_all", None),
    ],
)
def test_rate_classes(method: str, expected: RateClass | None) -> None:
    assert rate_class_for(method) == expected


def test_limits_from_website_status() -> None:
    limits = limits_from(website_status())
    assert limits == CallLimits(
        general=Window(180, 14400), pricing=Window(80, 3600), outcome=Window(25, 1500), max_proposals=5
    )


def test_limits_from_an_answer_without_them_is_malformed() -> None:
    answer = website_status()
    del answer["website_status"]["api_call_limits"]["max_requestes_general"]
    with pytest.raises(MalformedResponse, match="max_requestes_general is missing"):
        limits_from(answer)
    with pytest.raises(MalformedResponse, match="website_status"):
        limits_from({"msg_type": "website_status"})


def test_defaults_are_below_what_the_venue_grants() -> None:
    venue = limits_from(website_status())
    for rate_class in RateClass:
        assert DEFAULT_LIMITS.window(rate_class).minutely <= venue.window(rate_class).minutely
        assert DEFAULT_LIMITS.window(rate_class).hourly <= venue.window(rate_class).hourly


def test_rates_have_a_minute_and_an_hour_window_per_class() -> None:
    assert rates(limits_from(website_status())) == {
        "general": Rate(180, MINUTE),
        "general/hour": Rate(14400, HOUR),
        "pricing": Rate(80, MINUTE),
        "pricing/hour": Rate(3600, HOUR),
        "outcome": Rate(25, MINUTE),
        "outcome/hour": Rate(1500, HOUR),
    }
    assert MINUTE >= 60 and HOUR >= 3600


async def test_pacer_holds_a_class_back_at_its_limit_only() -> None:
    clock = FakeClock()
    pacer = Pacer(limits_from(website_status(outcome=2)), clock)
    for _ in range(2):
        pacer.answered(await pacer.acquire(RateClass.OUTCOME))
    assert pacer.status().headroom["outcome"] == 0
    assert pacer.status().headroom["general"] == 180
    start = clock.t
    grant = await pacer.acquire(RateClass.OUTCOME)  # waits (on the fake clock) for the window to move
    assert clock.t - start == pytest.approx(MINUTE, abs=0.01)
    pacer.answered(grant)


async def test_the_hour_window_counts_too() -> None:
    clock = FakeClock()
    limits = CallLimits(Window(100, 3), Window(100, 100), Window(100, 100), 5)
    pacer = Pacer(limits, clock)
    for _ in range(3):
        await pacer.acquire(RateClass.GENERAL)
    assert pacer.status().headroom["general"] == 0
    start = clock.t
    await pacer.acquire(RateClass.GENERAL)
    assert clock.t - start == pytest.approx(HOUR, abs=0.01)


def test_apply_replaces_the_limits_only_when_they_change() -> None:
    pacer = Pacer()
    assert pacer.limits == DEFAULT_LIMITS
    limiter = pacer.limiter
    assert pacer.apply(DEFAULT_LIMITS) is False
    assert pacer.limiter is limiter
    venue = limits_from(website_status())
    assert pacer.apply(venue) is True
    assert pacer.limits == venue
    assert pacer.status().headroom == {"general": 180, "pricing": 80, "outcome": 25}


def test_a_pause_survives_new_limits_and_shows_in_the_status() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    pacer.pause(RateClass.PRICING, 60.0)
    assert pacer.status().paused_for == pytest.approx(60.0)
    assert pacer.status().headroom["pricing"] == 0
    pacer.apply(limits_from(website_status()))
    clock.t += 10
    assert pacer.status().paused_for == pytest.approx(50.0)
