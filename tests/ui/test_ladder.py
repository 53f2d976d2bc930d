"""The depth ladder dock on a live session (the demo exchange), and the painted view on hand-made books."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from types import SimpleNamespace
from typing import cast

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from terminal.domain.book import BookSide, OrderBook
from terminal.domain.decimals import ceil_to, floor_to
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.market import PublicTrade
from terminal.domain.orders import Order, OrderRequest
from terminal.session.frame_clock import FrameClock
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.ladder.ladder_columns import Cell
from terminal.ui.ladder.ladder_dock import NO_BOOK, LadderDock
from terminal.ui.ladder.ladder_view import LadderView
from terminal.venues.base import Capabilities, Permissions, Venue
from tests.support.qt import run, wait


@pytest.fixture
def dock(qtbot: QtBot, session: Session) -> Iterator[LadderDock]:
    dock = LadderDock()
    qtbot.addWidget(dock)
    dock.resize(900, 1100)
    dock.show()
    dock.bind(session)
    wait(qtbot, lambda: dock.view.model.bid_rows >= 20 and dock.view.model.ask_rows >= 20)
    yield dock
    dock.bind(None)


def _wheel(view: LadderView, notches: int) -> None:
    centre = QPointF(view.width() / 2, view.height() / 2)
    event = QWheelEvent(
        centre,
        view.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, event)


def _press(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or QPoint())  # type: ignore[no-untyped-call]


def _click(qtbot: QtBot, view: LadderView, row: int, cell: Cell) -> None:
    point = view.point_of(row, cell)
    assert point is not None, f"row {row} is not on screen"
    _press(qtbot, view, point)


def _armed(dock: LadderDock) -> tuple[bool, bool]:
    """The switch's state and the view's (a function, so that mypy does not pin them after one assert)."""
    return dock.armed, dock.view.armed


def test_the_dock_shows_the_live_book(qtbot: QtBot, session: Session, dock: LadderDock) -> None:
    view = dock.view
    assert dock.objectName() == "ladderDock" and dock.windowTitle() == "Depth ladder"
    assert dock.stack.currentWidget() is dock.page

    def matches_the_store() -> bool:
        book, model = session.market.books["BTCUSDT"], view.model
        row = model.grid.tick * model.grid.group
        assert book.best_bid is not None and book.best_ask is not None
        return (
            model.best_bid_row is not None
            and model.best_ask_row is not None
            and model.grid.price(model.best_bid_row) == floor_to(book.best_bid, row)
            and model.grid.price(model.best_ask_row) == ceil_to(book.best_ask, row)
        )

    wait(qtbot, matches_the_store)
    model = view.model
    assert model.bid_rows >= 20 and model.ask_rows >= 20
    assert view.group == dock.group_spin.value() > 1  # the demo's levels lie several ticks apart
    assert model.rows[model.best_bid_row or 0].bid_text.count(".") == 1  # sizes carry the step's decimals
    assert view.row_y(model.best_bid_row or 0) is not None  # centred on the touch
    image = view.grab().toImage()
    assert not image.isNull() and image.width() == view.width()
    assert image.pixelColor(view.cell_x(Cell.PRICE), 2) != image.pixelColor(view.cell_x(Cell.PRICE), view.height() // 2)


def test_a_click_on_a_level_picks_its_side_and_price(qtbot: QtBot, dock: LadderDock) -> None:
    view, dock_model = dock.view, dock.view.model
    dock.auto_centre.setChecked(False)  # keep the rows still between aiming and clicking
    bid_row, ask_row = (dock_model.best_bid_row or 0) - 2, (dock_model.best_ask_row or 0) + 1
    with qtbot.waitSignal(dock.price_picked, timeout=1000) as picked:
        _click(qtbot, view, bid_row, Cell.BID)
    assert picked.args == [Side.BUY, view.model.grid.price(bid_row)]
    with qtbot.waitSignal(dock.price_picked, timeout=1000) as picked:
        _click(qtbot, view, ask_row, Cell.ASK_CUM)
    assert picked.args == [Side.SELL, view.model.grid.price(ask_row)]
    with qtbot.assertNotEmitted(dock.price_picked), qtbot.assertNotEmitted(dock.order_requested):
        _click(qtbot, view, bid_row, Cell.PRICE)


def test_armed_clicks_request_orders_and_cancels(qtbot: QtBot, session: Session, dock: LadderDock) -> None:
    view = dock.view
    dock.auto_centre.setChecked(False)
    assert _armed(dock) == (False, False) and dock.arm_button.text() == "One-click: OFF" and dock.arm_button.isEnabled()
    _press(qtbot, dock.arm_button)
    assert _armed(dock) == (True, True) and dock.arm_button.text() == "One-click: ARMED"

    ask_row = view.model.best_ask_row or 0
    with qtbot.waitSignal(dock.order_requested, timeout=1000) as requested, qtbot.assertNotEmitted(dock.price_picked):
        _click(qtbot, view, ask_row, Cell.ASK)
    assert requested.args == [Side.SELL, view.model.grid.price(ask_row)]

    wait(qtbot, lambda: "USDT" in session.account.balances)
    row = (view.model.best_bid_row or 0) - 10
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.001"), view.model.grid.price(row))
    order = run(qtbot, session.manager.place(request))
    assert order.status is OrderStatus.NEW
    cid = order.client_order_id
    wait(qtbot, lambda: cid in (line.own_buy_ids if (line := view.model.rows.get(row)) else ()))
    assert view.model.rows[row].own_buy == D("0.001")
    view.set_centre(row)
    with qtbot.waitSignal(dock.cancel_requested, timeout=1000) as cancelled:
        _click(qtbot, view, row, Cell.OWN_BUY)
    assert cancelled.args == [[cid]]
    run(qtbot, session.manager.cancel(cid))
    wait(qtbot, lambda: view.model.rows.get(row) is None or not view.model.rows[row].own_buy_ids)


def test_arming_is_off_by_default_and_ends_with_the_symbol(qtbot: QtBot, session: Session, dock: LadderDock) -> None:
    assert _armed(dock) == (False, False)
    dock.arm_button.setChecked(True)
    assert _armed(dock) == (True, True)
    dock.disarm()
    assert _armed(dock) == (False, False) and dock.arm_button.text() == "One-click: OFF"
    dock.arm_button.setChecked(True)
    session.set_active_symbol("ETHUSDT")
    assert _armed(dock) == (False, False)
    assert dock.symbol == "ETHUSDT" and dock.view.model.bid_rows == 0  # BTCUSDT's book is gone at once
    wait(qtbot, lambda: dock.view.model.bid_rows > 0)
    assert dock.view.model.grid.price(dock.view.model.best_bid_row or 0) < 10_000  # ETH, not BTC


def test_space_recentres_and_the_wheel_scrolls(qtbot: QtBot, dock: LadderDock) -> None:
    view = dock.view
    dock.auto_centre.setChecked(False)
    start = view.centre_row
    assert start is not None
    _wheel(view, 1)
    assert view.centre_row == start + QApplication.wheelScrollLines()
    _wheel(view, -4)
    assert view.centre_row == start - 3 * QApplication.wheelScrollLines()
    window_shortcut = QAction("Space elsewhere", dock)  # as a main window might add to the dock
    window_shortcut.setShortcut(QKeySequence(Qt.Key.Key_Space))
    window_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    dock.addAction(window_shortcut)
    with qtbot.assertNotEmitted(window_shortcut.triggered):
        qtbot.keyClick(view, Qt.Key.Key_Space)  # type: ignore[no-untyped-call]
    assert view.centre_row == view.model.centre_row()
    qtbot.keyClick(view, Qt.Key.Key_Up)  # type: ignore[no-untyped-call]
    assert view.centre_row == (view.model.centre_row() or 0) + 1
    _press(qtbot, dock.centre_button)
    assert view.centre_row == view.model.centre_row()


def test_unbinding_clears_the_ladder_and_forbids_arming(qtbot: QtBot, dock: LadderDock) -> None:
    dock.bind(None)
    assert not dock.view.model.has_book and not dock.arm_button.isEnabled()
    assert dock.arm_reason.text().startswith("Cannot arm")


# ---- the view on hand-made books -------------------------------------------------------------


def _deep_book(levels: int = 200) -> OrderBook:
    bids = [(f"{95000 - 0.01 * (i + 1):.2f}", f"{0.001 * (i % 17 + 1):.5f}") for i in range(levels)]
    asks = [(f"{95000 + 0.01 * i:.2f}", f"{0.001 * (i % 13 + 1):.5f}") for i in range(levels)]
    return OrderBook("BTCUSDT", BookSide(bids), BookSide(asks), 1, "1")


@pytest.fixture
def view(qtbot: QtBot) -> LadderView:
    view = LadderView()
    qtbot.addWidget(view)
    view.set_instrument(D("0.01"), D("0.00001"))
    view.resize(700, view.minimumSizeHint().height() // 6 * 62)  # 60 rows between header and footer
    view.show()
    return view


def test_sixty_rows_paint_with_proportional_bars_and_own_orders(view: LadderView) -> None:
    view.set_market(_deep_book(), PublicTrade("BTCUSDT", 1, D("95000.00"), D("0.1"), False), False)
    mine = [
        Order("BTCUSDT", side, OrderType.LIMIT, cid, quantity=D("0.002"), price=D(price), venue_status=OrderStatus.NEW)
        for cid, side, price in (
            ("b1", Side.BUY, "94999.90"),
            ("b2", Side.BUY, "94999.90"),
            ("s", Side.SELL, "95000.05"),
        )
    ]
    view.set_orders(mine)
    assert view.visible_rows() == 60
    image = view.grab().toImage()
    assert not image.isNull() and image.size() == view.size()
    model, colours = view.model, theme.current()
    assert model.rows[model.grid.bid_row(D("94999.90"))].own_buy_text == "0.00400 ×2"
    for price, x in (("94999.90", 2), ("95000.05", view.width() - 3)):  # the outer edges of the own columns
        row = model.grid.bid_row(D(price))
        y, clear = view.row_y(row), view.row_y(row + 2)
        assert y is not None and clear is not None
        assert image.pixelColor(x, y) != QColor(colours.base)  # tinted: the user's orders
        assert image.pixelColor(x, clear) == QColor(colours.base)
    largest = max((r for r in model.rows if model.rows[r].bid), key=lambda r: model.rows[r].bid_size)
    smallest = min((r for r in model.rows if model.rows[r].bid), key=lambda r: model.rows[r].bid_size)
    for row, expected in ((largest, colours.buy_bar), (smallest, colours.base)):
        y, above = view.row_y(row), view.row_y(row + 1)
        assert y is not None and above is not None
        top = y - (y - above) // 2 + 1  # the bars' top edge; text never reaches it
        # A full-length bar covers the middle of its cell, the shortest (a 17th of it) does not.
        assert image.pixelColor(view.cell_x(Cell.BID), top) == QColor(expected)


def test_stale_depth_is_veiled_marked_and_not_traded_from(qtbot: QtBot, view: LadderView) -> None:
    view.set_market(_deep_book(), None, False)
    fresh = view.grab().toImage()
    view.set_market(_deep_book(), None, True)
    stale = view.grab().toImage()
    assert view.stale and stale != fresh
    row = view.model.best_bid_row or 0
    y = view.row_y(row)
    assert y is not None
    assert stale.pixelColor(view.cell_x(Cell.BID), y) != fresh.pixelColor(view.cell_x(Cell.BID), y)
    view.set_armed(True)
    with qtbot.assertNotEmitted(view.place_requested), qtbot.assertNotEmitted(view.level_clicked):
        _click(qtbot, view, row, Cell.BID)


def test_auto_centre_follows_the_mid_only_when_it_leaves_the_middle_third(view: LadderView) -> None:
    book = _deep_book()
    view.set_market(book, None, False)
    mid = view.model.centre_row()
    assert mid is not None and view.centre_row == mid
    view.scroll_rows(5)  # the mid is still in the middle third: stay put
    view.set_market(book, None, False)
    assert view.centre_row == mid + 5
    view.set_auto_centre(False)
    view.scroll_rows(20)
    view.set_market(book, None, False)
    assert view.centre_row == mid + 25
    view.set_auto_centre(True)  # turning it on re-centres at once
    assert view.centre_row == mid


def _offline(capabilities: Capabilities, permissions: Permissions) -> Session:
    """A session on a venue never started: enough for what the dock reads when it binds."""
    venue = SimpleNamespace(capabilities=capabilities, permissions=permissions, instruments={})
    return Session(cast(Venue, venue), "Offline", FrameClock())


def test_a_venue_without_an_order_book_says_so(qtbot: QtBot) -> None:
    dock = LadderDock()
    qtbot.addWidget(dock)
    dock.bind(_offline(Capabilities("deriv", order_book=False, contracts=True), Permissions(True, True)))
    assert dock.stack.currentWidget() is dock.no_book
    assert dock.no_book.text().startswith("deriv has no order book: it sells contracts")
    assert "contract ticket" in dock.no_book.text()
    assert not dock.arm_button.isEnabled()
    dock.bind(_offline(Capabilities("quotes-only", order_book=False), Permissions(True, False)))
    assert dock.no_book.text() == "quotes-only has no order book."
    assert dock.arm_reason.text() == f"Cannot arm: {NO_BOOK}"


def test_arming_is_refused_with_the_reason_when_the_session_may_not_trade(qtbot: QtBot) -> None:
    dock = LadderDock()
    qtbot.addWidget(dock)
    dock.show()
    read_only = Permissions(can_read=True, can_trade=False, reason="the API key is read-only")
    dock.bind(_offline(Capabilities("hashkey", order_book=True), read_only))
    assert dock.stack.currentWidget() is dock.page
    assert not dock.arm_button.isEnabled() and not dock.armed
    assert dock.arm_reason.isVisible() and dock.arm_reason.text() == "Cannot arm: the API key is read-only"
