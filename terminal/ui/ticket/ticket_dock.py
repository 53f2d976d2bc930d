"""The ticket as a dock: the order ticket, or the contract ticket on a venue that trades contracts (Deriv);
binds the form to a session and keeps it fed with the data it checks against."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QScrollArea, QStackedWidget, QWidget

from terminal.domain.enums import Side
from terminal.session.session import Session
from terminal.ui.docks.base import SessionDock
from terminal.ui.ticket.ticket_form import TicketForm
from terminal.venues.base import Topic

if TYPE_CHECKING:
    from terminal.ui.contracts.contract_form import ContractForm

ORDER_TITLE = "Order ticket"
CONTRACT_TITLE = "Contract ticket"


def _scrolled(form: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(form)
    return scroll


class TicketDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ORDER_TITLE, "ticketDock", parent)
        # Imported here: the contract ticket reuses parts of this package, whose __init__ imports this module.
        from terminal.ui.contracts.contract_form import ContractForm

        self.form = TicketForm()
        self.contract_form: ContractForm = ContractForm()
        self.stack = QStackedWidget()
        self._order_page = _scrolled(self.form)
        self._contract_page = _scrolled(self.contract_form)
        self.stack.addWidget(self._order_page)
        self.stack.addWidget(self._contract_page)
        self.setWidget(self.stack)

    @property
    def trades_contracts(self) -> bool:
        """Whether the bound session's venue trades contracts (the contract ticket is shown)."""
        return self.session is not None and self.session.venue.capabilities.contracts

    def on_bind(self, session: Session) -> None:
        if session.venue.capabilities.contracts:
            self.setWindowTitle(CONTRACT_TITLE)
            self.stack.setCurrentWidget(self._contract_page)
            form = self.contract_form
            form.set_session(session)
            self.listen(session.contracts.changed, form.on_contracts_changed)
            self.listen(session.market.changed, form.on_market_changed)
            self.listen(session.account.changed, form.on_account_changed)
            self.listen(session.state_changed, form.on_state_changed)
            return
        self.setWindowTitle(ORDER_TITLE)
        self.stack.setCurrentWidget(self._order_page)
        self.form.set_session(session)
        self.listen(session.market.changed, self.form.on_market_changed)
        self.listen(session.account.changed, self.form.on_account_changed)
        self.listen(session.orders.changed, self.form.on_orders_changed)
        self.listen(session.state_changed, self.form.on_state_changed)

    def on_unbind(self) -> None:
        self.form.set_session(None)
        self.contract_form.set_session(None)
        self.setWindowTitle(ORDER_TITLE)
        self.stack.setCurrentWidget(self._order_page)

    def on_symbol(self, symbol: str) -> None:
        self.release_watches()
        if self.trades_contracts:
            # No order book on a contract venue: its ticks (the trades topic) are the spot the ticket shows.
            self.watch(Topic.TRADES, symbol)
            self.contract_form.set_symbol(symbol)
            return
        # The book (best bid and ask: maker-only and marketable limits) and trades (the reference
        # price of the bands and of market orders) are what the ticket is checked against.
        self.watch(Topic.DEPTH, symbol)
        self.watch(Topic.TRADES, symbol)
        self.form.set_symbol(symbol)

    # ---- for other docks ----------------------------------------------------------------------

    def set_price_and_side(self, side: Side, price: Decimal) -> None:
        """A click on the ladder; a contract has no price or side to take from it."""
        if not self.trades_contracts:
            self.form.set_price_and_side(side, price)

    def current_size(self, side: Side) -> Decimal | None:
        """The order ticket's usable size; None on a contract venue (a contract has no size)."""
        return None if self.trades_contracts else self.form.current_size(side)
