"""The demo exchange's WebSocket routes at the venue's paths (004, "Access URL")."""

from __future__ import annotations

from starlette.routing import BaseRoute, WebSocketRoute
from starlette.websockets import WebSocket

from terminal.demo.exchange import DemoExchange
from terminal.demo.faults import Endpoint
from terminal.demo.server.ws_cache import WireCache
from terminal.demo.server.ws_private import PrivateFeed
from terminal.demo.server.ws_public import PublicFeed, Version
from terminal.demo.server.ws_session import CLOSE_LISTEN_KEY, DEFAULT_QUEUE_LIMIT, Handler, Session

# The refused-streams fault: 1013 is "Try Again Later" (RFC 6455). Closing before accepting is
# answered with HTTP 403, so a client sees a refused upgrade, not this code.
CLOSE_REFUSED = (1013, "the demo exchange refuses stream connections for now")


def ws_routes(exchange: DemoExchange, *, queue_limit: int = DEFAULT_QUEUE_LIMIT) -> list[BaseRoute]:
    """``/quote/ws/v1`` and ``/quote/ws/v2`` (public market data), ``/api/v1/ws/{listenKey}`` (user data).

    Every accepted socket is registered in ``exchange.connections``, so that fault injection can
    count and drop it; while the faults refuse streams every handshake is answered HTTP 403;
    ``queue_limit`` bounds what one slow client may have waiting.
    """
    cache = WireCache(exchange)  # shared by every public connection: one rendering serves them all

    async def refused(websocket: WebSocket) -> bool:
        """Turn the handshake away (a close before accepting is answered with HTTP 403)."""
        if not exchange.faults.streams_refused(exchange.now_ms()):
            return False
        await websocket.close(*CLOSE_REFUSED)
        return True

    async def serve(session: Session, endpoint: Endpoint, handler: Handler) -> None:
        handle = exchange.connections.add(endpoint, session.drop)
        try:
            await session.run(handler)
        finally:
            exchange.connections.remove(handle)

    async def public(websocket: WebSocket, version: Version) -> None:
        if await refused(websocket):
            return
        await websocket.accept()
        session = Session(websocket, queue_limit=queue_limit)
        endpoint: Endpoint = "public_v1" if version == "v1" else "public_v2"
        await serve(session, endpoint, PublicFeed(exchange, cache, session, version))

    async def public_v1(websocket: WebSocket) -> None:
        await public(websocket, "v1")

    async def public_v2(websocket: WebSocket) -> None:
        await public(websocket, "v2")

    async def private(websocket: WebSocket) -> None:
        if await refused(websocket):
            return
        listen_key = str(websocket.path_params["listenKey"])
        account_id = exchange.listen_keys.account_of(listen_key, exchange.now_ms())
        if account_id is None:
            # Refused at the handshake: a close before accepting is answered with HTTP 403. (A denial
            # response with a JSON body would be nicer, but uvicorn 0.54 logs each one as an error.)
            await websocket.close(*CLOSE_LISTEN_KEY)
            return
        await websocket.accept()
        session = Session(websocket, queue_limit=queue_limit)
        await serve(session, "private", PrivateFeed(exchange, session, listen_key, account_id))

    return [
        WebSocketRoute("/quote/ws/v1", public_v1),
        WebSocketRoute("/quote/ws/v2", public_v2),
        WebSocketRoute("/api/v1/ws/{listenKey}", private),
    ]
