"""Market answers to domain objects: symbols with groups and status, tickers, ticks, candles; bad fields named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import SymbolStatus
from terminal.domain.intervals import Interval
from terminal.domain.market import PublicTrade, Ticker
from terminal.venues.deriv import mapping
from terminal.venues.errors import MalformedResponse
from terminal.venues.wire import WireObject
from tests.venues.deriv import samples

D = Decimal


def _items() -> list[WireObject]:
    return WireObject.items(samples.active_symbols()["active_symbols"], "active_symbols")


def test_instruments() -> None:
    r100, eurusd, v50 = mapping.instruments(samples.active_symbols(), "USD")
    assert r100.symbol == "R_100" and r100.name == "Volatility 100 Index"
    assert r100.base_asset == "R_100" and r100.quote_asset == "USD"
    assert r100.tick_size == D("0.01") and str(r100.tick_size) == "0.01"
    assert r100.group == "Derived / Continuous Indices"
    assert r100.status is SymbolStatus.TRADING
    assert r100.order_types == ()
    assert r100.lot_size.step_size == D("0.01") and r100.lot_size.min_qty == D("0.35")
    assert r100.amount_step == D("0.01")
    assert eurusd.tick_size == D("0.00001") and eurusd.group == "Forex / Major Pairs"
    assert eurusd.status is SymbolStatus.HALT  # exchange_is_open 0
    assert v50.status is SymbolStatus.HALT  # is_trading_suspended 1
    assert v50.tick_size == D("0.001")


def test_instruments_without_an_account_have_no_quote_asset() -> None:
    assert mapping.instruments(samples.active_symbols())[0].quote_asset == ""


def test_a_missing_field_is_named() -> None:
    answer = samples.active_symbols()
    del answer["active_symbols"][1]["pip"]
    with pytest.raises(MalformedResponse, match=r"active_symbols\[1\]\.pip is missing"):
        mapping.instruments(answer)
    answer = samples.active_symbols()
    answer["active_symbols"][0]["exchange_is_open"] = 7
    with pytest.raises(MalformedResponse, match=r"active_symbols\[0\]\.exchange_is_open should be 0 or 1"):
        mapping.instruments(answer)
    with pytest.raises(MalformedResponse, match="active_symbols should be a list"):
        mapping.instruments({"msg_type": "active_symbols"})


def test_tickers_from_the_spot_and_its_change() -> None:
    r100, eurusd = mapping.tickers(samples.active_symbols())  # 1HZ50V has no spot
    assert r100 == Ticker(
        "R_100", 1_700_000_000_000, D("1234.56"), D("1210.35"), D("1234.56"), D("1234.56"), D(0), D(0)
    )
    assert r100.change_ratio.quantize(D("0.0001")) == D("0.0200")
    assert eurusd.last == D("1.08123")
    assert eurusd.open == D("1.08394")  # 1.08123 / 0.9975, to the pip
    assert eurusd.time_ms == 1_699_999_990_000


def test_a_ticker_without_spot_time_is_stamped_now() -> None:
    item = _items()[0]
    raw = dict(item.raw)
    del raw["spot_time"]
    ticker = mapping.symbol_ticker(WireObject(raw, "x"), now_ms=42)
    assert ticker is not None and ticker.time_ms == 42


def test_history_ticks() -> None:
    trades = mapping.history_trades(samples.tick_history(), "R_100", D("0.01"))
    assert trades == [
        PublicTrade("R_100", 1_700_000_000_000, D("1234.50"), D(0), False, "1700000000"),
        PublicTrade("R_100", 1_700_000_002_000, D("1234.62"), D(0), False, "1700000002"),
        PublicTrade("R_100", 1_700_000_004_000, D("1234.70"), D(0), False, "1700000004"),
    ]
    assert str(trades[0].price) == "1234.50"  # quantized to the pip
    # Without a known pip the answer's pip_size (decimals) is used.
    assert str(mapping.history_trades(samples.tick_history(), "R_100")[2].price) == "1234.70"


def test_history_ticks_must_pair_up() -> None:
    answer = samples.tick_history()
    answer["history"]["times"].pop()
    with pytest.raises(MalformedResponse, match="3 prices for 2 times"):
        mapping.history_trades(answer, "R_100")


def test_a_tick() -> None:
    trade, bid, ask = mapping.tick_trade(samples.tick())
    assert trade == PublicTrade("R_100", 1_700_000_006_000, D("1234.80"), D(0), False, "1700000006")
    assert (bid, ask) == (D("1234.79"), D("1234.81"))
    answer = samples.tick()
    del answer["tick"]["quote"]
    with pytest.raises(MalformedResponse, match=r"tick\.quote is missing"):
        mapping.tick_trade(answer)


def test_a_tick_keeps_the_tickers_open() -> None:
    before = mapping.tickers(samples.active_symbols())[0]
    trade, bid, ask = mapping.tick_trade(samples.tick())
    after = mapping.tick_ticker(trade, before, bid, ask)
    assert after.open == before.open
    assert after.last == after.high == after.low == D("1234.80")
    assert (after.best_bid, after.best_ask) == (D("1234.79"), D("1234.81"))
    assert mapping.tick_ticker(trade, None, None, None).open == D("1234.80")


def test_history_candles() -> None:
    first, second = mapping.history_candles(samples.candles(), Interval.M1, D("0.01"))
    assert first.open_time_ms == 1_699_999_980_000
    assert first.close_time_ms == 1_700_000_039_999
    assert (str(first.open), str(first.high), str(first.low), str(first.close)) == (
        "1234.25",
        "1235.01",
        "1234.20",
        "1234.90",
    )
    assert first.volume == 0
    assert second.open_time_ms == 1_700_000_040_000


def test_an_ohlc_message_with_string_prices() -> None:
    symbol, candle = mapping.ohlc_candle(samples.ohlc(), Interval.M1)
    assert symbol == "R_100"
    assert candle.open_time_ms == 1_700_000_040_000  # the candle's open_time, not the tick's epoch
    assert candle.close_time_ms == 1_700_000_099_999
    assert (candle.open, candle.high, candle.low, candle.close) == (
        D("1234.90"),
        D("1235.70"),
        D("1234.80"),
        D("1235.62"),
    )
    answer = samples.ohlc()
    answer["ohlc"]["close"] = "n/a"
    with pytest.raises(MalformedResponse, match=r"ohlc\.close is not a number"):
        mapping.ohlc_candle(answer, Interval.M1)


def test_pip_helpers() -> None:
    assert mapping.pip_of(2, "pip_size") == D("0.01")
    assert mapping.pip_of(5, "pip_size") == D("0.00001")
    assert mapping.at_pip(D("1.23456"), D("0.01")) == D("1.23")
    assert mapping.at_pip(D("1.23456"), None) == D("1.23456")
