"""Hand-built signed requests to the demo's REST API, exactly as a client would put them on the wire."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from terminal.demo.exchange import wall_ms
from terminal.demo.keys import ApiKey

Pairs = Sequence[tuple[str, str]]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def encode(pairs: Pairs) -> str:
    return "&".join(f"{quote(k, safe='-_.~,')}={quote(v, safe='-_.~,')}" for k, v in pairs)


def hmac_hex(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


class Signer:
    """Signs with one key. Parameters go in the query, the form body, or both (query first)."""

    def __init__(self, http: httpx.AsyncClient, key: ApiKey) -> None:
        self.http = http
        self.key = key

    def stamp(self, timestamp: int | None = None, recv_window: int | None = None) -> list[tuple[str, str]]:
        out = [] if recv_window is None else [("recvWindow", str(recv_window))]
        return [*out, ("timestamp", str(wall_ms() if timestamp is None else timestamp))]

    async def send(
        self,
        method: str,
        path: str,
        query: Pairs = (),
        body: Pairs | None = None,
        *,
        stamp: bool = True,
        timestamp: int | None = None,
        recv_window: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Stamp (timestamp last, into the body when there is one), sign query + body, append the
        signature to the part that carries the stamp, and send."""
        query, body = list(query), None if body is None else list(body)
        extra = self.stamp(timestamp, recv_window) if stamp else []
        if body is None:
            query += extra
        else:
            body += extra
        query_text, body_text = encode(query), encode(body or [])
        signature = hmac_hex(self.key.secret, query_text + body_text)
        if body is None:
            query_text = f"{query_text}&signature={signature}" if query_text else f"signature={signature}"
        else:
            body_text = f"{body_text}&signature={signature}"
        return await self.raw(method, path, query_text, body_text.encode() if body is not None else None, headers)

    async def raw(
        self, method: str, path: str, query: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """Send exactly ``query`` and ``body`` with this key's header (``headers`` may replace it)."""
        sent = {"X-HK-APIKEY": self.key.key, **(FORM if body is not None else {}), **(headers or {})}
        target = f"{path}?{query}" if query else path
        return await self.http.request(method, target, content=body, headers=sent)

    async def get(self, path: str, *pairs: tuple[str, str]) -> httpx.Response:
        return await self.send("GET", path, pairs)

    async def json(self, method: str, path: str, *pairs: tuple[str, str], form: bool = False) -> Any:
        """Send and decode, asserting success (HTTP 200)."""
        response = await (self.send(method, path, (), pairs) if form else self.send(method, path, pairs))
        assert response.status_code == 200, response.text
        return orjson.loads(response.content)

    async def batch(self, orders: list[dict[str, str]] | bytes) -> httpx.Response:
        """``POST /api/v1.1/spot/batchOrders``: a JSON array; only the query's timestamp is signed."""
        query = encode(self.stamp())
        signed = f"{query}&signature={hmac_hex(self.key.secret, query)}"
        content = orders if isinstance(orders, bytes) else orjson.dumps(orders)
        headers = {"X-HK-APIKEY": self.key.key, "Content-Type": "application/json"}
        return await self.http.post(f"/api/v1.1/spot/batchOrders?{signed}", content=content, headers=headers)
