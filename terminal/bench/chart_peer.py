"""The chart benchmarks' peer: finplot (pyqtgraph candles with its own level of detail and viewport
cache), shown in the same process on the same Qt binding, fed the same candles and the same sweep."""

from __future__ import annotations

import importlib.util
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyqtgraph as pg

from terminal.bench.chart_harness import HEIGHT, WIDTH, Screen, application, sweep
from terminal.domain.candles import CandleColumns

LOAD = "finplot: the columns as a float DataFrame + candlestick_ochl + volume_ocv + refresh + first paint"
PAN = "finplot: the same sweep in candle index x, update_y_zoom(x0, x1) (x range and y fit) + Qt run until painted"
# finplot declares PyQt6; installed alongside PySide6 it could become pyqtgraph's binding, so without it.
INSTALL = "pip install pandas python-dateutil && pip install --no-deps finplot"
_INITIAL = 120  # candles in view after loading, as ours


def available() -> bool:
    """finplot and pandas importable, and pyqtgraph on our binding (finplot then draws with it too)."""
    found = all(importlib.util.find_spec(name) is not None for name in ("finplot", "pandas"))
    return found and pg.Qt.QT_LIB == "PySide6"


@contextmanager
def _finplot() -> Iterator[Any]:
    """finplot, with pyqtgraph's global options restored and finplot's windows closed afterwards."""
    application()
    options = dict(pg.CONFIG_OPTIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its locale.getdefaultlocale() at import
        import finplot  # type: ignore[import-untyped]

    try:
        yield finplot
    finally:
        finplot.close()
        pg.setConfigOptions(**options)
        application().processEvents()


class _Window:
    """A finplot window with a price and a volume pane, shown empty."""

    def __init__(self, fp: Any) -> None:
        pg.setConfigOptions(foreground=fp.foreground, background=fp.background)
        self.fp = fp
        self.window = fp.FinWindow("bench")
        self.price, self.volume = fp.create_plot_widget(self.window, rows=2, init_zoom_periods=_INITIAL)
        self.window.addItem(self.price, col=1)
        self.window.nextRow()
        self.window.addItem(self.volume, col=1)
        self.window.resize(WIDTH, HEIGHT)
        self.window.show()
        self.screen = Screen(self.window.viewport())
        self.screen.settle()

    def show(self, columns: CandleColumns, price_quantum: float = 0.01, qty_quantum: float = 0.0001) -> None:
        """The same columns as a DataFrame of floats (what finplot takes), plotted and painted."""
        import pandas as pd  # type: ignore[import-untyped]

        frame = pd.DataFrame(
            {
                "time": columns.time,
                "open": columns.open * price_quantum,
                "close": columns.close * price_quantum,
                "high": columns.high * price_quantum,
                "low": columns.low * price_quantum,
                "volume": columns.volume * qty_quantum,
            }
        )
        self.fp.candlestick_ochl(frame[["time", "open", "close", "high", "low"]], ax=self.price)
        self.fp.volume_ocv(frame[["time", "open", "close", "volume"]], ax=self.volume)
        self.fp.refresh()
        self.screen.settle()


def load_seconds(columns: CandleColumns, repeats: int) -> list[float]:
    """Times from the columns in memory to finplot's first painted frame, each on a fresh window."""
    times = []
    for _ in range(repeats):
        with _finplot() as fp:
            window = _Window(fp)
            started = time.perf_counter()
            window.show(columns)
            times.append(time.perf_counter() - started)
    return times


def frame_times_ms(columns: CandleColumns, pans_per_zoom: int) -> list[float]:
    """The same sweep in finplot's x (candle index): ``update_y_zoom(x0, x1)`` (what its own wheel and
    drag handlers call: x range and y fit) + Qt run until painted. finplot snaps views to whole
    candles, so a view it leaves unchanged paints nothing and is not a frame."""
    with _finplot() as fp:
        window = _Window(fp)
        window.show(columns)
        box = window.price.vb
        times = []
        for x0, x1 in sweep(0.0, float(len(columns) - 1), 1.0, pans_per_zoom):
            started = time.perf_counter()
            box.update_y_zoom(x0, x1)
            if window.screen.settle():
                times.append((time.perf_counter() - started) * 1e3)
        return times
