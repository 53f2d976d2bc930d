"""A live session on the in-memory stock broker (stock_venue.py), for the session and UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.orders import Order, OrderRequest
from terminal.domain.risk import RiskLimits
from terminal.session.frame_clock import FrameClock
from terminal.session.order_manager import Notice
from terminal.session.session import Session
from tests.session.stock_venue import StockVenue
from tests.support.qt import run


@contextmanager
def stock_session(
    qtbot: QtBot, limits: RiskLimits | None = None, venue: StockVenue | None = None
) -> Iterator[tuple[Session, StockVenue, list[Notice]]]:
    clock = FrameClock(fps=60)
    venue = venue or StockVenue()
    session = Session(venue, "Broker", clock, limits=limits)
    notices: list[Notice] = []
    session.notice.connect(notices.append)
    clock.start()
    assert run(qtbot, session.start())
    session.set_active_symbol("AAPL")
    try:
        yield session, venue, notices
    finally:
        run(qtbot, session.close())
        clock.stop()


def place_limit(qtbot: QtBot, session: Session, price: str = "180.00", quantity: str = "2") -> Order:
    request = OrderRequest(
        "AAPL",
        Side.BUY,
        OrderType.LIMIT,
        quantity=Decimal(quantity),
        price=Decimal(price),
        time_in_force=TimeInForce.DAY,
    )
    return run(qtbot, session.manager.place(request))
