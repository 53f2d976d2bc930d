"""The engine's mutable state and the few transitions every operation is built from.

An operation (place, cancel, ...) runs inside an ``Op`` that collects its events; ``finish_op``
appends what only the end of an operation knows: which books and which balances changed.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.demo.accounts import Ledger, LedgerError
from terminal.demo.book import BookOrder, OrderBook
from terminal.demo.events import BalanceUpdate, BookChanged, Event, ExecutionReport, TicketInfo
from terminal.demo.exact import sub
from terminal.demo.fees import FeeSchedule
from terminal.demo.funds import record_need
from terminal.demo.ids import IdGenerator
from terminal.demo.records import AccountTrade, OrderRecord
from terminal.domain.enums import OrderStatus
from terminal.domain.instrument import Instrument


@dataclass(slots=True)
class Market:
    """One symbol: its rules, fees, book and last trade price."""

    instrument: Instrument
    fees: FeeSchedule
    book: OrderBook
    avg_quantum: Decimal
    last_price: Decimal | None = None


@dataclass(slots=True)
class AccountOrders:
    """One account's orders and trades. Finished orders and trades are kept up to a limit, oldest dropped."""

    trade_limit: int
    open: dict[str, OrderRecord] = field(default_factory=dict)
    history: OrderedDict[str, OrderRecord] = field(default_factory=OrderedDict)
    by_client: dict[str, OrderRecord] = field(default_factory=dict)
    open_per_symbol: dict[str, int] = field(default_factory=dict)
    trades: deque[AccountTrade] = field(init=False)

    def __post_init__(self) -> None:
        self.trades = deque(maxlen=self.trade_limit)


@dataclass(slots=True)
class Op:
    """What one engine call has produced so far."""

    now_ms: int
    events: list[Event] = field(default_factory=list)
    books: dict[str, None] = field(default_factory=dict)  # symbols whose book changed, first change first


@dataclass(slots=True)
class ExchangeState:
    markets: dict[str, Market]
    ledger: Ledger
    ids: IdGenerator
    fee_account_id: str
    history_limit: int
    trade_limit: int
    accounts: dict[str, AccountOrders] = field(default_factory=dict)
    orders: dict[str, OrderRecord] = field(default_factory=dict)  # every open or retained order by id

    def open_account(self, account_id: str) -> None:
        self.accounts[account_id] = AccountOrders(self.trade_limit)

    def register(self, record: OrderRecord) -> None:
        """A new order was accepted: index it as open."""
        account = self.accounts[record.account_id]
        self.orders[record.order_id] = record
        account.open[record.order_id] = record
        account.by_client[record.client_order_id] = record
        account.open_per_symbol[record.symbol] = account.open_per_symbol.get(record.symbol, 0) + 1

    def report(self, op: Op, record: OrderRecord, trade: AccountTrade | None = None) -> None:
        if trade is None:
            op.events.append(ExecutionReport(record.account_id, record.view(), op.now_ms))
            return
        op.events.append(
            ExecutionReport(
                record.account_id,
                record.view(),
                op.now_ms,
                last_qty=trade.qty,
                last_price=trade.price,
                commission=trade.commission,
                commission_asset=trade.commission_asset,
                execution_id=trade.trade_id,
                is_maker=trade.is_maker,
            )
        )
        op.events.append(TicketInfo(trade))

    def rest(self, op: Op, record: OrderRecord) -> None:
        """Put an open order's unfilled rest on the book and keep only what it now needs locked."""
        market = self.markets[record.symbol]
        entry = BookOrder(record.order_id, record.account_id, record.side, record.price, record.leaves_qty)
        market.book.add(entry)
        record.entry = entry
        op.books[record.symbol] = None
        self.release_excess(record)

    def release_excess(self, record: OrderRecord) -> None:
        """Unlock what ``record`` holds beyond its need: price improvement, unused fee reserve, a finish."""
        excess = sub(record.locked, record_need(record))
        if excess < 0:
            raise LedgerError(f"order {record.order_id} holds {record.locked}, less than it needs")
        if excess:
            self.ledger.unlock(record.account_id, record.spent_asset, excess)
            record.locked = sub(record.locked, excess)

    def close(self, op: Op, record: OrderRecord) -> None:
        """The order is finished: off the book, every lock released, moved to the history."""
        if record.entry is not None:
            self.markets[record.symbol].book.remove(record.order_id)
            record.entry = None
            op.books[record.symbol] = None
        self.release_excess(record)
        account = self.accounts[record.account_id]
        del account.open[record.order_id]
        account.open_per_symbol[record.symbol] -= 1
        account.history[record.order_id] = record
        while len(account.history) > self.history_limit:
            _, old = account.history.popitem(last=False)
            del self.orders[old.order_id]
            if account.by_client.get(old.client_order_id) is old:
                del account.by_client[old.client_order_id]

    def cancel(self, op: Op, record: OrderRecord, reason: str) -> None:
        """Cancel an open order's unfilled rest and report it."""
        record.status = OrderStatus.PARTIALLY_CANCELED if record.executed_qty > 0 else OrderStatus.CANCELED
        record.cancel_reason = reason
        record.updated_ms = op.now_ms
        self.close(op, record)
        self.report(op, record)

    def finish_op(self, op: Op) -> tuple[Event, ...]:
        """Close an operation: book changes, then the balances of every account whose funds moved."""
        for symbol in op.books:
            op.events.append(BookChanged(symbol, op.now_ms))
        for account_id, assets in self.ledger.drain_touched().items():
            balances = tuple(self.ledger.balances(account_id, assets))
            op.events.append(BalanceUpdate(account_id, balances, op.now_ms))
        return tuple(op.events)
