"""Showing and hiding a widget that may sit in a tool bar, where only its action does it."""

from __future__ import annotations

from PySide6.QtWidgets import QToolBar, QWidget


def set_shown(widget: QWidget, shown: bool) -> None:
    """Show or hide ``widget``: through its tool bar action when it is in one (QToolBar.addWidget's docs)."""
    bar = widget.parentWidget()
    actions = [a for a in bar.actions() if bar.widgetForAction(a) is widget] if isinstance(bar, QToolBar) else []
    for action in actions:
        action.setVisible(shown)
    if not actions:
        widget.setVisible(shown)
