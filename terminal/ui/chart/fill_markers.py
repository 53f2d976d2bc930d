"""The user's fills of the shown symbol: an up triangle per buy and a down triangle per sell, at the
fill's time and price."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from terminal.domain.enums import Side
from terminal.domain.orders import Fill


class FillMarkers:
    def __init__(self, plot: Any, buy: QColor, sell: QColor) -> None:
        self._buy = pg.mkBrush(buy)
        self._sell = pg.mkBrush(sell)
        self.item = pg.ScatterPlotItem(size=11, pxMode=True, pen=pg.mkPen(None))
        self.item.setZValue(15)
        plot.addItem(self.item, ignoreBounds=True)
        self.count = 0
        self._fills: Sequence[Fill] = ()

    def set_colours(self, buy: QColor, sell: QColor) -> None:
        """New brushes, and the markers shown drawn again with them."""
        self._buy = pg.mkBrush(buy)
        self._sell = pg.mkBrush(sell)
        self.show(self._fills)

    def show(self, fills: Sequence[Fill]) -> None:
        self._fills = fills
        self.count = len(fills)
        if not fills:
            self.item.clear()
            return
        buys = [fill.side is Side.BUY for fill in fills]
        self.item.setData(
            x=np.array([fill.time_ms / 1000.0 for fill in fills], dtype=np.float64),
            y=np.array([float(fill.price) for fill in fills], dtype=np.float64),
            symbol=["t1" if buy else "t" for buy in buys],  # t1 points up, t points down
            brush=[self._buy if buy else self._sell for buy in buys],
        )

    def positions(self) -> list[tuple[float, float]]:
        x, y = self.item.getData()
        return [(float(a), float(b)) for a, b in zip(x, y, strict=True)]
