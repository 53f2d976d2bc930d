"""Balances of the account and, at a stock broker, its holdings, as the venue last reported them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from terminal.domain.balance import Balance
from terminal.domain.securities import Position
from terminal.venues.base import BalanceEvent, PositionEvent


class AccountStore(QObject):
    changed = Signal(object)  # set of assets that changed
    positions_changed = Signal()  # the holdings (``positions``) changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.balances: dict[str, Balance] = {}
        self.positions: dict[str, Position] = {}  # by symbol
        self._changed: set[str] = set()
        self._positions_dirty = False

    def apply(self, event: BalanceEvent) -> None:
        if event.complete:
            self._changed |= set(self.balances)
            self.balances = {}
        for balance in event.balances:
            self.balances[balance.asset] = balance
            self._changed.add(balance.asset)

    def set_positions(self, event: PositionEvent) -> None:
        """Every holding, as the venue reported them all: what is not in ``event`` is no longer held."""
        positions = {position.symbol: position for position in event.positions}
        if positions != self.positions:
            self.positions = positions
            self._positions_dirty = True

    def free(self, asset: str) -> Balance | None:
        return self.balances.get(asset)

    def flush(self) -> None:
        if self._changed:
            changed, self._changed = self._changed, set()
            self.changed.emit(changed)
        if self._positions_dirty:
            self._positions_dirty = False
            self.positions_changed.emit()
