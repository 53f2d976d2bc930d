"""The OHLCV readout: a candle's exact values, with the instrument's decimals, and its open time in UTC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from terminal.domain.decimals import format_decimal, is_multiple
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle

_DAY_MS = 86_400_000


def exact(value: Decimal, step: Decimal | None) -> str:
    """``value`` with the decimals of ``step``, or with all of its own if the step would round it."""
    if step is not None and step > 0 and is_multiple(value, step):
        return format_decimal(value, step, grouping=True)
    return format_decimal(value, None, grouping=True)


def open_time_text(open_time_ms: int, interval: Interval) -> str:
    moment = dt.datetime.fromtimestamp(open_time_ms / 1000, tz=dt.UTC)
    if interval.nominal_ms >= _DAY_MS:
        return moment.strftime("%Y-%m-%d UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def readout_text(candle: Candle, interval: Interval, tick: Decimal | None, step: Decimal | None) -> str:
    return (
        f"{open_time_text(candle.open_time_ms, interval)}   "
        f"O {exact(candle.open, tick)}   H {exact(candle.high, tick)}   "
        f"L {exact(candle.low, tick)}   C {exact(candle.close, tick)}   V {exact(candle.volume, step)}"
    )
