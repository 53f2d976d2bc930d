"""The built-in demo exchange as a child process: started for the Demo profile, restarted if it dies, stopped on exit.

It runs in its own process so its CPU never competes with the GUI loop (DESIGN.md). QProcess keeps
it non-blocking: the first line it prints (its URLs and keys, as JSON) resolves ``start``.

Supervision: when the child exits without ``stop()`` (killed, crashed), ``outage`` says why and the
child is started again after 0.5, 1, 2, 4 … (at most 10) seconds, until it runs, emitting ``outage``
with the latest reason after each failed attempt and ``restored`` once it runs again. It is restarted
on the same port with the same arguments, and its keys derive from ``--seed`` (one of those
arguments), so its URLs and keys are the old ones: the terminal's REST and stream clients simply
reconnect. The exchange keeps nothing on disk, so balances, orders and listen keys of the old
process are gone; the restarted one starts from its initial state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import orjson
from PySide6.QtCore import QObject, QProcess, Signal

from terminal.demo.endpoints import Endpoints

log = logging.getLogger("terminal.app.demo")

# The frozen application (PyInstaller) has no "python -m": it runs itself with this flag instead.
DEMO_FLAG = "--run-demo-exchange"
FIRST_RESTART_DELAY_S = 0.5
MAX_RESTART_DELAY_S = 10.0


class DemoProcessError(Exception):
    """The demo exchange did not start; the message says why (with its last error output)."""


def demo_command(arguments: list[str]) -> tuple[str, list[str]]:
    if getattr(sys, "frozen", False):
        return sys.executable, [DEMO_FLAG, *arguments]
    return sys.executable, ["-m", "terminal.demo", *arguments]


def restart_delay(attempt: int) -> float:
    """Seconds to wait before restart ``attempt`` (1, 2, …): 0.5, 1, 2, 4, … at most 10."""
    return min(FIRST_RESTART_DELAY_S * 2.0 ** min(attempt - 1, 16), MAX_RESTART_DELAY_S)


@dataclass(eq=False)
class _Run:
    """One launch of the child: its process, what it printed, when it was ready, when it ended."""

    process: QProcess
    ready: asyncio.Future[Endpoints]
    finished: asyncio.Future[int]
    stdout: bytes = b""
    up: bool = False  # it printed its endpoints and has not exited since
    stderr: deque[str] = field(default_factory=lambda: deque(maxlen=20))
    partial: bytes = b""  # error output after its last line break
    complaint: str = ""  # the exchange's own last error line ("demo exchange: …")


class DemoProcess(QObject):
    """The child demo exchange. ``outage(reason)`` when it dies unasked, ``restored`` when it runs again.

    With ``supervise=False`` an outage is still reported, but the child is not restarted."""

    outage = Signal(str)
    restored = Signal()

    def __init__(self, parent: QObject | None = None, *, supervise: bool = True) -> None:
        super().__init__(parent)
        self.supervise = supervise
        self._run: _Run | None = None
        self._arguments: list[str] = []
        self._timeout = 60.0
        self._port: int | None = None
        self._wanted = False  # on between a successful start and stop(): an exit is then an outage
        self._recovery: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._early: _Run | None = None  # launched by ``launch_soon``, not yet claimed by ``start``
        self.endpoints: Endpoints | None = None

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.process.state() != QProcess.ProcessState.NotRunning

    @property
    def recovering(self) -> bool:
        """It died and is being restarted (``endpoints`` keep the URLs it will have again)."""
        return self._recovery is not None and not self._recovery.done()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        if not self.running or self._run is None:
            return None
        return int(self._run.process.processId()) or None

    async def start(self, arguments: list[str] | None = None, timeout: float = 60.0) -> Endpoints:
        """Start the exchange on a free port with ``arguments``; its endpoints once it serves.

        While it runs (or is being restarted) the endpoints it has are returned as they are."""
        if self.endpoints is not None and (self.running or self.recovering):
            return self.endpoints
        self._loop = asyncio.get_running_loop()
        early, self._early = self._early, None
        if early is not None and early is self._run and list(arguments or []) == self._arguments:
            self.endpoints = await self._until_ready(early)  # launched before the loop ran: just wait
        else:
            self._arguments, self._timeout = list(arguments or []), timeout
            log.info("starting the demo exchange")
            self.endpoints = await self._launch(0)
        self._port = urlsplit(self.endpoints.rest_url).port
        self._wanted = True
        log.info("demo exchange running at %s", self.endpoints.rest_url)
        return self.endpoints

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop the exchange and its supervision: nothing is restarted after this."""
        self._wanted = False
        self._early = None
        recovery, self._recovery = self._recovery, None
        if recovery is not None and not recovery.done():
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery
        await self._end_run(timeout)
        self.endpoints = None
        self._port = None

    def launch_soon(self, loop: asyncio.AbstractEventLoop, arguments: list[str] | None = None) -> None:
        """Start the child now, before ``loop`` runs, without waiting for it: it boots while the
        caller builds the window. ``start`` with the same arguments then waits for this child
        instead of starting another; with other arguments (or never) it is replaced or stopped as
        any child is."""
        if self._run is not None:
            return
        self._arguments = list(arguments or [])
        log.info("starting the demo exchange early")
        self._early = self._spawn(loop, 0)

    # ---- launching ----------------------------------------------------------------------------

    async def _launch(self, port: int) -> Endpoints:
        """Start one child on ``port`` (0: any free port) and wait until it prints its endpoints."""
        await self._end_run()  # a child that has exited: forget it
        return await self._until_ready(self._spawn(asyncio.get_running_loop(), port))

    def _spawn(self, loop: asyncio.AbstractEventLoop, port: int) -> _Run:
        process = QProcess(self)
        run = _Run(process, loop.create_future(), loop.create_future())
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.readyReadStandardOutput.connect(lambda: self._read_stdout(run))
        process.readyReadStandardError.connect(lambda: self._read_stderr(run))
        process.finished.connect(lambda code, status: self._on_finished(run, code, status))
        process.errorOccurred.connect(lambda error: self._on_error(run, error))
        program, args = demo_command(["--port", str(port), *self._arguments])
        self._run = run
        process.start(program, args)
        return run

    async def _until_ready(self, run: _Run) -> Endpoints:
        try:
            endpoints = await asyncio.wait_for(asyncio.shield(run.ready), self._timeout)
        except TimeoutError:
            await self._end_run()
            reason = f"the demo exchange did not start within {self._timeout:.0f} s{_last_error(run)}"
            raise DemoProcessError(reason) from None
        except (DemoProcessError, asyncio.CancelledError):
            await self._end_run()
            raise
        run.up = True
        return endpoints

    async def _end_run(self, timeout: float = 10.0) -> None:
        """Terminate the current child (kill it if it lingers) and forget it."""
        run, self._run = self._run, None
        if run is None:
            return
        process = run.process
        if process.state() != QProcess.ProcessState.NotRunning:
            process.terminate()
            try:
                await asyncio.wait_for(asyncio.shield(run.finished), timeout)
            except TimeoutError:
                log.warning("the demo exchange did not stop in %.0f s; killing it", timeout)
                process.kill()
                await asyncio.wait_for(asyncio.shield(run.finished), timeout)
        # The slots are closures holding this object: for a DemoProcess without a Qt parent they may be
        # its last reference. Left connected, the deferred deletion of the process would release them,
        # delete this object and with it, as its child, the very QProcess being deleted: a crash.
        _disconnect(process)
        process.deleteLater()  # its parent (this object) deletes it first if it goes sooner

    # ---- supervision ----------------------------------------------------------------------------

    async def _recover(self, port: int, reason: str) -> None:
        """Restart the child on ``port`` until it runs; ``outage`` after every failure."""
        attempt = 0
        while self._wanted:
            attempt += 1
            delay = restart_delay(attempt)
            log.warning("%s; restart attempt %d in %.1f s", reason, attempt, delay)
            await asyncio.sleep(delay)
            try:
                endpoints = await self._launch(port)
            except (DemoProcessError, TimeoutError) as error:  # TimeoutError: a child that would not die
                reason = str(error) or "the demo exchange did not stop when told to"
                self.outage.emit(reason)
                continue
            if endpoints != self.endpoints:
                log.warning("the restarted demo exchange has other endpoints than before: %s", endpoints.rest_url)
            self.endpoints = endpoints
            log.info("demo exchange running again at %s after %d attempt(s)", endpoints.rest_url, attempt)
            self.restored.emit()
            return

    def _start_recovery(self, reason: str) -> None:
        self.outage.emit(reason)
        loop, port = self._loop, self._port
        if not self.supervise or self.recovering or port is None or loop is None or loop.is_closed():
            return
        self._recovery = loop.create_task(self._recover(port, reason), name="demo-exchange-restart")
        self._recovery.add_done_callback(_log_failure)

    # ---- QProcess signals (plain slots: they never raise and never block) -------------------

    def _read_stdout(self, run: _Run) -> None:
        run.stdout += bytes(run.process.readAllStandardOutput().data())
        if b"\n" in run.stdout and not run.ready.done():
            first = run.stdout.split(b"\n", 1)[0]
            try:
                run.ready.set_result(Endpoints(**orjson.loads(first)))
            except (orjson.JSONDecodeError, TypeError) as exc:
                run.ready.set_exception(DemoProcessError(f"the demo exchange printed {first[:120]!r}: {exc}"))

    def _read_stderr(self, run: _Run, *, final: bool = False) -> None:
        *lines, run.partial = (run.partial + bytes(run.process.readAllStandardError().data())).split(b"\n")
        if final:
            lines, run.partial = [*lines, run.partial], b""
        for raw in lines:
            text_line = raw.decode(errors="replace").rstrip()
            if text_line:
                run.stderr.append(text_line)
                if text_line.startswith("demo exchange: "):
                    run.complaint = text_line
                log.debug("demo exchange: %s", text_line)

    def _on_finished(self, run: _Run, code: int, status: QProcess.ExitStatus) -> None:
        self._read_stderr(run, final=True)
        if not run.ready.done():
            run.ready.set_exception(DemoProcessError(f"the demo exchange exited with code {code}{_last_error(run)}"))
        if not run.finished.done():
            run.finished.set_result(code)
        crashed = status == QProcess.ExitStatus.CrashExit
        if code != 0 or crashed:
            log.warning("the demo exchange exited with code %d%s", code, _last_error(run))
        was_up, run.up = run.up, False
        if was_up and run is self._run and self._wanted:
            how = f"killed by signal {code}" if crashed and sys.platform != "win32" else f"exit code {code}"
            self._start_recovery(f"the demo exchange stopped ({how}){_last_error(run)}")

    def _on_error(self, run: _Run, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            if not run.ready.done():
                run.ready.set_exception(DemoProcessError(f"could not start {sys.executable}"))
            if not run.finished.done():
                run.finished.set_result(-1)


def _disconnect(process: QProcess) -> None:
    """Drop the slots ``_launch`` connected to ``process`` (and the references they hold)."""
    for signal in (
        process.readyReadStandardOutput,
        process.readyReadStandardError,
        process.finished,
        process.errorOccurred,
    ):
        signal.disconnect()


def _last_error(run: _Run) -> str:
    """The exchange's own last complaint ("demo exchange: …"), else the last line of its error output
    (uvicorn and asyncio may write tracebacks after the exchange has said what went wrong)."""
    last = run.complaint or (run.stderr[-1] if run.stderr else "")
    return f": {last}" if last else ""


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("restarting the demo exchange failed", exc_info=task.exception())
