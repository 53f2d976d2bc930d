"""What the contract ticket's fields say: a ``ContractSpec`` that may be priced, or every problem in words (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.contracts import (
    CONTRACT_TYPE_BY_CODE,
    DURATION_LIMITS,
    MAX_AMOUNT,
    Basis,
    ContractSpec,
    DurationUnit,
    spec_problems,
)
from terminal.domain.decimals import ZERO, DecimalParseError, parse_decimal
from terminal.ui.contracts.contract_text import MONEY_STEP
from terminal.ui.ticket.draft import Problem

NO_CURRENCY = "Waiting for the account's currency (the token is being authorized)"


@dataclass(frozen=True, slots=True)
class ContractInput:
    """The ticket's choices and the texts of its fields, as typed."""

    symbol: str
    contract_type: str
    basis: Basis
    amount_text: str
    duration_text: str
    duration_unit: DurationUnit
    currency: str
    barrier_text: str = ""
    barrier2_text: str = ""


@dataclass(frozen=True, slots=True)
class SpecDraft:
    """``spec`` may be priced (None while a field is wrong or empty); ``problems`` are shown in red;
    ``missing`` says calmly what is still to be filled in."""

    spec: ContractSpec | None
    problems: tuple[Problem, ...] = ()
    missing: str = ""


def draft_spec(given: ContractInput) -> SpecDraft:
    kind = CONTRACT_TYPE_BY_CODE.get(given.contract_type)
    missing: list[str] = []
    problems: list[Problem] = []
    unusable: set[str] = set()  # fields already reported: the spec's own rules are not repeated for them

    amount = _amount(given, missing, problems, unusable)
    duration = _duration(given, missing, problems, unusable)
    barrier = given.barrier_text.strip() or None
    barrier2 = given.barrier2_text.strip() or None
    wanted = kind.barriers if kind is not None else 0
    if wanted == 0:
        barrier = barrier2 = None
    elif wanted == 1:
        barrier2 = None
        if barrier is None:
            missing.append("a barrier")
            unusable.add("barrier")
    elif barrier is None or barrier2 is None:
        missing.append("a high and a low barrier")
        unusable.add("barrier")
    if not given.currency:
        unusable.add("currency")

    low, _high = DURATION_LIMITS[given.duration_unit]
    spec = ContractSpec(
        symbol=given.symbol,
        contract_type=given.contract_type,
        amount=amount if amount is not None else MONEY_STEP,
        basis=given.basis,
        duration=duration if duration is not None else low,
        duration_unit=given.duration_unit,
        currency=given.currency or "XXX",  # stands in until the account is known (reported as missing)
        barrier=barrier,
        barrier2=barrier2,
    )
    for message in spec_problems(spec, MONEY_STEP):
        field = _field_of(message, given.basis)
        if field not in unusable:
            problems.append(Problem(field, message, _nearest(field, spec)))

    said = ""
    if missing:
        said = "Enter " + " and ".join(missing)
    elif not given.currency:
        said = NO_CURRENCY
    ready = not missing and not problems and bool(given.currency)
    return SpecDraft(spec if ready else None, tuple(problems), said)


def _amount(given: ContractInput, missing: list[str], problems: list[Problem], unusable: set[str]) -> Decimal | None:
    text = given.amount_text.strip()
    if not text:
        missing.append(f"a {given.basis}")
        unusable.add("amount")
        return None
    try:
        return parse_decimal(text, field=f"the {given.basis}")
    except DecimalParseError as exc:
        problems.append(Problem("amount", str(exc)))
        unusable.add("amount")
        return None


def _duration(given: ContractInput, missing: list[str], problems: list[Problem], unusable: set[str]) -> int | None:
    text = given.duration_text.strip()
    if not text:
        missing.append("a duration")
        unusable.add("duration")
        return None
    if not text.isdigit():
        problems.append(Problem("duration", f"the duration {text!r} is not a whole number"))
        unusable.add("duration")
        return None
    return int(text)


def _field_of(message: str, basis: Basis) -> str:
    """The field a sentence of ``spec_problems`` is about (it says so in words)."""
    if "barrier" in message:
        return "barrier"
    if "duration" in message:
        return "duration"
    if message.startswith(f"the {basis}"):
        return "amount"
    if "currency" in message:
        return "currency"
    return "contract"


def _nearest(field: str, spec: ContractSpec) -> Decimal | None:
    """The valid value nearest to what was typed, for a "use nearest" button."""
    if field == "amount" and ZERO < spec.amount <= MAX_AMOUNT and spec.amount % MONEY_STEP != ZERO:
        nearest = spec.amount.quantize(MONEY_STEP)
        return nearest if nearest > ZERO else MONEY_STEP
    if field == "duration":
        low, high = DURATION_LIMITS[spec.duration_unit]
        if not low <= spec.duration <= high:
            return Decimal(min(max(spec.duration, low), high))
    return None
