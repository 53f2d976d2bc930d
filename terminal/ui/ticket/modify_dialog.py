"""Changing a working order's price and quantity (a broker that amends orders in place): a small dialog
that checks the new values as they are typed and hands them on only when the order manager admits them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from terminal.domain.decimals import format_decimal
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Order
from terminal.session.order_gate import NeedsConfirmation, TicketError
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.ticket.draft import parse_field
from terminal.ui.ticket.ticket_layout import wrapping_label

MODIFY = "Modify"
MODIFY_ANYWAY = "Modify anyway"


class ModifyOrderDialog(QDialog):
    """Opened with ``open()`` (never ``exec()``); ``requested`` carries an admitted change."""

    requested = Signal(str, object, object, object)  # client order id, price or None, quantity or None, confirmed keys

    def __init__(self, session: Session, order: Order, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modifyOrderDialog")
        self.session, self.order = session, order
        instrument = session.venue.instruments.get(order.symbol)
        self.setWindowTitle(f"Modify {order.side.value.lower()} {order.symbol}")
        self.price = QLineEdit()
        self.price.setObjectName("modifyPrice")
        self.quantity = QLineEdit()
        self.quantity.setObjectName("modifyQuantity")
        for edit in (self.price, self.quantity):
            edit.setFont(theme.mono_font())
        if order.price is not None:
            tick = instrument.tick_at(order.price) if instrument else None
            self.price.setText(format_decimal(order.price, tick))
        else:
            self.price.setEnabled(False)
            self.price.setPlaceholderText("market")
        self.quantity.setText(format_decimal(order.quantity, instrument.step_size if instrument else None))
        self.problem = wrapping_label("modifyProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(MODIFY)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Price", self.price)
        form.addRow("Quantity", self.quantity)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_describe(order, instrument)))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._confirmed: frozenset[str] = frozenset()
        for edit in (self.price, self.quantity):
            edit.textEdited.connect(self.recheck)
        self.recheck()

    def values(self) -> tuple[Decimal | None, Decimal | None, str]:
        """The new price and quantity (None: unchanged), or why they cannot be read."""
        price: Decimal | None = None
        if self.order.price is not None:
            price, problem = parse_field(self.price.text(), "price")
            if problem:
                return None, None, problem
        quantity, problem = parse_field(self.quantity.text(), "quantity")
        if problem:
            return None, None, problem
        return (
            None if price == self.order.price else price,
            None if quantity == self.order.quantity else quantity,
            "",
        )

    def recheck(self) -> str:
        """Check the new values now: the first problem shows and OK stays disabled while there is one."""
        self._confirmed = frozenset()
        self.ok.setText(MODIFY)
        price, quantity, problem = self.values()
        if not problem and price is None and quantity is None:
            self._say("Enter a new price or quantity.", calm=True)
            self.ok.setEnabled(False)
            return ""
        if not problem:
            violations = self.session.manager.check_replace(self.order.client_order_id, price=price, quantity=quantity)
            problem = violations[0].message if violations else ""
        self._say(problem)
        self.ok.setEnabled(not problem)
        return problem

    def submit(self) -> None:
        price, quantity, problem = self.values()
        if problem:
            return
        cid = self.order.client_order_id
        try:
            self.session.manager.admit_replace(cid, price=price, quantity=quantity, confirmed=self._confirmed)
        except NeedsConfirmation as held:
            self._confirmed = self._confirmed | held.keys
            self._say(f"{held.reason} Press {MODIFY_ANYWAY} to send it.", warn=True)
            self.ok.setText(MODIFY_ANYWAY)
            return
        except TicketError as refused:
            self._say(refused.reason)
            self.ok.setEnabled(False)
            return
        self.requested.emit(cid, price, quantity, self._confirmed)
        self.accept()

    def _say(self, text: str, *, warn: bool = False, calm: bool = False) -> None:
        colours = theme.current()
        colour = colours.muted if calm else colours.warn if warn else colours.sell
        self.problem.setStyleSheet(f"color: {colour};")
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def _describe(order: Order, instrument: Instrument | None) -> str:
    """ "Buy 2 AAPL at 150.00, 0 filled (DAY)", then the order's id: what the user is about to change."""
    step = instrument.step_size if instrument else None
    terms = f"{order.side.value.capitalize()} {format_decimal(order.quantity, step)} {order.symbol}"
    if order.price is not None:
        terms += f" at {format_decimal(order.price, instrument.tick_at(order.price) if instrument else None)}"
    terms += f", {format_decimal(order.executed_qty, step)} filled"
    if order.time_in_force is not None:
        terms += f" ({order.time_in_force.value})"
    return f"{terms}\nOrder {order.client_order_id}"
