"""Saying plainly where a venue's data is polled rather than streamed (``capabilities.poll_interval_s``):
its figures are up to that many seconds old, and a polled venue may publish no public tape at all."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from terminal.venues.base import Capabilities


def poll_note(capabilities: Capabilities) -> str:
    """ "polled every 2 s" where market data and the account are polled; "" where they stream."""
    seconds = capabilities.poll_interval_s
    return f"polled every {seconds:g} s" if seconds > 0 else ""


def note_label(name: str) -> QLabel:
    """A quiet line of text: disabled, so it takes the theme's muted colour and follows theme changes."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setEnabled(False)
    label.hide()
    return label


def show_note(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
