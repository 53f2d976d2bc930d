"""Candlesticks: wicks as one batch of lines and bodies as one batch of rectangles per colour; when
candles are narrower than a few pixels, one high-low bar per pixel column."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from terminal.ui.chart.frame import Frame
from terminal.ui.chart.primitives import draw_lines, draw_rects, lines, rects
from terminal.ui.chart.series_item import HistoryItem, LiveItem

BODY = 0.8  # a body's share of its interval


def cosmetic_pen(colour: QColor) -> QPen:
    pen = QPen(colour)
    pen.setCosmetic(True)  # one pixel at every zoom
    pen.setWidth(1)
    return pen


def draw_candles(painter: QPainter, frame: Frame, pixel_height: float, up: QColor, down: QColor) -> None:
    rising = frame.close >= frame.open
    for mask, colour in ((rising, up), (~rising, down)):
        if not mask.any():
            continue
        x = frame.x[mask]
        painter.setPen(cosmetic_pen(colour))
        draw_lines(painter, lines(x, frame.low[mask], x, frame.high[mask]))
        if frame.dense:
            continue
        opens, closes = frame.open[mask], frame.close[mask]
        width = BODY * frame.width
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        draw_rects(
            painter,
            rects(
                x - 0.5 * width,
                np.minimum(opens, closes),
                np.full(len(x), width),
                np.maximum(np.abs(closes - opens), pixel_height),  # a doji is still one pixel tall
            ),
        )


class CandleItem(HistoryItem):
    """Every closed candle of the chart's data."""

    def __init__(self, up: QColor, down: QColor) -> None:
        super().__init__()
        self.up, self.down = up, down

    def set_colours(self, up: QColor, down: QColor) -> None:
        self.up, self.down = up, down
        self.update()

    def bounds(self) -> QRectF:
        bounds = self.data.bounds() if self.data is not None else None
        if bounds is None:
            return QRectF()
        first, last, low, high, _ = bounds
        slot = self.data.slot if self.data is not None else 0.0
        return QRectF(first - slot, low, last - first + 2 * slot, high - low)

    def draw(self, painter: QPainter, frame: Frame, pixel_height: float) -> None:
        draw_candles(painter, frame, pixel_height, self.up, self.down)


class LiveCandleItem(LiveItem):
    """The last candle, which the stream updates in place."""

    def __init__(self, up: QColor, down: QColor) -> None:
        super().__init__()
        self.up, self.down = up, down

    def set_colours(self, up: QColor, down: QColor) -> None:
        self.up, self.down = up, down
        self.update()

    def bounds(self) -> QRectF:
        live = self.data.live() if self.data is not None else None
        return self.live_rect(live.low, live.high) if live is not None else QRectF()

    def draw(self, painter: QPainter, frame: Frame, pixel_height: float) -> None:
        draw_candles(painter, frame, pixel_height, self.up, self.down)
