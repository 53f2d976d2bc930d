"""Trading by contracts (Deriv, 003 and its schemas): what a contract is asked for, priced, bought and sold as.

A contract venue has no order book and no orders: the user describes a contract (``ContractSpec``),
the venue streams its price (``Quote``), a buy at that price opens it (``Purchase``), and the open
contract is followed (``OpenContract``) until it expires or is sold (``Sale``). Amounts are
``Decimal`` in the account currency; times are milliseconds since the epoch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from terminal.domain.decimals import ZERO


class Basis(StrEnum):
    """What ``amount`` means (proposal ``basis``): the stake paid, or the payout received on a win."""

    STAKE = "stake"
    PAYOUT = "payout"


class DurationUnit(StrEnum):
    """proposal ``duration_unit``: ticks, seconds, minutes, hours, days."""

    TICKS = "t"
    SECONDS = "s"
    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    DurationUnit.TICKS: "ticks",
    DurationUnit.SECONDS: "seconds",
    DurationUnit.MINUTES: "minutes",
    DurationUnit.HOURS: "hours",
    DurationUnit.DAYS: "days",
}

# Bounds the ticket checks before anything is sent; the venue's own per-symbol limits come back as errors.
DURATION_LIMITS: dict[DurationUnit, tuple[int, int]] = {
    DurationUnit.TICKS: (1, 10),
    DurationUnit.SECONDS: (15, 86_400),
    DurationUnit.MINUTES: (1, 1_440),
    DurationUnit.HOURS: (1, 24),
    DurationUnit.DAYS: (1, 365),
}


class BarrierKind(StrEnum):
    NONE = "none"
    PRICE = "price"  # absolute ("1234.5") or relative to the spot ("+0.1", "-2")
    DIGIT = "digit"  # a last digit, 0-9


@dataclass(frozen=True, slots=True)
class ContractType:
    """One of the venue's ``contract_type`` values, with what its ticket needs."""

    code: str
    label: str
    barriers: int = 0  # how many barriers it takes (0, 1 or 2)
    barrier_kind: BarrierKind = BarrierKind.NONE
    units: tuple[DurationUnit, ...] = tuple(DurationUnit)


_DIGIT_UNITS = (DurationUnit.TICKS,)
_TIMED = (DurationUnit.SECONDS, DurationUnit.MINUTES, DurationUnit.HOURS, DurationUnit.DAYS)

# The contract types the ticket offers: the options of the schema's contract_type enum that a
# stake-or-payout, duration and barrier describe completely.
CONTRACT_TYPES: tuple[ContractType, ...] = (
    ContractType("CALL", "Rise"),
    ContractType("PUT", "Fall"),
    ContractType("CALLE", "Rise (allow equals)"),
    ContractType("PUTE", "Fall (allow equals)"),
    ContractType("ONETOUCH", "Touches", 1, BarrierKind.PRICE, _TIMED),
    ContractType("NOTOUCH", "Does not touch", 1, BarrierKind.PRICE, _TIMED),
    ContractType("EXPIRYRANGE", "Ends between", 2, BarrierKind.PRICE, _TIMED),
    ContractType("EXPIRYMISS", "Ends outside", 2, BarrierKind.PRICE, _TIMED),
    ContractType("DIGITMATCH", "Last digit matches", 1, BarrierKind.DIGIT, _DIGIT_UNITS),
    ContractType("DIGITDIFF", "Last digit differs", 1, BarrierKind.DIGIT, _DIGIT_UNITS),
    ContractType("DIGITOVER", "Last digit over", 1, BarrierKind.DIGIT, _DIGIT_UNITS),
    ContractType("DIGITUNDER", "Last digit under", 1, BarrierKind.DIGIT, _DIGIT_UNITS),
    ContractType("DIGITEVEN", "Last digit even", 0, BarrierKind.NONE, _DIGIT_UNITS),
    ContractType("DIGITODD", "Last digit odd", 0, BarrierKind.NONE, _DIGIT_UNITS),
)
CONTRACT_TYPE_BY_CODE = {kind.code: kind for kind in CONTRACT_TYPES}

# proposal.barrier: "^(?=.{1,20}$)[+-]?[0-9]+\.?[0-9]*$" (proposal/send.json)
_BARRIER = re.compile(r"^(?=.{1,20}$)[+-]?[0-9]+\.?[0-9]*$")
_CURRENCY = re.compile(r"^[a-zA-Z0-9]{2,20}$")
_SYMBOL = re.compile(r"^\w{2,30}$")
MAX_AMOUNT = Decimal("1000000000")


@dataclass(frozen=True, slots=True)
class ContractSpec:
    """A contract as the user describes it on the ticket; equal specs share one price stream."""

    symbol: str
    contract_type: str
    amount: Decimal
    basis: Basis
    duration: int
    duration_unit: DurationUnit
    currency: str
    barrier: str | None = None
    barrier2: str | None = None

    @property
    def kind(self) -> ContractType | None:
        return CONTRACT_TYPE_BY_CODE.get(self.contract_type)


def spec_problems(spec: ContractSpec, amount_step: Decimal = Decimal("0.01")) -> list[str]:
    """Every reason ``spec`` cannot be priced, in words; empty when it may be sent."""
    problems: list[str] = []
    kind = spec.kind
    if kind is None:
        problems.append(f"{spec.contract_type!r} is not a contract type the ticket knows")
    if not _SYMBOL.match(spec.symbol):
        problems.append(f"{spec.symbol!r} is not a symbol")
    if not _CURRENCY.match(spec.currency):
        problems.append("the account has no currency yet (authorize first)")
    if not spec.amount.is_finite() or spec.amount <= ZERO:
        problems.append(f"the {spec.basis} must be more than zero")
    elif spec.amount > MAX_AMOUNT:
        problems.append(f"the {spec.basis} may not exceed {MAX_AMOUNT:,}")
    elif amount_step > ZERO and spec.amount % amount_step != ZERO:
        nearest = spec.amount.quantize(amount_step)
        problems.append(f"the {spec.basis} must be a multiple of {amount_step} (e.g. {nearest})")
    low, high = DURATION_LIMITS[spec.duration_unit]
    if kind is not None and spec.duration_unit not in kind.units:
        allowed = ", ".join(unit.label for unit in kind.units)
        problems.append(f"{kind.label} takes a duration in {allowed}, not {spec.duration_unit.label}")
    elif not low <= spec.duration <= high:
        problems.append(f"the duration must be {low} to {high} {spec.duration_unit.label}")
    if kind is not None:
        problems += _barrier_problems(kind, spec.barrier, spec.barrier2)
    return problems


def _barrier_problems(kind: ContractType, barrier: str | None, barrier2: str | None) -> list[str]:
    given = [b for b in (barrier, barrier2) if b]
    if len(given) != kind.barriers or (kind.barriers == 1 and not barrier):
        if kind.barriers == 0:
            return [f"{kind.label} takes no barrier"]
        return [f"{kind.label} needs {'a barrier' if kind.barriers == 1 else 'a high and a low barrier'}"]
    problems = []
    for text in given:
        if kind.barrier_kind is BarrierKind.DIGIT:
            if not (len(text) == 1 and text.isdigit()):
                problems.append(f"the barrier of {kind.label} is one digit, 0 to 9, not {text!r}")
        elif not _BARRIER.match(text):
            problems.append(f"the barrier {text!r} must be a price (1234.5) or an offset from the spot (+0.5, -2)")
    return problems


@dataclass(frozen=True, slots=True)
class Quote:
    """The live price of a ``ContractSpec`` (proposal): buy with ``proposal_id`` at ``ask_price`` at most."""

    proposal_id: str
    ask_price: Decimal
    payout: Decimal
    spot: Decimal
    spot_time_ms: int
    longcode: str
    date_start_ms: int = 0

    @property
    def return_ratio(self) -> Decimal:
        """What a win pays back per unit staked, less the stake: (payout - price) / price."""
        return (self.payout - self.ask_price) / self.ask_price if self.ask_price else ZERO


@dataclass(frozen=True, slots=True)
class Purchase:
    """The venue's receipt of a buy."""

    contract_id: int
    transaction_id: int
    buy_price: Decimal
    payout: Decimal
    longcode: str
    purchase_time_ms: int
    balance_after: Decimal


@dataclass(frozen=True, slots=True)
class Sale:
    """The venue's receipt of a sale before expiry."""

    contract_id: int
    sold_for: Decimal
    transaction_id: int
    balance_after: Decimal


class ContractStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"
    SOLD = "sold"


@dataclass(frozen=True, slots=True)
class OpenContract:
    """A bought contract as the venue last reported it (proposal_open_contract)."""

    contract_id: int
    symbol: str
    contract_type: str
    currency: str
    buy_price: Decimal
    payout: Decimal
    bid_price: Decimal | None  # what selling now would pay; None once it cannot be sold
    profit: Decimal
    status: ContractStatus
    can_sell: bool
    purchase_time_ms: int
    expiry_time_ms: int = 0
    entry_spot: Decimal | None = None
    current_spot: Decimal | None = None
    sell_price: Decimal | None = None
    longcode: str = ""
    display_name: str = ""

    @property
    def is_open(self) -> bool:
        return self.status is ContractStatus.OPEN


@dataclass(frozen=True, slots=True)
class PortfolioEntry:
    """A contract the account holds (portfolio)."""

    contract_id: int
    symbol: str
    contract_type: str
    currency: str
    buy_price: Decimal
    payout: Decimal
    purchase_time_ms: int
    expiry_time_ms: int
    longcode: str
    transaction_id: int


@dataclass(frozen=True, slots=True)
class Transaction:
    """One line of the account statement."""

    transaction_id: int
    time_ms: int
    action: str  # buy, sell, deposit, withdrawal, ...
    amount: Decimal
    balance_after: Decimal
    contract_id: int | None
    longcode: str = ""


@dataclass(frozen=True, slots=True)
class ClosedContract:
    """One line of the profit table: a contract bought and since sold or settled."""

    contract_id: int | None
    transaction_id: int
    contract_type: str
    symbol: str
    buy_price: Decimal
    sell_price: Decimal
    payout: Decimal
    purchase_time_ms: int
    sell_time_ms: int | None
    longcode: str = ""

    @property
    def profit(self) -> Decimal:
        return self.sell_price - self.buy_price


@dataclass(frozen=True, slots=True)
class Account:
    """Who the token speaks for (authorize): shown to the user, and whether it may trade."""

    login_id: str
    currency: str
    is_virtual: bool
    scopes: tuple[str, ...]
    balance: Decimal = ZERO
    landing_company: str = ""
    other_accounts: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "virtual" if self.is_virtual else "real"

    @property
    def can_trade(self) -> bool:
        return "trade" in self.scopes

    def describe(self) -> str:
        """ "VRTC123 · USD · virtual", for the tool bar and the status bar."""
        return " · ".join(part for part in (self.login_id, self.currency or "no currency", self.kind) if part)
