"""The demo exchange child process under supervision: killed, it is restarted on the same port with the
same keys and arguments; a taken port is retried with backoff; after stop() nothing comes back."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from pytestqt.qtbot import QtBot

from terminal.app.demo_process import DemoProcess, restart_delay
from terminal.demo.server.app import Endpoints
from tests.support.qt import run

ARGUMENTS = ["--quiet", "--symbols", "BTCUSDT,ETHUSDT", "--balance", "USDT=1234"]
RESTART_S = 30.0  # a generous bound on one restart (the child is a fresh Python process)


@pytest.fixture
def demo(qtbot: QtBot, aloop: object) -> Iterator[DemoProcess]:
    process = DemoProcess()
    try:
        yield process
    finally:
        run(qtbot, process.stop(), timeout=30)


def answers(endpoints: Endpoints) -> dict[str, object]:
    """What the child serves that depends on its arguments and keys: symbols and the demo user's balances."""
    with httpx.Client(base_url=endpoints.rest_url, timeout=10) as http:
        assert http.get("/api/v1/time").status_code == 200
        symbols = sorted(s["symbol"] for s in http.get("/api/v1/exchangeInfo").json()["symbols"])
        state = http.get("/_demo/state", params={"api_key": endpoints.api_key})
        assert state.status_code == 200  # the key is known to this process
        balances = {b["asset"]: b["total"] for b in state.json()["balances"]}
    return {"symbols": symbols, "balances": balances}


def test_the_restart_delays_double_from_half_a_second_up_to_ten() -> None:
    assert [restart_delay(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert restart_delay(1000) == 10.0


def test_a_killed_exchange_is_reported_and_restarted_on_the_same_port(qtbot: QtBot, demo: DemoProcess) -> None:
    endpoints = run(qtbot, demo.start(ARGUMENTS))
    before = answers(endpoints)
    assert before == {"symbols": ["BTCUSDT", "ETHUSDT"], "balances": {"USDT": "1234"}}
    pid = demo.pid
    assert pid is not None

    seen: list[str] = []
    demo.outage.connect(lambda reason: seen.append(f"outage: {reason}"))
    demo.restored.connect(lambda: seen.append("restored"))
    with qtbot.waitSignal(demo.restored, timeout=int(RESTART_S * 1000)):
        os.kill(pid, signal.SIGKILL)
    assert seen == ["outage: the demo exchange stopped (killed by signal 9)", "restored"]

    assert demo.running and demo.pid not in (None, pid)
    assert demo.endpoints == endpoints  # same URLs and keys: the terminal's clients just reconnect
    assert answers(endpoints) == before  # same arguments; the state is the initial one again


def test_a_taken_port_is_retried_until_it_is_free(qtbot: QtBot, demo: DemoProcess) -> None:
    endpoints = run(qtbot, demo.start(ARGUMENTS))
    port = urlsplit(endpoints.rest_url).port
    pid = demo.pid
    assert port is not None and pid is not None
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        with qtbot.waitSignal(demo.outage, timeout=10_000):
            os.kill(pid, signal.SIGKILL)
        squatter.bind(("127.0.0.1", port))  # before the first restart, 0.5 s after the outage
        squatter.listen()
        with qtbot.waitSignal(demo.outage, timeout=int(RESTART_S * 1000)) as failed:
            pass
        assert f"cannot listen on port {port}" in failed.args[0], failed.args[0]
        assert demo.recovering and not demo.running
    with qtbot.waitSignal(demo.restored, timeout=int(RESTART_S * 1000)):
        pass
    assert demo.endpoints == endpoints
    assert answers(endpoints)["symbols"] == ["BTCUSDT", "ETHUSDT"]


def test_after_stop_nothing_is_restarted(qtbot: QtBot, demo: DemoProcess) -> None:
    run(qtbot, demo.start(ARGUMENTS))
    pid = demo.pid
    assert pid is not None
    with qtbot.assertNotEmitted(demo.outage), qtbot.assertNotEmitted(demo.restored, wait=1500):
        run(qtbot, demo.stop())
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(pid, 0)
    assert not demo.running and demo.pid is None and demo.endpoints is None


def test_without_supervision_an_outage_is_reported_but_not_repaired(qtbot: QtBot, aloop: object) -> None:
    demo = DemoProcess(supervise=False)
    try:
        run(qtbot, demo.start(ARGUMENTS))
        pid = demo.pid
        assert pid is not None
        with qtbot.waitSignal(demo.outage, timeout=10_000), qtbot.assertNotEmitted(demo.restored, wait=1500):
            os.kill(pid, signal.SIGKILL)
        assert not demo.running and not demo.recovering
    finally:
        run(qtbot, demo.stop(), timeout=30)


def test_a_child_launched_early_is_the_one_start_waits_for(qtbot: QtBot, demo: DemoProcess, aloop: object) -> None:

    demo.launch_soon(asyncio.get_event_loop(), ARGUMENTS)
    early_pid = demo.pid
    assert early_pid is not None  # running before anything awaited it
    endpoints = run(qtbot, demo.start(ARGUMENTS))
    assert demo.pid == early_pid  # no second child
    assert answers(endpoints) == {"symbols": ["BTCUSDT", "ETHUSDT"], "balances": {"USDT": "1234"}}


def test_a_start_with_other_arguments_replaces_the_early_child(qtbot: QtBot, demo: DemoProcess, aloop: object) -> None:

    demo.launch_soon(asyncio.get_event_loop(), ["--quiet", "--symbols", "ETHUSDT"])
    early_pid = demo.pid
    endpoints = run(qtbot, demo.start(ARGUMENTS))
    assert demo.pid not in (None, early_pid)
    assert answers(endpoints)["symbols"] == ["BTCUSDT", "ETHUSDT"]
    with pytest.raises(ProcessLookupError):  # the early child was stopped, not left behind
        for _ in range(100):
            os.kill(early_pid or 0, 0)
            qtbot.wait(50)


def test_an_early_child_never_claimed_is_stopped_with_the_rest(qtbot: QtBot, demo: DemoProcess, aloop: object) -> None:

    demo.launch_soon(asyncio.get_event_loop(), ARGUMENTS)
    early_pid = demo.pid
    run(qtbot, demo.stop())
    assert demo.pid is None
    with pytest.raises(ProcessLookupError):
        for _ in range(100):
            os.kill(early_pid or 0, 0)
            qtbot.wait(50)
