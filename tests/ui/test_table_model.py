"""The column-declared table model: cells worked out once per row change, and again after a change
of row or theme; only changed rows are announced."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from terminal.ui import theme
from terminal.ui.table_model import RIGHT, Column, RowTableModel


@dataclass(frozen=True)
class _Quote:
    symbol: str
    last: int


def _model(counts: dict[str, int]) -> RowTableModel[_Quote]:
    def text(row: _Quote) -> str:
        counts[row.symbol] = counts.get(row.symbol, 0) + 1
        return f"{row.last:,}"

    columns = [
        Column("Symbol", lambda r: r.symbol, bold=lambda r: r.last > 10_000),
        Column("Last", text, RIGHT, color=lambda r: theme.current().color("buy"), mono=True),
    ]
    return RowTableModel(columns, theme.mono_font())


def test_cells_are_read_once_per_row_change_whatever_qt_asks(qtbot: QtBot) -> None:
    counts: dict[str, int] = {}
    model = _model(counts)
    model.update({"BTC": _Quote("BTC", 95000), "ETH": _Quote("ETH", 3200)})
    last = model.index(0, 1)
    for _ in range(10):  # a repaint asks for each role of each cell, again at each repaint
        assert model.data(last) == "95,000"
        assert model.data(last, Qt.ItemDataRole.ForegroundRole) == QColor(theme.current().buy)
        assert model.data(last, Qt.ItemDataRole.FontRole) is not None
        assert model.data(last, Qt.ItemDataRole.TextAlignmentRole) == int(RIGHT)
    assert counts["BTC"] == 1
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole) is None  # plain: Qt's default

    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    model.update({"BTC": _Quote("BTC", 95000), "ETH": _Quote("ETH", 3300)})
    assert changed == [1]  # the unchanged row is not announced
    assert model.data(model.index(1, 1)) == "3,300"
    assert model.data(model.index(0, 1)) == "95,000"
    assert counts == {"BTC": 1, "ETH": 2}


def test_a_new_theme_recolours_the_cells(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    model = _model({})
    model.update({"BTC": _Quote("BTC", 1)})
    cell = model.index(0, 1)
    try:
        theme.apply(app, "dark")
        dark = model.data(cell, Qt.ItemDataRole.ForegroundRole)
        theme.apply(app, "light")
        light = model.data(cell, Qt.ItemDataRole.ForegroundRole)
    finally:
        theme.apply(app, "dark")
    assert dark == QColor(theme.DARK.buy)
    assert light == QColor(theme.LIGHT.buy)
    assert dark != light
