"""Access tokens: each valid until its ``expires_at``; a refresh issues a new one and invalidates the old
(refresh-token-api)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

NINETY_DAYS = 90 * 24 * 3600.0  # "Access Token will expires in three months."


class TokenStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALIDATED = "invalidated"  # replaced by a refresh


@dataclass
class TokenRecord:
    token: str
    issued_at: float
    expires_at: float
    invalidated: bool = False


class TokenBook:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._records: dict[str, TokenRecord] = {}

    def add(self, token: str, expires_at: float | None = None) -> str:
        now = self._clock()
        self._records[token] = TokenRecord(token, now, now + NINETY_DAYS if expires_at is None else expires_at)
        return token

    def issue(self, expires_at: float | None = None) -> TokenRecord:
        token = self.add("m_" + secrets.token_urlsafe(24), expires_at)
        return self._records[token]

    def status(self, token: str) -> TokenStatus | None:
        record = self._records.get(token)
        if record is None:
            return None
        if record.invalidated:
            return TokenStatus.INVALIDATED
        return TokenStatus.EXPIRED if self._clock() >= record.expires_at else TokenStatus.VALID

    def expire(self, token: str) -> None:
        self._records[token].expires_at = self._clock() - 1

    def invalidate(self, token: str) -> None:
        self._records[token].invalidated = True

    def record(self, token: str) -> TokenRecord:
        return self._records[token]

    def statuses(self) -> dict[str, str]:
        return {token: str(self.status(token)) for token in self._records}
