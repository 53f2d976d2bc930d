"""One WebSocket connection of the demo exchange: a reader, a writer task, a bounded outbox, closing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

log = logging.getLogger("terminal.demo.ws")

DEFAULT_QUEUE_LIMIT = 10_000  # messages (or buffered trades) one connection may have waiting
CLOSE_TIMEOUT_S = 2.0  # how long a close frame may wait for a client that does not read

# Close codes and reasons (the document names none; these say plainly what happened).
CLOSE_DROPPED = (1001, "dropped by the demo exchange")
CLOSE_SLOW_CLIENT = (1008, "send queue overflow: client too slow")
CLOSE_LISTEN_KEY = (4001, "invalid listen key: expired or deleted")
CLOSE_NO_HEARTBEAT = (4002, "no heartbeat from the client")


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message waiting to be sent: rendered only when its turn comes (and if still allowed)."""

    render: Callable[[], Any]  # the JSON value; None: nothing to send after all
    topic: str | None = None  # public topic and symbol, for paused streams; None for replies
    symbol: str | None = None
    subscribed_ms: int | None = None  # when the subscription it belongs to began (paused streams)


class Handler(Protocol):
    """What a stream protocol (public v1, v2, private) plugs into a session."""

    def on_text(self, text: str) -> None:
        """One message from the client (answers go through ``Session.push``)."""

    def collect(self) -> list[Outgoing]:
        """Messages due now from dirty or periodic topics; called on every wake of the writer."""

    def allowed(self, message: Outgoing) -> bool:
        """Whether ``message`` may go out now (fault injection, a listen key still valid)."""

    async def background(self) -> None:
        """Runs for the whole connection (the periodic ticker, the private heartbeat)."""

    def close(self) -> None:
        """Stop listening to the exchange."""


def new_channel_id() -> str:
    # Shaped like the document's "02ac86fffe5fdf52-00000001-00266eb0-74a37ad40fb20d81-0cda790b".
    return "-".join(secrets.token_hex(n) for n in (8, 4, 4, 8, 4))


class Session:
    """One accepted socket: a reader, a writer task, the handler's background task, a bounded outbox.

    Exchange events never wait for a socket: bus callbacks only queue a message or mark a topic
    dirty and wake the writer, which renders and sends. A client too slow to keep its outbox under
    the limit is closed rather than left to grow memory.
    """

    def __init__(self, websocket: WebSocket, *, queue_limit: int = DEFAULT_QUEUE_LIMIT) -> None:
        self.websocket = websocket
        self.queue_limit = queue_limit
        self.channel_id = new_channel_id()
        self.loop = asyncio.get_running_loop()
        self.last_heard = self.loop.time()  # when the client last sent anything (loop time, s)
        self._outbox: deque[tuple[int, Outgoing]] = deque()
        self._pushed = 0  # how many messages were ever queued (their sequence numbers)
        self._wake = asyncio.Event()
        self._close_requested = asyncio.Event()
        self._close: tuple[int, str] | None = None
        self._done = asyncio.Event()

    # ---- called from bus callbacks and handlers (never block) -----------------------------------

    def push(self, message: Outgoing) -> None:
        """Queue ``message``; a full outbox closes the connection instead."""
        if self._close is not None:
            return
        if len(self._outbox) >= self.queue_limit:
            self._outbox.clear()
            self.request_close(*CLOSE_SLOW_CLIENT)
            return
        self._pushed += 1
        self._outbox.append((self._pushed, message))
        self._wake.set()

    def wake(self) -> None:
        """Something became dirty: let the writer collect it."""
        self._wake.set()

    def request_close(self, code: int, reason: str) -> None:
        if self._close is None:
            self._close = (code, reason)
            self._close_requested.set()

    async def drop(self) -> None:
        """Close the connection (for ``Connections.drop_all``) and wait until it has ended."""
        self.request_close(*CLOSE_DROPPED)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._done.wait(), CLOSE_TIMEOUT_S + 1.0)

    # ---- the connection's life ----------------------------------------------------------------

    async def run(self, handler: Handler) -> None:
        """Serve an accepted socket until the client leaves or a close is requested."""
        tasks = [
            asyncio.create_task(self._read(handler), name="ws-read"),
            asyncio.create_task(self._write(handler), name="ws-write"),
            asyncio.create_task(handler.background(), name="ws-background"),
            asyncio.create_task(self._close_requested.wait(), name="ws-close-requested"),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            handler.close()
            try:
                await self._close_socket()
            finally:
                self._done.set()
        for result in results:
            if isinstance(result, Exception) and not _is_disconnect(result):
                raise result

    async def _read(self, handler: Handler) -> None:
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            self.last_heard = self.loop.time()
            text = message.get("text")
            if text is None:
                text = (message.get("bytes") or b"").decode("utf-8", errors="replace")
            handler.on_text(text)

    async def _write(self, handler: Handler) -> None:
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                await self._flush(handler)
        except (WebSocketDisconnect, OSError):
            return  # the client is gone; the reader sees it too

    async def _flush(self, handler: Handler) -> None:
        """Send what is due. A queued message goes out only after the topics that were dirty when it
        was queued: a pong answers a ping only once everything the ping followed has been sent."""
        while True:
            mark = self._pushed
            for message in handler.collect():
                await self._send(handler, message)
            while self._outbox and self._outbox[0][0] <= mark:
                await self._send(handler, self._outbox.popleft()[1])
            if not self._outbox:
                return

    async def _send(self, handler: Handler, message: Outgoing) -> None:
        if self._close is not None or not handler.allowed(message):
            return
        body = message.render()
        if body is None:
            return
        await self.websocket.send_text(orjson.dumps(body).decode())

    async def _close_socket(self) -> None:
        ws = self.websocket
        if ws.application_state != WebSocketState.CONNECTED or ws.client_state == WebSocketState.DISCONNECTED:
            return
        code, reason = self._close or (1000, "")
        try:
            await asyncio.wait_for(ws.close(code, reason), CLOSE_TIMEOUT_S)
        except (TimeoutError, WebSocketDisconnect, OSError, RuntimeError) as exc:
            log.debug("closing a WebSocket failed: %r", exc)


def _is_disconnect(error: BaseException) -> bool:
    return isinstance(error, (WebSocketDisconnect, OSError, asyncio.CancelledError))
