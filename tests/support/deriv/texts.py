"""The human and machine descriptions of a contract: Deriv's longcode sentence and its shortcode."""

from __future__ import annotations

import time
from decimal import Decimal

from tests.support.deriv.spec import DIGITS, ContractSpec

_RISE_FALL = {
    "CALL": "is strictly higher than",
    "PUT": "is strictly lower than",
    "CALLE": "is higher than or equal to",
    "PUTE": "is lower than or equal to",
}
_UNIT_WORDS = {"s": "second", "m": "minute", "h": "hour", "d": "day", "t": "tick"}


def longcode(spec: ContractSpec) -> str:
    name, kind, when = spec.symbol.display_name, spec.contract_type, _when(spec)
    if kind in DIGITS:
        digit = spec.barrier
        test = {
            "DIGITMATCH": f"is {digit}",
            "DIGITDIFF": f"is not {digit}",
            "DIGITOVER": f"is strictly higher than {digit}",
            "DIGITUNDER": f"is strictly lower than {digit}",
            "DIGITEVEN": "is even",
            "DIGITODD": "is odd",
        }[kind]
        return f"Win payout if the last digit of {name} {test} after {_plural(spec.duration or 0, 't')}."
    high = _barrier_text(spec, spec.barrier)
    if kind in _RISE_FALL:
        return f"Win payout if {name} {_RISE_FALL[kind]} {high} at {when}."
    if kind in {"ONETOUCH", "NOTOUCH"}:
        verb = "touches" if kind == "ONETOUCH" else "does not touch"
        return f"Win payout if {name} {verb} {high} through {when}."
    low = _barrier_text(spec, spec.barrier2)
    where = "ends strictly between" if kind == "EXPIRYRANGE" else "ends outside"
    return f"Win payout if {name} {where} {low} to {high} at {when}."


def shortcode(spec: ContractSpec, payout: Decimal, start: int, expiry: int | None) -> str:
    """Deriv's shape, e.g. ``CALL_R_100_19.50_1700000000_5T_S0P_0``."""
    end = f"{spec.duration}T" if spec.ticks is not None else str(expiry)
    if spec.contract_type in DIGITS:
        first, second = spec.barrier or "0", "0"
    else:
        first, second = (
            _barrier_code(spec, spec.barrier),
            (_barrier_code(spec, spec.barrier2) if spec.barrier2 else "0"),
        )
    return f"{spec.contract_type}_{spec.symbol.code}_{payout:.2f}_{start}_{end}_{first}_{second}"


def _when(spec: ContractSpec) -> str:
    if spec.date_expiry is not None:
        return time.strftime("%Y-%m-%d %H:%M:%S GMT", time.gmtime(spec.date_expiry))
    return f"{_plural(spec.duration or 0, spec.unit)} after contract start time"


def _plural(count: int, unit: str) -> str:
    word = _UNIT_WORDS[unit]
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _barrier_text(spec: ContractSpec, barrier: str | None) -> str:
    if barrier is None:
        return "entry spot"
    value = Decimal(barrier)
    if barrier[0] not in "+-":
        return spec.symbol.format(value)
    if value == 0:
        return "entry spot"
    sign = "plus" if value > 0 else "minus"
    return f"entry spot {sign} {spec.symbol.format(abs(value))}"


def _barrier_code(spec: ContractSpec, barrier: str | None) -> str:
    if barrier is None:
        return "S0P"
    if barrier[0] in "+-":
        return f"S{int(Decimal(barrier) / spec.symbol.pip)}P"
    return str(int(Decimal(barrier) * 10**spec.symbol.pip_size))
