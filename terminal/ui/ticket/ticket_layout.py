"""The ticket's widgets and where they sit; behaviour lives in ``ticket_form``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from terminal.ui import theme
from terminal.ui.ticket.problem_list import ProblemList
from terminal.ui.ticket.sizing import PERCENTAGES


@dataclass(frozen=True, slots=True)
class FieldRow:
    """A numeric field with its unit, and the row of the form that holds it."""

    row: QWidget
    edit: QLineEdit
    unit: QLabel


@dataclass(frozen=True, slots=True)
class TicketWidgets:
    body: QWidget  # everything but the status: disabled while not connected
    buy: QPushButton
    sell: QPushButton
    sides: QButtonGroup
    type_combo: QComboBox
    tif_combo: QComboBox
    form: QFormLayout
    price: FieldRow
    size_mode: QWidget
    by_quantity: QRadioButton
    by_amount: QRadioButton
    quantity: FieldRow
    amount: FieldRow
    percent: dict[int, QPushButton]
    estimate: QLabel
    problems: ProblemList
    submit: QPushButton
    reason: QLabel
    repeat_prompt: QFrame
    repeat_text: QLabel
    repeat_confirm: QPushButton
    repeat_dismiss: QPushButton
    status: QLabel


def _side_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setCheckable(True)
    button.setMinimumSize(60, 36)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


def _side_style(colour: str, background: str) -> str:
    return (
        f"QPushButton {{ font-weight: bold; color: {colour}; background: {background};"
        f" border: 1px solid {colour}; border-radius: 3px; }}"
        f"QPushButton:checked {{ background: {colour}; color: white; }}"
    )


def style_ticket(w: TicketWidgets, colours: theme.Theme) -> None:
    """Give the widgets styled once (not on every check) the colours of ``colours``; again on a theme change."""
    w.buy.setStyleSheet(_side_style(colours.buy, colours.alt_base))
    w.sell.setStyleSheet(_side_style(colours.sell, colours.alt_base))
    w.estimate.setStyleSheet(f"color: {colours.muted};")
    w.repeat_prompt.setStyleSheet(f"QFrame#repeatPrompt {{ border: 1px solid {colours.warn}; }}")


def _small_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumWidth(36)  # below the style's preferred minimum, so that a narrow dock still fits
    return button


def _field(name: str) -> FieldRow:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setFont(theme.mono_font())
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    edit.setClearButtonEnabled(False)
    unit = QLabel()
    unit.setMinimumWidth(40)
    layout.addWidget(edit, 1)
    layout.addWidget(unit)
    return FieldRow(row, edit, unit)


def wrapping_label(name: str) -> QLabel:
    """A named label whose text wraps and can be selected (reasons, problems, statuses)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def build_ticket(parent: QWidget) -> TicketWidgets:
    outer = QVBoxLayout(parent)
    outer.setContentsMargins(6, 6, 6, 6)
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(body)

    buy = _side_button("Buy", "buyButton")
    sell = _side_button("Sell", "sellButton")
    sides = QButtonGroup(parent)
    sides.setExclusive(True)
    sides.addButton(buy)
    sides.addButton(sell)
    buy.setChecked(True)
    side_row = QHBoxLayout()
    side_row.addWidget(buy)
    side_row.addWidget(sell)
    layout.addLayout(side_row)

    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    type_combo = QComboBox()
    type_combo.setObjectName("orderType")
    tif_combo = QComboBox()
    tif_combo.setObjectName("timeInForce")
    tif_combo.setToolTip(
        "GTC: good till cancelled · DAY: until the end of the trading day · "
        "IOC: fill what you can now, cancel the rest · FOK: all or nothing"
    )
    price = _field("price")
    size_mode = QWidget()
    mode_layout = QHBoxLayout(size_mode)
    mode_layout.setContentsMargins(0, 0, 0, 0)
    by_quantity = QRadioButton("by quantity")
    by_amount = QRadioButton("by amount")
    by_quantity.setChecked(True)
    modes = QButtonGroup(size_mode)
    modes.addButton(by_quantity)
    modes.addButton(by_amount)
    mode_layout.addWidget(by_quantity)
    mode_layout.addWidget(by_amount)
    mode_layout.addStretch(1)
    quantity = _field("quantity")
    amount = _field("amount")
    form.addRow("Type", type_combo)
    form.addRow("Time in force", tif_combo)
    form.addRow("Price", price.row)
    form.addRow(size_mode)  # spans both columns: the two choices need the width
    form.addRow("Quantity", quantity.row)
    form.addRow("Amount", amount.row)
    layout.addLayout(form)

    percent_row = QHBoxLayout()
    percent: dict[int, QPushButton] = {}
    for share in PERCENTAGES:
        button = _small_button(f"{share}%", f"percent{share}")
        button.setToolTip(f"Size the order to {share}% of the free balance it spends")
        percent[share] = button
        percent_row.addWidget(button)
    layout.addLayout(percent_row)

    estimate = wrapping_label("estimate")
    layout.addWidget(estimate)

    problems = ProblemList()
    layout.addWidget(problems)

    submit = _small_button("Buy", "submit")
    submit.setMinimumHeight(32)
    submit.setAutoDefault(False)
    layout.addWidget(submit)
    reason = wrapping_label("submitReason")  # coloured by the form at every check
    layout.addWidget(reason)

    repeat_prompt = QFrame()
    repeat_prompt.setObjectName("repeatPrompt")
    repeat_prompt.setFrameShape(QFrame.Shape.StyledPanel)
    prompt_layout = QVBoxLayout(repeat_prompt)
    repeat_text = wrapping_label("repeatText")
    prompt_buttons = QHBoxLayout()
    repeat_confirm = _small_button("Send it again", "repeatConfirm")
    repeat_dismiss = _small_button("Don't send", "repeatDismiss")
    prompt_buttons.addWidget(repeat_confirm)
    prompt_buttons.addWidget(repeat_dismiss)
    prompt_layout.addWidget(repeat_text)
    prompt_layout.addLayout(prompt_buttons)
    repeat_prompt.hide()
    layout.addWidget(repeat_prompt)

    status = wrapping_label("ticketStatus")
    outer.addWidget(status)
    outer.addStretch(1)

    widgets = TicketWidgets(
        body=body,
        buy=buy,
        sell=sell,
        sides=sides,
        type_combo=type_combo,
        tif_combo=tif_combo,
        form=form,
        price=price,
        size_mode=size_mode,
        by_quantity=by_quantity,
        by_amount=by_amount,
        quantity=quantity,
        amount=amount,
        percent=percent,
        estimate=estimate,
        problems=problems,
        submit=submit,
        reason=reason,
        repeat_prompt=repeat_prompt,
        repeat_text=repeat_text,
        repeat_confirm=repeat_confirm,
        repeat_dismiss=repeat_dismiss,
        status=status,
    )
    style_ticket(widgets, theme.current())
    return widgets
