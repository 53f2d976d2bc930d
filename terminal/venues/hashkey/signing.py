"""HashKey request signing (004, "Signature Authentication"; reference/SIGNING.md).

``signature = lower-hex HMAC-SHA256(key=secret, msg=totalParams)`` where totalParams is the query
string followed directly by the form body. The server checks the HMAC over the exact string it
received, so ``encode_params`` is used both to build what is signed and what is sent.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import quote

from terminal.domain.redaction import register_secret

# Characters sent as they are. Besides RFC 3986's unreserved set, ',' stays literal: the venue
# expects "ids=1,2,3" (not %2C) in cancelOrderByIds (reference/SIGNING.md, known behaviour).
_SAFE = "-_.~,"


def sign(secret: str, total_params: str) -> str:
    """Lower-case hex HMAC-SHA256 of ``total_params`` keyed by ``secret``."""
    return hmac.new(secret.encode("utf-8"), total_params.encode("utf-8"), hashlib.sha256).hexdigest()


def encode_params(params: Iterable[tuple[str, str]]) -> str:
    """``k1=v1&k2=v2`` in the given order (the order matters: it is what gets signed)."""
    return "&".join(f"{quote(key, safe=_SAFE)}={quote(value, safe=_SAFE)}" for key, value in params)


class Credentials:
    """An API key and its secret. The secret never appears in ``repr`` or ``str``."""

    __slots__ = ("_secret", "api_key")

    def __init__(self, api_key: str, secret: str) -> None:
        if not api_key or not secret:
            raise ValueError("an API key and its secret are both required")
        self.api_key = api_key
        self._secret = secret
        register_secret(api_key)  # logs may never show either, whoever logs them
        register_secret(secret)

    def sign(self, total_params: str) -> str:
        return sign(self._secret, total_params)

    def __repr__(self) -> str:
        return f"Credentials(api_key={_mask(self.api_key)}, secret=<hidden>)"

    __str__ = __repr__


def _mask(value: str) -> str:
    """Enough of a key to tell two apart in a log, not enough to use it."""
    return f"{value[:4]}…{value[-2:]}" if len(value) > 8 else "…"
