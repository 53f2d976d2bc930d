"""Filters and paging of 004's order and trade queries ("Get Current Open Orders", "Get All Traded
Orders", "Get Account Trade List"): newest first, ``limit`` defaulting to 500 and capped at 1000."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from terminal.demo.errors import demo_error
from terminal.demo.records import AccountTrade, OrderRecord, OrderView
from terminal.domain.enums import Side

DEFAULT_LIMIT = 500  # 004: "Default 500, Maximum 1000"
MAX_LIMIT = 1000


def clamp_limit(limit: int | None, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    """The page size to use: the default when absent or not positive, never above the maximum."""
    if limit is None or limit <= 0:
        return default
    return min(limit, maximum)


def parse_id(value: str | None, name: str) -> int | None:
    """An order or trade id given as text; "-1130 Illegal parameter" if it is not digits."""
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise demo_error("-1130", f"'{name}'")
    return int(value)


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders a query wants. ``before_id``: only ids smaller than it (004's fromOrderId of
    tradeOrders, "return orders whose orders' id are smaller than this orderId"). Times are inclusive."""

    symbol: str | None = None
    side: Side | None = None
    before_id: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None

    def accepts(self, record: OrderRecord) -> bool:
        return (
            (self.symbol is None or record.symbol == self.symbol)
            and (self.side is None or record.side is self.side)
            and (self.before_id is None or record.seq < self.before_id)
            and (self.start_ms is None or record.created_ms >= self.start_ms)
            and (self.end_ms is None or record.created_ms <= self.end_ms)
        )


def select_orders(records: Iterable[OrderRecord], wanted: OrderFilter, limit: int) -> list[OrderView]:
    """The ``limit`` newest (largest id) matching orders, newest first."""
    chosen = heapq.nlargest(limit, (r for r in records if wanted.accepts(r)), key=lambda r: r.seq)
    return [record.view() for record in chosen]


@dataclass(frozen=True, slots=True)
class TradeFilter:
    """004, "Get Account Trade List": fromId "trades with IDs bigger than fromId", toId "IDs less
    than toId"; times inclusive."""

    symbol: str | None = None
    client_order_id: str | None = None
    from_id: int | None = None
    to_id: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None

    def accepts(self, trade: AccountTrade) -> bool:
        seq = trade.seq
        return (
            (self.symbol is None or trade.symbol == self.symbol)
            and (self.client_order_id is None or trade.client_order_id == self.client_order_id)
            and (self.from_id is None or seq > self.from_id)
            and (self.to_id is None or seq < self.to_id)
            and (self.start_ms is None or trade.time_ms >= self.start_ms)
            and (self.end_ms is None or trade.time_ms <= self.end_ms)
        )


def select_trades(trades: Sequence[AccountTrade], wanted: TradeFilter, limit: int) -> list[AccountTrade]:
    """Matching trades, newest first. ``trades`` ascend by id.

    With fromId the page is the ``limit`` trades just above it, so that paging forward from the
    last id seen misses nothing; otherwise it is the newest ``limit`` (below toId, if given).
    """
    if wanted.from_id is not None:
        out: list[AccountTrade] = []
        for trade in trades:
            if wanted.accepts(trade):
                out.append(trade)
                if len(out) >= limit:
                    break
        out.reverse()
        return out
    newest: list[AccountTrade] = []
    for trade in reversed(trades):
        if wanted.accepts(trade):
            newest.append(trade)
            if len(newest) >= limit:
                break
    return newest
