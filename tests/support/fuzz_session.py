"""A live session for fuzzing the trading UI against the demo exchange: every REST request it sends
is recorded, and each fuzzed example ends with the checks of what left the terminal."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.enums import OrderStatus
from terminal.session.frame_clock import FrameClock
from terminal.session.order_gate import TicketError
from terminal.session.session import Session
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from tests.support.qt import run, wait
from tests.support.request_guard import PlaceLog, WireCall, WireRecorder, describe, order_problems, recorded_venue

SYMBOL = "BTCUSDT"


@dataclass
class FuzzSession:
    session: Session
    recorder: WireRecorder
    places: PlaceLog

    def ready(self) -> bool:
        """A book, a reference price and both balances: what the ticket and the ladder size and check with."""
        session = self.session
        return (
            SYMBOL in session.market.books
            and session.manager.reference_price(SYMBOL) is not None
            and {"USDT", "BTC"} <= set(session.account.balances)
        )

    def submitting(self) -> bool:
        return any(order.status is OrderStatus.SUBMITTING for order in self.session.orders.orders.values())

    def settle(self, qtbot: QtBot) -> None:
        """Wait until every order the last actions started has reached the venue and come back."""
        qtbot.wait(50)  # tasks spawned by a click start on the next loop iterations
        wait(qtbot, lambda: not self.submitting() and self.recorder.in_flight == 0, timeout=30)

    def cancel_working(self, qtbot: QtBot) -> None:
        """Free the funds and the open-order slots for the next example."""
        if self.session.orders.working(SYMBOL):
            # Refused (a rate limit): the next example simply has less to spend.
            with contextlib.suppress(TicketError):
                run(qtbot, self.session.manager.cancel_all(SYMBOL))


@contextlib.contextmanager
def fuzz_session(qtbot: QtBot, demo: Endpoints, monkeypatch: pytest.MonkeyPatch) -> Iterator[FuzzSession]:
    """A started session on ``demo`` with SYMBOL active, recorded on the wire, closed on exit."""
    recorder = WireRecorder()
    hosts, credentials = Hosts(demo.rest_url, demo.stream_url), Credentials(demo.api_key, demo.api_secret)
    venue = run(qtbot, recorded_venue(hosts, credentials, recorder))
    clock = FrameClock(fps=60)
    session = Session(venue, "Fuzz", clock)
    clock.start()
    try:
        assert run(qtbot, session.start())
        session.set_active_symbol(SYMBOL)
        yield FuzzSession(session, recorder, PlaceLog(session.manager, monkeypatch))
    finally:
        # Closing deletes the listen key, a paced query: after a 429 it waits out the pause (up to 60 s).
        run(qtbot, session.close(), timeout=90)
        clock.stop()


@dataclass
class Tally:
    """What the examples of a run did, so that a run that sent nothing (or refused nothing) shows."""

    presses: int = 0
    sent: int = 0
    accepted: int = 0
    refused_by_venue: list[str] = field(default_factory=list)

    def check(self, fuzz: FuzzSession, since: int, presses: int) -> None:
        """No more orders left since ``since`` than ``presses`` asked for, and each was valid."""
        sent: list[WireCall] = fuzz.recorder.orders(since)
        shown = [describe(call) for call in sent]
        assert len(sent) <= presses, f"{len(sent)} orders left for {presses} presses: {shown}"
        for call in sent:
            problems = order_problems(call, fuzz.places.references)
            assert problems == [], f"{describe(call)}: {problems}"
        self.presses += presses
        self.sent += len(sent)
        self.accepted += sum(call.error_code is None for call in sent)
        self.refused_by_venue += [str(call.error_code) for call in sent if call.error_code is not None]


def run_examples(example: Callable[[st.DataObject], None], count: int) -> None:
    """Run ``count`` generated examples of ``example`` on the test's loop; the first failure is reported as found."""

    @settings(
        max_examples=count,
        deadline=None,
        # Each run meets another market: a stored or shrunk example would not replay the same way,
        # so the first failing example is the one reported.
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        example(data)

    examples()


def require_qt_exception_capture(request: pytest.FixtureRequest) -> None:
    """pytest-qt turns an exception inside a Qt slot or event handler into a failure only with its
    capture on: a fuzz test that never crashes must run with it."""
    assert not request.config.getini("qt_no_exception_capture")
    assert request.node.get_closest_marker("qt_no_exception_capture") is None
