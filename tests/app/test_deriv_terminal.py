"""The whole terminal on a Deriv profile, end to end against the local Deriv test server.

The server checks every request the terminal sends against Deriv's ``send.json`` schemas and every answer
it sends against ``receive.json``; each test ends by asserting that nothing violated them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from terminal.domain.contracts import ContractStatus
from terminal.storage.profiles import Profile, Venue
from terminal.venues.base import ConnectionState
from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import READ_LOGIN, READ_TOKEN, TRADE_LOGIN, TRADE_TOKEN, started_server
from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal, terminal


@pytest.fixture
def server() -> Iterator[DerivTestServer]:
    server = started_server(tick_interval=0.1)
    try:
        yield server
    finally:
        server.stop()
    assert server.violations == []


def _open(qtbot: QtBot, t: Terminal, server: DerivTestServer, login: str, token: str) -> None:
    profile = Profile("Deriv test", Venue.DERIV, stream_url=server.url, app_id=36544, api_key=login)
    t.controller.secrets.set(profile.name, login, token)
    assert run(qtbot, t.controller.open(profile), timeout=30)
    wait(qtbot, lambda: t.session.contracts.account is not None and "USD" in t.session.account.balances)


@pytest.fixture
def deriv(qtbot: QtBot, aloop: object, tmp_path: Path, server: DerivTestServer) -> Iterator[Terminal]:
    with terminal(qtbot, tmp_path) as t:
        _open(qtbot, t, server, TRADE_LOGIN, TRADE_TOKEN)
        t.session.set_active_symbol("R_100")
        yield t


def test_authorized_account_scopes_symbols_grouped_and_no_order_book(
    qtbot: QtBot, deriv: Terminal, server: DerivTestServer
) -> None:
    window = deriv.window
    assert server.app_ids and set(server.app_ids) == {"36544"}
    assert server.requests_of("authorize")[0]["authorize"] == TRADE_TOKEN
    wait(qtbot, lambda: "VRTC1001 · USD · virtual" in window.account_label.text())
    assert "scopes: read, trade, trading_information" in window.account_label.text()
    assert deriv.session.venue.permissions.can_trade
    # Markets: every active symbol, grouped by market, the group in its own column.
    model = window.markets.model
    symbols = [model.key_at(row) for row in range(model.rowCount())]
    assert set(symbols) == {"R_100", "R_50", "1HZ100V", "frxEURUSD", "frxUSDJPY"}
    groups = [deriv.session.venue.instruments[str(s)].group for s in symbols]
    assert groups == sorted(groups) and groups[0].startswith("Derived")
    assert not window.markets.table.isColumnHidden(5) and window.markets.table.isColumnHidden(3)
    # The ladder says plainly that there is no book; the ticket is the contract ticket.
    assert window.ladder.stack.currentWidget() is window.ladder.no_book
    assert "no order book" in window.ladder.no_book.text()
    assert window.ticket.trades_contracts and window.ticket.windowTitle() == "Contract ticket"
    assert window.orders.windowTitle() == "Contracts"
    # The balance stream fills the balances dock.
    assert deriv.session.account.balances["USD"].free == server.balance_of(TRADE_LOGIN)


def test_candles_from_history_the_ohlc_stream_and_the_tick_line(
    qtbot: QtBot, deriv: Terminal, server: DerivTestServer
) -> None:
    chart = deriv.window.chart
    assert not chart.buttons[chart.interval].isHidden() and chart.buttons[chart.interval].isVisible()
    assert chart.tick_button.isVisible()
    wait(qtbot, lambda: chart.data is not None and len(chart.data.series) >= 500)
    history = [r for r in server.requests_of("ticks_history") if r.get("style") == "candles"]
    assert any(r.get("subscribe") == 1 for r in history) and any("subscribe" not in r for r in history)
    series = chart.data.series
    live = series.candle(len(series) - 1)
    wait(qtbot, lambda: series.candle(len(series) - 1) != live)  # the ohlc stream moves the live candle
    # The tick line: the tick stream drawn point by point, and the trades dock shows the same ticks.
    chart.set_ticks()
    wait(qtbot, lambda: chart.tick_line.count >= 100)
    assert chart.title.text() == "R_100  ticks"
    tape = deriv.session.market.tapes["R_100"]
    assert chart.tick_line.last_price == tape[-1].price
    wait(qtbot, lambda: deriv.window.trades.model.rowCount() > 0)


def test_a_read_only_token_shows_its_scopes_and_disables_buying_with_the_reason(
    qtbot: QtBot, aloop: object, tmp_path: Path, server: DerivTestServer
) -> None:
    with terminal(qtbot, tmp_path) as t:
        _open(qtbot, t, server, READ_LOGIN, READ_TOKEN)
        t.session.set_active_symbol("R_50")
        form = t.window.ticket.contract_form
        wait(qtbot, lambda: "trade scope" in form.widgets.reason.text())
        assert not form.widgets.buy.isEnabled()
        assert "read only" in t.window.account_label.text() and "scopes: read" in t.window.account_label.text()
        assert server.requests_of("buy") == []


def test_a_proposal_bought_followed_and_sold(qtbot: QtBot, deriv: Terminal, server: DerivTestServer) -> None:
    form = deriv.window.ticket.contract_form
    w = form.widgets
    w.type_combo.setCurrentIndex(w.type_combo.findData("CALL"))
    w.unit.setCurrentIndex(w.unit.findData("m"))
    w.duration.setValue(5)
    w.amount.setText("25")
    # The live proposal stream prices exactly what the ticket says.
    wait(qtbot, lambda: deriv.session.contracts.quote is not None and deriv.session.contracts.quote.quote is not None)
    wait(qtbot, w.buy.isEnabled)
    proposal = server.requests_of("proposal")[-1]
    assert (proposal["contract_type"], proposal["duration"], proposal["duration_unit"]) == ("CALL", 5, "m")
    assert (proposal["amount"], proposal["basis"], proposal["symbol"]) == (25, "stake", "R_100")
    balance_before = server.balance_of(TRADE_LOGIN)
    w.buy.click()
    wait(qtbot, lambda: len(server.contracts_of(TRADE_LOGIN)) == 1)
    bought = server.contracts_of(TRADE_LOGIN)[0]
    buy = server.requests_of("buy")[-1]
    assert buy["price"] >= float(bought.buy_price)  # the quote's price is the maximum
    # Followed: the open contracts table shows it with a live bid and profit.
    view = deriv.window.orders.contracts_view
    store = deriv.session.contracts
    wait(
        qtbot,
        lambda: bought.contract_id in store.contracts and store.contracts[bought.contract_id].bid_price is not None,
    )
    wait(qtbot, lambda: view.open_model.rowCount() == 1)
    assert any(r.get("contract_id") == bought.contract_id for r in server.requests_of("proposal_open_contract"))
    wait(qtbot, lambda: deriv.session.account.balances["USD"].free == balance_before - bought.buy_price)
    # Sold from the table.
    wait(qtbot, lambda: store.contracts[bought.contract_id].can_sell)
    row = view.open_model.row_of(bought.contract_id)
    assert row is not None
    view.open_table.selectRow(row)
    wait(qtbot, lambda: view.sell_button.isEnabled() and view.selected_ids() == [bought.contract_id])
    view.sell_button.click()
    wait(qtbot, lambda: store.contracts[bought.contract_id].status is ContractStatus.SOLD, timeout=10)
    assert server.contracts_of(TRADE_LOGIN)[0].status == "sold"
    sold_for = server.contracts_of(TRADE_LOGIN)[0].sell_price
    wait(qtbot, lambda: deriv.session.account.balances["USD"].free == balance_before - bought.buy_price + sold_for)
    # History: the statement has the buy and the sale, the profit table the closed contract.
    wait(qtbot, lambda: any(c.contract_id == bought.contract_id for c in store.closed))
    actions = [line.action for line in store.statement if line.contract_id == bought.contract_id]
    assert sorted(actions) == ["buy", "sell"]
    assert store.portfolio == []


def test_a_forgotten_stream_leaves_the_server(qtbot: QtBot, deriv: Terminal, server: DerivTestServer) -> None:
    def tick_streams() -> dict[str, str]:
        return {sid: method for sid, method in server.subscriptions().items() if method == "ticks_history"}

    wait(qtbot, lambda: len(tick_streams()) >= 2)  # R_100's ticks and its candles
    before = set(tick_streams())
    deriv.session.set_active_symbol("R_50")
    wait(qtbot, lambda: not (before & set(tick_streams())) and len(tick_streams()) >= 2)
    forgotten = {request["forget"] for request in server.requests_of("forget")}
    assert before <= forgotten


def test_a_dropped_connection_is_recovered_reauthorized_and_resubscribed(
    qtbot: QtBot, deriv: Terminal, server: DerivTestServer
) -> None:
    session = deriv.session
    wait(qtbot, lambda: len(session.market.tapes.get("R_100", ())) > 0 and session.contracts.quote is not None)
    wait(qtbot, lambda: len(server.subscriptions()) >= 4)  # balance, ticks, candles, proposal
    methods_before = sorted(server.subscriptions().values())
    authorized = len(server.requests_of("authorize"))
    ticks_before = len(session.market.tapes["R_100"])
    states: list[ConnectionState] = []
    session.status.changed.connect(lambda: states.extend(e.state for e in session.status.streams.values()))
    assert server.drop_connections() >= 1
    wait(qtbot, lambda: len(server.requests_of("authorize")) > authorized, timeout=15)
    wait(qtbot, lambda: sorted(server.subscriptions().values()) == methods_before, timeout=15)
    wait(qtbot, lambda: all(e.state is ConnectionState.LIVE for e in session.status.streams.values()))
    assert ConnectionState.RECONNECTING in states
    # Data flows again on the restored subscriptions.
    count = len(session.market.tapes["R_100"])
    wait(qtbot, lambda: len(session.market.tapes["R_100"]) > count or count >= 500)
    assert ticks_before > 0
    assert session.contracts.account is not None and session.contracts.account.login_id == TRADE_LOGIN
