"""Candles, 24-hour tickers and the recent tape of the demo exchange, built from its own trades.

One-minute candles are kept per symbol as integer arrays in exact units (prices in ticks, volumes in
steps, quote volumes in tick x step), so a month of history for every symbol loads in milliseconds,
costs a few megabytes, and every value on the wire is exact. Other intervals are aggregated from the
minutes when asked.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from terminal.domain.decimals import mul
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle, PublicTrade, Ticker

MINUTE_MS = 60_000
DAY_MINUTES = 1440
_FIELDS = ("open", "high", "low", "close", "volume", "quote", "trades", "taker_volume", "taker_quote")

Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Units:
    """Exact integer units of one symbol: price = ticks x tick, quantity = steps x step."""

    tick: Decimal
    step: Decimal

    def ticks(self, price: Decimal) -> int:
        return int(price / self.tick)

    def steps(self, qty: Decimal) -> int:
        return int(qty / self.step)

    def price(self, ticks: int) -> Decimal:
        return mul(Decimal(int(ticks)), self.tick)

    def qty(self, steps: int) -> Decimal:
        return mul(Decimal(int(steps)), self.step)

    def quote(self, units: int) -> Decimal:
        return mul(Decimal(int(units)), mul(self.tick, self.step))


@dataclass
class MinuteSeries:
    """Contiguous one-minute candles of one symbol, from ``start_ms``; grows as time passes."""

    units: Units
    start_ms: int = 0
    size: int = 0
    columns: dict[str, Int64Array] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = {name: np.zeros(1024, dtype=np.int64) for name in _FIELDS}

    @property
    def end_ms(self) -> int:
        """Open time of the minute after the last one held."""
        return self.start_ms + self.size * MINUTE_MS

    def load(self, start_ms: int, columns: dict[str, Sequence[int] | Int64Array]) -> None:
        """Replace the series with history: ``columns`` holds one array per field, oldest first."""
        if start_ms % MINUTE_MS:
            raise ValueError("history must start on a minute")
        lengths = {len(columns[name]) for name in _FIELDS}
        if len(lengths) != 1:
            raise ValueError("every history column must have the same length")
        size = lengths.pop()
        capacity = max(1024, size * 2)
        self.columns = {}
        for name in _FIELDS:
            column = np.zeros(capacity, dtype=np.int64)
            column[:size] = np.asarray(columns[name], dtype=np.int64)
            self.columns[name] = column
        self.start_ms, self.size = start_ms, size

    def _grow(self) -> None:
        for name, column in self.columns.items():
            bigger = np.zeros(len(column) * 2, dtype=np.int64)
            bigger[: self.size] = column[: self.size]
            self.columns[name] = bigger

    def extend_to(self, time_ms: int) -> None:
        """Add flat, empty minutes (at the last close) up to the minute containing ``time_ms``."""
        minute = time_ms - time_ms % MINUTE_MS
        if self.size == 0:
            if self.start_ms == 0:
                self.start_ms = minute
            return
        close = int(self.columns["close"][self.size - 1])
        while self.end_ms <= minute:
            if self.size == len(self.columns["open"]):
                self._grow()
            i = self.size
            for name in ("open", "high", "low", "close"):
                self.columns[name][i] = close
            for name in ("volume", "quote", "trades", "taker_volume", "taker_quote"):
                self.columns[name][i] = 0
            self.size += 1

    def add_trade(self, time_ms: int, ticks: int, steps: int, taker_bought: bool) -> None:
        minute = time_ms - time_ms % MINUTE_MS
        if self.size and minute < self.end_ms - MINUTE_MS:
            return  # a trade older than the current minute cannot change history
        if self.size == 0 or minute >= self.end_ms:
            if self.size == 0:
                self.start_ms = minute
            else:
                self.extend_to(minute - MINUTE_MS)
            if self.size == len(self.columns["open"]):
                self._grow()
            i = self.size
            for name in ("open", "high", "low", "close"):
                self.columns[name][i] = ticks
            for name in ("volume", "quote", "trades", "taker_volume", "taker_quote"):
                self.columns[name][i] = 0
            self.size += 1
        c = self.columns
        i = self.size - 1
        c["high"][i] = max(int(c["high"][i]), ticks)
        c["low"][i] = min(int(c["low"][i]), ticks)
        c["close"][i] = ticks
        c["volume"][i] += steps
        c["quote"][i] += ticks * steps
        c["trades"][i] += 1
        if taker_bought:
            c["taker_volume"][i] += steps
            c["taker_quote"][i] += ticks * steps

    def index_of(self, time_ms: int) -> int:
        return (time_ms - self.start_ms) // MINUTE_MS


class MarketData:
    """Candles, tickers and tape of every symbol, fed with the exchange's public trades."""

    def __init__(self, instruments: Iterable[Instrument], *, tape_size: int = 1000) -> None:
        self._series: dict[str, MinuteSeries] = {}
        self._tapes: dict[str, deque[PublicTrade]] = {}
        # Grows with every change of a symbol's series other than time passing (trades, history), so
        # that a rendering of its ticker or candle can be reused while it and the minute are unchanged.
        self._revisions: dict[str, int] = {}
        for instrument in instruments:
            self._series[instrument.symbol] = MinuteSeries(Units(instrument.tick_size, instrument.step_size))
            self._tapes[instrument.symbol] = deque(maxlen=tape_size)
            self._revisions[instrument.symbol] = 0

    @property
    def symbols(self) -> list[str]:
        return list(self._series)

    def units(self, symbol: str) -> Units:
        return self._series[symbol].units

    def load_history(self, symbol: str, start_ms: int, columns: dict[str, Sequence[int] | Int64Array]) -> None:
        """One-minute history in exact units (see ``MinuteSeries.load``)."""
        self._series[symbol].load(start_ms, columns)
        self._revisions[symbol] += 1

    def record_trade(self, trade: PublicTrade) -> None:
        series = self._series[trade.symbol]
        series.add_trade(
            trade.time_ms, series.units.ticks(trade.price), series.units.steps(trade.quantity), not trade.buyer_is_maker
        )
        self._tapes[trade.symbol].append(trade)
        self._revisions[trade.symbol] += 1

    def revision(self, symbol: str) -> int:
        return self._revisions[symbol]

    def last_price(self, symbol: str) -> Decimal | None:
        series = self._series[symbol]
        return series.units.price(int(series.columns["close"][series.size - 1])) if series.size else None

    def recent_trades(self, symbol: str, limit: int) -> list[PublicTrade]:
        """The last ``limit`` public trades, oldest first (as the venue lists them)."""
        tape = self._tapes[symbol]
        return list(tape)[-limit:] if limit > 0 else []

    def klines(
        self,
        symbol: str,
        interval: Interval,
        now_ms: int,
        *,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int = 500,
    ) -> list[Candle]:
        """Candles of ``interval`` opening in [start_ms, end_ms], oldest first, at most ``limit``.

        Without ``start_ms`` the newest ``limit`` candles up to ``end_ms`` (default now) are given,
        like the venue: the last one is the candle in progress.
        """
        series = self._series[symbol]
        series.extend_to(now_ms)
        if series.size == 0 or limit <= 0:
            return []
        last_open = interval.open_time(min(end_ms if end_ms is not None else now_ms, series.end_ms - 1))
        first_allowed = interval.open_time(series.start_ms)
        if start_ms is not None:
            opens = _opens_forward(interval, max(interval.open_time(start_ms), first_allowed), last_open, limit)
        else:
            opens = _opens_backward(interval, last_open, first_allowed, limit)
        return [c for c in (self._candle(series, interval, t) for t in opens) if c is not None]

    def current_candle(self, symbol: str, interval: Interval, now_ms: int) -> Candle | None:
        series = self._series[symbol]
        series.extend_to(now_ms)
        return self._candle(series, interval, interval.open_time(now_ms))

    def ticker(self, symbol: str, now_ms: int) -> Ticker | None:
        """Rolling 24-hour statistics over the last 1,440 minutes (the current one included)."""
        series = self._series[symbol]
        series.extend_to(now_ms)
        if series.size == 0:
            return None
        last = min(series.size - 1, series.index_of(now_ms))
        first = max(0, last - DAY_MINUTES + 1)
        c, u = series.columns, series.units
        return Ticker(
            symbol=symbol,
            time_ms=now_ms,
            last=u.price(int(c["close"][last])),
            open=u.price(int(c["open"][first])),
            high=u.price(int(c["high"][first : last + 1].max())),
            low=u.price(int(c["low"][first : last + 1].min())),
            volume=u.qty(int(c["volume"][first : last + 1].sum())),
            quote_volume=u.quote(_exact_sum(c["quote"][first : last + 1])),
        )

    def _candle(self, series: MinuteSeries, interval: Interval, open_ms: int) -> Candle | None:
        start = max(0, series.index_of(open_ms))
        stop = min(series.size, series.index_of(interval.next_open(open_ms)))
        if stop <= start:
            return None
        c, u = series.columns, series.units
        return Candle(
            open_time_ms=open_ms,
            open=u.price(int(c["open"][start])),
            high=u.price(int(c["high"][start:stop].max())),
            low=u.price(int(c["low"][start:stop].min())),
            close=u.price(int(c["close"][stop - 1])),
            volume=u.qty(int(c["volume"][start:stop].sum())),
            quote_volume=u.quote(_exact_sum(c["quote"][start:stop])),
            trades=int(c["trades"][start:stop].sum()),
            taker_buy_volume=u.qty(int(c["taker_volume"][start:stop].sum())),
            taker_buy_quote_volume=u.quote(_exact_sum(c["taker_quote"][start:stop])),
            close_time_ms=interval.next_open(open_ms) - 1,
        )


def _exact_sum(values: Int64Array) -> int:
    """Sum without int64 overflow: a month of quote volume in tick x step units can exceed 2^63."""
    return int(sum(values.tolist()))  # Python ints: exact at any size


def _opens_backward(interval: Interval, last_open: int, first_allowed: int, limit: int) -> list[int]:
    opens: list[int] = []
    t = last_open
    while t >= first_allowed and len(opens) < limit:
        opens.append(t)
        t = interval.open_time(t - 1)
    opens.reverse()
    return opens


def _opens_forward(interval: Interval, first_open: int, last_open: int, limit: int) -> list[int]:
    opens: list[int] = []
    t = first_open
    while t <= last_open and len(opens) < limit:
        opens.append(t)
        t = interval.next_open(t)
    return opens
