"""History: this profile's audit journal (actions, requests, responses, events, notes), newest at the bottom.

It reads the journal, not a session store, so it binds to a ``Journal`` rather than a session.
While visible it picks up new entries once a second, asking only for entries newer than the last shown.
"""

from __future__ import annotations

import logging
from datetime import datetime

import orjson
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.storage.journal import EntryKind, Journal, JournalEntry
from terminal.ui import theme
from terminal.ui.table_model import Column, RowTableModel

log = logging.getLogger("terminal.ui.history")

LIMIT = 2000  # rows shown at most: the newest that match
REFRESH_MS = 1000
DEBOUNCE_MS = 150
NO_JOURNAL = "No journal for this profile"
ALL_KINDS = "All"
_TRIM_BY_REMOVING = 200  # dropping more of the oldest rows than this rebuilds the model instead


def local_time(time_ms: int) -> str:
    """YYYY-MM-DD HH:MM:SS.mmm in the computer's time zone."""
    seconds, millis = divmod(time_ms, 1000)
    return f"{datetime.fromtimestamp(seconds):%Y-%m-%d %H:%M:%S}.{millis:03d}"


def _details(entry: JournalEntry) -> str:
    if not entry.data:
        return entry.text
    try:
        data = orjson.dumps(dict(entry.data), option=orjson.OPT_INDENT_2).decode()
    except (orjson.JSONEncodeError, TypeError):
        data = repr(dict(entry.data))
    return f"{entry.text}\n{data}"


def _kind_color(entry: JournalEntry) -> QColor | None:
    return theme.current().color("warn") if entry.kind is EntryKind.NOTE else None


COLUMNS: list[Column[JournalEntry]] = [
    Column("Time", lambda e: local_time(e.time_ms), mono=True),
    Column("Kind", lambda e: e.kind.value, color=_kind_color),
    Column("Order", lambda e: e.client_order_id, mono=True),
    Column("Text", lambda e: e.text, tooltip=_details),
]
_WIDTHS = (170, 70, 150)

Filters = tuple[str, EntryKind | None]


class HistoryDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.setObjectName("historyDock")  # stable and ASCII: the saved layout refers to it
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.journal: Journal | None = None
        self.model: RowTableModel[JournalEntry] = RowTableModel(COLUMNS, theme.mono_font())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by order id or text")
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.addItem(ALL_KINDS, "")
        for kind in EntryKind:
            self.kind.addItem(kind.value, kind.value)  # Qt keeps a StrEnum as a plain string
        self.clear_button = QPushButton("Clear")
        self.placeholder = QLabel(NO_JOURNAL)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.placeholder)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        theme.notifier().changed.connect(self._style_message)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.kind)
        filters.addWidget(self.clear_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        self.setWidget(body)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.kind.currentIndexChanged.connect(lambda _: self.refresh())
        self.clear_button.clicked.connect(self.clear_filters)
        self.visibilityChanged.connect(self._visibility_changed)
        bar = self.table.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)
        self._follow = True  # keep the newest row in view until the user scrolls up
        self._shown: Filters | None = None  # the filters of the rows in the model
        self._last_id = 0
        self.bind(None)

    # ---- public -------------------------------------------------------------------------------

    def bind(self, journal: Journal | None) -> None:
        """Show ``journal`` (None: the profile has none, and the dock says so)."""
        self.journal = journal
        self.model.clear()
        self._shown = None
        self._last_id = 0
        for widget in (self.search, self.kind, self.clear_button):
            widget.setEnabled(journal is not None)
        self.refresh()

    def refresh(self) -> None:
        """Query the journal with the current filters; stays at the bottom if it was there. Never raises."""
        self._debounce.stop()
        try:
            self._refresh()
        except Exception:  # a slot must not raise into Qt; the journal itself is lenient already
            log.warning("The history could not be refreshed", exc_info=True)

    def show_order(self, client_order_id: str) -> None:
        """Show every entry about one order, and bring the dock to the front."""
        self.search.setText(client_order_id)
        self.refresh()
        self.show()
        self.raise_()

    def clear_filters(self) -> None:
        self.search.blockSignals(True)
        self.kind.blockSignals(True)
        self.search.clear()
        self.kind.setCurrentIndex(0)
        self.search.blockSignals(False)
        self.kind.blockSignals(False)
        self.refresh()

    def filters(self) -> Filters:
        """The search text and the kind of entry chosen (None: all kinds)."""
        data = self.kind.currentData()
        return self.search.text().strip(), EntryKind(data) if isinstance(data, str) and data else None

    # ---- inside -------------------------------------------------------------------------------

    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            self.refresh()
            self._timer.start()
        else:
            self._timer.stop()

    def _refresh(self) -> None:
        journal = self.journal
        if journal is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.message.hide()
            return
        self.stack.setCurrentWidget(self.table)
        filters = self.filters()
        search, kind = filters
        kinds = (kind,) if kind is not None else ()
        if filters != self._shown:
            entries = journal.entries(search=search, kinds=kinds, limit=LIMIT)
            self._replace(entries)
            self._shown = filters
            self._follow = True  # new filters start at the newest entries
        else:
            entries = journal.entries(search=search, kinds=kinds, limit=LIMIT, after_id=self._last_id)
            self._append(entries)
        if entries:
            self._last_id = entries[-1].id
        if self._follow:
            self.table.scrollToBottom()
        self._show_problems(journal)

    def _scrolled(self, value: int) -> None:
        self._follow = value >= self.table.verticalScrollBar().maximum()

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        # Rows are laid out after they are inserted: the range grows later than refresh() runs.
        if self._follow:
            self.table.verticalScrollBar().setValue(maximum)

    def _replace(self, entries: list[JournalEntry]) -> None:
        self.model.clear()
        self.model.update({entry.id: entry for entry in entries})
        self._last_id = 0

    def _append(self, entries: list[JournalEntry]) -> None:
        if not entries:
            return
        self.model.update({entry.id: entry for entry in entries})
        excess = self.model.rowCount() - LIMIT
        if excess <= 0:
            return
        keys = self.model.row_keys()
        if excess <= _TRIM_BY_REMOVING:
            self.model.remove(keys[:excess])
            return
        kept = [row for key in keys[excess:] if (row := self.model.row(key)) is not None]
        self._replace(kept)

    def _show_problems(self, journal: Journal) -> None:
        if not journal.problems:
            self.message.hide()
            return
        self.message.setText(journal.problems[-1])
        self.message.setToolTip("\n\n".join(journal.problems))
        self._style_message()
        self.message.show()

    def _style_message(self) -> None:
        self.message.setStyleSheet(f"color: {theme.current().warn}")
