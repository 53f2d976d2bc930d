"""Feed-rate mode's pacing of one public connection: credit for its state topics in small, frequent steps."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from terminal.demo.feed_rate import FeedRate
from terminal.demo.server.ws_topics import Stream

PACE_S = 0.005  # a step: batches go out every few ms, not in bursts of a 100 ms tick
IDLE_S = 0.05  # while the mode is off, how often to look whether it was switched on (≤ 100 ms to take effect)
# The most credit a stream may hold, in seconds of its share: a demo that falls behind sends what it can
# and forgets the rest, instead of queueing without bound. Far above one step, so a demo that keeps up
# never reaches it and the long-run rate is exact.
BACKLOG_S = 0.1


async def pace(feed: FeedRate, streams: Callable[[], Iterable[Stream]], wake: Callable[[], None]) -> None:
    """Give every paced stream ``feed.share`` messages a second of credit, measured on the loop's
    monotonic clock (the exchange's clock may be fake or skewed), and wake the writer when any is due."""
    loop = asyncio.get_running_loop()
    while True:
        while not feed.on:
            await asyncio.sleep(IDLE_S)
        for stream in streams():
            # A fresh start: nothing left over from an earlier run of the mode, each stream's phase kept.
            stream.credit %= 1.0
        last = loop.time()
        while feed.on:
            await asyncio.sleep(PACE_S)
            now = loop.time()
            share = feed.share
            gained, cap = share * (now - last), max(1.0, share * BACKLOG_S)
            last = now
            due = False
            for stream in streams():
                if stream.paced:
                    stream.credit = min(stream.credit + gained, cap)
                    due = due or stream.credit >= 1
            if due:
                wake()
