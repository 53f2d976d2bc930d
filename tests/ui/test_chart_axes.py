"""The chart's lean axes draw exactly what pyqtgraph's own AxisItem would (ticks, pens, labels and their
places), and the value axis' tick levels equal pyqtgraph's at any range."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter, QPicture
from pytestqt.qtbot import QtBot

from terminal.ui.chart.chart_view import ChartView
from terminal.ui.chart.value_axis import ValueAxis
from tests.support.chart_view import shown_chart


def _point(p: QPointF) -> tuple[float, float]:
    return (p.x(), p.y())


def _specs(axis: Any, generate: Any) -> tuple[Any, ...]:
    picture = QPicture()
    painter = QPainter(picture)
    try:
        specs = generate(axis, painter)
    finally:
        painter.end()
    if specs is None:
        return ()
    (pen, a, b), ticks, texts = specs
    return (
        (pen.color().rgba(), _point(a), _point(b)),
        [(pen.color().rgba(), pen.widthF(), _point(a), _point(b)) for pen, a, b in ticks],
        [((r.x(), r.y(), r.width(), r.height()), int(flags), text) for r, flags, text in texts],
    )


@pytest.fixture
def chart(qtbot: QtBot) -> ChartView:
    view, _ = shown_chart(qtbot, 50_000)
    return view


def test_lean_axes_draw_what_pyqtgraph_would(qtbot: QtBot, chart: ChartView) -> None:
    data = chart.data
    assert data is not None
    axes = {
        "price": chart.price_plot.getAxis("right"),
        "time": chart.volume_plot.getAxis("bottom"),
        "volume": chart.volume_plot.getAxis("right"),
    }
    assert all(axis.is_lean() for axis in axes.values())
    last = len(data.series) - 1
    checked = 0
    for count in (30, 120, 1_000, 8_000, 49_999):
        for end in (last, last // 2, count):
            chart.price_box.setXRange(data.x_of(end - count), data.x_of(end), padding=0)
            qtbot.wait(1)
            for name, axis in axes.items():
                lean = _specs(axis, type(axis).generateDrawSpecs)
                original = _specs(axis, pg.AxisItem.generateDrawSpecs)
                assert lean == original, f"{name} axis differs at {count} candles"
                assert lean and lean[1], f"{name} axis has no ticks"
                checked += 1
    assert checked == 45


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-1e6, 1e6),
    st.floats(1e-6, 1e6),
    st.floats(50, 3000),
)
def test_price_ticks_equal_pyqtgraphs(qapp: Any, low: float, span: float, pixels: float) -> None:
    ours, theirs = ValueAxis(), pg.AxisItem("right")
    got, want = ours.tickValues(low, low + span, pixels), theirs.tickValues(low, low + span, pixels)
    assert [s for s, _ in got] == [s for s, _ in want]
    for (spacing, a), (_, b) in zip(got, want, strict=True):
        assert len(a) == len(b)
        assert np.allclose(a, b, rtol=1e-12, atol=spacing * 1e-9)
