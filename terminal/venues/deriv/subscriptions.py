"""Deriv streams as the terminal holds them: a lasting handle on a stream whose venue id changes with every
reconnection, shared by the watchers of equal keys."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from terminal.venues.deriv.calls import Payload, method_of
from terminal.venues.errors import VenueError

Message = dict[str, Any]
K = TypeVar("K", bound=Hashable)


class Subscription:
    """One stream: how to ask for it (again after a reconnection), who gets its messages, its id now."""

    def __init__(
        self,
        request: Callable[[], Payload],
        on_message: Callable[[Message], None],
        on_error: Callable[[VenueError], None] | None,
        release: Callable[[Subscription], None],
    ) -> None:
        self.request = request  # asked again at every (re)subscription: it may change (e.g. a longer history)
        self.method = method_of(request())
        self.on_message = on_message
        self.on_error = on_error
        self.id: str | None = None  # the venue's stream id on the current connection
        self.req_id: int | None = None  # of the subscribe request on the current connection
        self.released = False  # the terminal is done with it
        self.ended = False  # the venue ended it (an error, or its last message)
        self.ready: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        # Whoever does not await the first answer must not leave an "exception never retrieved".
        self.ready.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._release = release

    @property
    def live(self) -> bool:
        return not (self.released or self.ended)

    def release(self) -> None:
        """Stop delivering and forget the stream at the venue (once)."""
        if not self.released:
            self.released = True
            self._release(self)

    def __repr__(self) -> str:
        return f"Subscription({self.method}, id={self.id!r}, live={self.live})"


class Hold:
    """A watcher's hold (``terminal.venues.base.Watch``): ``release`` once when the watcher leaves."""

    def __init__(self, release: Callable[[], None] | None = None) -> None:
        self._release = release

    def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release()


@dataclass
class _Shared:
    subscription: Subscription
    watchers: int = 0


class SharedStreams(Generic[K]):
    """One subscription per key, counted by watchers; a stream the venue ended is opened anew for the next."""

    def __init__(self) -> None:
        self._entries: dict[K, _Shared] = {}

    def hold(self, key: K, open_stream: Callable[[], Subscription]) -> Hold:
        entry = self._entries.get(key)
        if entry is None or not entry.subscription.live:
            entry = self._entries[key] = _Shared(open_stream())
        entry.watchers += 1
        return Hold(lambda: self._leave(key, entry))

    def _leave(self, key: K, entry: _Shared) -> None:
        entry.watchers -= 1
        if entry.watchers <= 0:
            if self._entries.get(key) is entry:
                del self._entries[key]
            entry.subscription.release()

    def get(self, key: K) -> Subscription | None:
        entry = self._entries.get(key)
        return entry.subscription if entry else None

    def items(self) -> list[tuple[K, Subscription]]:
        return [(key, entry.subscription) for key, entry in self._entries.items()]

    def watchers(self) -> dict[K, int]:
        return {key: entry.watchers for key, entry in self._entries.items()}
