"""Holdings of a securities account (a stock broker, ``capabilities.positions``): quantity, cost,
last price, market value and unrealized profit per symbol, and the account's equity under them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from terminal.domain.decimals import ZERO
from terminal.domain.instrument import Instrument
from terminal.domain.securities import Position
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.table_model import RIGHT, Column, RowTableModel


class _Row:
    __slots__ = ("instrument", "position")

    def __init__(self, position: Position, instrument: Instrument | None) -> None:
        self.position, self.instrument = position, instrument

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Row) and other.position == self.position

    __hash__ = None  # type: ignore[assignment]


def _pnl_color(row: _Row) -> QColor | None:
    pnl = row.position.unrealized_pnl
    return theme.current().color("buy" if pnl > 0 else "sell") if pnl else None


def _money(value: Decimal, row: _Row) -> str:
    return f"{fmt.amount(value)} {row.position.currency}".rstrip()


def _signed(value: Decimal) -> str:
    return f"+{fmt.amount(value)}" if value > 0 else fmt.amount(value)


COLUMNS: list[Column[_Row]] = [
    Column("Symbol", lambda r: r.position.symbol, bold=lambda r: True),
    Column("Qty", lambda r: fmt.qty(r.position.quantity, r.instrument), RIGHT, mono=True),
    Column("Available", lambda r: fmt.qty(r.position.sellable, r.instrument), RIGHT, mono=True),
    Column("Avg cost", lambda r: fmt.price(r.position.cost_price, r.instrument), RIGHT, mono=True),
    Column("Last", lambda r: fmt.price(r.position.last_price, r.instrument), RIGHT, mono=True),
    Column("Market value", lambda r: _money(r.position.market_value, r), RIGHT, mono=True),
    Column("P&L", lambda r: _signed(r.position.unrealized_pnl), RIGHT, _pnl_color, mono=True),
    Column("P&L %", lambda r: fmt.percent(r.position.unrealized_pnl_ratio), RIGHT, _pnl_color, mono=True),
]


def equity_text(positions: Mapping[str, Position], cash: Decimal | None, currency: str) -> str:
    """ "Equity 12,345.67 USD · Unrealized P&L +1,234.56 USD", counting the holdings in ``currency``
    (the cash unknown: holdings only)."""
    counted = [p for p in positions.values() if p.currency in ("", currency)]
    value = sum((p.market_value for p in counted), ZERO)
    pnl = sum((p.unrealized_pnl for p in counted), ZERO)
    other = len(positions) - len(counted)
    note = f" (without {other} holding{'s' if other > 1 else ''} in other currencies)" if other else ""
    label = "Equity" if cash is not None else "Holdings"
    total = value + (cash or ZERO)
    return f"{label} {fmt.amount(total)} {currency} · Unrealized P&L {_signed(pnl)} {currency}{note}"


class PositionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("positionsView")
        self.model: RowTableModel[_Row] = RowTableModel(COLUMNS, theme.mono_font())
        self.table = QTableView()
        self.table.setObjectName("positionsTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.total = QLabel()
        self.total.setFont(theme.mono_font())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Positions"))
        layout.addWidget(self.table)
        layout.addWidget(self.total)

    def show_positions(
        self,
        positions: Mapping[str, Position],
        instruments: Mapping[str, Instrument],
        cash: Decimal | None,
        currency: str,
    ) -> None:
        self.model.replace_all(
            {symbol: _Row(position, instruments.get(symbol)) for symbol, position in sorted(positions.items())}
        )
        self.total.setText(equity_text(positions, cash, currency) if positions else "No holdings.")

    def clear(self) -> None:
        self.model.clear()
        self.total.clear()
