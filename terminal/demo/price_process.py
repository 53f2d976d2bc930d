"""The latent (fair) price of a demo symbol: geometric Brownian motion with jumps and a daily rhythm.

History draws a month of it at once with numpy; the live market advances it one action at a time
with ``random.Random``. Both share ``Dynamics`` and ``activity``, so the chart does not change
character where history ends and the live market begins.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MINUTE_MS = 60_000
DAY_MS = 86_400_000
YEAR_MS = 365 * DAY_MS  # crypto trades every day of the year
JUMPS_PER_DAY = 6.0
JUMP_SHARE = 0.15  # share of the total variance that comes from jumps

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def stream_seed(seed: int, symbol: str, purpose: str) -> int:
    """A stable 64-bit seed for one random stream (``hash()`` of a str changes from run to run)."""
    digest = hashlib.blake2b(f"{seed}/{symbol}/{purpose}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True, slots=True)
class Dynamics:
    """Variance of the log price: a diffusion (per ms, at average activity) plus Poisson jumps."""

    diffusion_per_ms: float
    jump_rate_per_ms: float
    jump_sigma: float  # standard deviation of one jump of the log price

    @classmethod
    def from_volatility(cls, annual: float) -> Dynamics:
        total = annual * annual / YEAR_MS
        rate = JUMPS_PER_DAY / DAY_MS
        return cls((1 - JUMP_SHARE) * total, rate, math.sqrt(JUMP_SHARE * total / rate))


def _daily_profile() -> FloatArray:
    # Busiest in the European afternoon / US morning (about 15:00 UTC), quietest before Asia wakes.
    hours = np.arange(1440, dtype=np.float64) / 60
    shape = 1 + 0.45 * np.cos(2 * np.pi * (hours - 15) / 24) + 0.12 * np.cos(4 * np.pi * (hours - 8) / 24)
    shape[::60] *= 1.6  # the top of each hour brings a burst of orders
    return np.asarray(shape / shape.mean(), dtype=np.float64)


_PROFILE = _daily_profile()
# Monday first; weekends are quieter.
_WEEKDAYS = np.array([1.03, 1.05, 1.05, 1.05, 1.04, 0.89, 0.89])
_WEEKDAYS /= _WEEKDAYS.mean()


def activity(times_ms: IntArray) -> FloatArray:
    """How busy the market is at each time, relative to its average (mean about 1)."""
    minutes = times_ms // MINUTE_MS
    weekdays = (minutes // 1440 + 3) % 7  # 1970-01-01 was a Thursday
    return np.asarray(_PROFILE[minutes % 1440] * _WEEKDAYS[weekdays], dtype=np.float64)


def activity_at(time_ms: int) -> float:
    minute = time_ms // MINUTE_MS
    return float(_PROFILE[minute % 1440] * _WEEKDAYS[(minute // 1440 + 3) % 7])


@dataclass(frozen=True, slots=True)
class MinuteDraw:
    """The latent log price over consecutive minutes: its change, diffusion variance and jump count."""

    change: FloatArray
    variance: FloatArray
    jumps: IntArray
    regime: FloatArray  # slowly varying volatility multiplier (mean about 1)


def draw_minutes(rng: np.random.Generator, dynamics: Dynamics, times_ms: IntArray) -> MinuteDraw:
    """Draw the process over the minutes opening at ``times_ms``, all at once."""
    n = len(times_ms)
    regime = _regime(rng, n)
    variance = dynamics.diffusion_per_ms * MINUTE_MS * activity(times_ms) * regime
    diffusion = rng.standard_normal(n) * np.sqrt(variance)
    jumps = rng.poisson(dynamics.jump_rate_per_ms * MINUTE_MS, n).astype(np.int64)
    jump_moves = rng.standard_normal(n) * dynamics.jump_sigma * np.sqrt(jumps)
    return MinuteDraw(diffusion + jump_moves, variance, jumps, regime)


def _regime(rng: np.random.Generator, n: int) -> FloatArray:
    """Volatility clustering: a mean-reverting log-normal level per hour, interpolated to minutes."""
    hours = n // 60 + 2
    shocks = rng.standard_normal(hours)
    level = np.empty(hours)
    x = 0.0
    persistence, spread = 0.9, 0.35
    for i in range(hours):
        x = persistence * x + math.sqrt(1 - persistence**2) * spread * shocks[i]
        level[i] = x
    knots = np.exp(level - spread**2 / 2)
    return np.asarray(np.interp(np.arange(n) / 60, np.arange(hours), knots), dtype=np.float64)


class LatentPrice:
    """The fair price of one symbol, advanced to each moment the live market acts at."""

    __slots__ = ("_log", "_rng", "_time_ms", "dynamics", "jumps")

    def __init__(self, price: float, dynamics: Dynamics, rng: random.Random, now_ms: int) -> None:
        if price <= 0:
            raise ValueError(f"a latent price must be positive, not {price}")
        self._log = math.log(price)
        self._rng = rng
        self._time_ms = now_ms
        self.dynamics = dynamics
        self.jumps = 0  # how many jumps so far

    @property
    def price(self) -> float:
        return math.exp(self._log)

    @property
    def time_ms(self) -> int:
        return self._time_ms

    def advance(self, now_ms: int) -> float:
        """Move the price on to ``now_ms`` and return it. A clock set back moves nothing: the price
        carries on from the earlier time."""
        dt = now_ms - self._time_ms
        if dt <= 0:
            self._time_ms = now_ms
            return math.exp(self._log)
        self._time_ms = now_ms
        rng, dyn = self._rng, self.dynamics
        self._log += rng.gauss(0.0, math.sqrt(dyn.diffusion_per_ms * dt * activity_at(now_ms)))
        count = _poisson(rng, dyn.jump_rate_per_ms * dt)
        if count:
            self.jumps += count
            self._log += rng.gauss(0.0, dyn.jump_sigma * math.sqrt(count))
        return math.exp(self._log)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count; one uniform draw when the mean is small, as it is between two actions."""
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
