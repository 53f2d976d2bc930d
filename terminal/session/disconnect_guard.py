"""Optional: cancel every open order once the account stream has been down longer than N seconds.

Without the account stream the terminal cannot see fills; a trader who opts in would rather have
no orders resting than orders they cannot watch. The cancel is sent as soon as the venue answers
again (retried with backoff while it does not) and logged and journaled either way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from terminal.session.order_gate import TicketError
from terminal.venues.base import ConnectionEvent, ConnectionState

log = logging.getLogger("terminal.orders")

PRIVATE_STREAM = "private"
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 10.0)


class DisconnectGuard:
    """Watches the private stream's state; ``cancel_all`` is the session's cancel of everything."""

    def __init__(
        self,
        cancel_all: Callable[[], Awaitable[int]],
        report: Callable[[str, str], None],
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._cancel_all = cancel_all
        self._report = report  # (level, text)
        self._sleep = sleep
        self.after_s: int | None = None  # None: off
        self._down = False
        self._triggered = False  # the cancel is under way: the stream coming back does not stop it
        self._task: asyncio.Task[None] | None = None

    def configure(self, after_s: int | None) -> None:
        self.after_s = after_s
        if after_s is None:
            self._stop_timer()

    def on_connection(self, event: ConnectionEvent) -> None:
        if event.stream != PRIVATE_STREAM:
            return
        if event.state is ConnectionState.LIVE:
            self._down = False
            if self._task is not None and not self._task.done() and not self._triggered:
                self._stop_timer()
            return
        if self._down or self.after_s is None or event.state is ConnectionState.CONNECTING:
            return
        self._down = True
        self._triggered = False
        self._task = asyncio.create_task(self._run(self.after_s))

    async def _run(self, after_s: int) -> None:
        await self._sleep(after_s)
        self._triggered = True
        self._report("warning", f"The account stream has been down for {after_s} s: cancelling all open orders.")
        attempt = 0
        while True:
            try:
                count = await self._cancel_all()
            except TicketError as exc:  # the venue is still unreachable: try again when it may be back
                log.warning("cancel on disconnect: %s; retrying", exc.reason)
                await self._sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
                attempt += 1
                continue
            self._report("warning", f"Cancel on disconnect done: {count} open order(s) asked to cancel.")
            return

    def _stop_timer(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
