"""An AxisItem that works out the same ticks, pens, labels and label places as pyqtgraph's, for a
fraction of the cost: pyqtgraph builds two Point objects per tick and measures every label string
again on every frame (0.4-0.8 ms per axis and frame here, in every pan); this uses QPointF, one pen
per level and label sizes measured once per string."""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

_MEASURE_BOX = QRectF(0, 0, 100, 100)
_CENTRE = Qt.AlignmentFlag.AlignCenter
_RIGHT_TEXT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
_BOTTOM_TEXT = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip
_MAX_MEASURED = 4096  # label sizes kept; forgotten all at once beyond this

Spec = tuple[QPen, QPointF, QPointF]
TextSpec = tuple[QRectF, Any, str]


class LeanAxis(pg.AxisItem):  # type: ignore[misc]
    """A right or bottom axis without grid, fixed tick levels, log mode, tick alpha or stopAxisAtTick
    (the chart uses none of them; with any of them pyqtgraph's own ``generateDrawSpecs`` runs)."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation=orientation)
        self._sizes: dict[tuple[str, str], QRectF] = {}

    def is_lean(self) -> bool:
        """Whether this axis' settings are the ones the lean specs cover."""
        style = self.style
        return (
            self.orientation in ("right", "bottom")
            and self.grid is False
            and self._tickLevels is None
            and not self.logMode
            and style["tickAlpha"] is None
            and tuple(style["stopAxisAtTick"]) == (False, False)
        )

    def _size(self, painter: QPainter, font: str, text: str) -> QRectF:
        key = (font, text)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= _MAX_MEASURED:
                self._sizes.clear()
            size = painter.boundingRect(_MEASURE_BOX, _CENTRE, text)
            size.setHeight(size.height() * 0.8)  # as pyqtgraph: its bounding rect is a little too large
            self._sizes[key] = size
        return QRectF(size)

    def _level_pen(self, level: int) -> QPen:
        pen: QPen = self.tickPen()
        if pen.brush().style() == Qt.BrushStyle.SolidPattern:
            pen = QPen(pen)
            colour = QColor(pen.color())
            colour.setAlpha(int(255 / (level + 1)))
            pen.setColor(colour)
        return pen

    def generateDrawSpecs(self, p: QPainter) -> tuple[Spec, list[Spec], list[TextSpec]] | None:
        if not self.is_lean():
            return super().generateDrawSpecs(p)  # type: ignore[no-any-return]
        style = self.style
        if style["tickFont"] is not None:
            p.setFont(style["tickFont"])
        bounds = self.mapRectFromParent(self.geometry())
        vertical = self.orientation == "right"
        if vertical:
            span = (bounds.topLeft() + QPointF(1, -1), bounds.bottomLeft() + QPointF(1, 1))
            tick_at = bounds.left()
        else:
            span = (bounds.topLeft() + QPointF(-1, 1), bounds.topRight() + QPointF(1, 1))
            tick_at = bounds.top()
        ends = [self.mapToDevice(point) for point in span]
        if ends[0] is None or ends[1] is None:
            return None
        length = math.hypot(ends[1].x() - ends[0].x(), ends[1].y() - ends[0].y())
        if length == 0:
            return None
        low, high = self.range
        levels = self.tickValues(low, high, length)
        difference = high - low
        if difference == 0:
            scale, offset = 1.0, 0.0
        elif vertical:
            scale = -bounds.height() / difference
            offset = low * scale - bounds.height()
        else:
            scale = bounds.width() / difference
            offset = low * scale
        ends_px = (low * scale - offset, high * scale - offset)
        lowest, highest = min(ends_px), max(ends_px)

        positions: list[list[float | None]] = []
        tick_specs: list[Spec] = []
        for i, (_, values) in enumerate(levels):
            pen = self._level_pen(i)
            tip = tick_at + style["tickLength"] / (i * 0.5 + 1.0)
            placed: list[float | None] = []
            for value in values:
                x = value * scale - offset
                if x < lowest or x > highest:
                    placed.append(None)
                    continue
                placed.append(x)
                if vertical:
                    tick_specs.append((pen, QPointF(tick_at, x), QPointF(tip, x)))
                else:
                    tick_specs.append((pen, QPointF(x, tick_at), QPointF(x, tip)))
            positions.append(placed)
        axis_spec = (self.pen(), span[0], span[1])
        text_specs: list[TextSpec] = []
        if not style["showValues"]:
            return axis_spec, tick_specs, text_specs
        text_specs = self._texts(p, levels, positions, tick_at, length, vertical)
        return axis_spec, tick_specs, text_specs

    def _texts(
        self,
        p: QPainter,
        levels: list[tuple[float, list[float]]],
        positions: list[list[float | None]],
        tick_at: float,
        length: float,
        vertical: bool,
    ) -> list[TextSpec]:
        """pyqtgraph's label rules: the top level always, finer levels while the text fill allows."""
        style = self.style
        distance = max(0, style["tickLength"]) + style["tickTextOffset"][0 if vertical else 1]
        area = self.boundingRect()
        font = p.font().key()
        measured: list[QRectF] = []  # every label measured so far, of all levels (as pyqtgraph counts)
        specs: list[TextSpec] = []
        across = last_across = 0.0
        for i in range(min(len(levels), style["maxTextLevel"] + 1)):
            spacing, values = levels[i]
            strings = self.tickStrings(values, self.autoSIPrefixScale * self.scale, spacing)
            if len(strings) == 0:
                continue
            sizes: list[QRectF | None] = []
            for text, x in zip(strings, positions[i], strict=False):
                size = self._size(p, font, text) if x is not None else None
                sizes.append(size)
                if size is not None:
                    measured.append(size)
            if measured:
                along = sum(r.height() if vertical else r.width() for r in measured)
                across = max(r.width() if vertical else r.height() for r in measured)
            else:
                along = across = 0.0
            if i > 0:
                fill = along / length
                if any(len(specs) >= count and fill >= limit for count, limit in style["textFillLimits"]):
                    break
            last_across = across
            for text, x, size in zip(strings, positions[i], sizes, strict=False):
                if x is None or size is None:
                    continue
                w, h = size.width(), size.height()
                if vertical:
                    rect, flags = QRectF(tick_at + distance, x - h / 2, w, h), _RIGHT_TEXT
                else:
                    rect, flags = QRectF(x - w / 2, tick_at + distance, w, h), _BOTTOM_TEXT
                if area & rect == rect:
                    specs.append((rect, flags, text))
        self._updateMaxTextSize(last_across)
        return specs
