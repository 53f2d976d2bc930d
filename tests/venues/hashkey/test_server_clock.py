"""The offset between the venue's clock and ours, from round-trip samples."""

from __future__ import annotations

from terminal.venues.hashkey.server_clock import ServerClock


def test_offset_is_measured_at_the_middle_of_the_round_trip() -> None:
    clock = ServerClock(wall=lambda: 1000.0)
    sample = clock.record(sent_ms=1_000_000, server_ms=1_003_050, received_ms=1_000_100)
    assert sample.offset_ms == 3000
    assert sample.round_trip_ms == 100
    assert clock.now_ms() == 1_000_000 + 3000


def test_without_a_sample_the_local_clock_is_used() -> None:
    clock = ServerClock(wall=lambda: 12.345)
    assert clock.offset_ms == 0
    assert clock.now_ms() == 12_345


def test_the_newest_sample_wins_even_after_a_jump() -> None:
    clock = ServerClock(wall=lambda: 0.0)
    clock.record(0, 10, 20)
    clock.record(1000, 1000 - 3000 + 400, 1800)  # the venue's clock moved 3 s back, slow answer
    assert clock.offset_ms == -3000
