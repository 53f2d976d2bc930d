"""Column specs of the contracts view's four tables: open contracts, portfolio, statement, profit table."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from PySide6.QtGui import QColor

from terminal.domain.contracts import ClosedContract, ContractStatus, OpenContract, PortfolioEntry, Transaction
from terminal.ui import theme
from terminal.ui.contracts.contract_text import local_stamp, money, type_label
from terminal.ui.table_model import RIGHT, Column, RowTableModel

SELL_TEXT = "Sell"
Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class ContractRow:
    """An open (or, this session, closed) contract and whether the user may sell it now."""

    contract: OpenContract
    refusal: str  # why it cannot be sold now; empty when it can
    selling: bool = False

    @property
    def sellable(self) -> bool:
        return not self.refusal and not self.selling


def _signed(value: Decimal | None) -> QColor | None:
    if value is None or value == 0:
        return None
    return theme.current().color("buy" if value > 0 else "sell")


def _muted_if_closed(row: ContractRow) -> QColor | None:
    return None if row.contract.is_open else theme.current().color("muted")


def _status_color(row: ContractRow) -> QColor | None:
    status = row.contract.status
    if status is ContractStatus.WON:
        return theme.current().color("buy")
    if status is ContractStatus.LOST:
        return theme.current().color("sell")
    return _muted_if_closed(row)


def _sell_text(row: ContractRow) -> str:
    if row.selling:
        return "selling…"
    return f"✕ {SELL_TEXT.lower()}" if row.sellable else ""


def _sell_color(row: ContractRow) -> QColor | None:
    return theme.current().color("sell") if row.sellable else theme.current().color("muted")


def _sell_tooltip(row: ContractRow) -> str:
    if row.selling:
        return "A sale is on its way"
    return f"Cannot be sold: {row.refusal}" if row.refusal else "Sell at the market price now"


def _bid(row: ContractRow) -> str:
    contract = row.contract
    if contract.is_open:
        return money(contract.bid_price)
    return money(contract.sell_price)


OPEN_COLUMNS: list[Column[ContractRow]] = [
    Column("Contract", lambda r: str(r.contract.contract_id), mono=True, color=_muted_if_closed),
    Column(
        "Symbol",
        lambda r: r.contract.symbol,
        color=_muted_if_closed,
        tooltip=lambda r: r.contract.display_name or r.contract.symbol,
    ),
    Column(
        "Type",
        lambda r: type_label(r.contract.contract_type),
        color=_muted_if_closed,
        tooltip=lambda r: r.contract.longcode,
    ),
    Column("Buy price", lambda r: money(r.contract.buy_price), RIGHT, mono=True, color=_muted_if_closed),
    Column(
        "Sell value",
        _bid,
        RIGHT,
        mono=True,
        color=_muted_if_closed,
        tooltip=lambda r: "What selling now pays" if r.contract.is_open else "What it ended at",
    ),
    Column(
        "Profit",
        lambda r: money(r.contract.profit, signed=True),
        RIGHT,
        mono=True,
        color=lambda r: _signed(r.contract.profit),
    ),
    Column("Payout", lambda r: money(r.contract.payout), RIGHT, mono=True, color=_muted_if_closed),
    Column("Expiry", lambda r: local_stamp(r.contract.expiry_time_ms), mono=True, color=_muted_if_closed),
    Column("Status", lambda r: r.contract.status.value, color=_status_color),
    Column(SELL_TEXT, _sell_text, color=_sell_color, tooltip=_sell_tooltip),
]
SELL_COLUMN = len(OPEN_COLUMNS) - 1

PORTFOLIO_COLUMNS: list[Column[PortfolioEntry]] = [
    Column("Contract", lambda e: str(e.contract_id), mono=True),
    Column("Symbol", lambda e: e.symbol),
    Column("Type", lambda e: type_label(e.contract_type), tooltip=lambda e: e.longcode),
    Column("Buy price", lambda e: money(e.buy_price), RIGHT, mono=True),
    Column("Payout", lambda e: money(e.payout), RIGHT, mono=True),
    Column("Bought", lambda e: local_stamp(e.purchase_time_ms), mono=True),
    Column("Expiry", lambda e: local_stamp(e.expiry_time_ms), mono=True),
    Column("Description", lambda e: e.longcode, tooltip=lambda e: e.longcode),
]

STATEMENT_COLUMNS: list[Column[Transaction]] = [
    Column("Time", lambda t: local_stamp(t.time_ms), mono=True),
    Column("Action", lambda t: t.action),
    Column("Amount", lambda t: money(t.amount, signed=True), RIGHT, mono=True, color=lambda t: _signed(t.amount)),
    Column("Balance after", lambda t: money(t.balance_after), RIGHT, mono=True),
    Column("Contract", lambda t: str(t.contract_id) if t.contract_id is not None else "", mono=True),
    Column("Description", lambda t: t.longcode, tooltip=lambda t: t.longcode),
]

PROFIT_COLUMNS: list[Column[ClosedContract]] = [
    Column("Contract", lambda c: str(c.contract_id) if c.contract_id is not None else "", mono=True),
    Column("Type", lambda c: type_label(c.contract_type), tooltip=lambda c: c.longcode),
    Column("Symbol", lambda c: c.symbol),
    Column("Buy", lambda c: money(c.buy_price), RIGHT, mono=True),
    Column("Sell", lambda c: money(c.sell_price), RIGHT, mono=True),
    Column("Profit", lambda c: money(c.profit, signed=True), RIGHT, mono=True, color=lambda c: _signed(c.profit)),
    Column("Bought", lambda c: local_stamp(c.purchase_time_ms), mono=True),
    Column("Sold", lambda c: local_stamp(c.sell_time_ms), mono=True),
]

# Initial widths in pixels: the user resizes; nothing is measured on live tables (DESIGN.md pitfalls).
STAMP = 165  # "2024-05-01 12:34:56" in the monospaced font
OPEN_WIDTHS = (110, 80, 130, 80, 80, 80, 80, STAMP, 56, 64)
PORTFOLIO_WIDTHS = (110, 80, 130, 80, 80, STAMP, STAMP)
STATEMENT_WIDTHS = (STAMP, 70, 90, 110, 110)
PROFIT_WIDTHS = (110, 130, 80, 80, 80, 80, STAMP, STAMP)


def show_in_order(model: RowTableModel[Row], rows: Mapping[Hashable, Row], key_of: Callable[[Row], Hashable]) -> None:
    """Make ``model`` hold ``rows`` in their order (the venue's: newest first), changing only rows that changed.

    Rows of a history list change seldom (a refresh): a reorder when a new line came is cheap there."""
    model.replace_all(rows)
    if model.row_keys() != list(rows):
        position = {key: i for i, key in enumerate(rows)}
        model.sort_by(lambda row: position[key_of(row)])
