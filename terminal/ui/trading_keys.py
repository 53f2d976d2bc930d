"""The keyboard-first trading actions of the window (keymap.py says which key each has).

They act on the docks as the mouse would: buy and sell send the ticket's order (through the same
checks and confirmations), cancels go through the orders dock, navigation through the markets
list, the ladder and the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from terminal.domain.enums import Side
from terminal.ui.keymap import BY_ID, KEY_ACTIONS, NATIVE

if TYPE_CHECKING:
    from terminal.ui.main_window import MainWindow


class TradingKeys(QObject):
    """One QAction per entry of ``KEY_ACTIONS`` (the kill switch is the window's own action)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        slots: dict[str, Callable[[], object]] = {
            "buy": lambda: self.send(Side.BUY),
            "sell": lambda: self.send(Side.SELL),
            "cancel_selected": self.cancel_selected,
            "cancel_all": self.cancel_all,
            "focus_ticket": self.focus_ticket,
            "recentre": window.ladder.recentre,
            "next_symbol": lambda: window.markets.step(1),
            "previous_symbol": lambda: window.markets.step(-1),
            "next_interval": lambda: window.chart.step_interval(1),
            "previous_interval": lambda: window.chart.step_interval(-1),
        }
        self.actions: dict[str, QAction] = {"kill_switch": window.actions_.kill}
        for key_action in KEY_ACTIONS:
            if key_action.id in self.actions:
                continue
            action = QAction(key_action.label, window)
            action.setObjectName(f"key_{key_action.id}")
            action.triggered.connect(lambda _=False, slot=slots[key_action.id]: slot())
            window.addAction(action)  # works wherever the focus is in the window, even with no menu shown
            self.actions[key_action.id] = action
        self.apply({key_action.id: QKeySequence(key_action.default) for key_action in KEY_ACTIONS})

    def apply(self, keys: Mapping[str, QKeySequence]) -> None:
        """Give each action its key (a missing one keeps its key; an empty one has none)."""
        for action_id, sequence in keys.items():
            action = self.actions.get(action_id)
            if action is None:
                continue
            action.setShortcut(sequence)
            label = BY_ID[action_id].label
            hint = f" ({sequence.toString(NATIVE)})" if not sequence.isEmpty() else ""
            action.setToolTip(f"{label}{hint}")
        self.actions["kill_switch"].setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

    def keys(self) -> dict[str, QKeySequence]:
        return {action_id: action.shortcut() for action_id, action in self.actions.items()}

    # ---- what the keys do ---------------------------------------------------------------------

    def send(self, side: Side) -> None:
        if self.window.ticket.trades_contracts:  # a contract venue: the buy key buys the contract ticket's contract
            if side is Side.SELL:
                self.window.toasts.show(
                    "This venue sells contracts, not orders: sell an open contract under Contracts.", "warning"
                )
                return
            refusal = self.window.ticket.contract_form.buy()
            if refusal is not None:
                self.window.toasts.show(f"Not bought: {refusal}", "warning")
            return
        reason = self.window.ticket.form.submit_as(side)
        if reason is not None:
            self.window.toasts.show(f"Not sent: {reason}", "warning")

    def cancel_selected(self) -> None:
        if self.window.orders.cancel_selection() == 0:
            self.window.toasts.show("No open order is selected in the Orders dock.", "warning")

    def cancel_all(self) -> None:
        session = self.window.session
        if session is not None and session.active_symbol:
            self.window.orders.ask_cancel_all(session.active_symbol)

    def focus_ticket(self) -> None:
        self.window.ticket.show()
        self.window.ticket.raise_()
        self.window.ticket.form.focus_quantity()
