"""The 2FA access tokens of seed 000: created PENDING, NORMAL once the user confirms in the Webull
app, EXPIRED if that takes longer than the verification window, INVALID after 15 days unused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

FIFTEEN_DAYS = 15 * 24 * 3600.0


class TokenStatus(StrEnum):
    PENDING = "PENDING"
    NORMAL = "NORMAL"
    INVALID = "INVALID"
    EXPIRED = "EXPIRED"


@dataclass
class TokenRecord:
    token: str
    created_at: float
    last_used: float
    status: TokenStatus

    def expires_at(self, verify_timeout: float, idle_timeout: float) -> float:
        if self.status is TokenStatus.PENDING:
            return self.created_at + verify_timeout
        return self.last_used + idle_timeout


@dataclass(frozen=True)
class TokenAnswer:
    token: str
    status: TokenStatus
    expires_ms: int

    def body(self) -> dict[str, object]:
        # The SDK reads ``expires`` (token_manager.py); the reference's example answers ``expires_at``.
        return {"token": self.token, "expires": self.expires_ms, "expires_at": self.expires_ms, "status": self.status}


class TokenBook:
    def __init__(
        self,
        clock: Callable[[], float],
        *,
        sandbox: bool,
        verify_timeout: float,
        verify_after: float | None,
        idle_timeout: float = FIFTEEN_DAYS,
    ) -> None:
        self._clock = clock
        self._sandbox = sandbox
        self._verify_timeout = verify_timeout
        self._verify_after = verify_after
        self._idle_timeout = idle_timeout
        self._records: dict[str, TokenRecord] = {}

    def create(self, previous: str | None = None) -> TokenAnswer:
        """A new token, or the one the client still holds if it is PENDING or NORMAL (the SDK sends its
        stored token with every create)."""
        if previous is not None and previous in self._records:
            record = self._refresh(self._records[previous])
            if record.status in (TokenStatus.PENDING, TokenStatus.NORMAL):
                return self._answer(record)
        now = self._clock()
        # "Tokens created in the Sandbox environment are set to NORMAL by default."
        status = TokenStatus.NORMAL if self._sandbox else TokenStatus.PENDING
        record = TokenRecord(uuid.uuid4().hex, now, now, status)
        self._records[record.token] = record
        return self._answer(record)

    def issue(self) -> str:
        """A NORMAL token, as if created and confirmed long ago (test setup)."""
        now = self._clock()
        record = TokenRecord(uuid.uuid4().hex, now, now, TokenStatus.NORMAL)
        self._records[record.token] = record
        return record.token

    def check(self, token: str) -> TokenAnswer:
        record = self._records.get(token)
        if record is None:
            # "When a token does not exist in the system, it will be marked as invalid."
            return TokenAnswer(token, TokenStatus.INVALID, int(self._clock() * 1000))
        return self._answer(self._refresh(record))

    def use(self, token: str | None) -> bool:
        """True if ``token`` may call the API now; using it restarts its 15-day idle clock."""
        record = self._records.get(token or "")
        if record is None or self._refresh(record).status is not TokenStatus.NORMAL:
            return False
        record.last_used = self._clock()
        return True

    def set_status(self, token: str, status: TokenStatus) -> None:
        self._refresh(self._records[token]).status = status

    def statuses(self) -> dict[str, str]:
        return {token: str(self._refresh(record).status) for token, record in self._records.items()}

    def _refresh(self, record: TokenRecord) -> TokenRecord:
        age = self._clock() - record.created_at
        if record.status is TokenStatus.PENDING:
            if self._verify_after is not None and self._verify_after <= age < self._verify_timeout:
                record.status = TokenStatus.NORMAL
                record.last_used = record.created_at + self._verify_after
            elif age >= self._verify_timeout:
                record.status = TokenStatus.EXPIRED
        if record.status is TokenStatus.NORMAL and self._clock() - record.last_used >= self._idle_timeout:
            record.status = TokenStatus.INVALID
        return record

    def _answer(self, record: TokenRecord) -> TokenAnswer:
        expires = record.expires_at(self._verify_timeout, self._idle_timeout)
        return TokenAnswer(record.token, record.status, int(expires * 1000))
