"""Volume bars under the candles, drawn like them: one batch of rectangles per colour, or one bar per
pixel column (summed volume) when zoomed far out."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from terminal.ui.chart.candle_items import BODY, cosmetic_pen
from terminal.ui.chart.frame import Frame
from terminal.ui.chart.primitives import draw_lines, draw_rects, lines, rects
from terminal.ui.chart.series_item import HistoryItem, LiveItem


def draw_volume(painter: QPainter, frame: Frame, up: QColor, down: QColor) -> None:
    rising = frame.close >= frame.open
    for mask, colour in ((rising, up), (~rising, down)):
        if not mask.any():
            continue
        x, volume = frame.x[mask], frame.volume[mask]
        zero = np.zeros(len(x))
        if frame.dense:
            painter.setPen(cosmetic_pen(colour))
            draw_lines(painter, lines(x, zero, x, volume))
            continue
        width = BODY * frame.width
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        draw_rects(painter, rects(x - 0.5 * width, zero, np.full(len(x), width), volume))


class VolumeItem(HistoryItem):
    def __init__(self, up: QColor, down: QColor) -> None:
        super().__init__()
        self.up, self.down = up, down

    def set_colours(self, up: QColor, down: QColor) -> None:
        self.up, self.down = up, down
        self.update()

    def bounds(self) -> QRectF:
        data = self.data
        bounds = data.bounds() if data is not None else None
        if data is None or bounds is None:
            return QRectF()
        first, last, _, _, volume = bounds
        return QRectF(first - data.slot, 0.0, last - first + 2 * data.slot, volume)

    def draw(self, painter: QPainter, frame: Frame, pixel_height: float) -> None:
        draw_volume(painter, frame, self.up, self.down)


class LiveVolumeItem(LiveItem):
    def __init__(self, up: QColor, down: QColor) -> None:
        super().__init__()
        self.up, self.down = up, down

    def set_colours(self, up: QColor, down: QColor) -> None:
        self.up, self.down = up, down
        self.update()

    def bounds(self) -> QRectF:
        live = self.data.live() if self.data is not None else None
        return self.live_rect(0.0, live.volume, floor=True) if live is not None else QRectF()

    def draw(self, painter: QPainter, frame: Frame, pixel_height: float) -> None:
        draw_volume(painter, frame, self.up, self.down)
