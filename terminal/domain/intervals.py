"""Candle intervals (004, "Get Kline": 1m ... 1M) and the time arithmetic of candle boundaries."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

_MINUTE = 60_000


class Interval(StrEnum):
    M1 = "1m"
    M3 = "3m"
    M5 = "5m"
    M15 = "15m"
    M30 = "30m"
    H1 = "1h"
    H2 = "2h"
    H4 = "4h"
    H6 = "6h"
    H8 = "8h"
    H12 = "12h"
    D1 = "1d"
    W1 = "1w"
    MONTH = "1M"

    @property
    def nominal_ms(self) -> int:
        """Length of one candle; for 1M a 30-day month (only for estimates: use ``open_time``)."""
        return _NOMINAL[self]

    def open_time(self, time_ms: int) -> int:
        """Open time (ms, UTC) of the candle containing ``time_ms``.

        Weeks open on Monday 00:00 UTC and months on the 1st, as on the venues' charts.
        """
        if self is Interval.MONTH:
            moment = dt.datetime.fromtimestamp(time_ms / 1000, tz=dt.UTC)
            start = dt.datetime(moment.year, moment.month, 1, tzinfo=dt.UTC)
            return int(start.timestamp() * 1000)
        if self is Interval.W1:
            monday = 4 * 86_400_000  # 1970-01-01 was a Thursday; 1970-01-05 a Monday
            return time_ms - (time_ms - monday) % self.nominal_ms
        return time_ms - time_ms % self.nominal_ms

    def next_open(self, open_time_ms: int) -> int:
        """Open time of the candle after the one opening at ``open_time_ms``."""
        if self is Interval.MONTH:
            moment = dt.datetime.fromtimestamp(open_time_ms / 1000, tz=dt.UTC)
            year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
            return int(dt.datetime(year, month, 1, tzinfo=dt.UTC).timestamp() * 1000)
        return open_time_ms + self.nominal_ms


_NOMINAL = {
    Interval.M1: _MINUTE,
    Interval.M3: 3 * _MINUTE,
    Interval.M5: 5 * _MINUTE,
    Interval.M15: 15 * _MINUTE,
    Interval.M30: 30 * _MINUTE,
    Interval.H1: 60 * _MINUTE,
    Interval.H2: 120 * _MINUTE,
    Interval.H4: 240 * _MINUTE,
    Interval.H6: 360 * _MINUTE,
    Interval.H8: 480 * _MINUTE,
    Interval.H12: 720 * _MINUTE,
    Interval.D1: 1440 * _MINUTE,
    Interval.W1: 7 * 1440 * _MINUTE,
    Interval.MONTH: 30 * 1440 * _MINUTE,
}
