"""How every REST venue retries an idempotent read: on a server failure or an unreachable venue, a few
times with capped exponential backoff and jitter. A request that changes state is never retried."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from terminal.venues.errors import ServerError, VenueUnavailable

MAX_WAIT_S = 2.0


def read_retrying(attempts: int, initial_wait: float, sleep: Callable[[float], Awaitable[None]]) -> AsyncRetrying:
    """A fresh retry loop for one read: ``attempts`` tries at most, the first wait ``initial_wait`` seconds."""
    return AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential_jitter(multiplier=initial_wait, max=MAX_WAIT_S, jitter=initial_wait),
        retry=retry_if_exception_type((ServerError, VenueUnavailable)),
        sleep=sleep,
        reraise=True,
    )
