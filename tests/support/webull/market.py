"""Deterministic random-walk quotes: each instrument's price moves a few ticks per step, steps follow
the clock, and the sequence of prices depends only on the seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tests.support.webull.instruments import INSTRUMENTS, FakeInstrument, tick_down, tick_up

_MOVES = (-2, -1, -1, 0, 0, 0, 1, 1, 2)
_MAX_STEPS_PER_SYNC = 100_000


@dataclass
class Quote:
    """One instrument's session so far; ``bid``/``ask`` are one tick either side of ``price``."""

    instrument: FakeInstrument
    price: Decimal
    pre_close: Decimal
    open: Decimal
    high: Decimal
    low: Decimal
    volume: int
    updated_at: float

    @property
    def bid(self) -> Decimal:
        return self.below(self.price, 1)

    @property
    def ask(self) -> Decimal:
        return self.above(self.price, 1)

    def below(self, price: Decimal, ticks: int) -> Decimal:
        for _ in range(ticks):
            price -= tick_down(self.instrument.market, price)
        return price

    def above(self, price: Decimal, ticks: int) -> Decimal:
        for _ in range(ticks):
            price += tick_up(self.instrument.market, price)
        return price

    def move_to(self, price: Decimal, now: float, volume: int) -> None:
        self.price = price
        self.high = max(self.high, price)
        self.low = min(self.low, price)
        self.volume += volume
        self.updated_at = now


class Market:
    def __init__(self, clock: Callable[[], float], *, seed: int, step_seconds: float) -> None:
        self._clock = clock
        self._step_seconds = step_seconds
        self._started = clock()
        self._steps = 0
        self.seed = seed
        self._rngs = {item.symbol: random.Random(f"{seed}:{item.symbol}") for item in INSTRUMENTS}
        now = clock()
        self.quotes = {
            item.symbol: Quote(
                item, item.start_price, item.start_price, item.start_price, item.start_price, item.start_price, 0, now
            )
            for item in INSTRUMENTS
        }

    def sync(self) -> bool:
        """Walk every price up to the current step; True if any step was taken."""
        if self._step_seconds <= 0:
            return False
        target = int((self._clock() - self._started) / self._step_seconds)
        steps = min(target - self._steps, _MAX_STEPS_PER_SYNC)
        for _ in range(max(steps, 0)):
            self._step()
        self._steps = max(self._steps, target)
        return steps > 0

    def set_price(self, symbol: str, price: Decimal) -> None:
        self.quotes[symbol].move_to(price, self._clock(), 0)

    def _step(self) -> None:
        now = self._clock()
        for symbol, quote in self.quotes.items():
            rng = self._rngs[symbol]
            move = rng.choice(_MOVES)
            price = quote.above(quote.price, move) if move > 0 else quote.below(quote.price, -move)
            if quote.below(price, 2) > 0:
                quote.move_to(price, now, rng.randint(1, 50) * int(quote.instrument.lot_size))
