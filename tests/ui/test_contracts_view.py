"""The orders dock on a contract venue: open contracts updated row by row and sold, the portfolio and the history."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from terminal.domain.contracts import ClosedContract, ContractStatus, PortfolioEntry, Transaction
from terminal.ui import theme
from terminal.ui.contracts import ContractsView
from terminal.ui.contracts.contract_tables import OPEN_COLUMNS, SELL_COLUMN
from terminal.ui.contracts.contract_text import local_stamp
from terminal.ui.docks.orders import OrdersDock
from terminal.venues.errors import InvalidRequest
from tests.support.qt import wait
from tests.ui.contract_fakes import (
    NOW_MS,
    READ_ONLY_REASON,
    FakeContractVenue,
    Rig,
    close_rig,
    contract_event,
    open_rig,
)

D = Decimal
HEADERS = [column.header for column in OPEN_COLUMNS]
LONGCODE = "Win payout if Volatility 100 Index after 5 ticks is strictly higher than entry spot."


def _history(venue: FakeContractVenue) -> None:
    venue.portfolio_rows = [
        PortfolioEntry(101, "R_100", "CALL", "USD", D(10), D("19.54"), NOW_MS, NOW_MS + 60_000, LONGCODE, 5101)
    ]
    venue.statement_rows = [
        Transaction(5102, NOW_MS + 2_000, "sell", D("18.20"), D("10008.20"), 100, LONGCODE),
        Transaction(5101, NOW_MS + 1_000, "buy", D("-10"), D("9990"), 101, LONGCODE),
    ]
    venue.closed_rows = [
        ClosedContract(100, 5100, "PUT", "R_100", D(10), D("18.20"), D("19.54"), NOW_MS - 60_000, NOW_MS + 2_000),
        ClosedContract(99, 5099, "CALL", "R_100", D(10), D(0), D("19.54"), NOW_MS - 120_000, NOW_MS - 60_000),
    ]


@pytest.fixture
def rig(qtbot: QtBot, aloop: object) -> Iterator[Rig]:
    venue = FakeContractVenue()
    _history(venue)
    rig = open_rig(qtbot, venue)
    yield rig
    close_rig(qtbot, rig)


@pytest.fixture
def dock(qtbot: QtBot, rig: Rig) -> Iterator[OrdersDock]:
    dock = OrdersDock()
    qtbot.addWidget(dock)
    dock.resize(1000, 400)
    dock.bind(rig.session)
    dock.show()
    yield dock
    dock.bind(None)


def _cell(view: ContractsView, contract_id: int, header: str) -> str:
    row = view.open_model.row_of(contract_id)
    assert row is not None, f"no row for contract {contract_id}"
    return str(view.open_model.data(view.open_model.index(row, HEADERS.index(header))))


def _colour(view: ContractsView, contract_id: int, header: str) -> QColor | None:
    row = view.open_model.row_of(contract_id)
    assert row is not None
    colour = view.open_model.data(view.open_model.index(row, HEADERS.index(header)), Qt.ItemDataRole.ForegroundRole)
    return colour if isinstance(colour, QColor) else None


def _click_sell(view: ContractsView, contract_id: int) -> None:
    row = view.open_model.row_of(contract_id)
    assert row is not None
    rect = view.open_table.visualRect(view.open_model.index(row, SELL_COLUMN))
    QTest.mouseClick(view.open_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_contract_venue_shows_contracts_instead_of_orders(qtbot: QtBot, rig: Rig, dock: OrdersDock) -> None:
    view = dock.contracts_view
    assert dock.windowTitle() == "Contracts" and dock.stack.currentWidget() is view
    assert view.tabs.objectName() == "contractTabs"
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Open contracts",
        "Portfolio",
        "Statement",
        "Profit table",
    ]
    names = [page.objectName() for i in range(view.tabs.count()) if (page := view.tabs.widget(i)) is not None]
    assert names == ["openContracts", "portfolio", "statement", "profitTable"]
    dock.bind(None)
    assert dock.windowTitle() == "Orders" and dock.stack.currentWidget() is dock.orders_page
    assert view.session is None and view.portfolio_model.rowCount() == 0


def test_open_contracts_update_row_by_row(qtbot: QtBot, rig: Rig, dock: OrdersDock) -> None:
    view, model = dock.contracts_view, dock.contracts_view.open_model
    rig.venue.emit(contract_event(1, profit="1.50", bought_ms=NOW_MS))
    rig.venue.emit(contract_event(2, profit="-2.25", bid="7.75", bought_ms=NOW_MS + 1_000))
    rig.frame()
    assert model.row_keys() == [2, 1]  # newest on top
    assert view.tabs.tabText(0) == "Open contracts (2)"
    assert _cell(view, 1, "Contract") == "1" and _cell(view, 1, "Symbol") == "R_100"
    assert _cell(view, 1, "Type") == "Rise" and _cell(view, 1, "Status") == "open"
    assert (_cell(view, 1, "Buy price"), _cell(view, 1, "Sell value")) == ("10.00", "11.50")
    assert _cell(view, 1, "Payout") == "19.54"
    assert _cell(view, 1, "Expiry") == local_stamp(NOW_MS + 300_000)
    assert _cell(view, 1, "Profit") == "+1.50" and _colour(view, 1, "Profit") == theme.current().color("buy")
    assert _cell(view, 2, "Profit") == "-2.25" and _colour(view, 2, "Profit") == theme.current().color("sell")

    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda *_: resets.append(False))
    rig.venue.emit(contract_event(1, profit="2.10", bid="12.10"))
    rig.venue.emit(contract_event(1, profit="2.40", bid="12.40"))  # two ticks in one frame: one update
    rig.frame()
    assert changed == [(1, 1)] and resets == []
    assert _cell(view, 1, "Sell value") == "12.40" and _cell(view, 1, "Profit") == "+2.40"
    assert model.row_keys() == [2, 1]


def test_sell_asks_the_desk_and_reports_the_sale(qtbot: QtBot, rig: Rig, dock: OrdersDock) -> None:
    view = dock.contracts_view
    rig.venue.emit(contract_event(7, profit="1.20", bid="11.20"))
    rig.frame()
    assert _cell(view, 7, "Sell") == "✕ sell" and _colour(view, 7, "Sell") == theme.current().color("sell")
    _click_sell(view, 7)
    assert _cell(view, 7, "Sell") == "selling…"  # at once: a second click cannot send it again
    wait(qtbot, lambda: view.message.text().startswith("Sold"))
    assert rig.venue.sold == [(7, D(0))]  # at the market price
    assert view.message.text() == "Sold contract 7 for 7.25 USD."
    # The venue has not reported it closed yet: it may be sold again, and the venue refuses.
    rig.venue.sell_error = InvalidRequest("InvalidSellContractProposal", "This contract has already been sold.")
    _click_sell(view, 7)
    wait(qtbot, lambda: "not sold" in view.message.text())
    assert view.message.text() == (
        "Contract 7 not sold: The venue refused the request: This contract has already been sold."
    )

    rig.venue.emit(contract_event(8, bought_ms=NOW_MS + 5_000))
    rig.frame()
    row = view.open_model.row_of(8)
    view.open_table.clearSelection()
    assert row == 0 and not view.sell_button.isEnabled()
    assert view.sell_button.toolTip() == "Select the open contracts to sell"
    view.open_table.selectionModel().select(
        view.open_model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    assert view.sell_button.objectName() == "sellContract" and view.sell_button.isEnabled()
    QTest.mouseClick(view.sell_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: (8, D(0)) in rig.venue.sold)


def test_a_contract_the_venue_will_not_buy_back_offers_no_sell(qtbot: QtBot, rig: Rig, dock: OrdersDock) -> None:
    view = dock.contracts_view
    rig.venue.emit(contract_event(9, can_sell=False))
    rig.frame()
    assert _cell(view, 9, "Sell") == "" and _cell(view, 9, "Sell value") == "11.50"
    tooltip = view.open_model.data(view.open_model.index(0, SELL_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Cannot be sold: the venue does not offer to buy it back now"
    _click_sell(view, 9)
    qtbot.wait(50)
    assert rig.venue.sold == []
    view.open_table.selectRow(0)
    assert not view.sell_button.isEnabled()
    assert view.sell_button.toolTip() == "Cannot be sold: the venue does not offer to buy it back now"


def test_a_read_only_token_says_why_nothing_can_be_sold(qtbot: QtBot, aloop: object) -> None:
    rig = open_rig(qtbot, FakeContractVenue(can_trade=False))
    dock = OrdersDock()
    qtbot.addWidget(dock)
    try:
        dock.bind(rig.session)
        dock.show()
        view = dock.contracts_view
        rig.venue.emit(contract_event(3))
        rig.frame()
        assert view.reason.isVisible() and view.reason.text() == f"Contracts cannot be sold: {READ_ONLY_REASON}."
        assert _cell(view, 3, "Sell") == ""
        view.sell([3])
        qtbot.wait(50)
        assert rig.venue.sold == []
        assert view.message.text() == f"Contract 3 cannot be sold: {READ_ONLY_REASON}."
    finally:
        dock.bind(None)
        close_rig(qtbot, rig)


def test_ended_contracts_stay_greyed_until_cleared(qtbot: QtBot, rig: Rig, dock: OrdersDock) -> None:
    view, model = dock.contracts_view, dock.contracts_view.open_model
    rig.venue.emit(contract_event(4, bought_ms=NOW_MS))
    rig.venue.emit(contract_event(5, bought_ms=NOW_MS + 1_000))
    rig.frame()
    assert not view.clear_button.isEnabled()
    rig.venue.emit(contract_event(4, profit="9.54", status=ContractStatus.WON))
    rig.venue.emit(contract_event(5, profit="-10", status=ContractStatus.LOST))
    rig.frame()
    assert model.row_keys() == [5, 4]  # in place: rows do not move under the mouse
    assert _cell(view, 4, "Status") == "won" and _colour(view, 4, "Status") == theme.current().color("buy")
    assert _cell(view, 5, "Status") == "lost" and _colour(view, 5, "Status") == theme.current().color("sell")
    assert _colour(view, 4, "Contract") == theme.current().color("muted")  # greyed
    assert _cell(view, 4, "Sell value") == "19.54" and _cell(view, 4, "Sell") == ""
    assert view.tabs.tabText(0) == "Open contracts"
    rig.venue.emit(contract_event(6, bought_ms=NOW_MS + 2_000))
    rig.frame()
    assert view.clear_button.isEnabled()
    QTest.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert model.row_keys() == [6]
    rig.venue.emit(contract_event(4, profit="9.54", status=ContractStatus.WON, bid=None))  # a late repeat
    rig.frame()
    assert model.row_keys() == [6]


def test_the_history_tabs_show_portfolio_statement_and_profit(qtbot: QtBot, rig: Rig, dock: OrdersDock) -> None:
    view = dock.contracts_view
    wait(qtbot, lambda: rig.session.contracts.statement != [])  # loaded when the session started
    rig.frame()
    portfolio, statement, profit = view.portfolio_model, view.statement_model, view.profit_model
    assert portfolio.row_keys() == [101]
    assert [portfolio.data(portfolio.index(0, c)) for c in range(5)] == ["101", "R_100", "Rise", "10.00", "19.54"]
    assert statement.row_keys() == [5102, 5101]
    cells = [statement.data(statement.index(1, c)) for c in range(6)]
    assert cells == [local_stamp(NOW_MS + 1_000), "buy", "-10.00", "9,990.00", "101", LONGCODE]
    sell_amount = statement.index(0, 2)
    assert statement.data(sell_amount, Qt.ItemDataRole.ForegroundRole) == theme.current().color("buy")
    assert profit.row_keys() == [5100, 5099]
    assert [profit.data(profit.index(0, c)) for c in range(6)] == ["100", "Fall", "R_100", "10.00", "18.20", "+8.20"]
    assert profit.data(profit.index(1, 5)) == "-10.00"
    assert profit.data(profit.index(1, 5), Qt.ItemDataRole.ForegroundRole) == theme.current().color("sell")
    assert view.updated.text().startswith("Updated ")

    # A refresh brings a new line: it goes on top, and the rows already shown are not rebuilt.
    rig.venue.statement_rows.insert(0, Transaction(5103, NOW_MS + 3_000, "deposit", D(100), D("10108.20"), None))
    resets: list[bool] = []
    statement.modelReset.connect(lambda: resets.append(True))
    calls = rig.venue.history_calls
    QTest.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: rig.venue.history_calls > calls and len(rig.session.contracts.statement) == 3)
    rig.frame()
    assert statement.row_keys() == [5103, 5102, 5101] and resets == []
    assert statement.data(statement.index(0, 4)) == ""  # a deposit has no contract
    assert statement.data(statement.index(0, 2)) == "+100.00"


def test_without_a_session_the_view_is_empty_and_inert(qtbot: QtBot) -> None:
    view = ContractsView()
    qtbot.addWidget(view)
    assert view.sell([1]) == 0
    assert not view.sell_button.isEnabled() and not view.refresh_button.isEnabled()
    assert view.open_model.rowCount() == 0 and view.clear_closed() == 0
    view.refresh_history()
    assert view.updated.text() == ""
