"""Client-side pacing on a virtual clock: limits per sliding window, priorities, 429 pauses, 418 bans."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.venues.errors import Banned, RateLimited
from terminal.venues.ratelimit import Rate, RateLimiter
from tests.support.fake_clock import FakeClock


def _limiter(clock: FakeClock, limit: int = 2, window: float = 1.0) -> RateLimiter:
    return RateLimiter({"q": Rate(limit, window), "o": Rate(10, 1.0)}, clock)


async def _acquire_at(
    limiter: RateLimiter, clock: FakeClock, grants: list[tuple[str, float]], name: str, **kw: object
) -> None:
    await limiter.acquire("q", **kw)  # type: ignore[arg-type]
    grants.append((name, clock.now()))


async def test_up_to_the_limit_at_once_then_one_window_later() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    grants: list[tuple[str, float]] = []
    tasks = [asyncio.create_task(_acquire_at(limiter, clock, grants, str(i))) for i in range(5)]
    await clock.advance(3)
    await asyncio.gather(*tasks)
    assert [t for _, t in grants] == [0, 0, 1, 1, 2]
    assert [n for n, _ in grants] == ["0", "1", "2", "3", "4"]


async def test_a_request_counts_from_its_answer_so_a_late_send_cannot_crowd_the_next_window() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    first = await limiter.acquire("q")
    second = await limiter.acquire("q")
    assert first == second == 0
    await clock.advance(0.4)  # the two were held up on their way (a busy loop, a new connection)
    limiter.answered("q", first)
    limiter.answered("q", second)
    grants: list[tuple[str, float]] = []
    task = asyncio.create_task(_acquire_at(limiter, clock, grants, "third"))
    await clock.advance(0.99)
    assert grants == []  # counted from their grants, it would have gone at 1.0
    await clock.advance(0.02)
    await task
    assert grants == [("third", pytest.approx(1.4, abs=1e-5))]  # a window after the venue saw them


async def test_an_answer_after_its_grant_left_the_window_still_counts() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=1)
    granted = await limiter.acquire("q")
    await clock.advance(1.5)  # a slow answer: the grant itself is out of the window by now
    limiter.answered("q", granted)
    assert limiter.status("q").headroom == 0


async def test_cancels_go_before_new_orders_waiting_in_the_same_class() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=1)
    grants: list[tuple[str, float]] = []
    await limiter.acquire("q")
    new_order = asyncio.create_task(_acquire_at(limiter, clock, grants, "new", priority=1))
    await clock.settle()
    cancel = asyncio.create_task(_acquire_at(limiter, clock, grants, "cancel", priority=0))
    await clock.advance(3)
    await asyncio.gather(new_order, cancel)
    assert grants == [("cancel", 1), ("new", 2)]


async def test_classes_do_not_wait_for_each_other() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=1)
    await limiter.acquire("q")
    limiter.pause("q", 60)
    await asyncio.wait_for(limiter.acquire("o"), timeout=1)  # no virtual time passes
    assert clock.now() == 0


async def test_a_429_pause_holds_the_class_for_its_duration() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    limiter.pause("q", 60)
    grants: list[tuple[str, float]] = []
    task = asyncio.create_task(_acquire_at(limiter, clock, grants, "after-pause"))
    await clock.advance(59)
    assert grants == []
    assert limiter.status("q").queued == 1
    assert limiter.status("q").paused_for == pytest.approx(1)
    await clock.advance(2)
    await task
    assert grants == [("after-pause", 60)]


async def test_max_wait_refuses_at_once_instead_of_queueing() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    limiter.pause("q", 30)
    with pytest.raises(RateLimited) as raised:
        await limiter.acquire("q", max_wait=5)
    assert raised.value.retry_after == pytest.approx(30)
    assert limiter.status("q").queued == 0


async def test_a_ban_fails_waiters_and_refuses_new_requests_until_it_ends() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=1)
    await limiter.acquire("q")
    waiter = asyncio.create_task(limiter.acquire("q"))
    await clock.settle()
    limiter.ban("IP banned", seconds=120)
    with pytest.raises(Banned):
        await waiter
    with pytest.raises(Banned):
        await limiter.acquire("o")
    assert limiter.banned
    await clock.advance(121)
    await limiter.acquire("o")
    assert not limiter.banned


async def test_a_ban_without_duration_lasts_until_cleared() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    limiter.ban("blocked")
    await clock.advance(10_000)
    with pytest.raises(Banned, match="blocked"):
        await limiter.acquire("q")
    limiter.clear_ban()
    await limiter.acquire("q")


async def test_a_cancelled_waiter_does_not_use_a_slot() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=1)
    grants: list[tuple[str, float]] = []
    await limiter.acquire("q")
    gone = asyncio.create_task(limiter.acquire("q"))
    await clock.settle()
    gone.cancel()
    kept = asyncio.create_task(_acquire_at(limiter, clock, grants, "kept"))
    await clock.advance(5)
    await kept
    assert grants == [("kept", 1)]


async def test_status_reports_headroom() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=2)
    assert limiter.status("q").headroom == 2
    await limiter.acquire("q")
    assert limiter.status("q").headroom == 1
    await clock.advance(1)
    assert limiter.status("q").headroom == 2


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 5),
    window=st.sampled_from([0.5, 1.0, 2.0]),
    arrivals=st.lists(st.tuples(st.floats(0, 5, allow_nan=False), st.integers(0, 2)), min_size=1, max_size=25),
)
def test_no_window_ever_holds_more_than_the_limit(limit: int, window: float, arrivals: list[tuple[float, int]]) -> None:
    async def scenario() -> list[tuple[float, float, int]]:
        clock = FakeClock()
        limiter = RateLimiter({"q": Rate(limit, window)}, clock)
        grants: list[tuple[float, float, int]] = []

        async def request(at: float, priority: int) -> None:
            await clock.sleep(at)
            arrived = clock.now()
            await limiter.acquire("q", priority=priority)
            grants.append((clock.now(), arrived, priority))

        tasks = [asyncio.create_task(request(at, p)) for at, p in arrivals]
        await clock.advance(5 + len(arrivals) * window + 1)
        await asyncio.gather(*tasks)
        return grants

    grants = asyncio.run(scenario())
    assert len(grants) == len(arrivals)
    times = sorted(t for t, _, _ in grants)
    for i in range(len(times) - limit):
        assert times[i + limit] - times[i] >= window - 1e-9
    for granted, arrived, _ in grants:
        assert granted >= arrived
