"""Markets: every symbol with its last price, 24-hour change and volume; selecting one makes it active.

Symbols of a venue that groups them (Deriv's markets and submarkets) are listed group by group,
with the group in its own column; a contract venue has no volumes, so those columns are hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from terminal.domain.instrument import Instrument
from terminal.domain.market import Ticker
from terminal.session.market_store import MarketChange
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.docks.base import SessionDock
from terminal.ui.docks.polling import note_label, poll_note, show_note
from terminal.ui.table_model import RIGHT, Column, RowTableModel
from terminal.ui.throttle import Throttle
from terminal.venues.base import Topic


class _Row:
    __slots__ = ("instrument", "ticker")

    def __init__(self, instrument: Instrument, ticker: Ticker | None) -> None:
        self.instrument = instrument
        self.ticker = ticker

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Row) and other.instrument == self.instrument and other.ticker == self.ticker

    __hash__ = None  # type: ignore[assignment]


def _change_color(row: _Row) -> QColor | None:
    if row.ticker is None or not row.ticker.open:
        return None
    ratio = row.ticker.change_ratio
    if ratio == 0:
        return None
    return theme.current().color("buy" if ratio > 0 else "sell")


COLUMNS: list[Column[_Row]] = [
    Column("Symbol", lambda r: r.instrument.symbol, bold=lambda r: True, tooltip=lambda r: r.instrument.name),
    Column("Last", lambda r: fmt.price(r.ticker.last, r.instrument) if r.ticker else "", RIGHT, mono=True),
    Column(
        "24h",
        lambda r: fmt.percent(r.ticker.change_ratio) if r.ticker and r.ticker.open else "",
        RIGHT,
        color=_change_color,
        mono=True,
    ),
    Column("Volume", lambda r: fmt.compact(r.ticker.volume) if r.ticker else "", RIGHT, mono=True),
    Column("Turnover", lambda r: fmt.compact(r.ticker.quote_volume) if r.ticker else "", RIGHT, mono=True),
    Column("Market", lambda r: r.instrument.group),
]
VOLUME_COLUMNS = (3, 4)
GROUP_COLUMN = 5


class _Table(QTableView):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class MarketsDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Markets", "marketsDock", parent)
        self.model: RowTableModel[_Row] = RowTableModel(COLUMNS, theme.mono_font())
        self._search: dict[str, str] = {}  # symbol -> what the filter looks in (symbol, name, group)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter symbols (e.g. BTC)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.table = _Table()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._changed: set[str] = set()  # tickers changed since the table was last refreshed
        self._refresh = Throttle(self._show_tickers, parent=self)
        self.table.clicked.connect(self._select)
        self.table.activated.connect(self._select)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.polled = note_label("marketsPolled")
        layout.addWidget(self.filter)
        layout.addWidget(self.polled)
        layout.addWidget(self.table)
        self.setWidget(body)

    def on_bind(self, session: Session) -> None:
        self.listen(session.market.changed, self._on_market)
        note = poll_note(session.venue.capabilities)
        show_note(self.polled, f"Prices {note}, not streamed." if note else "")
        instruments = session.venue.instruments
        grouped = any(i.group for i in instruments.values())
        order = sorted(instruments, key=lambda s: (instruments[s].group, instruments[s].name or s, s))
        rows = {s: _Row(instruments[s], session.market.tickers.get(s)) for s in order}
        self._search = {s: " ".join((s, i.name, i.group)).upper() for s, i in instruments.items()}
        self.model.update(rows)
        for symbol in rows:
            self.watch(Topic.TICKER, symbol)
        for column in VOLUME_COLUMNS:
            self.table.setColumnHidden(column, session.venue.capabilities.contracts)
        self.table.setColumnHidden(GROUP_COLUMN, not grouped)
        for column, width in enumerate((84, 92, 70, 68, 80)):
            self.table.setColumnWidth(column, width)
        self.filter.setPlaceholderText("Filter symbols or markets" if grouped else "Filter symbols (e.g. BTC)")
        self._apply_filter(self.filter.text())

    def on_unbind(self) -> None:
        self._refresh.cancel()
        self._changed.clear()
        self._search = {}
        self.model.clear()
        show_note(self.polled, "")

    def on_symbol(self, symbol: str) -> None:
        row = self.model.row_of(symbol)
        if row is not None and self.table.currentIndex().row() != row:
            self.table.selectRow(row)

    def _on_market(self, change: MarketChange) -> None:
        if change.tickers and self.session is not None:
            self._changed.update(change.tickers)
            self._refresh()

    def _show_tickers(self) -> None:
        changed, self._changed = self._changed, set()
        if self.session is None:
            return
        tickers = self.session.market.tickers
        instruments = self.session.venue.instruments
        self.model.update({s: _Row(instruments[s], tickers[s]) for s in changed if s in instruments and s in tickers})

    def _select(self, index: QModelIndex) -> None:
        symbol = self.model.key_at(index.row())
        if self.session is not None and isinstance(symbol, str):
            self.session.set_active_symbol(symbol)

    def step(self, offset: int) -> None:
        """Make the symbol ``offset`` rows on in the list (as filtered) active, wrapping around."""
        session = self.session
        if session is None:
            return
        shown = [
            key
            for row, key in enumerate(self.model.row_keys())
            if isinstance(key, str) and not self.table.isRowHidden(row)
        ]
        if not shown:
            return
        current = session.active_symbol
        index = shown.index(current) if current in shown else (-1 if offset > 0 else 0)
        session.set_active_symbol(shown[(index + offset) % len(shown)])

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().upper()
        for row, key in enumerate(self.model.row_keys()):
            self.table.setRowHidden(row, bool(needle) and needle not in self._search.get(str(key), str(key)))
