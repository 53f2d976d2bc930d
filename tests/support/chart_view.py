"""A chart showing a generated series, for chart tests."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.chart_view import ChartView
from terminal.ui.chart.synthetic import synthetic_series


def shown_chart(qtbot: QtBot, candles: int) -> tuple[ChartView, ChartData]:
    """A 1200x700 chart, exposed, showing ``candles`` synthetic 1-minute candles (tick 0.01, step 0.0001)."""
    view = ChartView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    data = ChartData(synthetic_series(candles))
    data.sync()
    view.set_data(data, Decimal("0.01"), Decimal("0.0001"))
    return view, data
