"""A month of one-minute candles for a demo symbol, drawn from the latent price process in one go.

Columns are int64 arrays in the exact units ``MarketData.load_history`` takes (prices in ticks,
volumes in steps, quote volumes in tick x step). The same seed, symbol and end minute give the same
arrays. The last close is the listing's start price, where the live market carries on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from terminal.demo.catalog import Listing
from terminal.demo.market_data import DAY_MINUTES, MINUTE_MS, Int64Array
from terminal.demo.price_process import Dynamics, FloatArray, MinuteDraw, draw_minutes, stream_seed

# The live market at ``rate`` actions a second makes about this many trades per action, of about this
# many typical sizes each (measured on the simulator), so history and live candles look alike.
TRADES_PER_ACTION = 0.57
VOLUME_PER_TRADE = 0.72


@dataclass(frozen=True, slots=True)
class History:
    """Contiguous one-minute candles of one symbol, oldest first, from ``start_ms``."""

    symbol: str
    start_ms: int
    columns: dict[str, Int64Array]

    @property
    def size(self) -> int:
        return len(self.columns["close"])

    @property
    def end_ms(self) -> int:
        """Open time of the minute after the last candle."""
        return self.start_ms + self.size * MINUTE_MS

    @property
    def last_close(self) -> int:
        """The last close, in ticks."""
        return int(self.columns["close"][-1])


def generate_history(listing: Listing, *, seed: int, end_ms: int, days: int, rate: float) -> History:
    """``days`` of candles ending with the minute before the one containing ``end_ms``."""
    instrument = listing.instrument
    symbol = instrument.symbol
    n = days * DAY_MINUTES
    end = end_ms - end_ms % MINUTE_MS
    start = end - n * MINUTE_MS
    times = start + MINUTE_MS * np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(stream_seed(seed, symbol, "history"))
    draw = draw_minutes(rng, Dynamics.from_volatility(listing.annual_volatility), times)

    trades = _trade_counts(rng, draw, rate)
    open_, high, low, close = _prices(rng, draw, int(listing.start_price / instrument.tick_size), trades > 0)
    typical_steps = max(1.0, float(listing.typical_qty / instrument.step_size))
    volume = _volumes(rng, trades, typical_steps)
    taker = _taker_volumes(rng, draw, volume)
    taker_quote, quote = _quotes(rng, volume, taker, low, high)
    columns = {
        "open": open_,
        "high": high,
        "low": low,
        "close": close,
        "volume": volume,
        "quote": quote,
        "trades": trades,
        "taker_volume": taker,
        "taker_quote": taker_quote,
    }
    return History(symbol, start, columns)


def _z(draw: MinuteDraw) -> FloatArray:
    """Each minute's move in its own standard deviations (large moves bring volume)."""
    return np.asarray(draw.change / np.sqrt(draw.variance), dtype=np.float64)


def _trade_counts(rng: np.random.Generator, draw: MinuteDraw, rate: float) -> Int64Array:
    activity = draw.variance / draw.variance.mean()  # the daily rhythm and the volatility regime
    intensity = np.sqrt(activity) * (0.8 + 0.25 * np.minimum(np.abs(_z(draw)), 6.0))
    mean = max(rate, 0.01) * 60 * TRADES_PER_ACTION
    trades = np.asarray(rng.poisson(mean * intensity / intensity.mean()), dtype=np.int64)
    trades[-1] = max(int(trades[-1]), 1)  # the last close is the start price: it must have traded
    return trades


def _prices(
    rng: np.random.Generator, draw: MinuteDraw, last_close: int, traded: np.ndarray
) -> tuple[Int64Array, Int64Array, Int64Array, Int64Array]:
    """OHLC in ticks. A minute without trades is flat at the previous close."""
    n = len(draw.change)
    path = np.cumsum(draw.change)
    log_close = np.log(last_close) - path[-1] + path
    log_open = log_close - draw.change
    # Extremes of a Brownian bridge from 0 to b with variance v: (b +/- sqrt(b^2 - 2 v ln U)) / 2.
    b, v = draw.change, draw.variance
    up = (b + np.sqrt(b * b - 2 * v * np.log(rng.random(n)))) / 2
    down = (b - np.sqrt(b * b - 2 * v * np.log(rng.random(n)))) / 2
    latent_close = _ticks(log_close)
    latent_high = _ticks(log_open + up)
    latent_low = _ticks(log_open + down)
    latent_close[-1] = last_close

    # Carry the last traded close over minutes without trades.
    last_traded = np.maximum.accumulate(np.where(traded, np.arange(n), -1))
    first_open = _ticks(log_open[:1])[0]
    close = np.where(last_traded >= 0, latent_close[np.maximum(last_traded, 0)], first_open)
    open_ = np.empty(n, dtype=np.int64)
    open_[0] = first_open
    open_[1:] = close[:-1]
    high = np.where(traded, np.maximum(np.maximum(open_, close), latent_high), open_)
    low = np.where(traded, np.maximum(np.minimum(np.minimum(open_, close), latent_low), 1), open_)
    return open_, high.astype(np.int64), low.astype(np.int64), close.astype(np.int64)


def _ticks(log_price: FloatArray) -> Int64Array:
    return np.maximum(np.rint(np.exp(log_price)), 1).astype(np.int64)


def _volumes(rng: np.random.Generator, trades: Int64Array, typical_steps: float) -> Int64Array:
    """Sum of each minute's trade sizes, in steps: at least a step per trade."""
    sizes = typical_steps * VOLUME_PER_TRADE * rng.lognormal(-0.08, 0.4, len(trades))
    volume = np.rint(trades * sizes).astype(np.int64)
    return np.maximum(volume, trades)


def _taker_volumes(rng: np.random.Generator, draw: MinuteDraw, volume: Int64Array) -> Int64Array:
    """The taker-buy part of the volume: more of it in a rising minute."""
    share = 0.5 + 0.3 * np.tanh(_z(draw) / 2) + 0.08 * rng.standard_normal(len(volume))
    taker = np.floor(volume * np.clip(share, 0.02, 0.98)).astype(np.int64)
    return np.clip(taker, 0, volume)


def _quotes(
    rng: np.random.Generator, volume: Int64Array, taker: Int64Array, low: Int64Array, high: Int64Array
) -> tuple[Int64Array, Int64Array]:
    """Taker-buy and total quote volume in tick x step units, each within [low, high] x its volume."""
    span = high - low
    maker = volume - taker
    taker_quote = taker * low + _part(rng, taker * span)
    maker_quote = maker * low + _part(rng, maker * span)
    return taker_quote, taker_quote + maker_quote


def _part(rng: np.random.Generator, full: Int64Array) -> Int64Array:
    """Where in the range the volume-weighted price lies, as a share of ``full`` (mostly mid-range)."""
    share = rng.beta(2.0, 2.0, len(full))
    return np.clip(np.floor(full * share).astype(np.int64), 0, full)
