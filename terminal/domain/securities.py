"""Securities accounts at a stock broker (Webull, Longbridge): the accounts of a key, their holdings
with cost and profit, and a broker's estimate of an order before it is placed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.decimals import ZERO


@dataclass(frozen=True, slots=True)
class Position:
    """One holding. ``cost_price`` is the average price paid per share; ``last_price`` the venue's
    latest, at which ``market_value`` is counted; all amounts are in ``currency``."""

    symbol: str
    quantity: Decimal
    cost_price: Decimal
    last_price: Decimal
    market_value: Decimal
    currency: str = ""
    available: Decimal | None = None  # what may be sold now (None: the whole quantity)

    @property
    def cost(self) -> Decimal:
        """What the holding cost: quantity times the average cost price."""
        return self.quantity * self.cost_price

    @property
    def unrealized_pnl(self) -> Decimal:
        """Market value less cost (negative: a loss)."""
        return self.market_value - self.cost

    @property
    def unrealized_pnl_ratio(self) -> Decimal | None:
        """Profit or loss as a fraction of the cost; None when nothing was paid."""
        cost = self.cost
        return self.unrealized_pnl / abs(cost) if cost != ZERO else None

    @property
    def sellable(self) -> Decimal:
        return self.quantity if self.available is None else self.available


@dataclass(frozen=True, slots=True)
class BrokerageAccount:
    """One account an app key may trade: ``label`` is what the user recognises it by."""

    account_id: str
    label: str = ""
    kind: str = ""  # e.g. "CASH", "MARGIN"
    currency: str = ""

    def describe(self) -> str:
        parts = [self.label or self.account_id, self.kind, self.currency]
        return " · ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class OrderPreview:
    """What the venue estimates an order would cost, before it is placed."""

    estimated_cost: Decimal
    estimated_fee: Decimal
    currency: str
    details: tuple[tuple[str, str], ...] = ()  # further figures the venue gave, as (name, value)
