"""Trades: the public tape of the active symbol, coloured by aggressor side, large trades emphasised.

On a venue whose prices come as ticks (Deriv) it is the tick stream: no size or side, each price
coloured by whether it rose or fell from the one before. A venue that is polled (Webull) may publish
no tape at all: the dock says so instead of waiting for trades.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from terminal.domain.enums import Side
from terminal.domain.instrument import Instrument
from terminal.domain.market import PublicTrade
from terminal.session.market_store import MarketChange
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.docks.base import SessionDock
from terminal.ui.docks.polling import poll_note
from terminal.ui.table_model import RIGHT, Column, RowTableModel
from terminal.venues.base import Topic

ROWS = 200
SIZE_AND_SIDE = (2, 3)
LARGE_FACTOR = Decimal(5)  # a trade this many times the median recent size is "large"


class _Row:
    __slots__ = ("instrument", "large", "move", "trade")

    def __init__(self, trade: PublicTrade, instrument: Instrument | None, large: bool, move: int | None = None) -> None:
        self.trade, self.instrument, self.large = trade, instrument, large
        self.move = move  # ticks: +1 up, -1 down, 0 unchanged from the tick before; None for trades

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Row) and (other.trade, other.large, other.move) == (self.trade, self.large, self.move)

    __hash__ = None  # type: ignore[assignment]


def _side_color(row: _Row) -> QColor | None:
    if row.move is not None:
        return theme.current().color("buy" if row.move > 0 else "sell") if row.move else None
    return theme.current().color("buy" if row.trade.aggressor is Side.BUY else "sell")


COLUMNS: list[Column[_Row]] = [
    Column("Time (UTC)", lambda r: fmt.clock(r.trade.time_ms), mono=True),
    Column(
        "Price", lambda r: fmt.price(r.trade.price, r.instrument), RIGHT, _side_color, mono=True, bold=lambda r: r.large
    ),
    Column(
        "Size", lambda r: fmt.qty(r.trade.quantity, r.instrument), RIGHT, _side_color, mono=True, bold=lambda r: r.large
    ),
    Column("Side", lambda r: "buy" if r.trade.aggressor is Side.BUY else "sell", color=_side_color),
]


class TradesDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Trades", "tradesDock", parent)
        self.model: RowTableModel[_Row] = RowTableModel(COLUMNS, theme.mono_font())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel("No trades yet.")
        self.empty.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        self.setWidget(body)
        self._shown: set[str] = set()
        self.ticks = False

    def on_bind(self, session: Session) -> None:
        self.ticks = session.venue.capabilities.tick_chart
        self.setWindowTitle("Ticks" if self.ticks else "Trades")
        self.empty.setText(_empty_text(session))
        for column in SIZE_AND_SIDE:
            self.table.setColumnHidden(column, self.ticks)
        self.listen(session.market.changed, self._on_market)

    def on_unbind(self) -> None:
        self.model.clear()
        self._shown.clear()

    def on_symbol(self, symbol: str) -> None:
        self.release_watches()
        self.model.clear()
        self._shown.clear()
        self.watch(Topic.TRADES, symbol)
        self._refresh()

    def _on_market(self, change: MarketChange) -> None:
        if self.symbol in change.trades:
            self._refresh()

    def _refresh(self) -> None:
        if self.session is None:
            return
        tape = list(self.session.market.tapes.get(self.symbol, ()))
        self.empty.setVisible(not tape)
        if not tape:
            return
        recent = [t.quantity for t in tape[-100:]]
        threshold = statistics.median(recent) * LARGE_FACTOR if recent else Decimal(0)
        instrument = self.session.venue.instruments.get(self.symbol)
        start = max(0, len(tape) - ROWS)
        fresh = [(i, t) for i, t in enumerate(tape[start:], start) if _key(t) not in self._shown]
        for _, trade in fresh:
            self._shown.add(_key(trade))
        self.model.prepend(
            ((_key(t), _Row(t, instrument, t.quantity >= threshold > 0, self._move(tape, i))) for i, t in fresh),
            limit=ROWS,
        )
        if len(self._shown) > 4 * ROWS:
            self._shown = {str(k) for k in self.model.row_keys()}

    def _move(self, tape: list[PublicTrade], index: int) -> int | None:
        if not self.ticks:
            return None
        if index == 0:
            return 0
        change = tape[index].price - tape[index - 1].price
        return (change > 0) - (change < 0)


def _empty_text(session: Session) -> str:
    """What an empty tape means: none yet, or (a polled venue) none published at all."""
    capabilities = session.venue.capabilities
    if capabilities.tick_chart:
        return "No ticks yet."
    note = poll_note(capabilities)
    if note:
        return f"{capabilities.venue} publishes no public trades here: its prices are {note}, not streamed."
    return "No trades yet."


def _key(trade: PublicTrade) -> str:
    return trade.trade_id or f"{trade.time_ms}:{trade.price}:{trade.quantity}"
