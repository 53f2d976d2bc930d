"""The terminal's view of the account against the venue's ground truth (``/_demo/state``).

Working orders are compared by client order id (status, executed, original quantity, price),
fills by trade id (order, price, quantity, commission), balances by asset (free, locked).
Every difference is listed; none means the terminal shows what the venue holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.domain.balance import Balance
from terminal.domain.decimals import to_plain
from terminal.domain.enums import OrderStatus
from terminal.domain.orders import Fill, Order

# "/_demo/state" answers at most this many fills (newest first), like "Get Account Trade List".
STATE_FILL_LIMIT = 1000
UNSETTLED = frozenset({OrderStatus.SUBMITTING, OrderStatus.UNKNOWN, OrderStatus.CANCEL_REQUESTED})


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str  # order, fill, balance
    key: str  # client order id, trade id, asset
    terminal: str
    venue: str

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: terminal {self.terminal}; venue {self.venue}"


def compare(
    orders: Iterable[Order],
    fills: Iterable[Fill],
    balances: Mapping[str, Balance],
    state: Mapping[str, Any],
    *,
    since_ms: int = 0,
) -> list[Difference]:
    """Every difference between the terminal's stores and the venue's state.

    Fills older than ``since_ms`` (before the terminal connected) are left out: the terminal loads
    only a page of earlier history.
    """
    return [
        *compare_orders(orders, state.get("openOrders", [])),
        *compare_fills(fills, state.get("fills", []), since_ms=since_ms),
        *compare_balances(balances, state.get("balances", [])),
    ]


def compare_orders(orders: Iterable[Order], open_rows: Iterable[Mapping[str, Any]]) -> list[Difference]:
    known = {o.client_order_id: o for o in orders}
    working = {cid: o for cid, o in known.items() if o.status.is_working}
    venue_open = {str(row["clientOrderId"]): row for row in open_rows}
    out: list[Difference] = []
    for cid in sorted(working.keys() - venue_open.keys()):
        out.append(Difference("order", cid, f"shows it {working[cid].status}", "has no such open order"))
    for cid in sorted(venue_open.keys() - working.keys()):
        row = venue_open[cid]
        mine = known.get(cid)
        terminal = f"shows it {mine.status}" if mine is not None else "does not know it"
        out.append(Difference("order", cid, terminal, f"has it open ({row['status']}, executed {row['executedQty']})"))
    for cid in sorted(working.keys() & venue_open.keys()):
        mine, row = working[cid], venue_open[cid]
        fields = [
            ("status", str(mine.status), str(row["status"])),
            ("executed", to_plain(mine.executed_qty), _plain(row["executedQty"])),
            ("quantity", to_plain(mine.quantity), _plain(row["origQty"])),
        ]
        if mine.price is not None:
            fields.append(("price", to_plain(mine.price), _plain(row["price"])))
        out += [_field_difference("order", cid, *f) for f in fields if f[1] != f[2]]
    return out


def compare_fills(fills: Iterable[Fill], rows: Iterable[Mapping[str, Any]], *, since_ms: int = 0) -> list[Difference]:
    venue_rows = list(rows)
    start = since_ms
    if len(venue_rows) >= STATE_FILL_LIMIT:
        # The venue's list was cut at its limit: compare only what lies strictly after its oldest fill.
        start = max(start, min(int(r["time"]) for r in venue_rows) + 1)
    venue = {str(r["id"]): r for r in venue_rows if int(r["time"]) >= start}
    mine = {f.trade_id: f for f in fills if f.time_ms >= start}
    out: list[Difference] = []
    for trade_id in sorted(mine.keys() - venue.keys()):
        f = mine[trade_id]
        out.append(Difference("fill", trade_id, f"has {to_plain(f.quantity)} of {f.client_order_id}", "has none"))
    for trade_id in sorted(venue.keys() - mine.keys()):
        r = venue[trade_id]
        out.append(Difference("fill", trade_id, "has none", f"has {_plain(r['qty'])} of {r['clientOrderId']}"))
    for trade_id in sorted(mine.keys() & venue.keys()):
        f, r = mine[trade_id], venue[trade_id]
        fields = [
            ("client order id", f.client_order_id, str(r["clientOrderId"])),
            ("price", to_plain(f.price), _plain(r["price"])),
            ("quantity", to_plain(f.quantity), _plain(r["qty"])),
            ("commission", to_plain(f.commission), _plain(r["commission"])),
            ("commission asset", f.commission_asset, str(r["commissionAsset"])),
        ]
        out += [_field_difference("fill", trade_id, *field) for field in fields if field[1] != field[2]]
    return out


def compare_balances(balances: Mapping[str, Balance], rows: Iterable[Mapping[str, Any]]) -> list[Difference]:
    venue = {str(r["asset"]): (Decimal(str(r["free"])), Decimal(str(r["locked"]))) for r in rows}
    mine = {asset: (b.free, b.locked) for asset, b in balances.items()}
    out: list[Difference] = []
    for asset in sorted(mine.keys() | venue.keys()):
        zero = (Decimal(0), Decimal(0))
        free, locked = mine.get(asset, zero)
        venue_free, venue_locked = venue.get(asset, zero)
        if free != venue_free or locked != venue_locked:
            out.append(
                Difference(
                    "balance",
                    asset,
                    f"free {to_plain(free)} locked {to_plain(locked)}" if asset in mine else "has no balance",
                    f"free {to_plain(venue_free)} locked {to_plain(venue_locked)}" if asset in venue else "has none",
                )
            )
    return out


def unsettled(orders: Iterable[Order]) -> list[Order]:
    """Orders whose fate the terminal does not know yet (request or cancel in flight, outcome unknown)."""
    return [o for o in orders if o.status in UNSETTLED]


def _field_difference(kind: str, key: str, name: str, terminal: str, venue: str) -> Difference:
    return Difference(kind, key, f"{name} {terminal}", f"{name} {venue}")


def _plain(value: object) -> str:
    return to_plain(Decimal(str(value)))
