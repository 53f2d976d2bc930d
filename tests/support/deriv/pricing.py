"""A simple deterministic pricing model: the chance a contract wins under the symbol's own random walk, turned
into an ask price with a small house margin (an at-the-money rise/fall pays 1.95 times the stake)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from tests.support.deriv.market import Tick
from tests.support.deriv.spec import DIGITS, RISE_FALL, TOUCH, ContractSpec
from tests.support.deriv.texts import longcode
from tests.support.deriv.wire import DerivError

CENT = Decimal("0.01")
MIN_STAKE = Decimal("0.35")
MIN_PAYOUT = Decimal("1")
MAX_PAYOUT = Decimal("50000")
MARGIN = 1.0256  # 0.5 * 1.0256 = 0.5128 of the payout: a payout of 1.95 times the stake


@dataclass(frozen=True)
class Quote:
    """A priced contract: what a proposal shows and what a buy of its id pays."""

    spec: ContractSpec
    ask_price: Decimal
    payout: Decimal
    spot: Tick
    date_start: int
    date_expiry: int | None  # time contracts only; a tick contract ends on a tick
    barriers: tuple[Decimal, ...]  # absolute, high first, as if the spot were the entry spot
    longcode: str


def price(spec: ContractSpec, spot: Tick, now: int) -> Quote:
    barriers = spec.barriers(spot.quote)
    steps = spec.ticks if spec.ticks is not None else spec.seconds(now) / spec.symbol.tick_seconds
    chance = win_probability(spec, spot.quote, barriers, float(steps))
    fraction = Decimal(str(round(min(0.99, max(0.01, chance * MARGIN)), 4)))
    if spec.basis == "stake":
        ask, payout = spec.amount, (spec.amount / fraction).quantize(CENT, ROUND_DOWN)
    else:
        if spec.amount < MIN_PAYOUT:
            raise DerivError("ContractBuyValidationError", f"Payout must be at least {MIN_PAYOUT:.2f}.")
        ask, payout = (spec.amount * fraction).quantize(CENT, ROUND_UP), spec.amount
    if ask < MIN_STAKE:
        raise DerivError("ContractBuyValidationError", f"Stake must be at least {MIN_STAKE}.")
    if payout > MAX_PAYOUT:
        raise DerivError("ContractBuyValidationError", f"Maximum payout allowed is {MAX_PAYOUT:.2f}.")
    if payout <= ask:
        raise DerivError("ContractBuyValidationError", "This contract offers no return.")
    expiry = None if spec.ticks is not None else now + spec.seconds(now)
    return Quote(spec, ask, payout, spot, now, expiry, barriers, longcode(spec))


def win_probability(spec: ContractSpec, spot: Decimal, barriers: tuple[Decimal, ...], steps: float) -> float:
    """The chance of a win with ``steps`` ticks of the walk still to come."""
    kind = spec.contract_type
    if kind in DIGITS:
        digit = spec.digit or 0
        return {"DIGITMATCH": 0.1, "DIGITDIFF": 0.9, "DIGITOVER": (9 - digit) / 10, "DIGITUNDER": digit / 10}.get(
            kind, 0.5
        )
    level = float(spot)
    spread = level * spec.symbol.sigma * math.sqrt(max(steps, 1.0))
    if kind in RISE_FALL:
        up = _cdf((level - float(barriers[0])) / spread)
        return up if kind.startswith("CALL") else 1.0 - up
    if kind in TOUCH:
        touch = min(1.0, 2.0 * (1.0 - _cdf(abs(float(barriers[0]) - level) / spread)))
        return touch if kind == "ONETOUCH" else 1.0 - touch
    inside = _cdf((float(barriers[0]) - level) / spread) - _cdf((float(barriers[1]) - level) / spread)
    return inside if kind == "EXPIRYRANGE" else 1.0 - inside


def _cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
