"""The contract ticket's live price: cost, payout, profit if it wins, the spot it was priced at, the terms in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from terminal.ui import theme
from terminal.ui.contracts.contract_text import QuoteFigures

WAITING = "Waiting for price…"


def _label(name: str, *, mono: bool = False, wrap: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if mono:
        label.setFont(theme.mono_font())
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if wrap:
        label.setWordWrap(True)
    return label


def _set(label: QLabel, text: str) -> None:
    """Only a new text: setting the same one again still re-lays out the panel, at every tick."""
    if label.text() != text:
        label.setText(text)


class QuotePanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quotePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.cost = _label("quoteCost", mono=True)
        self.payout = _label("quotePayout", mono=True)
        self.profit = _label("quoteProfit", mono=True)
        self.spot = _label("quoteSpot", mono=True)
        self._captions: list[QLabel] = []
        rows = (("Cost", self.cost), ("Payout", self.payout), ("Profit if it wins", self.profit), ("Spot", self.spot))
        for row, (caption, value) in enumerate(rows):
            name = QLabel(caption)
            self._captions.append(name)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        self.longcode = _label("quoteLongcode", wrap=True)
        self.message = _label("quoteMessage", wrap=True)  # waiting, or the venue's refusal in red
        grid.addWidget(self.longcode, 4, 0, 1, 2)
        grid.addWidget(self.message, 5, 0, 1, 2)
        self._error = False
        self._restyle(theme.current())
        theme.notifier().changed.connect(self._restyle)
        self.show_waiting()

    def _restyle(self, colours: theme.Theme) -> None:
        self.longcode.setStyleSheet(f"color: {colours.muted};")
        self.profit.setStyleSheet(f"color: {colours.buy};")
        for caption in self._captions:
            caption.setStyleSheet(f"color: {colours.muted};")
        self._style_message()

    def _style_message(self) -> None:
        colours = theme.current()
        style = f"color: {colours.sell};" if self._error else f"color: {colours.muted};"
        if self.message.styleSheet() != style:
            self.message.setStyleSheet(style)

    def _figures(self, visible: bool) -> None:
        for widget in (self.cost, self.payout, self.profit, self.spot, self.longcode, *self._captions):
            if widget.isVisibleTo(self) != visible:
                widget.setVisible(visible)

    def show_waiting(self, text: str = WAITING) -> None:
        """No price (yet): ``text`` says why, calmly."""
        self._error = False
        self._figures(False)
        _set(self.message, text)
        self.message.setVisible(bool(text))
        self._style_message()

    def show_error(self, text: str) -> None:
        """The venue will not price the contract: its message, in red."""
        self._error = True
        self._figures(False)
        _set(self.message, text)
        self.message.setVisible(True)
        self._style_message()

    def show_quote(self, figures: QuoteFigures, spot: str) -> None:
        self._error = False
        self._figures(True)
        _set(self.cost, figures.cost)
        _set(self.payout, figures.payout)
        _set(self.profit, figures.profit)
        _set(self.spot, spot)
        _set(self.longcode, figures.longcode)
        self.message.setVisible(False)
