"""The fake's order engine: cash and position checks, market-like orders filled at the last price, limit
orders resting until the price reaches them, replace and cancel of open orders."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

from tests.support.longbridge.accounts import FakeAccount, FakePosition
from tests.support.longbridge.market import Market
from tests.support.longbridge.order_params import PRICED, Ticket, check_price, check_quantity
from tests.support.longbridge.orders import Execution, FakeOrder, HistoryEntry, OrderStatus
from tests.support.longbridge.wire import (
    INSUFFICIENT_FUNDS,
    INSUFFICIENT_POSITION,
    ORDER_NOT_FOUND,
    ORDER_NOT_OPEN,
    LongbridgeError,
    bad_parameter,
    rejected,
)


def order_not_found(order_id: str) -> LongbridgeError:
    return rejected(ORDER_NOT_FOUND, f"order not found: {order_id}")


class Engine:
    def __init__(self, account: FakeAccount, market: Market, clock: Callable[[], float]) -> None:
        self.account = account
        self.market = market
        self._clock = clock
        self._ids = itertools.count(701276261045858304)
        self._trades = itertools.count(1)

    # -- checks --------------------------------------------------------------------------------------------

    def check_funds(self, side: str, symbol: str, currency: str, amount: Decimal, quantity: Decimal) -> None:
        if side == "Buy":
            if amount > self.account.available_cash(currency):
                raise rejected(INSUFFICIENT_FUNDS, "insufficient buying power")
        elif quantity > self.account.available_quantity(symbol):
            raise rejected(INSUFFICIENT_POSITION, "insufficient position quantity")

    # -- order life ----------------------------------------------------------------------------------------

    def submit(self, ticket: Ticket) -> FakeOrder:
        symbol = ticket.instrument.symbol
        at = ticket.price if ticket.price is not None else self.market.last(symbol)
        self.check_funds(ticket.side, symbol, ticket.instrument.currency, ticket.quantity * at, ticket.quantity)
        now = self._clock()
        order = FakeOrder(
            order_id=str(next(self._ids)),
            instrument=ticket.instrument,
            side=ticket.side,
            order_type=ticket.order_type,
            time_in_force=ticket.time_in_force,
            quantity=ticket.quantity,
            price=ticket.price,
            submitted_at=now,
            expire_date=ticket.expire_date,
            outside_rth=ticket.outside_rth,
            remark=ticket.remark,
            updated_at=now,
        )
        order.history.append(HistoryEntry(ticket.price or Decimal(0), ticket.quantity, OrderStatus.NEW, "", now))
        self.account.orders[order.order_id] = order
        self.match(order, arriving=True)
        return order

    def find(self, order_id: str) -> FakeOrder:
        order = self.account.orders.get(order_id)
        if order is None:
            raise order_not_found(order_id)
        return order

    def replace(self, order_id: str, quantity: Decimal, price: Decimal | None, remark: str | None) -> FakeOrder:
        order = self.find(order_id)
        if not order.is_open:
            raise rejected(ORDER_NOT_OPEN, f"order status {order.status} does not allow replacing")
        check_quantity(quantity, order.instrument, order.order_type)
        if quantity <= order.executed_quantity:
            raise bad_parameter("quantity must exceed the executed quantity")
        if order.order_type in PRICED:
            if price is None:
                raise bad_parameter(f"price is required to replace a {order.order_type} order")
            check_price(price, order.instrument)
        else:
            price = None
        if order.side == "Buy":
            extra = (quantity - order.executed_quantity) * (price or 0) - order.remaining * (order.price or 0)
            self.check_funds("Buy", order.symbol, order.instrument.currency, max(extra, Decimal(0)), Decimal(0))
        elif quantity > order.quantity:
            self.check_funds("Sell", order.symbol, order.instrument.currency, Decimal(0), quantity - order.quantity)
        now = self._clock()
        order.quantity, order.price, order.updated_at = quantity, price, now
        if remark is not None:
            order.remark = remark
        if not order.executed_quantity:
            order.status = OrderStatus.REPLACED
        order.history.append(HistoryEntry(price or Decimal(0), quantity, OrderStatus.REPLACED, "", now))
        self.match(order, arriving=True)
        return order

    def cancel(self, order_id: str) -> FakeOrder:
        order = self.find(order_id)
        if not order.is_open:
            raise rejected(ORDER_NOT_OPEN, f"order status {order.status} does not allow cancelling")
        self.close(order, OrderStatus.CANCELED, "")
        return order

    def close(self, order: FakeOrder, status: OrderStatus, msg: str) -> None:
        now = self._clock()
        order.status, order.msg, order.updated_at = status, msg, now
        order.history.append(HistoryEntry(order.price or Decimal(0), order.remaining, status, msg, now))

    def end_of_day(self) -> None:
        """Day orders still open expire; GTC and GTD orders stay."""
        for order in self.account.orders.values():
            if order.is_open and order.time_in_force == "Day":
                self.close(order, OrderStatus.EXPIRED, "")

    # -- matching ------------------------------------------------------------------------------------------

    def match_all(self) -> None:
        for order in list(self.account.orders.values()):
            if order.is_open:
                self.match(order, arriving=False)

    def match(self, order: FakeOrder, *, arriving: bool) -> None:
        """A market-like order (MO, AO) fills at the last price; a limit order that crosses fills at the last
        price when it arrives (or is replaced), and at its own price when the market later reaches it."""
        last = self.market.last(order.symbol)
        if order.price is None:
            self.fill(order, order.remaining, last)
            return
        crosses = last <= order.price if order.side == "Buy" else last >= order.price
        if crosses:
            self.fill(order, order.remaining, last if arriving else order.price)

    def fill(self, order: FakeOrder, quantity: Decimal, price: Decimal) -> None:
        quantity = min(quantity, order.remaining)
        if quantity <= 0:
            return
        now = self._clock()
        order.executed_quantity += quantity
        order.executed_value += quantity * price
        order.last_done, order.updated_at = price, now
        order.status = OrderStatus.FILLED if order.remaining == 0 else OrderStatus.PARTIAL_FILLED
        order.history.append(HistoryEntry(price, quantity, order.status, "", now))
        trade_id = f"{order.order_id}-{int(now * 1e9) + next(self._trades)}"
        self.account.executions.append(Execution(order.order_id, trade_id, order.symbol, now, quantity, price))
        currency = order.instrument.currency
        position = self.account.positions.get(order.symbol)
        if order.side == "Buy":
            self.account.cash[currency] = self.account.cash.get(currency, Decimal(0)) - quantity * price
            if position is None:
                position = FakePosition(order.symbol, Decimal(0), price, Decimal(0))
                self.account.positions[order.symbol] = position
            total = position.quantity + quantity
            position.cost_price = (position.quantity * position.cost_price + quantity * price) / total
            position.quantity = total
        else:
            self.account.cash[currency] = self.account.cash.get(currency, Decimal(0)) + quantity * price
            if position is not None:
                position.quantity -= quantity
                if position.quantity <= 0:
                    del self.account.positions[order.symbol]
