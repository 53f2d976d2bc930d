"""The main window's trading actions: one-click orders from the ladder, the kill switch, CSV export.

Every dialog here is opened with ``open()`` and answers through a signal: the event loop (and
with it the market, the streams and the order manager) keeps running while one is shown.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from terminal.domain.confirmation import Origin
from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.session.kill_switch import SymbolResult
from terminal.session.order_gate import NeedsConfirmation, TicketError
from terminal.session.session import Session
from terminal.storage.export import ExportError, write_fills_csv, write_orders_csv
from terminal.ui.keymap import BY_ID

if TYPE_CHECKING:
    from terminal.ui.main_window import MainWindow

log = logging.getLogger("terminal.ui")

KILL_SWITCH_KEYS = BY_ID["kill_switch"].default  # its key is the profile's (TradingKeys applies it)


class TradingActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.kill = QAction("KILL SWITCH", window)
        self.kill.setObjectName("killSwitch")
        self.kill.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.kill.triggered.connect(self.kill_switch)
        self.export_orders = QAction("Export &orders as CSV…", window)
        self.export_orders.triggered.connect(lambda: self._ask_path("orders"))
        self.export_fills = QAction("Export &fills as CSV…", window)
        self.export_fills.triggered.connect(lambda: self._ask_path("fills"))
        self.dialog: QMessageBox | QFileDialog | None = None  # the one shown last (kept alive while open)
        self.last_kill: list[SymbolResult] | None = None

    @property
    def session(self) -> Session | None:
        return self.window.session

    # ---- one-click orders from the ladder ------------------------------------------------------

    def one_click_order(self, side: Side, price: Decimal) -> None:
        session = self.session
        if session is None:
            return
        size = self.window.ticket.current_size(side)
        if size is None or size <= 0:
            self.window.toasts.show("One-click: set a quantity in the order ticket first.", "warning")
            return
        request = OrderRequest(session.active_symbol, side, OrderType.LIMIT, quantity=size, price=price)
        session.spawn(self.place(session, request, frozenset()))

    async def place(self, session: Session, request: OrderRequest, confirmed: frozenset[str]) -> None:
        try:
            await session.manager.place(
                request, source="ladder one-click", confirmed=confirmed, origin=Origin.ONE_CLICK
            )
        except NeedsConfirmation as held:
            if session is self.session:
                self._confirm(session, request, held, confirmed)
        except TicketError as exc:
            self.window.toasts.show(f"Not sent: {exc.reason}", "error")

    def _confirm(
        self, session: Session, request: OrderRequest, held: NeedsConfirmation, confirmed: frozenset[str]
    ) -> None:
        side = request.side.value.lower()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Confirm order",
            f"Send this one-click {side} order of {request.quantity} {request.symbol} at {request.price}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setObjectName("confirmOrder")
        box.setInformativeText("\n".join(concern.text for concern in held.concerns))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        keys = held.keys | confirmed

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes and session is self.session:
                session.spawn(self.place(session, request, keys))

        box.finished.connect(answered)
        self._show(box)

    def one_click_cancel(self, client_order_ids: list[str]) -> None:
        session = self.session
        if session is not None:
            for cid in client_order_ids:
                session.spawn(self._cancel(session, cid))

    async def _cancel(self, session: Session, client_order_id: str) -> None:
        try:
            await session.manager.cancel(client_order_id, source="ladder one-click")
        except TicketError as exc:
            self.window.toasts.show(f"Not cancelled: {exc.reason}", "error")

    # ---- the kill switch ----------------------------------------------------------------------

    def kill_switch(self) -> None:
        """Disarm one-click trading at once, then cancel everything and show the result per symbol."""
        self.window.ladder.disarm()
        session = self.session
        if session is None:
            return
        self.window.toasts.show("Kill switch: cancelling every open order…", "warning")
        session.spawn(self._kill(session))

    async def _kill(self, session: Session) -> None:
        results = await session.kill_switch()
        self.last_kill = results
        if session is not self.session:
            return
        failed = [result for result in results if not result.ok]
        box = QMessageBox(
            QMessageBox.Icon.Critical if failed else QMessageBox.Icon.Information,
            "Kill switch",
            (f"{len(failed)} symbol(s) need attention." if failed else "Every open order is cancelled.")
            + " One-click trading is disarmed.",
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("killSwitchResult")
        box.setInformativeText("\n".join(result.text() for result in results) or "There were no open orders.")
        self._show(box)

    # ---- export -------------------------------------------------------------------------------

    def _ask_path(self, what: str) -> None:
        dialog = QFileDialog(self.window, f"Export {what} as CSV")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("CSV files (*.csv)")
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"{self.window.profile or 'terminal'}-{what}.csv")
        dialog.fileSelected.connect(lambda path: self.export(what, Path(path)))
        self._show(dialog)

    def export(self, what: str, path: Path) -> int | None:
        """Write every order (or fill) of this profile: the journal's, else the session's."""
        session = self.session
        if session is None:
            self.window.toasts.show("Nothing to export: not connected.", "warning")
            return None
        try:
            if what == "orders":
                count = write_orders_csv(path, self._orders(session))
            else:
                count = write_fills_csv(path, self._fills(session))
        except ExportError as exc:
            self.window.toasts.show(str(exc), "error")
            return None
        self.window.toasts.show(f"Exported {count} {what} to {path}.")
        log.info("exported %d %s to %s", count, what, path)
        return count

    @staticmethod
    def _orders(session: Session) -> list[Order]:
        journaled = {o.client_order_id: o for o in session.journal.orders()} if session.journal else {}
        journaled.update(session.orders.orders)  # what the session holds is at least as recent
        return sorted(journaled.values(), key=lambda o: (o.created_ms, o.client_order_id))

    @staticmethod
    def _fills(session: Session) -> list[Fill]:
        journaled = {f.trade_id: f for f in session.journal.fills()} if session.journal else {}
        journaled.update(session.orders.fills)
        return sorted(journaled.values(), key=lambda f: (f.time_ms, f.trade_id))

    def _show(self, dialog: QMessageBox | QFileDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
