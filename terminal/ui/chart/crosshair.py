"""The crosshair: a vertical line on the candle under the mouse (both panes), a horizontal line at the
mouse's price, and the readout of that candle (of the live candle while the mouse is elsewhere)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit

from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.readout import readout_text


class Crosshair(QObject):
    def __init__(self, price_plot: Any, volume_plot: Any, readout: QLineEdit, colour: QColor) -> None:
        super().__init__(readout)
        self.readout = readout
        self.data: ChartData | None = None
        self.tick: Decimal | None = None
        self.step: Decimal | None = None
        self.hovered: int | None = None  # open time of the candle under the mouse (rows move on prepends)
        self._price_box = price_plot.getViewBox()
        self._volume_box = volume_plot.getViewBox()
        self.vertical = pg.InfiniteLine(angle=90, movable=False)
        self.horizontal = pg.InfiniteLine(angle=0, movable=False)
        self.volume_vertical = pg.InfiniteLine(angle=90, movable=False)
        for line in (self.vertical, self.horizontal, self.volume_vertical):
            line.setZValue(20)
            line.hide()
        self.set_colour(colour)
        price_plot.addItem(self.vertical, ignoreBounds=True)
        price_plot.addItem(self.horizontal, ignoreBounds=True)
        volume_plot.addItem(self.volume_vertical, ignoreBounds=True)
        price_plot.scene().sigMouseMoved.connect(self._moved)

    def set_colour(self, colour: QColor) -> None:
        pen = pg.mkPen(colour, width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
        for line in (self.vertical, self.horizontal, self.volume_vertical):
            line.setPen(pen)

    def set_data(self, data: ChartData | None, tick: Decimal | None, step: Decimal | None) -> None:
        self.data, self.tick, self.step = data, tick, step
        self.leave()

    def watch_leave(self, viewport: QObject) -> None:
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self.leave()
        return False

    def leave(self) -> None:
        self.hovered = None
        for line in (self.vertical, self.horizontal, self.volume_vertical):
            line.hide()
        self.show_readout()

    def _moved(self, scene_pos: QPointF) -> None:
        data = self.data
        in_price = self._price_box.sceneBoundingRect().contains(scene_pos)
        in_volume = self._volume_box.sceneBoundingRect().contains(scene_pos)
        if data is None or not (in_price or in_volume):
            self.leave()
            return
        box = self._price_box if in_price else self._volume_box
        point = box.mapSceneToView(scene_pos)
        index = data.index_at(point.x()) if len(data.series) else None
        self.hovered = int(data.series.times[index]) if index is not None else None
        x = data.x_of(index) if index is not None else point.x()
        self.vertical.setPos(x)
        self.volume_vertical.setPos(x)
        self.vertical.show()
        self.volume_vertical.show()
        self.horizontal.setVisible(in_price)
        if in_price:
            self.horizontal.setPos(point.y())
        self.show_readout()

    def show_readout(self) -> None:
        """The candle under the mouse, or the live one; call again when the data changes."""
        data = self.data
        if data is None or not len(data.series):
            _show(self.readout, "")
            return
        index = data.series.index_of(self.hovered) if self.hovered is not None else None
        candle = data.series.candle(-1 if index is None else index)
        _show(self.readout, readout_text(candle, data.series.interval, self.tick, self.step))


def _show(readout: QLineEdit, text: str) -> None:
    """A new text, shown from its start (the date) when it is wider than the chart."""
    if readout.text() != text:
        readout.setText(text)
        readout.setCursorPosition(0)
