"""One soak run: the demo exchange as a child process, a real session on it (as the app opens the
Demo profile, without a window), activity and faults for the duration, then settling and the checks."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType

import qasync
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError
from PySide6.QtCore import QCoreApplication, QObject

from terminal.app.connect import connect
from terminal.app.demo_process import DemoProcess, DemoProcessError
from terminal.session.frame_clock import FrameClock
from terminal.session.order_gate import TicketError
from terminal.session.session import Session
from terminal.soak.activity import Trader
from terminal.soak.consistency import UNSETTLED, compare, unsettled
from terminal.soak.demo_admin import DemoAdmin, DemoAdminError
from terminal.soak.faults import FaultInjector
from terminal.soak.monitor import Monitor
from terminal.soak.report import Check, SoakResult, UnknownOutcomes
from terminal.soak.settings import SoakSettings
from terminal.storage.profiles import Profile
from terminal.storage.profiles import Venue as VenueKind
from terminal.storage.secrets import SecretStore
from terminal.venues.base import ConnectionState, Topic, Watch
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.soak")

WATCHED = (Topic.DEPTH, Topic.TRADES, Topic.TICKER)
READY_TIMEOUT_S = 60.0
DRAIN_TIMEOUT_S = 60.0  # order actions still awaiting the venue when the activity stops
STREAMS_TIMEOUT_S = 60.0
STREAM_GRACE_S = 3.0  # for the streams to deliver what is on its way before a check
FAILED_GRACE_S = 15.0  # with a stream given up, REST reconciliation may still settle some orders
CHECK_ATTEMPTS = 10  # the market keeps filling resting orders: look again until a quiet moment
CHECK_PAUSE_S = 2.0
FPS = 30


class SoakError(Exception):
    """The run could not be set up (the demo exchange or the session did not start)."""


class _NoKeyring(KeyringBackend):
    """The Demo profile needs no secret: nothing is read from or written to the user's keyring."""

    priority = -10  # never chosen by keyring's own detection

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the soak program keeps no secrets")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("the soak program keeps no secrets")


def run_soak(settings: SoakSettings) -> SoakResult:
    """Run a soak on a qasync loop over a (windowless) Qt application; Ctrl+C ends the activity early
    and still settles and checks; a second Ctrl+C stops at once."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    stop = asyncio.Event()
    # The Qt objects of the run belong to ``owner``, which outlives the loop: one collected while
    # the loop still delivers its posted events (a deleteLater of the demo's QProcess) crashes Qt.
    owner = QObject()
    previous = signal.getsignal(signal.SIGINT)

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        signal.signal(signal.SIGINT, previous)
        log.warning("interrupted: stopping the activity, then settling and checking (Ctrl+C again to quit)")
        loop.call_soon_threadsafe(stop.set)

    signal.signal(signal.SIGINT, interrupt)
    try:
        with loop:
            result: SoakResult = loop.run_until_complete(soak(settings, stop, owner))
    finally:
        signal.signal(signal.SIGINT, previous)
    del owner  # now that no event is delivered any more
    return result


async def soak(settings: SoakSettings, stop: asyncio.Event, owner: QObject) -> SoakResult:
    """The run itself, on a running qasync loop; its Qt objects are children of ``owner``."""
    begun = time.monotonic()
    result = SoakResult(settings, started_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    demo = DemoProcess(owner)
    clock = FrameClock(FPS, owner)
    session: Session | None = None
    admin: DemoAdmin | None = None
    watches: list[Watch] = []
    try:
        try:
            connection = await connect(
                Profile("Demo", VenueKind.DEMO),
                SecretStore(_NoKeyring()),
                demo,
                demo_arguments=_demo_arguments(settings),
            )
        except (DemoProcessError, VenueError, ValueError) as exc:
            raise SoakError(f"could not start the demo exchange: {exc}") from None
        endpoints = demo.endpoints
        if endpoints is None:
            raise SoakError("the demo exchange started but did not say where it listens")
        admin = DemoAdmin(endpoints.rest_url, endpoints.api_key)
        session = Session(connection.venue, "Demo", clock, owner)
        session.notice.connect(lambda notice: result.notices.update((notice.level,)))
        clock.start()
        since_ms = int(time.time() * 1000)
        if not await session.start():
            raise SoakError(f"the session could not connect: {session.status.session_reason}")
        watches = [session.watch(topic, symbol) for symbol in settings.symbols for topic in WATCHED]
        await _ready(session, settings.symbols)
        log.info("soak: %.1f min on %s, seed %d", settings.minutes, ", ".join(settings.symbols), settings.seed)
        try:
            await _exercise(settings, session, admin, stop, since_ms, result)
        except (DemoAdminError, TicketError, VenueError) as exc:
            result.errors.append(f"{type(exc).__name__}: {exc}")
            log.error("the soak stopped early: %s", exc, exc_info=settings.debug)
    finally:
        for watch in watches:
            watch.release()
        if session is not None:
            await session.close()
        clock.stop()
        if admin is not None:
            await admin.aclose()
        await demo.stop()
    result.total_s = round(time.monotonic() - begun, 1)
    return result


async def _exercise(
    settings: SoakSettings,
    session: Session,
    admin: DemoAdmin,
    stop: asyncio.Event,
    since_ms: int,
    result: SoakResult,
) -> None:
    """Activity, faults and sampling for the duration, then settling and both consistency checks."""
    started = time.monotonic()
    trader = Trader(session, settings.symbols, random.Random(f"{settings.seed}:orders"), debug=settings.debug)
    injector = FaultInjector(
        admin, session, settings.symbols, random.Random(f"{settings.seed}:faults"), settings.fault_interval, started
    )
    monitor = Monitor(session, started, settings.sample_every)
    monitor.sample()
    activity_stop, monitor_stop = asyncio.Event(), asyncio.Event()
    monitoring = asyncio.create_task(monitor.run(monitor_stop))
    activity = [
        asyncio.create_task(trader.run(activity_stop, settings.rate)),
        asyncio.create_task(injector.run(activity_stop)),
    ]
    try:
        await asyncio.wait_for(stop.wait(), settings.seconds)
        result.interrupted = True
    except TimeoutError:
        pass
    activity_stop.set()
    for outcome in await asyncio.gather(*activity, return_exceptions=True):
        if isinstance(outcome, BaseException):
            result.errors.append(f"{type(outcome).__name__}: {outcome}")
    result.activity_s = round(time.monotonic() - started, 1)
    log.info("activity over after %.0f s: settling", result.activity_s)
    try:
        stuck = await trader.drain(DRAIN_TIMEOUT_S)
        if stuck:
            result.errors.append(f"{stuck} order actions had no answer {DRAIN_TIMEOUT_S:.0f} s after the activity")
        await injector.clear()
        result.unsettled = await _settle(session, settings.settle_timeout)
        result.checks.append(await _check("with orders resting", session, admin, since_ms))
        for symbol in settings.symbols:
            await session.manager.cancel_all(symbol)
        result.unsettled = list(dict.fromkeys(result.unsettled + await _settle(session, settings.settle_timeout)))
        result.checks.append(await _check("after cancelling every order", session, admin, since_ms))
    finally:
        result.streams = _stream_states(session)
        result.errors += [f"stream {failure}" for failure in _failed(session)]
        monitor_stop.set()
        await asyncio.gather(monitoring, return_exceptions=True)
        monitor.sample()
        result.samples = monitor.samples
        result.activity = trader.stats
        result.faults = injector.records
        result.errors += trader.stats.errors + injector.errors
        result.unknown = _unknown_outcomes(session, trader.stats.unknown)


def _demo_arguments(settings: SoakSettings) -> list[str]:
    arguments = ["--seed", str(settings.seed), "--symbols", ",".join(settings.symbols), "--history-days", "1"]
    if settings.demo_rate is not None:
        arguments += ["--rate", str(settings.demo_rate)]
    return arguments


async def _until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def _ready(session: Session, symbols: tuple[str, ...]) -> None:
    def ready() -> bool:
        books = session.market.books
        return bool(session.account.balances) and all(s in books for s in symbols)

    if not await _until(ready, READY_TIMEOUT_S):
        raise SoakError(f"no balances or books after {READY_TIMEOUT_S:.0f} s")


async def _settle(session: Session, timeout: float) -> list[str]:
    """Wait until no order is in flight or of unknown outcome and the streams are live; what remains.

    A stream that has given up (FAILED) will not bring the missing reports: then the wait is cut short."""
    if not await _until(lambda: not unsettled(session.orders.orders.values()) or bool(_failed(session)), timeout):
        log.warning("orders still unsettled after %.0f s", timeout)
    failed = _failed(session)
    if failed:
        log.warning("streams have given up: %s", "; ".join(failed))
        await _until(lambda: not unsettled(session.orders.orders.values()), FAILED_GRACE_S)
    elif not await _until(lambda: _streams_live(session), STREAMS_TIMEOUT_S):
        log.warning("streams not live after %.0f s: %s", STREAMS_TIMEOUT_S, _stream_states(session))
    await asyncio.sleep(STREAM_GRACE_S)
    return [f"{o.client_order_id} {o.status}" for o in unsettled(session.orders.orders.values())]


def _failed(session: Session) -> list[str]:
    return [f"{name}: {e.reason}" for name, e in session.status.streams.items() if e.state is ConnectionState.FAILED]


def _stream_states(session: Session) -> dict[str, str]:
    return {
        name: f"{e.state} ({e.reason})" if e.reason else str(e.state)
        for name, e in sorted(session.status.streams.items())
    }


def _streams_live(session: Session) -> bool:
    streams = session.status.streams
    return "private" in streams and all(
        e.state in (ConnectionState.LIVE, ConnectionState.CLOSED) for e in streams.values()
    )


async def _check(name: str, session: Session, admin: DemoAdmin, since_ms: int) -> Check:
    for attempt in range(1, CHECK_ATTEMPTS + 1):
        state = await admin.state()
        orders = session.orders
        differences = compare(
            orders.orders.values(), orders.fills.values(), session.account.balances, state, since_ms=since_ms
        )
        if not differences or attempt == CHECK_ATTEMPTS:
            log.info("consistency %s: %d differences (attempt %d)", name, len(differences), attempt)
            return Check(name, attempt, differences)
        log.info("consistency %s: %d differences; looking again in %.0f s", name, len(differences), CHECK_PAUSE_S)
        await asyncio.sleep(CHECK_PAUSE_S)
    raise AssertionError("unreachable: the last attempt returns")


def _unknown_outcomes(session: Session, client_order_ids: list[str]) -> UnknownOutcomes:
    placed = never_placed = unresolved = 0
    for cid in client_order_ids:
        order = session.orders.get(cid)
        if order is None or order.status in UNSETTLED:
            unresolved += 1
        elif order.venue_status is None:
            never_placed += 1
        else:
            placed += 1
    return UnknownOutcomes(len(client_order_ids), placed, never_placed, unresolved)
