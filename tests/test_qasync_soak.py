"""The qasync loop survives a long run of timer callbacks on the installed PySide6 (DESIGN.md pitfalls)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

SOAK = Path(__file__).with_name("qasync_soak.py")


def test_installed_qt_is_not_the_crashing_pair() -> None:
    installed = tuple(int(part) for part in version("PySide6-Essentials").split(".")[:3])
    assert not (sys.version_info[:2] == (3, 11) and installed == (6, 12, 0)), (
        "PySide6 6.12.0 on Python 3.11 crashes qasync apps; pyproject.toml must exclude it"
    )


def test_twenty_thousand_timer_callbacks_under_qasync() -> None:
    result = subprocess.run(
        [sys.executable, str(SOAK), "20000"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, f"soak crashed (rc={result.returncode}):\n{result.stderr[-2000:]}"
    assert "soak ok: 20000 timer callbacks" in result.stdout
