"""Renders the application icon (terminal/assets/trading-terminal.svg) into the PNG sizes desktops ask for.

Run ``python packaging/icons.py`` after editing the SVG and commit what it writes to resources/icons/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "terminal" / "assets" / "trading-terminal.svg"
OUT = ROOT / "resources" / "icons"
NAME = "trading-terminal"
# The hicolor theme's usual application sizes (freedesktop icon theme specification).
SIZES = (16, 32, 48, 64, 128, 256, 512)


def render(svg: Path, out: Path, sizes: Sequence[int] = SIZES) -> list[Path]:
    """Write ``<NAME>-<size>.png`` for every size and a copy of the SVG into ``out``; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / f"{NAME}-{size}.png"
        if not image.save(str(target)):  # the format follows the suffix
            raise OSError(f"could not write {target}")
        written.append(target)
    copy = out / f"{NAME}.svg"
    shutil.copyfile(svg, copy)
    written.append(copy)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SVG, help="the icon to render (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default: %(default)s)")
    args = parser.parse_args(argv)
    for path in render(args.svg, args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
