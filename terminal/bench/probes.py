"""Instruments for the GUI benchmarks: event-loop lag, ladder paints and what they showed, stream
messages received, and this process's CPU time. Each counts into a window that ``reset`` starts."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

from terminal.domain.book import OrderBook
from terminal.ui.ladder.ladder_view import LadderView
from terminal.venues.hashkey import market_stream

LAG_PROBE_MS = 5  # the lag probe asks to wake this often and measures how late it is


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) by the nearest-rank method; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


class LoopLag(QObject):
    """How late the event loop runs a precise timer: a single shot re-armed each time it fires, so a
    blocked loop shows as one late wake-up of the blocked length."""

    def __init__(self) -> None:
        super().__init__()
        self.samples: list[float] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fired)
        self._due = 0.0

    def start(self) -> None:
        self._arm()

    def stop(self) -> None:
        self._timer.stop()

    def reset(self) -> None:
        self.samples = []

    def _arm(self) -> None:
        self._due = time.perf_counter() + LAG_PROBE_MS / 1000
        self._timer.start(LAG_PROBE_MS)

    def _fired(self) -> None:
        self.samples.append(max(0.0, (time.perf_counter() - self._due) * 1000))
        self._arm()


class LadderPaints:
    """Counts the ladder's repaints and, for each book the ladder shows for the first time, the time
    from the venue's book time (the demo's send time) to the end of that repaint, in ms."""

    def __init__(self) -> None:
        self.paints = 0
        self.latencies_ms: list[float] = []
        self.first_live: float | None = None  # time.time() of the first paint that showed a book
        self.recording = True  # off: paints are counted, latencies no longer kept
        self._listeners: list[Callable[[], None]] = []
        self._last: OrderBook | None = None
        self._original: Callable[[LadderView, QPaintEvent], None] | None = None
        self._patched: Callable[[LadderView, QPaintEvent], None] | None = None

    def install(self) -> None:
        original = LadderView.paintEvent
        self._original = original
        probe = self

        def paint_event(view: LadderView, event: QPaintEvent) -> None:
            original(view, event)
            probe._painted(view._book)

        LadderView.paintEvent = paint_event  # type: ignore[method-assign, assignment]
        # Kept for the life of the probe: Qt's bindings may still hold on to the override they found
        # after it is uninstalled, and a freed one crashes the next paint.
        self._patched = paint_event

    def uninstall(self) -> None:
        if self._original is not None:
            LadderView.paintEvent = self._original  # type: ignore[method-assign, assignment]
            self._original = None

    def on_first_live(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)

    def reset(self) -> None:
        self.paints = 0
        self.latencies_ms = []

    def _painted(self, book: OrderBook | None) -> None:
        self.paints += 1
        if book is None or book is self._last:
            return
        now = time.time()
        self._last = book
        if self.recording:
            self.latencies_ms.append(now * 1000 - book.time_ms)
        if self.first_live is None:
            self.first_live = now
            for listener in self._listeners:
                listener()


class WindowFrames(QObject):
    """Counts the frames a top-level window paints: each repaint of any of its widgets is flushed
    to the screen in one update request of the window."""

    def __init__(self) -> None:
        super().__init__()
        self.frames = 0

    def watch(self, window: QWidget) -> None:
        window.installEventFilter(self)

    def reset(self) -> None:
        self.frames = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self.frames += 1
        return False


class StreamCounter:
    """Counts the public market messages the terminal decodes, by topic."""

    def __init__(self) -> None:
        self.topics: Counter[str] = Counter()
        self._original: Callable[[Any], Any] | None = None

    def install(self) -> None:
        original: Callable[[Any], Any] = getattr(market_stream, "decode_public")  # noqa: B009 - patched below
        self._original = original
        topics = self.topics

        def counting(message: Any) -> Any:
            if isinstance(message, dict):
                topics[str(message.get("topic", "control"))] += 1
            return original(message)

        setattr(market_stream, "decode_public", counting)  # noqa: B010 - the module's own name, replaced

    def uninstall(self) -> None:
        if self._original is not None:
            setattr(market_stream, "decode_public", self._original)  # noqa: B010
            self._original = None

    def reset(self) -> None:
        self.topics.clear()

    @property
    def total(self) -> int:
        return sum(count for topic, count in self.topics.items() if topic != "control")


class CpuClock:
    """This process's CPU time (all threads) over wall time since ``reset``, as percent of one core."""

    def __init__(self) -> None:
        self._cpu = 0.0
        self._wall = 0.0
        self.reset()

    def reset(self) -> None:
        self._cpu = time.process_time()
        self._wall = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self._wall

    def share(self) -> float:
        wall = self.elapsed()
        return 100.0 * (time.process_time() - self._cpu) / wall if wall > 0 else math.nan
