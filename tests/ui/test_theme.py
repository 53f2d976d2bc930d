"""Theme switching at run time: every widget that keeps colours takes the new ones, "system" follows
the desktop's scheme while chosen, and the notifier speaks once per real change."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from terminal.session.session import Session
from terminal.session.status_store import StatusStore
from terminal.ui import theme
from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.chart_view import ChartView
from terminal.ui.chart.synthetic import synthetic_series
from terminal.ui.main_window import MainWindow
from terminal.ui.status_bar import StatusBar
from terminal.ui.ticket.draft import Problem
from terminal.ui.ticket.problem_list import ProblemList
from terminal.venues.base import Capabilities, ConnectionEvent, ConnectionState, VenueStatus

DARK, LIGHT = theme.DARK, theme.LIGHT


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application in the dark theme, and dark again afterwards (the theme is process-wide)."""
    theme.apply(qapp, "dark")
    yield qapp
    theme.apply(qapp, "dark")


@pytest.fixture
def changes(app: QApplication) -> Iterator[list[str]]:
    """The names the notifier announces."""
    seen: list[str] = []
    recorder = _Recorder(seen)
    theme.notifier().changed.connect(recorder.record)
    yield seen
    theme.notifier().changed.disconnect(recorder.record)


class _Recorder:
    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def record(self, colours: theme.Theme) -> None:
        self.seen.append(colours.name)


def _switch(app: QApplication, name: str) -> None:
    """Apply ``name`` and let the palette reach every widget (Qt posts part of it as events)."""
    theme.apply(app, name)
    app.processEvents()


def _pixels(widget: QWidget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), dtype=np.uint32, count=image.width() * image.height()) & 0xFFFFFF


def _count(pixels: np.ndarray, colour: QColor) -> int:
    return int((pixels == (colour.rgb() & 0xFFFFFF)).sum())


# ---- the theme module -------------------------------------------------------------------------


def test_system_resolves_to_the_desktops_scheme_and_dark_when_unknown() -> None:
    assert theme.resolve("system", Qt.ColorScheme.Light) is LIGHT
    assert theme.resolve("system", Qt.ColorScheme.Dark) is DARK
    assert theme.resolve("system", Qt.ColorScheme.Unknown) is DARK
    assert theme.resolve("light", Qt.ColorScheme.Dark) is LIGHT
    assert theme.resolve("dark", Qt.ColorScheme.Light) is DARK
    assert theme.resolve("no such theme", Qt.ColorScheme.Light) is DARK
    assert theme.THEME_CHOICES == ("dark", "light", "system")
    assert set(theme.THEMES) == {"dark", "light"}


def test_system_follows_the_scheme_until_another_theme_is_chosen(app: QApplication, changes: list[str]) -> None:
    hints = app.styleHints()
    applied = theme.apply(app, "system")
    assert theme.chosen() == "system"
    assert applied is theme.current() is theme.resolve("system", hints.colorScheme())
    # The platform's scheme cannot change offscreen: the signal stands in for the desktop switching.
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current() is LIGHT and theme.chosen() == "system"
    assert app.palette().color(QPalette.ColorRole.Window) == QColor(LIGHT.window)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current() is DARK
    theme.apply(app, "dark")
    assert theme.chosen() == "dark"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current() is DARK  # no longer following
    theme.apply(app, "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current() is LIGHT
    assert changes[-3:] == ["light", "dark", "light"]


def test_the_notifier_speaks_once_per_real_change(app: QApplication, changes: list[str]) -> None:
    theme.apply(app, "dark")  # already dark
    assert changes == []
    theme.apply(app, "light")
    theme.apply(app, "light")
    assert changes == ["light"]
    theme.apply(app, "dark")
    theme.apply(app, "dark")
    assert changes == ["light", "dark"]
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)  # not following: "dark" was chosen
    assert changes == ["light", "dark"]


# ---- widgets ----------------------------------------------------------------------------------


def test_the_chart_takes_the_new_colours_and_renders_them(qtbot: QtBot, app: QApplication) -> None:
    chart = ChartView()
    qtbot.addWidget(chart)
    chart.resize(900, 600)
    chart.show()
    qtbot.waitExposed(chart)
    data = ChartData(synthetic_series(2000))
    data.sync()
    chart.set_data(data, Decimal("0.01"), Decimal("0.0001"))
    chart.show_last(80)
    assert _count(_pixels(chart.graphics), DARK.color("buy")) > 100

    _switch(app, "light")
    assert chart.graphics.backgroundBrush().color() == LIGHT.color("base")
    assert (chart.candles.up, chart.candles.down) == (LIGHT.color("buy"), LIGHT.color("sell"))
    assert (chart.live_candle.up, chart.volume.up) == (LIGHT.color("buy"), LIGHT.color("buy_bar"))
    pixels = _pixels(chart.graphics)
    assert _count(pixels, LIGHT.color("buy")) > 100 and _count(pixels, LIGHT.color("sell")) > 100
    assert _count(pixels, DARK.color("buy")) == 0 and _count(pixels, DARK.color("base")) == 0
    corner = chart.graphics.grab().toImage().pixelColor(20, 20)  # inside the plot, above the candles
    assert corner.lightness() > 200

    _switch(app, "dark")
    assert chart.graphics.backgroundBrush().color() == DARK.color("base")
    pixels = _pixels(chart.graphics)
    assert _count(pixels, DARK.color("buy")) > 100 and _count(pixels, LIGHT.color("buy")) == 0
    assert chart.graphics.grab().toImage().pixelColor(20, 20).lightness() < 60


def test_the_window_restyles_the_ticket(qtbot: QtBot, app: QApplication, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "window.ini")
    qtbot.addWidget(window)
    ticket = window.findChild(QWidget, "ticketForm")
    w = ticket.widgets  # type: ignore[union-attr]
    assert DARK.buy in w.buy.styleSheet() and DARK.sell in w.sell.styleSheet()
    assert DARK.buy in w.submit.styleSheet()

    for name, colours, old in (("light", LIGHT, DARK), ("dark", DARK, LIGHT)):
        window.set_theme(name)
        app.processEvents()
        assert colours.buy in w.buy.styleSheet() and old.buy not in w.buy.styleSheet()
        assert colours.sell in w.sell.styleSheet() and colours.alt_base in w.sell.styleSheet()
        assert colours.buy in w.submit.styleSheet() and old.buy not in w.submit.styleSheet()
        assert colours.warn in w.reason.styleSheet()  # "Not connected"
        assert colours.muted in w.estimate.styleSheet()
        assert window.status.palette().color(QPalette.ColorRole.Window) == QColor(colours.window)


def test_the_status_bar_colours_its_chips_anew(qtbot: QtBot, app: QApplication) -> None:
    bar = StatusBar()
    qtbot.addWidget(bar)
    store = StatusStore()
    store.apply(ConnectionEvent("public_v2", ConnectionState.LIVE))
    store.apply(ConnectionEvent("private", ConnectionState.FAILED, reason="bad key"))
    store.set_venue(VenueStatus(round_trip_ms=12.0))

    class FakeSession:
        name = "Demo"
        status = store
        venue = SimpleNamespace(capabilities=Capabilities("HashKey", order_book=True))

    bar.bind(cast(Session, FakeSession()))
    assert DARK.buy in bar.streams["public_v2"].styleSheet()
    assert DARK.sell in bar.streams["private"].styleSheet()
    _switch(app, "light")
    assert LIGHT.buy in bar.streams["public_v2"].styleSheet()
    assert LIGHT.sell in bar.streams["private"].styleSheet()
    assert LIGHT.text in bar.round_trip.styleSheet()
    bar.bind(None)


def test_the_ticket_problems_take_the_new_red(qtbot: QtBot, app: QApplication) -> None:
    problems = ProblemList()
    qtbot.addWidget(problems)
    problems.show_problems((Problem("price", "price is not on the tick", Decimal("1.23")),), {"price"})
    label, button = problems.findChild(QWidget, "problemText"), problems.findChild(QWidget, "useNearest")
    assert label is not None and button is not None
    assert DARK.sell in label.styleSheet() and DARK.last in button.styleSheet()
    _switch(app, "light")
    assert LIGHT.sell in label.styleSheet() and LIGHT.last in button.styleSheet()


def test_a_widget_with_a_style_sheet_takes_the_new_palette(qtbot: QtBot, app: QApplication) -> None:
    chart = ChartView()
    qtbot.addWidget(chart)
    _switch(app, "light")
    assert chart.readout.palette().color(QPalette.ColorRole.Text) == QColor(LIGHT.text)
    _switch(app, "dark")
    assert chart.readout.palette().color(QPalette.ColorRole.Text) == QColor(DARK.text)
