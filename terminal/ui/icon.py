"""The application icon, drawn once as an SVG shipped inside the package (terminal/assets/)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_NAME = "trading-terminal"


def app_icon_path() -> Path:
    """Where the packaged SVG lives; the package is installed as plain files (pip, PyInstaller), never zipped."""
    return Path(str(files("terminal") / "assets" / f"{ICON_NAME}.svg"))


def app_icon() -> QIcon:
    """The window and taskbar icon; Qt's SVG icon engine renders it sharp at any size."""
    return QIcon(str(app_icon_path()))
