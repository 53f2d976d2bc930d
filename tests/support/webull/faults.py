"""Faults a test injects per path: answer the next valid request with an error, or process it and
never answer (an order IS placed, the client times out and must reconcile)."""

from __future__ import annotations

from collections import Counter, defaultdict, deque

from tests.support.webull.wire import WebullError


class Faults:
    def __init__(self) -> None:
        self._failures: defaultdict[str, deque[WebullError]] = defaultdict(deque)
        self._swallows: Counter[str] = Counter()

    def fail_next(self, path: str, error: WebullError) -> None:
        self._failures[path].append(error)

    def swallow_next(self, path: str) -> None:
        self._swallows[path] += 1

    def take_failure(self, path: str) -> WebullError | None:
        queue = self._failures.get(path)
        return queue.popleft() if queue else None

    def take_swallow(self, path: str) -> bool:
        if self._swallows[path] <= 0:
            return False
        self._swallows[path] -= 1
        return True
