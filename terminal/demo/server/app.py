"""The demo exchange's whole server: REST, WebSocket and fault routes on one port, and its lifetime.

``DemoServer`` runs it on 127.0.0.1 inside the current event loop (tests, benchmarks) and says
where it listens and with which credentials; ``python -m terminal.demo`` runs it as a process.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable

import uvicorn
from starlette.applications import Starlette

from terminal.demo.endpoints import Endpoints
from terminal.demo.exchange import DemoConfig, DemoExchange, wall_ms
from terminal.demo.server.fault_routes import fault_routes
from terminal.demo.server.rest import json_error_handlers, rest_routes
from terminal.demo.server.ws import ws_routes
from terminal.demo.simulator import MarketSimulator

log = logging.getLogger("terminal.demo")

HOST = "127.0.0.1"


def create_app(exchange: DemoExchange, simulator: MarketSimulator | None = None) -> Starlette:
    """REST, WebSocket and fault routes; with a simulator, a living market from start to shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task: asyncio.Task[None] | None = None
        if simulator is not None:
            simulator.bootstrap()  # history and full books before the first request is served
            gc.freeze()  # the history and books live as long as the process: keep them out of GC passes
            task = asyncio.create_task(simulator.run(stop), name="demo-market")
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(task, timeout=5)

    routes = [*fault_routes(exchange), *rest_routes(exchange), *ws_routes(exchange)]
    return Starlette(routes=routes, exception_handlers=json_error_handlers(), lifespan=lifespan)


class DemoServer:
    """A demo exchange served on a loopback port of this process's event loop."""

    def __init__(
        self,
        config: DemoConfig | None = None,
        *,
        port: int = 0,
        simulate: bool = True,
        clock: Callable[[], int] = wall_ms,
    ) -> None:
        self.exchange = DemoExchange(config, clock=clock)
        self.simulator = MarketSimulator(self.exchange) if simulate else None
        self._port = port
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.endpoints: Endpoints | None = None

    async def start(self) -> Endpoints:
        app = create_app(self.exchange, self.simulator)
        config = uvicorn.Config(
            app,
            host=HOST,
            port=self._port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_keep_alive=30,
            ws_ping_interval=None,  # the venue's own JSON heartbeat is the protocol
        )
        # uvicorn catches SIGINT/SIGTERM while serving, shuts down gracefully, then re-raises them.
        server = uvicorn.Server(config)
        self._server = server
        self._task = asyncio.create_task(server.serve(), name="demo-server")
        while not server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("the demo exchange stopped while starting")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        user = self.exchange.user
        base, stream = f"http://{HOST}:{port}", f"ws://{HOST}:{port}"
        self.endpoints = Endpoints(
            rest_url=base,
            stream_url=stream,
            ws_public_v1=f"{stream}/quote/ws/v1",
            ws_public_v2=f"{stream}/quote/ws/v2",
            ws_private=f"{stream}/api/v1/ws",
            api_key=user.trading_key.key,
            api_secret=user.trading_key.secret,
            readonly_api_key=user.readonly_key.key,
            readonly_api_secret=user.readonly_key.secret,
        )
        return self.endpoints

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        self._server = self._task = None

    async def serve_until(self, stop: asyncio.Event) -> None:
        """Serve until ``stop`` is set or the server ends by itself (a signal, an error)."""
        if self._task is not None:
            waiter = asyncio.create_task(stop.wait())
            await asyncio.wait({waiter, self._task}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
        await self.stop()

    async def __aenter__(self) -> DemoServer:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()
