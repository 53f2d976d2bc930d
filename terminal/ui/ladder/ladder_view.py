"""The depth ladder, painted by hand: a fixed price grid with sizes, bars, own orders and the last trade.

Data changes rebuild the render model (``ladder_model``); ``paintEvent`` only draws prepared rows
(DESIGN.md pitfalls: a painted 60-row ladder repaints in about 2 ms, a model/view one does not scale).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from terminal.domain.book import OrderBook
from terminal.domain.market import PublicTrade
from terminal.domain.orders import Order
from terminal.ui import theme
from terminal.ui.ladder.ladder_columns import Cell, Columns
from terminal.ui.ladder.ladder_model import LadderModel, PriceGrid, Window, build_model, window
from terminal.ui.ladder.ladder_paint import Colours, Scene, Style, paint

KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class LadderView(QWidget):
    """Rows of one price each (highest on top) around a centre row that only the user or auto-centre moves.

    A click on a bid or ask cell picks that side and the row's price; while armed it asks for an
    order there instead, and a click on the user's own orders asks to cancel them.
    """

    level_clicked = Signal(object, object)  # Side, Decimal: a bid or ask cell, not armed
    place_requested = Signal(object, object)  # Side, Decimal: a bid or ask cell while armed (never on stale data)
    cancel_requested = Signal(list)  # client order ids of the own orders in the clicked cell, armed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ladderView")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._step = Decimal("0.00000001")
        self._grid = PriceGrid(Decimal("0.01"))
        self._book: OrderBook | None = None
        self._last: PublicTrade | None = None
        self._orders: list[Order] = []
        self._model = LadderModel(self._grid)
        self._window = Window(0, (), 0.0)
        self._stale = False
        self._armed = False
        self._auto_centre = True
        self._centre: int | None = None
        self._hover: int | None = None
        self._wheel_rest = 0.0
        self._colours = Colours(theme.current())
        self._metrics()

    # ---- data ---------------------------------------------------------------------------------

    def set_instrument(self, tick: Decimal, step: Decimal, group: int = 1) -> None:
        """A new symbol: forget its predecessor's data, grouping and centre."""
        self._step = step
        self._grid = PriceGrid(tick, group)
        self._book, self._last, self._orders, self._stale = None, None, [], False
        self._centre = None
        self._rebuild()

    def set_group(self, ticks: int) -> None:
        if ticks != self._grid.group:
            self._grid = PriceGrid(self._grid.tick, ticks)
            self._centre = None  # rows now mean other prices: centre on the mid again
            self._rebuild()

    def set_market(self, book: OrderBook | None, last: PublicTrade | None, stale: bool) -> None:
        self._book, self._last, self._stale = book, last, stale
        self._rebuild()

    def set_orders(self, orders: Iterable[Order]) -> None:
        self._orders = list(orders)
        self._rebuild()

    def clear(self) -> None:
        self._book, self._last, self._orders, self._stale, self._centre = None, None, [], False, None
        self._rebuild()

    def _rebuild(self) -> None:
        self._model = build_model(self._grid, self._step, self._book, self._orders, self._last)
        if self._centre is None or (self._auto_centre and self._hover is None and self._mid_outside_middle()):
            self._centre = self._model.centre_row()
        self._refresh()

    def _mid_outside_middle(self) -> bool:
        mid = self._model.mid_row
        if mid is None or self._centre is None:
            return False
        count = self.visible_rows()
        index = self._top() - mid
        return not count / 3 <= index + 0.5 <= 2 * count / 3

    def _refresh(self) -> None:
        self._window = window(self._model, self._top(), self.visible_rows())
        self.update()

    # ---- state --------------------------------------------------------------------------------

    @property
    def model(self) -> LadderModel:
        return self._model

    @property
    def group(self) -> int:
        return self._grid.group

    @property
    def stale(self) -> bool:
        return self._stale

    @property
    def armed(self) -> bool:
        return self._armed

    def set_armed(self, armed: bool) -> None:
        if armed != self._armed:
            self._armed = armed
            self.update()

    @property
    def auto_centre(self) -> bool:
        return self._auto_centre

    def set_auto_centre(self, on: bool) -> None:
        self._auto_centre = on
        if on and self._hover is None and self._mid_outside_middle():
            self.recentre()

    @property
    def centre_row(self) -> int | None:
        return self._centre

    def set_centre(self, row: int) -> None:
        self._centre = row
        self._refresh()

    def recentre(self) -> None:
        """Centre on the mid (or the last trade when one side is missing)."""
        row = self._model.centre_row()
        if row is not None:
            self.set_centre(row)

    def scroll_rows(self, rows: int) -> None:
        """Move the centre up (positive: higher prices) or down by ``rows``."""
        if self._centre is not None and rows:
            self.set_centre(self._centre + rows)

    # ---- geometry -----------------------------------------------------------------------------

    def _metrics(self) -> None:
        font = theme.mono_font()
        font.setPointSizeF(max(self.font().pointSizeF(), font.pointSizeF()))
        self._style = Style.of(font)
        self._row_h, self._digit = self._style.row_h, self._style.digit
        self._columns = Columns(self.width(), self._digit)

    def _top(self) -> int:
        return (self._centre or 0) + self.visible_rows() // 2

    def visible_rows(self) -> int:
        """Rows on screen, the last one possibly cut by the bottom edge."""
        return max(1, math.ceil((self.height() - 2 * self._row_h) / self._row_h))

    def row_at(self, y: int) -> int | None:
        index = (y - self._row_h) // self._row_h
        if y < self._row_h or index >= self.visible_rows() or y >= self.height() - self._row_h:
            return None
        return self._top() - index

    def row_y(self, row: int) -> int | None:
        """The vertical centre of ``row`` on screen, None when it is scrolled out of view."""
        index = self._top() - row
        if not 0 <= index < self.visible_rows():
            return None
        return self._row_h + index * self._row_h + self._row_h // 2

    def cell_x(self, cell: Cell) -> int:
        return self._columns.centre(cell)

    def sizeHint(self) -> QSize:
        return QSize(Columns.full_width(self._digit), self._row_h * 32)

    def minimumSizeHint(self) -> QSize:
        return QSize(Columns.compact_width(self._digit) * 3 // 4, self._row_h * 6)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._columns = Columns(self.width(), self._digit)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._metrics()
            self._refresh()
        super().changeEvent(event)

    # ---- input --------------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._wheel_rest += event.angleDelta().y() / 120 * QApplication.wheelScrollLines()
        rows = int(self._wheel_rest)
        self._wheel_rest -= rows
        self.scroll_rows(rows)
        self._set_hover(self.row_at(int(event.position().y())))  # another price is under the pointer now
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self._tooltip(event.pos()), self)
            return True
        # Our keys beat window shortcuts on the same keys while the ladder has focus.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            event.accept()
            return True
        return super().event(event)

    def _tooltip(self, point: QPoint) -> str:
        row, cell = self.row_at(point.y()), self._columns.at(point.x())
        line = None if row is None else self._model.rows.get(row)
        if line is None or cell is None or not cell.is_own:
            return ""
        ids, size = (
            (line.own_buy_ids, line.own_buy_short) if cell is Cell.OWN_BUY else (line.own_sell_ids, line.own_sell_short)
        )
        if not ids:
            return ""
        what = "buy" if cell is Cell.OWN_BUY else "sell"
        orders = f"{len(ids)} {what} orders" if len(ids) > 1 else f"1 {what} order"
        action = "click to cancel" if self._armed else "arm one-click to cancel with a click"
        return f"{orders}, {size} remaining ({action})"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        page = max(1, self.visible_rows() - 2)
        moves = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_PageUp: page, Qt.Key.Key_PageDown: -page}
        if key == Qt.Key.Key_Space:
            self.recentre()
        elif key in moves:
            self.scroll_rows(moves[Qt.Key(key)])
        else:
            super().keyPressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_hover(self.row_at(event.position().toPoint().y()))

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hover(None)
        if self._auto_centre and self._mid_outside_middle():
            self.recentre()  # deferred while the pointer was over the rows, so they never jump under a click

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            self._hover = row
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        point = event.position().toPoint()
        row, cell = self.row_at(point.y()), self._columns.at(point.x())
        if row is None or cell is None or not self._model.has_book:
            return
        self._click(row, cell)

    def _click(self, row: int, cell: Cell) -> None:
        side = cell.side
        if side is None:
            return
        line = self._model.rows.get(row)
        if cell.is_own and self._armed:
            ids = () if line is None else line.own_buy_ids if cell is Cell.OWN_BUY else line.own_sell_ids
            if ids:
                self.cancel_requested.emit(list(ids))
            return
        if self._armed and self._stale:
            return  # no order from a picture the venue may no longer hold; cancelling stays possible
        price = self._grid.price(row)
        (self.place_requested if self._armed else self.level_clicked).emit(side, price)

    # ---- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        current = theme.current()
        if current.name != self._colours.name:
            self._colours = Colours(current)
        scene = Scene(
            self._model, self._window, self._columns, self.width(), self.height(), self._hover, self._stale, self._armed
        )
        painter = QPainter(self)
        paint(painter, scene, self._style, self._colours)
        painter.end()

    def point_of(self, row: int, cell: Cell) -> QPoint | None:
        """Where a click on ``cell`` of ``row`` would land (None when the row is out of view)."""
        y = self.row_y(row)
        return None if y is None else QPoint(self.cell_x(cell), y)
