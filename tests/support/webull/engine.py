"""The fake's order engine: buying power and position checks, market orders filled at the quote,
limit orders resting until the walk reaches them, replace and cancel of open orders."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

from tests.support.webull.accounts import FakeAccount, FakePosition
from tests.support.webull.errors import bad_parameter, rejected
from tests.support.webull.market import Market
from tests.support.webull.order_params import PRICED_TYPES, OrderTicket, check_price, check_quantity, decimal_field
from tests.support.webull.orders import FakeOrder, OrderStatus
from tests.support.webull.wire import JSON, WebullError


def order_not_found() -> WebullError:
    return rejected("OPENAPI_ORDER_NOT_FOUND", "Order not found.")


class Engine:
    def __init__(self, accounts: dict[str, FakeAccount], market: Market, clock: Callable[[], float]) -> None:
        self.accounts = accounts
        self.market = market
        self._clock = clock
        self._ids = itertools.count(1)

    # -- checks --------------------------------------------------------------------------------------------

    def check_account(self, account: FakeAccount, ticket: OrderTicket) -> None:
        if ticket.instrument.currency != account.currency:
            raise bad_parameter(f"account {account.account_id} trades {account.currency} instruments only")

    def cost(self, ticket: OrderTicket) -> Decimal:
        """What the order would cost (or raise) at its limit, or at the touch for a market order."""
        quote = self.market.quotes[ticket.instrument.symbol]
        price = ticket.limit_price or (quote.ask if ticket.side == "BUY" else quote.bid)
        return ticket.quantity * price

    def check_funds(self, account: FakeAccount, side: str, symbol: str, amount: Decimal, quantity: Decimal) -> None:
        if side == "BUY":
            if amount > account.buying_power():
                raise rejected("OPENAPI_INSUFFICIENT_BUYING_POWER", "Insufficient buying power.")
            return
        position = account.positions.get(symbol)
        if position is None:
            raise rejected("OPENAPI_ORDER_SIDE_NOT_MATCH_WITH_POSITION", "No position to sell.")
        if quantity > position.quantity - account.reserved_quantity(symbol):
            raise rejected("OPENAPI_INSUFFICIENT_POSITION", "The quantity exceeds the available position.")

    # -- order life ----------------------------------------------------------------------------------------

    def place(self, account: FakeAccount, ticket: OrderTicket) -> FakeOrder:
        self.check_account(account, ticket)
        if ticket.client_order_id in account.orders:
            raise rejected("OPENAPI_DUPLICATE_CLIENT_ORDER_ID", "The client_order_id has been used.")
        self.check_funds(account, ticket.side, ticket.instrument.symbol, self.cost(ticket), ticket.quantity)
        order = FakeOrder(
            client_order_id=ticket.client_order_id,
            order_id=f"WBF{next(self._ids):023d}",
            account_id=account.account_id,
            symbol=ticket.instrument.symbol,
            market=ticket.instrument.market,
            side=ticket.side,
            order_type=ticket.order_type,
            time_in_force=ticket.time_in_force,
            quantity=ticket.quantity,
            limit_price=ticket.limit_price,
            placed_at=self._clock(),
            support_trading_session=ticket.support_trading_session,
        )
        account.orders[order.client_order_id] = order
        self.match(account, order, arriving=True)
        return order

    def replace(self, account: FakeAccount, change: dict[str, JSON]) -> FakeOrder:
        order = account.orders.get(str(change.get("client_order_id") or ""))
        if order is None:
            raise order_not_found()
        if not order.is_open:
            raise rejected("OPENAPI_ORDER_STATUS_NOT_ALLOW_MODIFY", "The order status does not allow modification.")
        instrument = self.market.quotes[order.symbol].instrument
        quantity, price = order.quantity, order.limit_price
        if change.get("quantity") is not None:
            quantity = decimal_field(change["quantity"], "quantity")
            check_quantity(quantity, instrument)
            quantity = quantity.quantize(Decimal(1))
            if quantity <= order.filled_quantity:
                raise bad_parameter("quantity must exceed the filled quantity")
        if change.get("limit_price") is not None:
            if order.order_type not in PRICED_TYPES:
                raise bad_parameter("limit_price applies to limit orders only")
            price = decimal_field(change["limit_price"], "limit_price")
            check_price(price, instrument)
        tif = str(change.get("time_in_force") or order.time_in_force)
        if tif not in ("DAY", "GTC"):
            raise bad_parameter("time_in_force must be DAY or GTC")
        if order.side == "BUY":
            extra = (quantity - order.filled_quantity) * (price or 0) - order.remaining * (order.limit_price or 0)
            self.check_funds(account, "BUY", order.symbol, max(extra, Decimal(0)), Decimal(0))
        elif quantity > order.quantity:
            self.check_funds(account, "SELL", order.symbol, Decimal(0), quantity - order.quantity)
        order.quantity, order.limit_price, order.time_in_force = quantity, price, tif
        self.match(account, order, arriving=True)
        return order

    def cancel(self, account: FakeAccount, client_order_id: str) -> FakeOrder:
        order = account.orders.get(client_order_id)
        if order is None:
            raise order_not_found()
        if not order.is_open:
            raise rejected("OPENAPI_ORDER_STATUS_NOT_ALLOW_CANCEL", "The order status does not allow cancellation.")
        order.status = OrderStatus.CANCELLED
        return order

    def end_of_day(self) -> None:
        """DAY orders still open are cancelled; GTC orders stay."""
        for account in self.accounts.values():
            for order in account.orders.values():
                if order.is_open and order.time_in_force == "DAY":
                    order.status = OrderStatus.CANCELLED

    # -- matching ------------------------------------------------------------------------------------------

    def match_all(self) -> None:
        for account in self.accounts.values():
            for order in list(account.orders.values()):
                if order.is_open:
                    self.match(account, order, arriving=False)

    def match(self, account: FakeAccount, order: FakeOrder, *, arriving: bool) -> None:
        """Fill what the quote allows: a market order at the touch; a limit order that crosses at the
        touch when it arrives (or is replaced), and at its own price when the market later reaches it."""
        quote = self.market.quotes[order.symbol]
        touch = quote.ask if order.side == "BUY" else quote.bid
        if order.limit_price is None:
            self.fill(account, order, order.remaining, touch)
            return
        crosses = touch <= order.limit_price if order.side == "BUY" else touch >= order.limit_price
        if crosses:
            self.fill(account, order, order.remaining, touch if arriving else order.limit_price)

    def fill(self, account: FakeAccount, order: FakeOrder, quantity: Decimal, price: Decimal) -> None:
        quantity = min(quantity, order.remaining)
        if quantity <= 0:
            return
        order.filled_quantity += quantity
        order.filled_value += quantity * price
        order.filled_at = self._clock()
        order.status = OrderStatus.FILLED if order.remaining == 0 else OrderStatus.PARTIAL_FILLED
        position = account.positions.get(order.symbol)
        if order.side == "BUY":
            account.cash -= quantity * price
            if position is None:
                position = FakePosition(order.symbol, Decimal(0), price, f"POS-{order.order_id}")
                account.positions[order.symbol] = position
            total = position.quantity + quantity
            position.cost_price = (position.quantity * position.cost_price + quantity * price) / total
            position.quantity = total
        else:
            account.cash += quantity * price
            if position is not None:
                position.quantity -= quantity
                if position.quantity <= 0:
                    del account.positions[order.symbol]
