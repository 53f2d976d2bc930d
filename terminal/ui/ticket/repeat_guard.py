"""Refuse the same order twice within a moment (a double click, a repeating key) unless the user confirms."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

REPEAT_WINDOW_S = 1.5


@dataclass
class RepeatGuard:
    """Remembers the last order sent and when (time is passed in: monotonic seconds)."""

    window_s: float = REPEAT_WINDOW_S
    _last: Hashable | None = None
    _at: float = 0.0

    def repeat_age(self, key: Hashable, now: float) -> float | None:
        """Seconds since ``key`` was sent, if that was within the window; None when it may go."""
        if self._last is None or self._last != key:
            return None
        age = now - self._at
        return age if 0 <= age < self.window_s else None

    def record(self, key: Hashable, now: float) -> None:
        self._last, self._at = key, now
