"""The contract ticket on a real session over an in-memory contract venue: what it prices, explains, shows and buys."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QScrollArea
from pytestqt.qtbot import QtBot

from terminal.domain.contracts import Basis, ContractSpec, DurationUnit
from terminal.domain.enums import Side
from terminal.ui import theme
from terminal.ui.contracts import ContractForm
from terminal.ui.contracts.contract_form import PRICE_DELAY_MS
from terminal.ui.ticket import TicketDock
from terminal.venues.base import Topic
from terminal.venues.errors import InsufficientFunds
from tests.support.qt import wait
from tests.ui.contract_fakes import (
    READ_ONLY_REASON,
    FakeContractVenue,
    Rig,
    close_rig,
    open_rig,
    proposal,
    quote,
    tick,
)

D = Decimal
RISE_5_TICKS = ContractSpec("R_100", "CALL", D("10"), Basis.STAKE, 5, DurationUnit.TICKS, "USD")


@pytest.fixture
def rig(qtbot: QtBot, aloop: object) -> Iterator[Rig]:
    rig = open_rig(qtbot)
    yield rig
    close_rig(qtbot, rig)


@pytest.fixture
def dock(qtbot: QtBot, rig: Rig) -> Iterator[TicketDock]:
    dock = TicketDock()
    qtbot.addWidget(dock)
    dock.resize(380, 700)
    dock.bind(rig.session)
    dock.show()
    yield dock
    dock.bind(None)


def _type(edit: QLineEdit, text: str) -> None:
    """Replace the field's text as a user would, key by key."""
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def _choose(form: ContractForm, code: str) -> None:
    combo = form.widgets.type_combo
    combo.setCurrentIndex(combo.findData(code))


def _priced(qtbot: QtBot, rig: Rig, spec: ContractSpec) -> None:
    wait(qtbot, lambda: rig.session.contracts.pricing == spec, timeout=5)


def _quoted(qtbot: QtBot, rig: Rig, spec: ContractSpec, **kwargs: str) -> None:
    """The venue answers the ticket's proposal with a price."""
    _priced(qtbot, rig, spec)
    rig.venue.emit(proposal(spec, quote(**kwargs)))
    rig.frame()


def test_a_contract_venue_gets_the_contract_ticket_fed_by_ticks(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    form = dock.contract_form
    assert dock.windowTitle() == "Contract ticket" and dock.trades_contracts
    page = dock.stack.currentWidget()
    assert isinstance(page, QScrollArea) and page.widget() is form
    assert (Topic.TRADES, "R_100") in rig.venue.watched
    assert all(topic is not Topic.DEPTH for topic, _ in rig.venue.watched)  # no order book on a contract venue
    dock.set_price_and_side(Side.BUY, D("1234.56"))  # a ladder click: nothing to take from it
    assert dock.current_size(Side.BUY) is None
    assert form.widgets.symbol.text() == "Volatility 100 Index · R_100"
    assert form.widgets.spot.text() == "Spot: waiting for the first tick…"
    rig.venue.emit(tick("1234.5"))
    rig.frame()
    assert form.widgets.spot.text().startswith("Spot 1,234.50 · ")
    rig.venue.emit(tick("1233.07", at_ms=1_700_000_001_000))
    rig.frame()
    assert form.widgets.spot.text().startswith("Spot 1,233.07")
    assert theme.current().sell in form.widgets.spot.styleSheet()  # it fell
    assert form.widgets.account.text() == "VRTC42 · USD · virtual · balance 10,000.00 USD · token: read, trade"
    assert form.widgets.currency.text() == "USD"
    dock.bind(None)
    assert dock.windowTitle() == "Order ticket"
    assert not form.widgets.body.isEnabled() and form.widgets.reason.text() == "Not connected"


def test_the_fields_are_priced_once_the_user_pauses(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    form = dock.contract_form
    _priced(qtbot, rig, RISE_5_TICKS)  # the defaults: a 10 USD stake on Rise over 5 ticks
    assert rig.venue.proposed == [RISE_5_TICKS]
    assert form.widgets.quote.message.text() == "Waiting for price…"
    assert not form.widgets.buy.isEnabled()
    _type(form.widgets.amount, "25.5")  # four keys, one price
    assert rig.session.contracts.pricing == RISE_5_TICKS  # not yet: the pause has not passed
    qtbot.wait(PRICE_DELAY_MS + 100)
    wanted = ContractSpec("R_100", "CALL", D("25.5"), Basis.STAKE, 5, DurationUnit.TICKS, "USD")
    assert rig.venue.proposed == [RISE_5_TICKS, wanted]
    assert rig.venue.proposals[0][1].released  # one live proposal stream at a time
    form.widgets.basis.setCurrentIndex(form.widgets.basis.findData(Basis.PAYOUT.value))
    form.widgets.unit.setCurrentIndex(form.widgets.unit.findData(DurationUnit.MINUTES.value))
    form.widgets.duration.setValue(3)
    assert form.widgets.amount_label.text() == "Payout"
    _priced(qtbot, rig, ContractSpec("R_100", "CALL", D("25.5"), Basis.PAYOUT, 3, DurationUnit.MINUTES, "USD"))


def test_invalid_fields_are_explained_and_nothing_is_priced(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    form, w = dock.contract_form, dock.contract_form.widgets
    _priced(qtbot, rig, RISE_5_TICKS)
    _type(w.amount, "0")
    assert w.problems.messages() == ["the stake must be more than zero"]
    assert not w.buy.isEnabled() and w.reason.text() == "The stake must be more than zero"
    wait(qtbot, lambda: rig.session.contracts.pricing is None)  # the last price no longer applies
    assert rig.venue.proposals[-1][1].released
    assert w.quote.message.text() == "No price until the contract is complete and valid."

    _type(w.amount, "10.005")
    assert w.problems.messages() == ["the stake must be a multiple of 0.01 (e.g. 10.00)"]
    assert theme.current().sell in w.amount.styleSheet()
    nearest = w.problems.findChild(QPushButton, "useNearest")
    assert nearest is not None
    wait(qtbot, nearest.isVisible)
    QTest.mouseClick(nearest, Qt.MouseButton.LeftButton)
    assert w.amount.text() == "10.00" and w.problems.messages() == [] and w.amount.styleSheet() == ""
    _type(w.amount, "")
    assert w.problems.messages() == [] and w.reason.text() == "Enter a stake"  # not an error: said calmly

    _type(w.amount, "10")
    w.unit.setCurrentIndex(w.unit.findData(DurationUnit.SECONDS.value))
    _type(w.duration.lineEdit(), "5")  # the spin box lets it be typed: it could become 50
    assert w.problems.messages() == ["the duration must be 15 to 86400 seconds"]
    assert theme.current().sell in w.duration.styleSheet()

    _choose(form, "ONETOUCH")
    _type(w.barrier, "+")
    assert w.problems.messages() == ["the barrier '+' must be a price (1234.5) or an offset from the spot (+0.5, -2)"]
    count = len(rig.venue.proposed)
    qtbot.wait(PRICE_DELAY_MS + 100)
    assert len(rig.venue.proposed) == count and rig.session.contracts.pricing is None


def test_barrier_fields_appear_for_the_types_that_need_them(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    form, w = dock.contract_form, dock.contract_form.widgets

    def units() -> list[str]:
        return [str(w.unit.itemData(i)) for i in range(w.unit.count())]

    assert not w.barrier.isVisible() and not w.barrier2.isVisible()
    assert units() == ["t", "s", "m", "h", "d"]

    _choose(form, "ONETOUCH")
    assert w.barrier.isVisible() and not w.barrier2.isVisible()
    assert w.barrier_label.text() == "Barrier" and w.barrier.text() == "+0.50"
    assert w.barrier_hint.isVisible() and "offset from the spot" in w.barrier_hint.text()
    assert units() == ["s", "m", "h", "d"]  # touch contracts run for a time, not ticks
    _priced(
        qtbot, rig, ContractSpec("R_100", "ONETOUCH", D("10"), Basis.STAKE, 15, DurationUnit.SECONDS, "USD", "+0.50")
    )

    _choose(form, "EXPIRYRANGE")
    assert w.barrier.isVisible() and w.barrier2.isVisible()
    assert (w.barrier_label.text(), w.barrier2_label.text()) == ("High barrier", "Low barrier")
    assert (w.barrier.text(), w.barrier2.text()) == ("+0.50", "-0.50")
    _type(w.barrier, "1240.5")
    _priced(
        qtbot,
        rig,
        ContractSpec("R_100", "EXPIRYRANGE", D("10"), Basis.STAKE, 15, DurationUnit.SECONDS, "USD", "1240.5", "-0.50"),
    )

    _choose(form, "DIGITMATCH")
    assert w.barrier.isVisible() and not w.barrier2.isVisible()
    assert w.barrier_label.text() == "Digit" and w.barrier.text() == "5"
    assert units() == ["t"]
    _type(w.barrier, "73")  # one digit only: the field takes the first
    assert w.barrier.text() == "7"
    _priced(qtbot, rig, ContractSpec("R_100", "DIGITMATCH", D("10"), Basis.STAKE, 10, DurationUnit.TICKS, "USD", "7"))

    _choose(form, "EXPIRYMISS")  # back to price barriers: what was typed for them is kept
    assert (w.barrier.text(), w.barrier2.text()) == ("1240.5", "-0.50")
    _choose(form, "DIGITEVEN")
    assert not w.barrier.isVisible() and not w.barrier2.isVisible()


def test_a_quote_shows_cost_payout_profit_and_terms(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    w = dock.contract_form.widgets
    rig.venue.emit(tick("1234.56"))
    _quoted(qtbot, rig, RISE_5_TICKS, ask="10", payout="19.54", spot="1234.56")
    panel = w.quote
    assert panel.cost.text() == "10.00 USD"
    assert panel.payout.text() == "19.54 USD"
    assert panel.profit.text() == "+9.54 USD (+95.40 %)"
    assert panel.spot.text().startswith("1,234.56 at ")
    assert panel.longcode.text().startswith("Win payout if Volatility 100 Index after 5 ticks")
    assert not panel.message.isVisible()
    assert w.buy.isEnabled() and w.buy.text() == "Buy for 10.00 USD"
    assert not w.reason.isVisible()
    _type(w.amount, "11")  # another contract: its price is not known yet
    assert panel.message.text() == "Waiting for price…" and not w.buy.isEnabled()


def test_a_proposal_error_is_shown_in_words_in_red(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    w = dock.contract_form.widgets
    _priced(qtbot, rig, RISE_5_TICKS)
    rig.venue.emit(proposal(RISE_5_TICKS, None, "Contracts on this market with a duration of 5 ticks are unavailable."))
    rig.frame()
    assert w.quote.message.text() == "Contracts on this market with a duration of 5 ticks are unavailable."
    assert theme.current().sell in w.quote.message.styleSheet()
    assert not w.quote.cost.isVisible()
    assert not w.buy.isEnabled()
    assert w.reason.text() == "The venue does not offer this contract (its reason is above)"


def test_without_the_trade_scope_buying_is_refused_in_words(qtbot: QtBot, aloop: object) -> None:
    rig = open_rig(qtbot, FakeContractVenue(can_trade=False))
    dock = TicketDock()
    qtbot.addWidget(dock)
    try:
        dock.bind(rig.session)
        dock.show()
        w = dock.contract_form.widgets
        _quoted(qtbot, rig, RISE_5_TICKS)
        assert w.quote.cost.text() == "10.00 USD"  # a read-only token may still explore prices
        assert not w.buy.isEnabled()
        assert w.reason.isVisible() and w.reason.text() == f"Read-only token: {READ_ONLY_REASON}"
        assert READ_ONLY_REASON in w.buy.toolTip()
        assert w.account.text().endswith("token: read")
        QTest.mouseClick(w.buy, Qt.MouseButton.LeftButton)
        QTest.keyClick(w.amount, Qt.Key.Key_Return)
        qtbot.wait(50)
        assert rig.venue.bought == []
    finally:
        dock.bind(None)
        close_rig(qtbot, rig)


def test_buy_takes_the_live_price_and_says_buying_meanwhile(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    w = dock.contract_form.widgets
    rig.venue.buy_gate = gate = asyncio.Event()
    _quoted(qtbot, rig, RISE_5_TICKS, ask="10", payout="19.54")
    QTest.mouseClick(w.buy, Qt.MouseButton.LeftButton)
    assert w.buy.text() == "Buying…" and not w.buy.isEnabled()
    assert w.status.text() == "Buying Rise on R_100 for 10.00 USD…"
    wait(qtbot, lambda: len(rig.venue.bought) == 1)
    assert rig.venue.bought[0].ask_price == D("10") and rig.session.desk is not None and rig.session.desk.buying
    QTest.mouseClick(w.buy, Qt.MouseButton.LeftButton)  # a second click while the first is on its way
    gate.set()
    wait(qtbot, lambda: w.status.text().startswith("Bought contract"))
    assert w.status.text() == "Bought contract 250000001 for 10.00 USD (payout 19.54 USD)."
    assert len(rig.venue.bought) == 1
    assert rig.venue.followed == [250000001]  # the desk follows what was bought
    assert w.buy.isEnabled() and w.buy.text() == "Buy for 10.00 USD"


def test_a_refused_buy_is_said_on_the_ticket(qtbot: QtBot, rig: Rig, dock: TicketDock) -> None:
    w = dock.contract_form.widgets
    rig.venue.buy_error = InsufficientFunds("InsufficientBalance", "Your account balance is insufficient.")
    _quoted(qtbot, rig, RISE_5_TICKS)
    QTest.keyClick(w.amount, Qt.Key.Key_Enter)  # Enter in a field buys, as on the order ticket
    wait(qtbot, lambda: w.status.text().startswith("Not bought"))
    assert w.status.text() == "Not bought: Not enough funds: Your account balance is insufficient."
    assert w.status.property("tone") == "error"
    assert w.buy.isEnabled()
