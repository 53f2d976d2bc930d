"""The account's contracts: open ones (live, with a sell per row), the portfolio, the statement and the profit table.

Contracts that end during the session stay in "Open contracts", greyed, with how they ended (won, lost,
sold) and their final profit, until "Clear closed" removes them: an outcome does not vanish before the
user has seen it, and rows never move under the mouse while the user aims at a Sell.
"""

from __future__ import annotations

import time
from collections.abc import Hashable

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.contracts import ClosedContract, OpenContract, PortfolioEntry, Sale, Transaction
from terminal.session.contract_desk import ContractDesk
from terminal.session.contract_store import ContractChange
from terminal.session.order_manager import Notice
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.contracts.contract_tables import (
    OPEN_COLUMNS,
    OPEN_WIDTHS,
    PORTFOLIO_COLUMNS,
    PORTFOLIO_WIDTHS,
    PROFIT_COLUMNS,
    PROFIT_WIDTHS,
    SELL_COLUMN,
    STATEMENT_COLUMNS,
    STATEMENT_WIDTHS,
    ContractRow,
    show_in_order,
)
from terminal.ui.contracts.contract_text import local_clock, money, sentence
from terminal.ui.table_model import RowTableModel

OPEN_TAB = "Open contracts"
NOT_CONNECTED = "not connected"


def _table(model: QAbstractItemModel, widths: tuple[int, ...], name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(False)  # one line per row: a wrapped time would make rows of changing heights
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


class ContractsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contractsView")
        self.session: Session | None = None
        self.open_model: RowTableModel[ContractRow] = RowTableModel(OPEN_COLUMNS, theme.mono_font())
        self.portfolio_model: RowTableModel[PortfolioEntry] = RowTableModel(PORTFOLIO_COLUMNS, theme.mono_font())
        self.statement_model: RowTableModel[Transaction] = RowTableModel(STATEMENT_COLUMNS, theme.mono_font())
        self.profit_model: RowTableModel[ClosedContract] = RowTableModel(PROFIT_COLUMNS, theme.mono_font())
        self.open_table = _table(self.open_model, OPEN_WIDTHS, "openContracts")
        self.open_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.open_table.clicked.connect(self._clicked)
        self.open_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.portfolio_table = _table(self.portfolio_model, PORTFOLIO_WIDTHS, "portfolio")
        self.statement_table = _table(self.statement_model, STATEMENT_WIDTHS, "statement")
        self.profit_table = _table(self.profit_model, PROFIT_WIDTHS, "profitTable")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("contractTabs")
        self.tabs.addTab(self.open_table, OPEN_TAB)
        self.tabs.addTab(self.portfolio_table, "Portfolio")
        self.tabs.addTab(self.statement_table, "Statement")
        self.tabs.addTab(self.profit_table, "Profit table")

        self.sell_button = QPushButton("Sell selected")
        self.sell_button.setObjectName("sellContract")
        self.sell_button.clicked.connect(self.sell_selection)
        self.clear_button = QPushButton("Clear closed")
        self.clear_button.setObjectName("clearClosed")
        self.clear_button.setToolTip("Remove the contracts that ended from this list (history keeps them)")
        self.clear_button.clicked.connect(self.clear_closed)
        self.refresh_button = QPushButton("Refresh history")
        self.refresh_button.setObjectName("refreshHistory")
        self.refresh_button.setToolTip("Load the portfolio, statement and profit table again")
        self.refresh_button.clicked.connect(self.refresh_history)
        self.updated = QLabel()
        self.updated.setObjectName("historyUpdated")
        self.reason = QLabel()  # why nothing can be sold, while that lasts
        self.reason.setObjectName("sellReason")
        self.reason.setWordWrap(True)
        self.message = QLabel()  # the outcome of the last sale
        self.message.setObjectName("contractsMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.sell_button, self.clear_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addWidget(self.updated)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.reason)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self._selling: set[int] = set()  # sales asked for here and not answered yet
        self._cleared: set[int] = set()  # ended contracts the user cleared from the list
        self._restyle(theme.current())
        theme.notifier().changed.connect(self._restyle)
        self._update_buttons()

    def _restyle(self, colours: theme.Theme) -> None:
        self.reason.setStyleSheet(f"color: {colours.warn};")
        self.updated.setStyleSheet(f"color: {colours.muted};")

    # ---- binding ------------------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Show ``session``'s contracts (None: show nothing)."""
        self.session = session
        self._selling.clear()
        self._cleared.clear()
        for model in (self.open_model, self.portfolio_model, self.statement_model, self.profit_model):
            model.clear()
        self.message.clear()
        self.updated.clear()
        if session is not None:
            store = session.contracts
            self.open_model.update({c.contract_id: self._row(c) for c in store.all_contracts()})
            self._show_history()
        self._update_buttons()

    def on_contracts_changed(self, change: ContractChange) -> None:
        if change.contracts:
            self._show_contracts(change.contracts)
        if change.history:
            self._show_history()
            self.updated.setText(f"Updated {_now_clock()}")

    def on_state_changed(self, _state: str = "", _reason: str = "") -> None:
        """Trading paused or resumed, connection lost or back: whether each contract may be sold changed."""
        self._show_contracts({key for key in self.open_model.row_keys() if isinstance(key, int)})

    # ---- what it shows ------------------------------------------------------------------------

    def _refusal(self, contract: OpenContract) -> str:
        session = self.session
        desk = session.desk if session is not None else None
        if session is None or desk is None:
            return NOT_CONNECTED
        refusal = desk.trade_refusal()
        if refusal:
            return refusal
        if not contract.is_open:
            return f"it has ended ({contract.status.value})"
        if not contract.can_sell:
            return "the venue does not offer to buy it back now"
        if session.state != "live":
            return NOT_CONNECTED
        return ""

    def _row(self, contract: OpenContract) -> ContractRow:
        desk = self.session.desk if self.session is not None else None
        selling = contract.contract_id in self._selling or (desk is not None and contract.contract_id in desk.selling)
        return ContractRow(contract, self._refusal(contract), selling and contract.is_open)

    def _show_contracts(self, ids: set[int]) -> None:
        """Update the rows of ``ids`` in place (one dataChanged each); new contracts go on top."""
        session = self.session
        if session is None:
            return
        contracts = session.contracts.contracts
        known: dict[int, ContractRow] = {}
        new: list[tuple[int, ContractRow]] = []
        for cid in sorted(ids, key=lambda c: contracts[c].purchase_time_ms if c in contracts else 0):
            contract = contracts.get(cid)
            if contract is None or cid in self._cleared:
                continue
            if self.open_model.row_of(cid) is None:
                new.append((cid, self._row(contract)))
            else:
                known[cid] = self._row(contract)
        self.open_model.update(known)
        if new:
            self.open_model.prepend(new)  # oldest first in, so that the newest ends on top
        self._update_buttons()

    def _show_history(self) -> None:
        session = self.session
        if session is None:
            return
        store = session.contracts
        show_in_order(self.portfolio_model, {e.contract_id: e for e in store.portfolio}, lambda e: e.contract_id)
        show_in_order(self.statement_model, {t.transaction_id: t for t in store.statement}, lambda t: t.transaction_id)
        show_in_order(self.profit_model, {c.transaction_id: c for c in store.closed}, lambda c: c.transaction_id)

    def _update_buttons(self) -> None:
        session = self.session
        desk = session.desk if session is not None else None
        refusal = desk.trade_refusal() if desk is not None else ""
        rows = [self.open_model.row(key) for key in self.selected_ids()]
        sellable = [row for row in rows if row is not None and row.sellable]
        self.sell_button.setEnabled(bool(sellable))
        if refusal:
            tip = f"Nothing can be sold: {refusal}"
        elif not rows:
            tip = "Select the open contracts to sell"
        elif not sellable:
            first = next((row for row in rows if row is not None), None)
            tip = f"Cannot be sold: {first.refusal}" if first is not None and first.refusal else "A sale is on its way"
        else:
            tip = f"Sell {len(sellable)} contract{'s' if len(sellable) != 1 else ''} at the market price now"
        self.sell_button.setToolTip(tip)
        reason = f"Contracts cannot be sold: {refusal}." if refusal else ""
        if self.reason.text() != reason:
            self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.refresh_button.setEnabled(desk is not None)
        self.clear_button.setEnabled(any(not row.contract.is_open for row in self._rows()))
        open_count = sum(1 for row in self._rows() if row.contract.is_open)
        title = f"{OPEN_TAB} ({open_count})" if open_count else OPEN_TAB
        if self.tabs.tabText(0) != title:
            self.tabs.setTabText(0, title)

    def _rows(self) -> list[ContractRow]:
        return [row for key in self.open_model.row_keys() if (row := self.open_model.row(key)) is not None]

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.open_table.selectionModel().selectedRows()})
        return [key for r in rows if isinstance(key := self.open_model.key_at(r), int)]

    # ---- actions ------------------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == SELL_COLUMN:
            key = self.open_model.key_at(index.row())
            if isinstance(key, int):
                self.sell([key])

    def sell_selection(self) -> int:
        """Sell the selected contracts that can be sold; how many sales were asked for."""
        return self.sell(self.selected_ids())

    def sell(self, contract_ids: list[int]) -> int:
        """Sell each of ``contract_ids`` at the market price (those that cannot be sold are said so)."""
        session = self.session
        desk = session.desk if session is not None else None
        if session is None or desk is None:
            return 0
        asked: list[int] = []
        for cid in contract_ids:
            row = self.open_model.row(cid)
            if row is None:
                continue
            if not row.sellable:
                self.message.setText(f"Contract {cid} cannot be sold: {row.refusal or 'a sale is on its way'}.")
                continue
            self._selling.add(cid)
            asked.append(cid)
            session.spawn(self._sell(session, desk, cid))
        if asked:
            self.message.setText(f"Selling contract{'s' if len(asked) > 1 else ''} {', '.join(map(str, asked))}…")
            self._show_contracts(set(asked))
        return len(asked)

    async def _sell(self, session: Session, desk: ContractDesk, contract_id: int) -> None:
        said: list[Notice] = []  # what the desk tells the session about this sale, to repeat here

        def hear(notice: Notice) -> None:
            said.append(notice)

        session.notice.connect(hear)
        sale: Sale | None = None
        try:
            sale = await desk.sell(contract_id)
        finally:
            if shiboken6.isValid(session):
                session.notice.disconnect(hear)
            if shiboken6.isValid(self) and session is self.session:
                self._selling.discard(contract_id)
                self.message.setText(_sale_outcome(contract_id, sale, said, self._currency()))
                self._show_contracts({contract_id})

    def _currency(self) -> str:
        account = self.session.contracts.account if self.session is not None else None
        return account.currency if account is not None else ""

    def clear_closed(self) -> int:
        """Remove the contracts that ended from the list; how many were removed."""
        gone: list[Hashable] = [
            key for key in self.open_model.row_keys() if (row := self.open_model.row(key)) and not row.contract.is_open
        ]
        self._cleared.update(key for key in gone if isinstance(key, int))
        self.open_model.remove(gone)
        self._update_buttons()
        return len(gone)

    def refresh_history(self) -> None:
        session = self.session
        if session is not None and session.desk is not None:
            self.updated.setText("Refreshing…")
            session.spawn(session.desk.refresh_history())


def _sale_outcome(contract_id: int, sale: Sale | None, said: list[Notice], currency: str) -> str:
    if sale is not None:
        return f"Sold contract {contract_id} for {money(sale.sold_for, currency)}."
    about = [n.text for n in said if str(contract_id) in n.text]
    return about[-1] if about else sentence(f"contract {contract_id} was not sold (the log says why).")


def _now_clock() -> str:
    return local_clock(int(time.time() * 1000))
