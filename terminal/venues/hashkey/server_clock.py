"""The venue's clock as seen from here: signed requests carry the venue's time, not ours.

004, "Time-base security requirement": the server accepts a request when
``timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow``, so a local clock that
drifts a second ahead gets every signed request refused. The offset is measured against
``GET /api/v1/time`` at connect and periodically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClockSample:
    offset_ms: int  # venue time minus local time
    round_trip_ms: int
    measured_at_ms: int  # local wall time of the measurement


class ServerClock:
    """Local wall time corrected by the last measured offset."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._sample: ClockSample | None = None

    def local_ms(self) -> int:
        return int(self._wall() * 1000)

    def now_ms(self) -> int:
        """The venue's time now, as best we know it."""
        return self.local_ms() + self.offset_ms

    @property
    def offset_ms(self) -> int:
        return self._sample.offset_ms if self._sample else 0

    @property
    def sample(self) -> ClockSample | None:
        return self._sample

    def record(self, sent_ms: int, server_ms: int, received_ms: int) -> ClockSample:
        """Take one measurement: the server stamped ``server_ms`` halfway through the round trip."""
        round_trip = max(0, received_ms - sent_ms)
        offset = server_ms - (sent_ms + round_trip // 2)
        # The error of this estimate is at most half the round trip; the newest sample always
        # wins, because the offset it corrects can jump (a skewed or reset clock on either side).
        self._sample = ClockSample(offset_ms=offset, round_trip_ms=round_trip, measured_at_ms=received_ms)
        return self._sample
