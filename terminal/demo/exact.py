"""Exact Decimal sums for money: the default context rounds at 28 digits, which would mint or burn
funds unnoticed, so balances add and subtract here, where any rounding raises instead."""

from __future__ import annotations

import decimal
from decimal import Decimal

_EXACT = decimal.Context(prec=100, traps=[decimal.Inexact, decimal.InvalidOperation])


def add(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT.add(a, b)


def sub(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT.subtract(a, b)
