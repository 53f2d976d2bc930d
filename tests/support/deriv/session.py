"""One client connection's life on the server: register it, read and dispatch its frames, write its queued
messages in order, and close it when it stays silent for the idle timeout (Deriv: two minutes)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from tests.support.deriv.connection import Connection
from tests.support.deriv.dispatch import dispatch
from tests.support.deriv.state import ServerState

IDLE_CLOSE_CODE = 1000
IDLE_CLOSE_REASON = "idle timeout"


async def serve_connection(state: ServerState, ws: ServerConnection) -> None:
    query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
    app_id = query.get("app_id", [""])[0]
    state.journal.add_app_id(app_id)
    if not app_id.isdigit():
        state.journal.add_violation(f"connection without a numeric app_id: {ws.request.path if ws.request else ''}")
    conn = Connection(ws=ws, app_id=app_id, last_seen=time.monotonic())
    state.connections.append(conn)
    writer = asyncio.create_task(_write(conn))
    watchdog = asyncio.create_task(_close_when_idle(state, conn))
    try:
        async for raw in ws:
            conn.last_seen = time.monotonic()  # any message counts as traffic, ping included
            dispatch(state, conn, raw)
    except ConnectionClosed:
        pass
    finally:
        state.connections.remove(conn)
        for task in (writer, watchdog):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _write(conn: Connection) -> None:
    with contextlib.suppress(ConnectionClosed):
        while True:
            await conn.ws.send(await conn.outbox.get())


async def _close_when_idle(state: ServerState, conn: Connection) -> None:
    while True:
        silent_for = time.monotonic() - conn.last_seen
        if silent_for >= state.idle_timeout:
            await conn.ws.close(IDLE_CLOSE_CODE, IDLE_CLOSE_REASON)
            return
        await asyncio.sleep(state.idle_timeout - silent_for)
