"""The tick-level view of the chart: every price of a symbol's tick stream as one line, the last one marked.

For venues whose prices come as ticks (Deriv): the tape of the session's market store (the ticks
the venue sent on subscribing and every one since) is drawn from numpy arrays in one item.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from terminal.domain.decimals import format_decimal
from terminal.domain.market import PublicTrade
from terminal.ui import theme
from terminal.ui.chart.time_axis import TimeAxis
from terminal.ui.chart.value_axis import ValueAxis

AXIS_WIDTH = 84
PADDING = 0.08  # of the price range, above and below


class TickLine(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colours = theme.current()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(colours.base)
        self.plot: Any = self.graphics.addPlot(axisItems={"bottom": TimeAxis(), "right": ValueAxis()})
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.hideAxis("left")
        self.plot.showAxis("right")
        self.plot.getAxis("right").setWidth(AXIS_WIDTH)
        for side in ("right", "bottom"):
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)  # it follows the newest ticks
        self.line = pg.PlotDataItem(pen=pg.mkPen(colours.color("last"), width=1.5))
        self.last = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(colours.color("last")), pen=None)
        self.plot.addItem(self.line)
        self.plot.addItem(self.last)
        self.status = QLabel("Waiting for ticks…", self)
        self.status.setObjectName("tickStatus")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self.count = 0
        self.last_price: Decimal | None = None
        self._tick: Decimal | None = None
        theme.notifier().changed.connect(self._restyle)

    def set_ticks(self, ticks: Iterable[PublicTrade], tick_size: Decimal | None) -> None:
        """Draw these ticks (oldest first); an empty tape says it is waiting."""
        tape = list(ticks)
        self._tick = tick_size
        self.count = len(tape)
        if not tape:
            self.line.setData([], [])
            self.last.setData([], [])
            self.last_price = None
            self.status.setText("Waiting for ticks…")
            self.status.show()
            return
        times = np.fromiter((t.time_ms / 1000 for t in tape), dtype=np.float64, count=len(tape))
        prices = np.fromiter((float(t.price) for t in tape), dtype=np.float64, count=len(tape))
        self.line.setData(times, prices)
        self.last.setData([times[-1]], [prices[-1]])
        self.last_price = tape[-1].price
        self.status.setText(f"{len(tape)} ticks, last {format_decimal(tape[-1].price, tick_size, grouping=True)}")
        low, high = float(prices.min()), float(prices.max())
        pad = (high - low) * PADDING or max(abs(high) * 1e-4, 1e-9)
        span = max(times[-1] - times[0], 1.0)
        self.plot.setXRange(times[0], times[-1] + span * 0.03, padding=0)
        self.plot.setYRange(low - pad, high + pad, padding=0)

    def _restyle(self, colours: theme.Theme) -> None:
        self.graphics.setBackground(colours.base)
        self.line.setPen(pg.mkPen(colours.color("last"), width=1.5))
        self.last.setBrush(pg.mkBrush(colours.color("last")))
