"""The fake's one brokerage account: cash per currency, positions, orders and executions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tests.support.longbridge.orders import Execution, FakeOrder


@dataclass
class FakePosition:
    symbol: str
    quantity: Decimal
    cost_price: Decimal
    init_quantity: Decimal  # before the market opened (the start of the fake's day)


@dataclass
class FakeAccount:
    cash: dict[str, Decimal]  # by currency: HKD, USD
    positions: dict[str, FakePosition] = field(default_factory=dict)
    orders: dict[str, FakeOrder] = field(default_factory=dict)  # by order_id, in submission order
    executions: list[Execution] = field(default_factory=list)
    account_channel: str = "lb"
    member_id: int = 1001
    aaid: int = 2002

    def frozen_cash(self, currency: str) -> Decimal:
        """What resting buy orders hold back: remaining quantity times limit price."""
        return sum(
            (
                order.remaining * (order.price or Decimal(0))
                for order in self.orders.values()
                if order.is_open and order.side == "Buy" and order.instrument.currency == currency
            ),
            Decimal(0),
        )

    def available_cash(self, currency: str) -> Decimal:
        return self.cash.get(currency, Decimal(0)) - self.frozen_cash(currency)

    def reserved_quantity(self, symbol: str) -> Decimal:
        """Shares resting sell orders already promise."""
        return sum(
            (o.remaining for o in self.orders.values() if o.is_open and o.side == "Sell" and o.symbol == symbol),
            Decimal(0),
        )

    def available_quantity(self, symbol: str) -> Decimal:
        position = self.positions.get(symbol)
        return (position.quantity if position else Decimal(0)) - self.reserved_quantity(symbol)


def default_account() -> FakeAccount:
    """HKD 1,000,000 and USD 100,000 in cash; 200 Tencent at 300 and 10 Apple at 180."""
    account = FakeAccount(cash={"HKD": Decimal("1000000.00"), "USD": Decimal("100000.00")})
    for symbol, quantity, cost in (("700.HK", 200, "300.00"), ("AAPL.US", 10, "180.00")):
        account.positions[symbol] = FakePosition(symbol, Decimal(quantity), Decimal(cost), Decimal(quantity))
    return account
