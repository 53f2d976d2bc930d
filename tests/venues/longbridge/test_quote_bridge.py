"""The quote bridge against a stand-in SDK context that, like the real one, pushes from its own thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from terminal.venues.longbridge.quote_bridge import PushKind, QuoteBridge, QuotePush, SdkCallback


class StandInContext:
    """Behaves like ``AsyncQuoteContext``: callbacks fire on a thread of its own, requests return
    futures that that thread completes."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.callbacks: dict[PushKind, SdkCallback] = {}

    def set_on_quote(self, callback: SdkCallback) -> None:
        self.callbacks["quote"] = callback

    def set_on_depth(self, callback: SdkCallback) -> None:
        self.callbacks["depth"] = callback

    def set_on_trades(self, callback: SdkCallback) -> None:
        self.callbacks["trades"] = callback

    def set_on_candlestick(self, callback: SdkCallback) -> None:
        self.callbacks["candlestick"] = callback

    def push(self, kind: PushKind, symbol: str, event: object) -> None:
        self.callbacks[kind](symbol, event)

    def on_sdk_thread(self, work: Callable[[], None]) -> threading.Thread:
        thread = threading.Thread(target=work, name="sdk-runtime", daemon=True)
        thread.start()
        return thread

    def depth(self, symbol: str, release: threading.Event) -> asyncio.Future[str]:
        """A request the server answers only once ``release`` is set."""
        future: asyncio.Future[str] = self.loop.create_future()

        def answer() -> None:
            release.wait(10)
            self.loop.call_soon_threadsafe(future.set_result, f"depth of {symbol}")

        self.on_sdk_thread(answer)
        return future


def make_bridge(loop: asyncio.AbstractEventLoop) -> tuple[QuoteBridge, StandInContext, list[tuple[int, QuotePush]]]:
    context = StandInContext(loop)
    received: list[tuple[int, QuotePush]] = []
    bridge = QuoteBridge(lambda: context, lambda push: received.append((threading.get_ident(), push)), loop)
    return bridge, context, received


async def drain(loop: asyncio.AbstractEventLoop) -> None:
    # A round trip through call_soon_threadsafe runs after everything queued before it.
    done = loop.create_future()
    loop.call_soon_threadsafe(done.set_result, None)
    await done


async def test_context_is_created_once_and_only_when_first_used() -> None:
    loop = asyncio.get_running_loop()
    made: list[StandInContext] = []

    def factory() -> StandInContext:
        made.append(StandInContext(loop))
        return made[-1]

    bridge = QuoteBridge(factory, lambda push: None, loop)
    assert made == []
    assert bridge.context is bridge.context
    assert len(made) == 1
    assert set(made[0].callbacks) == {"quote", "depth", "trades", "candlestick"}


async def test_pushes_from_the_sdk_thread_arrive_on_the_loop_thread_in_order() -> None:
    loop = asyncio.get_running_loop()
    bridge, context, received = make_bridge(loop)
    _ = bridge.context
    kinds: tuple[PushKind, ...] = ("quote", "depth", "trades", "candlestick")
    sent = [(kinds[i % 4], f"S{i % 3}.HK", i) for i in range(400)]

    def emit() -> None:
        for kind, symbol, seq in sent:
            context.push(kind, symbol, seq)

    context.on_sdk_thread(emit).join()
    await drain(loop)

    assert {thread for thread, _ in received} == {threading.get_ident()}
    assert [(push.kind, push.symbol, push.event) for _, push in received] == sent


async def test_a_slow_request_leaves_the_loop_free() -> None:
    loop = asyncio.get_running_loop()
    bridge, context, received = make_bridge(loop)
    release = threading.Event()
    order: list[str] = []

    async def request() -> None:
        result = await bridge.call(lambda c: context.depth("700.HK", release))
        order.append(result)

    pending = asyncio.create_task(request())
    await asyncio.sleep(0)
    # While the request waits on the SDK, pushes still get through and loop code still runs; the loop
    # itself releases the answer, so a blocked loop would never see the request finish.
    context.on_sdk_thread(lambda: context.push("depth", "700.HK", "book")).join()
    await drain(loop)
    order.append(f"push {received[-1][1].event}")
    release.set()
    await asyncio.wait_for(pending, 10)

    assert order == ["push book", "depth of 700.HK"]


async def test_close_unhooks_callbacks_and_drops_pushes_already_queued() -> None:
    loop = asyncio.get_running_loop()
    bridge, context, received = make_bridge(loop)
    _ = bridge.context
    context.push("quote", "700.HK", "queued before close")  # queued on the loop, not yet delivered
    bridge.close()
    context.push("quote", "700.HK", "after close")
    await drain(loop)

    assert received == []
    assert len(set(context.callbacks.values())) == 1  # all four unhooked to the same no-op
    with pytest.raises(RuntimeError):
        _ = bridge.context


async def test_a_failing_sink_does_not_stop_later_pushes(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.get_running_loop()
    context = StandInContext(loop)
    seen: list[Any] = []

    def sink(push: QuotePush) -> None:
        if push.event == 1:
            raise ValueError("bad push")
        seen.append(push.event)

    bridge = QuoteBridge(lambda: context, sink, loop)
    _ = bridge.context
    for seq in range(3):
        context.push("trades", "AAPL.US", seq)
    await drain(loop)

    assert seen == [0, 2]
    assert "could not be handled" in caplog.text


def test_a_push_after_the_loop_closed_is_dropped_quietly() -> None:
    loop = asyncio.new_event_loop()
    bridge, context, received = make_bridge(loop)
    _ = bridge.context
    loop.close()

    errors: list[BaseException] = []

    def late_push() -> None:
        try:
            context.push("quote", "700.HK", "late")
        except BaseException as exc:
            errors.append(exc)

    context.on_sdk_thread(late_push).join()
    assert errors == []
    assert received == []
