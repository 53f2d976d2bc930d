"""The demo exchange as a separate process (as the terminal runs it), for Qt and session tests."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import orjson

from terminal.demo.server.app import Endpoints


@contextmanager
def demo_process(*args: str) -> Iterator[Endpoints]:
    command = [sys.executable, "-m", "terminal.demo", "--port", "0", "--history-days", "3", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the demo exchange did not start")
        yield Endpoints(**orjson.loads(line))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
