"""Exact decimal arithmetic in explicit local contexts (never the global one)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from typing import Final

__all__ = [
    "DIV",
    "EXACT",
    "MAX_DIGITS",
    "from_fraction",
    "is_terminating",
    "to_decimal",
    "trim",
]

#: Context for sums and products: wide enough that every amount regimen
#: accepts is combined exactly; anything else traps instead of rounding.
EXACT: Final = decimal.Context(
    prec=80,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999,
    Emax=999,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Inexact,
    ],
)

#: Context for quotients that have no finite decimal expansion: 28
#: significant digits, half-even, the way ``decimal`` rounds by default.
DIV: Final = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999,
    Emax=999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: Most significant digits an amount may have.
MAX_DIGITS: Final = 40


def to_decimal(value: object, *, field: str) -> Decimal:
    """Convert an int, str, Decimal or float to a finite ``Decimal``.

    Floats go through their shortest ``repr`` (``0.1`` becomes
    ``Decimal("0.1")``, not the binary expansion). Raises ``TypeError`` for
    other types and ``ValueError`` naming *field* for NaN, infinities,
    unparsable text and absurd precision.
    """
    if isinstance(value, bool):
        msg = f"{field} must be a number, not a bool (got {value!r})"
        raise TypeError(msg)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except decimal.InvalidOperation:
            msg = f"{field} must be a decimal number (got {value!r})"
            raise ValueError(msg) from None
    else:
        msg = (
            f"{field} must be an int, str, float or Decimal "
            f"(got {value!r} that is a {type(value).__name__})"
        )
        raise TypeError(msg)
    if not result.is_finite():
        msg = f"{field} must be a finite number (got {value!r})"
        raise ValueError(msg)
    digits = len(result.as_tuple().digits)
    if digits > MAX_DIGITS or not -400 <= result.adjusted() <= 300:
        msg = (
            f"{field} has an absurd size or precision (got {value!r}); "
            f"use at most {MAX_DIGITS} significant digits"
        )
        raise ValueError(msg)
    return result


def is_terminating(fraction: Fraction) -> bool:
    """Tell whether *fraction* has a finite decimal expansion."""
    d = fraction.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def trim(value: Decimal) -> Decimal:
    """Drop trailing fractional zeros without switching to exponent form."""
    if value == value.to_integral_value():
        return value.quantize(_ONE, context=EXACT)
    return value.normalize(EXACT)


def from_fraction(fraction: Fraction) -> Decimal:
    """Return *fraction* as a Decimal: exact if it terminates, else 28 digits."""
    num, den = Decimal(fraction.numerator), Decimal(fraction.denominator)
    if is_terminating(fraction):
        return trim(_WIDE.divide(num, den))
    return DIV.divide(num, den)


_ONE: Final = Decimal(1)
_WIDE: Final = decimal.Context(
    prec=200, rounding=decimal.ROUND_HALF_EVEN, Emin=-999, Emax=999
)
