"""An httpx client that signs every request as Webull's SDK does, for tests that play the client;
``edit`` lets a test break a request on purpose after it was signed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from tests.support.webull.client_signing import signed_headers
from tests.support.webull.server import WebullFakeServer
from tests.support.webull.wire import JSON

HeaderEdit = Callable[[dict[str, str]], None]


class SignedClient:
    def __init__(
        self,
        server: WebullFakeServer,
        *,
        algorithm: str = "HMAC-SHA1",
        token: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.server = server
        self.algorithm = algorithm
        self.token = token
        self._http = httpx.Client(base_url=server.url, timeout=timeout)

    def get(self, path: str, query: Mapping[str, str] | None = None, **options: Any) -> httpx.Response:
        return self.send("GET", path, query or {}, None, **options)

    def post(self, path: str, body: JSON, **options: Any) -> httpx.Response:
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        return self.send("POST", path, {}, raw, **options)

    def send(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        body: bytes | None,
        *,
        timestamp: str | None = None,
        nonce: str | None = None,
        host: str | None = None,
        version: str = "v3",
        edit: HeaderEdit | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        headers = signed_headers(
            host=host or self.server.signed_host,
            path=path,
            query=query,
            body=body,
            app_key=self.server.app_key,
            app_secret=self.server.app_secret,
            algorithm=self.algorithm,
            timestamp=timestamp,
            nonce=nonce,
            version=version,
            token=self.token,
        )
        if edit is not None:
            edit(headers)
        limit = httpx.USE_CLIENT_DEFAULT if timeout is None else httpx.Timeout(timeout)
        return self._http.request(method, path, params=dict(query), content=body, headers=headers, timeout=limit)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SignedClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
