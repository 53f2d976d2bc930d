"""Settings ▸ Trading: the default order size of each symbol, checked against the symbol's lot rules."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.decimals import DecimalParseError, format_decimal, parse_decimal
from terminal.domain.instrument import Instrument
from terminal.domain.validation import validate_quantity
from terminal.ui import theme


def check_size(symbol: str, text: str, instruments: Mapping[str, Instrument]) -> tuple[Decimal | None, str]:
    """The size in ``text`` for ``symbol``, or None and why not (with the nearest valid size when there is one)."""
    if not symbol:
        return None, "choose a symbol"
    try:
        size = parse_decimal(text, field="the size")
    except DecimalParseError as error:
        return None, str(error)
    instrument = instruments.get(symbol)
    if instrument is None:
        if size <= 0:
            return None, "the size must be above zero"
        return size, ""  # a symbol of another venue session: kept as typed, checked when it is traded
    violations = validate_quantity(size, instrument)
    if violations:
        return None, violations[0].message
    return size, ""


class _Row:
    def __init__(self, symbols: list[str], symbol: str, size: str) -> None:
        self.symbol = QComboBox()
        self.symbol.setEditable(True)
        self.symbol.addItems(symbols)
        self.symbol.setCurrentText(symbol)
        self.symbol.setMinimumWidth(120)
        self.size = QLineEdit(size)
        self.size.setFont(theme.mono_font())
        self.size.setPlaceholderText("quantity")
        self.remove = QPushButton("Remove")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()


class SizesEditor(QWidget):
    """One row per symbol: symbol, size, remove; "Add" appends a row for the active symbol."""

    def __init__(
        self,
        sizes: Mapping[str, Decimal],
        instruments: Mapping[str, Instrument],
        active_symbol: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("defaultSizes")
        self._instruments = instruments
        self._symbols = sorted(instruments)
        self._active = active_symbol
        self.rows: list[_Row] = []
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        self.add_button = QPushButton("Add a symbol")
        self.add_button.clicked.connect(lambda _=False: self.add_row())
        intro = QLabel(
            "The quantity the ticket starts with when you switch to a symbol"
            " (one-click orders use the ticket's quantity)."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(self._grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        for symbol, size in sorted(sizes.items()):
            instrument = instruments.get(symbol)
            text = format_decimal(size, instrument.step_size) if instrument is not None else str(size)
            self.add_row(symbol, text)

    def add_row(self, symbol: str | None = None, size: str = "") -> _Row:
        taken = {row.symbol.currentText() for row in self.rows}
        if symbol is None:
            symbol = self._active if self._active and self._active not in taken else ""
        row = _Row(self._symbols, symbol, size)
        row.remove.clicked.connect(lambda _=False, r=row: self._remove(r))
        self.rows.append(row)
        self._place()
        return row

    def _remove(self, row: _Row) -> None:
        self.rows.remove(row)
        for widget in (row.symbol, row.size, row.remove, row.problem):
            widget.deleteLater()
        self._place()

    def _place(self) -> None:
        for number, row in enumerate(self.rows):
            self._grid.addWidget(row.symbol, 2 * number, 0)
            self._grid.addWidget(row.size, 2 * number, 1)
            self._grid.addWidget(row.remove, 2 * number, 2)
            self._grid.addWidget(row.problem, 2 * number + 1, 0, 1, 3)

    def value(self) -> tuple[dict[str, Decimal] | None, list[str]]:
        """Every size (None if any row is wrong), and a sentence per wrong row, shown under it too."""
        sizes: dict[str, Decimal] = {}
        problems: list[str] = []
        for row in self.rows:
            symbol = row.symbol.currentText().strip().upper()
            if not symbol and not row.size.text().strip():
                row.problem.hide()
                continue  # an empty row is no entry
            size, problem = check_size(symbol, row.size.text(), self._instruments)
            if size is not None and symbol in sizes:
                size, problem = None, f"{symbol} is listed twice"
            row.problem.setText(problem)
            row.problem.setStyleSheet(f"color: {theme.current().warn};")
            row.problem.setVisible(bool(problem))
            if size is None:
                problems.append(f"Default size of {symbol or '(no symbol)'}: {problem}.")
            else:
                sizes[symbol] = size
        return (None if problems else sizes), problems
