"""An open contract's life on the market: its entry tick, the ticks it sees, its value while open, and its
outcome at expiry (or on a touch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from tests.support.deriv.market import Tick
from tests.support.deriv.pricing import CENT, Quote, win_probability
from tests.support.deriv.spec import DIGITS, TOUCH, ContractSpec
from tests.support.deriv.symbols import Symbol

# What a resale pays against the model's fair value: selling back costs a little, as on any venue.
RESALE_FACTOR = 0.96
WAITING = "Waiting for entry tick."
NOT_OFFERED = "Resale of this contract is not offered."


@dataclass
class Contract:
    contract_id: int
    login_id: str
    quote: Quote
    buy_price: Decimal
    payout: Decimal
    purchase_time: int
    buy_transaction_id: int
    shortcode: str
    current: Tick
    date_expiry: int  # time contracts: fixed at purchase; tick contracts: an estimate until the exit tick
    app_id: int | None = None
    entry: Tick | None = None  # the first tick after the purchase
    path: list[Tick] = field(default_factory=list)  # the ticks after the entry tick
    barriers: tuple[Decimal, ...] = ()  # absolute, high first: fixed by the entry tick
    status: str = "open"  # open, won, lost, sold
    exit: Tick | None = None
    sell_price: Decimal | None = None
    sell_time: int | None = None
    sell_transaction_id: int | None = None

    @property
    def spec(self) -> ContractSpec:
        return self.quote.spec

    @property
    def symbol(self) -> Symbol:
        return self.quote.spec.symbol

    @property
    def longcode(self) -> str:
        return self.quote.longcode

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_expired(self) -> bool:
        return self.status in {"won", "lost"}


def observe(contract: Contract, tick: Tick) -> str | None:
    """Feed one tick of the contract's symbol; the outcome ("won" or "lost") when it settles on this tick."""
    contract.current = tick
    spec = contract.spec
    if contract.entry is None:
        contract.entry = tick
        contract.barriers = spec.barriers(tick.quote)
        return None
    contract.path.append(tick)
    if spec.contract_type in TOUCH and _touched(contract, tick):
        return "won" if spec.contract_type == "ONETOUCH" else "lost"
    if spec.ticks is not None:
        return outcome(contract, tick) if len(contract.path) >= spec.ticks else None
    return outcome(contract, tick) if tick.epoch >= contract.date_expiry else None


def outcome(contract: Contract, exit_tick: Tick) -> str:
    kind, quote, barriers = contract.spec.contract_type, exit_tick.quote, contract.barriers
    if kind in DIGITS:
        digit, wanted = int(contract.symbol.format(quote)[-1]), contract.spec.digit or 0
        wins = {
            "DIGITMATCH": digit == wanted,
            "DIGITDIFF": digit != wanted,
            "DIGITOVER": digit > wanted,
            "DIGITUNDER": digit < wanted,
            "DIGITEVEN": digit % 2 == 0,
            "DIGITODD": digit % 2 == 1,
        }[kind]
    elif kind in {"CALL", "PUT", "CALLE", "PUTE"}:
        wins = {
            "CALL": quote > barriers[0],
            "PUT": quote < barriers[0],
            "CALLE": quote >= barriers[0],
            "PUTE": quote <= barriers[0],
        }[kind]
    elif kind in TOUCH:
        wins = kind == "NOTOUCH"  # reached expiry untouched
    else:
        inside = barriers[1] < quote < barriers[0]
        wins = inside if kind == "EXPIRYRANGE" else not inside
    return "won" if wins else "lost"


def value(contract: Contract, now: int) -> Decimal:
    """The bid: what the contract is worth now (its sale price once closed)."""
    if not contract.is_open:
        return contract.sell_price or Decimal(0)
    spec = contract.spec
    barriers = contract.barriers or spec.barriers(contract.current.quote)
    if spec.ticks is not None:
        steps = float(spec.ticks - len(contract.path))
    else:
        steps = max(contract.date_expiry - now, 0) / contract.symbol.tick_seconds
    chance = win_probability(spec, contract.current.quote, barriers, steps)
    bid = (contract.payout * Decimal(str(round(chance * RESALE_FACTOR, 6)))).quantize(CENT, ROUND_DOWN)
    return min(max(bid, Decimal(0)), contract.payout)


def sell_refusal(contract: Contract, now: int) -> str | None:
    """Why the contract cannot be sold now (None: it can): closed, digits, no entry tick yet, or its last moment."""
    spec = contract.spec
    if not contract.is_open:
        return "This contract has been sold."
    if spec.contract_type in DIGITS:
        return NOT_OFFERED
    if contract.entry is None:
        return WAITING
    if spec.ticks is not None:
        return NOT_OFFERED if len(contract.path) >= spec.ticks - 1 else None
    return NOT_OFFERED if now >= contract.date_expiry - 1 else None


def close(contract: Contract, status: str, price: Decimal, tick: Tick, now: int, transaction_id: int) -> None:
    contract.status = status
    contract.sell_price = price
    contract.sell_time = now
    contract.exit = tick
    contract.current = tick
    contract.sell_transaction_id = transaction_id
    if contract.spec.ticks is not None and status != "sold":
        contract.date_expiry = tick.epoch


def _touched(contract: Contract, tick: Tick) -> bool:
    barrier, entry = contract.barriers[0], contract.entry
    if entry is None:
        return False
    return tick.quote >= barrier if barrier > entry.quote else tick.quote <= barrier
