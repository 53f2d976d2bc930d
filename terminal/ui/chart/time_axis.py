"""The time axis: ticks on round UTC times (minutes to years) labelled with dates and times, and the
same ticks for the grid."""

from __future__ import annotations

import datetime as dt
import functools
import math

from terminal.ui.chart.lean_axis import LeanAxis

MINUTE, HOUR, DAY = 60, 3600, 86_400
_FIXED = (MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY)
_WEEK = 7 * DAY
_MONDAY = 4 * DAY  # 1970-01-05, the first Monday after the epoch
_MONTHS = (1, 3, 6, 12, 24, 60, 120)
MIN_LABEL_PX = 110.0


def _month_index(seconds: float) -> int:
    moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return (moment.year - 1970) * 12 + moment.month - 1


def _month_start(index: int) -> float:
    return dt.datetime(1970 + index // 12, index % 12 + 1, 1, tzinfo=dt.UTC).timestamp()


def time_ticks(x0: float, x1: float, pixels: float, min_px: float = MIN_LABEL_PX) -> tuple[float, list[float]]:
    """(step in seconds, tick times) for seconds x0..x1 drawn over ``pixels``: round UTC times at
    least ``min_px`` apart (weeks start on Monday, months on the 1st)."""
    if pixels <= 0 or x1 <= x0:
        return 0.0, []
    wanted = (x1 - x0) / pixels * min_px
    for step in (*_FIXED, _WEEK):
        if step >= wanted:
            origin = _MONDAY if step == _WEEK else 0
            first = math.ceil((x0 - origin) / step) * step + origin
            return float(step), [float(t) for t in range(int(first), int(x1) + 1, step)]
    months = next((m for m in _MONTHS if m * 30 * DAY >= wanted), None)
    if months is None:
        months = 12 * 10 ** math.ceil(math.log10(wanted / (365 * DAY)))
    first = -(-_month_index(x0) // months) * months
    ticks = []
    index = first
    while (t := _month_start(index)) <= x1:
        if t >= x0:
            ticks.append(t)
        index += months
    return float(months * 30 * DAY), ticks


@functools.lru_cache(maxsize=1024)  # a pan redraws the same ticks frame after frame
def time_label(seconds: float, step: float) -> str:
    moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    if step >= 360 * DAY:
        return moment.strftime("%Y")
    if step >= 28 * DAY:
        return moment.strftime("%Y") if moment.month == 1 else moment.strftime("%b")
    if step >= DAY or (moment.hour == 0 and moment.minute == 0):
        return moment.strftime("%b %d").replace(" 0", " ")
    return moment.strftime("%H:%M")


class TimeAxis(LeanAxis):
    """Bottom axis for x in UTC epoch seconds."""

    def __init__(self) -> None:
        super().__init__("bottom")

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        step, ticks = time_ticks(minVal, maxVal, size)
        return [(step, ticks)] if ticks else []

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [time_label(value, spacing) for value in values]
