"""Client-side request pacing: stay inside a venue's documented rate limits instead of hitting them.

Requests belong to classes, each allowed ``limit`` requests in any sliding ``window`` of seconds.
Waiting requests of a class are granted by priority (lower first), then arrival. A 429 pauses its
class; a 418 (banned) stops every class until cleared. Time comes from an injectable ``Clock``
so the pacing can be tested without waiting.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import heapq
import itertools
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from terminal.venues.errors import Banned, RateLimited


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    window: float = 1.0


@dataclass(frozen=True, slots=True)
class ClassStatus:
    """What a status bar shows for one class of requests."""

    queued: int
    headroom: int  # requests that could go right now
    paused_for: float  # seconds left of a 429 pause


@dataclass
class _ClassState:
    rate: Rate
    sent: deque[float] = field(default_factory=deque)
    paused_until: float = 0.0
    waiters: list[tuple[int, int, asyncio.Future[float]]] = field(default_factory=list)
    pump: asyncio.Task[None] | None = None

    def forget_old(self, now: float) -> None:
        horizon = now - self.rate.window
        while self.sent and self.sent[0] <= horizon:
            self.sent.popleft()

    def delay(self, now: float) -> float:
        """Seconds until one more request of this class may go."""
        if now < self.paused_until:
            return self.paused_until - now
        self.forget_old(now)
        if len(self.sent) < self.rate.limit:
            return 0.0
        # Positive even when rounding makes the difference vanish, so the oldest grant is
        # always out of the window before the next one goes.
        return max(self.sent[0] + self.rate.window - now, 1e-6)

    def live_waiters(self) -> int:
        return sum(1 for _, _, future in self.waiters if not future.done())


class RateLimiter:
    """Paces requests per class. ``acquire`` returns when a request may be sent, with the time of the
    grant; ``answered`` with that time once the request is done counts it from then instead."""

    def __init__(self, rates: Mapping[str, Rate], clock: Clock | None = None) -> None:
        self._clock = clock or MonotonicClock()
        self._states = {name: _ClassState(rate) for name, rate in rates.items()}
        self._sequence = itertools.count()
        self._banned_until: float | None = None
        self._ban_message = ""

    async def acquire(self, request_class: str, priority: int = 0, max_wait: float | None = None) -> float:
        """Wait for a slot; the time it was granted. With ``max_wait``, raise RateLimited at once if the
        wait would be longer."""
        self._raise_if_banned()
        state = self._states[request_class]
        now = self._clock.now()
        if state.live_waiters() == 0 and state.delay(now) <= 0:
            state.sent.append(now)
            return now
        if max_wait is not None:
            expected = self._expected_wait(state, now)
            if expected > max_wait:
                raise RateLimited(
                    "",
                    f"request rate limit: the next {request_class} request can go in {expected:.1f} s",
                    retry_after=expected,
                )
        loop = asyncio.get_running_loop()
        future: asyncio.Future[float] = loop.create_future()
        heapq.heappush(state.waiters, (priority, next(self._sequence), future))
        # A limiter outlives sessions (it belongs to an API key), and so may outlive a loop.
        if state.pump is None or state.pump.done() or state.pump.get_loop() is not loop:
            state.pump = asyncio.create_task(self._pump(state), name=f"ratelimit-{request_class}")
        try:
            return await future
        except asyncio.CancelledError:
            # The caller gave up. If nobody else waits, the pump has nothing to wait for either.
            if state.live_waiters() == 0 and state.pump is not None and not state.pump.done():
                state.pump.cancel()
                state.pump = None  # a cancelled task is not done() yet: the next waiter must start its own
            raise

    def answered(self, request_class: str, granted: float) -> None:
        """The request granted at ``granted`` is done (answered or failed): the venue has seen it by
        now, so it counts in the window from now. Counted from the grant, a request held up between
        grant and send (a busy loop, a connection being opened) would reach the venue in the same
        window as the next ones, and the venue would answer 429 to a client that paced itself."""
        state = self._states[request_class]
        with contextlib.suppress(ValueError):  # already out of the window: it still counts from now
            state.sent.remove(granted)
        bisect.insort(state.sent, self._clock.now())

    def pause(self, request_class: str, seconds: float) -> None:
        """The venue answered 429: send nothing of this class for ``seconds``."""
        state = self._states[request_class]
        state.paused_until = max(state.paused_until, self._clock.now() + seconds)

    def ban(self, message: str, seconds: float | None = None) -> None:
        """The venue answered 418: stop everything (until ``seconds`` pass, or ``clear_ban``)."""
        self._banned_until = float("inf") if seconds is None else self._clock.now() + seconds
        self._ban_message = message
        for state in self._states.values():
            for _, _, future in state.waiters:
                if not future.done():
                    future.set_exception(self._banned_error())
            state.waiters.clear()

    def clear_ban(self) -> None:
        self._banned_until = None

    @property
    def banned(self) -> bool:
        return self._banned_until is not None and self._clock.now() < self._banned_until

    def status(self, request_class: str) -> ClassStatus:
        state = self._states[request_class]
        now = self._clock.now()
        state.forget_old(now)
        paused = max(0.0, state.paused_until - now)
        headroom = 0 if paused else max(0, state.rate.limit - len(state.sent))
        return ClassStatus(queued=state.live_waiters(), headroom=headroom, paused_for=paused)

    def classes(self) -> list[str]:
        return list(self._states)

    def _expected_wait(self, state: _ClassState, now: float) -> float:
        ahead = state.live_waiters()
        return state.delay(now) + ahead * state.rate.window / state.rate.limit

    def _raise_if_banned(self) -> None:
        if self._banned_until is None:
            return
        if self._clock.now() >= self._banned_until:
            self._banned_until = None
            return
        raise self._banned_error()

    def _banned_error(self) -> Banned:
        return Banned("418", self._ban_message or "the venue has blocked requests from this address", 418)

    async def _pump(self, state: _ClassState) -> None:
        loop = asyncio.get_running_loop()
        state.waiters = [w for w in state.waiters if w[2].get_loop() is loop]  # strays of a closed loop
        heapq.heapify(state.waiters)
        while state.waiters:
            now = self._clock.now()
            wait = state.delay(now)
            if wait > 0:
                await self._clock.sleep(wait)
                continue
            _, _, future = heapq.heappop(state.waiters)
            if future.done():  # the caller gave up (cancelled) or the class was banned
                continue
            state.sent.append(now)
            future.set_result(now)


class LimiterRegistry:
    """One limiter per (venue address, API key): the venue counts requests per key, so a new session
    of the same key (a profile switch, a restart of the session) must pace with the old one's history."""

    def __init__(self) -> None:
        self._limiters: dict[tuple[str, str], RateLimiter] = {}

    def get(self, address: str, key: str, rates: Mapping[str, Rate]) -> RateLimiter:
        limiter = self._limiters.get((address, key))
        if limiter is None:
            limiter = self._limiters[(address, key)] = RateLimiter(rates)
        return limiter


SHARED_LIMITERS = LimiterRegistry()
