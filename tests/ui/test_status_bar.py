"""The status bar on a venue with its own links (Deriv's one "deriv" link) instead of HashKey's three."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from pytestqt.qtbot import QtBot

from terminal.session.session import Session
from terminal.session.status_store import StatusStore
from terminal.ui.status_bar import StatusBar
from terminal.venues.base import Capabilities, ConnectionEvent, ConnectionState


def _bound(qtbot: QtBot, contracts: bool, venue: str = "HashKey") -> tuple[StatusBar, StatusStore]:
    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.show()
    store = StatusStore()
    session = SimpleNamespace(
        name="P",
        status=store,
        venue=SimpleNamespace(capabilities=Capabilities(venue, not contracts, contracts=contracts)),
    )
    bar.bind(cast(Session, session))
    return bar, store


def test_a_venue_s_own_link_gets_a_chip_and_hashkey_s_links_are_not_shown(qtbot: QtBot) -> None:
    bar, store = _bound(qtbot, contracts=True, venue="Deriv")
    assert not any(label.isVisible() for label in bar.streams.values())
    assert not bar.clock.isVisible()  # Deriv signs nothing: no clock offset to show
    store.apply(ConnectionEvent("deriv", ConnectionState.RECONNECTING, 2, 1.5, "closed by the venue (1006)"))
    store.flush()
    chip = bar.streams["deriv"]
    assert chip.isVisible() and chip.text() == "deriv: reconnecting"
    assert chip.toolTip() == "attempt 2, in 1.5 s: closed by the venue (1006)"
    assert not any(bar.streams[name].isVisible() for name in ("public_v1", "public_v2", "private"))
    store.apply(ConnectionEvent("deriv", ConnectionState.LIVE))
    store.flush()
    assert chip.text() == "deriv: live"


def test_hashkey_s_links_show_waiting_until_they_report(qtbot: QtBot) -> None:
    bar, store = _bound(qtbot, contracts=False)
    assert [bar.streams[n].text() for n in ("public_v1", "public_v2", "private")] == [
        "trades: -",
        "market: -",
        "account: -",
    ]
    assert all(bar.streams[n].isVisible() for n in ("public_v1", "public_v2", "private")) and bar.clock.isVisible()
    store.apply(ConnectionEvent("public_v2", ConnectionState.LIVE))
    store.flush()
    assert bar.streams["public_v2"].text() == "market: live"
    assert bar.streams["private"].isVisible() and bar.streams["private"].text() == "account: -"


def test_another_order_book_venue_shows_only_its_own_links(qtbot: QtBot) -> None:
    bar, store = _bound(qtbot, contracts=False, venue="Longbridge")
    assert not any(bar.streams[n].isVisible() for n in ("public_v1", "public_v2", "private"))
    store.apply(ConnectionEvent("longbridge-quotes", ConnectionState.LIVE))
    store.flush()
    assert (
        bar.streams["longbridge-quotes"].isVisible()
        and bar.streams["longbridge-quotes"].text() == "longbridge-quotes: live"
    )
