"""What the stock brokers' signed HTTP transports (Webull, Longbridge) share: an app key and secret
that never reach a log, an access token, and an httpx client that the transport owns (or a test
gives), closed with the transport."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

import httpx

from terminal.domain.redaction import protect_library_loggers, register_secret


class AppKeyTransport:
    """The common part; subclasses sign and send."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        access_token: str | None,
        client: httpx.AsyncClient | None,
        *,
        timeout: float,
        connect_timeout: float,
        order_max_wait: float,
        retry_attempts: int,
        retry_initial_wait: float,
        retry_sleep: Callable[[float], Awaitable[None]] | None,
    ) -> None:
        if not app_key or not app_secret:
            raise ValueError("an app key and its secret are both required")
        self._app_key = app_key
        self._app_secret = app_secret
        register_secret(app_key)  # logs may never show either, whoever logs them
        register_secret(app_secret)
        protect_library_loggers()
        self._access_token: str | None = None
        self.set_access_token(access_token)
        self._order_max_wait = order_max_wait
        self._retry_attempts = max(1, retry_attempts)
        self._retry_initial_wait = retry_initial_wait
        self._retry_sleep = retry_sleep or asyncio.sleep
        self._owns_client = client is None
        self._http = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            # Expire idle connections before a server would, so a request never goes out on a
            # socket the server is closing: that would make its outcome unknown.
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=4.0),
        )

    def _shown_key(self) -> str:
        key = self._app_key
        return f"{key[:4]}…{key[-2:]}" if len(key) > 8 else "…"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_client:
            await self._http.aclose()

    @property
    def access_token(self) -> str | None:
        return self._access_token

    def set_access_token(self, token: str | None) -> None:
        """The token to send from now on (None: none); it never reaches a log."""
        if token:
            register_secret(token)
        self._access_token = token or None
