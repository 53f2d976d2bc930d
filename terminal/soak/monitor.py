"""Memory, held orders and fills, and event-loop lag of this process, sampled over the run.

RSS comes from ``/proc/self/statm`` where there is one, else from ``resource`` (the peak, which
only grows); psutil is not a dependency.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from terminal.session.session import Session

log = logging.getLogger("terminal.soak")

LAG_PROBE_S = 0.1  # the lag probe sleeps this long and measures how late it wakes


@dataclass(frozen=True, slots=True)
class Sample:
    elapsed_s: float
    rss_mb: float | None
    orders_held: int
    working: int
    fills_held: int
    max_lag_ms: float  # the longest the event loop was late since the previous sample


def rss_bytes() -> int | None:
    """The resident set size of this process now (Linux), or its peak (other Unix), or None."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


class Monitor:
    def __init__(self, session: Session, started: float, every: float) -> None:
        self._session = session
        self._started = started  # time.monotonic() at the start of the run
        self._every = every
        self._lag_ms = 0.0
        self.samples: list[Sample] = []

    def sample(self) -> Sample:
        """Take a sample now (and reset the lag maximum)."""
        rss = rss_bytes()
        orders = self._session.orders
        sample = Sample(
            elapsed_s=round(time.monotonic() - self._started, 1),
            rss_mb=round(rss / 1_048_576, 1) if rss is not None else None,
            orders_held=len(orders.orders),
            working=len(orders.working()),
            fills_held=len(orders.fills),
            max_lag_ms=round(self._lag_ms, 1),
        )
        self._lag_ms = 0.0
        self.samples.append(sample)
        rss_text = f"{sample.rss_mb:.1f} MB" if sample.rss_mb is not None else "n/a"
        log.info(
            "sample at %.0f s: RSS %s, %d orders held (%d working), %d fills, max loop lag %.1f ms",
            sample.elapsed_s,
            rss_text,
            sample.orders_held,
            sample.working,
            sample.fills_held,
            sample.max_lag_ms,
        )
        return sample

    async def run(self, stop: asyncio.Event) -> None:
        """Probe the loop's lag continuously and sample every ``every`` seconds until ``stop``."""
        loop = asyncio.get_running_loop()
        next_sample = loop.time() + self._every
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(LAG_PROBE_S)
            now = loop.time()
            self._lag_ms = max(self._lag_ms, (now - before - LAG_PROBE_S) * 1000)
            if now >= next_sample:
                self.sample()
                next_sample += self._every
