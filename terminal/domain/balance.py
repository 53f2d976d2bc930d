"""Asset balances of an account."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Balance:
    """Free funds can back new orders; locked funds back open ones."""

    asset: str
    free: Decimal
    locked: Decimal
    total: Decimal

    @classmethod
    def of(cls, asset: str, free: Decimal, locked: Decimal) -> Balance:
        return cls(asset=asset, free=free, locked=locked, total=free + locked)
