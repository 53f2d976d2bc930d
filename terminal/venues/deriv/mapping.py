"""Deriv market data to domain objects (symbols, ticks, candles, tickers): numbers exact, prices at their
symbol's pip, a missing or malformed field a ``MalformedResponse`` that names it."""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from terminal.domain.contracts import MAX_AMOUNT
from terminal.domain.decimals import ONE, ZERO, quantize
from terminal.domain.enums import SymbolStatus
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle, PublicTrade, Ticker
from terminal.venues.wire import WireObject, as_decimal, as_int, as_list, malformed

# Stakes and payouts are amounts of the account currency, in cents. 0.35 is the smallest stake the venue
# offers on its synthetic indices; larger minimums (and every maximum) come back as proposal errors.
AMOUNT_STEP = Decimal("0.01")
MIN_AMOUNT = Decimal("0.35")


def bit(obj: WireObject, key: str, default: int = 0) -> bool:
    """A 0/1 field ("exchange_is_open": 1) as a bool."""
    value = obj.opt_integer(key, default)
    if value not in (0, 1):
        raise malformed(f"{obj.path}.{key}", f"should be 0 or 1, got {value}")
    return value == 1


def at_pip(value: Decimal, pip: Decimal | None) -> Decimal:
    """A price rounded to its symbol's pip (unchanged when the pip is not known)."""
    return quantize(value, pip) if pip is not None and pip > ZERO else value


def pip_of(pip_size: object, path: str) -> Decimal:
    """``pip_size`` (a number of decimals: 2) as a step (0.01)."""
    return ONE.scaleb(-as_int(pip_size, path))


def _ms(seconds: int) -> int:
    return seconds * 1000


# ---- symbols and tickers ----------------------------------------------------------------------------


def instrument(item: WireObject, currency: str = "") -> Instrument:
    """One active_symbols entry; ``currency`` is the account's (what stakes are paid in)."""
    symbol = item.text("symbol")
    open_ = bit(item, "exchange_is_open")
    suspended = bit(item, "is_trading_suspended")
    return Instrument(
        symbol=symbol,
        base_asset=symbol,
        quote_asset=currency,
        price_filter=PriceFilter(tick_size=item.decimal("pip")),
        lot_size=LotSize(min_qty=MIN_AMOUNT, max_qty=MAX_AMOUNT, step_size=AMOUNT_STEP),
        status=SymbolStatus.TRADING if open_ and not suspended else SymbolStatus.HALT,
        name=item.opt_text("display_name", symbol),
        quote_precision=AMOUNT_STEP,
        order_types=(),
        group=f"{item.text('market_display_name')} / {item.text('submarket_display_name')}",
        flags={"exchange_is_open": open_, "is_trading_suspended": suspended},
    )


def instruments(answer: Mapping[str, Any], currency: str = "") -> list[Instrument]:
    return [instrument(item, currency) for item in WireObject.items(answer.get("active_symbols"), "active_symbols")]


def symbol_ticker(item: WireObject, now_ms: int | None = None) -> Ticker | None:
    """The ticker of an active_symbols entry from its spot and "spot_percentage_change"; None without a spot.

    The change is over the venue's day, so the open is the spot before it: spot / (1 + change / 100).
    There is no day's range or volume in the answer: high and low are the spot, volume is zero.
    """
    if not item.has("spot"):
        return None
    pip = item.decimal("pip")
    last = at_pip(item.decimal("spot"), pip)
    change = item.opt_decimal("spot_percentage_change") or ZERO
    base = ONE + change / 100
    open_ = at_pip(last / base, pip) if base > ZERO else last
    when = _ms(item.opt_integer("spot_time")) or (now_ms if now_ms is not None else int(time.time() * 1000))
    return Ticker(item.text("symbol"), when, last, open_, last, last, ZERO, ZERO)


def tickers(answer: Mapping[str, Any], now_ms: int | None = None) -> list[Ticker]:
    items = WireObject.items(answer.get("active_symbols"), "active_symbols")
    return [t for t in (symbol_ticker(item, now_ms) for item in items) if t is not None]


def tick_ticker(tick: PublicTrade, previous: Ticker | None, bid: Decimal | None, ask: Decimal | None) -> Ticker:
    """A symbol's ticker after a tick: the last price moves; the open stays the one of active_symbols."""
    open_ = previous.open if previous is not None else tick.price
    return Ticker(tick.symbol, tick.time_ms, tick.price, open_, tick.price, tick.price, ZERO, ZERO, bid, ask)


# ---- ticks ----------------------------------------------------------------------------------------------


def _trade(symbol: str, epoch: int, price: Decimal) -> PublicTrade:
    # A tick is a price, not a trade: no quantity, no aggressor; its epoch identifies it.
    return PublicTrade(symbol, _ms(epoch), price, ZERO, False, str(epoch))


def history_trades(answer: Mapping[str, Any], symbol: str, pip: Decimal | None = None) -> list[PublicTrade]:
    """The ticks of a ticks_history answer (style "ticks"), oldest first."""
    history = WireObject(answer.get("history"), "history")
    if pip is None and answer.get("pip_size") is not None:
        pip = pip_of(answer["pip_size"], "pip_size")
    prices = as_list(history.raw.get("prices", []), "history.prices")
    times = as_list(history.raw.get("times", []), "history.times")
    if len(prices) != len(times):
        raise malformed("history", f"has {len(prices)} prices for {len(times)} times")
    trades = [
        _trade(symbol, as_int(epoch, f"history.times[{i}]"), at_pip(as_decimal(price, f"history.prices[{i}]"), pip))
        for i, (epoch, price) in enumerate(zip(times, prices, strict=True))
    ]
    trades.sort(key=lambda t: t.time_ms)
    return trades


def tick_trade(
    answer: Mapping[str, Any], pip: Decimal | None = None
) -> tuple[PublicTrade, Decimal | None, Decimal | None]:
    """A ``tick`` message: the tick as a trade, and the bid and ask it carries (None when absent)."""
    tick = WireObject(answer.get("tick"), "tick")
    if pip is None and tick.has("pip_size"):
        pip = pip_of(tick.raw["pip_size"], "tick.pip_size")
    bid, ask = tick.opt_decimal("bid"), tick.opt_decimal("ask")
    trade = _trade(tick.text("symbol"), tick.integer("epoch"), at_pip(tick.decimal("quote"), pip))
    return trade, at_pip(bid, pip) if bid is not None else None, at_pip(ask, pip) if ask is not None else None


# ---- candles --------------------------------------------------------------------------------------------


def _candle(item: WireObject, open_epoch: int, granularity: int, pip: Decimal | None) -> Candle:
    open_ms = _ms(open_epoch)
    return Candle(
        open_time_ms=open_ms,
        open=at_pip(item.decimal("open"), pip),
        high=at_pip(item.decimal("high"), pip),
        low=at_pip(item.decimal("low"), pip),
        close=at_pip(item.decimal("close"), pip),
        volume=ZERO,  # the venue's prices are quotes, not trades: there is no volume
        close_time_ms=open_ms + granularity * 1000 - 1,
    )


def history_candles(answer: Mapping[str, Any], interval: Interval, pip: Decimal | None = None) -> list[Candle]:
    """The candles of a ticks_history answer (style "candles"), oldest first. Each one's epoch is its open."""
    granularity = interval.nominal_ms // 1000
    if pip is None and answer.get("pip_size") is not None:
        pip = pip_of(answer["pip_size"], "pip_size")
    candles = [
        _candle(item, item.integer("epoch"), granularity, pip)
        for item in WireObject.items(answer.get("candles", []), "candles")
    ]
    candles.sort(key=lambda c: c.open_time_ms)
    return candles


def ohlc_candle(answer: Mapping[str, Any], interval: Interval, pip: Decimal | None = None) -> tuple[str, Candle]:
    """An ``ohlc`` message (the candle in progress; its prices are strings): the symbol and the candle."""
    ohlc = WireObject(answer.get("ohlc"), "ohlc")
    if pip is None and ohlc.has("pip_size"):
        pip = pip_of(ohlc.raw["pip_size"], "ohlc.pip_size")
    granularity = ohlc.opt_integer("granularity", interval.nominal_ms // 1000)
    return ohlc.text("symbol"), _candle(ohlc, ohlc.integer("open_time"), granularity, pip)
