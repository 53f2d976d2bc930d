"""Build the one-folder application with PyInstaller; ``--check`` then runs it offscreen and judges what it showed.

Usage, from any directory: ``python packaging/build.py [--clean] [--check] [--no-build]``. The result is
``dist/trading-terminal/`` (with ``trading-terminal.app`` beside it on macOS); PyInstaller works in ``build/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "trading-terminal.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
ICONS = ROOT / "resources" / "icons"
APP_NAME = "trading-terminal"

CHECK_SECONDS = 12  # long enough for the demo exchange to start and the book and chart to fill
CHECK_TIMEOUT_S = 120  # the whole run, start-up and clean exit included
MIN_PICTURE_SIDE = 200  # px: the window is 1600 × 1000 by default
MIN_COLOURS = 64  # a live window (text, candles, book bars) has thousands; a blank one has a handful
# What the terminal logs (terminal.app.demo, terminal.session) once the bundled demo exchange serves
# and the terminal has connected to it: a bundle missing a module of the exchange never gets there.
LOG_MARKERS = ("demo exchange running at", "Connected to Demo")

# Windows takes PNG images inside a .ico (since Vista); 256 is the largest an .ico can hold.
ICO_SIZES = (16, 32, 48, 64, 128, 256)
# macOS .icns chunk types that hold a PNG, and the pixel size of each (the @2x types are twice the points).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
)


def pyinstaller_command(python: str, *, clean: bool = False) -> list[str]:
    """The PyInstaller run of the spec, writing to ``dist/`` and working in ``build/``."""
    command = [python, "-m", "PyInstaller", "--noconfirm", "--distpath", str(DIST), "--workpath", str(WORK)]
    if clean:
        command.append("--clean")
    return [*command, str(SPEC)]


def executable(dist: Path = DIST, platform: str = sys.platform) -> Path:
    """The program inside the one-folder build (macOS also gets ``trading-terminal.app``; this is its twin)."""
    return dist / APP_NAME / (f"{APP_NAME}.exe" if platform == "win32" else APP_NAME)


# ---- the executable's icon ----------------------------------------------------------------------------


def icon_pngs(sizes: Sequence[int], icons: Path = ICONS) -> dict[int, bytes]:
    """The committed PNG renderings of the icon (``packaging/icons.py`` writes them), by size."""
    return {size: (icons / f"{APP_NAME}-{size}.png").read_bytes() for size in sorted(set(sizes))}


def ico_bytes(pngs: Mapping[int, bytes]) -> bytes:
    """A Windows .ico holding these square PNGs (size → PNG): a directory, then the images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the one byte an entry has for it
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(images))
        images += png
    return header + entries + images


def icns_bytes(pngs: Mapping[int, bytes]) -> bytes:
    """A macOS .icns holding these PNGs (size → PNG), one chunk for each type of a size there is."""
    chunks = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES if size in pngs
    )
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def write_app_icon(out_dir: Path, platform: str = sys.platform, icons: Path = ICONS) -> Path | None:
    """Write the executable's icon for ``platform`` into ``out_dir``; None where executables carry
    none (Linux: the desktop entry names the icon, packaging/linux/README.md)."""
    if platform == "win32":
        name, data = f"{APP_NAME}.ico", ico_bytes(icon_pngs(ICO_SIZES, icons))
    elif platform == "darwin":
        name, data = f"{APP_NAME}.icns", icns_bytes(icon_pngs([size for _, size in ICNS_TYPES], icons))
    else:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_bytes(data)
    return path


# ---- the check -----------------------------------------------------------------------------------------


def scratch_environment(base: Mapping[str, str], scratch: Path, platform: str = sys.platform) -> dict[str, str]:
    """``base`` with Qt offscreen and the terminal's per-user directories moved into ``scratch``,
    so the check neither reads nor changes the user's profiles, logs and journal."""
    env = {**base, "QT_QPA_PLATFORM": "offscreen"}
    if platform == "win32":
        # platformdirs asks Windows for the folders; these override its answer (releases since February 2026).
        env |= {f"WIN_PD_OVERRIDE_{name}": str(scratch / name.lower()) for name in ("LOCAL_APPDATA", "APPDATA")}
    elif platform == "darwin":
        env["HOME"] = str(scratch / "home")  # ~/Library/Application Support, ~/Library/Logs …
    else:
        for variable, folder in (("CONFIG", "config"), ("DATA", "data"), ("STATE", "state"), ("CACHE", "cache")):
            env[f"XDG_{variable}_HOME"] = str(scratch / folder)
    return env


def check_command(program: Sequence[str], screenshot: Path, seconds: float = CHECK_SECONDS) -> list[str]:
    return [*program, "--exit-after", str(seconds), "--screenshot", str(screenshot)]


def picture_problem(path: Path) -> str | None:
    """What is wrong with the screenshot at ``path`` (missing, empty, unreadable, tiny, one flat colour),
    or None when it is a real picture of a window."""
    if not path.is_file():
        return f"the program saved no screenshot at {path}"
    if path.stat().st_size == 0:
        return f"the screenshot {path} is an empty file"
    import numpy as np  # here, not above: the spec imports this file for its icon functions alone
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        return f"the screenshot {path} is not a readable picture"
    if min(image.width(), image.height()) < MIN_PICTURE_SIDE:
        return f"the screenshot {path} is only {image.width()} × {image.height()} pixels"
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    colours = len(np.unique(np.frombuffer(pixels.constBits(), dtype=np.uint32)))
    if colours < MIN_COLOURS:
        return f"the screenshot {path} has only {colours} colour(s): the window drew (almost) nothing"
    return None


def log_problem(scratch: Path, markers: Sequence[str] = LOG_MARKERS) -> str | None:
    """What the terminal's log (``terminal.jsonl``, wherever it is under ``scratch``) never says of
    ``markers``, with its last warning or error; None when it says them all."""
    logs = sorted(scratch.rglob("terminal.jsonl"))
    if not logs:
        return f"the program wrote no log (terminal.jsonl) under {scratch}"
    records = _json_lines(logs[0])
    messages = [str(record.get("message", "")) for record in records]
    missing = [marker for marker in markers if not any(marker in message for message in messages)]
    if not missing:
        return None
    complaints = [str(r.get("message", "")) for r in records if r.get("level") in {"WARNING", "ERROR", "CRITICAL"}]
    last = f"; its last complaint: {complaints[-1]}" if complaints else ""
    return f"the log {logs[0]} never says {', '.join(map(repr, missing))}{last}"


def _json_lines(path: Path) -> list[dict[str, object]]:
    """The records of a JSON-lines file; a line cut short (a killed writer) is left out."""
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def run_check(program: Sequence[str], scratch: Path, seconds: float = CHECK_SECONDS) -> str | None:
    """Run ``program`` offscreen in ``scratch`` for ``seconds`` with a screenshot; what went wrong, or None."""
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    screenshot = scratch / "screenshot.png"
    command = check_command(program, screenshot, seconds)
    timeout = seconds + CHECK_TIMEOUT_S
    try:
        result = subprocess.run(
            command,
            check=False,
            env=scratch_environment(os.environ, scratch),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"the program did not exit within {timeout:.0f} s"
    except OSError as error:
        return f"the program could not be started: {error}"
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        output = f"; its last error output:\n{tail}" if tail else ""
        return f"the program exited with code {result.returncode}{output}"
    return picture_problem(screenshot) or log_problem(scratch)


# ---- the command line ----------------------------------------------------------------------------------


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def build(clean: bool) -> bool:
    started = time.monotonic()
    if subprocess.run(pyinstaller_command(sys.executable, clean=clean), check=False, cwd=ROOT).returncode != 0:
        print("build.py: PyInstaller failed (its output is above).", file=sys.stderr)
        return False
    size = folder_size(DIST / APP_NAME) / 1e6
    print(f"build.py: built {executable()} ({size:.0f} MB) in {time.monotonic() - started:.0f} s")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache and work folder first")
    parser.add_argument("--check", action="store_true", help="then run the built program offscreen and judge it")
    parser.add_argument("--no-build", action="store_true", help="check the program already in dist/ (with --check)")
    args = parser.parse_args(argv)
    if args.no_build and not args.check:
        parser.error("--no-build needs --check")
    if not args.no_build and not build(args.clean):
        return 1
    if not args.check:
        return 0
    program, scratch = executable(), WORK / "check"
    started = time.monotonic()
    problem = run_check([str(program)], scratch)
    if problem is not None:
        print(f"build.py --check failed: {problem}", file=sys.stderr)
        return 1
    print(
        f"build.py --check: {program.name} ran for {CHECK_SECONDS} s on the bundled demo exchange and exited 0 "
        f"({time.monotonic() - started:.0f} s); its screenshot and log are in {scratch}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
