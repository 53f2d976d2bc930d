"""Orders: working orders with cancel per row, cancel selected (Delete), cancel all, and (a broker that
changes orders in place) modify; history; fills.
On a venue that trades contracts (Deriv) the dock shows its contracts and history instead."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.enums import OrderStatus, Side
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Fill, Order
from terminal.session.order_gate import TicketError
from terminal.session.order_store import OrderChange
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.contracts.contracts_view import ContractsView
from terminal.ui.docks.base import SessionDock
from terminal.ui.table_model import RIGHT, Column, RowTableModel
from terminal.ui.ticket.modify_dialog import ModifyOrderDialog
from terminal.venues.base import amends_orders

Instruments = Callable[[str], Instrument | None]
CANCEL_TEXT = "Cancel"
MODIFY_TEXT = "Modify…"
ORDERS_TITLE = "Orders"
CONTRACTS_TITLE = "Contracts"


class _OrderRow:
    __slots__ = ("instrument", "order", "replacing")

    def __init__(self, order: Order, instrument: Instrument | None, replacing: bool = False) -> None:
        self.order, self.instrument = order, instrument
        self.replacing = replacing  # a change of its price or quantity is on its way

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _OrderRow) and (other.order, other.replacing) == (self.order, self.replacing)

    __hash__ = None  # type: ignore[assignment]


class _FillRow:
    __slots__ = ("fill", "instrument")

    def __init__(self, fill: Fill, instrument: Instrument | None) -> None:
        self.fill, self.instrument = fill, instrument

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _FillRow) and other.fill == self.fill

    __hash__ = None  # type: ignore[assignment]


def _side(side: Side) -> QColor:
    return theme.current().color("buy" if side is Side.BUY else "sell")


def _status_color(row: _OrderRow) -> QColor | None:
    status = row.order.status
    if row.replacing or status in (OrderStatus.UNKNOWN, OrderStatus.CANCEL_REQUESTED, OrderStatus.SUBMITTING):
        return theme.current().color("warn")
    if status in (OrderStatus.REJECTED, OrderStatus.MISSING):
        return theme.current().color("sell")
    return None


def _price(row: _OrderRow) -> str:
    return fmt.price(row.order.price, row.instrument) if row.order.price is not None else "market"


def _quantity(row: _OrderRow) -> str:
    order = row.order
    if order.quantity > 0:
        return fmt.qty(order.quantity, row.instrument)
    return f"{fmt.amount(order.amount)} {row.instrument.quote_asset if row.instrument else ''}".strip()


def _status(row: _OrderRow) -> str:
    text = row.order.status.value.replace("_", " ").lower()
    return f"{text}, modifying…" if row.replacing else text


def _reason(row: _OrderRow) -> str:
    return row.order.reject_reason or row.order.cancel_reason


ORDER_COLUMNS: list[Column[_OrderRow]] = [
    Column("Symbol", lambda r: r.order.symbol),
    Column("Side", lambda r: r.order.side.value.lower(), color=lambda r: _side(r.order.side)),
    Column("Type", lambda r: r.order.type.value.replace("_", " ").lower()),
    Column("Price", _price, RIGHT, mono=True),
    Column("Quantity", _quantity, RIGHT, mono=True),
    Column("Filled", lambda r: fmt.qty(r.order.executed_qty, r.instrument), RIGHT, mono=True),
    Column("Status", _status, color=_status_color, tooltip=_reason),
    Column("Time (UTC)", lambda r: fmt.stamp(r.order.created_ms), mono=True),
    Column("Client id", lambda r: r.order.client_order_id, mono=True),
]
OPEN_COLUMNS = [
    *ORDER_COLUMNS,
    Column(CANCEL_TEXT, lambda r: "✕ cancel", color=lambda r: theme.current().color("sell")),
]
HISTORY_COLUMNS = [
    *ORDER_COLUMNS,
    Column(
        "Average",
        lambda r: fmt.price(r.order.average_price, r.instrument) if r.order.executed_qty else "",
        RIGHT,
        mono=True,
    ),
    Column("Reason", _reason),
]
FILL_COLUMNS: list[Column[_FillRow]] = [
    Column("Time (UTC)", lambda r: fmt.stamp(r.fill.time_ms), mono=True),
    Column("Symbol", lambda r: r.fill.symbol),
    Column("Side", lambda r: r.fill.side.value.lower(), color=lambda r: _side(r.fill.side)),
    Column("Price", lambda r: fmt.price(r.fill.price, r.instrument), RIGHT, mono=True),
    Column("Quantity", lambda r: fmt.qty(r.fill.quantity, r.instrument), RIGHT, mono=True),
    Column("Fee", lambda r: f"{r.fill.commission.normalize():f} {r.fill.commission_asset}", RIGHT, mono=True),
    Column("Role", lambda r: "maker" if r.fill.is_maker else "taker"),
    Column("Client id", lambda r: r.fill.client_order_id, mono=True),
    Column("Trade id", lambda r: r.fill.trade_id, mono=True),
]


def _table(model: RowTableModel[_OrderRow] | RowTableModel[_FillRow], widths: tuple[int, ...] = ()) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


class OrdersDock(SessionDock):
    history_requested = Signal(str)  # client order id: show its journal history

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ORDERS_TITLE, "ordersDock", parent)
        mono = theme.mono_font()
        self.open_model: RowTableModel[_OrderRow] = RowTableModel(OPEN_COLUMNS, mono)
        self.history_model: RowTableModel[_OrderRow] = RowTableModel(HISTORY_COLUMNS, mono)
        self.fills_model: RowTableModel[_FillRow] = RowTableModel(FILL_COLUMNS, mono)
        order_widths = (78, 40, 70, 88, 88, 78, 92, 138, 150)
        self.open_table = _table(self.open_model, order_widths)
        self.open_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.open_table.clicked.connect(self._clicked)
        self.history_table = _table(self.history_model, order_widths)
        self.fills_table = _table(self.fills_model, (138, 78, 40, 88, 88, 120, 52, 150))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.open_table, "Open")
        self.tabs.addTab(self.history_table, "History")
        self.tabs.addTab(self.fills_table, "Fills")
        self.cancel_selected = QPushButton("Cancel selected")
        self.cancel_selected.setToolTip("Cancel the selected open orders (Delete)")
        self.cancel_selected.clicked.connect(self.cancel_selection)
        self.modify_selected = QPushButton(MODIFY_TEXT)
        self.modify_selected.setToolTip("Change the price or quantity of the selected open order (double-click)")
        self.modify_selected.clicked.connect(self.modify_selection)
        self.modify_selected.hide()  # only where the venue changes orders in place
        self.cancel_symbol = QPushButton("Cancel all: symbol")
        self.cancel_symbol.clicked.connect(lambda: self.ask_cancel_all(self.symbol or None))
        self.cancel_everywhere = QPushButton("Cancel all: everywhere")
        self.cancel_everywhere.clicked.connect(lambda: self.ask_cancel_all(None))
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.cancel_selected, self.modify_selected, self.cancel_symbol, self.cancel_everywhere):
            buttons.addWidget(button)
        buttons.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        self.orders_page = body
        self.contracts_view = ContractsView()
        self.stack = QStackedWidget()
        self.stack.addWidget(body)
        self.stack.addWidget(self.contracts_view)
        self.setWidget(self.stack)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.open_table)
        delete.activated.connect(self.cancel_selection)
        self._confirm: QMessageBox | None = None
        self.modify_dialog: ModifyOrderDialog | None = None
        self.confirm_cancel_all = True  # the profile's setting (ConfirmRule.CANCEL_ALL)
        for table, model in ((self.open_table, self.open_model), (self.history_table, self.history_model)):
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(lambda point, t=table, m=model: self._context_menu(t, m, point))
            table.doubleClicked.connect(lambda index, m=model: self._double_clicked(m, index.row()))

    def _context_menu(self, table: QTableView, model: RowTableModel[_OrderRow], point: QPoint) -> None:
        row = table.indexAt(point).row()
        if row < 0:
            return
        menu = QMenu(table)
        key = model.key_at(row)
        if model is self.open_model and self.can_modify and isinstance(key, str):
            menu.addAction(MODIFY_TEXT, lambda: self.modify(key))
        menu.addAction("Show history of this order", lambda: self._show_history(model, row))
        menu.popup(table.viewport().mapToGlobal(point))

    def _double_clicked(self, model: RowTableModel[_OrderRow], row: int) -> None:
        """A working limit order opens for a change where the venue allows it; any other shows its history."""
        key = model.key_at(row)
        found = model.row(key) if isinstance(key, str) else None
        if model is self.open_model and self.can_modify and found is not None and found.order.type.takes_price:
            self.modify(found.order.client_order_id)
            return
        self._show_history(model, row)

    def _show_history(self, model: RowTableModel[_OrderRow], row: int) -> None:
        key = model.key_at(row)
        if isinstance(key, str):
            self.history_requested.emit(key)

    # ---- binding ------------------------------------------------------------------------------

    def on_bind(self, session: Session) -> None:
        if session.venue.capabilities.contracts:
            self.setWindowTitle(CONTRACTS_TITLE)
            self.stack.setCurrentWidget(self.contracts_view)
            self.contracts_view.set_session(session)
            self.listen(session.contracts.changed, self.contracts_view.on_contracts_changed)
            self.listen(session.state_changed, self.contracts_view.on_state_changed)
            return
        self.setWindowTitle(ORDERS_TITLE)
        self.stack.setCurrentWidget(self.orders_page)
        self.listen(session.orders.changed, self._on_orders)
        self._rebuild()
        can_trade = session.venue.permissions.can_trade
        self.modify_selected.setVisible(amends_orders(session.venue))
        for button in (self.cancel_selected, self.modify_selected, self.cancel_symbol, self.cancel_everywhere):
            button.setEnabled(can_trade)
            button.setToolTip("" if can_trade else session.venue.permissions.reason)

    def on_unbind(self) -> None:
        for model in (self.open_model, self.history_model, self.fills_model):
            model.clear()
        self.message.clear()
        self.contracts_view.set_session(None)
        self.modify_selected.hide()
        if self.modify_dialog is not None:
            self.modify_dialog.reject()
        self.setWindowTitle(ORDERS_TITLE)
        self.stack.setCurrentWidget(self.orders_page)

    def on_symbol(self, symbol: str) -> None:
        self.cancel_symbol.setText(f"Cancel all: {symbol}")

    def _instrument(self, symbol: str) -> Instrument | None:
        return self.session.venue.instruments.get(symbol) if self.session else None

    def _rebuild(self) -> None:
        if self.session is None:
            return
        self._place(list(self.session.orders.orders.values()))
        fills = sorted(self.session.orders.fills.values(), key=lambda f: f.time_ms)
        self.fills_model.prepend(((f.trade_id, _FillRow(f, self._instrument(f.symbol))) for f in fills), limit=2000)

    def _place(self, orders: list[Order]) -> None:
        replacing = self.session.orders.replacing if self.session else set()
        working = {
            o.client_order_id: _OrderRow(o, self._instrument(o.symbol), o.client_order_id in replacing)
            for o in orders
            if o.status.is_working
        }
        done = [o for o in orders if not o.status.is_working]
        self.history_model.remove(list(working))
        self.open_model.remove([o.client_order_id for o in done])
        self.open_model.update(working)
        done.sort(key=lambda o: o.updated_ms)
        existing = [o for o in done if self.history_model.row_of(o.client_order_id) is not None]
        fresh = [o for o in done if self.history_model.row_of(o.client_order_id) is None]
        self.history_model.update({o.client_order_id: _OrderRow(o, self._instrument(o.symbol)) for o in existing})
        self.history_model.prepend(
            ((o.client_order_id, _OrderRow(o, self._instrument(o.symbol))) for o in fresh), limit=5000
        )

    def _on_orders(self, change: OrderChange) -> None:
        if self.session is None:
            return
        orders = [o for cid in change.orders if (o := self.session.orders.get(cid)) is not None]
        self._place(orders)
        if change.fills:
            self.fills_model.prepend(
                ((f.trade_id, _FillRow(f, self._instrument(f.symbol))) for f in change.fills), limit=2000
            )

    # ---- modifying (a venue that changes orders in place) ------------------------------------------

    @property
    def can_modify(self) -> bool:
        return self.session is not None and amends_orders(self.session.venue)

    def modify_selection(self) -> None:
        """Open the change dialog for the open order selected (the first, when several are)."""
        rows = sorted(index.row() for index in self.open_table.selectionModel().selectedRows())
        key = self.open_model.key_at(rows[0]) if rows else None
        if isinstance(key, str):
            self.modify(key)
        else:
            self.message.setText("Select an open order to modify.")

    def modify(self, client_order_id: str) -> ModifyOrderDialog | None:
        """Open the change dialog for a working order (without blocking the loop: ``open``)."""
        session = self.session
        order = session.orders.get(client_order_id) if session is not None else None
        if session is None or order is None or not self.can_modify:
            return None
        if self.modify_dialog is not None:
            self.modify_dialog.reject()
        dialog = ModifyOrderDialog(session, order, self)
        dialog.requested.connect(self._modify_requested)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.modify_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: ModifyOrderDialog) -> None:
        if self.modify_dialog is dialog:
            self.modify_dialog = None
        dialog.deleteLater()

    def _modify_requested(self, cid: str, price: object, quantity: object, confirmed: object) -> None:
        session = self.session
        if session is None:
            return
        assert isinstance(confirmed, frozenset)
        new_price = price if isinstance(price, Decimal) else None
        new_quantity = quantity if isinstance(quantity, Decimal) else None
        session.spawn(self._modify_one(session, cid, new_price, new_quantity, confirmed))

    async def _modify_one(
        self, session: Session, cid: str, price: Decimal | None, quantity: Decimal | None, confirmed: frozenset[str]
    ) -> None:
        try:
            await session.manager.replace(cid, price=price, quantity=quantity, confirmed=confirmed)
        except TicketError as exc:
            self.message.setText(f"Cannot modify {cid}: {exc.reason}")

    # ---- cancelling ---------------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == len(OPEN_COLUMNS) - 1:
            key = self.open_model.key_at(index.row())
            if isinstance(key, str):
                self.cancel([key])

    def cancel_selection(self) -> int:
        """Cancel the open orders selected in the table; how many were asked for."""
        rows = {index.row() for index in self.open_table.selectionModel().selectedRows()}
        keys = [k for r in sorted(rows) if isinstance(k := self.open_model.key_at(r), str)]
        if keys:
            self.cancel(keys)
        return len(keys)

    def cancel(self, client_order_ids: list[str]) -> None:
        session = self.session
        if session is None:
            return
        for cid in client_order_ids:
            session.spawn(self._cancel_one(session, cid))

    async def _cancel_one(self, session: Session, cid: str) -> None:
        try:
            await session.manager.cancel(cid)
        except TicketError as exc:
            self.message.setText(f"Cannot cancel {cid}: {exc.reason}")

    def ask_cancel_all(self, symbol: str | None) -> None:
        """Cancel all, after a confirmation unless the settings say not to ask; the question is shown
        without blocking the loop (``open``, not ``exec``)."""
        if self.session is None:
            return
        if not self.confirm_cancel_all:
            self._confirmed(QMessageBox.StandardButton.Yes, symbol)
            return
        count = len(self.session.orders.working(symbol))
        where = symbol or "every symbol"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Cancel all orders",
            f"Cancel all {count} open order{'s' if count != 1 else ''} on {where}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._confirmed(result, symbol))
        self._confirm = box
        box.open()

    def _confirmed(self, result: int, symbol: str | None) -> None:
        self._confirm = None
        if result == QMessageBox.StandardButton.Yes and self.session is not None:
            self.session.spawn(self._cancel_all(self.session, symbol))

    async def _cancel_all(self, session: Session, symbol: str | None) -> None:
        try:
            count = await session.manager.cancel_all(symbol)
        except TicketError as exc:
            self.message.setText(exc.reason)
            return
        self.message.setText(
            f"Asked the venue to cancel {count} order{'s' if count != 1 else ''} on {symbol or 'every symbol'}."
        )
