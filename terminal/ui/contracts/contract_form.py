"""The contract ticket's behaviour: describes a contract, has the venue price it live, and buys it at that price.

Every change of a field is checked at once (problems in words) and priced after a short pause, so that
typing "100" asks for one price, not three. Nothing invalid is priced or bought, and the desk checks
again before a buy leaves; outcomes show in the status line in words.
"""

from __future__ import annotations

from decimal import Decimal

import shiboken6
from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from terminal.domain.contracts import (
    CONTRACT_TYPE_BY_CODE,
    DURATION_LIMITS,
    BarrierKind,
    Basis,
    ContractSpec,
    ContractType,
    DurationUnit,
    Purchase,
)
from terminal.domain.decimals import format_decimal
from terminal.domain.instrument import Instrument
from terminal.session.contract_desk import ContractDesk
from terminal.session.contract_store import ContractChange
from terminal.session.market_store import MarketChange
from terminal.session.order_manager import Notice
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.contracts.contract_fields import (
    BASIS_LABELS,
    DIGIT_PATTERN,
    PRICE_BARRIER_PATTERN,
    build_contract,
    style_contract,
)
from terminal.ui.contracts.contract_input import ContractInput, SpecDraft, draft_spec
from terminal.ui.contracts.contract_text import (
    MONEY_STEP,
    account_line,
    buy_label,
    local_clock,
    money,
    quote_figures,
    sentence,
    type_label,
)
from terminal.ui.ticket.ticket_text import Outcome, Tone

PRICE_DELAY_MS = 250  # a pause in typing before the venue is asked for a price
NOT_CONNECTED = "Not connected"
DEFAULT_AMOUNT = "10"
DEFAULT_DURATION = 5  # of the first unit the type offers (5 ticks for Rise and Fall); clamped to other units' bounds
DEFAULT_DIGIT = "5"
BARRIER_PIPS = 50  # a new price barrier starts this many pips from the spot
DIGIT_HINT = "The barrier is a last digit of the spot, 0 to 9."
PRICE_HINT = "A barrier is an offset from the spot ({up} above, {down} below) or an absolute price."
NOT_OFFERED = "the venue does not offer this contract (its reason is above)"
FILLABLE = ("amount", "duration")  # fields whose problems offer "use nearest"


class ContractForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contractForm")
        self.widgets = w = build_contract(self)
        self.session: Session | None = None
        self.instrument: Instrument | None = None
        self.draft = SpecDraft(None)
        self._barrier_kind = BarrierKind.NONE
        self._barriers: dict[BarrierKind, tuple[str, str]] = {}  # what was typed for each kind of barrier
        self._last_spot: Decimal | None = None
        self._buying = False  # from the click until the desk has answered
        self._attempt = 0
        self._status = Outcome(Tone.OK, "")
        self._invalid: set[str] = set()
        self._price_timer = QTimer(self)
        self._price_timer.setSingleShot(True)
        self._price_timer.setInterval(PRICE_DELAY_MS)
        self._price_timer.timeout.connect(self.price_now)

        w.amount.setText(DEFAULT_AMOUNT)
        w.type_combo.currentIndexChanged.connect(self._type_chosen)
        w.basis.currentIndexChanged.connect(self._basis_chosen)
        w.unit.currentIndexChanged.connect(self._unit_chosen)
        # The spin box's own signal for new values (it blocks its line edit's signals when it sets the text),
        # the line edit's for what is typed, also while it is not a value yet.
        w.duration.textChanged.connect(self._changed)
        w.duration.lineEdit().textChanged.connect(self._changed)
        w.duration.editingFinished.connect(self._changed)  # leaving it, a text that is no value goes back to the last
        for edit in (w.amount, w.barrier, w.barrier2):
            edit.textChanged.connect(self._changed)
        w.problems.use_nearest.connect(self.use_nearest)
        w.buy.clicked.connect(lambda _=False: self.buy())
        self._type_chosen()
        w.duration.setValue(DEFAULT_DURATION)
        theme.notifier().changed.connect(self._theme_changed)

    def _theme_changed(self, colours: theme.Theme) -> None:
        style_contract(self.widgets, colours)
        self._show_status(self._status)
        self._invalid = set()  # the fields in error get the new border colour
        self._last_spot = None
        self._show_spot()
        self.refresh()

    # ---- what the dock tells it ---------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Bind to ``session`` (None: unbind); the previous session stops pricing the ticket's contract."""
        previous = self.session
        desk = previous.desk if previous is not None and shiboken6.isValid(previous) else None
        if desk is not None and previous is not session:
            desk.price(None)
        self.session = session
        self.instrument = None
        self._buying = False
        self._last_spot = None
        self._price_timer.stop()
        self._show_status(Outcome(Tone.OK, ""))
        self._show_symbol()
        self.refresh()

    def set_symbol(self, symbol: str) -> None:
        """Trade ``symbol`` (the session's active symbol): show it and its last spot, and price it."""
        session = self.session
        self.instrument = session.venue.instruments.get(symbol) if session is not None else None
        self._last_spot = None
        if self._barrier_kind is BarrierKind.PRICE:  # offsets are in the symbol's pips: start afresh
            for edit in (self.widgets.barrier, self.widgets.barrier2):
                edit.blockSignals(True)
                edit.clear()
                edit.blockSignals(False)
            self._fill_barriers(CONTRACT_TYPE_BY_CODE[self.contract_type()])
        else:
            self._barriers.pop(BarrierKind.PRICE, None)
        self._show_symbol()
        self._changed()

    def on_contracts_changed(self, change: ContractChange) -> None:
        if change.account:
            self._changed()  # the currency is part of the contract
        elif change.quote:
            self.refresh()

    def on_market_changed(self, change: MarketChange) -> None:
        if self.instrument is not None and self.instrument.symbol in change.trades:
            self._show_spot()

    def on_account_changed(self, assets: set[str]) -> None:
        account = self.session.contracts.account if self.session is not None else None
        if account is not None and account.currency in assets:
            self._show_account()

    def on_state_changed(self, state: str = "", _reason: str = "") -> None:
        if state == "live":
            self._changed()
        else:
            self.refresh()

    # ---- the ticket's choices -----------------------------------------------------------------

    def contract_type(self) -> str:
        return str(self.widgets.type_combo.currentData())

    def basis(self) -> Basis:
        return Basis(self.widgets.basis.currentData())

    def duration_unit(self) -> DurationUnit:
        return DurationUnit(self.widgets.unit.currentData())

    def currency(self) -> str:
        account = self.session.contracts.account if self.session is not None else None
        return account.currency if account is not None else ""

    def contract_input(self) -> ContractInput | None:
        instrument, w = self.instrument, self.widgets
        if instrument is None:
            return None
        return ContractInput(
            symbol=instrument.symbol,
            contract_type=self.contract_type(),
            basis=self.basis(),
            amount_text=w.amount.text(),
            duration_text=w.duration.cleanText(),
            duration_unit=self.duration_unit(),
            currency=self.currency(),
            barrier_text=w.barrier.text(),
            barrier2_text=w.barrier2.text(),
        )

    @property
    def spec(self) -> ContractSpec | None:
        """The contract the fields describe, if it may be priced."""
        return self.draft.spec

    def _type_chosen(self) -> None:
        """Offer the chosen type's duration units and barriers, keeping what still fits."""
        w = self.widgets
        kind = CONTRACT_TYPE_BY_CODE[self.contract_type()]
        unit = w.unit.currentData()
        w.unit.blockSignals(True)
        w.unit.clear()
        for allowed in kind.units:
            w.unit.addItem(allowed.label, allowed.value)
        w.unit.setCurrentIndex(max(w.unit.findData(unit), 0))
        w.unit.blockSignals(False)
        self._set_duration_bounds()
        self._fill_barriers(kind)
        self._show_spot()
        self._changed()

    def _fill_barriers(self, kind: ContractType) -> None:
        w = self.widgets
        if self._barrier_kind is not BarrierKind.NONE:
            self._barriers[self._barrier_kind] = (w.barrier.text(), w.barrier2.text())
        self._barrier_kind = kind.barrier_kind
        first, second = self._barriers.get(kind.barrier_kind, ("", ""))
        up, down = self._default_offsets()
        if kind.barrier_kind is BarrierKind.DIGIT:
            pattern, first = DIGIT_PATTERN, first or DEFAULT_DIGIT
            w.barrier_label.setText("Digit")
            w.barrier_hint.setText(DIGIT_HINT)
        else:
            pattern, first, second = PRICE_BARRIER_PATTERN, first or up, second or down
            w.barrier_label.setText("High barrier" if kind.barriers == 2 else "Barrier")
            w.barrier2_label.setText("Low barrier")
            w.barrier_hint.setText(PRICE_HINT.format(up=up, down=down))
        for edit, text in ((w.barrier, first), (w.barrier2, second)):
            edit.blockSignals(True)
            edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))
            edit.setText(text)
            edit.blockSignals(False)
        w.form.setRowVisible(w.barrier, kind.barriers >= 1)
        w.form.setRowVisible(w.barrier2, kind.barriers == 2)
        w.form.setRowVisible(w.barrier_hint, kind.barriers >= 1)

    def _default_offsets(self) -> tuple[str, str]:
        """ "+0.50" and "-0.50": a few pips of the symbol from the spot."""
        pip = self.instrument.tick_size if self.instrument is not None else Decimal("0.1")
        offset = format_decimal(pip * BARRIER_PIPS, pip)
        return f"+{offset}", f"-{offset}"

    def _basis_chosen(self) -> None:
        self.widgets.amount_label.setText(BASIS_LABELS[self.basis()])
        self._changed()

    def _unit_chosen(self) -> None:
        self._set_duration_bounds()
        self._changed()

    def _set_duration_bounds(self) -> None:
        low, high = DURATION_LIMITS[self.duration_unit()]
        spin = self.widgets.duration
        spin.blockSignals(True)
        spin.setRange(low, high)
        spin.blockSignals(False)
        spin.setToolTip(f"{low} to {high} {self.duration_unit().label}")

    def use_nearest(self, field: str, value: Decimal) -> None:
        """Put the nearest valid value of a broken rule into its field."""
        w = self.widgets
        if field == "amount":
            w.amount.setText(format_decimal(value, MONEY_STEP))
            w.amount.setFocus()
        elif field == "duration":
            # The text, not setValue: the spin box still holds its last valid value, which may be this one.
            w.duration.lineEdit().setText(str(int(value)))
            w.duration.interpretText()
            w.duration.setFocus()
        self._changed()

    def focus_amount(self) -> None:
        """Put the cursor in the amount, its text selected (the "focus the ticket" key)."""
        self.widgets.amount.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.widgets.amount.selectAll()

    # ---- checking and pricing -----------------------------------------------------------------

    def _changed(self) -> None:
        """A field changed: check now, price once the user pauses."""
        self.refresh()
        if self._desk() is not None:
            self._price_timer.start()

    def price_now(self) -> None:
        """Ask the venue to price what the fields say (nothing, while they say nothing valid)."""
        self._price_timer.stop()
        desk = self._desk()
        if desk is None:
            return
        self.refresh()  # what the fields say now
        desk.price(self.draft.spec if self._blocker() is None else None)
        self.refresh()

    def _desk(self) -> ContractDesk | None:
        return self.session.desk if self.session is not None else None

    def _blocker(self) -> str | None:
        session = self.session
        if session is None:
            return NOT_CONNECTED
        if session.desk is None:
            return "This venue trades orders, not contracts"
        if session.state != "live":
            return f"{NOT_CONNECTED} ({session.state})"
        if self.instrument is None:
            return "Choose a symbol to trade"
        return None

    def refresh(self) -> None:
        """Check the ticket now and show the outcome: problems, the live price, the buy button."""
        w, session, desk = self.widgets, self.session, self._desk()
        blocker = self._blocker()
        w.body.setEnabled(blocker is None)
        self._show_account()
        given = self.contract_input()
        if blocker is not None or session is None or desk is None or given is None:
            self.draft = SpecDraft(None)
            w.problems.show_problems((), ())
            self._mark_fields(set())
            w.quote.show_waiting("")
            self._finish(blocker or NOT_CONNECTED, calm=True)
            return
        self.draft = draft = draft_spec(given)
        w.problems.show_problems(draft.problems, FILLABLE)
        self._mark_fields({problem.field for problem in draft.problems})
        self._show_quote(desk, draft)
        permissions = session.venue.permissions
        if not permissions.can_trade:
            self._finish(f"Read-only token: {permissions.reason or 'this token may not trade'}")
        elif draft.problems:
            self._finish(sentence(draft.problems[0].message))
        elif draft.spec is None:
            self._finish(draft.missing, calm=True)
        elif self._buying or desk.buying:
            self._finish("A buy is on its way", calm=True)
        else:
            refusal = desk.buy_refusal(draft.spec)
            event = desk.store.proposal
            if refusal and event is not None and event.quote is None and refusal == event.error:
                refusal = NOT_OFFERED  # the venue's own words are in the quote panel, in red
            self._finish(sentence(refusal) or None, calm=refusal == "waiting for the venue's price")

    def _show_quote(self, desk: ContractDesk, draft: SpecDraft) -> None:
        panel, store = self.widgets.quote, desk.store
        event = store.proposal if draft.spec is not None and store.pricing == draft.spec else None
        if draft.spec is None:
            panel.show_waiting("No price until the contract is complete and valid.")
        elif event is None:
            panel.show_waiting()
        elif event.quote is None:
            panel.show_error(event.error or "The venue does not price this contract.")
        else:
            quote = event.quote
            spot = fmt.price(quote.spot, self.instrument)
            if quote.spot_time_ms:
                spot = f"{spot} at {local_clock(quote.spot_time_ms)}"
            panel.show_quote(quote_figures(quote, draft.spec.currency), spot)

    def _finish(self, reason: str | None, calm: bool = False) -> None:
        """The buy button and the sentence beside it that says why it cannot be pressed."""
        w, desk = self.widgets, self._desk()
        colours = theme.current()
        style = f"color: {colours.muted if calm else colours.warn};"
        if w.reason.styleSheet() != style:
            w.reason.setStyleSheet(style)
        spec = self.draft.spec
        event = desk.store.proposal if desk is not None and spec is not None and desk.store.pricing == spec else None
        quote = event.quote if event is not None else None
        buying = self._buying or (desk is not None and desk.buying)
        label = buy_label(quote, spec.currency if spec else "", buying)
        if w.buy.text() != label:
            w.buy.setText(label)
        w.buy.setEnabled(reason is None and not buying)
        w.buy.setToolTip(reason or "")
        _show(w.reason, reason or "")
        w.reason.setVisible(bool(reason))

    def _mark_fields(self, fields: set[str]) -> None:
        if fields == self._invalid:
            return
        self._invalid = fields
        w = self.widgets
        border = f"border: 1px solid {theme.current().sell};"
        for name, widget in (("amount", w.amount), ("duration", w.duration), ("barrier", w.barrier)):
            widget.setStyleSheet(border if name in fields else "")
        w.barrier2.setStyleSheet(border if "barrier" in fields else "")

    # ---- what it shows besides the fields -----------------------------------------------------

    def _show_account(self) -> None:
        session = self.session
        _show(self.widgets.currency, self.currency())
        if session is None:
            _show(self.widgets.account, "")
            return
        account = session.contracts.account
        balance = session.account.balances.get(account.currency) if account is not None else None
        total = balance.total if balance is not None else (account.balance if account is not None else None)
        _show(self.widgets.account, account_line(account, session.venue.permissions.scopes, total))

    def _show_symbol(self) -> None:
        w, instrument = self.widgets, self.instrument
        if instrument is None:
            _show(w.symbol, "")
            w.symbol.setToolTip("")
        else:
            name = instrument.name or instrument.symbol
            _show(w.symbol, f"{name} · {instrument.symbol}" if name != instrument.symbol else name)
            w.symbol.setToolTip(instrument.group)
        self._show_spot()

    def _show_spot(self) -> None:
        """The last tick of the symbol, coloured by its move; its last digit for digit contracts."""
        w, session, instrument = self.widgets, self.session, self.instrument
        if session is None or instrument is None:
            _show(w.spot, "")
            return
        tick = session.market.last_trade(instrument.symbol)
        if tick is None:
            _show(w.spot, "Spot: waiting for the first tick…")
            w.spot.setStyleSheet(f"color: {theme.current().muted};")
            return
        text = fmt.price(tick.price, instrument)
        line = f"Spot {text}"
        if self._barrier_kind is BarrierKind.DIGIT:
            line += f" · last digit {text[-1]}"
        _show(w.spot, f"{line} · {local_clock(tick.time_ms)}")
        colours, previous = theme.current(), self._last_spot
        if previous is None or previous == tick.price:
            colour = colours.text
        else:
            colour = colours.buy if tick.price > previous else colours.sell
        style = f"color: {colour};"
        if w.spot.styleSheet() != style:
            w.spot.setStyleSheet(style)
        self._last_spot = tick.price

    # ---- buying -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Edits, spin and combo boxes pass Enter on to their parent: Enter in any field buys (as on the order ticket).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.buy()
            return
        super().keyPressEvent(event)

    def buy(self) -> str | None:
        """Buy the contract at its live price if the ticket allows it; else return why not."""
        self.price_now()  # a spec still waiting for its pause is priced now (the buy then waits for that price)
        session, desk, spec = self.session, self._desk(), self.draft.spec
        if session is None or desk is None or spec is None or not self.widgets.buy.isEnabled():
            return self.widgets.reason.text() or "the ticket is not complete"
        self._buying = True
        self._attempt += 1
        event = desk.store.proposal
        cost = money(event.quote.ask_price, spec.currency) if event and event.quote else ""
        what = f"{type_label(spec.contract_type)} on {spec.symbol}"
        self._show_status(Outcome(Tone.PENDING, f"Buying {what} for {cost}…" if cost else f"Buying {what}…"))
        session.spawn(self._buy(session, desk, spec, self._attempt))
        self.refresh()
        return None

    async def _buy(self, session: Session, desk: ContractDesk, spec: ContractSpec, attempt: int) -> None:
        said: list[Notice] = []  # what the desk tells the session about this buy, to repeat its refusal here

        def hear(notice: Notice) -> None:
            said.append(notice)

        session.notice.connect(hear)
        purchase: Purchase | None = None
        try:
            purchase = await desk.buy(spec)
        finally:
            if shiboken6.isValid(session):
                session.notice.disconnect(hear)
            if shiboken6.isValid(self) and session is self.session and attempt == self._attempt:
                self._buying = False
                self._show_status(_buy_outcome(purchase, spec, said))
                self.refresh()

    def _show_status(self, outcome: Outcome) -> None:
        self._status = outcome
        colours = theme.current()
        colour = {Tone.OK: colours.text, Tone.PENDING: colours.muted, Tone.WARN: colours.warn}.get(
            outcome.tone, colours.sell
        )
        self.widgets.status.setStyleSheet(f"color: {colour};")
        _show(self.widgets.status, outcome.text)
        self.widgets.status.setProperty("tone", outcome.tone.value)


def _buy_outcome(purchase: Purchase | None, spec: ContractSpec, said: list[Notice]) -> Outcome:
    if purchase is not None:
        return Outcome(
            Tone.OK,
            f"Bought contract {purchase.contract_id} for {money(purchase.buy_price, spec.currency)} "
            f"(payout {money(purchase.payout, spec.currency)}).",
        )
    about_buy = [n for n in said if n.text.startswith(("Not bought", "The buy of"))]
    if not about_buy:
        return Outcome(Tone.ERROR, "Not bought (the log says why).")
    last = about_buy[-1]
    return Outcome(Tone.WARN if last.level == "warning" else Tone.ERROR, last.text)


def _show(label: QLabel | QLineEdit, text: str) -> None:
    """Set a label's text only if it differs: a new text re-lays out the form."""
    if label.text() != text:
        label.setText(text)
