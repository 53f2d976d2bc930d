"""The application icon loads from the installed package and renders at every desktop size."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from terminal.ui.icon import app_icon, app_icon_path


def test_the_icon_is_the_packaged_svg() -> None:
    path = app_icon_path()
    assert path.is_file()
    assert path.suffix == ".svg"
    assert path.parent.name == "assets"


def test_the_icon_renders_at_every_size(qapp: object) -> None:
    icon = app_icon()
    assert not icon.isNull()
    for size in (16, 32, 48, 64, 128, 256, 512):
        pixmap = icon.pixmap(QSize(size, size))
        assert pixmap.size() == QSize(size, size)
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
        centre = image.pixelColor(size // 2, size // 2)
        corner = image.pixelColor(0, 0)
        assert centre.alpha() == 255  # the dark square
        assert corner.alpha() < 255  # its rounded corner
