"""``python -m terminal.demo`` as a process: first line JSON, a working exchange, clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import orjson

KEYS = {
    "rest_url",
    "stream_url",
    "ws_public_v1",
    "ws_public_v2",
    "ws_private",
    "api_key",
    "api_secret",
    "readonly_api_key",
    "readonly_api_secret",
}


def test_the_demo_process_prints_where_it_listens_and_stops_on_sigterm() -> None:
    command = [sys.executable, "-m", "terminal.demo", "--port", "0", "--history-days", "2", "--symbols", "BTCUSDT"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        first = orjson.loads(process.stdout.readline())
        assert set(first) == KEYS
        assert first["rest_url"].startswith("http://127.0.0.1:")
        assert first["ws_private"] == first["stream_url"] + "/api/v1/ws"
        time = httpx.get(first["rest_url"] + "/api/v1/time", timeout=10).json()
        assert isinstance(time["serverTime"], int)
        info = httpx.get(first["rest_url"] + "/api/v1/exchangeInfo", timeout=10).json()
        assert [s["symbol"] for s in info["symbols"]] == ["BTCUSDT"]
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=20)
    assert code == 0, process.stderr.read().decode() if process.stderr else ""


def test_bad_flags_are_refused_with_a_message() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "terminal.demo", "--symbols", "NOPE"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown demo symbols NOPE" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "terminal.demo", "--balance", "USDT=-5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "ASSET=AMOUNT" in result.stderr
