"""Decimal parsing, formatting and quantization: prices and sizes never touch a float."""

from __future__ import annotations

import decimal
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

# Enough digits for any price x quantity product the venues produce (HashKey balances carry
# 19 significant digits, e.g. "206381.2785765348009"), with room for intermediate products.
_CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, decimal.DivisionByZero])

ZERO = Decimal(0)
ONE = Decimal(1)


class DecimalParseError(ValueError):
    """A text that should carry a number does not."""


def parse_decimal(value: object, *, field: str = "value") -> Decimal:
    """Parse a wire or user value into a finite Decimal.

    Accepts str, int and Decimal. Floats are refused: they have already lost the digits
    the venue sent. Blank text, NaN and infinities are refused with a sentence naming ``field``.
    """
    if isinstance(value, bool):  # bool is an int subclass: never a number on the wire
        raise DecimalParseError(f"{field} must be a number, not {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        if not text:
            raise DecimalParseError(f"{field} is empty")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise DecimalParseError(f"{field} {value!r} is not a number") from None
    else:
        raise DecimalParseError(f"{field} must be a number, not {type(value).__name__}")
    if not result.is_finite():
        raise DecimalParseError(f"{field} {value!r} is not a finite number")
    return result


def decimals_of(step: Decimal) -> int:
    """Number of fractional digits a multiple of ``step`` needs: 0.01 -> 2, 0.5 -> 1, 10 -> 0."""
    exponent = step.normalize(_CONTEXT).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def to_plain(value: Decimal) -> str:
    """The shortest plain (no exponent) text of a value: what we send on the wire."""
    if value.is_zero():
        return "0"
    return format(value.normalize(_CONTEXT), "f")


def format_decimal(value: Decimal, step: Decimal | None = None, *, grouping: bool = False) -> str:
    """Format for display: exactly the digits of ``step`` when given, else the shortest plain text."""
    if step is None:
        text = to_plain(value)
        if grouping:
            whole, _, frac = text.partition(".")
            sign = "-" if whole.startswith("-") else ""
            whole = f"{int(whole.lstrip('-') or '0'):,}"
            text = f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"
        return text
    places = decimals_of(step)
    quantized = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CONTEXT)
    return f"{quantized:,.{places}f}" if grouping else f"{quantized:.{places}f}"


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is an exact multiple of ``step`` (step > 0)."""
    if step <= 0:
        raise ValueError("step must be positive")
    return _CONTEXT.remainder(value, step).is_zero()


def quantize(value: Decimal, step: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``value`` to a multiple of ``step`` (which need not be a power of ten: 0.5, 0.25 ...).

    The result carries exactly the decimal places of ``step``, so it formats without noise.
    """
    if step <= 0:
        raise ValueError("step must be positive")
    units = _CONTEXT.divide(value, step).quantize(ONE, rounding=rounding, context=_CONTEXT)
    result = _CONTEXT.multiply(units, step)
    places = decimals_of(step)
    return result.quantize(Decimal(1).scaleb(-places), context=_CONTEXT)


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    """Largest multiple of ``step`` not above ``value``."""
    return quantize(value, step, ROUND_FLOOR)


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    """Smallest multiple of ``step`` not below ``value``."""
    return quantize(value, step, ROUND_CEILING)


def mul(a: Decimal, b: Decimal) -> Decimal:
    """Exact product in the module's wide context (the default context rounds at 28 digits)."""
    return _CONTEXT.multiply(a, b)


def div(a: Decimal, b: Decimal) -> Decimal:
    """Quotient in the module's wide context."""
    return _CONTEXT.divide(a, b)
