"""Every keyboard shortcut of the window, read from its live QActions when the list opens, so it cannot drift.

Keys that widgets handle themselves (``keyPressEvent``, ``QShortcut``) have no QAction to read;
they come from ``WIDGET_KEYS``, which tests check against the widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from terminal.ui.table_model import Column, RowTableModel

NATIVE = QKeySequence.SequenceFormat.NativeText
ACTION, WIDGET_KEY = "action", "widget key"


@dataclass(frozen=True, slots=True)
class WidgetKey:
    """A key a widget handles itself: where it works, what it does, and the keys."""

    context: str
    action: str
    keys: tuple[Qt.Key, ...]


# The keys of ticket_form.py, markets.py, orders.py (a QShortcut) and ladder_view.py (its KEYS).
WIDGET_KEYS: tuple[WidgetKey, ...] = (
    WidgetKey("Order ticket", "Send the order (when valid)", (Qt.Key.Key_Return, Qt.Key.Key_Enter)),
    WidgetKey("Markets", "Make the selected symbol active", (Qt.Key.Key_Return, Qt.Key.Key_Enter)),
    WidgetKey("Open orders", "Cancel the selected orders", (Qt.Key.Key_Delete,)),
    WidgetKey("Ladder", "Re-centre on the mid", (Qt.Key.Key_Space,)),
    WidgetKey("Ladder", "Scroll one row", (Qt.Key.Key_Up, Qt.Key.Key_Down)),
    WidgetKey("Ladder", "Scroll one page", (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)),
)


@dataclass(frozen=True, slots=True)
class Shortcut:
    context: str
    action: str
    keys: str
    kind: str  # ACTION or WIDGET_KEY


def plain_text(action: QAction) -> str:
    """The action's text without its mnemonic ampersands ("&&" stays a literal "&")."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def _menu_contexts(window: QMainWindow) -> dict[QAction, str]:
    """Each action in the menu bar, with its menu path ("View > Theme")."""
    contexts: dict[QAction, str] = {}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} > {plain_text(action)}")
            else:
                contexts.setdefault(action, path)

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain_text(top))
    for bar in window.findChildren(QToolBar):
        for action in bar.actions():
            contexts.setdefault(action, f"{bar.windowTitle()} toolbar")
    return contexts


def collect_shortcuts(window: QMainWindow) -> list[Shortcut]:
    """Every action of ``window`` that has a shortcut, plus the widget keys; by context, then action."""
    contexts = _menu_contexts(window)
    actions = dict.fromkeys([*contexts, *window.findChildren(QAction)])
    rows = [
        Shortcut(
            contexts.get(action, "Window"),
            plain_text(action),
            ", ".join(sequence.toString(NATIVE) for sequence in action.shortcuts()),
            ACTION,
        )
        for action in actions
        if action.shortcuts()
    ]
    rows += [
        Shortcut(key.context, key.action, ", ".join(QKeySequence(k).toString(NATIVE) for k in key.keys), WIDGET_KEY)
        for key in WIDGET_KEYS
    ]
    return sorted(rows, key=lambda row: (row.context.casefold(), row.action.casefold()))


COLUMNS: list[Column[Shortcut]] = [
    Column("Where", lambda row: row.context),
    Column("Action", lambda row: row.action),
    Column("Keys", lambda row: row.keys, mono=True),
    Column("Kind", lambda row: row.kind),
]


class ShortcutsDialog(QDialog):
    """A read-only table of ``rows``; non-modal."""

    def __init__(self, rows: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(640, 420)
        self.rows = rows
        self.model: RowTableModel[Shortcut] = RowTableModel(COLUMNS)
        self.model.update(dict(enumerate(rows)))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        note = QLabel("Widget keys work while that dock has the keyboard focus.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
