"""Nonces already seen: a request that reuses one inside the timestamp window is a replay."""

from __future__ import annotations

from collections.abc import Callable


class NonceBook:
    def __init__(self, clock: Callable[[], float], keep: float) -> None:
        self._clock = clock
        self._keep = keep
        self._seen: dict[str, float] = {}

    def first_use(self, nonce: str) -> bool:
        """Remember ``nonce``; False if it was already used within the window."""
        now = self._clock()
        if len(self._seen) > 1000:
            self._seen = {key: at for key, at in self._seen.items() if now - at <= self._keep}
        if nonce in self._seen and now - self._seen[nonce] <= self._keep:
            return False
        self._seen[nonce] = now
        return True
