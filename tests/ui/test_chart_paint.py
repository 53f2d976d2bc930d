"""What one change costs the chart in paints: a pan, a zoom or a live update paints the view once (not
a second time for items that follow the view), and a live update repaints only around the live candle."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from terminal.domain.market import Candle
from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.chart_view import ChartView
from tests.support.chart_view import shown_chart


class _Paints(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


def _flush() -> None:
    for _ in range(10):
        QApplication.processEvents()


@pytest.fixture
def chart(qtbot: QtBot) -> tuple[ChartView, ChartData, _Paints]:
    view, data = shown_chart(qtbot, 20_000)
    view.show_last(120)
    paints = _Paints(view.graphics.viewport())
    qtbot.waitUntil(lambda: len(paints.rects) > 0)  # the first paint of the candles
    qtbot.wait(50)  # and whatever else showing them scheduled
    paints.rects.clear()
    return view, data, paints


def test_a_pan_or_a_zoom_paints_once(chart: tuple[ChartView, ChartData, _Paints]) -> None:
    view, data, paints = chart
    x0, x1 = view.visible_x()
    for left, right in ((x0 - 600, x1 - 600), (x0 - 6000, x1), (data.x_of(0), data.x_of(19_999))):
        paints.rects.clear()
        view.price_box.setXRange(left, right, padding=0)
        _flush()
        assert len(paints.rects) == 1, (left, right)


def test_a_live_update_paints_once_around_the_live_candle(chart: tuple[ChartView, ChartData, _Paints]) -> None:
    view, data, paints = chart
    last = data.series.candle(-1)
    y0, y1 = view.price_box.viewRange()[1]
    middle = Decimal(str(round((y0 + y1) / 2, 2)))  # inside the view: no rescale
    viewport = view.graphics.viewport().rect()
    for tick in range(3):  # Qt repaints the whole view on the first item update after showing it
        paints.rects.clear()
        close = middle + tick * Decimal("0.01")
        data.series.update(Candle(last.open_time_ms, last.open, last.high, last.low, close, last.volume))
        view.data_changed(data.sync())
        _flush()
        assert len(paints.rects) == 1
    assert paints.rects[0].width() < viewport.width() // 10
