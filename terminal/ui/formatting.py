"""Numbers and times as the screen shows them: the instrument's precision, grouped thousands, UTC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from terminal.domain.decimals import format_decimal
from terminal.domain.instrument import Instrument


def price(value: Decimal | None, instrument: Instrument | None, grouping: bool = True) -> str:
    if value is None:
        return ""
    return format_decimal(value, instrument.tick_size if instrument else None, grouping=grouping)


def qty(value: Decimal | None, instrument: Instrument | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, instrument.step_size if instrument else None, grouping=True)


def amount(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return ""
    return format_decimal(value, Decimal(1).scaleb(-places), grouping=True)


def percent(ratio: Decimal | None) -> str:
    if ratio is None:
        return ""
    return f"{ratio * 100:+.2f} %"


def compact(value: Decimal | None) -> str:
    """Large volumes in a few digits: 1.23 M, 45.6 K."""
    if value is None:
        return ""
    v = float(value)
    for limit, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " K")):
        if abs(v) >= limit:
            return f"{v / limit:,.2f}{suffix}"
    return f"{v:,.2f}"


def clock(time_ms: int) -> str:
    """HH:MM:SS.mmm in UTC (the venue's time zone)."""
    moment = dt.datetime.fromtimestamp(time_ms / 1000, tz=dt.UTC)
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def stamp(time_ms: int) -> str:
    """YYYY-MM-DD HH:MM:SS in UTC."""
    if time_ms <= 0:
        return ""
    return dt.datetime.fromtimestamp(time_ms / 1000, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
