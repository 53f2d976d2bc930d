"""Colours and fonts: dark by default, light or the desktop's scheme on request; monospaced digits for
prices and sizes. Widgets that keep colours follow ``notifier().changed`` to restyle at run time."""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    highlight: str
    buy: str  # bids, buys, gains
    sell: str  # asks, sells, losses
    buy_bar: str
    sell_bar: str
    own: str  # the user's own orders
    last: str  # last traded price
    grid: str
    warn: str

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))


DARK = Theme(
    name="dark",
    window="#1b1e23",
    base="#14161a",
    alt_base="#1a1d22",
    text="#d8dde4",
    muted="#7d8794",
    highlight="#2f6fb3",
    buy="#3fbf7f",
    sell="#e5534b",
    buy_bar="#1f4d36",
    sell_bar="#5a2a28",
    own="#e0b341",
    last="#4ea3ff",
    grid="#2a2f36",
    warn="#e0a030",
)

LIGHT = Theme(
    name="light",
    window="#f3f4f6",
    base="#ffffff",
    alt_base="#f6f7f9",
    text="#1d232b",
    muted="#6b7480",
    highlight="#2f6fb3",
    buy="#138a50",
    sell="#c6362e",
    buy_bar="#cdebd9",
    sell_bar="#f5d3d1",
    own="#a87a00",
    last="#1f6fd1",
    grid="#e1e4e8",
    warn="#b36b00",
)

THEMES = {"dark": DARK, "light": LIGHT}
THEME_CHOICES = ("dark", "light", "system")  # "system": the desktop's light or dark scheme, followed live
_current: list[Theme] = [DARK]
_chosen: list[str] = ["dark"]


class ThemeNotifier(QObject):
    """``changed(Theme)`` once per change of the resolved theme, after the palette is set."""

    changed = Signal(object)

    def follow_scheme(self, scheme: Qt.ColorScheme) -> None:
        """The desktop switched between light and dark: follow it while "system" is chosen."""
        app = QApplication.instance()
        if _chosen[0] == "system" and isinstance(app, QApplication):
            _apply(app, "system", scheme)


_notifier: list[ThemeNotifier] = []
_following: list[QGuiApplication] = []  # the application whose scheme changes are followed (none or one)


def notifier() -> ThemeNotifier:
    """The one notifier, made on first use (a QObject needs the QApplication's thread)."""
    if not _notifier:
        _notifier.append(ThemeNotifier())
    return _notifier[0]


def current() -> Theme:
    return _current[0]


def chosen() -> str:
    """The name last applied: one of ``THEME_CHOICES``."""
    return _chosen[0]


def resolve(name: str, scheme: Qt.ColorScheme) -> Theme:
    """The theme ``name`` stands for under the desktop's ``scheme`` (an unknown scheme or name: dark)."""
    if name == "system":
        return LIGHT if scheme == Qt.ColorScheme.Light else DARK
    return THEMES.get(name, DARK)


def apply(app: QApplication, name: str = "dark") -> Theme:
    """Set the palette of ``app`` for ``name`` (one of ``THEME_CHOICES``); "system" keeps following the
    desktop's scheme until another name is applied."""
    choice = name if name in THEME_CHOICES else "dark"
    _follow(app if choice == "system" else None)
    return _apply(app, choice, app.styleHints().colorScheme())


def _follow(app: QGuiApplication | None) -> None:
    """Listen to the scheme changes of ``app`` only (None: of no application)."""
    receiver = notifier()
    if _following and _following[0] is not app:
        old = _following.pop()
        if shiboken6.isValid(old):  # a test may have ended the application in between
            old.styleHints().colorSchemeChanged.disconnect(receiver.follow_scheme)
    if app is not None and not _following:
        app.styleHints().colorSchemeChanged.connect(receiver.follow_scheme)
        _following.append(app)


def _apply(app: QApplication, choice: str, scheme: Qt.ColorScheme) -> Theme:
    theme = resolve(choice, scheme)
    previous = _current[0]
    _current[0], _chosen[0] = theme, choice
    _set_palette(app, theme)
    if theme is not previous:  # widgets restyle once per real change, not per apply
        notifier().changed.emit(theme)
    return theme


def _set_palette(app: QApplication, theme: Theme) -> None:
    """The Fusion style renders palettes the same on every platform."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alt_base,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.window,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Highlight: theme.highlight,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.BrightText: theme.warn,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(theme.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(theme.muted))
    app.setPalette(palette)
    # After the palette: setting the style re-polishes every widget, and a widget with a style sheet
    # takes the application palette only then (before, it stayed one theme behind).
    app.setStyle("Fusion")


def mono_font(point_size: float | None = None) -> QFont:
    """A fixed-pitch font, so that digits line up in columns of prices and sizes."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    if point_size is not None:
        font.setPointSizeF(point_size)
    return font
