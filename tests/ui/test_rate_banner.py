"""The rate banner: hidden normally, a counting-down warning while the venue answers 429, a red bar while
it blocks us (418), the queued requests, "×" until the next 429; and live, on a session the demo limits."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.session.session import Session
from terminal.session.status_store import StatusStore
from terminal.ui import theme
from terminal.ui.rate_banner import RateBanner
from terminal.venues.base import VenueStatus
from terminal.venues.errors import RateLimited
from tests.support.qt import run, wait


@dataclass
class Source:
    """The part of a session the banner reads: its status store (a real one, signal and all)."""

    status: StatusStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def source() -> Source:
    return Source(StatusStore())


@pytest.fixture
def banner(qtbot: QtBot, clock: Clock, source: Source) -> RateBanner:
    widget = RateBanner(clock=clock)
    qtbot.addWidget(widget)
    widget.bind(source)
    return widget


def publish(source: Source, **figures: object) -> None:
    """What the session does: set the venue's figures, then flush once per frame."""
    source.status.set_venue(VenueStatus(**figures))  # type: ignore[arg-type]
    source.status.flush()


def tick(qtbot: QtBot, banner: RateBanner, clock: Clock, seconds: float) -> None:
    """Move the banner's clock on and let its one-second timer fire."""
    clock.now += seconds
    qtbot.waitUntil(lambda: f"in {banner.seconds_left()} s" in banner.message.text() or banner.isHidden())


def test_it_is_hidden_while_nothing_is_limited(banner: RateBanner, source: Source) -> None:
    assert banner.isHidden()
    publish(source, queued_requests=3, rate_headroom={"order": 0})  # queued but not limited: the status bar says so
    assert banner.isHidden()


def test_a_429_shows_a_countdown_that_moves_without_status_updates(
    qtbot: QtBot, banner: RateBanner, source: Source, clock: Clock
) -> None:
    changes: list[bool] = []
    banner.visibility_changed.connect(changes.append)
    publish(source, rate_limited_for=41.3)
    assert not banner.isHidden() and banner.shown
    assert banner.message.text() == (
        "The venue is limiting our requests (HTTP 429). Orders are held back; sending resumes in 42 s."
    )
    assert theme.current().warn in banner.styleSheet()
    tick(qtbot, banner, clock, 1.0)
    assert banner.message.text().endswith("sending resumes in 41 s.")
    tick(qtbot, banner, clock, 30.0)
    assert banner.message.text().endswith("sending resumes in 11 s.")
    tick(qtbot, banner, clock, 11.0)
    assert banner.isHidden()  # the pause is over: gone without a word from the session
    assert changes == [True, False] and not banner.shown  # once each way, not once a second


def test_the_countdown_runs_on_its_own_timer(qtbot: QtBot) -> None:
    source = Source(StatusStore())
    banner = RateBanner()  # the real monotonic clock
    qtbot.addWidget(banner)
    banner.bind(source)
    publish(source, rate_limited_for=1.6)
    assert banner.message.text().endswith("sending resumes in 2 s.")
    qtbot.waitUntil(lambda: banner.message.text().endswith("sending resumes in 1 s."), timeout=3000)
    qtbot.waitUntil(banner.isHidden, timeout=3000)


def test_status_updates_keep_the_deadline_and_an_ended_pause_hides_it(
    banner: RateBanner, source: Source, clock: Clock
) -> None:
    publish(source, rate_limited_for=10.0)
    clock.now += 4.0
    publish(source, rate_limited_for=6.0)
    assert banner.message.text().endswith("sending resumes in 6 s.")
    publish(source, rate_limited_for=0.0)
    assert banner.isHidden()


def test_queued_requests_are_counted(banner: RateBanner, source: Source) -> None:
    publish(source, rate_limited_for=5.0, queued_requests=1)
    assert banner.message.text().endswith("sending resumes in 5 s. 1 request waiting.")
    publish(source, rate_limited_for=4.5, queued_requests=3)
    assert banner.message.text().endswith("sending resumes in 5 s. 3 requests waiting.")


def test_closing_it_hides_it_until_the_next_429(qtbot: QtBot, banner: RateBanner, source: Source, clock: Clock) -> None:
    publish(source, rate_limited_for=20.0)
    banner.close_button.click()
    assert banner.isHidden()
    clock.now += 2.0
    publish(source, rate_limited_for=18.0, queued_requests=2)  # the same pause: stays hidden
    assert banner.isHidden()
    clock.now += 3.0
    publish(source, rate_limited_for=60.0)  # the venue answered 429 again: a pause that ends later
    assert not banner.isHidden()
    assert banner.message.text().endswith("sending resumes in 60 s.")


def test_a_block_is_red_with_its_countdown_when_known(banner: RateBanner, source: Source, clock: Clock) -> None:
    publish(source, banned=True)
    assert not banner.isHidden()
    assert banner.message.text() == (
        "The venue has blocked requests from this address (HTTP 418). Nothing is sent; the block ends when the"
        " venue lifts it."
    )
    assert theme.current().sell in banner.styleSheet()
    banner.dismiss()
    assert banner.isHidden()
    publish(source, banned=False)
    publish(source, banned=True, rate_limited_for=120.0, queued_requests=4)  # blocked again: back
    assert banner.message.text().endswith("the block ends in 120 s. 4 requests waiting.")


def test_binding_another_session_lets_go_of_the_first(banner: RateBanner, source: Source) -> None:
    publish(source, rate_limited_for=30.0)
    other = Source(StatusStore())
    banner.bind(other)
    assert banner.isHidden()  # the new session is not limited
    publish(source, rate_limited_for=50.0)
    assert banner.isHidden()  # the first session no longer reaches it
    publish(other, rate_limited_for=7.0)
    assert banner.message.text().endswith("sending resumes in 7 s.")
    banner.bind(None)
    assert banner.isHidden()


def test_a_live_session_that_the_venue_limits_shows_it_and_recovers(
    qtbot: QtBot, demo: Endpoints, session: Session
) -> None:
    banner = RateBanner()
    qtbot.addWidget(banner)
    banner.bind(session)
    assert banner.isHidden()
    # Once the streams are up the session sends no signed request by itself: the next one is ours.
    wait(qtbot, lambda: all(e.state.value == "live" for e in session.status.streams.values()))
    httpx.post(f"{demo.rest_url}/_demo/rate-limit", json={"seconds": 3}, timeout=10).raise_for_status()
    with pytest.raises(RateLimited):
        run(qtbot, session.venue.open_orders())
    wait(qtbot, banner.isVisible, timeout=5)
    assert banner.message.text().startswith("The venue is limiting our requests (HTTP 429).")
    assert 1 <= banner.seconds_left() <= 3
    wait(qtbot, banner.isHidden, timeout=8)
    wait(qtbot, lambda: session.status.venue.rate_limited_for == 0, timeout=5)
    assert banner.isHidden()  # the session's next figures agree: the pause is over
