"""Watchers of equal keys share one subscription; the last to leave releases it; an ended one is reopened."""

from __future__ import annotations

from terminal.venues.deriv.subscriptions import Hold, SharedStreams, Subscription


def _subscription(released: list[Subscription]) -> Subscription:
    return Subscription(lambda: {"ticks_history": "R_50"}, lambda message: None, None, released.append)


async def test_a_subscription_knows_its_method_and_releases_once() -> None:
    released: list[Subscription] = []
    subscription = _subscription(released)
    assert subscription.method == "ticks_history" and subscription.live
    subscription.release()
    subscription.release()
    assert released == [subscription] and not subscription.live


def test_a_hold_releases_once() -> None:
    calls: list[int] = []
    hold = Hold(lambda: calls.append(1))
    hold.release()
    hold.release()
    assert calls == [1]
    Hold().release()  # a no-op watch


async def test_equal_keys_share_until_the_last_leaves() -> None:
    released: list[Subscription] = []
    opened: list[Subscription] = []
    shared: SharedStreams[str] = SharedStreams()

    def open_stream() -> Subscription:
        opened.append(_subscription(released))
        return opened[-1]

    first = shared.hold("R_50", open_stream)
    second = shared.hold("R_50", open_stream)
    other = shared.hold("R_100", open_stream)
    assert len(opened) == 2
    assert shared.watchers() == {"R_50": 2, "R_100": 1}
    first.release()
    first.release()  # a second release of the same hold counts once
    assert released == []
    second.release()
    assert released == [opened[0]]
    assert shared.get("R_50") is None
    other.release()
    assert released == opened


async def test_a_stream_the_venue_ended_is_opened_again_for_the_next_watcher() -> None:
    released: list[Subscription] = []
    opened: list[Subscription] = []
    shared: SharedStreams[str] = SharedStreams()

    def open_stream() -> Subscription:
        opened.append(_subscription(released))
        return opened[-1]

    old = shared.hold("spec", open_stream)
    opened[0].ended = True
    new = shared.hold("spec", open_stream)
    assert len(opened) == 2 and shared.get("spec") is opened[1]
    old.release()  # the old watcher leaving does not end the new stream
    assert released == [opened[0]]
    new.release()
    assert released == opened
