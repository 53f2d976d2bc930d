"""A Deriv-protocol WebSocket server on loopback for end-to-end tests: its own asyncio loop in a daemon thread,
so any test (async, Qt or plain) talks to it as to the real venue and steers it through a thread-safe API."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import threading
from collections.abc import Callable
from decimal import Decimal
from http import HTTPStatus
from types import TracebackType
from typing import TypeVar
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from tests.support import main_thread_gc
from tests.support.deriv.accounts import Grant
from tests.support.deriv.contracts import Contract
from tests.support.deriv.schemas import METHODS, method_of
from tests.support.deriv.session import serve_connection
from tests.support.deriv.state import ServerState
from tests.support.deriv.streams import push_status
from tests.support.deriv.ticker import run_ticker
from tests.support.deriv.wire import JSON, DerivError

__all__ = ["DerivTestServer", "Grant"]

T = TypeVar("T")
PATH = "/websockets/v3"
HOST = "127.0.0.1"
_CONTROL_TIMEOUT = 10.0


class DerivTestServer:
    def __init__(self, tick_interval: float = 0.2, idle_timeout: float = 120.0, seed: int = 7) -> None:
        self._state = ServerState(seed=seed, tick_interval=tick_interval, idle_timeout=idle_timeout)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Server | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._port = 0

    # -- life --------------------------------------------------------------------------------------------------

    def start(self) -> DerivTestServer:
        if self._thread is not None:
            raise RuntimeError("the Deriv test server is already started")
        main_thread_gc.hold()  # no collection in the server's thread (tests/support/main_thread_gc.py)
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failures: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
            except BaseException as error:  # reported to start()'s caller
                failures.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="deriv-test-server", daemon=True)
        self._thread.start()
        if not ready.wait(_CONTROL_TIMEOUT) or failures:
            main_thread_gc.release()  # stop() will not run for a server that never started
            if failures:
                raise failures[0]
            raise TimeoutError("the Deriv test server did not start")
        return self

    def stop(self) -> None:
        thread, loop = self._thread, self._loop
        if thread is None or loop is None or not thread.is_alive():
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_CONTROL_TIMEOUT)
        main_thread_gc.release()

    def __enter__(self) -> DerivTestServer:
        return self if self._thread is not None else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self._port}{PATH}"

    # -- steering ----------------------------------------------------------------------------------------------

    def add_token(self, token: str, grant: Grant) -> None:
        self._call(lambda: self._state.bank.add_token(token, grant, self._state.now()))

    def fail_next(self, method: str, code: str, message: str, details: JSON | None = None) -> None:
        """Answer the next valid request of ``method`` with this error instead of handling it (queued per method)."""
        _known(method)
        self._call(lambda: self._state.failures[method].append(DerivError(code, message, details)))

    def swallow_next(self, method: str) -> None:
        """Handle the next request of ``method`` in full (a buy does buy) but send it no answer."""
        _known(method)

        def swallow() -> None:
            self._state.swallows[method] += 1

        self._call(swallow)

    def set_limits(
        self,
        *,
        general_per_minute: int | None = None,
        pricing_per_minute: int | None = None,
        outcome_per_minute: int | None = None,
        max_proposals: int | None = None,
    ) -> None:
        """Change what website_status reports and what is enforced; website_status subscribers hear of it."""
        changes = {
            "general_per_minute": general_per_minute,
            "pricing_per_minute": pricing_per_minute,
            "outcome_per_minute": outcome_per_minute,
            "max_proposals": max_proposals,
        }

        def apply() -> None:
            for name, number in changes.items():
                if number is not None:
                    setattr(self._state.limits, name, number)
            push_status(self._state)

        self._call(apply)

    def drop_connections(self) -> int:
        """Cut every client connection without a close frame, as a network drop would; returns how many."""

        def drop() -> int:
            for conn in self._state.connections:
                conn.ws.transport.abort()
            return len(self._state.connections)

        return self._call(drop)

    # -- observing ---------------------------------------------------------------------------------------------

    @property
    def violations(self) -> list[str]:
        return self._state.journal.violations()

    @property
    def requests(self) -> list[JSON]:
        return self._state.journal.requests()

    def requests_of(self, method: str) -> list[JSON]:
        return [request for request in self.requests if method_of(request) == method]

    @property
    def app_ids(self) -> list[str]:
        return self._state.journal.app_ids()

    def subscriptions(self) -> dict[str, str]:
        """Live subscription id -> the method name of the request that opened it, over all connections."""
        return self._call(
            lambda: {
                key: sub.request.method for conn in self._state.connections for key, sub in conn.subscriptions.items()
            }
        )

    @property
    def connection_count(self) -> int:
        return self._call(lambda: len(self._state.connections))

    def contracts_of(self, login_id: str) -> list[Contract]:
        """Copies of the account's contracts, oldest first."""
        return self._call(lambda: copy.deepcopy(list(self._state.bank.account(login_id).contracts.values())))

    def balance_of(self, login_id: str) -> Decimal:
        return self._call(lambda: self._state.bank.account(login_id).balance)

    # -- inside the server's thread ----------------------------------------------------------------------------

    async def _open(self) -> None:
        async def handle(ws: ServerConnection) -> None:
            await serve_connection(self._state, ws)

        self._server = await serve(handle, HOST, 0, process_request=_check_path)
        self._port = self._server.sockets[0].getsockname()[1]
        self._ticker = asyncio.create_task(run_ticker(self._state))

    async def _close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _call(self, action: Callable[[], T]) -> T:
        """Run ``action`` on the server's loop (the only thread that touches its state) and return its result."""
        loop = self._loop
        if loop is None or not loop.is_running() or threading.current_thread() is self._thread:
            return action()

        async def run() -> T:
            return action()

        return asyncio.run_coroutine_threadsafe(run(), loop).result(_CONTROL_TIMEOUT)


def _check_path(connection: ServerConnection, request: Request) -> Response | None:
    if urlsplit(request.path).path != PATH:
        return connection.respond(HTTPStatus.NOT_FOUND, "Not Found\n")
    return None


def _known(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"not a method this server speaks: {method}")
