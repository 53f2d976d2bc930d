"""What the stock brokers' account pollers (Webull, Longbridge) share: balances and positions are
announced only when they changed, and a round that fails marks the account stream stale once,
until a round succeeds again. What a round reads is each venue's own."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from terminal.domain.balance import Balance
from terminal.domain.securities import Position
from terminal.venues.base import BalanceEvent, ConnectionEvent, ConnectionState, PositionEvent, VenueEvent
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.venues")


class AccountAnnouncer:
    """Emits a complete BalanceEvent and a PositionEvent when what the venue reports differs from the
    last announced (``force``: in any case, e.g. at start)."""

    def __init__(self, emit: Callable[[VenueEvent], None]) -> None:
        self._emit = emit
        self.balances: tuple[Balance, ...] | None = None
        self.positions: tuple[Position, ...] | None = None

    def announce(self, balances: tuple[Balance, ...], positions: tuple[Position, ...], *, force: bool = False) -> None:
        if force or balances != self.balances:
            self.balances = balances
            self._emit(BalanceEvent(balances, complete=True))
        if force or positions != self.positions:
            self.positions = positions
            self._emit(PositionEvent(positions))


class AccountPoller:
    """Runs ``poll`` every ``interval`` seconds for ever. The first failed round marks ``stream``
    STALE with the reason, the next good one LIVE again.

    ``quiet(exc)``: a failure the venue has already announced another way (nothing more is said);
    ``held()``: while true, failures are logged but mark nothing (the venue reports its state itself).
    A venue that announces LIVE itself clears ``stale`` so it is not said twice."""

    def __init__(
        self,
        venue: str,
        stream: str,
        interval: float,
        poll: Callable[[], Awaitable[None]],
        emit: Callable[[VenueEvent], None],
        *,
        quiet: Callable[[BaseException], bool] = lambda _: False,
        held: Callable[[], bool] = lambda: False,
    ) -> None:
        self.venue, self.stream, self.interval = venue, stream, interval
        self._poll, self._emit, self._quiet, self._held = poll, emit, quiet, held
        self.stale = False

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self._poll()
            except Exception as exc:  # the loop must outlive any one failed poll
                self._failed(exc)
                continue
            if self.stale:
                self.stale = False
                self._emit(ConnectionEvent(self.stream, ConnectionState.LIVE))

    def _failed(self, exc: Exception) -> None:
        if self._quiet(exc):
            return
        if isinstance(exc, VenueError):
            log.warning("polling the %s account failed: %s", self.venue, exc)
            reason = exc.message or str(exc)
        else:
            log.exception("polling the %s account failed", self.venue)
            reason = f"{type(exc).__name__}: {exc}"
        if not self.stale and not self._held():
            self.stale = True
            self._emit(ConnectionEvent(self.stream, ConnectionState.STALE, reason=f"account poll failed: {reason}"))
