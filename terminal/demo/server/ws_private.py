"""The private user-data stream of one listen key (004, "User Data Stream", "PrivateStream Heartbeat")."""

from __future__ import annotations

import asyncio

import orjson

from terminal.demo.events import BalanceUpdate, ExecutionReport, TicketInfo
from terminal.demo.exchange import DemoExchange
from terminal.demo.server import ws_wire as wire
from terminal.demo.server.ws_session import CLOSE_LISTEN_KEY, CLOSE_NO_HEARTBEAT, Outgoing, Session

KEY_CHECK_S = 1.0  # how often (at most) a quiet connection checks that its listen key still lives
PRIVATE = "private"  # the topic tag of pushed events (checked against the key before sending)

PrivateEvent = BalanceUpdate | ExecutionReport | TicketInfo


class PrivateFeed:
    """The ``Handler`` of a private connection.

    Each balance update, execution report and ticket of the key's account is pushed as a JSON array
    holding that one event, in the order the exchange produced them (one event per array: common
    clients read only the first element). The server pings every ``ping_interval_s``; a client that
    sends nothing for ``pong_timeout_s`` is dropped, and so is the connection of a listen key that
    expires or is deleted (checked every second, or every ping interval if shorter, and before
    every push).
    """

    def __init__(self, exchange: DemoExchange, session: Session, listen_key: str, account_id: str) -> None:
        self.exchange = exchange
        self.session = session
        self.listen_key = listen_key
        self._stop = exchange.bus.subscribe(("private", account_id), self._on_event)

    def _on_event(self, event: PrivateEvent) -> None:
        self.session.push(Outgoing(lambda: wire.private_event(event), PRIVATE))

    def on_text(self, text: str) -> None:
        # Any message proves the client alive (the session notes when). Pongs need no answer, and
        # neither do the subscription requests the document's sample client sends here.
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            body = wire.error("-1004", "Bad request")
            self.session.push(Outgoing(lambda: body))
            return
        if isinstance(message, dict) and "ping" in message:
            self.session.push(Outgoing(lambda: wire.pong(self.exchange.now_ms())))

    def collect(self) -> list[Outgoing]:
        return []

    def allowed(self, message: Outgoing) -> bool:
        if message.topic == PRIVATE and not self._key_alive():
            self.session.request_close(*CLOSE_LISTEN_KEY)
            return False
        return True

    def _key_alive(self) -> bool:
        return self.exchange.listen_keys.account_of(self.listen_key, self.exchange.now_ms()) is not None

    async def background(self) -> None:
        """Server pings, the client's silence, the listen key's life."""
        config = self.exchange.config
        loop = self.session.loop
        next_ping = loop.time() + config.ping_interval_s
        check_every = min(KEY_CHECK_S, config.ping_interval_s)
        while True:
            now = loop.time()
            if now - self.session.last_heard >= config.pong_timeout_s:
                self.session.request_close(*CLOSE_NO_HEARTBEAT)
                return
            if not self._key_alive():
                self.session.request_close(*CLOSE_LISTEN_KEY)
                return
            if now >= next_ping:
                self.session.push(Outgoing(self._ping))
                next_ping = now + config.ping_interval_s
            deadline = self.session.last_heard + config.pong_timeout_s
            await asyncio.sleep(max(0.0, min(next_ping, deadline, now + check_every) - now))

    def _ping(self) -> wire.Json:
        return wire.server_ping(self.exchange.now_ms(), self.session.channel_id)

    def close(self) -> None:
        self._stop()
