"""The built-in demo exchange as a child process: started for the Demo profile, stopped on exit.

It runs in its own process so its CPU never competes with the GUI loop (DESIGN.md). QProcess keeps
it non-blocking: the first line it prints (its URLs and keys, as JSON) resolves ``start``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import deque

import orjson
from PySide6.QtCore import QObject, QProcess

from terminal.demo.server.app import Endpoints

log = logging.getLogger("terminal.app.demo")

# The frozen application (PyInstaller) has no "python -m": it runs itself with this flag instead.
DEMO_FLAG = "--run-demo-exchange"


class DemoProcessError(Exception):
    """The demo exchange did not start; the message says why (with its last error output)."""


def demo_command(arguments: list[str]) -> tuple[str, list[str]]:
    if getattr(sys, "frozen", False):
        return sys.executable, [DEMO_FLAG, *arguments]
    return sys.executable, ["-m", "terminal.demo", *arguments]


class DemoProcess(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: QProcess | None = None
        self._ready: asyncio.Future[Endpoints] | None = None
        self._finished: asyncio.Future[int] | None = None
        self._stdout = b""
        self._stderr: deque[str] = deque(maxlen=20)
        self.endpoints: Endpoints | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    async def start(self, arguments: list[str] | None = None, timeout: float = 60.0) -> Endpoints:
        if self.running and self.endpoints is not None:
            return self.endpoints
        loop = asyncio.get_running_loop()
        self._ready, self._finished = loop.create_future(), loop.create_future()
        self._stdout = b""
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        program, args = demo_command(["--port", "0", *(arguments or [])])
        self._process = process
        log.info("starting the demo exchange")
        process.start(program, args)
        try:
            self.endpoints = await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except TimeoutError:
            await self.stop()
            reason = f"the demo exchange did not start within {timeout:.0f} s{self._last_error()}"
            raise DemoProcessError(reason) from None
        log.info("demo exchange running at %s", self.endpoints.rest_url)
        return self.endpoints

    async def stop(self, timeout: float = 10.0) -> None:
        process = self._process
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning and self._finished is not None:
            process.terminate()
            try:
                await asyncio.wait_for(asyncio.shield(self._finished), timeout)
            except TimeoutError:
                log.warning("the demo exchange did not stop in %.0f s; killing it", timeout)
                process.kill()
                await asyncio.wait_for(asyncio.shield(self._finished), timeout)
        self._process = None
        self.endpoints = None
        process.deleteLater()

    def _read_stdout(self) -> None:
        if self._process is None:
            return
        self._stdout += bytes(self._process.readAllStandardOutput().data())
        if b"\n" in self._stdout and self._ready is not None and not self._ready.done():
            first = self._stdout.split(b"\n", 1)[0]
            try:
                self._ready.set_result(Endpoints(**orjson.loads(first)))
            except (orjson.JSONDecodeError, TypeError) as exc:
                self._ready.set_exception(DemoProcessError(f"the demo exchange printed {first[:120]!r}: {exc}"))

    def _read_stderr(self) -> None:
        if self._process is None:
            return
        text = bytes(self._process.readAllStandardError().data()).decode(errors="replace")
        for text_line in text.splitlines():
            if text_line.strip():
                self._stderr.append(text_line)
                log.debug("demo exchange: %s", text_line)

    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self._ready is not None and not self._ready.done():
            reason = f"the demo exchange exited with code {code}{self._last_error()}"
            self._ready.set_exception(DemoProcessError(reason))
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(code)
        if code != 0:
            log.warning("the demo exchange exited with code %d%s", code, self._last_error())

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            if self._ready is not None and not self._ready.done():
                self._ready.set_exception(DemoProcessError(f"could not start {sys.executable}"))
            if self._finished is not None and not self._finished.done():
                self._finished.set_result(-1)

    def _last_error(self) -> str:
        return f": {self._stderr[-1]}" if self._stderr else ""
