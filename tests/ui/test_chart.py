"""The Chart dock on a live session against the demo exchange: history pages, live candles, intervals,
scrolling back, the crosshair readout, order lines and fill markers; and a large synthetic series."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from terminal.domain.candles import CandleSeries
from terminal.domain.decimals import format_decimal
from terminal.domain.enums import OrderType, Side
from terminal.domain.intervals import Interval
from terminal.domain.orders import OrderRequest
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.chart_dock import LOADING_OLDER, ChartDock
from terminal.ui.chart.chart_view import ChartView
from terminal.ui.chart.readout import exact, readout_text
from terminal.ui.chart.synthetic import synthetic_series
from terminal.venues.base import Topic
from terminal.venues.errors import RateLimited
from tests.support.qt import run, wait


@pytest.fixture
def dock(qtbot: QtBot, session: Session) -> Iterator[ChartDock]:
    """A chart dock on the session, shown, with its first page of BTCUSDT 1m candles in."""
    dock = ChartDock()
    qtbot.addWidget(dock)
    dock.resize(1200, 800)
    dock.show()
    qtbot.waitExposed(dock)
    dock.bind(session)
    wait(qtbot, lambda: _settled(dock))
    yield dock
    dock.bind(None)


def _settled(dock: ChartDock) -> bool:
    return dock.data is not None and len(dock.data.series) > 0 and not dock.loading


def _series(dock: ChartDock) -> CandleSeries:
    assert dock.data is not None
    return dock.data.series


def _visible_rows(dock: ChartDock) -> list[int]:
    data = dock.data
    assert data is not None
    x0, x1 = dock.chart.visible_x()
    return [i for i in range(len(data.series)) if x0 <= data.x_of(i) <= x1]


def _pixels(widget: QWidget, colour: QColor) -> int:
    """How many pixels of ``widget`` have exactly ``colour``."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.width() * image.height())
    return int(((pixels & 0xFFFFFF) == (colour.rgb() & 0xFFFFFF)).sum())


def _instrument_steps(session: Session) -> tuple[Decimal, Decimal]:
    instrument = session.venue.instruments["BTCUSDT"]
    return instrument.tick_size, instrument.step_size


def test_the_dock_loads_and_draws_the_newest_candles(qtbot: QtBot, dock: ChartDock) -> None:
    series = _series(dock)
    assert dock.objectName() == "chartDock" and dock.windowTitle() == "Chart"
    assert (series.symbol, series.interval) == ("BTCUSDT", Interval.M1)
    assert 1000 <= len(series) <= 1002  # the newest page (and the live candle): nothing older yet
    rows = _visible_rows(dock)
    assert 110 <= len(rows) <= 130 and rows[-1] == len(series) - 1
    low = min(series.candle(i).low for i in rows)
    high = max(series.candle(i).high for i in rows)
    y0, y1 = dock.chart.price_box.viewRange()[1]
    assert y0 <= float(low) and float(high) <= y1
    assert float(high - low) >= 0.7 * (y1 - y0)  # fitted to the visible candles, not to all history
    colours = theme.current()
    assert _pixels(dock.chart.graphics, colours.color("buy")) > 100
    assert _pixels(dock.chart.graphics, colours.color("sell")) > 100
    assert not dock.chart.status.isVisible()


def test_the_live_candle_updates_in_place(qtbot: QtBot, dock: ChartDock, session: Session) -> None:
    series = _series(dock)
    first, size, revision = series.first_open, len(series), series.revision
    before = series.candle(-1)
    tick, step = _instrument_steps(session)

    def live_shown() -> bool:
        last = series.candle(-1)
        return last != before and dock.chart.readout.text() == readout_text(last, Interval.M1, tick, step)

    wait(qtbot, lambda: series.revision > revision and live_shown())
    assert series.first_open == first and len(series) - size <= 1  # no history reloaded
    assert not dock.loading
    data = dock.data
    assert data is not None
    live = data.live()
    assert live is not None and live.close == float(series.candle(-1).close)
    assert dock.chart.live_candle.boundingRect().contains(QPointF(live.x, live.close))


def test_changing_the_interval_reloads_the_chart(qtbot: QtBot, dock: ChartDock, session: Session) -> None:
    dock.buttons[Interval.M5].click()
    assert dock.interval is Interval.M5 and dock.buttons[Interval.M5].isChecked()
    wait(qtbot, lambda: _series(dock).interval is Interval.M5 and _settled(dock))
    series = _series(dock)
    assert len(series) >= 500
    assert bool(np.all(series.times % 300_000 == 0))
    assert ("BTCUSDT", Interval.M1) in session.market.series  # not dropped: other docks may use it
    assert dock.chart.candles.data is dock.data
    assert 110 <= len(_visible_rows(dock)) <= 130
    assert dock.title.text() == "BTCUSDT  5m"

    session.set_active_symbol("ETHUSDT")
    wait(qtbot, lambda: _series(dock).symbol == "ETHUSDT" and _settled(dock))
    assert _series(dock).interval is Interval.M5 and dock.title.text() == "ETHUSDT  5m"


def test_panning_past_the_left_edge_loads_older_pages_until_there_are_none(qtbot: QtBot, dock: ChartDock) -> None:
    series = _series(dock)
    data = dock.data
    assert data is not None
    first, size = series.first_open, len(series)
    assert first is not None
    chart = dock.chart
    x0, x1 = chart.visible_x()
    chart.price_box.translateBy(x=data.x_of(0) - (x1 - x0) / 2 - x0)  # a drag does this
    assert dock.loading and chart.status.isVisible() and chart.status.text() == LOADING_OLDER
    wait(qtbot, lambda: not dock.loading)
    assert (series.first_open or first) < first and len(series) > size
    assert not chart.status.isVisible()
    # Far to the left: pages follow one another until the venue has nothing older (3 days here).
    chart.price_box.setXRange(data.x_of(0) - 5 * 86_400, data.x_of(0) - 4 * 86_400, padding=0)
    wait(qtbot, lambda: dock.exhausted and not dock.loading, timeout=30)
    assert len(series) >= 3 * 1440 - 5
    chart.price_box.translateBy(x=-3600)
    assert not dock.loading  # nothing more is asked for


def test_the_crosshair_reads_out_the_candle_under_the_mouse(qtbot: QtBot, dock: ChartDock, session: Session) -> None:
    series = _series(dock)
    data = dock.data
    assert data is not None
    chart = dock.chart
    index = len(series) - 10
    candle = series.candle(index)
    x = data.x_of(index)
    scene = chart.price_box.mapViewToScene(QPointF(x, float((candle.high + candle.low) / 2)))
    QTest.mouseMove(chart.graphics.viewport(), chart.graphics.mapFromScene(scene))
    wait(qtbot, lambda: chart.crosshair.hovered == candle.open_time_ms)
    tick, step = _instrument_steps(session)
    text = chart.readout.text()
    assert text == readout_text(candle, Interval.M1, tick, step)
    assert f"O {format_decimal(candle.open, tick, grouping=True)}" in text
    assert f"V {format_decimal(candle.volume, step, grouping=True)}" in text
    assert chart.crosshair.vertical.isVisible() and chart.crosshair.vertical.value() == x
    assert chart.readout.cursorPosition() == 0  # a readout wider than the chart shows its start (the date)
    assert chart.readout.isReadOnly()


def test_open_orders_are_lines_at_their_price_and_fills_are_markers(
    qtbot: QtBot, dock: ChartDock, session: Session
) -> None:
    session.watch(Topic.DEPTH, "BTCUSDT")
    wait(qtbot, lambda: "BTCUSDT" in session.market.books and "USDT" in session.account.balances)
    tick, step = _instrument_steps(session)
    bid = session.market.books["BTCUSDT"].best_bid
    assert bid is not None
    price = (bid * Decimal("0.95")).quantize(tick)
    quantity = Decimal("0.001")
    order = run(qtbot, session.manager.place(OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity, price)))
    cid = order.client_order_id
    wait(qtbot, lambda: cid in dock.chart.orders.lines)
    assert dock.chart.orders.prices()[cid] == float(price)
    assert dock.chart.orders.labels()[cid] == f"BUY {exact(quantity, step)}"

    market = run(qtbot, session.manager.place(OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, amount=Decimal(200))))
    wait(qtbot, lambda: any(f.client_order_id == market.client_order_id for f in session.orders.fills.values()))
    fill = next(f for f in session.orders.fills.values() if f.client_order_id == market.client_order_id)
    spot = (fill.time_ms / 1000.0, float(fill.price))
    wait(qtbot, lambda: spot in dock.chart.fills.positions())
    symbols = dock.chart.fills.item.data["symbol"]
    assert symbols[dock.chart.fills.positions().index(spot)] == "t1"  # a buy: an up triangle
    assert market.client_order_id not in dock.chart.orders.lines  # filled at once: never a working line

    run(qtbot, session.manager.cancel(cid))
    wait(qtbot, lambda: cid not in dock.chart.orders.lines)


def test_a_failed_page_is_a_short_text_on_the_chart(
    qtbot: QtBot, dock: ChartDock, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused(symbol: str, interval: Interval, *, older: bool = False) -> int:
        raise RateLimited("-1003", "Too many requests", 429, retry_after=3)

    monkeypatch.setattr(session, "load_candles", refused)
    dock.set_interval(Interval.H1)
    wait(qtbot, lambda: not dock.loading and dock.chart.status.isVisible())
    text = dock.chart.status.text()
    assert text.startswith("Could not load candles: Too many requests")
    assert "Traceback" not in text and "\n" not in text


def test_a_hundred_thousand_synthetic_candles_build_and_draw_with_level_of_detail(qtbot: QtBot) -> None:
    series = synthetic_series(100_000)
    chart = ChartView()
    qtbot.addWidget(chart)
    chart.resize(1600, 900)
    chart.show()
    qtbot.waitExposed(chart)
    started = time.perf_counter()
    data = ChartData(series)
    data.sync()
    chart.set_data(data, Decimal("0.01"), Decimal("0.0001"))
    chart.show_last(120)
    built = time.perf_counter() - started
    colours = theme.current()
    started = time.perf_counter()
    assert _pixels(chart.graphics, colours.color("buy")) > 100
    detailed = time.perf_counter() - started
    chart.price_box.setXRange(data.x_of(0), data.x_of(len(series) - 1), padding=0)
    frame = data.frame(*chart.visible_x(), chart.pixel())
    assert frame.dense and len(frame) <= chart.price_box.width() + 2
    started = time.perf_counter()
    assert _pixels(chart.graphics, colours.color("buy")) > 100
    lod = time.perf_counter() - started
    low, high = chart.price_box.viewRange()[1]
    assert low <= data.source().rows.low.min() * 0.01 and data.source().rows.high.max() * 0.01 <= high
    print(f"100k candles: build {built * 1e3:.1f} ms, paint 120 {detailed * 1e3:.1f} ms, paint all {lod * 1e3:.1f} ms")
