"""What a proposal (or a buy with parameters) asks for, checked against the business rules Deriv applies
beyond the schema: contract types offered here, barriers, durations, amount and currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.support.deriv.market import Market
from tests.support.deriv.symbols import Symbol
from tests.support.deriv.wire import DerivError

RISE_FALL = frozenset({"CALL", "PUT", "CALLE", "PUTE"})
TOUCH = frozenset({"ONETOUCH", "NOTOUCH"})
RANGES = frozenset({"EXPIRYRANGE", "EXPIRYMISS"})
DIGITS = frozenset({"DIGITMATCH", "DIGITDIFF", "DIGITOVER", "DIGITUNDER", "DIGITEVEN", "DIGITODD"})
SUPPORTED = RISE_FALL | TOUCH | RANGES | DIGITS
# CALL/PUT take an optional barrier (Higher/Lower, as in the schema's own example); these take none.
NO_BARRIER = frozenset({"CALLE", "PUTE", "DIGITEVEN", "DIGITODD"})
DIGIT_BARRIER = frozenset({"DIGITMATCH", "DIGITDIFF", "DIGITOVER", "DIGITUNDER"})
DIGIT_RANGE = {"DIGITMATCH": (0, 9), "DIGITDIFF": (0, 9), "DIGITOVER": (0, 8), "DIGITUNDER": (1, 9)}

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION_LIMITS = {"t": (1, 10), "s": (15, 86400), "m": (1, 1440), "h": (1, 24), "d": (1, 365)}
CURRENCIES = ("USD", "EUR", "GBP")
NOT_OFFERED_DURATION = "Trading is not offered for this duration."


@dataclass(frozen=True)
class ContractSpec:
    contract_type: str
    symbol: Symbol
    currency: str
    basis: str  # "stake" or "payout": what amount means
    amount: Decimal
    duration: int | None  # in `unit`; None when date_expiry was given instead
    unit: str
    date_expiry: int | None
    barrier: str | None  # as sent: relative ("+0.10") or absolute; the digit for digit contracts
    barrier2: str | None  # the low barrier of a two-barrier contract

    @property
    def ticks(self) -> int | None:
        return self.duration if self.unit == "t" else None

    def seconds(self, start: int) -> int:
        if self.date_expiry is not None:
            return self.date_expiry - start
        return (self.duration or 0) * UNIT_SECONDS[self.unit]

    @property
    def digit(self) -> int | None:
        return int(self.barrier) if self.contract_type in DIGIT_BARRIER and self.barrier is not None else None

    def barriers(self, spot: Decimal) -> tuple[Decimal, ...]:
        """Absolute barriers (high first) for a given entry spot; CALL/PUT without a barrier: the spot itself."""
        if self.contract_type in DIGITS:
            return ()
        values = [value for value in (self.barrier, self.barrier2) if value is not None]
        if not values:
            return (spot,)
        return tuple(spot + Decimal(value) if value[0] in "+-" else Decimal(value) for value in values)


def parse_spec(fields: dict[str, Any], market: Market, now: int) -> ContractSpec:
    symbol = market.symbol(str(fields["symbol"]))
    if not symbol.is_open:
        raise DerivError("MarketIsClosed", "This market is presently closed.")
    contract_type = str(fields["contract_type"])
    if contract_type not in SUPPORTED or (contract_type in DIGITS and not symbol.offers_ticks):
        raise DerivError("OfferingsValidationError", "Trading is not offered for this contract type.")
    if int(fields.get("date_start", 0)) > now:
        raise DerivError("OfferingsValidationError", "Forward-starting contracts are not offered here.")
    for name in ("amount", "basis"):
        if name not in fields:
            raise DerivError("ContractCreationFailure", f"Missing required contract parameters ({name}).")
    currency = str(fields["currency"])
    if currency not in CURRENCIES:
        raise DerivError("InvalidCurrency", f"Currency {currency} is not valid.")
    duration, unit, date_expiry = _duration(fields, contract_type, symbol, now)
    barrier, barrier2 = _barriers(fields, contract_type, symbol)
    amount = Decimal(str(fields["amount"]))
    if amount != amount.quantize(Decimal("0.01")):
        noun = "Stake" if fields["basis"] == "stake" else "Payout"
        raise DerivError("ContractBuyValidationError", f"{noun} can not have more than 2 decimal places.")
    return ContractSpec(contract_type, symbol, currency, str(fields["basis"]), amount, duration, unit, date_expiry,
                        barrier, barrier2)  # fmt: skip


def _duration(
    fields: dict[str, Any], contract_type: str, symbol: Symbol, now: int
) -> tuple[int | None, str, int | None]:
    if "duration" in fields:
        duration, unit = int(fields["duration"]), str(fields.get("duration_unit", "s"))
        low, high = DURATION_LIMITS[unit]
        if not low <= duration <= high:
            raise DerivError("OfferingsValidationError", NOT_OFFERED_DURATION)
        # Digits settle on a tick; ends-between/outside have no tick durations; forex has no tick contracts.
        ticks = unit == "t"
        if (contract_type in DIGITS and not ticks) or (contract_type in RANGES and ticks):
            raise DerivError("OfferingsValidationError", NOT_OFFERED_DURATION)
        if ticks and not symbol.offers_ticks:
            raise DerivError("OfferingsValidationError", NOT_OFFERED_DURATION)
        return duration, unit, None
    if "date_expiry" in fields:
        expiry = int(fields["date_expiry"])
        if contract_type in DIGITS or not 15 <= expiry - now <= 365 * 86400:
            raise DerivError("OfferingsValidationError", NOT_OFFERED_DURATION)
        return None, "s", expiry
    raise DerivError("ContractCreationFailure", "Missing required contract parameters (duration or date_expiry).")


def _barriers(fields: dict[str, Any], contract_type: str, symbol: Symbol) -> tuple[str | None, str | None]:
    barrier, barrier2 = fields.get("barrier"), fields.get("barrier2")
    if contract_type in RANGES:
        fits, need = barrier is not None and barrier2 is not None, "needs barrier and barrier2"
    elif contract_type in NO_BARRIER:
        fits, need = barrier is None and barrier2 is None, "takes no barrier"
    elif contract_type in {"CALL", "PUT"}:
        fits, need = barrier2 is None, "takes at most one barrier"
    else:
        fits, need = barrier is not None and barrier2 is None, "needs one barrier"
    if not fits:
        raise DerivError("ContractCreationFailure", f"Invalid barrier ({contract_type} {need}).")
    if contract_type in DIGIT_BARRIER:
        low, high = DIGIT_RANGE[contract_type]
        if barrier is None or not barrier.isdigit() or not low <= int(barrier) <= high:
            raise DerivError("InvalidBarrier", f"Barrier must be a digit between {low} and {high}.")
        return barrier, None
    texts = [text for text in (barrier, barrier2) if text is not None]
    values = [_barrier_value(text, symbol) for text in texts]
    if len(values) == 2:
        if (texts[0][0] in "+-") != (texts[1][0] in "+-"):
            raise DerivError("InvalidBarrier", "Both barriers must be relative or both absolute.")
        if values[0] <= values[1]:
            raise DerivError("InvalidBarrier", "High barrier must be higher than low barrier.")
    if contract_type in TOUCH and texts and texts[0][0] in "+-" and values[0] == 0:
        raise DerivError("InvalidBarrier", "Barrier must not be the same as the current spot.")
    return barrier, barrier2


def _barrier_value(text: str, symbol: Symbol) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise DerivError("InvalidBarrier", "Invalid barrier.") from error
    if value != value.quantize(symbol.pip):
        raise DerivError("InvalidBarrier", f"Barrier can only be up to {symbol.pip_size} decimal places.")
    return value
