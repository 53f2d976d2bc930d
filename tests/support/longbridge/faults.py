"""Faults a test injects per path (optionally per method): answer the next valid request with an error, or
handle it in full and never answer (an order IS placed; the client times out and must reconcile)."""

from __future__ import annotations

from collections import Counter, defaultdict, deque

from tests.support.longbridge.wire import LongbridgeError

Key = tuple[str | None, str]  # (method or None for any, path)


class Faults:
    def __init__(self) -> None:
        self._failures: defaultdict[Key, deque[LongbridgeError]] = defaultdict(deque)
        self._swallows: Counter[Key] = Counter()

    def fail_next(self, method: str | None, path: str, error: LongbridgeError) -> None:
        self._failures[(method, path)].append(error)

    def swallow_next(self, method: str | None, path: str) -> None:
        self._swallows[(method, path)] += 1

    def take_failure(self, method: str, path: str) -> LongbridgeError | None:
        for key in ((method, path), (None, path)):
            queue = self._failures.get(key)
            if queue:
                return queue.popleft()
        return None

    def take_swallow(self, method: str, path: str) -> bool:
        for key in ((method, path), (None, path)):
            if self._swallows[key] > 0:
                self._swallows[key] -= 1
                return True
        return False
