"""The chart widget: a price pane over a volume pane on one UTC time axis, with candles, the live
candle, order lines, fill markers, the crosshair readout, a status overlay and y auto-scaling."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from terminal.domain.orders import Fill, Order
from terminal.ui import theme
from terminal.ui.chart.candle_items import CandleItem, LiveCandleItem
from terminal.ui.chart.chart_data import ChartData, Sync
from terminal.ui.chart.crosshair import Crosshair
from terminal.ui.chart.fill_markers import FillMarkers
from terminal.ui.chart.grid_item import GridItem
from terminal.ui.chart.order_lines import OrderLines
from terminal.ui.chart.time_axis import TimeAxis
from terminal.ui.chart.value_axis import ValueAxis
from terminal.ui.chart.volume_items import LiveVolumeItem, VolumeItem

AXIS_WIDTH = 84  # both panes' price axes, so that their x pixels line up
PRICE_PADDING = 0.06
VOLUME_HEADROOM = 1.15


class ChartView(QWidget):
    older_wanted = Signal()  # the view reaches back before the first candle held

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colours = theme.current()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(colours.base)
        self.price_plot: Any = self.graphics.addPlot(
            row=0, col=0, axisItems={"bottom": TimeAxis(), "right": ValueAxis()}
        )
        self.volume_plot: Any = self.graphics.addPlot(
            row=1, col=0, axisItems={"bottom": TimeAxis(), "right": ValueAxis()}
        )
        layout = self.graphics.ci.layout
        layout.setRowStretchFactor(0, 4)
        layout.setRowStretchFactor(1, 1)
        self.graphics.ci.setSpacing(0)
        self.volume_plot.setXLink(self.price_plot)
        for plot in (self.price_plot, self.volume_plot):
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.hideAxis("left")
            plot.showAxis("right")
            plot.getAxis("right").setWidth(AXIS_WIDTH)
            for side in ("left", "right", "top", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)  # no units shown; it re-set a label per range change
            box = plot.getViewBox()
            box.setMouseEnabled(x=True, y=False)  # y follows the visible candles
            box.disableAutoRange()
        self.price_plot.hideAxis("bottom")
        self.volume_plot.getAxis("right").setStyle(showValues=False)
        self.price_box: Any = self.price_plot.getViewBox()
        self.volume_box: Any = self.volume_plot.getViewBox()

        up, down = colours.color("buy"), colours.color("sell")
        self.candles = CandleItem(up, down)
        self.live_candle = LiveCandleItem(up, down)
        self.volume = VolumeItem(colours.color("buy_bar"), colours.color("sell_bar"))
        self.live_volume = LiveVolumeItem(colours.color("buy_bar"), colours.color("sell_bar"))
        self.live_candle.setZValue(1)
        self.live_volume.setZValue(1)
        self.price_plot.addItem(self.candles)
        self.price_plot.addItem(self.live_candle)
        self.volume_plot.addItem(self.volume)
        self.volume_plot.addItem(self.live_volume)
        self.grids = (
            GridItem(colours.color("grid"), self.price_plot.getAxis("right")),
            GridItem(colours.color("grid"), None),
        )
        self.price_plot.addItem(self.grids[0])
        self.volume_plot.addItem(self.grids[1])
        self.orders = OrderLines(self.price_plot, up, down)
        self.fills = FillMarkers(self.price_plot, up, down)

        # Above the plots, not over them: a readout that changes with every live update would
        # otherwise repaint the strip of chart beneath it.
        # A read-only line, not a label: a label asks its dock and the window for a new layout at
        # every new text (each live update); a line edit's size does not depend on its text. The
        # view paints its own background, so the text's repaints stop here.
        self.setAutoFillBackground(True)
        self.readout = QLineEdit(self)
        self.readout.setObjectName("chartReadout")
        self.readout.setReadOnly(True)
        self.readout.setFrame(False)
        self.readout.setFont(theme.mono_font())
        self.readout.setTextMargins(8, 2, 8, 2)
        self.readout.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # selectable and copyable, not a tab stop
        self.readout.setStyleSheet("QLineEdit#chartReadout { background: transparent; border: none; }")
        self.status = QLabel(self.graphics)
        self.status.setObjectName("chartStatus")
        self.status.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.status.hide()
        self.crosshair = Crosshair(self.price_plot, self.volume_plot, self.readout, colours.color("muted"))
        self.crosshair.watch_leave(self.graphics.viewport())

        box_layout = QVBoxLayout(self)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(0)
        box_layout.addWidget(self.readout)
        box_layout.addWidget(self.graphics, 1)
        self.data: ChartData | None = None
        self.step: Decimal | None = None
        self._live_x: float | None = None
        self.price_box.sigXRangeChanged.connect(self._x_changed)
        self.price_box.sigResized.connect(self._x_changed)
        self._status_warn = False
        theme.notifier().changed.connect(self.set_colours)

    def set_colours(self, colours: theme.Theme) -> None:
        """Paint everything in ``colours`` from now on (a theme change)."""
        self.graphics.setBackground(colours.base)
        up, down = colours.color("buy"), colours.color("sell")
        self.candles.set_colours(up, down)
        self.live_candle.set_colours(up, down)
        self.volume.set_colours(colours.color("buy_bar"), colours.color("sell_bar"))
        self.live_volume.set_colours(colours.color("buy_bar"), colours.color("sell_bar"))
        for grid in self.grids:
            grid.set_colour(colours.color("grid"))
        self.crosshair.set_colour(colours.color("muted"))
        self.orders.set_colours(up, down)
        self.fills.set_colours(up, down)
        if self.status.text():
            self.set_status(self.status.text(), self._status_warn)

    # ---- data ---------------------------------------------------------------------------------

    def set_data(self, data: ChartData | None, tick: Decimal | None = None, step: Decimal | None = None) -> None:
        self.data, self.step = data, step
        for item in (self.candles, self.live_candle, self.volume, self.live_volume):
            item.set_data(data)
        self.crosshair.set_data(data, tick, step)
        live = data.live() if data is not None else None
        self._live_x = live.x if live is not None else None
        self.autoscale()

    def data_changed(self, sync: Sync) -> None:
        """Redraw what ``sync`` says changed: a live update repaints only the live items."""
        data = self.data
        if data is None or not sync.any:
            return
        if sync.closed:
            self.candles.refresh()
            self.volume.refresh()
        self.live_candle.refresh()
        self.live_volume.refresh()
        self._follow(self._live_x)
        self.crosshair.show_readout()
        self.autoscale()

    def _follow(self, previous_x: float | None) -> None:
        """Keep the newest candle in view as new ones open, if it was in view."""
        data = self.data
        live = data.live() if data is not None else None
        self._live_x = live.x if live is not None else None
        if data is None or live is None or previous_x is None or live.x <= previous_x:
            return
        x0, x1 = self.visible_x()
        if x0 <= previous_x <= x1 and live.x + 0.5 * data.slot > x1:
            shift = live.x - previous_x
            self.price_box.setXRange(x0 + shift, x1 + shift, padding=0)

    def set_orders(self, orders: Sequence[Order]) -> None:
        self.orders.show(orders, self.step)

    def set_fills(self, fills: Sequence[Fill]) -> None:
        self.fills.show(fills)

    # ---- view ---------------------------------------------------------------------------------

    def show_last(self, count: int = 120) -> None:
        """Show the newest ``count`` candles, with a little room on the right."""
        live = self.data.live() if self.data is not None else None
        if live is None or self.data is None:
            return
        slot = self.data.slot
        right = live.x + 4 * slot
        self.price_box.setXRange(right - (count + 4) * slot, right, padding=0)
        self.autoscale()

    def visible_x(self) -> tuple[float, float]:
        (x0, x1), _ = self.price_box.viewRange()
        return float(x0), float(x1)

    def pixel(self) -> float:
        x0, x1 = self.visible_x()
        return (x1 - x0) / max(1.0, float(self.price_box.width()))

    def autoscale(self) -> None:
        """Fit y of both panes to the candles in view."""
        self._fit_y()
        # pyqtgraph moves the items only when the scene is about to paint, and items that follow the
        # view (the live candle's pixel padding, the grid) then ask for a second paint: move them now.
        self.price_box.updateMatrix()
        self.volume_box.updateMatrix()

    def _fit_y(self) -> None:
        data = self.data
        if data is None:
            return
        x0, x1 = self.visible_x()
        extent = data.extent(x0, x1, self.pixel())
        if extent is None:
            return
        low, high, volume = extent
        if high <= low:  # one flat candle: a little room around its price
            room = max(abs(high) * 1e-3, 1e-12)
            low, high = low - room, high + room
        self.price_box.setYRange(low, high, padding=PRICE_PADDING)
        top = self.volume_box.viewRange()[1][1]
        if not volume <= top <= volume * VOLUME_HEADROOM * 1.5:  # a growing live volume rescales rarely
            self.volume_box.setYRange(0.0, max(volume, 1e-12) * VOLUME_HEADROOM, padding=0)

    def check_edge(self) -> None:
        """Ask for older candles when the view reaches back before the first one held."""
        data = self.data
        if data is not None and len(data.series) and self.visible_x()[0] < data.x_of(0):
            self.older_wanted.emit()

    def _x_changed(self, *_: object) -> None:
        self.autoscale()
        self.check_edge()

    # ---- overlays -----------------------------------------------------------------------------

    def set_status(self, text: str, warn: bool = False) -> None:
        """A short line over the chart ("Loading older candles…", an error); empty hides it."""
        colours = theme.current()
        self._status_warn = warn
        colour = colours.warn if warn else colours.text
        self.status.setStyleSheet(f"color: {colour}; background: {colours.alt_base}; padding: 3px 8px;")
        self.status.setText(text)
        self.status.adjustSize()
        self.status.setVisible(bool(text))
        self._place_overlays()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def _place_overlays(self) -> None:
        self.status.move(8, 6)
