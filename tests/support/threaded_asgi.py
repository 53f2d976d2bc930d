"""A Starlette app (a test fake of a venue) served by uvicorn in a thread of its own, on 127.0.0.1 and a
free port, holding garbage collection to the main thread while it runs (tests/support/main_thread_gc.py)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.applications import Starlette

from tests.support import main_thread_gc

HOST = "127.0.0.1"
START_TIMEOUT = 10.0


class ThreadedAsgi:
    """``start`` returns once the server accepts connections (RuntimeError if it cannot); ``stop``
    calls ``on_stop`` first (e.g. to release requests a fault holds), then ends the server."""

    def __init__(self, app: Starlette, name: str, on_stop: Callable[[], None] = lambda: None) -> None:
        self._app, self.name, self._on_stop = app, name, on_stop
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"the {self.name} is already started")
        main_thread_gc.hold()  # no collection in the server's thread (tests/support/main_thread_gc.py)
        # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
        # without it every answer waits ~40 ms for the client's delayed ACK (Nagle).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
        server = uvicorn.Server(config)
        failures: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as error:  # reported to start()'s caller
                failures.append(error)
            finally:
                sock.close()

        self._server = server
        self._thread = threading.Thread(target=run, name=self.name.replace(" ", "-"), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if failures or not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the {self.name} did not start: {failures!r}")
            time.sleep(0.005)

    def stop(self) -> None:
        thread, server = self._thread, self._server
        if thread is None or server is None:
            return
        self._on_stop()
        server.should_exit = True
        thread.join(START_TIMEOUT)
        self._thread = self._server = None
        main_thread_gc.release()
