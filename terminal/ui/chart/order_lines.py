"""The user's working orders of the shown symbol: a dashed horizontal line at each price, coloured by
side and labelled with side and remaining size."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from terminal.domain.enums import Side
from terminal.domain.orders import Order
from terminal.ui.chart.readout import exact


def order_label(order: Order, step: Decimal | None) -> str:
    return f"{order.side.value} {exact(order.remaining_qty, step)}"


def _pen(colour: QColor) -> Any:
    return pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)


class OrderLines:
    def __init__(self, plot: Any, buy: QColor, sell: QColor) -> None:
        self._plot = plot
        self._colours = {Side.BUY: buy, Side.SELL: sell}
        self.lines: dict[str, Any] = {}  # client order id -> pg.InfiniteLine
        self._sides: dict[str, Side] = {}  # client order id -> side, for a change of colours

    def set_colours(self, buy: QColor, sell: QColor) -> None:
        """Recolour the lines and their labels."""
        self._colours = {Side.BUY: buy, Side.SELL: sell}
        for cid, line in self.lines.items():
            colour = self._colours[self._sides[cid]]
            line.setPen(_pen(colour))
            line.label.setColor(colour)

    def show(self, orders: Iterable[Order], step: Decimal | None) -> None:
        wanted = {o.client_order_id: o for o in orders if o.price is not None and o.remaining_qty > 0}
        for cid in [cid for cid in self.lines if cid not in wanted]:
            self._plot.removeItem(self.lines.pop(cid))
            del self._sides[cid]
        for cid, order in wanted.items():
            assert order.price is not None
            text = order_label(order, step)
            line = self.lines.get(cid)
            if line is None:
                colour = self._colours[order.side]
                line = pg.InfiniteLine(
                    pos=float(order.price),
                    angle=0,
                    movable=False,
                    pen=_pen(colour),
                    label=text,
                    labelOpts={"position": 0.03, "color": colour, "anchors": [(0, 1), (0, 1)]},
                )
                line.setZValue(10)
                self._plot.addItem(line, ignoreBounds=True)
                self.lines[cid] = line
                self._sides[cid] = order.side
            else:
                line.setPos(float(order.price))
                line.label.setFormat(text)

    def prices(self) -> dict[str, float]:
        return {cid: float(line.value()) for cid, line in self.lines.items()}

    def labels(self) -> dict[str, str]:
        return {cid: str(line.label.format) for cid, line in self.lines.items()}

    def clear(self) -> None:
        self.show((), None)
