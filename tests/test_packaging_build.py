"""The PyInstaller spec and packaging/build.py, without building (a build takes minutes: build.py --check does it)."""

from __future__ import annotations

import importlib.util
import json
import struct
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import uvicorn.config
from PySide6.QtGui import QImage

import terminal
from terminal.storage.paths import default_paths
from tests.support.scripts import packaging_script

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "trading-terminal.spec"
ASSETS = ROOT / "terminal" / "assets"
SCREENSHOT = ROOT / "resources" / "screenshot.png"  # a real screenshot of the window


def _build_script() -> ModuleType:
    return packaging_script("build")


build = _build_script()


class _Recorded:
    """Stands for PyInstaller's Analysis, PYZ, EXE, COLLECT and BUNDLE: keeps what the spec gives them."""

    made: dict[str, list[_Recorded]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.pure = self.scripts = self.binaries = self.datas = []
        self.made.setdefault(type(self).__name__, []).append(self)


def _run_spec(workpath: Path) -> dict[str, _Recorded]:
    """Execute the spec as PyInstaller does (its globals), with recorders for the build steps."""
    made: dict[str, list[_Recorded]] = {}
    kinds = {name: type(name, (_Recorded,), {"made": made}) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "SPEC": str(SPEC), "workpath": str(workpath), **kinds}
    exec(compile(SPEC.read_bytes(), str(SPEC), "exec"), namespace)
    assert all(len(steps) == 1 for steps in made.values())
    return {name: steps[0] for name, steps in made.items()}


def _png(path: Path, width: int, height: int, colours: int) -> Path:
    """A picture of ``colours`` vertical stripes, each of another grey."""
    stripe = np.arange(width) * colours // width
    grey = (stripe * 255 // max(colours - 1, 1)).astype(np.uint32)
    pixels = np.ascontiguousarray(np.tile(0xFF000000 | grey << 16 | grey << 8 | grey, (height, 1)))
    image = QImage(pixels.tobytes(), width, height, width * 4, QImage.Format.Format_RGB32)
    assert image.save(str(path), "PNG")
    return path


def _log(folder: Path, *records: tuple[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"level": level, "logger": "terminal", "message": message}) for level, message in records]
    (folder / "terminal.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- the spec --------------------------------------------------------------------------------------------


def test_the_spec_freezes_the_console_script_entry_point(tmp_path: Path) -> None:
    steps = _run_spec(tmp_path)
    (scripts,) = steps["Analysis"].args
    assert scripts == [str(ROOT / "terminal" / "__main__.py")]
    assert "from terminal.app import main" in (ROOT / "terminal" / "__main__.py").read_text(encoding="utf-8")
    assert "terminal.app:main" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # the same function
    assert steps["EXE"].kwargs["name"] == steps["COLLECT"].kwargs["name"] == "trading-terminal"
    assert steps["EXE"].kwargs["exclude_binaries"] is True  # one folder, not one file
    assert steps["EXE"].args[0] is steps["PYZ"]


def test_the_spec_bundles_every_packaged_asset(tmp_path: Path) -> None:
    datas = _run_spec(tmp_path)["Analysis"].kwargs["datas"]
    assert (str(ASSETS), "terminal/assets") in datas  # the whole folder: files added later come along
    assert {"trading-terminal.svg"} <= {path.name for path in ASSETS.iterdir()}


def test_the_hidden_imports_are_the_modules_uvicorn_names_in_strings(tmp_path: Path) -> None:
    hidden = _run_spec(tmp_path)["Analysis"].kwargs["hiddenimports"]
    # The demo exchange runs uvicorn with http, ws and lifespan "auto"/"on" (terminal/demo/server/app.py).
    for named in (uvicorn.config.HTTP_PROTOCOLS["auto"], uvicorn.config.WS_PROTOCOLS["auto"]):
        assert named.partition(":")[0] in hidden
    assert uvicorn.config.LIFESPAN["on"].partition(":")[0] in hidden
    assert all(importlib.util.find_spec(name) is not None for name in hidden)


def test_the_spec_keeps_the_terminal_itself_in(tmp_path: Path) -> None:
    excludes = set(_run_spec(tmp_path)["Analysis"].kwargs["excludes"])
    needed = {"PySide6", "pyqtgraph", "numpy", "qasync", "httpx", "websockets", "keyring", "orjson", "platformdirs"}
    assert not excludes & (needed | {"tenacity", "starlette", "uvicorn", "terminal"})


def test_on_linux_the_executable_has_no_icon_and_no_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    steps = _run_spec(tmp_path)
    assert steps["EXE"].kwargs["icon"] is None
    assert "BUNDLE" not in steps


def test_on_windows_the_executable_gets_the_ico_and_no_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    steps = _run_spec(tmp_path)
    icon = Path(steps["EXE"].kwargs["icon"])
    assert icon.suffix == ".ico" and icon.is_relative_to(tmp_path) and icon.stat().st_size > 0
    assert steps["EXE"].kwargs["console"] is False
    assert "BUNDLE" not in steps


def test_on_macos_there_is_an_app_bundle_with_the_icns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    steps = _run_spec(tmp_path)
    bundle = steps["BUNDLE"]
    assert bundle.args == (steps["COLLECT"],)
    assert bundle.kwargs["name"] == "trading-terminal.app"
    assert Path(bundle.kwargs["icon"]).suffix == ".icns" and Path(bundle.kwargs["icon"]).is_file()
    assert bundle.kwargs["version"] == terminal.__version__


# ---- the executable's icon ---------------------------------------------------------------------------------


def test_the_ico_holds_each_png_as_it_is() -> None:
    pngs = build.icon_pngs(build.ICO_SIZES)
    data = build.ico_bytes(pngs)
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(build.ICO_SIZES))
    for index, size in enumerate(sorted(build.ICO_SIZES)):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        assert width == height == (0 if size == 256 else size)
        assert (planes, bits) == (1, 32)
        assert data[offset : offset + length] == pngs[size]
    assert offset + length == len(data)


def test_qt_reads_the_ico(qapp: object, tmp_path: Path) -> None:
    path = build.write_app_icon(tmp_path, "win32")
    assert path == tmp_path / "trading-terminal.ico"
    image = QImage(str(path))
    assert not image.isNull() and image.width() in build.ICO_SIZES


def test_the_icns_has_a_chunk_of_the_right_size_for_each_type() -> None:
    data = build.icns_bytes(build.icon_pngs([size for _, size in build.ICNS_TYPES]))
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    position, kinds = 8, []
    while position < len(data):
        kind, length = data[position : position + 4], struct.unpack_from(">I", data, position + 4)[0]
        image = QImage.fromData(data[position + 8 : position + length], "PNG")
        assert (image.width(), image.height()) == (dict(build.ICNS_TYPES)[kind],) * 2
        kinds.append(kind)
        position += length
    assert position == len(data)
    assert kinds == [kind for kind, _ in build.ICNS_TYPES]


def test_linux_executables_carry_no_icon(tmp_path: Path) -> None:
    assert build.write_app_icon(tmp_path / "icon", "linux") is None
    assert not (tmp_path / "icon").exists()


# ---- the build and the check -------------------------------------------------------------------------------


def test_pyinstaller_runs_the_spec_into_dist_and_build() -> None:
    command = build.pyinstaller_command("/venv/bin/python")
    assert command[:3] == ["/venv/bin/python", "-m", "PyInstaller"]
    assert command[-1] == str(SPEC) and SPEC.is_file()
    assert command[command.index("--distpath") + 1] == str(ROOT / "dist")
    assert command[command.index("--workpath") + 1] == str(ROOT / "build")
    assert "--noconfirm" in command and "--clean" not in command
    assert "--clean" in build.pyinstaller_command("python", clean=True)


def test_the_program_is_inside_the_one_folder_build() -> None:
    dist = ROOT / "dist"
    assert build.executable(dist, "linux") == dist / "trading-terminal" / "trading-terminal"
    assert build.executable(dist, "darwin") == dist / "trading-terminal" / "trading-terminal"
    assert build.executable(dist, "win32") == dist / "trading-terminal" / "trading-terminal.exe"


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_the_check_runs_offscreen_in_scratch_folders(tmp_path: Path, platform: str) -> None:
    base = {"HOME": "/home/someone", "PATH": "/usr/bin"}
    env = build.scratch_environment(base, tmp_path, platform)
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["PATH"] == "/usr/bin"
    assert base == {"HOME": "/home/someone", "PATH": "/usr/bin"}
    moved = {key: value for key, value in env.items() if base.get(key) != value and key != "QT_QPA_PLATFORM"}
    assert moved and all(Path(value).is_relative_to(tmp_path) for value in moved.values())


def test_in_the_scratch_environment_the_terminal_keeps_every_file_in_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in build.scratch_environment({}, tmp_path).items():
        monkeypatch.setenv(key, value)
    assert all(folder.is_relative_to(tmp_path) for folder in default_paths().all_dirs())


def test_a_real_screenshot_passes() -> None:
    assert build.picture_problem(SCREENSHOT) is None


def test_a_missing_empty_or_unreadable_screenshot_fails(tmp_path: Path) -> None:
    assert "saved no screenshot" in build.picture_problem(tmp_path / "nothing.png")
    (tmp_path / "empty.png").write_bytes(b"")
    assert "empty file" in build.picture_problem(tmp_path / "empty.png")
    (tmp_path / "cut.png").write_bytes(SCREENSHOT.read_bytes()[:40])
    assert "not a readable picture" in build.picture_problem(tmp_path / "cut.png")


def test_a_flat_or_tiny_screenshot_fails(tmp_path: Path) -> None:
    flat = _png(tmp_path / "flat.png", 400, 300, 1)
    assert "only 1 colour(s)" in build.picture_problem(flat)
    few = _png(tmp_path / "few.png", 400, 300, 8)
    assert "only 8 colour(s)" in build.picture_problem(few)
    tiny = _png(tmp_path / "tiny.png", 120, 80, 100)
    assert "only 120 × 80 pixels" in build.picture_problem(tiny)
    assert build.picture_problem(_png(tmp_path / "rich.png", 400, 300, 100)) is None


def test_the_log_must_show_the_demo_exchange_and_the_connection(tmp_path: Path) -> None:
    assert "wrote no log" in build.log_problem(tmp_path)
    _log(
        tmp_path / "state" / "trading-terminal" / "log",
        ("INFO", "demo exchange running at http://127.0.0.1:41849"),
        ("INFO", "Connected to Demo: 6 symbols, trading allowed."),
    )
    assert build.log_problem(tmp_path) is None


def test_a_log_without_the_connection_fails_with_its_last_complaint(tmp_path: Path) -> None:
    _log(
        tmp_path,
        ("INFO", "starting the demo exchange early"),
        ("WARNING", "the demo exchange exited with code 1: ModuleNotFoundError: No module named 'h11'"),
        ("INFO", "retrying"),
    )
    with (tmp_path / "terminal.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"level": "INFO", "mess')  # cut short
    problem = build.log_problem(tmp_path)
    assert "never says 'demo exchange running at', 'Connected to Demo'" in problem
    assert problem.endswith(
        "its last complaint: the demo exchange exited with code 1: ModuleNotFoundError: No module named 'h11'"
    )


# A stand-in for the built program: it answers --exit-after/--screenshot as the terminal does.
FAKE_PROGRAM = textwrap.dedent(
    """
    import json, os, shutil, sys, time
    from pathlib import Path

    args = sys.argv[1:]
    behaviour = args[0]
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen" or "--exit-after" not in args:
        sys.exit(5)
    screenshot = Path(args[args.index("--screenshot") + 1])
    if behaviour == "crash":
        print("Traceback (most recent call last):\\nImportError: libxcb-cursor.so.0", file=sys.stderr)
        sys.exit(3)
    if behaviour == "hang":
        time.sleep(60)
    log = screenshot.parent / "somewhere" / "terminal.jsonl"
    log.parent.mkdir(parents=True)
    messages = ["demo exchange running at http://127.0.0.1:1", "Connected to Demo: 6 symbols"]
    log.write_text("".join(json.dumps({"level": "INFO", "message": m}) + "\\n" for m in messages))
    if behaviour != "blind":
        shutil.copyfile(os.environ["FAKE_SCREENSHOT"], screenshot)
    """
)


@pytest.fixture
def fake_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    script = tmp_path / "fake_terminal.py"
    script.write_text(FAKE_PROGRAM, encoding="utf-8")
    monkeypatch.setenv("FAKE_SCREENSHOT", str(SCREENSHOT))
    return [sys.executable, str(script)]


def test_the_check_passes_a_program_that_shows_the_live_window(tmp_path: Path, fake_program: list[str]) -> None:
    scratch = tmp_path / "check"
    (scratch / "stale").mkdir(parents=True)  # left from an earlier check: removed first
    assert build.run_check([*fake_program, "fine"], scratch, seconds=1) is None
    assert (scratch / "screenshot.png").read_bytes() == SCREENSHOT.read_bytes()
    assert not (scratch / "stale").exists()


def test_the_check_fails_a_program_that_crashes_and_says_why(tmp_path: Path, fake_program: list[str]) -> None:
    problem = build.run_check([*fake_program, "crash"], tmp_path / "check", seconds=1)
    assert problem.startswith("the program exited with code 3; its last error output:")
    assert problem.endswith("ImportError: libxcb-cursor.so.0")


def test_the_check_fails_a_program_that_saves_no_screenshot(tmp_path: Path, fake_program: list[str]) -> None:
    problem = build.run_check([*fake_program, "blind"], tmp_path / "check", seconds=1)
    assert problem == f"the program saved no screenshot at {tmp_path / 'check' / 'screenshot.png'}"


def test_the_check_fails_a_program_that_does_not_exit(
    tmp_path: Path, fake_program: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "CHECK_TIMEOUT_S", 1)
    assert (
        build.run_check([*fake_program, "hang"], tmp_path / "check", seconds=1) == "the program did not exit within 2 s"
    )


def test_the_check_fails_a_program_that_is_not_there(tmp_path: Path) -> None:
    problem = build.run_check([str(tmp_path / "dist" / "trading-terminal")], tmp_path / "check", seconds=1)
    assert problem.startswith("the program could not be started:")


def test_check_without_build_fails_clearly_when_nothing_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    monkeypatch.setattr(build, "WORK", tmp_path / "build")
    monkeypatch.setattr(build, "executable", lambda: build.DIST / "trading-terminal" / "trading-terminal")
    assert build.main(["--check", "--no-build"]) == 1
    assert capsys.readouterr().err.startswith("build.py --check failed: the program could not be started:")


def test_a_failed_pyinstaller_run_fails_the_build(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build, "pyinstaller_command", lambda python, clean: [python, "-c", "raise SystemExit(2)"])
    assert build.main(["--check"]) == 1
    assert "PyInstaller failed" in capsys.readouterr().err


def test_no_build_needs_check() -> None:
    with pytest.raises(SystemExit) as exit_info:
        build.main(["--no-build"])
    assert exit_info.value.code == 2
