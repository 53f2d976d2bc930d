"""The depth ladder dock: the painted ladder of the active symbol, its toolbar and the one-click arm switch.

The dock never places or cancels orders itself: it says what the user asked for (``order_requested``,
``cancel_requested``) and the main window acts with the ticket's size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.session.market_store import MarketChange
from terminal.session.order_store import OrderChange
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.docks.base import SessionDock
from terminal.ui.docks.polling import note_label, poll_note, show_note
from terminal.ui.ladder.ladder_model import MAX_GROUP, suggest_group
from terminal.ui.ladder.ladder_view import LadderView
from terminal.venues.base import Topic

NO_BOOK = "This venue has no order book."


class LadderDock(SessionDock):
    price_picked = Signal(object, object)  # Side, Decimal: fill the ticket's side and price
    order_requested = Signal(object, object)  # Side, Decimal: armed click, place a limit of the ticket's size
    cancel_requested = Signal(list)  # client order ids: armed click on own orders

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Depth ladder", "ladderDock", parent)
        self.view = LadderView()
        self.arm_button = QPushButton("One-click: OFF")
        self.arm_button.setObjectName("ladderArm")
        self.arm_button.setCheckable(True)
        self.arm_button.setToolTip(
            "When armed, a click on a level places a limit order and a click on your order cancels it"
        )
        bold = QFont(self.arm_button.font())
        bold.setBold(True)  # room for the armed label's bold text, so the button never changes width
        self.arm_button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance("One-click: ARMED") + 24)
        self.arm_reason = QLabel()
        self.arm_reason.setObjectName("ladderArmReason")
        self.arm_reason.setWordWrap(True)
        self.centre_button = QPushButton("Centre")
        self.centre_button.setToolTip("Centre on the mid price (Space)")
        self.auto_centre = QCheckBox("Auto-centre")
        self.auto_centre.setChecked(self.view.auto_centre)
        self.group_spin = QSpinBox()
        self.group_spin.setRange(1, MAX_GROUP)
        self.group_spin.setPrefix("Group ")
        self.group_spin.setSuffix(" ticks")
        self.group_spin.setToolTip("Ticks per row: bids round down, asks round up, sizes are summed")
        self.polled = note_label("ladderPolled")  # the book is polled, not streamed
        self.polled.setWordWrap(False)  # one short line between the buttons
        self.no_book = QLabel(NO_BOOK)
        self.no_book.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_book.setWordWrap(True)
        self._group_pending = True  # the first book of a symbol picks the grouping

        arming = QHBoxLayout()
        arming.addWidget(self.arm_button)
        arming.addWidget(self.arm_reason, 1)
        viewing = QHBoxLayout()
        viewing.addWidget(self.centre_button)
        viewing.addWidget(self.auto_centre)
        viewing.addWidget(self.polled)
        viewing.addStretch(1)
        viewing.addWidget(self.group_spin)
        self.page = QWidget()
        column = QVBoxLayout(self.page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for row in (arming, viewing):
            row.setContentsMargins(4, 0, 4, 0)
            column.addLayout(row)
        column.addWidget(self.view, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.page)
        self.stack.addWidget(self.no_book)
        self.setWidget(self.stack)

        for button in (self.arm_button, self.centre_button, self.auto_centre):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must never press the arm switch
        self.arm_button.toggled.connect(self._armed)
        theme.notifier().changed.connect(self._style_arm)
        self.centre_button.clicked.connect(self.recentre)
        self.auto_centre.toggled.connect(self.view.set_auto_centre)
        self.group_spin.valueChanged.connect(self._group_changed)
        self.view.level_clicked.connect(self.price_picked)
        self.view.place_requested.connect(self.order_requested)
        self.view.cancel_requested.connect(self.cancel_requested)
        self._permit(False, "Not connected")

    def recentre(self) -> None:
        self.view.recentre()

    # ---- arming -------------------------------------------------------------------------------

    @property
    def armed(self) -> bool:
        return self.arm_button.isChecked()

    def disarm(self) -> None:
        """Turn one-click trading off (the kill switch calls this)."""
        self.arm_button.setChecked(False)

    def _armed(self, on: bool) -> None:
        self.view.set_armed(on)
        self.arm_button.setText("One-click: ARMED" if on else "One-click: OFF")
        self._style_arm()

    def _style_arm(self, colours: theme.Theme | None = None) -> None:
        """Armed is loud, in the theme's sell colour (styled again on a theme change)."""
        colours = colours or theme.current()
        loud = f"QPushButton {{ background: {colours.sell}; color: #ffffff; font-weight: bold; padding: 2px 8px; }}"
        self.arm_button.setStyleSheet(loud if self.armed else "")

    def _permit(self, allowed: bool, reason: str = "") -> None:
        if not allowed:
            self.disarm()
        self.arm_button.setEnabled(allowed)
        self.arm_reason.setText("" if allowed else f"Cannot arm: {reason or 'trading is not allowed'}")
        self.arm_reason.setVisible(not allowed)

    # ---- session ------------------------------------------------------------------------------

    def on_bind(self, session: Session) -> None:
        has_book = session.venue.capabilities.order_book
        self.stack.setCurrentWidget(self.page if has_book else self.no_book)
        self.no_book.setText(_no_book_text(session.venue.capabilities.venue, session.venue.capabilities.contracts))
        permissions = session.venue.permissions
        self._permit(has_book and permissions.can_trade, permissions.reason if has_book else NO_BOOK)
        note = poll_note(session.venue.capabilities)
        show_note(self.polled, note)
        self.polled.setToolTip(f"The venue publishes no book stream: its depth is {note}." if note else "")
        self.listen(session.market.changed, self._market_changed)
        self.listen(session.orders.changed, self._orders_changed)

    def on_unbind(self) -> None:
        self._permit(False, "Not connected")
        show_note(self.polled, "")
        self.view.clear()

    def on_symbol(self, symbol: str) -> None:
        self.disarm()
        self.release_watches()
        session = self.session
        if session is None or not session.venue.capabilities.order_book:
            return
        instrument = session.venue.instruments.get(symbol)
        if instrument is None:
            self.view.clear()
            return
        self._group_pending = True
        self.view.set_instrument(instrument.tick_size, instrument.step_size)
        self.group_spin.blockSignals(True)
        self.group_spin.setValue(1)
        self.group_spin.blockSignals(False)
        self.watch(Topic.DEPTH, symbol)
        self.watch(Topic.TRADES, symbol)  # for the last trade's row
        self._show_market()
        self._show_orders()

    def _market_changed(self, change: MarketChange) -> None:
        if self.symbol and (self.symbol in change.books or self.symbol in change.trades or change.stale):
            self._show_market()

    def _orders_changed(self, change: OrderChange) -> None:
        if self.session is None or not self.symbol:
            return
        orders = self.session.orders
        if any((order := orders.get(cid)) is not None and order.symbol == self.symbol for cid in change.orders):
            self._show_orders()

    def _show_market(self) -> None:
        if self.session is None:
            return
        market, symbol = self.session.market, self.symbol
        book = market.books.get(symbol)
        if book is not None and self._group_pending:
            self._group_pending = False
            self.group_spin.setValue(suggest_group(book, self.session.venue.instruments[symbol].tick_size))
        stale = any(key.symbol == symbol and key.topic is Topic.DEPTH for key in market.stale)
        self.view.set_market(book, market.last_trade(symbol), stale)

    def _show_orders(self) -> None:
        if self.session is not None:
            self.view.set_orders(self.session.orders.working(self.symbol))

    def _group_changed(self, ticks: int) -> None:
        self._group_pending = False
        self.view.set_group(ticks)


def _no_book_text(venue: str, contracts: bool) -> str:
    if not contracts:
        return f"{venue} has no order book."
    return (
        f"{venue} has no order book: it sells contracts at the price it quotes.\n"
        "Price and buy them in the contract ticket; follow and sell them under Contracts."
    )
