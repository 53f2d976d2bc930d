"""Hypothesis fuzzes every field and button of the order ticket on a live session against the demo
exchange: nothing crashes, and every order request that leaves the terminal is one the venue's
rules allow (checked on the wire, and by the venue's answer).

The repeat guard and any confirmation the ticket asks for may hold an order back: the checks only
require that no more orders leave than the user pressed for, and that each one is valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.decimals import ceil_to, decimals_of, floor_to
from terminal.domain.enums import OrderType
from terminal.ui.ticket import TicketDock
from tests.support.fuzz_input import number_text, paste, plain_text, type_keys
from tests.support.fuzz_session import (
    SYMBOL,
    FuzzSession,
    Tally,
    fuzz_session,
    require_qt_exception_capture,
    run_examples,
)
from tests.support.logged_errors import LoggedErrors, logged_errors
from tests.support.qt import wait
from tests.support.request_guard import VENUE_RULES, WireCall, describe, order_problems

D = Decimal
RULES = VENUE_RULES[SYMBOL]  # tick 0.01, step 0.00001, quantity 0.0001 to 100, value from 1 USDT
EXAMPLES = 50


@dataclass
class Live:
    fuzz: FuzzSession
    dock: TicketDock


@pytest.fixture
def live(qtbot: QtBot, aloop: object, demo: Endpoints, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """The ticket dock bound to a session on the demo exchange whose every REST request is recorded."""
    with fuzz_session(qtbot, demo, monkeypatch) as fuzz:
        dock = TicketDock()
        qtbot.addWidget(dock)
        dock.bind(fuzz.session)
        dock.show()
        try:
            wait(qtbot, fuzz.ready)
            yield Live(fuzz, dock)
        finally:
            dock.bind(None)


def _prices(live: Live) -> list[Decimal]:
    """Prices worth typing now: around the book, at the band's edges, off the tick, absurd."""
    session, tick = live.fuzz.session, RULES.tick_size
    book = session.market.books[SYMBOL]
    reference = session.manager.reference_price(SYMBOL)
    assert reference is not None
    band = RULES.limit_trading
    assert band is not None
    ceiling, floor = band.buy_ceiling(reference), band.sell_floor(reference)
    assert ceiling is not None and floor is not None
    # A fuzzed market order may sweep one side of the book bare for a moment.
    bid, ask = book.best_bid or reference, book.best_ask or reference
    return [
        bid,
        ask,
        bid - tick,
        ask + tick,
        floor_to(bid * D("0.98"), tick),
        ceil_to(ask * D("1.02"), tick),
        floor_to(reference, tick),
        floor_to(ceiling, tick),
        floor_to(ceiling, tick) + tick,
        ceil_to(floor, tick),
        ceil_to(floor, tick) - tick,
        bid + tick / 2,
        reference * 3,
        tick,
        tick / 10,
        D(0),
        D("10000000"),
        D("1e12"),
    ]


def _quantities(live: Live) -> list[Decimal]:
    step, lot = RULES.step_size, RULES.lot_size
    assert lot.market_max_qty is not None
    balances = live.fuzz.session.account.balances
    return [
        step,
        lot.min_qty - step,
        lot.min_qty,
        lot.min_qty + step,
        D("0.00037"),
        D("0.001"),
        D("0.0123"),
        D("0.1"),
        D(1),
        lot.market_max_qty,
        lot.market_max_qty + step,
        lot.max_qty,
        lot.max_qty + step,
        step / 2,
        D("0.000105"),
        floor_to(balances["BTC"].free, step),
        balances["BTC"].free + step,
        D(0),
    ]


def _amounts(live: Live) -> list[Decimal]:
    limits = RULES.trade_amount
    assert limits is not None and limits.market_min_amount is not None and limits.market_max_amount is not None
    unit = RULES.amount_step
    free = live.fuzz.session.account.balances["USDT"].free
    return [
        limits.market_min_amount,
        limits.market_min_amount - unit,
        limits.market_min_amount + unit / 2,
        D("12.5"),
        D("250.12345678"),
        D("1000"),
        floor_to(free, unit),
        free + 1,
        limits.market_max_amount,
        limits.market_max_amount + unit,
        D(0),
    ]


@dataclass(frozen=True, slots=True)
class Step:
    """One user action: what it is, an index or count it needs, and the text it types."""

    kind: str
    choice: int = 0
    text: str = ""


FIELDS = ("price", "quantity", "amount")
FINAL = ("press", "double", "enter")  # every example ends asking for an order ("press" is a click on submit)


def _plan(live: Live) -> st.SearchStrategy[list[Step]]:
    """A sequence of actions, drawn whole before the first one runs: hypothesis may abandon an
    example at any draw, and an example abandoned halfway would leave its orders in flight.

    Indexes come from fixed ranges and are taken modulo what the screen offers when the step runs
    (hypothesis insists that replaying the same choices draws the same way)."""
    values = {
        "price": (_prices(live), decimals_of(RULES.tick_size)),
        "quantity": (_quantities(live), decimals_of(RULES.step_size)),
        "amount": (_amounts(live), 2),
    }
    texts = {
        f"{name}/{how}": number_text(choices, places, pasted=how == "paste")
        for name, (choices, places) in values.items()
        for how in ("keys", "paste")
    }

    def typing(kind: str) -> st.SearchStrategy[Step]:
        field = st.integers(0, len(FIELDS) - 1)
        return field.flatmap(lambda i: st.builds(Step, st.just(kind), st.just(i), texts[f"{FIELDS[i]}/{kind}"]))

    def choosing(kind: str, most: int) -> st.SearchStrategy[Step]:
        return st.builds(Step, st.just(kind), st.integers(0, most))

    step = st.one_of(
        choosing("side", 1),
        choosing("type", 5),
        choosing("tif", 5),
        choosing("mode", 1),
        typing("keys"),
        typing("paste"),
        choosing("percent", 3),
        choosing("nearest", 5),
        choosing("press", 0),
        choosing("double", 0),
        choosing("confirm", 1),  # answer the prompt of an order held back: 1 sends it, 0 does not
        choosing("enter", 5),
        choosing("pause", 300),
    )
    final = st.sampled_from(FINAL).flatmap(lambda kind: choosing(kind, 5))
    # Most examples start from an order a trader would type (then fiddle with it), so that plenty
    # of orders do leave and get checked on the wire; often one field is then set to a value at
    # or just past one of the instrument's limits, written plainly (well formed, maybe invalid).
    edge = st.integers(0, len(FIELDS) - 1).flatmap(
        lambda i: plain_text(*values[FIELDS[i]]).map(lambda text: Step("keys", i, text))
    )
    start: st.SearchStrategy[list[Step]] = st.one_of(
        st.tuples(_sensible(live), edge).map(lambda parts: [*parts[0], parts[1]]), _sensible(live), st.just([])
    )
    plan = st.tuples(start, st.lists(step, min_size=0, max_size=8), final)
    return plan.map(lambda parts: [*parts[0], *parts[1], parts[2]])


def _sensible(live: Live) -> st.SearchStrategy[list[Step]]:
    """Plain, valid-looking values for every field: a price on the tick within 2 % of the book, a
    small quantity on the step, a modest amount."""
    tick, step = RULES.tick_size, RULES.step_size
    session = live.fuzz.session
    book, reference = session.market.books[SYMBOL], session.manager.reference_price(SYMBOL)
    assert reference is not None
    middle = floor_to(book.best_bid or reference, tick)
    prices = st.integers(-200, 200).map(lambda k: str(middle + k * tick * 10))
    quantities = st.integers(10, 1000).map(lambda k: str(k * step))
    amounts = st.integers(100, 50_000).map(lambda k: str(D(k) / 100))
    return st.tuples(prices, quantities, amounts).map(
        lambda texts: [Step("keys", i, text) for i, text in enumerate(texts)]
    )


class TicketFuzz:
    """One hypothesis example: a random sequence of user actions on the ticket, then the checks."""

    def __init__(self, qtbot: QtBot, live: Live, errors: LoggedErrors) -> None:
        self.qtbot, self.live, self.errors = qtbot, live, errors
        self.w = live.dock.form.widgets
        self.tally = Tally()

    def example(self, data: st.DataObject) -> None:
        fuzz = self.live.fuzz
        plan = data.draw(_plan(self.live), label="actions")
        start, logged = fuzz.recorder.mark(), len(self.errors.records)
        presses = 0
        with self.qtbot.captureExceptions() as exceptions:
            for step in plan:
                presses += self.act(step)
            fuzz.settle(self.qtbot)
        assert not exceptions, [str(e[1]) for e in exceptions]
        assert self.errors.texts(logged) == []
        self.tally.check(fuzz, start, presses)
        fuzz.cancel_working(self.qtbot)

    def act(self, step: Step) -> int:
        """Do one user action; return how many times it asked for an order to be sent."""
        w, kind, choice = self.w, step.kind, step.choice
        edits = (w.price.edit, w.quantity.edit, w.amount.edit)
        if kind == "side":
            QTest.mouseClick((w.buy, w.sell)[choice], Qt.MouseButton.LeftButton)
        elif kind in ("type", "tif"):
            combo = w.type_combo if kind == "type" else w.tif_combo
            if combo.count():
                combo.setCurrentIndex(choice % combo.count())
        elif kind == "mode":
            button = (w.by_quantity, w.by_amount)[choice]
            if button.isVisible():
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        elif kind in ("keys", "paste"):
            edit = edits[choice]
            if edit.isVisible():  # a hidden field cannot be typed into
                (paste if kind == "paste" else type_keys)(edit, step.text)
        elif kind == "percent":
            QTest.mouseClick(w.percent[sorted(w.percent)[choice]], Qt.MouseButton.LeftButton)
        elif kind == "nearest":
            buttons = [b for b in w.problems.findChildren(QPushButton, "useNearest") if b.isVisible()]
            if buttons:
                QTest.mouseClick(buttons[choice % len(buttons)], Qt.MouseButton.LeftButton)
        elif kind == "press":
            QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
            return 1
        elif kind == "confirm":
            self.qtbot.wait(30)  # the order manager holds an order back from its task: the prompt follows
            if w.repeat_prompt.isVisible():
                QTest.mouseClick((w.repeat_dismiss, w.repeat_confirm)[choice], Qt.MouseButton.LeftButton)
                return choice
        elif kind == "double":
            QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
            QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
            return 2
        elif kind == "enter":
            visible = [edit for edit in edits if edit.isVisible()]
            edit = visible[choice % len(visible)]
            edit.setFocus()
            QTest.keyClick(edit, (Qt.Key.Key_Return, Qt.Key.Key_Enter)[choice % 2])
            return 1
        elif kind == "pause":
            self.qtbot.wait(choice)
        return 0


def _control(qtbot: QtBot, live: Live) -> None:
    """The recorder sees orders leave, and a ticket the rules refuse sends nothing (the harness works)."""
    fuzz, w = live.fuzz, live.dock.form.widgets
    book = fuzz.session.market.books[SYMBOL]
    assert book.best_bid is not None
    start = fuzz.recorder.mark()
    w.type_combo.setCurrentIndex(w.type_combo.findData(OrderType.LIMIT.value))
    type_keys(w.price.edit, str(floor_to(book.best_bid * D("0.95"), RULES.tick_size)))
    type_keys(w.quantity.edit, "0.000011")  # off the step
    QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
    fuzz.settle(qtbot)
    assert fuzz.recorder.orders(start) == []
    type_keys(w.quantity.edit, "0.00020")
    QTest.mouseClick(w.submit, Qt.MouseButton.LeftButton)
    fuzz.settle(qtbot)
    (call,) = fuzz.recorder.orders(start)
    assert call.error_code is None, describe(call)
    assert (call.params["side"], call.params["quantity"]) == ("BUY", "0.0002")
    fuzz.cancel_working(qtbot)


def test_fuzzed_ticket_input_never_crashes_and_sends_only_valid_orders(
    qtbot: QtBot, live: Live, request: pytest.FixtureRequest
) -> None:
    require_qt_exception_capture(request)
    with logged_errors() as errors:
        _control(qtbot, live)
        fuzz = TicketFuzz(qtbot, live, errors)

        run_examples(fuzz.example, EXAMPLES)
    tally = fuzz.tally
    # Not vacuous: orders were refused by the ticket, and orders left and were accepted.
    assert tally.sent < tally.presses, tally
    assert tally.accepted > 0, tally


def test_the_wire_check_flags_what_the_venue_must_refuse() -> None:
    """The oracle of the fuzz tests: a recorded order request is judged by its form, the venue's
    rules at the terminal's reference price, and the venue's answer."""
    reference = D("95000")  # the band: buys up to 104,500, sells down to 85,500

    def judged(body: str, answer: object = None, references: tuple[Decimal, ...] = (reference,)) -> list[str]:
        stamp = "&recvWindow=5000&timestamp=1700000000000&signature=0f"
        call = WireCall("POST", "/api/v1.1/spot/order", "", (body + stamp).encode(), 200, answer or {"orderId": "1"})
        return order_problems(call, lambda _: list(references))

    order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=95000.01&newClientOrderId=c1"
    assert judged(order) == []
    assert judged(order.replace("price=95000.01", "price=95000.015")) == [
        "breaks tick_size: price 95000.015 is not a multiple of the tick 0.01: nearest 95000.02"
    ]
    assert [p.split(":")[0] for p in judged(order.replace("quantity=0.001", "quantity=0.000011"))] == [
        "breaks step_size",
        "breaks min_qty",
    ]
    assert judged(order.replace("price=95000.01", "price=104500.01"))[0].startswith("breaks price_band")
    assert judged(order.replace("quantity=0.001", "quantity=1e-3")) == [
        "quantity='1e-3' is not a plain positive ASCII decimal",
        "breaks required: quantity is required",
    ]
    assert judged(order.replace("&newClientOrderId=c1", "")) == [
        "no client order id (the terminal gives every order one before it leaves)"
    ]
    assert judged(order, references=()) == ["the order manager never judged this order"]
    refused = {"code": "-1136", "msg": "Order quantity lower than the minimum"}
    assert judged(order, refused) == [f"the venue refused it for a rule: {refused}"]
    band = {"code": "-1132", "msg": "Order price greater than the maximum"}
    assert judged(order, band) == [f"the venue refused its price band far from the band's edge: {band}"]
    assert judged(order.replace("price=95000.01", "price=104400.00"), band) == []  # at the edge: a race
    assert judged(order, {"code": "0401", "msg": "Insufficient asset"}) == []  # the account's state, not a rule
