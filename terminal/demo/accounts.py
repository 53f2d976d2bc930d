"""Account balances of the demo exchange: free and locked funds per asset, moved only by checked steps.

Every step moves funds between free and locked, out of locked, or into free, and refuses any step
that would leave a balance negative: a bug in the engine raises instead of minting or burning money.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.demo.exact import add, sub
from terminal.domain.balance import Balance
from terminal.domain.decimals import ZERO


class LedgerError(ValueError):
    """A balance step that would make a balance negative, or that names an unknown account."""


@dataclass(slots=True)
class _Funds:
    free: Decimal = ZERO
    locked: Decimal = ZERO


@dataclass(slots=True)
class Ledger:
    """Balances of every account, and which (account, asset) pairs changed since the last ``drain``."""

    _accounts: dict[str, dict[str, _Funds]] = field(default_factory=dict)
    _touched: dict[str, set[str]] = field(default_factory=dict)

    def open(self, account_id: str, balances: Mapping[str, Decimal] | None = None) -> None:
        """Create ``account_id`` with starting free ``balances``; opening an existing account is an error."""
        if account_id in self._accounts:
            raise LedgerError(f"account {account_id} already exists")
        self._accounts[account_id] = {}
        for asset, amount in (balances or {}).items():
            self.credit(account_id, asset, amount)
        self._touched.pop(account_id, None)  # starting balances are not a change anyone awaits

    def has(self, account_id: str) -> bool:
        return account_id in self._accounts

    def account_ids(self) -> list[str]:
        return list(self._accounts)

    def free(self, account_id: str, asset: str) -> Decimal:
        funds = self._wallet(account_id).get(asset)
        return funds.free if funds else ZERO

    def locked(self, account_id: str, asset: str) -> Decimal:
        funds = self._wallet(account_id).get(asset)
        return funds.locked if funds else ZERO

    def balances(self, account_id: str, assets: Iterable[str] | None = None) -> list[Balance]:
        """Balances of ``assets`` (default: every asset the account ever held), in that order."""
        wallet = self._wallet(account_id)
        names = list(wallet) if assets is None else assets
        out: list[Balance] = []
        for asset in names:
            funds = wallet.get(asset) or _Funds()
            out.append(Balance.of(asset, funds.free, funds.locked))
        return out

    def total(self, asset: str) -> Decimal:
        """Free plus locked ``asset`` over every account: what a closed system must conserve."""
        out = ZERO
        for wallet in self._accounts.values():
            funds = wallet.get(asset)
            if funds:
                out = add(out, add(funds.free, funds.locked))
        return out

    def credit(self, account_id: str, asset: str, amount: Decimal) -> None:
        """Add ``amount`` to free funds (a deposit, or what a trade brings in)."""
        if _is_zero(amount):
            return
        funds = self._funds(account_id, asset)
        funds.free = add(funds.free, amount)

    def lock(self, account_id: str, asset: str, amount: Decimal) -> None:
        """Move ``amount`` from free to locked to back an order."""
        if _is_zero(amount):
            return
        funds = self._funds(account_id, asset)
        if funds.free < amount:
            raise LedgerError(f"{account_id} has {funds.free} {asset} free, cannot lock {amount}")
        funds.free = sub(funds.free, amount)
        funds.locked = add(funds.locked, amount)

    def unlock(self, account_id: str, asset: str, amount: Decimal) -> None:
        """Move ``amount`` from locked back to free (a cancel, an expiry, an unused reserve)."""
        if _is_zero(amount):
            return
        funds = self._funds(account_id, asset)
        if funds.locked < amount:
            raise LedgerError(f"{account_id} has {funds.locked} {asset} locked, cannot unlock {amount}")
        funds.locked = sub(funds.locked, amount)
        funds.free = add(funds.free, amount)

    def spend_locked(self, account_id: str, asset: str, amount: Decimal) -> None:
        """Take ``amount`` out of locked funds: what a trade pays out of an order's reserve."""
        if _is_zero(amount):
            return
        funds = self._funds(account_id, asset)
        if funds.locked < amount:
            raise LedgerError(f"{account_id} has {funds.locked} {asset} locked, cannot spend {amount}")
        funds.locked = sub(funds.locked, amount)

    def drain_touched(self) -> dict[str, list[str]]:
        """The assets changed per account since the last call, and forget them."""
        out = {account: sorted(assets) for account, assets in self._touched.items()}
        self._touched.clear()
        return out

    def _wallet(self, account_id: str) -> dict[str, _Funds]:
        wallet = self._accounts.get(account_id)
        if wallet is None:
            raise LedgerError(f"unknown account {account_id}")
        return wallet

    def _funds(self, account_id: str, asset: str) -> _Funds:
        wallet = self._wallet(account_id)
        funds = wallet.get(asset)
        if funds is None:
            funds = wallet[asset] = _Funds()
        touched = self._touched.get(account_id)
        if touched is None:
            touched = self._touched[account_id] = set()
        touched.add(asset)
        return funds


def _is_zero(amount: Decimal) -> bool:
    """Check an amount to move; a zero amount moves nothing and touches no balance."""
    if not amount.is_finite() or amount < 0:
        raise LedgerError(f"amount must be a finite non-negative number, not {amount}")
    return amount == 0
