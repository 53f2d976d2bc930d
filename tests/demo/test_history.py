"""Generated history: a contiguous month per symbol in exact units, consistent candles, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from terminal.demo.catalog import LISTINGS, Listing
from terminal.demo.history import TRADES_PER_ACTION, History, generate_history
from terminal.demo.market_data import MINUTE_MS, MarketData
from terminal.domain.decimals import is_multiple
from terminal.domain.intervals import Interval

NOW = 1_760_000_123_456  # mid-minute
MINUTE = NOW - NOW % MINUTE_MS
FIELDS = ("open", "high", "low", "close", "volume", "quote", "trades", "taker_volume", "taker_quote")


def _history(listing: Listing, seed: int = 7, now: int = NOW, rate: float = 8.0) -> History:
    return generate_history(listing, seed=seed, end_ms=now, days=30, rate=rate)


@pytest.fixture(scope="module")
def histories() -> dict[str, History]:
    return {listing.instrument.symbol: _history(listing) for listing in LISTINGS}


def test_every_minute_of_thirty_days_up_to_the_previous_minute(histories: dict[str, History]) -> None:
    for history in histories.values():
        assert history.size == 30 * 1440
        assert history.end_ms == MINUTE  # the last candle is the minute before the current one
        assert history.start_ms == MINUTE - 30 * 86_400_000
        assert set(history.columns) == set(FIELDS)
        for name in FIELDS:
            column = history.columns[name]
            assert column.dtype == np.int64
            assert len(column) == history.size


def test_the_last_close_is_the_listing_price(histories: dict[str, History]) -> None:
    for listing in LISTINGS:
        history = histories[listing.instrument.symbol]
        assert history.last_close == int(listing.start_price / listing.instrument.tick_size)


def test_candles_are_consistent_and_continuous(histories: dict[str, History]) -> None:
    for history in histories.values():
        c = history.columns
        assert (c["low"] >= 1).all()
        assert (c["low"] <= np.minimum(c["open"], c["close"])).all()
        assert (c["high"] >= np.maximum(c["open"], c["close"])).all()
        assert (c["open"][1:] == c["close"][:-1]).all()  # each minute opens where the last closed
        assert (c["trades"] >= 0).all()
        assert (c["volume"] >= c["trades"]).all()  # at least one step per trade
        assert ((c["volume"] > 0) == (c["trades"] > 0)).all()
        assert float((c["volume"] > 0).mean()) > 0.99
        assert ((c["taker_volume"] >= 0) & (c["taker_volume"] <= c["volume"])).all()
        flat = c["volume"] == 0
        assert (c["high"][flat] == c["low"][flat]).all()


def test_quote_volumes_lie_within_each_candles_range(histories: dict[str, History]) -> None:
    for history in histories.values():
        c = history.columns
        low, high = c["low"], c["high"]
        assert (c["quote"] >= c["volume"] * low).all()
        assert (c["quote"] <= c["volume"] * high).all()
        assert (c["taker_quote"] >= c["taker_volume"] * low).all()
        assert (c["taker_quote"] <= c["taker_volume"] * high).all()
        maker_volume, maker_quote = c["volume"] - c["taker_volume"], c["quote"] - c["taker_quote"]
        assert (maker_quote >= maker_volume * low).all()
        assert (maker_quote <= maker_volume * high).all()


def test_loaded_history_reads_back_on_the_instruments_grid(histories: dict[str, History]) -> None:
    market = MarketData([listing.instrument for listing in LISTINGS])
    for listing in LISTINGS:
        instrument = listing.instrument
        history = histories[instrument.symbol]
        market.load_history(instrument.symbol, history.start_ms, dict(history.columns))
        candles = market.klines(instrument.symbol, Interval.H1, MINUTE - 1, limit=1000)
        assert len(candles) in {30 * 24, 30 * 24 + 1}  # the month need not start on the hour
        for candle in candles[-50:]:
            for price in (candle.open, candle.high, candle.low, candle.close):
                assert is_multiple(price, instrument.tick_size)
            assert is_multiple(candle.volume, instrument.step_size)
            assert candle.low <= candle.quote_volume / candle.volume <= candle.high
        assert market.last_price(instrument.symbol) == listing.start_price


def test_same_seed_and_minute_give_the_same_arrays_another_seed_does_not() -> None:
    listing = LISTINGS[0]
    first = _history(listing, seed=7, now=NOW)
    again = _history(listing, seed=7, now=MINUTE + 59_999)  # same anchor minute
    other = _history(listing, seed=8, now=NOW)
    for name in FIELDS:
        assert np.array_equal(first.columns[name], again.columns[name])
    assert not np.array_equal(first.columns["close"], other.columns["close"])
    assert not np.array_equal(first.columns["volume"], other.columns["volume"])


def test_symbols_get_their_own_paths(histories: dict[str, History]) -> None:
    btc, eth = histories["BTCUSDT"].columns, histories["ETHUSDT"].columns
    btc_returns = np.diff(np.log(btc["close"].astype(float)))
    eth_returns = np.diff(np.log(eth["close"].astype(float)))
    assert abs(float(np.corrcoef(btc_returns, eth_returns)[0, 1])) < 0.05


def test_volume_follows_the_time_of_day(histories: dict[str, History]) -> None:
    for history in histories.values():
        volume = history.columns["volume"].astype(float)
        hour = (history.start_ms // MINUTE_MS + np.arange(history.size)) % 1440 // 60
        busy = volume[(hour >= 14) & (hour < 17)].mean()
        quiet = volume[(hour >= 2) & (hour < 5)].mean()
        assert busy > 1.5 * quiet


def test_activity_scales_with_the_rate() -> None:
    listing = LISTINGS[2]
    for rate in (1.0, 8.0, 100.0):
        trades = _history(listing, rate=rate).columns["trades"]
        expected = rate * 60 * TRADES_PER_ACTION
        assert 0.85 * expected < float(trades.mean()) < 1.15 * expected


def test_prices_move_like_the_listing_volatility(histories: dict[str, History]) -> None:
    for listing in LISTINGS:
        close = histories[listing.instrument.symbol].columns["close"].astype(float)
        returns = np.diff(np.log(close))
        realized = float(np.sqrt((returns**2).sum() * 365 / 30))
        minute_ticks = float(listing.start_price / listing.instrument.tick_size) * listing.annual_volatility / 725
        if minute_ticks > 2:
            # Below that, rounding to ticks (USDTUSD moves a fraction of a tick a minute) swamps the moves.
            assert 0.6 * listing.annual_volatility < realized < 1.5 * listing.annual_volatility
