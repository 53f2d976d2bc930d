"""What the fake received and what it found wrong, readable from the test's thread at any time."""

from __future__ import annotations

import threading
from typing import NamedTuple


class RecordedRequest(NamedTuple):
    method: str
    path: str
    query: str  # the raw query string, as received
    headers: dict[str, str]  # lower-case names
    body: bytes


class Journal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._violations: list[str] = []

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def violation(self, request: RecordedRequest, what: str) -> None:
        with self._lock:
            self._violations.append(f"{request.method} {request.path}: {what}")

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)
