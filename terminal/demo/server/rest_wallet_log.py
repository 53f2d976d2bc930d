"""What the demo's wallet did for its users: deposits, withdrawals, transfers and the flows they made.

One log per exchange, shared by the REST and fault routes: ``wallet_log(exchange)``."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from weakref import WeakKeyDictionary

from terminal.demo.exact import add, sub
from terminal.demo.exchange import DemoExchange

# 004, "Get Account Transaction History List", flowType values and (from the examples) their names.
FLOW_TYPES: dict[int, str] = {
    1: "TRADE",
    2: "FEE",
    32: "FUNDING_SETTLEMENT",
    51: "USER_ACCOUNT_TRANSFER",
    900: "CUSTODY_DEPOSIT",
    904: "CUSTODY_WITHDRAW",
    906: "FIAT_DEPOSIT",
    910: "FIAT_WITHDRAW",
}
TRADE, FEE, TRANSFER, CUSTODY_DEPOSIT, CUSTODY_WITHDRAW, FIAT_DEPOSIT = 1, 2, 51, 900, 904, 906

# Deposit status 4: "Deposit successful" (004, "Get Deposit History", "Deposit Status").
DEPOSIT_SUCCESSFUL = 4


@dataclass(frozen=True, slots=True)
class Flow:
    """One change of one coin in one account; ``seq`` orders flows recorded in the same millisecond."""

    flow_id: str
    seq: int
    account_id: str
    coin: str
    type_value: int
    change: Decimal
    time_ms: int
    symbol: str = ""


@dataclass(frozen=True, slots=True)
class DepositRecord:
    user_id: str
    account_id: str
    coin: str
    chain_type: str
    address: str
    quantity: Decimal
    tx_id: str
    time_ms: int
    status: int = DEPOSIT_SUCCESSFUL


@dataclass(frozen=True, slots=True)
class WithdrawRecord:
    order_id: str
    user_id: str
    account_id: str
    client_order_id: str
    coin: str
    chain_type: str
    address: str
    quantity: Decimal  # what the user entered, all of it debited
    fee: Decimal  # paid out of the quantity: "arriveQuantity" is what is left
    tx_id: str
    time_ms: int
    remark: str = ""
    platform: str = ""
    memo: str = ""
    status: str = "successful"

    @property
    def arrive_quantity(self) -> Decimal:
        return sub(self.quantity, self.fee)


@dataclass(frozen=True, slots=True)
class FiatRecord:
    """004, "Get Fiat History": ``netAmount`` is "Deposit: grossAmount - fee Withdraw: grossAmount + fee"."""

    order_id: str
    user_id: str
    account_id: str
    kind: str  # "deposit" or "withdraw"
    asset: str
    gross_amount: Decimal
    fee: Decimal
    status: str
    created_ms: int
    updated_ms: int
    channel: str = "auto"
    client_order_id: str = ""
    remark: str = ""

    @property
    def net_amount(self) -> Decimal:
        return sub(self.gross_amount, self.fee) if self.kind == "deposit" else add(self.gross_amount, self.fee)


@dataclass
class WalletLog:
    deposits: list[DepositRecord] = field(default_factory=list)
    withdrawals: list[WithdrawRecord] = field(default_factory=list)
    fiat: list[FiatRecord] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    transfer_ids: set[tuple[str, str]] = field(default_factory=set)  # (user, clientOrderId) seen
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    def next_number(self) -> int:
        return next(self._counter)

    def add_flow(self, account_id: str, coin: str, type_value: int, change: Decimal, time_ms: int) -> None:
        number = self.next_number()
        # Ids shaped like the document's ("1676228025233055232").
        self.flows.append(
            Flow(str(1_676_228_025_233_055_232 + number), number, account_id, coin, type_value, change, time_ms)
        )

    def flows_of(self, account_id: str) -> list[Flow]:
        return [flow for flow in self.flows if flow.account_id == account_id]


_LOGS: WeakKeyDictionary[DemoExchange, WalletLog] = WeakKeyDictionary()


def wallet_log(exchange: DemoExchange) -> WalletLog:
    """The wallet log of ``exchange`` (created on first use)."""
    log = _LOGS.get(exchange)
    if log is None:
        log = _LOGS[exchange] = WalletLog()
    return log
