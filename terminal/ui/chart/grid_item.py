"""Grid lines at the time ticks and the price ticks, one pixel wide, in one batch: pyqtgraph's own
grid (alpha-blended tick lines stretched across the plot) measured ~6 ms per axis and frame here."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from terminal.ui.chart.candle_items import cosmetic_pen
from terminal.ui.chart.primitives import draw_lines, lines
from terminal.ui.chart.time_axis import time_ticks


def major_ticks(axis: Any, low: float, high: float, pixels: float) -> list[float]:
    levels = axis.tickValues(low, high, pixels) if pixels > 0 and high > low else []
    return [float(v) for v in levels[0][1]] if levels else []


class GridItem(pg.GraphicsObject):  # type: ignore[misc]
    def __init__(self, colour: QColor, y_axis: Any | None) -> None:
        super().__init__()
        self._pen = cosmetic_pen(colour)
        self._y_axis = y_axis
        self._rect = QRectF()
        self._key: tuple[float, ...] = ()
        self._lines = np.zeros((0, 4), dtype=np.float64)
        self.setZValue(-100)

    def set_colour(self, colour: QColor) -> None:
        self._pen = cosmetic_pen(colour)
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        box = self.getViewBox()
        rect = QRectF(box.viewRect()) if box is not None else QRectF()
        if rect != self._rect:
            self.prepareGeometryChange()  # the grid covers exactly the view
            self._rect = rect
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        box = self.getViewBox()
        if box is None:
            return
        (x0, x1), (y0, y1) = box.viewRange()
        key = (x0, x1, y0, y1, float(box.width()), float(box.height()))
        if key != self._key:  # a live update repaints a few pixels: reuse the lines
            self._key = key
            xs = np.array(time_ticks(x0, x1, key[4])[1], dtype=np.float64)
            ys = np.array(major_ticks(self._y_axis, y0, y1, key[5]) if self._y_axis is not None else [])
            self._lines = np.concatenate(
                (
                    lines(xs, np.full(len(xs), y0), xs, np.full(len(xs), y1)),
                    lines(np.full(len(ys), x0), ys, np.full(len(ys), x1), ys),
                )
            )
        painter.setPen(self._pen)
        draw_lines(painter, self._lines)
