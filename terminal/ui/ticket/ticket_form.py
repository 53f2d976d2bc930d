"""The order ticket's behaviour: re-checks the order as the user types and as the market moves, and sends it.

Nothing invalid leaves: submit stays disabled with the first reason beside it, and the order manager
checks again before sending. Outcomes show in the status line in words, never as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from terminal.domain.confirmation import Origin
from terminal.domain.decimals import ZERO, DecimalParseError, is_multiple, parse_decimal
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import DEFAULT_TIME_IN_FORCE, Instrument
from terminal.domain.orders import OrderRequest
from terminal.session.market_store import MarketChange
from terminal.session.messages import describe_error
from terminal.session.order_gate import REPEAT, NeedsConfirmation, TicketError
from terminal.session.order_store import OrderChange
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.ticket.draft import Draft, TicketInput, draft_order
from terminal.ui.ticket.sizing import SizeQuery, estimate, market_buy_unit_price, percent_size
from terminal.ui.ticket.ticket_layout import build_ticket, style_ticket
from terminal.ui.ticket.ticket_preview import OrderPreviewPanel
from terminal.ui.ticket.ticket_text import (
    Outcome,
    Tone,
    estimate_text,
    format_amount,
    format_price,
    format_quantity,
    order_outcome,
    submit_label,
)
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.ui.ticket")

TYPE_LABELS = {
    OrderType.LIMIT: "Limit",
    OrderType.MARKET: "Market",
    OrderType.LIMIT_MAKER: "Limit maker (post only)",
    OrderType.ENHANCED_LIMIT: "Enhanced limit",
    OrderType.AT_AUCTION: "At-auction",
    OrderType.AT_AUCTION_LIMIT: "At-auction limit",
    OrderType.ODD_LOT: "Odd lot",
    OrderType.SPECIAL_LIMIT: "Special limit",
}
NOT_CONNECTED = "Not connected"


class TicketForm(QWidget):
    checked = Signal(object)  # Draft: emitted after each check of the ticket

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketForm")
        self.widgets = w = build_ticket(self)
        self.preview = OrderPreviewPanel()  # shown only where the venue estimates orders
        body = w.body.layout()
        assert isinstance(body, QVBoxLayout)
        body.insertWidget(body.indexOf(w.estimate) + 1, self.preview)
        self.checked.connect(self.preview.on_checked)
        self.session: Session | None = None
        self.instrument: Instrument | None = None
        self.draft = Draft(None, ())
        self._refused: OrderRequest | None = None  # an order held back for a confirmation
        self._concerns: frozenset[str] = frozenset()  # what the user is asked to confirm for it
        self._origin = Origin.TICKET  # where the order held back came from (its confirmation rules)
        self.default_sizes: Mapping[str, Decimal] = {}  # the profile's size per symbol, filled on a symbol change
        self._attempt = 0  # the status line reports the latest submission (or, if it was held, the one before)
        self._held_attempt = -1
        self._tracked = ""  # client order id of the last order sent, whose fate the status line follows
        self._invalid_fields: set[str] = set()
        self._price_auto = True  # the price field holds a price the ticket chose, not one the user typed
        self._tif_choice: dict[OrderType, TimeInForce] = {}  # what the user chose for each type
        self._status = Outcome(Tone.OK, "")  # what the status line shows, to colour it again on a theme change
        # Market data, balances and orders each change at most once per frame, all in the same
        # frame-clock tick: a zero-delay single shot folds them into one check.
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(0)
        self._coalesce.timeout.connect(self.refresh)

        w.sides.buttonClicked.connect(self._side_chosen)
        w.type_combo.currentIndexChanged.connect(self._type_chosen)
        w.tif_combo.currentIndexChanged.connect(self._tif_chosen)
        w.by_quantity.toggled.connect(self._layout_changed)
        for edit in (w.price.edit, w.quantity.edit, w.amount.edit):
            edit.textEdited.connect(self.refresh)
        w.price.edit.textEdited.connect(self._price_typed)
        for share, button in w.percent.items():
            button.clicked.connect(lambda _=False, s=share: self.fill_percent(s))
        w.problems.use_nearest.connect(self.use_nearest)
        w.submit.clicked.connect(lambda _=False: self.submit())  # clicked passes a bool, not an origin
        w.repeat_confirm.clicked.connect(self.confirm_repeat)
        w.repeat_dismiss.clicked.connect(self._dismiss_repeat)
        self._style_submit()
        self.refresh()
        theme.notifier().changed.connect(self._theme_changed)

    def _theme_changed(self, colours: theme.Theme) -> None:
        """Style again what was styled in the previous theme's colours."""
        style_ticket(self.widgets, colours)
        self._style_submit()
        self._show_status(self._status)
        self._invalid_fields = set()  # so that the fields in error get the new border colour
        self.refresh()

    # ---- what the dock tells it ---------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        self.session = session
        self.instrument = None
        self.preview.set_session(session)
        self._tracked = ""
        self._refused = None
        self._show_status(Outcome(Tone.OK, ""))
        self.refresh()

    def set_symbol(self, symbol: str) -> None:
        """Trade ``symbol``: offer only its order types, clear the price and size of the previous one, and
        fill in the symbol's default size (Settings) when the profile has one."""
        session = self.session
        self.instrument = session.venue.instruments.get(symbol) if session is not None else None
        w = self.widgets
        for edit in (w.price.edit, w.quantity.edit, w.amount.edit):
            edit.clear()
        instrument = self.instrument
        if instrument is not None:
            w.price.unit.setText(instrument.quote_asset)
            w.quantity.unit.setText(instrument.base_asset)
            w.amount.unit.setText(instrument.quote_asset)
            w.by_amount.setText(f"by amount ({instrument.quote_asset})")
        previous = self.order_type()
        w.type_combo.blockSignals(True)
        w.type_combo.clear()
        for order_type in self.allowed_types():
            w.type_combo.addItem(TYPE_LABELS[order_type], order_type.value)
        index = w.type_combo.findData(previous.value) if previous is not None else -1
        w.type_combo.setCurrentIndex(max(index, 0))
        w.type_combo.blockSignals(False)
        self._price_auto = True
        self.fill_default_size()
        self._type_chosen()
        self._prefill_price()

    def fill_default_size(self) -> None:
        """Put the profile's default size of the symbol in the quantity field (when it has one)."""
        instrument = self.instrument
        size = self.default_sizes.get(instrument.symbol) if instrument is not None else None
        if instrument is not None and size is not None:
            self.widgets.by_quantity.setChecked(True)
            self.widgets.quantity.edit.setText(format_quantity(size, instrument))

    def on_market_changed(self, change: MarketChange) -> None:
        symbol = self.instrument.symbol if self.instrument else ""
        if symbol in change.books and not self.widgets.price.edit.text():
            self._prefill_price()
        if symbol in change.books or symbol in change.trades or symbol in change.tickers or symbol in change.bbo:
            self._check_soon()

    def on_account_changed(self, assets: set[str]) -> None:
        instrument = self.instrument
        if instrument is not None and {instrument.base_asset, instrument.quote_asset} & assets:
            self._check_soon()

    def on_orders_changed(self, change: OrderChange) -> None:
        if self._tracked and self._tracked in change.orders and self.session is not None:
            order = self.session.orders.get(self._tracked)
            if order is not None:
                self._show_status(order_outcome(order, self.session.venue.instruments.get(order.symbol)))
        if change.orders:
            self._check_soon()  # the count of open orders is one of the rules

    def on_state_changed(self, _state: str = "", _reason: str = "") -> None:
        self.refresh()

    def _check_soon(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    # ---- public API for other docks -----------------------------------------------------------

    def set_price_and_side(self, side: Side, price: Decimal) -> None:
        """Fill the price and side (a click on the ladder); a ticket whose type takes no price (market,
        at-auction) becomes a limit one."""
        instrument = self.instrument
        if instrument is None:
            return
        (self.widgets.buy if side is Side.BUY else self.widgets.sell).setChecked(True)
        order_type = self.order_type()
        if order_type is not None and not order_type.takes_price:
            index = self.widgets.type_combo.findData(OrderType.LIMIT.value)
            if index >= 0:
                self.widgets.type_combo.setCurrentIndex(index)
        self.widgets.price.edit.setText(format_price(price, instrument))
        self._price_auto = False  # picked on the ladder: the user's choice
        self._layout_changed()

    def current_size(self, side: Side) -> Decimal | None:
        """The ticket's quantity if it is usable as it stands (positive, on the step, within the
        instrument's bounds), else None. One quantity serves both sides of the ladder."""
        instrument = self.instrument
        if instrument is None:
            return None
        try:
            quantity = parse_decimal(self.widgets.quantity.edit.text(), field="quantity")
        except DecimalParseError:
            return None
        lot = instrument.lot_size
        if quantity <= 0 or not is_multiple(quantity, lot.step_size) or not lot.min_qty <= quantity <= lot.max_qty:
            return None
        return quantity

    # ---- the ticket's choices -----------------------------------------------------------------

    def side(self) -> Side:
        return Side.SELL if self.widgets.sell.isChecked() else Side.BUY

    def order_type(self) -> OrderType | None:
        data = self.widgets.type_combo.currentData()
        return OrderType(data) if data else None

    def time_in_force(self) -> TimeInForce | None:
        data = self.widgets.tif_combo.currentData()
        return TimeInForce(data) if data else None

    def allowed_types(self) -> list[OrderType]:
        """Types both the venue and the instrument accept."""
        if self.session is None or self.instrument is None:
            return []
        venue_types = self.session.venue.capabilities.order_types
        return [t for t in self.instrument.order_types if not venue_types or t in venue_types]

    def allowed_time_in_force(self, order_type: OrderType) -> list[TimeInForce]:
        if self.session is None or self.instrument is None:
            return []
        venue = self.session.venue.capabilities.time_in_force.get(order_type)
        return [tif for tif in self.instrument.time_in_force_for(order_type) if venue is None or tif in venue]

    def _default_tif(self, order_type: OrderType) -> TimeInForce:
        return (
            self.instrument.default_time_in_force(order_type) if self.instrument else DEFAULT_TIME_IN_FORCE[order_type]
        )

    def by_amount_allowed(self) -> bool:
        return (
            self.session is not None
            and self.session.venue.capabilities.market_buy_by_amount
            and self.order_type() is OrderType.MARKET
            and self.side() is Side.BUY
        )

    def ticket_input(self) -> TicketInput | None:
        order_type, instrument, w = self.order_type(), self.instrument, self.widgets
        if order_type is None or instrument is None:
            return None
        return TicketInput(
            symbol=instrument.symbol,
            side=self.side(),
            type=order_type,
            time_in_force=self.time_in_force(),
            price_text=w.price.edit.text(),
            quantity_text=w.quantity.edit.text(),
            amount_text=w.amount.edit.text(),
            by_amount=self.by_amount_allowed() and w.by_amount.isChecked(),
        )

    def _side_chosen(self) -> None:
        self._style_submit()
        if self._price_auto:
            self._prefill_price(replace=True)
        self._layout_changed()

    def _price_typed(self) -> None:
        self._price_auto = False

    def _prefill_price(self, replace: bool = False) -> None:
        """Offer the passive side of the book as the price (best bid to buy, best ask to sell), once:
        a price that jumped with the market under the user's eyes would be worse than none."""
        session, instrument, edit = self.session, self.instrument, self.widgets.price.edit
        if session is None or instrument is None or (edit.text() and not replace):
            return
        book = session.market.books.get(instrument.symbol)
        price = (book.best_bid if self.side() is Side.BUY else book.best_ask) if book else None
        if price is not None:
            edit.setText(format_price(price, instrument))
            self._price_auto = True

    def _type_chosen(self) -> None:
        """Offer the time-in-force values of the chosen type, with the one last chosen for it (else its default)."""
        order_type, tif_combo = self.order_type(), self.widgets.tif_combo
        allowed = self.allowed_time_in_force(order_type) if order_type is not None else []
        tif_combo.blockSignals(True)
        tif_combo.clear()
        for tif in allowed:
            tif_combo.addItem(tif.value, tif.value)
        if order_type is not None:
            keep = self._tif_choice.get(order_type, self._default_tif(order_type))
            tif_combo.setCurrentIndex(max(tif_combo.findData(keep.value), 0))
        tif_combo.blockSignals(False)
        self._layout_changed()

    def _tif_chosen(self) -> None:
        order_type, tif = self.order_type(), self.time_in_force()
        if order_type is not None and tif is not None:
            self._tif_choice[order_type] = tif
        self.refresh()

    def _layout_changed(self) -> None:
        w = self.widgets
        order_type = self.order_type()
        unpriced = order_type is not None and not order_type.takes_price
        amount_allowed = self.by_amount_allowed()
        by_amount = amount_allowed and w.by_amount.isChecked()
        w.form.setRowVisible(w.price.row, not unpriced)
        w.form.setRowVisible(w.size_mode, amount_allowed)
        w.form.setRowVisible(w.quantity.row, not by_amount)
        w.form.setRowVisible(w.amount.row, by_amount)
        self.refresh()

    # ---- checking -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-check the ticket now and show the outcome: problems, estimate, the submit button."""
        self._coalesce.stop()
        w, session, instrument = self.widgets, self.session, self.instrument
        ticket = self.ticket_input()
        blocker = self._connection_blocker()
        w.body.setEnabled(blocker is None)
        if blocker is not None or session is None or instrument is None or ticket is None:
            self.draft = Draft(None, ())
            w.problems.show_problems((), ())
            self._mark_fields(set())
            _show(w.estimate, "")
            self._finish(blocker or "Choose a symbol to trade")
            return
        self.draft = draft = draft_order(ticket, instrument, session.manager.check)
        fillable = {"quantity", "amount"} if not ticket.uses_price else {"price", "quantity", "amount"}
        # A field not filled in yet is not an error: it is said once, calmly, by the submit button.
        missing = [p for p in draft.problems if p.message == f"{p.field} is required"]
        errors = [p for p in draft.problems if p not in missing]
        w.problems.show_problems(tuple(errors), fillable)
        self._mark_fields({problem.field for problem in errors})
        if draft.candidate is None:
            _show(w.estimate, "")
        else:
            book = session.market.books.get(instrument.symbol)
            cost = estimate(
                draft.candidate,
                instrument,
                session.venue.fees.get(instrument.symbol),
                reference=self._market_price(),
                best_bid=book.best_bid if book else None,
                best_ask=book.best_ask if book else None,
            )
            _show(w.estimate, estimate_text(cost, instrument))
        permissions = session.venue.permissions
        if not permissions.can_trade:
            reason: str | None = f"Read-only API key: {permissions.reason or 'this key may not trade'}"
        elif errors:
            reason = errors[0].message
        elif missing:
            reason = "Enter " + " and ".join(dict.fromkeys(f"a {p.field}" for p in missing))
        else:
            reason = None
        self._finish(reason, calm=not errors and permissions.can_trade)

    def _finish(self, reason: str | None, calm: bool = False) -> None:
        w = self.widgets
        colours = theme.current()
        # Only what changed is set: a style sheet set again re-polishes the widget and its layout,
        # and this runs at every frame the book moves.
        style = f"color: {colours.muted if calm else colours.warn};"
        if w.reason.styleSheet() != style:
            w.reason.setStyleSheet(style)
        label = submit_label(self.draft.candidate, self.side(), self.instrument)
        if w.submit.text() != label:
            w.submit.setText(label)
        w.submit.setEnabled(reason is None)
        _show(w.reason, reason or "")
        w.reason.setVisible(bool(reason))
        if self._refused is not None and self._refused != self.draft.request:
            self._dismiss_repeat()
        self.checked.emit(self.draft)

    def _connection_blocker(self) -> str | None:
        session = self.session
        if session is None:
            return NOT_CONNECTED
        if session.state != "live":
            return f"{NOT_CONNECTED} ({session.state})"
        if self.instrument is None:
            return "Choose a symbol to trade"
        return None

    def _mark_fields(self, fields: set[str]) -> None:
        if fields == self._invalid_fields:
            return
        self._invalid_fields = fields
        edits = {"price": self.widgets.price.edit, "quantity": self.widgets.quantity.edit}
        edits["amount"] = self.widgets.amount.edit
        for name, edit in edits.items():
            edit.setStyleSheet(f"border: 1px solid {theme.current().sell};" if name in fields else "")

    def _market_price(self) -> Decimal | None:
        """The price market orders are judged and sized at: the order manager's reference, else the book."""
        session, instrument = self.session, self.instrument
        if session is None or instrument is None:
            return None
        reference = session.manager.reference_price(instrument.symbol)
        if reference is None:
            book = session.market.books.get(instrument.symbol)
            reference = (book.best_ask if self.side() is Side.BUY else book.best_bid) if book else None
        return reference

    def _edit_for(self, field: str) -> QLineEdit | None:
        w = self.widgets
        return {"price": w.price.edit, "quantity": w.quantity.edit, "amount": w.amount.edit}.get(field)

    def use_nearest(self, field: str, value: Decimal) -> None:
        """Put the nearest valid value of a broken rule into its field."""
        instrument, edit = self.instrument, self._edit_for(field)
        if instrument is None or edit is None:
            return
        if field == "price":
            edit.setText(format_price(value, instrument))
        elif field == "quantity":
            edit.setText(format_quantity(value, instrument))
        else:
            edit.setText(format_amount(value, instrument))
        edit.setFocus()
        self.refresh()

    # ---- sizing -------------------------------------------------------------------------------

    def fill_percent(self, share: int) -> None:
        """Size the order to ``share`` % of the free balance of the asset it spends."""
        session, instrument, ticket = self.session, self.instrument, self.ticket_input()
        if session is None or instrument is None or ticket is None:
            return
        spent = instrument.spends(ticket.side)
        balance = session.account.balances.get(spent)
        free = balance.free if balance is not None else ZERO
        if free <= 0:
            self._show_status(Outcome(Tone.WARN, f"No free {spent} to size the order from."))
            return
        unit: Decimal | None = None
        if ticket.side is Side.BUY and not ticket.uses_amount:
            unit = market_buy_unit_price(instrument, self._market_price()) if not ticket.uses_price else None
            if ticket.uses_price:
                try:
                    unit = parse_decimal(ticket.price_text, field="price")
                except DecimalParseError:
                    unit = None
        query = SizeQuery(share, ticket.side, ticket.type, ticket.time_in_force, ticket.uses_amount, free, unit)
        size = percent_size(query, instrument, session.venue.fees.get(instrument.symbol))
        if size is None:
            need = "a price" if ticket.uses_price else "a market price (none received yet)"
            self._show_status(Outcome(Tone.WARN, f"A buy is sized from the free {spent} at its price: enter {need}."))
            return
        if ticket.uses_amount:
            self.widgets.amount.edit.setText(format_amount(size, instrument))
        else:
            self.widgets.quantity.edit.setText(format_quantity(size, instrument))
        self.refresh()

    # ---- sending ------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and combo boxes pass Enter on to their parent: that is how Enter in any field submits.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.submit()
            return
        super().keyPressEvent(event)

    def submit(self, origin: Origin = Origin.TICKET) -> str | None:
        """Send the order if the ticket is valid; else return why not. The order manager holds back what
        needs a yes first (a risk limit or a setting set to "confirm", the same order as a moment ago):
        the prompt asks for it."""
        self.refresh()
        request = self.draft.request
        if request is None or not self.widgets.submit.isEnabled():
            return self.widgets.reason.text() or "the ticket is not complete"
        self._send(request, frozenset(), origin)
        return None

    def submit_as(self, side: Side) -> str | None:
        """The buy and sell keys: turn the ticket to ``side`` and send it (see ``submit``)."""
        button = self.widgets.buy if side is Side.BUY else self.widgets.sell
        if not button.isChecked():
            button.setChecked(True)
            self._side_chosen()
        return self.submit(Origin.KEYBOARD)

    def focus_quantity(self) -> None:
        edit = self.widgets.amount.edit if self.widgets.amount.edit.isVisible() else self.widgets.quantity.edit
        edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        edit.selectAll()

    def confirm_repeat(self) -> None:
        """The user confirms the order that was held back: send it, if the ticket still says so."""
        request, confirmed = self._refused, self._concerns
        self.refresh()
        if request is None or request != self.draft.request or not self.widgets.submit.isEnabled():
            self._dismiss_repeat()
            return
        self._send(request, confirmed, self._origin)

    def _dismiss_repeat(self) -> None:
        self._refused = None
        self._concerns = frozenset()
        self.widgets.repeat_prompt.hide()

    def _send(self, request: OrderRequest, confirmed: frozenset[str], origin: Origin) -> None:
        session = self.session
        if session is None:
            return
        self._dismiss_repeat()
        self._origin = origin
        self._tracked = ""
        self._attempt += 1
        self._show_status(Outcome(Tone.PENDING, f"Sending: {submit_label(request, request.side, self.instrument)}…"))
        session.spawn(self._place(session, request, confirmed, origin, self._attempt))

    def _hold(self, request: OrderRequest, held: NeedsConfirmation, confirmed: frozenset[str]) -> None:
        self._refused = request
        self._concerns = held.keys | confirmed
        w = self.widgets
        w.repeat_text.setText("\n".join(concern.text for concern in held.concerns) + "\nSend it anyway?")
        w.repeat_confirm.setText("Send it again" if held.keys == {REPEAT} else "Send anyway")
        w.repeat_prompt.show()
        what = "the same order as a moment ago" if held.keys == {REPEAT} else "it needs your confirmation"
        self._show_status(Outcome(Tone.WARN, f"Not sent: {what}."))

    async def _place(
        self, session: Session, request: OrderRequest, confirmed: frozenset[str], origin: Origin, attempt: int
    ) -> None:
        instrument = session.venue.instruments.get(request.symbol)
        tracked = ""
        source = "ticket" if origin is Origin.TICKET else f"ticket ({origin.value})"
        try:
            order = await session.manager.place(request, source=source, confirmed=confirmed, origin=origin)
        except NeedsConfirmation as held:
            if shiboken6.isValid(self) and session is self.session and attempt == self._attempt:
                self._held_attempt = attempt
                self._hold(request, held, confirmed)
            return
        except TicketError as error:
            outcome = Outcome(Tone.ERROR, f"Not sent: {error.reason}")
        except VenueError as error:
            outcome = Outcome(Tone.ERROR, describe_error(error))
        except Exception:
            log.exception("the ticket could not place an order")
            outcome = Outcome(Tone.ERROR, "Not sent: the terminal failed while sending (details in the log).")
        else:
            tracked = order.client_order_id
            outcome = order_outcome(session.orders.get(tracked) or order, instrument)
        latest = self._attempt in (attempt, self._held_attempt)
        if shiboken6.isValid(self) and session is self.session and latest:
            self._tracked = tracked or self._tracked
            self._show_status(outcome)

    def _show_status(self, outcome: Outcome) -> None:
        self._status = outcome
        colours = theme.current()
        colour = {Tone.OK: colours.text, Tone.PENDING: colours.muted, Tone.WARN: colours.warn}.get(
            outcome.tone, colours.sell
        )
        self.widgets.status.setStyleSheet(f"color: {colour};")
        self.widgets.status.setText(outcome.text)
        self.widgets.status.setProperty("tone", outcome.tone.value)

    def _style_submit(self) -> None:
        colour = theme.current().buy if self.side() is Side.BUY else theme.current().sell
        self.widgets.submit.setStyleSheet(
            f"QPushButton:enabled {{ background: {colour}; color: white; font-weight: bold; }}"
        )


def _show(label: QLabel, text: str) -> None:
    """Set a label's text only if it differs: ``QLabel.clear`` and a new text re-lay out the form."""
    if label.text() != text:
        label.setText(text)
