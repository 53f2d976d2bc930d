"""The UI on a stock broker (an in-memory AmendingVenue with holdings, polled): modifying orders,
the venue's preview in the ticket, cash and positions in the balances dock, and "polled" said plainly."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from terminal.domain.enums import OrderType, TimeInForce
from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.docks.balances import BalancesDock
from terminal.ui.docks.markets import MarketsDock
from terminal.ui.docks.orders import OrdersDock
from terminal.ui.docks.trades import TradesDock
from terminal.ui.ladder.ladder_dock import LadderDock
from terminal.ui.status_bar import StatusBar
from terminal.ui.ticket import TicketDock
from terminal.ui.ticket.modify_dialog import MODIFY_ANYWAY, ModifyOrderDialog
from terminal.ui.ticket.ticket_preview import ASKING
from terminal.venues.errors import InvalidRequest
from tests.session.stock_session import place_limit, stock_session
from tests.session.stock_venue import StockVenue
from tests.support.qt import wait

D = Decimal


def _type(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def _orders_dock(qtbot: QtBot, session: Session) -> OrdersDock:
    dock = OrdersDock()
    qtbot.addWidget(dock)
    dock.bind(session)
    return dock


def test_modify_opens_prefilled_checks_as_typed_and_changes_the_order(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, _notices):
        dock = _orders_dock(qtbot, session)
        assert not dock.modify_selected.isHidden()
        order = place_limit(qtbot, session, price="180.00", quantity="2")
        cid = order.client_order_id
        wait(qtbot, lambda: dock.open_model.row_of(cid) is not None)
        dialog = dock.modify(cid)
        assert isinstance(dialog, ModifyOrderDialog)
        assert (dialog.price.text(), dialog.quantity.text()) == ("180.00", "2")
        assert not dialog.ok.isEnabled()  # nothing changed yet
        _type(dialog.price, "180.005")
        assert not dialog.ok.isEnabled() and "tick" in dialog.problem.text()
        _type(dialog.price, "abc")
        assert not dialog.ok.isEnabled() and "price" in dialog.problem.text()
        _type(dialog.price, "181.50")
        assert dialog.ok.isEnabled() and dialog.problem.text() == ""
        dialog.ok.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        wait(qtbot, lambda: (o := session.orders.get(cid)) is not None and o.price == D("181.50"))
        wait(qtbot, lambda: "181.50" in str(dock.open_model.data(dock.open_model.index(0, 3))))
        assert [c for c in venue.calls if c[0] == "replace"] == [("replace", (cid, None, D("181.50")))]
        dock.bind(None)


def test_a_change_in_flight_shows_in_the_row(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, _venue, _notices):
        dock = _orders_dock(qtbot, session)
        cid = place_limit(qtbot, session).client_order_id
        session.orders.mark_replacing(cid, True)
        status = 6
        wait(qtbot, lambda: "modifying" in str(dock.open_model.data(dock.open_model.index(0, status))))
        session.orders.mark_replacing(cid, False)
        wait(qtbot, lambda: "modifying" not in str(dock.open_model.data(dock.open_model.index(0, status))))
        dock.bind(None)


def test_a_risk_limit_to_confirm_asks_in_the_dialog(qtbot: QtBot, aloop: object) -> None:
    from terminal.domain.risk import RiskAction, RiskLimit, RiskLimits

    limits = RiskLimits(max_order_notional=D(1000), actions={RiskLimit.NOTIONAL: RiskAction.CONFIRM})
    with stock_session(qtbot, limits) as (session, _venue, _notices):
        dock = _orders_dock(qtbot, session)
        cid = place_limit(qtbot, session).client_order_id
        dialog = dock.modify(cid)
        assert dialog is not None
        _type(dialog.quantity, "10")
        dialog.ok.click()
        assert dialog.ok.text() == MODIFY_ANYWAY and dialog.isVisible()
        dialog.ok.click()
        wait(qtbot, lambda: (o := session.orders.get(cid)) is not None and o.quantity == D(10))
        assert dock.modify_dialog is None  # accepted, closed and let go
        dock.bind(None)


def test_no_modify_where_the_venue_cannot_change_orders(qtbot: QtBot, aloop: object) -> None:
    plain = StockVenue(capabilities=dataclasses.replace(StockVenue().capabilities, amend_orders=False))
    with stock_session(qtbot, venue=plain) as (session, _venue, _notices):
        dock = _orders_dock(qtbot, session)
        cid = place_limit(qtbot, session).client_order_id
        assert dock.modify_selected.isHidden()
        assert dock.modify(cid) is None
        dock.bind(None)


def test_the_ticket_previews_with_the_venue_and_offers_day_and_gtc(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, venue, _notices):
        dock = TicketDock()
        qtbot.addWidget(dock)
        dock.bind(session)
        form = dock.form
        combo = form.widgets.type_combo
        combo.setCurrentIndex(combo.findData(OrderType.LIMIT.value))
        tifs = [form.widgets.tif_combo.itemData(i) for i in range(form.widgets.tif_combo.count())]
        assert tifs == [TimeInForce.DAY.value, TimeInForce.GTC.value]
        assert form.time_in_force() is TimeInForce.DAY
        panel = form.preview
        assert not panel.isHidden() and not panel.button.isEnabled()
        _type(form.widgets.price.edit, "181.00")
        _type(form.widgets.quantity.edit, "2")
        assert panel.button.isEnabled()
        panel.button.click()
        assert panel.result.text() == ASKING
        wait(qtbot, lambda: panel.result.text() == "Estimated cost 362.00 USD · fee 0.00 USD")
        venue.fail_next["preview"] = InvalidRequest("", "the market is closed")
        panel.button.click()
        wait(qtbot, lambda: "the market is closed" in panel.result.text())
        _type(form.widgets.quantity.edit, "3")
        assert panel.result.text() == ""  # an estimate of another order no longer applies
        dock.bind(None)


def test_no_preview_where_the_venue_has_none(qtbot: QtBot, aloop: object) -> None:
    plain = StockVenue(capabilities=dataclasses.replace(StockVenue().capabilities, amend_orders=False))
    with stock_session(qtbot, venue=plain) as (session, _venue, _notices):
        dock = TicketDock()
        qtbot.addWidget(dock)
        dock.bind(session)
        assert dock.form.preview.isHidden()
        dock.bind(None)


def test_balances_show_cash_in_its_currency_and_the_positions(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, _venue, _notices):
        dock = BalancesDock()
        qtbot.addWidget(dock)
        dock.bind(session)
        wait(qtbot, lambda: dock.positions.model.rowCount() == 2)
        assert dock.model.row_keys() == ["USD"]  # not the held AAPL
        assert dock.model.headerData(4, Qt.Orientation.Horizontal) == "Value (USD)"
        assert dock.equity.text() == "Cash: 10,000.00 USD"
        model = dock.positions.model
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert headers == ["Symbol", "Qty", "Available", "Avg cost", "Last", "Market value", "P&L", "P&L %"]
        aapl = [model.data(model.index(0, c)) for c in range(model.columnCount())]
        assert aapl == ["AAPL", "10", "8", "150.00", "190.00", "1,900.00 USD", "+400.00", "+26.67 %"]
        colours = theme.current()
        assert model.data(model.index(0, 6), Qt.ItemDataRole.ForegroundRole) == colours.color("buy")
        assert model.data(model.index(1, 6), Qt.ItemDataRole.ForegroundRole) == colours.color("sell")
        assert model.data(model.index(0, 5), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
        assert dock.positions.total.text() == "Equity 13,800.00 USD · Unrealized P&L +300.00 USD"
        dock.bind(None)
        assert dock.positions.isHidden() and dock.model.headerData(4, Qt.Orientation.Horizontal) == "Value (USDT)"


def test_no_positions_for_an_account_without_holdings(qtbot: QtBot, aloop: object) -> None:
    plain = StockVenue(capabilities=dataclasses.replace(StockVenue().capabilities, positions=False))
    with stock_session(qtbot, venue=plain) as (session, _venue, _notices):
        dock = BalancesDock()
        qtbot.addWidget(dock)
        dock.bind(session)
        assert dock.positions.isHidden()
        dock.bind(None)


def test_polled_data_is_said_to_be_polled(qtbot: QtBot, aloop: object) -> None:
    with stock_session(qtbot) as (session, _venue, _notices):
        ladder, markets, trades = LadderDock(), MarketsDock(), TradesDock()
        bar = StatusBar()
        for widget in (ladder, markets, trades, bar):
            qtbot.addWidget(widget)
        for dock in (ladder, markets, trades):
            dock.bind(session)
        bar.bind(session)
        assert ladder.polled.text() == "polled every 2 s" and not ladder.polled.isHidden()
        assert markets.polled.text() == "Prices polled every 2 s, not streamed."
        assert "publishes no public trades" in trades.empty.text() and not trades.empty.isHidden()
        wait(qtbot, lambda: bar.streams.get("stock-poll") is not None)
        wait(qtbot, lambda: bar.streams["stock-poll"].text() == "stock-poll: polled every 2 s")
        assert {name for name, label in bar.streams.items() if not label.isHidden()} == {"stock-poll"}
        for dock in (ladder, markets, trades):
            dock.bind(None)
        bar.bind(None)
        assert ladder.polled.isHidden() and markets.polled.isHidden()
