"""Market data of one session: books, tapes, tickers, best quotes, candle series, staleness.

Events land here at the venue's rate; ``flush`` (called by the frame clock) emits one
``MarketChange`` naming what changed since the last frame.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QObject, Signal

from terminal.domain.book import OrderBook
from terminal.domain.candles import CandleSeries
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import BookTicker, PublicTrade, Ticker
from terminal.venues.base import (
    BboEvent,
    BookEvent,
    CandleEvent,
    SubscriptionKey,
    SubscriptionStatus,
    TickerEvent,
    TradesEvent,
    VenueEvent,
)

TAPE_LENGTH = 500
_FALLBACK_QUANTUM = Decimal("0.00000001")  # refined further by the series if values need it


@dataclass
class MarketChange:
    books: set[str] = field(default_factory=set)
    trades: set[str] = field(default_factory=set)
    tickers: set[str] = field(default_factory=set)
    bbo: set[str] = field(default_factory=set)
    candles: set[tuple[str, Interval]] = field(default_factory=set)
    stale: bool = False

    def __bool__(self) -> bool:
        return bool(self.books or self.trades or self.tickers or self.bbo or self.candles or self.stale)


class MarketStore(QObject):
    changed = Signal(object)  # MarketChange

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.instruments: dict[str, Instrument] = {}
        self.books: dict[str, OrderBook] = {}
        self.tapes: dict[str, deque[PublicTrade]] = {}
        self.tickers: dict[str, Ticker] = {}
        self.bbo: dict[str, BookTicker] = {}
        self.series: dict[tuple[str, Interval], CandleSeries] = {}
        self.stale: dict[SubscriptionKey, str] = {}
        self._change = MarketChange()
        self.events = 0  # events applied (diagnostics, benchmarks)

    def set_instruments(self, instruments: dict[str, Instrument]) -> None:
        """The venue's own mapping, not a copy: a venue that refreshes its symbols (Deriv, every minute) updates it."""
        self.instruments = instruments

    def apply(self, event: VenueEvent) -> None:
        self.events += 1
        change = self._change
        if isinstance(event, BookEvent):
            self.books[event.book.symbol] = event.book
            change.books.add(event.book.symbol)
        elif isinstance(event, TradesEvent):
            self._add_trades(event)
            change.trades.add(event.symbol)
        elif isinstance(event, TickerEvent):
            self.tickers[event.ticker.symbol] = event.ticker
            change.tickers.add(event.ticker.symbol)
        elif isinstance(event, BboEvent):
            self.bbo[event.quote.symbol] = event.quote
            change.bbo.add(event.quote.symbol)
        elif isinstance(event, CandleEvent):
            series = self.candle_series(event.symbol, event.interval)
            series.update(event.candle)
            change.candles.add((event.symbol, event.interval))
        elif isinstance(event, SubscriptionStatus):
            if event.stale:
                self.stale[event.key] = event.reason or "stale"
            else:
                self.stale.pop(event.key, None)
            change.stale = True

    def _add_trades(self, event: TradesEvent) -> None:
        tape = self.tapes.setdefault(event.symbol, deque(maxlen=TAPE_LENGTH))
        if not event.snapshot:
            tape.extend(event.trades)
            return
        # A snapshot after a reconnect overlaps what the tape holds: merge without duplicates.
        seen = {t.trade_id for t in tape if t.trade_id}
        merged = list(tape) + [t for t in event.trades if not t.trade_id or t.trade_id not in seen]
        merged.sort(key=lambda t: t.time_ms)
        tape.clear()
        tape.extend(merged[-TAPE_LENGTH:])

    def candle_series(self, symbol: str, interval: Interval) -> CandleSeries:
        key = (symbol, interval)
        series = self.series.get(key)
        if series is None:
            instrument = self.instruments.get(symbol)
            tick = instrument.tick_size if instrument else _FALLBACK_QUANTUM
            step = instrument.step_size if instrument else _FALLBACK_QUANTUM
            series = self.series[key] = CandleSeries(symbol, interval, tick, step)
        return series

    def drop_series(self, symbol: str, interval: Interval) -> None:
        self.series.pop((symbol, interval), None)

    def last_trade(self, symbol: str) -> PublicTrade | None:
        tape = self.tapes.get(symbol)
        return tape[-1] if tape else None

    def is_stale(self, symbol: str) -> bool:
        return any(key.symbol == symbol for key in self.stale)

    def note_candles(self, symbol: str, interval: Interval) -> None:
        """History pages were merged into a series: tell the views at the next frame."""
        self._change.candles.add((symbol, interval))

    def flush(self) -> None:
        if self._change:
            change, self._change = self._change, MarketChange()
            self.changed.emit(change)
