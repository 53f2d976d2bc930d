"""Balances of the account, as the venue last reported them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from terminal.domain.balance import Balance
from terminal.venues.base import BalanceEvent


class AccountStore(QObject):
    changed = Signal(object)  # set of assets that changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.balances: dict[str, Balance] = {}
        self._changed: set[str] = set()

    def apply(self, event: BalanceEvent) -> None:
        if event.complete:
            self._changed |= set(self.balances)
            self.balances = {}
        for balance in event.balances:
            self.balances[balance.asset] = balance
            self._changed.add(balance.asset)

    def free(self, asset: str) -> Balance | None:
        return self.balances.get(asset)

    def flush(self) -> None:
        if self._changed:
            changed, self._changed = self._changed, set()
            self.changed.emit(changed)
