"""Client order ids: unique per terminal, readable, and made only of characters every venue accepts."""

from __future__ import annotations

import itertools
import secrets
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits)) or "0"


class ClientIds:
    """``tt<time base36><session><counter>``: sortable by creation, unique across restarts."""

    def __init__(self) -> None:
        self._session = secrets.token_hex(2)
        self._counter = itertools.count()

    def next(self) -> str:
        return f"tt{_base36(int(time.time() * 1000))}{self._session}{next(self._counter) % 1296:03d}"
