"""Painting the ladder from its prepared rows: rectangles and short strings only, no Decimal arithmetic.

About 1.5 ms for 60 rows at 100 % (DESIGN.md pitfalls: a painted 60-row ladder repaints in ~2 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from terminal.ui import theme
from terminal.ui.ladder.ladder_columns import HEADERS, Cell, Columns
from terminal.ui.ladder.ladder_model import LadderModel, Window

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
FAR = 2**62  # beyond any row: stands for a missing best bid or ask


def _alpha(colour: str, alpha: int) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


class Colours:
    """The theme's colours as QColor objects, made once per theme rather than once per cell."""

    def __init__(self, t: theme.Theme) -> None:
        self.name = t.name
        self.base, self.text, self.muted, self.grid = QColor(t.base), QColor(t.text), QColor(t.muted), QColor(t.grid)
        self.header = self.spread = QColor(t.alt_base)
        self.buy, self.sell, self.own, self.last = QColor(t.buy), QColor(t.sell), QColor(t.own), QColor(t.last)
        self.buy_bar, self.sell_bar, self.warn = QColor(t.buy_bar), QColor(t.sell_bar), QColor(t.warn)
        self.hover = _alpha(t.highlight, 70)
        self.own_fill = _alpha(t.own, 45)
        self.last_fill = _alpha(t.last, 60)
        self.veil = _alpha(t.base, 150)


@dataclass(frozen=True, slots=True)
class Style:
    """Fonts and sizes, all derived from the font's metrics so that 200 % scaling stays readable."""

    font: QFont
    bold: QFont
    row_h: int
    digit: int  # width of one digit (the font has a fixed pitch)
    pad: int

    @classmethod
    def of(cls, font: QFont) -> Style:
        bold = QFont(font)
        bold.setBold(True)
        metrics = QFontMetrics(font)
        digit = metrics.horizontalAdvance("0")
        return cls(font, bold, metrics.height() + max(2, metrics.height() // 4), digit, max(2, digit // 2))


@dataclass(frozen=True, slots=True)
class Scene:
    """What one paint shows: rows from ``window``, header above them and a status line below."""

    model: LadderModel
    window: Window
    columns: Columns
    width: int
    height: int
    hover: int | None
    stale: bool
    armed: bool


def paint(painter: QPainter, scene: Scene, style: Style, c: Colours) -> None:
    h, width, height = style.row_h, scene.width, scene.height
    painter.fillRect(0, 0, width, height, c.base)
    painter.setFont(style.font)
    _header(painter, scene, style, c)
    if scene.model.has_book:
        _rows(painter, scene, style, c)
    else:
        painter.setPen(c.muted)
        painter.drawText(QRect(0, 0, width, height), CENTRE, "Waiting for the order book…")
    _footer(painter, scene, style, c)
    if scene.stale:
        painter.fillRect(0, h, width, height - 2 * h, c.veil)
        _badge(painter, style, c, QRect(0, h + style.pad, width - 2 * style.pad, h), "STALE", c.warn)
    if scene.armed:
        painter.setPen(c.sell)
        painter.drawRect(0, 0, width - 1, height - 1)
        painter.drawRect(1, 1, width - 3, height - 3)


def _header(painter: QPainter, scene: Scene, style: Style, c: Colours) -> None:
    columns = scene.columns
    painter.fillRect(0, 0, scene.width, style.row_h, c.header)
    painter.setPen(c.muted)
    for cell, title in zip(Cell, HEADERS, strict=True):
        if columns.shows(cell):
            painter.drawText(columns.lefts[cell], 0, columns.widths[cell], style.row_h, CENTRE, title)


def _rows(painter: QPainter, scene: Scene, style: Style, c: Colours) -> None:
    model, win, h, pad = scene.model, scene.window, style.row_h, style.pad
    lefts, widths = scene.columns.lefts, scene.columns.widths
    best_bid = model.best_bid_row if model.best_bid_row is not None else -FAR
    best_ask = model.best_ask_row if model.best_ask_row is not None else FAR
    price_x, price_w = lefts[Cell.PRICE], widths[Cell.PRICE]
    bid_x, bid_w, ask_x, ask_w = lefts[Cell.BID], widths[Cell.BID], lefts[Cell.ASK], widths[Cell.ASK]
    bid_cum_x, ask_cum_x, cum_w = lefts[Cell.BID_CUM], lefts[Cell.ASK_CUM], widths[Cell.BID_CUM]
    width, price_text = scene.width, model.grid.price_text
    for index, line in enumerate(win.rows):
        row = win.top - index
        y = h + index * h
        if best_bid < row < best_ask:
            painter.fillRect(0, y, width, h, c.spread)
        if row == scene.hover:
            painter.fillRect(0, y, width, h, c.hover)
        if row == model.last_row:
            painter.fillRect(price_x, y, price_w, h, c.last_fill)
            painter.setPen(c.last)
            painter.drawRect(price_x, y, price_w - 1, h - 1)
        else:
            painter.setPen(c.buy if row <= best_bid else c.sell if row >= best_ask else c.muted)
        painter.drawText(price_x, y, price_w, h, CENTRE, price_text(row))
        if line is None:
            continue
        if line.bid_text:
            bar = int(win.bar(line.bid_size) * (bid_w - 2))
            painter.fillRect(bid_x + bid_w - 1 - bar, y + 1, bar, h - 2, c.buy_bar)
            painter.setPen(c.buy)
            painter.drawText(bid_x + pad, y, bid_w - 2 * pad, h, RIGHT, line.bid_text)
            if cum_w:
                painter.setPen(c.muted)
                painter.drawText(bid_cum_x + pad, y, cum_w - 2 * pad, h, RIGHT, line.bid_cum_text)
        if line.ask_text:
            bar = int(win.bar(line.ask_size) * (ask_w - 2))
            painter.fillRect(ask_x + 1, y + 1, bar, h - 2, c.sell_bar)
            painter.setPen(c.sell)
            painter.drawText(ask_x + pad, y, ask_w - 2 * pad, h, LEFT, line.ask_text)
            if cum_w:
                painter.setPen(c.muted)
                painter.drawText(ask_cum_x + pad, y, cum_w - 2 * pad, h, LEFT, line.ask_cum_text)
        if line.own_buy_text:
            _own(painter, style, c, scene.columns, Cell.OWN_BUY, y, line.own_buy_text, line.own_buy_short)
        if line.own_sell_text:
            _own(painter, style, c, scene.columns, Cell.OWN_SELL, y, line.own_sell_text, line.own_sell_short)
    painter.setPen(c.grid)
    bottom = h + len(win.rows) * h
    for x in (lefts[Cell.BID_CUM], price_x, price_x + price_w, lefts[Cell.OWN_SELL]):
        painter.drawLine(x, h, x, bottom)


def _own(
    painter: QPainter, style: Style, c: Colours, columns: Columns, cell: Cell, y: int, text: str, short: str
) -> None:
    """The user's orders in a row: their remaining size, with their count when the column has room."""
    x, w = columns.lefts[cell], columns.widths[cell]
    room = w - 2 * style.pad
    painter.fillRect(x, y, w, style.row_h, c.own_fill)
    painter.setPen(c.own)
    fits = len(text) * style.digit <= room  # fixed pitch: every character is a digit wide
    painter.drawText(x + style.pad, y, room, style.row_h, CENTRE, text if fits else short)


def _footer(painter: QPainter, scene: Scene, style: Style, c: Colours) -> None:
    h, model = style.row_h, scene.model
    footer = QRect(0, scene.height - h, scene.width, h)
    painter.fillRect(footer, c.header)
    painter.setPen(c.muted)
    spread = f"Spread {model.spread_text}" if model.spread_text else "No spread"
    text = f"{spread}   Row {model.grid.price_text(1)}"
    painter.drawText(footer.adjusted(style.pad, 0, -style.pad, 0), LEFT, text)
    if scene.armed:
        _badge(painter, style, c, footer.adjusted(0, 1, -2 * style.pad, -1), "ONE-CLICK ARMED", c.sell)


def _badge(painter: QPainter, style: Style, c: Colours, within: QRect, text: str, colour: QColor) -> None:
    """``text`` in bold on ``colour``, at the right end of ``within``."""
    painter.setFont(style.bold)
    width = QFontMetrics(style.bold).horizontalAdvance(text) + 4 * style.pad
    box = QRect(within.right() - width, within.top(), width, within.height())
    painter.fillRect(box, colour)
    painter.setPen(c.base)
    painter.drawText(box, CENTRE, text)
    painter.setFont(style.font)
