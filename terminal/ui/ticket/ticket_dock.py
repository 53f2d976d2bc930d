"""The order ticket as a dock: binds the form to a session and keeps it fed with the data it checks against."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QScrollArea, QWidget

from terminal.domain.enums import Side
from terminal.session.session import Session
from terminal.ui.docks.base import SessionDock
from terminal.ui.ticket.ticket_form import TicketForm
from terminal.venues.base import Topic


class TicketDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Order ticket", "ticketDock", parent)
        self.form = TicketForm()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.setWidget(scroll)

    def on_bind(self, session: Session) -> None:
        self.form.set_session(session)
        self.listen(session.market.changed, self.form.on_market_changed)
        self.listen(session.account.changed, self.form.on_account_changed)
        self.listen(session.orders.changed, self.form.on_orders_changed)
        self.listen(session.state_changed, self.form.on_state_changed)

    def on_unbind(self) -> None:
        self.form.set_session(None)

    def on_symbol(self, symbol: str) -> None:
        # The book (best bid and ask: maker-only and marketable limits) and trades (the reference
        # price of the bands and of market orders) are what the ticket is checked against.
        self.release_watches()
        self.watch(Topic.DEPTH, symbol)
        self.watch(Topic.TRADES, symbol)
        self.form.set_symbol(symbol)

    # ---- for other docks ----------------------------------------------------------------------

    def set_price_and_side(self, side: Side, price: Decimal) -> None:
        self.form.set_price_and_side(side, price)

    def current_size(self, side: Side) -> Decimal | None:
        return self.form.current_size(side)
