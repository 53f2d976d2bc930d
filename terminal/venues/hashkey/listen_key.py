"""The private stream's listen key: created once however many ask, kept alive, renewed when refused.

004, "Create Listen Key": valid for 60 minutes; "Recommended to send a reset request every 30
minutes". Two callers asking at once get the same key, never two keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from terminal.venues.errors import VenueError, VenueUnavailable
from terminal.venues.hashkey.client import HashKeyRestClient

log = logging.getLogger("terminal.venues.hashkey.listen_key")

RESET_EVERY_S = 30 * 60.0
# Closing (a profile switch, quitting) must not wait out a 429 pause or a slow venue for a courtesy:
# a key left behind expires by itself ("valid for 60 minutes"). The limiter may hold the delete for
# ordinary pacing (queries go 2 per 1.1 s, maybe with a request or two ahead), not for a long pause.
DELETE_MAX_WAIT_S = 2.0
DELETE_TIMEOUT_S = 3.0  # for the whole delete: pacing, request and retries


class ListenKeyKeeper:
    def __init__(self, rest: HashKeyRestClient, *, reset_every: float = RESET_EVERY_S) -> None:
        self._rest = rest
        self._reset_every = reset_every
        self._key: str | None = None
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.created = 0  # how many keys this keeper has created (tests and diagnostics)

    @property
    def key(self) -> str | None:
        return self._key

    async def get(self) -> str:
        """The current key, creating one if there is none (one creation for concurrent callers)."""
        async with self._lock:
            if self._key is None:
                self._key = await self._rest.create_listen_key()
                self.created += 1
                log.info("created a listen key")
            return self._key

    def invalidate(self, key: str | None) -> None:
        """The venue refused ``key``: forget it so the next ``get`` creates another."""
        if key is not None and key == self._key:
            self._key = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._keep_alive(), name="hashkey-listen-key")

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self._reset_every)
            key = self._key
            if key is None:
                continue
            try:
                await self._rest.reset_listen_key(key)
            except VenueUnavailable as exc:
                log.warning("could not reset the listen key (will retry): %s", exc)
            except VenueError as exc:
                log.warning("the venue refused to reset the listen key; a new one will be made: %s", exc)
                self.invalidate(key)

    async def close(self) -> None:
        """Stop the resets and delete the key at the venue, if that can be done within a moment."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        key, self._key = self._key, None
        if key is None:
            return
        try:
            async with asyncio.timeout(DELETE_TIMEOUT_S):
                await self._rest.delete_listen_key(key, max_wait=DELETE_MAX_WAIT_S)
        except TimeoutError:
            reason = f"no answer within {DELETE_TIMEOUT_S:g} s"
        except VenueError as exc:
            reason = str(exc)
        else:
            return
        log.info("did not delete the listen key (%s); the venue expires it within 60 minutes", reason)
