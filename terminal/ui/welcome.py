"""A dismissible first-run panel: says which market the user is on and how to add a real API key.

The wording names the controls as they are ("Edit profiles…" in the toolbar, the Profiles dialog's
"Add", "API key", "API secret", "Save"); tests hold it to them.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from terminal.ui import theme
from terminal.ui.toolbar_item import set_shown

FIRST_WIDTH = 1200  # the width its size hint assumes before it is given one, outside a window
TITLE = "Welcome to trading-terminal."
DEMO_LINE = (
    "You are on the built-in <b>demo exchange</b>: a simulated market on this computer, with play money."
    " Orders fill against simulated traders; nothing reaches a real venue."
)
KEY_LINE = (
    "To add {which} API key: <b>Edit profiles…</b> in the toolbar ▸ <b>Add</b> (venue HashKey) ▸"
    " enter the <b>API key</b> and <b>API secret</b> (on Deriv: the account and its <b>API token</b>;"
    " on Webull: the <b>app key</b> and <b>app secret</b>, then <b>Get access token…</b>;"
    " on Longbridge: the <b>app key</b>, <b>app secret</b> and <b>access token</b>) ▸ <b>Save</b>."
    " The secret goes to the system keyring, never to a file."
)


def help_keys() -> str:
    """The key of Help ▸ Keyboard shortcuts as this platform shows it (F1 on Windows and Linux)."""
    bindings = QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)
    return bindings[0].toString(QKeySequence.SequenceFormat.NativeText) if bindings else "F1"


def venue_line(profile: str, venue: str, contracts: bool = False) -> str:
    """The first line on a real venue's profile, instead of the demo one."""
    what = "contracts you buy are bought on" if contracts else "orders you send go to"
    return f"This is profile <b>{escape(profile)}</b> on <b>{escape(venue)}</b>: {what} {escape(venue)}."


class WelcomePanel(QFrame):
    """``add_key_requested`` for "Add an API key…"; ``dismissed`` for "Got it": the panel has hidden itself
    (in a tool bar, through its action; the host hides the bar and remembers the dismissal)."""

    add_key_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        self.text = QLabel()
        self.text.setObjectName("welcomeText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        # Wrapping follows the width it is given instead of the label asking for a wide window.
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.add_key = QPushButton("Add an API key…")
        self.add_key.setObjectName("welcomeAddKey")
        self.add_key.clicked.connect(self.add_key_requested.emit)
        self.got_it = QPushButton("Got it")
        self.got_it.setObjectName("welcomeGotIt")
        self.got_it.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.setSpacing(8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.add_key, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.got_it, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._first_line = DEMO_LINE
        self._key_line = KEY_LINE.format(which="a real")
        self._sized = False  # given a width by its host yet
        self._render()
        self.restyle()
        theme.notifier().changed.connect(self._on_theme_changed)

    def set_demo(self, on_demo: bool, profile: str = "", venue: str = "", contracts: bool = False) -> None:
        """On the demo exchange, or on ``profile`` of ``venue`` (a real venue, perhaps its sandbox)."""
        self._first_line = DEMO_LINE if on_demo else venue_line(profile, venue, contracts)
        self._key_line = KEY_LINE.format(which="a real" if on_demo else "another")
        self._render()

    def plain_text(self) -> str:
        """What the panel says, without markup (tests, accessibility)."""
        document = QTextDocument()
        document.setHtml(self.text.text())
        return document.toPlainText()

    def sizeHint(self) -> QSize:
        # A tool bar (a likely host) lays out by size hint and never asks heightForWidth: answer for
        # the width the panel has, so the text wraps to two or three lines instead of a tall column.
        hint = super().sizeHint()
        host = self.window()
        width = self.width() if self._sized else host.width() if host is not self else FIRST_WIDTH
        return QSize(hint.width(), self.heightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sized = True
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped text may need one line more or less

    def dismiss(self) -> None:
        set_shown(self, False)
        self.dismissed.emit()

    def _render(self) -> None:
        keys = escape(help_keys())
        self.text.setText(
            f"<b>{TITLE}</b> {self._first_line}<br>{self._key_line} Press <b>{keys}</b> for the keyboard shortcuts."
        )

    def restyle(self) -> None:
        """Take the colours of the current theme; called on every theme change (View ▸ Theme, or the desktop's
        scheme while "system" is chosen)."""
        t = theme.current()
        self.setStyleSheet(
            f"#welcomePanel {{ background: {t.alt_base}; border: 1px solid {t.grid};"
            f" border-left: 3px solid {t.highlight}; border-radius: 4px; }}"
            f" #welcomeText {{ color: {t.text}; background: transparent; border: none; }}"
            f" #welcomeAddKey {{ background: {t.highlight}; color: #ffffff; border: 1px solid {t.highlight};"
            f" border-radius: 3px; padding: 3px 10px; }}"
            # Both buttons get explicit colours: a child of a styled widget may keep the old palette.
            f" #welcomeGotIt {{ background: {t.base}; color: {t.text}; border: 1px solid {t.grid};"
            f" border-radius: 3px; padding: 3px 10px; }}"
            f" #welcomeAddKey:hover, #welcomeGotIt:hover {{ border-color: {t.text}; }}"
        )

    def _on_theme_changed(self, _theme: theme.Theme) -> None:
        self.restyle()
