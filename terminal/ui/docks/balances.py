"""Balances: every asset with total, free and locked, its value in USDT, and the total equity.

At a stock broker (``capabilities.positions``) the table holds the cash currencies only, valued in
the account's currency, and the holdings show below it (positions.py)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from terminal.domain.balance import Balance
from terminal.domain.instrument import Instrument
from terminal.domain.market import Ticker
from terminal.domain.securities import Position
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.docks.base import SessionDock
from terminal.ui.docks.positions import PositionsView
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


def _value_column(valuation: str) -> Column[_Row]:
    return Column(
        f"Value ({valuation})", lambda r: fmt.amount(r.value) if r.value is not None else "n/a", RIGHT, mono=True
    )


COLUMNS: list[Column[_Row]] = [
    Column("Asset", lambda r: r.balance.asset, bold=lambda r: True),
    Column("Total", lambda r: _amount(r.balance.total), RIGHT, mono=True),
    Column("Free", lambda r: _amount(r.balance.free), RIGHT, mono=True),
    Column("Locked", lambda r: _amount(r.balance.locked), RIGHT, mono=True),
    _value_column(VALUATION),
]


def cash_currency(cash: list[str], positions: dict[str, Position], instruments: dict[str, Instrument]) -> str:
    """The currency a securities account is valued in: the cash currency its holdings (else its
    instruments) are mostly priced in; the only one, or the first, otherwise."""
    priced = [p.currency for p in positions.values() if p.currency] or [i.quote_asset for i in instruments.values()]
    ranked = [currency for currency, _ in Counter(priced).most_common() if currency in cash]
    return ranked[0] if ranked else (sorted(cash)[0] if cash else "")


class BalancesDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Balances", "balancesDock", parent)
        self.model: RowTableModel[_Row] = RowTableModel(
            list(COLUMNS), theme.mono_font()
        )  # its own: the value header changes
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._revalue = Throttle(self._refresh, parent=self)
        self.equity = QLabel()
        self.equity.setFont(theme.mono_font())
        self.positions = PositionsView()
        self.positions.hide()  # a securities account only
        self.valuation = VALUATION
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.equity)
        layout.addWidget(self.positions, 1)
        self.setWidget(body)

    @property
    def securities(self) -> bool:
        """Whether the bound account holds securities (a stock broker): cash and positions."""
        return self.session is not None and self.session.venue.capabilities.positions

    def on_bind(self, session: Session) -> None:
        self.positions.setVisible(session.venue.capabilities.positions)
        self.listen(session.account.changed, lambda _: self._refresh())
        self.listen(session.account.positions_changed, self._refresh)
        # Valuations follow tickers four times a second; the balances themselves show at once.
        self.listen(session.market.changed, lambda change: self._revalue() if change.tickers else None)
        if not session.venue.permissions.can_read:
            self.equity.setText("No API key: balances need a key (see the profile).")
        self._refresh()

    def on_unbind(self) -> None:
        self._revalue.cancel()
        self.model.clear()
        self.equity.clear()
        self.positions.clear()
        self.positions.hide()
        self._set_valuation(VALUATION)

    def _set_valuation(self, valuation: str) -> None:
        """Value the table in ``valuation`` (USDT; the account's cash currency at a stock broker)."""
        if valuation != self.valuation:
            self.valuation = valuation
            column = len(self.model.columns) - 1
            self.model.columns[column] = _value_column(valuation)
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    def _refresh(self) -> None:
        if self.session is None:
            return
        session = self.session
        tickers, account, instruments = session.market.tickers, session.account, session.venue.instruments
        balances = sorted(account.balances.items())
        if self.securities:  # the held symbols have their own table: positions
            balances = [(a, b) for a, b in balances if a not in instruments and a not in account.positions]
            self._set_valuation(cash_currency([a for a, _ in balances], account.positions, instruments))
        par = {*_PAR, self.valuation}
        rows = {
            asset: _Row(balance, value_in(asset, balance.total, tickers, self.valuation))
            for asset, balance in balances
            if balance.total != 0 or balance.asset in par
        }
        self.model.replace_all(rows)
        values = [row.value for row in rows.values()]
        known = sum((v for v in values if v is not None), Decimal(0))
        missing = sum(1 for v in values if v is None)
        note = (
            f" (without {missing} asset{'s' if missing > 1 else ''} that have no {self.valuation} price)"
            if missing
            else ""
        )
        label = "Cash" if self.securities else "Total equity"
        if rows:
            self.equity.setText(f"{label}: {fmt.amount(known)} {self.valuation}{note}")
        if self.securities:
            cash = known if rows and not missing else None
            self.positions.show_positions(account.positions, instruments, cash, self.valuation)
