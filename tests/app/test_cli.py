"""The real executable: a screenshot run that leaves nothing behind, attaching to a running
exchange with the secret from the environment, and refusal of bad flags."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import orjson
import pytest

from tests.support.demo_process import demo_process


def _environment(tmp: Path, mark: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["TERMINAL_TEST_MARK"] = mark  # inherited by any child process: lets the test find leftovers
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(tmp / variable.lower())
    return env


def _processes_with(mark: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if f"TERMINAL_TEST_MARK={mark}".encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _log_messages(tmp: Path) -> list[str]:
    log = tmp / "xdg_state_home" / "trading-terminal" / "log" / "terminal.jsonl"
    return [orjson.loads(line)["message"] for line in log.read_text().splitlines() if line.strip()]


def test_a_screenshot_run_on_the_demo_profile_exits_cleanly(tmp_path: Path) -> None:
    mark = uuid.uuid4().hex
    shot = tmp_path / "shot.png"
    command = [sys.executable, "-m", "terminal", "--exit-after", "10", "--screenshot", str(shot)]
    result = subprocess.run(command, env=_environment(tmp_path, mark), capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert shot.stat().st_size > 20_000  # a real picture of a live window, not an empty one
    assert _processes_with(mark) == []  # the demo exchange child was stopped
    messages = _log_messages(tmp_path)
    assert any(m.startswith("Connected to Demo: 6 symbols, trading allowed") for m in messages)
    assert any("demo exchange running at http://127.0.0.1:" in m for m in messages)


def test_attaching_to_a_running_exchange_from_the_command_line(tmp_path: Path) -> None:
    mark = uuid.uuid4().hex
    with demo_process() as demo:
        env = _environment(tmp_path, mark)
        env["TERMINAL_API_SECRET"] = demo.api_secret
        command = [
            sys.executable,
            "-m",
            "terminal",
            "--rest-url",
            demo.rest_url,
            "--stream-url",
            demo.stream_url,
            "--api-key",
            demo.api_key,
            "--exit-after",
            "8",
        ]
        result = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    messages = _log_messages(tmp_path)
    assert any(m.startswith("Connected to Command line: 6 symbols, trading allowed") for m in messages)
    assert not any("starting the demo exchange" in m for m in messages)  # attached, nothing started
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert demo.api_secret.encode() not in path.read_bytes(), f"the secret was written to {path}"


def test_bad_flags_are_refused_with_a_message(tmp_path: Path) -> None:
    env = _environment(tmp_path, uuid.uuid4().hex)
    result = subprocess.run(
        [sys.executable, "-m", "terminal", "--rest-url", "http://127.0.0.1:1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--rest-url and --stream-url go together" in result.stderr


def test_the_frame_rate_and_theme_flags_are_checked() -> None:
    from terminal.app.main import parse_args

    assert parse_args(["--fps", "30", "--theme", "system"]).fps == 30
    assert parse_args([]).fps is None and parse_args([]).theme is None  # the saved settings decide
    for bad in (["--fps", "5"], ["--fps", "500"], ["--theme", "pink"]):
        with pytest.raises(SystemExit):
            parse_args(bad)
