"""Drive chart widgets offscreen for the chart benchmarks: the QApplication, running Qt until a change
has painted, and the scripted pan/zoom sweep both our chart and the peer go through."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

WIDTH, HEIGHT = 1600, 900
ZOOM_STEP = 1.25  # one mouse-wheel notch
FEWEST_SHOWN = 60  # the most zoomed-in view, in candles
PAN_STEP = 1 / 25  # one drag frame moves the view by this share of its width
_MAX_PASSES = 50  # of Qt's queue per settle; a change paints within two or three


def application() -> QApplication:
    """The running QApplication, or a new one painting offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


class Screen(QObject):
    """Counts the paint events of the widget that shows a chart (a graphics view's viewport)."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.app = application()
        self.paints = 0
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False

    def settle(self) -> bool:
        """Run Qt's queue until the chart has painted and a pass paints nothing more, so that every
        deferred update and repaint a change causes is inside the timing. False if nothing painted."""
        before = self.paints
        for _ in range(_MAX_PASSES):
            painted = self.paints
            self.app.processEvents()
            if self.paints == painted and self.paints > before:
                return True
        return self.paints > before


def sweep(first: float, last: float, slot: float, pans_per_zoom: int) -> Iterator[tuple[float, float]]:
    """View ranges (x0, x1) over candles centred at ``first`` .. ``last``, ``slot`` apart: wheel notches
    out from FEWEST_SHOWN candles at the newest end to the whole history in view while the view travels
    to the oldest end, each notch followed by ``pans_per_zoom`` drag frames, then the same way back in.
    Views stay inside the history; a view equal to the one before is left out."""
    low, high = first - 0.5 * slot, last + 0.5 * slot
    span = high - low
    notches = max(1, math.ceil(math.log(span / (FEWEST_SHOWN * slot)) / math.log(ZOOM_STEP)))
    way_out = []
    for j in range(notches + 1):
        width = min(span, FEWEST_SHOWN * slot * ZOOM_STEP**j)
        left = (high - width) - (j / notches) * (span - width)
        way_out.append((left, width, 1 if j % 2 else -1))
    previous = (math.nan, math.nan)
    for left, width, direction in [*way_out, *reversed(way_out[:-1])]:
        for k in range(pans_per_zoom + 1):
            x0 = min(max(left + direction * k * PAN_STEP * width, low), high - width)
            view = (x0, x0 + width)
            if view != previous:
                yield view
            previous = view


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values, dtype=np.float64), q))
