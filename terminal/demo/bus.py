"""In-process fan-out of exchange events to the streams that watch them.

Channels: ``("trade", symbol)`` public trades, ``("book", symbol)`` book changes, ``("private",
account_id)`` execution reports, tickets and balance updates. Delivery is synchronous and cheap;
a subscriber that needs to do I/O queues the message and returns.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

Callback = Callable[[Any], None]


class Bus:
    def __init__(self) -> None:
        self._subscribers: dict[Hashable, list[Callback]] = {}

    def subscribe(self, channel: Hashable, callback: Callback) -> Callable[[], None]:
        """Deliver every message on ``channel`` to ``callback``; returns the function that stops it."""
        self._subscribers.setdefault(channel, []).append(callback)

        def unsubscribe() -> None:
            callbacks = self._subscribers.get(channel, [])
            if callback in callbacks:
                callbacks.remove(callback)
            if not callbacks:
                self._subscribers.pop(channel, None)

        return unsubscribe

    def publish(self, channel: Hashable, message: object) -> None:
        for callback in tuple(self._subscribers.get(channel, ())):
            callback(message)

    def subscribers(self, channel: Hashable) -> int:
        return len(self._subscribers.get(channel, ()))
