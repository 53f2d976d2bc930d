"""Edit one profile's risk limits: what each limit is, whether breaking it blocks or asks, and the disconnect option.

The limits are enforced by terminal/domain/risk.py; this dialog only reads and writes them through
the profile store. Non-modal: open it with ``open()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.decimals import DecimalParseError, format_decimal, parse_decimal
from terminal.domain.risk import (
    ANY_SYMBOL,
    CANCEL_ON_DISCONNECT_MAX_S,
    CANCEL_ON_DISCONNECT_MIN_S,
    RiskAction,
    RiskLimit,
    RiskLimits,
    RiskLimitsError,
)
from terminal.storage.profiles import ProfileBook, ProfileError, ProfileStore
from terminal.ui import theme

ACTIONS = {"Ask to confirm": RiskAction.CONFIRM, "Block": RiskAction.BLOCK}
DEFAULT_DISCONNECT_S = 30
_T = TypeVar("_T")


class _Invalid(Enum):
    """A field whose text is not a valid limit (None already means "no limit")."""

    INVALID = "invalid"


_INVALID = _Invalid.INVALID
SYMBOL_COLUMN, QUANTITY_COLUMN = 0, 1

_LABELS = {
    RiskLimit.NOTIONAL: "Max order notional",
    RiskLimit.QUANTITY: "Max quantity per symbol",
    RiskLimit.DISTANCE: "Max price distance",
    RiskLimit.OPEN_ORDERS: "Max open orders",
}
_UNITS = {RiskLimit.NOTIONAL: "quote asset", RiskLimit.DISTANCE: "% from the mid", RiskLimit.OPEN_ORDERS: "orders"}
_TIPS = {
    RiskLimit.NOTIONAL: "Price × quantity of one order, in the symbol's quote asset (USDT for BTCUSDT).",
    RiskLimit.QUANTITY: 'The largest quantity of one order, per symbol; "*" stands for every symbol not listed.',
    RiskLimit.DISTANCE: "How far a limit price may lie from the middle of the best bid and ask (else the last trade).",
    RiskLimit.OPEN_ORDERS: "How many of your orders may be open at once, this one included.",
}


def parse_positive(text: str) -> Decimal | None:
    """A limit typed by the user: None when blank; raises ValueError with a sentence when not a positive number."""
    text = text.strip()
    if not text:
        return None
    try:
        value = parse_decimal(text, field="The limit")
    except DecimalParseError as error:
        raise ValueError(str(error)) from None
    if value <= 0:
        raise ValueError("The limit must be greater than zero")
    return value


def parse_count(text: str) -> int | None:
    """A whole-number limit typed by the user: None when blank; raises ValueError with a sentence otherwise."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValueError(f"The limit {text!r} must be a whole number of at least 1")
    return int(text)


def _error_style() -> str:
    return f"color: {theme.current().sell};"


class RiskDialog(QDialog):
    """The risk limits of the profile ``profile_name``; ``saved`` carries the ProfileBook as written."""

    saved = Signal(object)  # ProfileBook

    def __init__(self, store: ProfileStore, profile_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskDialog")
        self.setWindowTitle(f"Risk limits: {profile_name}")
        self.setMinimumWidth(640)
        self._store = store
        self._name = profile_name
        self._validating = False
        self.book: ProfileBook = store.load()
        profile = self.book.find(profile_name)
        current = profile.risk if profile is not None else RiskLimits()

        intro = QLabel(
            "Orders inside every limit go out without a question. An order beyond a limit is blocked, or sent "
            "only after you confirm the limit it breaks. Leave a field empty for no limit."
        )
        intro.setWordWrap(True)
        self.edits: dict[RiskLimit, QLineEdit] = {}
        self.choices: dict[RiskLimit, QComboBox] = {}
        self.errors: dict[RiskLimit, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        row = 0
        for limit in RiskLimit:
            label = QLabel(_LABELS[limit])
            label.setToolTip(_TIPS[limit])
            top = limit is RiskLimit.QUANTITY  # beside the table's first line, like the others beside their field
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter)
            action = QComboBox()
            action.setObjectName(f"{limit.value}_action")
            for text, value in ACTIONS.items():
                action.addItem(text, value.value)  # the data comes back as a plain str
            action.setCurrentIndex(action.findData(current.action(limit).value))
            self.choices[limit] = action
            error = QLabel()
            error.setObjectName(f"{limit.value}_error")
            error.setWordWrap(True)
            error.setStyleSheet(_error_style())
            error.hide()
            self.errors[limit] = error
            if limit is RiskLimit.QUANTITY:
                grid.addWidget(self._quantity_table(current), row, 1)
                grid.addWidget(action, row, 2, Qt.AlignmentFlag.AlignTop)
            else:
                edit = QLineEdit(_text(getattr(current, limit.value)))
                edit.setObjectName(limit.value)
                edit.setPlaceholderText("no limit")
                edit.setToolTip(_TIPS[limit])
                edit.setMinimumWidth(160)
                edit.textChanged.connect(self._changed)
                self.edits[limit] = edit
                field = QHBoxLayout()
                field.addWidget(edit, 1)
                unit = QLabel(_UNITS[limit])
                unit.setMinimumWidth(110)
                field.addWidget(unit)
                grid.addLayout(field, row, 1)
                grid.addWidget(action, row, 2)
            grid.addWidget(error, row + 1, 1, 1, 2)
            row += 2

        seconds = current.cancel_on_disconnect_s
        self.cancel_on_disconnect = QCheckBox("Cancel all orders when the account stream is down for more than")
        self.cancel_on_disconnect.setObjectName("cancel_on_disconnect")
        self.cancel_on_disconnect.setChecked(seconds is not None)
        self.disconnect_seconds = QSpinBox()
        self.disconnect_seconds.setObjectName("cancel_on_disconnect_s")
        self.disconnect_seconds.setRange(CANCEL_ON_DISCONNECT_MIN_S, CANCEL_ON_DISCONNECT_MAX_S)
        self.disconnect_seconds.setSuffix(" s")
        self.disconnect_seconds.setValue(seconds if seconds is not None else DEFAULT_DISCONNECT_S)
        self.cancel_on_disconnect.toggled.connect(self.disconnect_seconds.setEnabled)
        self.disconnect_seconds.setEnabled(seconds is not None)
        disconnect = QHBoxLayout()
        disconnect.addWidget(self.cancel_on_disconnect)
        disconnect.addWidget(self.disconnect_seconds)
        disconnect.addStretch(1)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(_error_style())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save_button is not None
        self.save_button: QPushButton = save_button
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.close)
        outer = QVBoxLayout(self)
        outer.addWidget(intro)
        outer.addLayout(grid)
        outer.addLayout(disconnect)
        outer.addWidget(self.problem)
        outer.addWidget(buttons)
        if profile is None:
            self.problem.setText(f'There is no profile named "{profile_name}"')
        self._validate()
        theme.notifier().changed.connect(self._theme_changed)

    def _theme_changed(self) -> None:
        """Colour the reasons and the invalid fields in the new theme's red."""
        for label in (*self.errors.values(), self.problem):
            label.setStyleSheet(_error_style())
        self._validate()

    # ---- the per-symbol table -----------------------------------------------------------------

    def _quantity_table(self, current: RiskLimits) -> QWidget:
        self.quantity_model = QStandardItemModel(0, 2, self)
        self.quantity_model.setHorizontalHeaderLabels(["Symbol", "Max quantity"])
        named = sorted(item for item in current.max_quantity_per_symbol.items() if item[0] != ANY_SYMBOL)
        star = current.max_quantity_per_symbol.get(ANY_SYMBOL)
        for symbol, quantity in [*named, *([(ANY_SYMBOL, star)] if star is not None else [])]:
            self.quantity_model.appendRow([QStandardItem(symbol), QStandardItem(format_decimal(quantity))])
        self.quantities = QTableView()
        self.quantities.setObjectName("max_quantity_per_symbol")
        self.quantities.setModel(self.quantity_model)
        self.quantities.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quantities.verticalHeader().hide()
        self.quantities.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.quantities.setMaximumHeight(140)
        self.quantities.setToolTip(f'One symbol per row; "{ANY_SYMBOL}" stands for every symbol not listed.')
        for signal in (self.quantity_model.dataChanged, self.quantity_model.rowsInserted):
            signal.connect(self._changed)
        self.quantity_model.rowsRemoved.connect(self._changed)
        self.add_symbol = QPushButton("Add")
        self.add_symbol.setObjectName("addSymbol")
        self.add_symbol.clicked.connect(self._add_row)
        self.remove_symbol = QPushButton("Remove")
        self.remove_symbol.setObjectName("removeSymbol")
        self.remove_symbol.clicked.connect(self._remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f'"{ANY_SYMBOL}": all others'))
        buttons.addStretch(1)
        buttons.addWidget(self.add_symbol)
        buttons.addWidget(self.remove_symbol)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.quantities)
        layout.addLayout(buttons)
        return box

    def _add_row(self) -> None:
        self.quantity_model.appendRow([QStandardItem(""), QStandardItem("")])
        index = self.quantity_model.index(self.quantity_model.rowCount() - 1, SYMBOL_COLUMN)
        self.quantities.setCurrentIndex(index)
        self.quantities.edit(index)

    def _remove_row(self) -> None:
        rows = self.quantity_model.rowCount()
        if not rows:
            return
        current = self.quantities.currentIndex()
        self.quantity_model.removeRow(current.row() if current.isValid() else rows - 1)

    # ---- validation ---------------------------------------------------------------------------

    def _changed(self, *_: object) -> None:
        self._validate()

    def limits(self) -> RiskLimits | None:
        """The limits on screen, or None while any field is invalid (each shows its reason)."""
        return self._validate()

    def _validate(self) -> RiskLimits | None:
        if self._validating:  # colouring a table cell changes the model, which calls back here
            return None
        self._validating = True
        try:
            limits = self._read_form()
        finally:
            self._validating = False
        self.save_button.setEnabled(limits is not None and self.book.find(self._name) is not None)
        return limits

    def _read_form(self) -> RiskLimits | None:
        notional = self._read(RiskLimit.NOTIONAL, parse_positive)
        distance = self._read(RiskLimit.DISTANCE, parse_positive)
        open_orders = self._read(RiskLimit.OPEN_ORDERS, parse_count)
        quantities, problem = self._read_table()
        self._show_error(RiskLimit.QUANTITY, problem)
        if (
            isinstance(notional, _Invalid)
            or isinstance(distance, _Invalid)
            or isinstance(open_orders, _Invalid)
            or quantities is None
        ):
            return None
        try:
            return RiskLimits(
                max_order_notional=notional,
                max_quantity_per_symbol=quantities,
                max_price_distance_pct=distance,
                max_open_orders=open_orders,
                actions={limit: RiskAction(combo.currentData()) for limit, combo in self.choices.items()},
                cancel_on_disconnect_s=(
                    self.disconnect_seconds.value() if self.cancel_on_disconnect.isChecked() else None
                ),
            )
        except RiskLimitsError as error:  # the form's own checks should have caught it; say it anyway
            self._show_error(RiskLimit.QUANTITY, str(error))
            return None

    def _read(self, limit: RiskLimit, parse: Callable[[str], _T]) -> _T | _Invalid:
        """The value of one field, or _INVALID with the field in red and the reason beside it."""
        edit = self.edits[limit]
        try:
            value = parse(edit.text())
        except ValueError as error:
            self._mark(limit, edit, str(error))
            return _INVALID
        self._mark(limit, edit, "")
        return value

    def _read_table(self) -> tuple[dict[str, Decimal] | None, str]:
        """The per-symbol limits, or None and the first reason they are not valid. Blank rows are ignored."""
        model = self.quantity_model
        red = QBrush(QColor(theme.current().sell))
        quantities: dict[str, Decimal] = {}
        seen: dict[str, str] = {}
        problems: list[str] = []
        for row in range(model.rowCount()):
            symbol_item, quantity_item = model.item(row, SYMBOL_COLUMN), model.item(row, QUANTITY_COLUMN)
            symbol = symbol_item.text().strip() if symbol_item is not None else ""
            quantity_text = quantity_item.text().strip() if quantity_item is not None else ""
            bad_symbol = bad_quantity = ""
            if not symbol and not quantity_text:
                pass
            elif not symbol:
                bad_symbol = f'Row {row + 1}: enter a symbol (or "{ANY_SYMBOL}" for every other symbol)'
            elif any(character.isspace() for character in symbol) or not symbol.isprintable():
                bad_symbol = f"Row {row + 1}: the symbol {symbol!r} may not contain spaces"
            elif symbol.casefold() in seen:
                bad_symbol = f"Row {row + 1}: {symbol} is already listed"
            if symbol and not quantity_text:
                bad_quantity = f"Row {row + 1}: enter the largest quantity of one {symbol} order"
            elif quantity_text:
                try:
                    value = parse_positive(quantity_text)
                    assert value is not None
                    if symbol and not bad_symbol:
                        quantities[symbol] = value
                        seen[symbol.casefold()] = symbol
                except ValueError as error:
                    bad_quantity = f"Row {row + 1}: {error}"
            for item, reason in ((symbol_item, bad_symbol), (quantity_item, bad_quantity)):
                if item is not None:
                    item.setData(red if reason else None, Qt.ItemDataRole.ForegroundRole)
                    item.setToolTip(reason)
            problems += [reason for reason in (bad_symbol, bad_quantity) if reason]
        if problems:
            return None, problems[0]
        return quantities, ""

    def _mark(self, limit: RiskLimit, edit: QLineEdit, reason: str) -> None:
        edit.setStyleSheet(_error_style() if reason else "")
        edit.setToolTip(reason or _TIPS[limit])
        self._show_error(limit, reason)

    def _show_error(self, limit: RiskLimit, reason: str) -> None:
        label = self.errors[limit]
        label.setText(reason)
        label.setVisible(bool(reason))

    # ---- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the limits into the profile; False (with the reason shown) when invalid or not saved."""
        limits = self._validate()
        if limits is None:
            return False
        try:
            book = self._store.load()  # the latest file: another dialog may have changed other profiles
            book = book.update(replace(book.get(self._name), risk=limits))
            self._store.save(book)
        except (ProfileError, OSError) as error:
            self.problem.setText(str(error))
            return False
        self.book = book
        self.problem.clear()
        self.saved.emit(book)
        self.accept()
        return True


def _text(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else format_decimal(value)
