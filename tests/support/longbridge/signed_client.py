"""An httpx client that signs every request as the venue's documentation does, written apart from the
fake's verifier (signature.py) so that each checks the other; ``edit`` breaks a request after signing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import httpx

HeaderEdit = Callable[[dict[str, str]], None]


def sign(method: str, uri: str, params: str, body: str, token: str, app_key: str, ts: str, secret: str) -> str:
    """The documentation's ``sign`` function (how-to-access-api, "Sign requests"), kept close to its text."""
    canonical_request = (
        method.upper()
        + "|"
        + uri
        + "|"
        + params
        + "|authorization:"
        + token
        + "\nx-api-key:"
        + app_key
        + "\nx-timestamp:"
        + ts
        + "\n|authorization;x-api-key;x-timestamp|"
    )
    if body != "":
        canonical_request += hashlib.sha1(body.encode("utf-8")).hexdigest()
    sign_str = "HMAC-SHA256|" + hashlib.sha1(canonical_request.encode("utf-8")).hexdigest()
    signature = hmac.new(secret.encode("utf-8"), sign_str.encode("utf-8"), digestmod=hashlib.sha256).hexdigest()
    return "HMAC-SHA256 SignedHeaders=authorization;x-api-key;x-timestamp, Signature=" + signature


class TimestampSource:
    """Milliseconds, never the same twice (two requests in one millisecond would be a duplicate)."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> str:
        self._last = max(self._last + 1, int(time.time() * 1000))
        return str(self._last)


class SignedClient:
    def __init__(self, url: str, app_key: str, app_secret: str, token: str, *, timeout: float = 5.0) -> None:
        self.app_key, self.app_secret, self.token = app_key, app_secret, token
        self._timestamps = TimestampSource()
        self._http = httpx.Client(base_url=url, timeout=timeout)

    def get(self, path: str, query: Sequence[tuple[str, str]] = (), **options: Any) -> httpx.Response:
        return self.send("GET", path, query, None, **options)

    def delete(self, path: str, query: Sequence[tuple[str, str]] = (), **options: Any) -> httpx.Response:
        return self.send("DELETE", path, query, None, **options)

    def post(self, path: str, body: Any, **options: Any) -> httpx.Response:
        return self.send("POST", path, (), body, **options)

    def put(self, path: str, body: Any, **options: Any) -> httpx.Response:
        return self.send("PUT", path, (), body, **options)

    def send(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]],
        body: Any,
        *,
        timestamp: str | None = None,
        token: str | None = None,
        edit: HeaderEdit | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        params = urlencode(list(query))
        raw = "" if body is None else json.dumps(body, separators=(",", ":"))
        ts = timestamp or self._timestamps()
        access = self.token if token is None else token
        headers = {
            "X-Api-Key": self.app_key,
            "Authorization": access,
            "X-Timestamp": ts,
            "X-Api-Signature": sign(method, path, params, raw, access, self.app_key, ts, self.app_secret),
        }
        if raw:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if edit is not None:
            edit(headers)
        url = path + ("?" + params if params else "")
        limit = httpx.USE_CLIENT_DEFAULT if timeout is None else httpx.Timeout(timeout)
        return self._http.request(method, url, content=raw.encode() or None, headers=headers, timeout=limit)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SignedClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
