"""Tokens and the accounts they open: each account's balance, statement lines and contracts."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from tests.support.deriv.contracts import Contract


@dataclass(frozen=True)
class Grant:
    """What one API token opens: an account (created on its first grant) and the token's own scopes.

    Several tokens may name one login id; they then share that account, and only the first grant's
    currency, kind and balance count."""

    login_id: str
    currency: str = "USD"
    virtual: bool = True
    scopes: tuple[str, ...] = ("read", "trade", "trading_information")
    balance: Decimal = Decimal("10000")
    fullname: str = "Test Trader"


@dataclass
class Transaction:
    """A statement line."""

    transaction_id: int
    action_type: str  # buy, sell, deposit, virtual_credit
    amount: Decimal
    balance_after: Decimal
    transaction_time: int
    contract_id: int | None = None
    reference_id: int | None = None  # for a sell: the buy's transaction id
    payout: Decimal | None = None
    shortcode: str | None = None
    longcode: str | None = None
    purchase_time: int | None = None
    app_id: int | None = None


@dataclass
class Account:
    grant: Grant
    user_id: int
    created_at: int
    balance: Decimal
    contracts: dict[int, Contract] = field(default_factory=dict)
    statement: list[Transaction] = field(default_factory=list)  # oldest first

    @property
    def login_id(self) -> str:
        return self.grant.login_id

    @property
    def currency(self) -> str:
        return self.grant.currency

    @property
    def landing_company(self) -> str:
        return "virtual" if self.grant.virtual else "svg"


class Bank:
    def __init__(self) -> None:
        self.tokens: dict[str, Grant] = {}
        self.accounts: dict[str, Account] = {}
        # Real Deriv ids are this large: a client must not squeeze them into 32 bits.
        self._transaction_ids = itertools.count(490000000001)
        self._contract_ids = itertools.count(250000000001)

    def add_token(self, token: str, grant: Grant, now: int) -> None:
        self.tokens[token] = grant
        if grant.login_id in self.accounts:
            return
        account = Account(grant, user_id=10000000 + len(self.accounts) + 1, created_at=now, balance=Decimal(0))
        self.accounts[grant.login_id] = account
        if grant.balance:
            self.post(account, "virtual_credit" if grant.virtual else "deposit", grant.balance, now)

    def account(self, login_id: str) -> Account:
        return self.accounts[login_id]

    def next_contract_id(self) -> int:
        return next(self._contract_ids)

    def post(self, account: Account, action_type: str, amount: Decimal, now: int, contract: Contract | None = None,
             reference_id: int | None = None) -> Transaction:  # fmt: skip
        """Move money on the account and write the statement line for it."""
        account.balance += amount
        line = Transaction(
            next(self._transaction_ids), action_type, amount, account.balance, now, reference_id=reference_id
        )
        if contract is not None:
            line.contract_id, line.payout, line.app_id = contract.contract_id, contract.payout, contract.app_id
            line.shortcode, line.longcode = contract.shortcode, contract.longcode
            line.purchase_time = contract.purchase_time
        account.statement.append(line)
        return line

    def open_contracts(self, symbol: str) -> Iterator[Contract]:
        for account in self.accounts.values():
            yield from (c for c in list(account.contracts.values()) if c.is_open and c.symbol.code == symbol)
