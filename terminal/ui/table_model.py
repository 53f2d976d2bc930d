"""A table model declared as columns (header, how to read a cell, how it looks), vn.py style.

Rows are kept by key; ``update`` replaces rows and emits ``dataChanged`` only for the rows that
changed, inserts and removes rows precisely, and never sorts on its own (DESIGN.md pitfalls:
dynamic sort filters and column resizing on live tables cost 50-380 ms a frame). A row's texts,
colours and fonts are worked out once per change, not at every one of the eight or so ``data``
calls Qt makes per cell and repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from terminal.ui import theme

Row = TypeVar("Row")
K = TypeVar("K", bound=Hashable)
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    text: Callable[[Row], str]
    align: Qt.AlignmentFlag = LEFT
    color: Callable[[Row], QColor | None] | None = None
    mono: bool = False  # digits in a fixed-pitch font
    bold: Callable[[Row], bool] | None = None
    tooltip: Callable[[Row], str] | None = None
    width: int | None = None  # initial width in pixels


@dataclass
class _Rows(Generic[Row]):
    keys: list[Hashable] = field(default_factory=list)
    rows: dict[Hashable, Row] = field(default_factory=dict)
    index: dict[Hashable, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Cells:
    """What one row shows, column by column."""

    texts: list[str]
    colors: list[QColor | None]
    fonts: list[QFont | None]


_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


class RowTableModel(QAbstractTableModel, Generic[Row]):
    KEY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: list[Column[Row]], mono_font: QFont | None = None) -> None:
        super().__init__()
        self.columns = columns
        self._data: _Rows[Row] = _Rows()
        self._mono = mono_font
        self._aligns = [int(column.align) for column in columns]
        self._fonts = {(mono, bold): self._font(mono, bold) for mono in (False, True) for bold in (False, True)}
        self._cells: dict[Hashable, _Cells] = {}
        self._theme = theme.current()  # colours are the theme's: a new theme works them out again

    def _font(self, mono: bool, bold: bool) -> QFont:
        font = QFont(self._mono) if mono and self._mono is not None else QFont()
        font.setBold(bold)
        return font

    def _cells_of(self, key: Hashable) -> _Cells:
        if self._theme is not theme.current():
            self._theme = theme.current()
            self._cells.clear()
        cells = self._cells.get(key)
        if cells is None:
            row = self._data.rows[key]
            fonts: list[QFont | None] = []
            for column in self.columns:
                bold = column.bold is not None and column.bold(row)
                fonts.append(self._fonts[(column.mono, bold)] if column.mono or bold else None)
            cells = _Cells(
                [column.text(row) for column in self.columns],
                [column.color(row) if column.color is not None else None for column in self.columns],
                fonts,
            )
            self._cells[key] = cells
        return cells

    # ---- reading --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's names
        return 0 if parent.isValid() else len(self._data.keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(column.align)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == _ALIGN:
            return self._aligns[index.column()]
        key = self._data.keys[index.row()]
        if role == _DISPLAY:
            return self._cells_of(key).texts[index.column()]
        if role == _FOREGROUND:
            return self._cells_of(key).colors[index.column()]
        if role == _FONT:
            return self._cells_of(key).fonts[index.column()]
        if role == _TOOLTIP:
            tooltip = self.columns[index.column()].tooltip  # on hover only: worked out when asked
            return tooltip(self._data.rows[key]) if tooltip is not None else None
        if role == self.KEY_ROLE:
            return key
        return None

    def key_at(self, row: int) -> Hashable | None:
        return self._data.keys[row] if 0 <= row < len(self._data.keys) else None

    def row(self, key: Hashable) -> Row | None:
        return self._data.rows.get(key)

    def row_keys(self) -> list[Hashable]:
        return list(self._data.keys)

    def row_of(self, key: Hashable) -> int | None:
        return self._data.index.get(key)

    # ---- writing --------------------------------------------------------------------------

    def update(self, rows: Mapping[K, Row]) -> None:
        """Upsert rows by key: changed rows emit dataChanged, new ones are appended."""
        data = self._data
        new = [key for key in rows if key not in data.rows]
        for key, row in rows.items():
            if key in data.rows and data.rows[key] != row:
                data.rows[key] = row
                self._cells.pop(key, None)
                i = data.index[key]
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
        if new:
            start = len(data.keys)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            for key in new:
                data.index[key] = len(data.keys)
                data.keys.append(key)
                data.rows[key] = rows[key]
            self.endInsertRows()

    def prepend(self, rows: Iterable[tuple[K, Row]], limit: int | None = None) -> None:
        """Put rows at the top (newest first views like a tape), keeping at most ``limit`` rows."""
        items = [(k, r) for k, r in rows if k not in self._data.rows]
        if items:
            self.beginInsertRows(QModelIndex(), 0, len(items) - 1)
            for key, row in items:
                self._data.rows[key] = row
            self._data.keys[0:0] = [k for k, _ in reversed(items)]
            self._reindex()
            self.endInsertRows()
        if limit is not None and len(self._data.keys) > limit:
            self.beginRemoveRows(QModelIndex(), limit, len(self._data.keys) - 1)
            for stale in self._data.keys[limit:]:
                del self._data.rows[stale]
                self._cells.pop(stale, None)
            del self._data.keys[limit:]
            self._reindex()
            self.endRemoveRows()

    def remove(self, keys: Iterable[K]) -> None:
        for key in keys:
            i = self._data.index.get(key)
            if i is None:
                continue
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._data.keys[i]
            del self._data.rows[key]
            self._cells.pop(key, None)
            self._reindex()
            self.endRemoveRows()

    def replace_all(self, rows: Mapping[K, Row]) -> None:
        """Make the model hold exactly ``rows``: update, insert, and remove what is gone."""
        gone = [key for key in self._data.keys if key not in rows]
        if gone:
            self.remove(gone)
        self.update(rows)

    def clear(self) -> None:
        self.beginResetModel()
        self._data = _Rows()
        self._cells.clear()
        self.endResetModel()

    def sort_by(self, key: Callable[[Row], Any], reverse: bool = False) -> None:
        """Reorder rows once, on request (never as data flows in)."""
        self.layoutAboutToBeChanged.emit()
        self._data.keys.sort(key=lambda k: key(self._data.rows[k]), reverse=reverse)
        self._reindex()
        self.layoutChanged.emit()

    def _reindex(self) -> None:
        self._data.index = {key: i for i, key in enumerate(self._data.keys)}
