"""The latent price process: seeds, variance budget, daily rhythm, and sane paths with a fixed seed."""

from __future__ import annotations

import math
import random

import numpy as np

from terminal.demo.price_process import (
    DAY_MS,
    JUMPS_PER_DAY,
    MINUTE_MS,
    YEAR_MS,
    Dynamics,
    LatentPrice,
    activity,
    activity_at,
    draw_minutes,
    stream_seed,
)

T0 = 1_760_000_000_000 - 1_760_000_000_000 % DAY_MS  # a midnight UTC


def test_stream_seeds_are_stable_and_distinct() -> None:
    assert stream_seed(7, "BTCUSDT", "latent") == stream_seed(7, "BTCUSDT", "latent")
    seeds = {stream_seed(s, sym, p) for s in (7, 8) for sym in ("BTCUSDT", "ETHUSDT") for p in ("latent", "maker")}
    assert len(seeds) == 8
    assert all(0 <= seed < 2**64 for seed in seeds)


def test_dynamics_spend_the_annual_variance_between_diffusion_and_jumps() -> None:
    dynamics = Dynamics.from_volatility(0.55)
    yearly = dynamics.diffusion_per_ms * YEAR_MS + dynamics.jump_rate_per_ms * YEAR_MS * dynamics.jump_sigma**2
    assert math.isclose(yearly, 0.55**2, rel_tol=1e-9)
    assert math.isclose(dynamics.jump_rate_per_ms * DAY_MS, JUMPS_PER_DAY)
    assert 0 < dynamics.jump_sigma < 0.02  # a jump is a visible spike, not a crash


def test_activity_averages_one_and_peaks_in_the_afternoon() -> None:
    week = T0 + MINUTE_MS * np.arange(7 * 1440, dtype=np.int64)
    values = activity(week)
    assert math.isclose(float(values.mean()), 1.0, rel_tol=0.02)
    assert activity_at(T0 + 15 * 3_600_000 + 30 * MINUTE_MS) > 1.5 * activity_at(T0 + 3 * 3_600_000 + 30 * MINUTE_MS)
    assert activity_at(int(week[123])) == float(values[123])


def test_drawn_minutes_have_the_volatility_and_jump_frequency_asked_for() -> None:
    days = 60
    times = T0 + MINUTE_MS * np.arange(days * 1440, dtype=np.int64)
    draw = draw_minutes(np.random.default_rng(11), Dynamics.from_volatility(0.9), times)
    assert 0.6 * JUMPS_PER_DAY * days < int(draw.jumps.sum()) < 1.4 * JUMPS_PER_DAY * days
    realized = float(np.sqrt((draw.change**2).sum() * 365 / days))
    assert 0.7 * 0.9 < realized < 1.3 * 0.9
    assert (draw.variance > 0).all()
    assert 0.8 < float(draw.regime.mean()) < 1.2


def test_the_live_price_stays_positive_and_jumps_at_the_documented_rate() -> None:
    latent = LatentPrice(180.0, Dynamics.from_volatility(0.9), random.Random(5), T0)
    prices = [latent.advance(T0 + i * MINUTE_MS) for i in range(1, 30 * 1440 + 1)]
    assert min(prices) > 0
    assert 0.6 * JUMPS_PER_DAY * 30 < latent.jumps < 1.4 * JUMPS_PER_DAY * 30
    returns = np.diff(np.log(np.array(prices)))
    realized = float(np.sqrt((returns**2).sum() * 365 / 30))
    assert 0.6 * 0.9 < realized < 1.4 * 0.9
    assert 90 < prices[-1] < 360  # a month at 90% a year wanders, but not that far


def test_the_live_price_is_reproducible_and_ignores_time_going_back() -> None:
    def path(seed: int) -> list[float]:
        latent = LatentPrice(95_000.0, Dynamics.from_volatility(0.55), random.Random(seed), T0)
        return [latent.advance(T0 + 125 * i) for i in range(2000)]

    assert path(3) == path(3)
    assert path(3) != path(4)
    latent = LatentPrice(1.0, Dynamics.from_volatility(0.01), random.Random(1), T0)
    moved = latent.advance(T0 + 60_000)
    assert latent.advance(T0) == moved  # set back: nothing moves
    assert latent.time_ms == T0
    assert latent.advance(T0 + 365 * DAY_MS) > 0  # a year in one step (the Poisson count's normal branch)
