"""Base graphics items that paint a ChartData: the closed candles (from the viewport cache, only where
Qt asks) and the live candle (its own small item, so a live update repaints only its rectangle)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from terminal.ui.chart.chart_data import ChartData, LiveCandle
from terminal.ui.chart.frame import DENSE_PX, Frame


def view_pixel(item: Any) -> tuple[float, float] | None:
    """(x units per pixel column, y units per pixel row) of the view ``item`` sits in, once it has a size."""
    box = item.getViewBox()
    if box is None:
        return None
    (x0, x1), (y0, y1) = box.viewRange()
    width, height = float(box.width()), float(box.height())
    if width < 1 or height < 1 or x1 <= x0:
        return None
    return (x1 - x0) / width, (y1 - y0) / height


def frame_part(frame: Frame, left: float, right: float) -> Frame:
    """The rows of ``frame`` that can touch x in left..right."""
    lo = int(np.searchsorted(frame.x, left - frame.width, side="left"))
    hi = int(np.searchsorted(frame.x, right + frame.width, side="right"))
    if lo == 0 and hi == len(frame):
        return frame
    return Frame(
        frame.x[lo:hi],
        frame.open[lo:hi],
        frame.high[lo:hi],
        frame.low[lo:hi],
        frame.close[lo:hi],
        frame.volume[lo:hi],
        frame.width,
        frame.dense,
        frame.x0,
        frame.x1,
        frame.pixel,
    )


def live_frame(live: LiveCandle, slot: float, pixel: float) -> Frame:
    dense = pixel > 0 and slot / pixel < DENSE_PX
    one = np.ones(1, dtype=np.float64)
    return Frame(
        one * live.x,
        one * live.open,
        one * live.high,
        one * live.low,
        one * live.close,
        one * live.volume,
        pixel if dense else slot,
        dense,
        live.x,
        live.x,
        pixel,
    )


class SeriesItem(pg.GraphicsObject):  # type: ignore[misc]
    """Common plumbing: the data, the bounding rectangle, and a paint that hands a Frame to ``draw``."""

    def __init__(self) -> None:
        super().__init__()
        self.data: ChartData | None = None
        self._rect = QRectF()

    def set_data(self, data: ChartData | None) -> None:
        self.data = data
        self.refresh()

    def refresh(self) -> None:
        """The data changed: move the bounds if needed and repaint."""
        rect = self.bounds() if self.data is not None else QRectF()
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def bounds(self) -> QRectF:
        raise NotImplementedError

    def draw(self, painter: QPainter, frame: Frame, pixel_height: float) -> None:
        raise NotImplementedError


class HistoryItem(SeriesItem):
    """The closed candles: a frame from the data's viewport cache, cut to the exposed rectangle."""

    def __init__(self) -> None:
        super().__init__()
        # exposedRect in paint(): a live update repaints a few pixels, and only their rows are drawn.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        data = self.data
        pixels = view_pixel(self)
        if data is None or pixels is None:
            return
        (x0, x1), _ = self.getViewBox().viewRange()
        frame = data.frame(x0, x1, pixels[0])
        exposed = option.exposedRect
        part = frame_part(frame, max(x0, exposed.left()), min(x1, exposed.right()))
        if len(part):
            self.draw(painter, part, pixels[1])


class LiveItem(SeriesItem):
    """The last candle alone; its bounds follow the candle, padded by a few pixels."""

    def live_rect(self, low: float, high: float, floor: bool = False) -> QRectF:
        """The live candle's box from low to high, padded by two pixels (not below ``low`` if ``floor``)."""
        data = self.data
        live = data.live() if data is not None else None
        pixels = view_pixel(self)
        if data is None or live is None:
            return QRectF()
        px, py = pixels if pixels is not None else (0.0, 0.0)
        half = 0.5 * max(data.slot, px) + 2 * px
        bottom = low if floor else low - 2 * py
        return QRectF(live.x - half, bottom, 2 * half, high + 2 * py - bottom)

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.refresh()  # the padding is in pixels, and dense or not depends on the zoom

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        data = self.data
        live = data.live() if data is not None else None
        pixels = view_pixel(self)
        if data is None or live is None or pixels is None:
            return
        self.draw(painter, live_frame(live, data.slot, pixels[0]), pixels[1])
