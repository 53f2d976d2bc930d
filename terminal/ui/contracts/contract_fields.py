"""The contract ticket's widgets and where they sit; behaviour lives in ``contract_form``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.contracts import CONTRACT_TYPES, Basis
from terminal.ui import theme
from terminal.ui.contracts.quote_panel import QuotePanel
from terminal.ui.ticket.problem_list import ProblemList
from terminal.ui.ticket.ticket_layout import wrapping_label

# Digits and one decimal point: anything else cannot be an amount. Too many decimals or too large an
# amount are typed freely and explained (with the nearest valid value) rather than silently refused.
AMOUNT_PATTERN = r"\d{0,12}(\.\d{0,8})?"
DIGIT_PATTERN = r"[0-9]"
# proposal.barrier: an offset from the spot ("+0.5", "-2") or a price ("1234.5")
PRICE_BARRIER_PATTERN = r"[+-]?\d{0,12}(\.\d{0,10})?"
BASIS_LABELS = {Basis.STAKE: "Stake", Basis.PAYOUT: "Payout"}


@dataclass(frozen=True, slots=True)
class ContractWidgets:
    body: QWidget  # the fields, the quote and the buy button: disabled while not connected
    account: QLabel
    symbol: QLabel
    spot: QLabel
    form: QFormLayout
    type_combo: QComboBox
    basis: QComboBox
    amount_label: QLabel
    amount_row: QWidget
    amount: QLineEdit
    currency: QLabel
    duration_row: QWidget
    duration: QSpinBox
    unit: QComboBox
    barrier_label: QLabel
    barrier: QLineEdit
    barrier2_label: QLabel
    barrier2: QLineEdit
    barrier_hint: QLabel
    problems: ProblemList
    quote: QuotePanel
    buy: QPushButton
    reason: QLabel
    status: QLabel


def _edit(name: str, pattern: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setFont(theme.mono_font())
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))
    return edit


def _row(*widgets: QWidget, stretch_first: bool = True) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if (i == 0 and stretch_first) else 0)
    return row


def style_contract(w: ContractWidgets, colours: theme.Theme) -> None:
    """Colours set once (not on every check); again on a theme change."""
    w.account.setStyleSheet(f"color: {colours.muted};")
    w.barrier_hint.setStyleSheet(f"color: {colours.muted};")
    w.buy.setStyleSheet(
        f"QPushButton:enabled {{ background: {colours.buy}; color: white; font-weight: bold; }}"
        f"QPushButton:disabled {{ font-weight: bold; }}"
    )


def build_contract(parent: QWidget) -> ContractWidgets:
    outer = QVBoxLayout(parent)
    outer.setContentsMargins(6, 6, 6, 6)
    account = wrapping_label("contractAccount")
    outer.addWidget(account)
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(body)

    symbol = wrapping_label("contractSymbol")
    bold = symbol.font()
    bold.setBold(True)
    symbol.setFont(bold)
    spot = QLabel()
    spot.setObjectName("contractSpot")
    spot.setFont(theme.mono_font())
    spot.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(symbol)
    layout.addWidget(spot)

    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    type_combo = QComboBox()
    type_combo.setObjectName("contractType")
    for kind in CONTRACT_TYPES:
        type_combo.addItem(kind.label, kind.code)
    basis = QComboBox()
    basis.setObjectName("basis")
    basis.setToolTip("Stake: what you pay. Payout: what a winning contract pays back.")
    for value, label in BASIS_LABELS.items():
        basis.addItem(label, value.value)
    amount = _edit("amount", AMOUNT_PATTERN)
    currency = QLabel()
    currency.setObjectName("amountCurrency")
    currency.setMinimumWidth(36)
    amount_row = _row(amount, currency)
    duration = QSpinBox()
    duration.setObjectName("duration")
    duration.setFont(theme.mono_font())
    duration.setAlignment(Qt.AlignmentFlag.AlignRight)
    duration.setKeyboardTracking(True)
    duration.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    unit = QComboBox()
    unit.setObjectName("durationUnit")
    duration_row = _row(duration, unit)
    barrier = _edit("barrier", PRICE_BARRIER_PATTERN)
    barrier2 = _edit("barrier2", PRICE_BARRIER_PATTERN)
    barrier_hint = wrapping_label("barrierHint")
    amount_label = QLabel("Stake")
    barrier_label = QLabel("Barrier")
    barrier2_label = QLabel("Low barrier")
    form.addRow("Contract", type_combo)
    form.addRow("Basis", basis)
    form.addRow(amount_label, amount_row)
    form.addRow("Duration", duration_row)
    form.addRow(barrier_label, barrier)
    form.addRow(barrier2_label, barrier2)
    form.addRow(barrier_hint)  # spans both columns: a sentence needs the width
    layout.addLayout(form)

    problems = ProblemList()
    layout.addWidget(problems)
    quote = QuotePanel()
    layout.addWidget(quote)

    buy = QPushButton("Buy")
    buy.setObjectName("buyContract")
    buy.setMinimumHeight(32)
    buy.setAutoDefault(False)
    layout.addWidget(buy)
    reason = wrapping_label("buyReason")
    layout.addWidget(reason)

    status = wrapping_label("contractStatus")
    outer.addWidget(status)
    outer.addStretch(1)

    widgets = ContractWidgets(
        body=body,
        account=account,
        symbol=symbol,
        spot=spot,
        form=form,
        type_combo=type_combo,
        basis=basis,
        amount_label=amount_label,
        amount_row=amount_row,
        amount=amount,
        currency=currency,
        duration_row=duration_row,
        duration=duration,
        unit=unit,
        barrier_label=barrier_label,
        barrier=barrier,
        barrier2_label=barrier2_label,
        barrier2=barrier2,
        barrier_hint=barrier_hint,
        problems=problems,
        quote=quote,
        buy=buy,
        reason=reason,
        status=status,
    )
    style_contract(widgets, theme.current())
    return widgets
