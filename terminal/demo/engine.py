"""The demo exchange's matching engine: the one object a server drives, one call per venue request.

Pure and synchronous: no I/O, no clock (every call takes ``now_ms``), no randomness (ids come
from ``id_seed`` and a counter). Every call either raises ``DemoError`` having changed nothing,
or applies completely and returns the events its change produced, in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from terminal.demo.accounts import Ledger
from terminal.demo.admission import admit
from terminal.demo.book import OrderBook
from terminal.demo.errors import DemoError, demo_error
from terminal.demo.events import Event
from terminal.demo.fees import FeeSchedule
from terminal.demo.ids import IdGenerator
from terminal.demo.matching import Stop, match, reachable
from terminal.demo.queries import OrderFilter, TradeFilter, clamp_limit, parse_id, select_orders, select_trades
from terminal.demo.records import (
    RISKLIMIT_CANCEL,
    SELF_TRADE_CANCEL,
    USER_CANCEL,
    AccountTrade,
    OrderRecord,
    OrderView,
    average_quantum,
)
from terminal.demo.results import CancelAllResult, CancelByIdsResult, CancelFailure, CancelResult, PlaceResult
from terminal.demo.state import AccountOrders, ExchangeState, Market, Op
from terminal.domain.balance import Balance
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.market import BookSnapshot
from terminal.domain.orders import OrderRequest

BATCH_ORDERS_LIMIT = 20  # 004, "Create Multiple orders": "Upper Limit: 20 orders/batch"
CANCEL_ALL_LIMIT = 200  # 004, "Cancel All Open Orders": "Upper Limit: 200 orders/batch"
CANCEL_BY_IDS_LIMIT = 100  # 004, "Cancel Multiple Orders By OrderId": "Upper Limit: 100 orders/batch"
DEPTH_DEFAULT, DEPTH_MAX = 100, 200  # 004, "Get Order book": "Maximum value is 200. Default is 100."


class MatchingEngine:
    """Order books, accounts and order history of every symbol of the demo exchange."""

    def __init__(
        self,
        instruments: Iterable[Instrument],
        fees: Iterable[FeeSchedule],
        *,
        id_seed: int,
        fee_account_id: str = "fee-collector",
        history_limit: int = 20_000,
        trade_limit: int = 20_000,
    ) -> None:
        schedules = {schedule.symbol: schedule for schedule in fees}
        markets: dict[str, Market] = {}
        for instrument in instruments:
            schedule = schedules.get(instrument.symbol)
            if schedule is None:
                raise ValueError(f"no fee schedule for {instrument.symbol}")
            schedule.check(instrument)
            book = OrderBook(instrument.symbol)
            markets[instrument.symbol] = Market(instrument, schedule, book, average_quantum(instrument.tick_size))
        self._state = ExchangeState(markets, Ledger(), IdGenerator(id_seed), fee_account_id, history_limit, trade_limit)
        self.open_account(fee_account_id)

    # Accounts

    @property
    def fee_account_id(self) -> str:
        """The account every commission is paid into, so that totals are conserved."""
        return self._state.fee_account_id

    @property
    def ledger(self) -> Ledger:
        """Balances of every account; read it, change it only through the engine."""
        return self._state.ledger

    def open_account(self, account_id: str, balances: Mapping[str, Decimal] | None = None) -> None:
        """Create an account with starting free balances."""
        self._state.ledger.open(account_id, balances)
        self._state.open_account(account_id)

    def deposit(self, account_id: str, asset: str, amount: Decimal, now_ms: int) -> tuple[Event, ...]:
        """Add free funds (a demo top-up); returns the balance event."""
        self._account(account_id)
        op = Op(now_ms)
        self._state.ledger.credit(account_id, asset, amount)
        return self._state.finish_op(op)

    def transfer(
        self, from_account: str, to_account: str, asset: str, amount: Decimal, now_ms: int
    ) -> tuple[Event, ...]:
        """004, "Internal Account Transfer": move free ``amount`` of ``asset`` between two accounts."""
        if from_account == to_account:
            raise demo_error("-1174")
        self._account(from_account)
        self._account(to_account)
        self._debit_free(from_account, asset, amount, "-1161")
        self._state.ledger.credit(to_account, asset, amount)
        return self._state.finish_op(Op(now_ms))

    def withdraw(self, account_id: str, asset: str, amount: Decimal, now_ms: int) -> tuple[Event, ...]:
        """004, "Withdraw VA": the funds leave the exchange (the demo has no chain to send them to)."""
        self._account(account_id)
        self._debit_free(account_id, asset, amount, "-4003")
        return self._state.finish_op(Op(now_ms))

    def _debit_free(self, account_id: str, asset: str, amount: Decimal, code: str) -> None:
        if amount <= 0:
            raise demo_error("-1130", "quantity")
        ledger = self._state.ledger
        if ledger.free(account_id, asset) < amount:
            raise demo_error(code)
        ledger.lock(account_id, asset, amount)
        ledger.spend_locked(account_id, asset, amount)

    def balances(self, account_id: str) -> list[Balance]:
        """004, "Get Account Information": every asset the account holds or held."""
        self._account(account_id)
        return self._state.ledger.balances(account_id)

    # Market data

    @property
    def symbols(self) -> list[str]:
        return list(self._state.markets)

    def instrument(self, symbol: str) -> Instrument:
        return self._market(symbol).instrument

    def fee_schedules(self, symbols: Iterable[str] | None = None) -> list[FeeSchedule]:
        """Rows of 004's "Get VIP Information"; unknown symbols are left out."""
        markets = self._state.markets
        names = list(markets) if symbols is None else [s for s in symbols if s in markets]
        return [markets[name].fees for name in names]

    def book(self, symbol: str) -> OrderBook:
        """The live book of ``symbol``: read it, never change it."""
        return self._market(symbol).book

    def snapshot(self, symbol: str, now_ms: int, limit: int | None = None) -> BookSnapshot:
        bids, asks = self._market(symbol).book.depth(clamp_limit(limit, DEPTH_DEFAULT, DEPTH_MAX))
        return BookSnapshot(symbol, tuple(bids), tuple(asks), now_ms)

    def last_price(self, symbol: str) -> Decimal | None:
        return self._market(symbol).last_price

    # Trading

    def place(
        self, account_id: str, request: OrderRequest, now_ms: int, reference_price: Decimal | None = None
    ) -> PlaceResult:
        """004, "Create Order v1.1". ``reference_price`` is the mark price of the LIMIT_TRADING and
        MARKET_TRADING bands; without one the symbol's last trade price is used (no trade yet: no band)."""
        state = self._state
        admitted = admit(state, account_id, request, now_ms, reference_price)
        record = admitted.record
        op = Op(now_ms)
        state.report(op, record)
        fills: list[AccountTrade] = []
        if record.type is OrderType.LIMIT_MAKER:
            stop = Stop.NO_LIQUIDITY  # admission made sure it cannot cross
        elif record.time_in_force is TimeInForce.FOK and not self._fillable(record, admitted.limit_price):
            stop = Stop.NO_LIQUIDITY  # "fill or kill": nothing trades
        else:
            stop, fills = match(state, op, record, admitted.limit_price)
        self._conclude(op, record, stop)
        return PlaceResult(record.view(), tuple(fills), state.finish_op(op))

    def place_batch(
        self, account_id: str, requests: Sequence[OrderRequest], now_ms: int, reference_price: Decimal | None = None
    ) -> list[PlaceResult | DemoError]:
        """004, "Create Multiple orders by Symbol v1.1": up to 20 orders of one symbol, each answered alone."""
        if len(requests) > BATCH_ORDERS_LIMIT:
            raise demo_error("-2022")
        if len({request.symbol for request in requests}) > 1:
            raise demo_error("-1130", "'symbol'")  # "Currently only support for same symbol."
        out: list[PlaceResult | DemoError] = []
        for request in requests:
            try:
                out.append(self.place(account_id, request, now_ms, reference_price))
            except DemoError as error:
                out.append(error)
        return out

    def cancel(
        self, account_id: str, now_ms: int, *, order_id: str | None = None, client_order_id: str | None = None
    ) -> CancelResult:
        """004, "Cancel Order": by orderId or clientOrderId."""
        record = self._find(account_id, order_id, client_order_id)
        if not record.is_open:
            raise demo_error("-1139" if record.status is OrderStatus.FILLED else "-1142")
        acknowledged = record.view()
        op = Op(now_ms)
        self._state.cancel(op, record, USER_CANCEL)
        return CancelResult(record.view(), acknowledged, self._state.finish_op(op))

    def cancel_all(
        self,
        account_id: str,
        now_ms: int,
        *,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        limit: int | None = None,
    ) -> CancelAllResult:
        """004, "Cancel All Open Orders by Symbol" and "Cancel All Open Spot Orders": at most 200 open
        orders, newest first; ``from_order_id`` as in the queries (only ids below it)."""
        account = self._account(account_id)
        if symbol is not None:
            self._market(symbol)
        wanted = OrderFilter(symbol, side, parse_id(from_order_id, "fromOrderId"))
        chosen = select_orders(account.open.values(), wanted, clamp_limit(limit, CANCEL_ALL_LIMIT, CANCEL_ALL_LIMIT))
        op = Op(now_ms)
        cancelled = tuple(self._cancel_open(op, account, view.order_id) for view in chosen)
        return CancelAllResult(cancelled, self._state.finish_op(op))

    def cancel_by_ids(self, account_id: str, now_ms: int, ids: Sequence[str]) -> CancelByIdsResult:
        """004, "Cancel Multiple Orders By OrderId": every id that is not an open order of the
        account comes back as a failure with code "0211", as in the document's example."""
        account = self._account(account_id)
        if len(ids) > CANCEL_BY_IDS_LIMIT:
            raise demo_error("-2030")
        op = Op(now_ms)
        cancelled: list[OrderView] = []
        failures: list[CancelFailure] = []
        for order_id in ids:
            if order_id in account.open:
                cancelled.append(self._cancel_open(op, account, order_id))
            else:
                failures.append(CancelFailure(order_id, "0211"))
        return CancelByIdsResult(tuple(cancelled), tuple(failures), self._state.finish_op(op))

    # Queries

    def order(self, account_id: str, *, order_id: str | None = None, client_order_id: str | None = None) -> OrderView:
        """004, "Query Order": an open or finished order of the account."""
        return self._find(account_id, order_id, client_order_id).view()

    def open_orders(
        self,
        account_id: str,
        *,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        limit: int | None = None,
    ) -> list[OrderView]:
        """004, "Get Current Open Orders", newest first."""
        wanted = OrderFilter(symbol, side, parse_id(from_order_id, "fromOrderId"))
        return select_orders(self._account(account_id).open.values(), wanted, clamp_limit(limit))

    def trade_orders(
        self,
        account_id: str,
        *,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int | None = None,
    ) -> list[OrderView]:
        """004, "Get All Traded Orders": finished orders (filled or cancelled), newest first."""
        wanted = OrderFilter(symbol, side, parse_id(from_order_id, "fromOrderId"), start_ms, end_ms)
        return select_orders(self._account(account_id).history.values(), wanted, clamp_limit(limit))

    def account_trades(
        self,
        account_id: str,
        *,
        symbol: str | None = None,
        client_order_id: str | None = None,
        from_id: str | None = None,
        to_id: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int | None = None,
    ) -> list[AccountTrade]:
        """004, "Get Account Trade List", newest first."""
        wanted = TradeFilter(
            symbol, client_order_id, parse_id(from_id, "fromId"), parse_id(to_id, "toId"), start_ms, end_ms
        )
        return select_trades(self._account(account_id).trades, wanted, clamp_limit(limit))

    # Internals

    def _market(self, symbol: str) -> Market:
        market = self._state.markets.get(symbol)
        if market is None:
            raise demo_error("0201")
        return market

    def _account(self, account_id: str) -> AccountOrders:
        account = self._state.accounts.get(account_id)
        if account is None:
            raise demo_error("-1160")
        return account

    def _find(self, account_id: str, order_id: str | None, client_order_id: str | None) -> OrderRecord:
        account = self._account(account_id)
        if order_id:
            record = self._state.orders.get(order_id)
        elif client_order_id:
            record = account.by_client.get(client_order_id)
        else:
            raise demo_error("0001", "orderId")
        if record is None or record.account_id != account_id:
            raise demo_error("0211")
        return record

    def _cancel_open(self, op: Op, account: AccountOrders, order_id: str) -> OrderView:
        record = account.open[order_id]
        self._state.cancel(op, record, USER_CANCEL)
        return record.view()

    def _fillable(self, record: OrderRecord, limit_price: Decimal | None) -> bool:
        book = self._state.markets[record.symbol].book
        qty, _ = reachable(book, record.side, record.account_id, record.stp_mode, limit_price, record.orig_qty)
        return qty >= record.orig_qty

    def _conclude(self, op: Op, record: OrderRecord, stop: Stop) -> None:
        """After matching: the taker is filled, rests on the book, or has its unfilled rest cancelled."""
        state = self._state
        if record.status is OrderStatus.FILLED:
            state.close(op, record)  # its last fill already reported FILLED
        elif stop is Stop.BUDGET and record.executed_qty > 0:
            # A market buy by amount that cannot afford one more step has spent what it could.
            record.status = OrderStatus.FILLED
            state.close(op, record)
            state.report(op, record)
        elif stop is Stop.SELF_TRADE:
            state.cancel(op, record, SELF_TRADE_CANCEL)
        elif record.time_in_force is TimeInForce.GTC and record.type is not OrderType.MARKET:
            state.rest(op, record)
        else:
            state.cancel(op, record, RISKLIMIT_CANCEL)
