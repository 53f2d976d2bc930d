"""The GUI benchmark's instruments: each counts what it says, and leaves the code it wraps as it was."""

from __future__ import annotations

import math
import time
from decimal import Decimal as D

import orjson
import pytest
from pytestqt.qtbot import QtBot

from terminal.bench.probes import CpuClock, LadderPaints, LoopLag, StreamCounter, percentile
from terminal.domain.book import BookSide, OrderBook
from terminal.ui.ladder.ladder_view import LadderView
from terminal.venues.hashkey import market_stream
from terminal.venues.hashkey.stream_wire import Decoded


def _book(time_ms: int, version: str) -> OrderBook:
    bids = BookSide([("99.99", "1.5"), ("99.98", "2")])
    asks = BookSide([("100.01", "1"), ("100.02", "3")])
    return OrderBook("BTCUSDT", bids, asks, time_ms, version)


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_ladder_paints_count_repaints_and_time_each_new_book_once(qtbot: QtBot) -> None:
    original = LadderView.paintEvent
    paints = LadderPaints()
    firsts: list[float] = []
    paints.on_first_live(lambda: firsts.append(time.time()))
    paints.install()
    try:
        view = LadderView()
        qtbot.addWidget(view)
        view.set_instrument(D("0.01"), D("0.1"))
        view.resize(400, 600)
        view.show()
        qtbot.waitUntil(lambda: paints.paints >= 1)  # no book yet: a paint, no latency
        assert paints.latencies_ms == []
        sent = int(time.time() * 1000) - 40  # a book the venue sent 40 ms ago
        view.set_market(_book(sent, "1"), None, False)
        qtbot.waitUntil(lambda: len(paints.latencies_ms) == 1)
        painted = paints.paints
        view.update()  # the same book painted again is not a new tick
        qtbot.waitUntil(lambda: paints.paints > painted)
        assert len(paints.latencies_ms) == 1
        assert 40 <= paints.latencies_ms[0] < 10_000
        assert len(firsts) == 1
        view.set_market(_book(sent + 1, "2"), None, False)
        qtbot.waitUntil(lambda: len(paints.latencies_ms) == 2)
        assert len(firsts) == 1  # only the first live frame is announced
        paints.reset()
        assert (paints.paints, paints.latencies_ms) == (0, [])
    finally:
        paints.uninstall()
    assert LadderView.paintEvent is original


def test_stream_counter_counts_decoded_messages_by_topic_and_decodes_them_unchanged() -> None:
    original = market_stream.decode_public
    counter = StreamCounter()
    counter.install()
    try:
        depth = orjson.loads(
            b'{"topic":"depth","params":{"symbol":"BTCUSDT"},'
            b'"data":{"s":"BTCUSDT","t":1,"v":"1","b":[["1","2"]],"a":[["3","4"]]}}'
        )
        decoded = market_stream.decode_public(depth)
        assert isinstance(decoded, Decoded)
        market_stream.decode_public({"pong": 5})
        assert counter.topics == {"depth": 1, "control": 1}
        assert counter.total == 1  # controls are not market messages
    finally:
        counter.uninstall()
    assert market_stream.decode_public is original


def test_loop_lag_samples_while_the_loop_runs(qtbot: QtBot) -> None:
    lag = LoopLag()
    lag.start()
    qtbot.wait(100)
    lag.stop()
    assert len(lag.samples) >= 5
    assert all(sample >= 0 for sample in lag.samples)
    lag.reset()
    assert lag.samples == []


def test_cpu_clock_reports_cpu_time_over_wall_time_as_percent_of_a_core(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = {"cpu": 10.0, "wall": 100.0}
    monkeypatch.setattr(time, "process_time", lambda: readings["cpu"])
    monkeypatch.setattr(time, "perf_counter", lambda: readings["wall"])
    clock = CpuClock()
    readings.update(cpu=10.5, wall=102.0)  # half a second of CPU in two seconds
    assert clock.elapsed() == 2.0
    assert clock.share() == 25.0
    clock.reset()
    assert math.isnan(clock.share())  # no time has passed
