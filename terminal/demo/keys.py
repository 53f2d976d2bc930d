"""API keys and listen keys of the demo exchange.

004, "Create Listen Key": "Valid for 60 minutes ... The stream will close after 60 minutes unless
a keepalive is sent"; "Reset Listen Key": "Reset validity time of a listenKey to 60 minutes".
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

LISTEN_KEY_TTL_MS = 60 * 60 * 1000
_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key, its secret, the account it trades, and whether it may trade or only read."""

    key: str
    secret: str
    account_id: str
    user_id: str
    can_trade: bool


def random_token(rng: random.Random, length: int = 64) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(length))


@dataclass
class _Listen:
    account_id: str
    expires_ms: int


class ListenKeys:
    """Listen keys per account, each valid for an hour unless reset."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._keys: dict[str, _Listen] = {}

    def create(self, account_id: str, now_ms: int) -> str:
        key = random_token(self._rng)
        self._keys[key] = _Listen(account_id, now_ms + LISTEN_KEY_TTL_MS)
        return key

    def reset(self, key: str, account_id: str, now_ms: int) -> bool:
        """Extend ``key`` by an hour from now; False if unknown, expired or another account's."""
        entry = self._live(key, now_ms)
        if entry is None or entry.account_id != account_id:
            return False
        entry.expires_ms = now_ms + LISTEN_KEY_TTL_MS
        return True

    def delete(self, key: str, account_id: str) -> bool:
        entry = self._keys.get(key)
        if entry is None or entry.account_id != account_id:
            return False
        del self._keys[key]
        return True

    def account_of(self, key: str, now_ms: int) -> str | None:
        """The account a live key belongs to, or None when unknown, deleted or expired."""
        entry = self._live(key, now_ms)
        return entry.account_id if entry else None

    def expires_at(self, key: str) -> int | None:
        entry = self._keys.get(key)
        return entry.expires_ms if entry else None

    def expire_now(self, key: str) -> None:
        """Fault injection: the key expires at once."""
        entry = self._keys.get(key)
        if entry is not None:
            entry.expires_ms = 0

    def _live(self, key: str, now_ms: int) -> _Listen | None:
        entry = self._keys.get(key)
        if entry is None:
            return None
        if now_ms >= entry.expires_ms:
            del self._keys[key]
            return None
        return entry
