"""The Chart dock: klines of the active symbol in a chosen interval, history loaded page by page from
REST (older pages as the user scrolls left), live candles from the stream, the user's orders and fills."""

from __future__ import annotations

import logging
import time

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from terminal.domain.intervals import Interval
from terminal.session.market_store import MarketChange
from terminal.session.messages import describe_error
from terminal.session.order_store import OrderChange
from terminal.session.session import Session
from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.chart_view import ChartView
from terminal.ui.chart.tick_line import TickLine
from terminal.ui.docks.base import SessionDock
from terminal.venues.base import Topic
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.ui.chart")

SHOWN_CANDLES = 120
LOADING_NEWEST = "Loading candles…"
LOADING_OLDER = "Loading older candles…"
RETRY_AFTER_S = 5.0  # after a failed page, scrolling asks again only this much later


class ChartDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Chart", "chartDock", parent)
        self.interval = Interval.M1
        self.ticks = False  # the tick-by-tick line instead of candles (venues with ``tick_chart``)
        self.data: ChartData | None = None
        self.loading = False  # a page request is running (one at a time)
        self.exhausted = False  # the venue has nothing older
        self._generation = 0  # bumps on every symbol/interval change: late pages are ignored
        self._reset_pending = False  # show the newest candles once the first page is in
        self._failed_at = -RETRY_AFTER_S

        body = QWidget(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.setSpacing(2)
        self.title = QLabel(body)
        self.title.setObjectName("chartTitle")
        bar.addWidget(self.title)
        bar.addSpacing(12)
        self.buttons: dict[Interval, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        for interval in Interval:
            button = QToolButton(body)
            button.setText(interval.value)
            button.setObjectName(f"interval_{interval.value}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, chosen=interval: self.set_interval(chosen))
            self._group.addButton(button)
            self.buttons[interval] = button
            bar.addWidget(button)
        self.tick_button = QToolButton(body)
        self.tick_button.setText("ticks")
        self.tick_button.setObjectName("interval_ticks")
        self.tick_button.setCheckable(True)
        self.tick_button.setAutoRaise(True)
        self.tick_button.setToolTip("Every tick as a line")
        self.tick_button.clicked.connect(lambda _=False: self.set_ticks())
        self._group.addButton(self.tick_button)
        bar.insertWidget(bar.indexOf(self.buttons[Interval.M1]), self.tick_button)
        self.tick_button.hide()
        bar.addStretch(1)
        self.buttons[self.interval].setChecked(True)
        self.chart = ChartView(body)
        self.chart.older_wanted.connect(self._older_wanted)
        self.tick_line = TickLine(body)
        self.views = QStackedWidget(body)
        self.views.addWidget(self.chart)
        self.views.addWidget(self.tick_line)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(bar)
        column.addWidget(self.views, 1)
        self.setWidget(body)

    # ---- SessionDock ----------------------------------------------------------------------------

    def on_bind(self, session: Session) -> None:
        capabilities = session.venue.capabilities
        for interval, button in self.buttons.items():
            button.setVisible(interval in capabilities.intervals)
        self.tick_button.setVisible(capabilities.tick_chart)
        if self.ticks and not capabilities.tick_chart:
            self.ticks = False
        if self.interval not in capabilities.intervals and capabilities.intervals:
            self.interval = capabilities.intervals[0]
        (self.tick_button if self.ticks else self.buttons[self.interval]).setChecked(True)
        self.listen(session.market.changed, self._market_changed)
        self.listen(session.orders.changed, self._orders_changed)

    def on_unbind(self) -> None:
        self._generation += 1
        self.loading = False
        self.data = None
        self.chart.set_data(None)
        self.chart.set_orders([])
        self.chart.set_fills([])
        self.chart.set_status("")
        self.tick_line.set_ticks((), None)
        self.title.setText("")

    def on_symbol(self, symbol: str) -> None:
        self._show()

    # ---- what the user picks --------------------------------------------------------------------

    def set_interval(self, interval: Interval) -> None:
        self.buttons[interval].setChecked(True)
        if interval is not self.interval or self.ticks:
            self.interval = interval
            self.ticks = False
            self._show()

    def set_ticks(self) -> None:
        """The tick-by-tick line (only where the venue's prices come as ticks)."""
        self.tick_button.setChecked(True)
        if not self.ticks:
            self.ticks = True
            self._show()

    def _offered(self) -> list[Interval | None]:
        """The views the venue offers, shortest first; None is the tick line."""
        session = self.session
        intervals = list(session.venue.capabilities.intervals) if session else list(Interval)
        ticks = session is not None and session.venue.capabilities.tick_chart
        return [None, *intervals] if ticks else list(intervals)

    def step_interval(self, offset: int) -> None:
        """The view ``offset`` places on (longer for positive), stopping at the first and the last."""
        order = self._offered()
        current = None if self.ticks else self.interval
        index = (order.index(current) if current in order else 0) + offset
        if 0 <= index < len(order):
            chosen = order[index]
            if chosen is None:
                self.set_ticks()
            else:
                self.set_interval(chosen)

    def _show(self) -> None:
        """Show (self.symbol, self.interval): new watch, the newest page, the last candles in view."""
        session = self.session
        self.release_watches()
        self._generation += 1
        self.loading = False
        self.exhausted = False
        self._failed_at = -RETRY_AFTER_S
        self.chart.set_status("")
        if session is None or not self.symbol:
            return
        instrument = session.venue.instruments.get(self.symbol)
        self.views.setCurrentWidget(self.tick_line if self.ticks else self.chart)
        if self.ticks:
            self.data = None
            self.title.setText(f"{self.symbol}  ticks")
            self.watch(Topic.TRADES, self.symbol)
            self._show_ticks()
            return
        series = session.market.candle_series(self.symbol, self.interval)  # shared with other docks
        self.data = ChartData(series)
        self.data.sync()
        self.title.setText(f"{self.symbol}  {self.interval.value}")
        self.chart.set_data(
            self.data,
            instrument.tick_size if instrument else None,
            instrument.step_size if instrument else None,
        )
        self.chart.set_orders(session.orders.working(self.symbol))
        self.chart.set_fills(session.orders.fills_of(self.symbol))
        self.watch(Topic.CANDLES, self.symbol, self.interval)
        self._request(older=False)  # first: while it runs, the view's edge asks for nothing older
        self._reset_pending = not len(series)
        if len(series):
            self.chart.show_last(SHOWN_CANDLES)

    # ---- pages ----------------------------------------------------------------------------------

    def _older_wanted(self) -> None:
        if not self.exhausted and time.monotonic() - self._failed_at >= RETRY_AFTER_S:
            self._request(older=True)

    def _request(self, older: bool) -> None:
        session = self.session
        if session is None or self.loading or not self.symbol:
            return
        self.loading = True
        self.chart.set_status(LOADING_OLDER if older else LOADING_NEWEST)
        session.spawn(self._load(session, self.symbol, self.interval, older, self._generation))

    async def _load(self, session: Session, symbol: str, interval: Interval, older: bool, generation: int) -> None:
        error = ""
        count = -1
        try:
            count = await session.load_candles(symbol, interval, older=older)
        except VenueError as exc:
            error = f"Could not load candles: {describe_error(exc)}"
        except Exception:
            log.exception("loading %s %s candles failed", symbol, interval)
            error = "Could not load candles."
        if generation != self._generation:
            return  # the dock moved on to another symbol or interval meanwhile
        self.loading = False
        self.chart.set_status(error, warn=True)
        if error:
            self._failed_at = time.monotonic()
            return
        if older and count == 0:
            self.exhausted = True
        self._refresh()
        if self._reset_pending and self.data is not None and len(self.data.series):
            self._reset_pending = False
            self.chart.show_last(SHOWN_CANDLES)
        if not self.exhausted:
            self.chart.check_edge()  # still short of the left edge (zoomed far out): the next page

    # ---- store signals --------------------------------------------------------------------------

    def _market_changed(self, change: MarketChange) -> None:
        if self.ticks:
            if self.symbol in change.trades:
                self._show_ticks()
        elif (self.symbol, self.interval) in change.candles:
            self._refresh()

    def _show_ticks(self) -> None:
        session = self.session
        if session is None:
            return
        instrument = session.venue.instruments.get(self.symbol)
        tick_size = instrument.tick_size if instrument else None
        self.tick_line.set_ticks(session.market.tapes.get(self.symbol, ()), tick_size)

    def _refresh(self) -> None:
        if self.data is not None:
            self.chart.data_changed(self.data.sync())

    def _orders_changed(self, change: OrderChange) -> None:
        session = self.session
        if session is None or not self.symbol:
            return
        shown = self.chart.orders.lines
        if any(cid in shown or ((o := session.orders.get(cid)) and o.symbol == self.symbol) for cid in change.orders):
            self.chart.set_orders(session.orders.working(self.symbol))
        if any(fill.symbol == self.symbol for fill in change.fills):
            self.chart.set_fills(session.orders.fills_of(self.symbol))
