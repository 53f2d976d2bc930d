"""Owns the Longbridge SDK's async quote context and hands its pushes to the asyncio loop, in order.

Measured for issue #11: the SDK calls plain push callbacks on its own Rust runtime thread, and its
*sync* ``QuoteContext`` keeps the GIL while it waits on the network (a 30 s freeze of every Python
thread, so ``asyncio.to_thread`` cannot help). Only ``AsyncQuoteContext`` (package ``longbridge``
>= 5.3) is used: its calls are awaitables that leave the loop free, and every push crosses to the
loop through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

log = logging.getLogger("terminal.venues.longbridge.quotes")

T = TypeVar("T")
PushKind = Literal["quote", "depth", "trades", "candlestick"]
SdkCallback = Callable[[str, Any], None]


class AsyncQuoteApi(Protocol):
    """The part of ``longbridge.openapi.AsyncQuoteContext`` the bridge relies on. Typed here so the
    bridge and its tests need not import the SDK; the real class (5.3.0, with its shipped stubs)
    satisfies this protocol under ``mypy --strict``."""

    def set_on_quote(self, callback: SdkCallback) -> None: ...
    def set_on_depth(self, callback: SdkCallback) -> None: ...
    def set_on_trades(self, callback: SdkCallback) -> None: ...
    def set_on_candlestick(self, callback: SdkCallback) -> None: ...


@dataclass(frozen=True, slots=True)
class QuotePush:
    """One push from the SDK, delivered on the loop thread; ``event`` is the SDK's own object
    (``PushQuote``, ``PushDepth``, ``PushTrades`` or ``PushCandlestick``), mapped by the stream."""

    kind: PushKind
    symbol: str
    event: object


class QuoteBridge:
    """Creates the SDK context on first use, forwards its pushes to ``sink`` on ``loop``, and runs SDK
    calls as awaitables. Pushes keep the SDK's order; pushes after ``close()`` are dropped."""

    def __init__(
        self,
        factory: Callable[[], AsyncQuoteApi],
        sink: Callable[[QuotePush], None],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self._factory = factory
        self._sink = sink
        self._loop = loop
        self._context: AsyncQuoteApi | None = None
        self._closed = False

    @property
    def context(self) -> AsyncQuoteApi:
        """The SDK context, created (and its callbacks wired) on first access. Creation does no I/O:
        the SDK connects on the first request, so this is safe on the loop thread."""
        if self._closed:
            raise RuntimeError("quote bridge is closed")
        if self._context is None:
            context = self._factory()
            context.set_on_quote(self._forwarder("quote"))
            context.set_on_depth(self._forwarder("depth"))
            context.set_on_trades(self._forwarder("trades"))
            context.set_on_candlestick(self._forwarder("candlestick"))
            self._context = context
        return self._context

    async def call(self, request: Callable[[AsyncQuoteApi], Awaitable[T]]) -> T:
        """Run one SDK request, e.g. ``await bridge.call(lambda c: c.depth("700.HK"))``."""
        return await request(self.context)

    def close(self) -> None:
        """Stop forwarding. The SDK context itself closes when the last reference to it goes."""
        self._closed = True
        context, self._context = self._context, None
        if context is not None:
            # The SDK's stubs do not admit None here, so unhook with a callback that does nothing.
            context.set_on_quote(_ignore)
            context.set_on_depth(_ignore)
            context.set_on_trades(_ignore)
            context.set_on_candlestick(_ignore)

    def _forwarder(self, kind: PushKind) -> SdkCallback:
        def forward(symbol: str, event: object) -> None:
            # Runs on the SDK's thread: touch nothing of ours here, only queue onto the loop.
            with contextlib.suppress(RuntimeError):  # the loop is closed: the app is shutting down
                self._loop.call_soon_threadsafe(self._deliver, QuotePush(kind, symbol, event))

        return forward

    def _deliver(self, push: QuotePush) -> None:
        if self._closed:
            return
        try:
            self._sink(push)
        except Exception:  # one bad push must not stop the ones behind it
            log.exception("quote push %s %s could not be handled", push.kind, push.symbol)


def _ignore(symbol: str, event: object) -> None:
    """Stands in for a push callback once the bridge is closed."""
