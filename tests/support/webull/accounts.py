"""The fake's brokerage accounts: cash in one currency, positions and orders, and what they are worth."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tests.support.webull.orders import FakeOrder


@dataclass
class FakePosition:
    symbol: str
    quantity: Decimal
    cost_price: Decimal
    position_id: str


@dataclass
class FakeAccount:
    account_id: str
    type: str  # CASH | MARGIN (the reference's account_type)
    currency: str  # USD | HKD; the account trades instruments quoted in this currency
    cash: Decimal
    positions: dict[str, FakePosition] = field(default_factory=dict)
    orders: dict[str, FakeOrder] = field(default_factory=dict)  # by client_order_id, in placing order
    account_number: str = ""
    account_class: str = ""

    @property
    def leverage(self) -> Decimal:
        """Buying power per unit of cash: 1 for a cash account, 2 for a margin account (a fake's choice)."""
        return Decimal(2) if self.type == "MARGIN" else Decimal(1)

    def reserved_cash(self) -> Decimal:
        """What resting buy orders hold back: remaining quantity times limit price."""
        return sum(
            (
                o.remaining * (o.limit_price or Decimal(0))
                for o in self.orders.values()
                if o.is_open and o.side == "BUY"
            ),
            Decimal(0),
        )

    def reserved_quantity(self, symbol: str) -> Decimal:
        """Shares resting sell orders already promise."""
        return sum(
            (o.remaining for o in self.orders.values() if o.is_open and o.side == "SELL" and o.symbol == symbol),
            Decimal(0),
        )

    def buying_power(self) -> Decimal:
        return max(self.cash * self.leverage - self.reserved_cash(), Decimal(0))


def default_accounts() -> list[FakeAccount]:
    """A US cash account holding some AAPL, and a Hong Kong margin account holding some Tencent."""
    us = FakeAccount(
        "ACC-US-CASH-0001",
        "CASH",
        "USD",
        Decimal("100000.00"),
        account_number="5MV00001",
        account_class="INDIVIDUAL_CASH",
    )
    us.positions["AAPL"] = FakePosition("AAPL", Decimal(10), Decimal("180.00"), "POS-US-AAPL")
    hk = FakeAccount(
        "ACC-HK-MRGN-0002",
        "MARGIN",
        "HKD",
        Decimal("1000000.00"),
        account_number="10000002",
        account_class="INDIVIDUAL_MRGN",
    )
    hk.positions["00700"] = FakePosition("00700", Decimal(200), Decimal("350.00"), "POS-HK-00700")
    return [us, hk]
