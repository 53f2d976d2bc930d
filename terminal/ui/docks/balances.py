"""Balances: every asset with total, free and locked, its value in USDT, and the total equity."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from terminal.domain.balance import Balance
from terminal.domain.market import Ticker
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.docks.base import SessionDock
from terminal.ui.table_model import RIGHT, Column, RowTableModel
from terminal.ui.throttle import Throttle

VALUATION = "USDT"
_PAR = {"USDT": Decimal(1)}  # the valuation asset itself


def value_in(asset: str, amount: Decimal, tickers: dict[str, Ticker], quote: str = VALUATION) -> Decimal | None:
    """``amount`` of ``asset`` in ``quote`` from last prices: direct pair, inverse pair, or None."""
    if asset == quote:
        return amount
    direct = tickers.get(f"{asset}{quote}")
    if direct is not None and direct.last > 0:
        return amount * direct.last
    inverse = tickers.get(f"{quote}{asset}")
    if inverse is not None and inverse.last > 0:
        return amount / inverse.last
    return None


class _Row:
    __slots__ = ("balance", "value")

    def __init__(self, balance: Balance, value: Decimal | None) -> None:
        self.balance, self.value = balance, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Row) and other.balance == self.balance and other.value == self.value

    __hash__ = None  # type: ignore[assignment]


def _amount(value: Decimal) -> str:
    return fmt.amount(value, 8).rstrip("0").rstrip(".") if value else "0"


COLUMNS: list[Column[_Row]] = [
    Column("Asset", lambda r: r.balance.asset, bold=lambda r: True),
    Column("Total", lambda r: _amount(r.balance.total), RIGHT, mono=True),
    Column("Free", lambda r: _amount(r.balance.free), RIGHT, mono=True),
    Column("Locked", lambda r: _amount(r.balance.locked), RIGHT, mono=True),
    Column(f"Value ({VALUATION})", lambda r: fmt.amount(r.value) if r.value is not None else "n/a", RIGHT, mono=True),
]


class BalancesDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Balances", "balancesDock", parent)
        self.model: RowTableModel[_Row] = RowTableModel(COLUMNS, theme.mono_font())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._revalue = Throttle(self._refresh, parent=self)
        self.equity = QLabel()
        self.equity.setFont(theme.mono_font())
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.equity)
        self.setWidget(body)

    def on_bind(self, session: Session) -> None:
        self.listen(session.account.changed, lambda _: self._refresh())
        # Valuations follow tickers four times a second; the balances themselves show at once.
        self.listen(session.market.changed, lambda change: self._revalue() if change.tickers else None)
        if not session.venue.permissions.can_read:
            self.equity.setText("No API key: balances need a key (see the profile).")
        self._refresh()

    def on_unbind(self) -> None:
        self._revalue.cancel()
        self.model.clear()
        self.equity.clear()

    def _refresh(self) -> None:
        if self.session is None:
            return
        tickers = self.session.market.tickers
        rows = {
            asset: _Row(balance, value_in(asset, balance.total, tickers))
            for asset, balance in sorted(self.session.account.balances.items())
            if balance.total != 0 or balance.asset in _PAR
        }
        self.model.replace_all(rows)
        values = [row.value for row in rows.values()]
        known = sum((v for v in values if v is not None), Decimal(0))
        missing = sum(1 for v in values if v is None)
        note = (
            f" (without {missing} asset{'s' if missing > 1 else ''} that have no {VALUATION} price)" if missing else ""
        )
        if rows:
            self.equity.setText(f"Total equity: {fmt.amount(known)} {VALUATION}{note}")
