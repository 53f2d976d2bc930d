"""The synthetic market: one seeded random walk per symbol, with three hours of past ticks generated at
start (so charts and ticks_history have data), then live ticks appended by the server's ticker."""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tests.support.deriv.symbols import SYMBOLS, Symbol, find_symbol

HISTORY_SECONDS = 3 * 3600


@dataclass(frozen=True, slots=True)
class Tick:
    epoch: int
    quote: Decimal


class _Walk:
    """A geometric random walk seeded by (seed, symbol): the same price sequence on every run."""

    def __init__(self, symbol: Symbol, seed: int) -> None:
        self._symbol = symbol
        self._rng = random.Random(f"{seed}:{symbol.code}")
        self._level = float(symbol.base_price)

    def step(self) -> Decimal:
        self._level *= math.exp(self._rng.gauss(0.0, self._symbol.sigma))
        return self._symbol.round(self._level)


class Market:
    def __init__(self, seed: int, now: int, symbols: Iterable[Symbol] = SYMBOLS.values()) -> None:
        self.seed = seed
        self.symbols: dict[str, Symbol] = {symbol.code: symbol for symbol in symbols}
        self._walks = {code: _Walk(symbol, seed) for code, symbol in self.symbols.items()}
        self._ticks: dict[str, list[Tick]] = {}
        for code, symbol in self.symbols.items():
            first = now - HISTORY_SECONDS
            ticks = [Tick(first, symbol.base_price)]
            ticks += [
                Tick(epoch, self._walks[code].step())
                for epoch in range(first + symbol.tick_seconds, now, symbol.tick_seconds)
            ]
            self._ticks[code] = ticks

    def symbol(self, code: str) -> Symbol:
        if code not in self.symbols:
            find_symbol(code)  # raises InvalidSymbol
        return self.symbols[code]

    def ticks(self, code: str) -> Sequence[Tick]:
        return self._ticks[code]

    def last(self, code: str) -> Tick:
        return self._ticks[code][-1]

    def first(self, code: str) -> Tick:
        return self._ticks[code][0]

    def advance(self, epoch: int) -> list[tuple[Symbol, Tick]]:
        """One new tick for every open symbol (a closed market does not move)."""
        produced: list[tuple[Symbol, Tick]] = []
        for code, symbol in self.symbols.items():
            if not symbol.is_open:
                continue
            ticks = self._ticks[code]
            tick = Tick(max(epoch, ticks[-1].epoch), self._walks[code].step())
            ticks.append(tick)
            produced.append((symbol, tick))
        return produced

    def window(self, code: str, start: int, end: int, count: int) -> list[Tick]:
        """The last ``count`` ticks with ``start <= epoch <= end``, oldest first."""
        ticks = self._ticks[code]
        low = bisect_left(ticks, start, key=_epoch)
        high = bisect_right(ticks, end, key=_epoch)
        return ticks[max(low, high - count) : high]


def _epoch(tick: Tick) -> int:
    return tick.epoch
