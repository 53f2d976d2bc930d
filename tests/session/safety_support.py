"""Shared pieces of the trading-safety tests: a journaled session on the demo exchange, and the
demo's ground truth to compare it with."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from terminal.demo.server.app import Endpoints
from terminal.domain.risk import RiskLimits
from terminal.session.frame_clock import FrameClock
from terminal.session.session import Session
from terminal.storage.journal import Journal
from terminal.venues.base import Topic
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from tests.support.qt import run, wait


def open_session(
    qtbot: QtBot, demo: Endpoints, journal_file: Path, limits: RiskLimits | None = None
) -> tuple[Session, FrameClock]:
    clock = FrameClock(fps=30)
    venue = HashKeyVenue(Hosts(demo.rest_url, demo.stream_url), Credentials(demo.api_key, demo.api_secret))
    session = Session(venue, "Demo", clock, journal=Journal(journal_file, "Demo"), limits=limits)
    clock.start()
    assert run(qtbot, session.start())
    return session, clock


def close_session(qtbot: QtBot, session: Session, clock: FrameClock) -> None:
    run(qtbot, session.close(), timeout=30)
    clock.stop()
    if session.journal is not None:
        session.journal.close()


def ready(qtbot: QtBot, session: Session, *symbols: str) -> None:
    """The books of ``symbols`` and the balances are in: prices and funds are known."""
    for symbol in symbols:
        session.watch(Topic.DEPTH, symbol)
    wait(qtbot, lambda: all(s in session.market.books for s in symbols) and "USDT" in session.account.balances)
    wait(qtbot, lambda: session.status.streams.get("private") is not None)


def far_bid(session: Session, symbol: str, factor: str = "0.95") -> Decimal:
    book = session.market.books[symbol]
    assert book.best_bid is not None
    return (book.best_bid * Decimal(factor)).quantize(session.venue.instruments[symbol].tick_size)


def state(demo: Endpoints) -> dict[str, Any]:
    response = httpx.get(f"{demo.rest_url}/_demo/state", params={"api_key": demo.api_key}, timeout=10)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def open_ids(demo: Endpoints) -> list[str]:
    return [o["clientOrderId"] for o in state(demo)["openOrders"]]


def fault(demo: Endpoints, path: str, body: dict[str, Any]) -> None:
    httpx.post(f"{demo.rest_url}{path}", json=body, timeout=10).raise_for_status()


def differences(session: Session, truth: dict[str, Any]) -> list[str]:
    """Where the terminal's orders, fills and balances differ from the demo's ground truth."""
    found: list[str] = []
    venue_open = {o["clientOrderId"]: o for o in truth["openOrders"]}
    ours_open = {o.client_order_id: o for o in session.orders.working()}
    for cid in venue_open.keys() - ours_open.keys():
        found.append(f"open at the venue, not in the terminal: {cid}")
    for cid in ours_open.keys() - venue_open.keys():
        found.append(f"open in the terminal, not at the venue: {cid} ({ours_open[cid].status})")
    for cid in venue_open.keys() & ours_open.keys():
        if Decimal(venue_open[cid]["executedQty"]) != ours_open[cid].executed_qty:
            found.append(f"{cid}: executed {ours_open[cid].executed_qty} here, {venue_open[cid]['executedQty']} there")
    venue_fills = {str(f["id"]) for f in truth["fills"]}
    ours_fills = set(session.orders.fills)
    for trade in sorted(venue_fills - ours_fills):
        found.append(f"fill {trade} missing in the terminal")
    for trade in sorted(ours_fills - venue_fills):
        found.append(f"fill {trade} unknown to the venue")
    for row in truth["balances"]:
        ours = session.account.balances.get(row["asset"])
        free, locked = Decimal(row["free"]), Decimal(row["locked"])
        if ours is None:
            if free or locked:
                found.append(f"balance {row['asset']} missing")
        elif (ours.free, ours.locked) != (free, locked):
            found.append(f"balance {row['asset']}: {ours.free}/{ours.locked} here, {free}/{locked} there")
    return found
