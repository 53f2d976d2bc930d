"""Orders and fills as CSV files for spreadsheets and tax tools: exact decimals, UTC times, no formulas.

A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) is prefixed with a single quote; numbers are written as plain decimals and left alone, so
a negative number stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from terminal.domain.decimals import mul, to_plain
from terminal.domain.orders import Fill, Order
from terminal.storage.atomic_file import write_atomically

Row = TypeVar("Row")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """The file could not be written; the message is a sentence for the user."""


def iso_time(time_ms: int) -> str:
    """ISO 8601 UTC with milliseconds (2026-11-22T10:15:30.123Z); empty for an unknown (zero) time."""
    if time_ms <= 0:
        return ""
    seconds, millis = divmod(time_ms, 1000)
    return f"{datetime.fromtimestamp(seconds, UTC):%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"


def text_cell(value: str | None) -> str:
    """A text as a cell no spreadsheet evaluates."""
    if not value:
        return ""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def number_cell(value: Decimal | None) -> str:
    return "" if value is None else to_plain(value)


def _order_row(order: Order) -> list[str]:
    filled = order.executed_qty > 0
    return [
        iso_time(order.created_ms),
        text_cell(order.client_order_id),
        text_cell(order.order_id),
        text_cell(order.symbol),
        text_cell(order.side.value),
        text_cell(order.type.value),
        text_cell(order.time_in_force.value if order.time_in_force else None),
        number_cell(order.price),
        number_cell(order.quantity),
        number_cell(order.amount),
        text_cell(order.status.value),
        number_cell(order.executed_qty),
        number_cell(order.cumulative_quote_qty),
        number_cell(order.average_price if filled else None),
        iso_time(order.updated_ms),
        text_cell(order.reject_reason or order.cancel_reason),
    ]


def _fill_row(fill: Fill) -> list[str]:
    return [
        iso_time(fill.time_ms),
        text_cell(fill.trade_id),
        text_cell(fill.order_id),
        text_cell(fill.client_order_id),
        text_cell(fill.symbol),
        text_cell(fill.side.value),
        number_cell(fill.price),
        number_cell(fill.quantity),
        number_cell(mul(fill.price, fill.quantity)),
        number_cell(fill.commission),
        text_cell(fill.commission_asset),
        "maker" if fill.is_maker else "taker",
    ]


ORDER_HEADER = (
    "time",
    "client_order_id",
    "order_id",
    "symbol",
    "side",
    "type",
    "time_in_force",
    "price",
    "quantity",
    "amount",
    "status",
    "executed_qty",
    "cumulative_quote_qty",
    "avg_price",
    "updated_time",
    "reason",
)
FILL_HEADER = (
    "time",
    "trade_id",
    "order_id",
    "client_order_id",
    "symbol",
    "side",
    "price",
    "quantity",
    "quote_qty",
    "fee",
    "fee_asset",
    "role",
)


def _write(path: Path, header: Sequence[str], rows: Iterable[Row], to_cells: Callable[[Row], list[str]]) -> int:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(to_cells(row))
        count += 1
    try:
        write_atomically(path, buffer.getvalue().encode("utf-8"))
    except OSError as error:
        raise ExportError(f"The file {path} could not be written ({error.strerror or error}).") from None
    return count


def write_orders_csv(path: Path, orders: Iterable[Order]) -> int:
    """Write one row per order (header first), atomically; returns the number of orders. Raises ExportError."""
    return _write(path, ORDER_HEADER, orders, _order_row)


def write_fills_csv(path: Path, fills: Iterable[Fill]) -> int:
    """Write one row per fill (header first), atomically; returns the number of fills. Raises ExportError."""
    return _write(path, FILL_HEADER, fills, _fill_row)
