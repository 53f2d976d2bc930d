"""About trading-terminal: its version, the Python, Qt and PySide6 under it, its licence, the venue endpoints in use."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from terminal import __version__
from terminal.session.session import Session

LICENCE = "MIT"  # LICENSE at the top of the repository
NOT_CONNECTED = "not connected"


def endpoints(session: Session | None) -> list[tuple[str, str]]:
    """The venue and its REST and stream base URLs, if the venue says where it lives."""
    if session is None:
        return [("Venue", NOT_CONNECTED)]
    # The Venue protocol does not declare hosts (not every venue has them); HashKey's venue does.
    hosts = getattr(session.venue, "hosts", None)
    rest = getattr(hosts, "rest_url", None)
    stream = getattr(hosts, "stream_url", None)
    return [
        ("Venue", f"{session.venue.capabilities.venue} (profile {session.name})"),
        ("REST", rest if isinstance(rest, str) else "not published by this venue"),
        ("Stream", stream if isinstance(stream, str) else "not published by this venue"),
    ]


def about_facts(session: Session | None) -> list[tuple[str, str]]:
    return [
        ("Version", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Licence", LICENCE),
        *endpoints(session),
    ]


class AboutDialog(QDialog):
    """The facts of ``about_facts`` as selectable text; non-modal."""

    def __init__(self, session: Session | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About trading-terminal")
        self.facts = about_facts(session)
        form = QFormLayout()
        for name, value in self.facts:
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{name}:", label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>trading-terminal</b>: a desktop terminal for trading by hand."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def text(self) -> str:
        """Everything the dialog shows, one label per line (for copying and for tests)."""
        return "\n".join(label.text() for label in self.findChildren(QLabel))
