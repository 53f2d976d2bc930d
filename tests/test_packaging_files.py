"""The files that make the terminal installable: licence, project metadata, desktop entry and icons."""

from __future__ import annotations

import configparser
import shlex
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtGui import QImage

import terminal
from tests.support.scripts import packaging_script

ROOT = Path(__file__).resolve().parent.parent
DESKTOP_FILE = ROOT / "packaging" / "linux" / "trading-terminal.desktop"
ICONS = ROOT / "resources" / "icons"
PACKAGED_SVG = ROOT / "terminal" / "assets" / "trading-terminal.svg"


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def _icons_script() -> ModuleType:
    return packaging_script("icons")


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def _opaque_pixels(image: QImage) -> int:
    return sum(image.pixelColor(x, y).alpha() > 0 for y in range(image.height()) for x in range(image.width()))


def test_the_licence_is_mit_and_the_metadata_points_at_it() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 the trading-terminal authors" in text
    pyproject = _pyproject()
    project = pyproject["project"]
    assert project["license"] == "MIT"  # PEP 639: an SPDX expression …
    assert project["license-files"] == ["LICENSE"]
    # … which setuptools knows from 77 on, and refuses next to a licence classifier.
    assert "setuptools>=77" in pyproject["build-system"]["requires"]
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]


def test_the_project_metadata_is_complete() -> None:
    project = _pyproject()["project"]
    assert project["authors"]
    assert project["keywords"]
    for classifier in (
        "Environment :: X11 Applications :: Qt",
        "Intended Audience :: Financial and Insurance Industry",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Topic :: Office/Business :: Financial :: Investment",
    ):
        assert classifier in project["classifiers"]
    assert any(c.startswith("Development Status :: ") for c in project["classifiers"])
    assert len(project["classifiers"]) == len(set(project["classifiers"]))
    home = "https://github.com/trading-terminal/trading-terminal"
    assert project["urls"] == {"Homepage": home, "Source": home, "Issues": f"{home}/issues"}


def test_the_version_has_one_source() -> None:
    pyproject = _pyproject()
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    attr = pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    module, _, name = attr.rpartition(".")
    assert (module, name) == ("terminal", "__version__")
    assert getattr(terminal, name) == terminal.__version__
    assert terminal.__version__.count(".") == 2


def test_the_icon_ships_inside_the_package() -> None:
    assert "assets/*" in _pyproject()["tool"]["setuptools"]["package-data"]["terminal"]
    assert PACKAGED_SVG.is_file()
    assert (ICONS / "trading-terminal.svg").read_bytes() == PACKAGED_SVG.read_bytes()


def test_the_desktop_entry_starts_the_console_script() -> None:
    entry = _desktop_entry()
    for key in ("Type", "Name", "GenericName", "Comment", "Exec", "Icon", "Terminal", "Categories", "Keywords"):
        assert entry.get(key), key
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Trading Terminal"
    assert entry["Terminal"] == "false"
    assert entry["Icon"] == "trading-terminal"
    assert entry["StartupWMClass"] == "trading-terminal"
    scripts = _pyproject()["project"]["scripts"]
    assert shlex.split(entry["Exec"])[0] in scripts
    assert entry["TryExec"] in scripts
    # The specification: lists end with ';', and Finance is an additional category that needs Office.
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    assert {"Office", "Finance", "Qt"} <= set(entry["Categories"].split(";"))


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256, 512])
def test_every_png_size_is_there_and_drawn(size: int) -> None:
    image = QImage(str(ICONS / f"trading-terminal-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()  # the rounded corners are transparent
    assert _opaque_pixels(image) > 0.9 * size * size


def test_the_script_renders_every_size_the_desktop_needs(qapp: object, tmp_path: Path) -> None:
    icons = _icons_script()
    assert tuple(icons.SIZES) == (16, 32, 48, 64, 128, 256, 512)
    written = icons.render(PACKAGED_SVG, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in ICONS.iterdir())
    # The committed PNGs are the SVG as it is now: whoever edits it must run the script again.
    for size in (16, 64):
        fresh = QImage(str(tmp_path / f"trading-terminal-{size}.png"))
        committed = QImage(str(ICONS / f"trading-terminal-{size}.png"))
        differing = sum(
            fresh.pixelColor(x, y).rgba() != committed.pixelColor(x, y).rgba() for y in range(size) for x in range(size)
        )
        assert differing <= size * size // 50, f"{size} px: run python packaging/icons.py"
