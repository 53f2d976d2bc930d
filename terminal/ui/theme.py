"""Colours and fonts: dark by default, light on request; monospaced digits for prices and sizes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
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
_current: list[Theme] = [DARK]


def current() -> Theme:
    return _current[0]


def apply(app: QApplication, name: str = "dark") -> Theme:
    """Set the palette of ``app`` (the Fusion style renders palettes the same on every platform)."""
    theme = THEMES.get(name, DARK)
    _current[0] = theme
    app.setStyle("Fusion")
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
    return theme


def mono_font(point_size: float | None = None) -> QFont:
    """A fixed-pitch font, so that digits line up in columns of prices and sizes."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    if point_size is not None:
        font.setPointSizeF(point_size)
    return font
