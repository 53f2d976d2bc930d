"""The ticket's validation area: every broken rule in words, with a "use nearest" button where one exists."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.ui import theme
from terminal.ui.ticket.draft import Problem


def _text_style(colours: theme.Theme) -> str:
    return f"color: {colours.sell};"


def _link_style(colours: theme.Theme) -> str:
    return f"color: {colours.last}; text-decoration: underline;"


class ProblemList(QWidget):
    use_nearest = Signal(str, object)  # field, Decimal

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._shown: tuple[tuple[Problem, ...], frozenset[str]] | None = None
        theme.notifier().changed.connect(self._theme_changed)

    def _theme_changed(self, colours: theme.Theme) -> None:
        for label in self.findChildren(QLabel, "problemText"):
            label.setStyleSheet(_text_style(colours))
        for button in self.findChildren(QPushButton, "useNearest"):
            button.setStyleSheet(_link_style(colours))

    def show_problems(self, problems: tuple[Problem, ...], fillable: Collection[str]) -> None:
        """Show ``problems``; those of a field in ``fillable`` with a nearest value get a button for it.
        Rows are rebuilt only when the problems change, so live market data does not make them flicker."""
        key = (problems, frozenset(fillable))
        if key == self._shown:
            return
        self._shown = key
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        for problem in problems:
            self._layout.addWidget(self._row(problem, problem.field in fillable))

    def messages(self) -> list[str]:
        return [problem.message for problem in self._shown[0]] if self._shown else []

    def _row(self, problem: Problem, fillable: bool) -> QWidget:
        row = QWidget()
        row.setObjectName("problem")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(problem.message)
        label.setObjectName("problemText")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet(_text_style(theme.current()))
        layout.addWidget(label, 1)
        nearest = problem.nearest
        if fillable and nearest is not None:
            button = QPushButton("use nearest")
            button.setObjectName("useNearest")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(_link_style(theme.current()))
            button.clicked.connect(lambda _=False, f=problem.field, v=nearest: self._emit(f, v))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _emit(self, field: str, value: Decimal) -> None:
        self.use_nearest.emit(field, value)
