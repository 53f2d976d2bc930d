"""Keep Python's cyclic garbage collection on the main thread while a test server runs in a thread of its own.

The collector runs in whichever thread happens to allocate: run by a server's thread, it could destroy the
Qt objects of a test (a closed window, an old event loop's timers) off the GUI thread, and Qt then fires a
timer of a deleted object (a segfault, seen here). Servers hold collection off while they run; the last one
to stop turns it back on and collects in the calling (main) thread, where Qt objects may be destroyed.
"""

from __future__ import annotations

import gc
import threading


class _Holders:
    """How many servers hold collection off, and whether it was on before the first of them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = True


_HOLDERS = _Holders()


def hold() -> None:
    """A server starts: no automatic collection until every holder has released."""
    with _HOLDERS.lock:
        if _HOLDERS.count == 0:
            _HOLDERS.was_enabled = gc.isenabled()
            gc.collect()
            gc.disable()
        _HOLDERS.count += 1


def release() -> None:
    """A server stopped (call once per ``hold``, from the main thread)."""
    with _HOLDERS.lock:
        _HOLDERS.count = max(0, _HOLDERS.count - 1)
        if _HOLDERS.count == 0 and _HOLDERS.was_enabled:
            gc.enable()
    gc.collect()
