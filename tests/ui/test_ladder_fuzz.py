"""Hypothesis fuzzes the ladder's one-click trading in the main window on a live session against the
demo exchange: armed clicks anywhere (on levels, empty rows, far outside the book, off the view),
in bursts and double clicks, with any text in the ticket's quantity. Nothing crashes, no more
orders leave than clicks asked for, and every order request that leaves is one the venue allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.decimals import decimals_of
from terminal.ui.ladder.ladder_columns import Cell
from terminal.ui.ladder.ladder_model import MAX_GROUP
from terminal.ui.ladder.ladder_view import LadderView
from terminal.ui.main_window import MainWindow
from tests.support.fuzz_input import number_text, paste, type_keys
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
from tests.support.request_guard import VENUE_RULES, describe

D = Decimal
RULES = VENUE_RULES[SYMBOL]  # tick 0.01, step 0.00001, quantity 0.0001 to 100, value from 1 USDT
EXAMPLES = 50
GROUPS = (1, 2, 3, 7, 10, 100, MAX_GROUP)
# Where a long scroll may end, as a multiple of the last price: the price band's edges (10 %) and beyond.
FAR = (D("0.01"), D("0.5"), D("0.85"), D("0.9"), D("0.95"), D("0.99"), D("1.01"), D("1.05"), D("1.1"), D("1.2"), D(3))


@dataclass
class Live:
    fuzz: FuzzSession
    window: MainWindow

    @property
    def view(self) -> LadderView:
        return self.window.ladder.view


@pytest.fixture
def live(
    qtbot: QtBot, aloop: object, demo: Endpoints, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Live]:
    """The main window (ladder, ticket and their wiring) bound to a recorded session on the demo exchange."""
    with fuzz_session(qtbot, demo, monkeypatch) as fuzz:
        # Not qtbot.addWidget: pytest-qt would delete the window before this fixture unbinds it.
        window = MainWindow(tmp_path / "window.ini")
        window.show()
        try:
            window.bind(fuzz.session, "Fuzz", "the demo exchange")
            view = window.ladder.view
            wait(qtbot, lambda: fuzz.ready() and view.model.bid_rows >= 10 and view.model.ask_rows >= 10)
            yield Live(fuzz, window)
        finally:
            window.bind(None, "")
            window.close()
            window.deleteLater()


class PressCounter(QObject):
    """Counts the left-button presses the ladder view receives (a double click's second press comes
    as a double-click event, which a widget takes as a press)."""

    def __init__(self, view: LadderView) -> None:
        super().__init__(view)
        self.count = 0
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self.count += 1
        return False


@dataclass(frozen=True, slots=True)
class Step:
    """One user action: what it is, the numbers it needs, and the text it types."""

    kind: str
    a: int = 0
    b: int = 0
    text: str = ""


def _quantities() -> list[Decimal]:
    step, lot = RULES.step_size, RULES.lot_size
    return [
        step,
        lot.min_qty - step,
        lot.min_qty,
        D("0.00037"),
        D("0.0012"),
        D("0.05"),
        D("1.5"),
        D(3),
        lot.max_qty,
        lot.max_qty + step,
        step / 2,
        D("0.000105"),
        D(0),
    ]


def _plan() -> st.SearchStrategy[list[Step]]:
    """A sequence of actions, drawn whole before the first runs (an example hypothesis abandons
    halfway would leave its orders in flight). Clicks are drawn as fractions of the view (in
    thousandths, a little beyond its edges) or as a row on screen and a column."""
    places = decimals_of(RULES.step_size)

    def step(kind: str, a: st.SearchStrategy[int], b: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[Step]:
        return st.builds(Step, st.just(kind), a, b if b is not None else st.just(0))

    quantity = st.one_of(
        st.builds(Step, st.just("keys"), text=number_text(_quantities(), places)),
        st.builds(Step, st.just("paste"), text=number_text(_quantities(), places, pasted=True)),
    )
    sensible = st.integers(10, 300).map(lambda k: Step("keys", text=str(k * RULES.step_size)))
    click = step("click", st.integers(-30, 1030), st.integers(-30, 1030))
    aim = step("aim", st.integers(-40, 40), st.integers(0, len(Cell) - 1))
    far = step("far", st.integers(0, len(FAR) - 1))
    burst = step("burst", st.integers(2, 6), st.integers(-20, 20))
    actions = st.one_of(
        quantity,
        step("arm", st.just(0)),
        step("scroll", st.integers(-40, 40)),
        far,
        step("zero", st.integers(-60, 60)),  # rows around price zero
        step("group", st.integers(0, len(GROUPS) - 1)),
        step("auto", st.just(0)),
        step("centre", st.just(0)),
        click,
        aim,
        burst,
        step("double", st.integers(-20, 20), st.integers(0, len(Cell) - 1)),
        step("right", st.integers(-20, 20), st.integers(0, len(Cell) - 1)),
        step("answer", st.integers(0, 1)),
        step("pause", st.integers(0, 300)),
    )
    # Half the examples start as a trader would: a sensible size in the ticket, then clicks.
    start: st.SearchStrategy[list[Step]] = st.one_of(st.just([]), sensible.map(lambda s: [s]))
    # Every example ends with clicks on levels: where it stands, or (as often) after a long scroll.
    level = step("aim", st.integers(-40, 40), st.sampled_from([Cell.BID_CUM, Cell.BID, Cell.ASK, Cell.ASK_CUM]))
    final: st.SearchStrategy[list[Step]] = st.one_of(
        level.map(lambda s: [s]),
        burst.map(lambda s: [s]),
        st.tuples(far, level).map(list),
        st.tuples(far, burst).map(list),
    )
    plan = st.tuples(start, st.lists(actions, min_size=0, max_size=8), final)
    return plan.map(lambda parts: [*parts[0], *parts[1], *parts[2]])


class LadderFuzz:
    """One hypothesis example: arm, a random sequence of user actions on the ladder, then the checks."""

    def __init__(self, qtbot: QtBot, live: Live, errors: LoggedErrors) -> None:
        self.qtbot, self.live, self.errors = qtbot, live, errors
        self.tally = Tally()
        self.clicks = PressCounter(live.view)

    def example(self, data: st.DataObject) -> None:
        live, fuzz = self.live, self.live.fuzz
        plan = data.draw(_plan(), label="actions")
        start, logged, clicks = fuzz.recorder.mark(), len(self.errors.records), self.clicks.count
        yeses = 0
        with self.qtbot.captureExceptions() as exceptions:
            # A trader looks at the touch and arms; the steps may scroll away or disarm again.
            QTest.mouseClick(live.window.ladder.centre_button, Qt.MouseButton.LeftButton)
            if not live.window.ladder.armed:
                QTest.mouseClick(live.window.ladder.arm_button, Qt.MouseButton.LeftButton)
            for step in plan:
                yeses += self.act(step)
            fuzz.settle(self.qtbot)
            self._dismiss()  # "No" to a confirmation still open: it sends nothing
        presses = self.clicks.count - clicks + yeses
        assert not exceptions, [str(e[1]) for e in exceptions]
        assert self.errors.texts(logged) == []
        self.tally.check(fuzz, start, presses)
        fuzz.cancel_working(self.qtbot)

    def _confirmation(self) -> QMessageBox | None:
        box = self.live.window.findChild(QMessageBox, "confirmOrder")
        return box if box is not None and box.isVisible() else None

    def _dismiss(self) -> None:
        box = self._confirmation()
        if box is not None:
            box.button(QMessageBox.StandardButton.No).click()
            self.qtbot.wait(10)

    def _row_point(self, offset: int, column: int) -> QPoint | None:
        """Where a click lands in ``column`` on a row on screen: ``offset`` rows from the centre row,
        wrapped around to stay within the rows shown."""
        view = self.live.view
        centre, shown = view.centre_row, view.visible_rows()
        if centre is None:
            return None
        index = (shown // 2 - offset) % shown  # 0 is the top row
        return view.point_of(centre + shown // 2 - index, Cell(column))

    def _press(self, point: QPoint, button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
        QTest.mouseClick(self.live.view, button, Qt.KeyboardModifier.NoModifier, point)

    def act(self, step: Step) -> int:
        """Do one user action; return 1 if it said yes to sending an order that was held back
        (the clicks on the ladder are counted as they arrive)."""
        window, view, kind = self.live.window, self.live.view, step.kind
        if kind in ("keys", "paste"):
            (paste if kind == "paste" else type_keys)(window.ticket.form.widgets.quantity.edit, step.text)
        elif kind == "arm":
            QTest.mouseClick(window.ladder.arm_button, Qt.MouseButton.LeftButton)
        elif kind == "scroll":
            middle = QPointF(view.width() / 2, view.height() / 2)
            wheel = QWheelEvent(
                middle,
                view.mapToGlobal(middle),
                QPoint(0, 0),
                QPoint(0, 120 * step.a),
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            )
            QApplication.sendEvent(view, wheel)
        elif kind == "far":
            # Where a long scroll ends: a user may scroll as far as they like.
            last = self.live.fuzz.session.manager.reference_price(SYMBOL)
            if last is not None:
                view.set_centre(view.model.grid.bid_row(last * FAR[step.a]))
        elif kind == "zero":
            view.set_centre(step.a)
        elif kind == "group":
            window.ladder.group_spin.setValue(GROUPS[step.a])
        elif kind == "auto":
            QTest.mouseClick(window.ladder.auto_centre, Qt.MouseButton.LeftButton)
        elif kind == "centre":
            QTest.mouseClick(window.ladder.centre_button, Qt.MouseButton.LeftButton)
        elif kind == "click":
            self._press(QPoint(view.width() * step.a // 1000, view.height() * step.b // 1000))
        elif kind in ("aim", "double", "right"):
            point = self._row_point(step.a, step.b)
            if point is not None and kind == "double":
                self._press(point)  # a double click: a click, then a double-click event at once
                QTest.mouseDClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
            elif point is not None:
                self._press(point, Qt.MouseButton.RightButton if kind == "right" else Qt.MouseButton.LeftButton)
        elif kind == "burst":
            point = self._row_point(step.b, int(Cell.BID) if step.b % 2 else int(Cell.ASK))
            if point is not None:
                for _ in range(step.a):
                    self._press(point)
        elif kind == "answer":
            self.qtbot.wait(30)  # the order manager holds an order back from its task: the question follows
            box = self._confirmation()
            if box is not None:
                yes = step.a == 1
                box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No).click()
                return 1 if yes else 0
        elif kind == "pause":
            self.qtbot.wait(step.a)
        return 0


def _control(qtbot: QtBot, live: Live) -> None:
    """The harness works: an armed click with a valid size sends one order the recorder sees, a
    click with no usable size sends nothing."""
    fuzz, ladder, view = live.fuzz, live.window.ladder, live.view
    quantity = live.window.ticket.form.widgets.quantity.edit
    ladder.auto_centre.setChecked(False)
    QTest.mouseClick(ladder.arm_button, Qt.MouseButton.LeftButton)
    assert ladder.armed
    start = fuzz.recorder.mark()
    row = (view.model.best_bid_row or 0) - 10
    view.set_centre(row)
    point = view.point_of(row, Cell.BID)
    assert point is not None
    type_keys(quantity, "abc")
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    fuzz.settle(qtbot)
    assert fuzz.recorder.orders(start) == []
    type_keys(quantity, "0.00030")
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    fuzz.settle(qtbot)
    (call,) = fuzz.recorder.orders(start)
    assert call.error_code is None, describe(call)
    assert (call.params["side"], call.params["quantity"]) == ("BUY", "0.0003")
    assert D(call.params["price"]) == view.model.grid.price(row)
    fuzz.cancel_working(qtbot)
    ladder.auto_centre.setChecked(True)


def test_fuzzed_one_click_trading_never_crashes_and_sends_only_valid_orders(
    qtbot: QtBot, live: Live, request: pytest.FixtureRequest
) -> None:
    require_qt_exception_capture(request)
    with logged_errors() as errors:
        _control(qtbot, live)
        fuzz = LadderFuzz(qtbot, live, errors)

        run_examples(fuzz.example, EXAMPLES)
    tally = fuzz.tally
    # Not vacuous: clicks were refused by the terminal, and orders left and were accepted.
    assert tally.sent < tally.presses, tally
    assert tally.accepted > 0, tally
