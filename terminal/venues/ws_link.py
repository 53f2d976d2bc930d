"""One WebSocket endpoint kept open for as long as it is wanted.

Connects, reports every state change, keeps the link alive (client pings answered by pongs, or
at least some traffic within ``idle_timeout``), and reconnects with capped exponential backoff and
jitter when the link drops. After each (re)connect ``on_open`` runs before the link reports LIVE:
that is where a stream re-subscribes or reconciles what it may have missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential_jitter
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from terminal.domain.redaction import protect_library_loggers, redact
from terminal.venues.base import ConnectionEvent, ConnectionState
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.venues.ws")


class LinkDown(Exception):
    """The link could not be opened or was lost; the reason is the message."""


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """How a link proves it is alive.

    With ``ping`` set, the client sends ``ping()`` every ``interval`` seconds and expects the
    stream to call ``Link.pong()`` within ``timeout``; in any case a link that receives nothing for
    ``idle_timeout`` seconds is dropped and reopened.
    """

    interval: float = 10.0
    timeout: float = 5.0
    idle_timeout: float = 60.0
    ping: Callable[[], object] | None = None


@dataclass(frozen=True, slots=True)
class Backoff:
    initial: float = 0.5
    maximum: float = 30.0
    jitter: float = 0.5
    # A connection that stayed up this long counts as healthy: the next drop reconnects at once.
    healthy_after: float = 10.0


class Link:
    def __init__(
        self,
        name: str,
        url: Callable[[], Awaitable[str]],
        *,
        on_message: Callable[[Any], None],
        sink: Callable[[ConnectionEvent], None],
        on_open: Callable[[], Awaitable[None]] | None = None,
        on_refused: Callable[[InvalidStatus], Awaitable[None]] | None = None,
        heartbeat: Heartbeat | None = None,
        backoff: Backoff | None = None,
        open_timeout: float = 10.0,
    ) -> None:
        self.name = name
        self._url = url
        self._on_message = on_message
        self._sink = sink
        self._on_open = on_open
        self._on_refused = on_refused
        self._heartbeat = heartbeat or Heartbeat()
        self._backoff = backoff or Backoff()
        self._open_timeout = open_timeout
        self._socket: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._pong = asyncio.Event()
        self._last_message = 0.0
        self._live = False
        self._drop_reason = ""
        self._ping_sent: float | None = None
        self.round_trip_ms: float | None = None
        protect_library_loggers()

    # ---- control ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"ws-{self.name}")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._emit(ConnectionState.CLOSED)

    @property
    def live(self) -> bool:
        return self._live

    async def send(self, message: object) -> bool:
        """Send one JSON message; False when the link is down (``on_open`` will restore state)."""
        socket = self._socket
        if socket is None:
            return False
        try:
            await socket.send(orjson.dumps(message).decode())
        except (ConnectionClosed, WebSocketException, OSError):
            return False
        return True

    async def drop(self, reason: str) -> None:
        """Close the current socket so that the link reconnects (the heartbeat's verdict)."""
        socket = self._socket
        if socket is not None:
            log.warning("%s: %s; reconnecting", self.name, reason)
            self._drop_reason = reason
            await socket.close(code=4000, reason=reason[:100])

    def pong(self) -> None:
        """The stream saw the answer to our ping: the round trip is measured on our own clock."""
        if self._ping_sent is not None:
            self.round_trip_ms = (time.monotonic() - self._ping_sent) * 1000
            self._ping_sent = None
        self._pong.set()

    # ---- the connection loop -------------------------------------------------------------

    def _emit(self, state: ConnectionState, attempt: int = 0, delay: float = 0.0, reason: str = "") -> None:
        self._sink(ConnectionEvent(self.name, state, attempt, delay, reason))

    async def _run(self) -> None:
        try:
            await self._reconnect_forever()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug, not a network fault: say so instead of dying silently
            log.exception("%s: the connection loop failed", self.name)
            self._emit(ConnectionState.FAILED, reason=f"internal error: {exc}")

    async def _reconnect_forever(self) -> None:
        while True:
            retrying = AsyncRetrying(
                wait=wait_exponential_jitter(
                    multiplier=self._backoff.initial, max=self._backoff.maximum, jitter=self._backoff.jitter
                ),
                retry=retry_if_exception_type(LinkDown),
                before_sleep=self._before_retry,
                reraise=True,
            )
            async for attempt in retrying:
                with attempt:
                    await self._session(attempt.retry_state.attempt_number)

    def _before_retry(self, state: RetryCallState) -> None:
        delay = state.next_action.sleep if state.next_action else 0.0
        error = state.outcome.exception() if state.outcome else None
        reason = str(error) if error else "connection lost"
        self._emit(ConnectionState.RECONNECTING, state.attempt_number, delay, reason)
        log.info("%s: reconnecting in %.1f s (attempt %d): %s", self.name, delay, state.attempt_number, reason)

    async def _session(self, attempt: int) -> None:
        """One connection from open to loss. Returns after a healthy run, raises LinkDown otherwise."""
        self._emit(ConnectionState.CONNECTING, attempt)
        try:
            url = await self._url()
        except VenueError as exc:  # e.g. the listen key could not be made (429, venue unreachable): try later
            raise LinkDown(f"cannot get the stream address: {redact(str(exc))}") from None
        started = time.monotonic()
        self._drop_reason = ""
        try:
            socket = await connect(
                url,
                open_timeout=self._open_timeout,
                ping_interval=None,  # the venue's own JSON heartbeat is used instead
                close_timeout=2,
                max_size=16 * 1024 * 1024,
                max_queue=1024,
                proxy=None if _is_loopback(url) else True,
                user_agent_header="trading-terminal",
            )
        except InvalidStatus as exc:
            if self._on_refused is not None:
                await self._on_refused(exc)
            raise LinkDown(f"refused by the venue (HTTP {exc.response.status_code})") from None
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise LinkDown(f"cannot connect: {redact(str(exc)) or type(exc).__name__}") from None
        self._socket = socket
        self._last_message = time.monotonic()
        watchdog = asyncio.create_task(self._watch(socket), name=f"ws-{self.name}-heartbeat")
        # Messages are read from the first moment, also while on_open restores state: the venue's
        # pings must be answered however long that takes.
        opening = asyncio.create_task(self._open(socket), name=f"ws-{self.name}-open")
        try:
            async for raw in socket:
                self._last_message = time.monotonic()
                self._deliver(raw)
        except ConnectionClosed:
            pass
        finally:
            self._live = False
            self._socket = None
            for task in (watchdog, opening):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await socket.close()
        reason = self._drop_reason or _close_reason(socket)
        if time.monotonic() - started < self._backoff.healthy_after:
            raise LinkDown(reason)
        self._emit(ConnectionState.RECONNECTING, 1, 0.0, reason)

    async def _open(self, socket: ClientConnection) -> None:
        """Run ``on_open``, then report LIVE; if it fails, close the socket to start over."""
        if self._on_open is not None:
            try:
                await self._on_open()
            except Exception as exc:  # whatever restoring state failed on, the link is not usable
                log.warning("%s: could not restore state after connecting: %s", self.name, exc)
                self._drop_reason = f"could not restore state: {redact(str(exc))}"
                await socket.close(code=4000, reason="state not restored")
                return
        self._live = True
        self._emit(ConnectionState.LIVE)

    def _deliver(self, raw: str | bytes) -> None:
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            log.warning("%s: ignored a message that is not JSON: %.80r", self.name, raw)
            return
        try:
            self._on_message(message)
        except Exception:  # a bad message must not take the stream down
            log.exception("%s: could not handle a message: %.200r", self.name, raw)

    async def _watch(self, socket: ClientConnection) -> None:
        beat = self._heartbeat
        while True:
            if beat.ping is not None:
                self._pong.clear()
                self._ping_sent = time.monotonic()
                await self.send(beat.ping())
                try:
                    await asyncio.wait_for(self._pong.wait(), beat.timeout)
                except TimeoutError:
                    await self.drop(f"no pong within {beat.timeout:g} s")
                    return
                await asyncio.sleep(max(0.0, beat.interval - beat.timeout))
            else:
                await asyncio.sleep(min(beat.interval, beat.idle_timeout))
            if time.monotonic() - self._last_message > beat.idle_timeout:
                await self.drop(f"nothing received for {beat.idle_timeout:g} s")
                return


def _close_reason(socket: ClientConnection) -> str:
    code, reason = socket.close_code, socket.close_reason
    if code is None:
        return "connection lost"
    return f"closed by the venue ({code}{': ' + reason if reason else ''})"


def _is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")
