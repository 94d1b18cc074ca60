"""Exact decimal arithmetic in explicit local contexts (never the global one)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from typing import Final

__all__ = [
    "DIV",
    "EXACT",
    "MAX_ADJUSTED",
    "MAX_COMPUTED_DIGITS",
    "MAX_DIGITS",
    "MIN_ADJUSTED",
    "brief",
    "from_fraction",
    "is_terminating",
    "out_of_range",
    "show",
    "significant_digits",
    "to_decimal",
    "trim",
]

#: Context for sums and products: wide enough that every amount regimen
#: accepts is combined exactly (amounts have at most 40 significant digits
#: and exponents from -440 to 300, and a computed Decimal at most
#: :data:`MAX_COMPUTED_DIGITS`, so any sum of them fits in 2,000 digits);
#: anything else traps instead of rounding.
EXACT: Final = decimal.Context(
    prec=2000,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-2500,
    Emax=2500,
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
    Emin=decimal.MIN_EMIN,
    Emax=decimal.MAX_EMAX,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: Most significant digits an amount written as text or a number may have.
MAX_DIGITS: Final = 40

#: Most significant digits a ``Decimal`` amount may have: totals of written
#: amounts (a day's total of a 40-digit and a tiny amount) stay exact.
MAX_COMPUTED_DIGITS: Final = 1000


def to_decimal(value: object, *, field: str) -> Decimal:
    """Convert an int, str, Decimal or float to a finite ``Decimal``.

    Floats go through their shortest ``repr`` (``0.1`` becomes
    ``Decimal("0.1")``, not the binary expansion). Raises ``TypeError`` for
    other types and ``ValueError`` naming *field* for NaN, infinities,
    unparsable text and numbers outside the range :func:`out_of_range`
    describes.
    """
    if isinstance(value, bool):
        msg = f"{field} must be a number, not a bool (got {value!r})"
        raise TypeError(msg)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:  # before any int -> text conversion
            msg = f"{field} {_TOO_LARGE} (got {show(value)})"
            raise ValueError(msg)
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except decimal.InvalidOperation:
            msg = f"{field} must be a decimal number (got {show(value)})"
            raise ValueError(msg) from None
    else:
        msg = (
            f"{field} must be an int, str, float or Decimal "
            f"(got {show(value)} that is a {type(value).__name__})"
        )
        raise TypeError(msg)
    if not result.is_finite():
        msg = f"{field} must be a finite number (got {show(value)})"
        raise ValueError(msg)
    most = MAX_COMPUTED_DIGITS if isinstance(value, Decimal) else MAX_DIGITS
    problem = out_of_range(result, most=most)
    if problem is not None:
        msg = f"{field} {problem} (got {show(value)})"
        raise ValueError(msg)
    return result


#: What every number regimen keeps must fit (the supported range of amounts).
MAX_ADJUSTED: Final = 300
MIN_ADJUSTED: Final = -400
_TOO_LARGE: Final = "is too large: regimen handles numbers below 1e301"
_MAX_INT_BITS: Final = 1100  # 2**1100 > 1e331: far beyond the range, still cheap


def significant_digits(value: Decimal) -> int:
    """Count the digits from the first to the last non-zero one (0 for zero).

    >>> significant_digits(Decimal("1E+300")), significant_digits(Decimal("2.50"))
    (1, 2)
    """
    digits = value.as_tuple().digits
    end = len(digits)
    while end and digits[end - 1] == 0:
        end -= 1
    start = 0
    while start < end and digits[start] == 0:
        start += 1
    return end - start


def out_of_range(value: Decimal, *, most: int = MAX_DIGITS) -> str | None:
    """Say why a finite *value* is outside what regimen keeps, or ``None``.

    The range: at most *most* significant digits (:data:`MAX_DIGITS` for a
    number that is written, :data:`MAX_COMPUTED_DIGITS` for a computed
    ``Decimal``), below ``1e301`` and, unless zero, at least ``1e-400`` in
    size, with no digit (not even a zero) below ``10**-(400 + most)``.

    >>> out_of_range(Decimal("1e300")) is None
    True
    >>> out_of_range(Decimal("1e301"))
    'is too large: regimen handles numbers below 1e301'
    """
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    adjusted = exponent + len(digits) - 1
    if (
        len(digits) <= most
        and MIN_ADJUSTED <= adjusted <= MAX_ADJUSTED
        and exponent >= MIN_ADJUSTED - most
    ):
        return None  # the common case, without counting digits
    sig = significant_digits(value)
    if sig > most:
        return (
            f"has {sig} significant digits; regimen keeps at most {most}, "
            "exactly (it does not round them)"
        )
    if sig and value.adjusted() > MAX_ADJUSTED:
        return _TOO_LARGE
    if sig and value.adjusted() < MIN_ADJUSTED:
        return "is too small: regimen handles non-zero numbers from 1e-400"
    if exponent < MIN_ADJUSTED - most or (not sig and exponent > MAX_ADJUSTED):
        return "has too many zeros: write it without the trailing zeros"
    return None


def show(value: object) -> str:
    """Return a short ``repr`` of *value* for an error message.

    Long values are cut in the middle; an int too long to turn into text is
    described by its size instead.

    >>> show("1" * 100)
    "'1111111111111111111111111111111111111...' (100 characters)"
    >>> show(10**5000)
    'an int of about 5001 digits'
    """
    if isinstance(value, int) and value.bit_length() > 200:
        return f"an int of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, Decimal) and len(repr(value)) > 60:
        return f"Decimal('{brief(value)}')"
    text = repr(value)
    if len(text) <= 60:
        return text
    if isinstance(value, str):
        return f"{text[:40]}...' ({len(value)} characters)"
    return f"{text[:40]}..."


def brief(value: Decimal) -> str:
    """Write a finite *value* in at most about 30 characters, for messages.

    >>> brief(Decimal("2.5")), brief(Decimal("1e300")), brief(Decimal(10**45 + 1))
    ('2.5', '1E+300', '1.00000000000...E+45')
    """
    plain = f"{value:f}"
    if len(plain) <= 30:
        return plain
    digits = "".join(map(str, value.as_tuple().digits)).strip("0") or "0"
    head = digits[0] + ("." + digits[1:12] + ("..." if len(digits) > 12 else "")) * (
        len(digits) > 1
    )
    return f"{'-' if value.is_signed() else ''}{head}E{value.adjusted():+d}"


def is_terminating(fraction: Fraction) -> bool:
    """Tell whether *fraction* has a finite decimal expansion."""
    d = fraction.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def trim(value: Decimal) -> Decimal:
    """Drop trailing fractional zeros without switching to exponent form.

    Exact at every size (no context limit applies); a value that is not
    finite, or above ``1e100000``, raises ``ValueError`` rather than being
    written out in full.

    >>> trim(Decimal("2.500")), trim(Decimal("1E+3")), trim(Decimal("-0.00"))
    (Decimal('2.5'), Decimal('1000'), Decimal('-0'))
    """
    if not value.is_finite() or value.adjusted() > _MAX_WRITTEN:
        msg = f"cannot write {brief(value) if value.is_finite() else value} out in full"
        raise ValueError(msg)
    normal = value.normalize(_UNBOUNDED)  # exact: the context has no precision limit
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent > 0:
        return normal.quantize(_ONE, context=_UNBOUNDED)
    return normal


def from_fraction(fraction: Fraction) -> Decimal:
    """Return *fraction* as a Decimal: exact if it terminates, else 28 digits.

    >>> from_fraction(Fraction(1, 1024)), from_fraction(Fraction(2, 3))
    (Decimal('0.0009765625'), Decimal('0.6666666666666666666666666667'))
    """
    den = fraction.denominator
    twos = (den & -den).bit_length() - 1
    fives = 0
    rest = den >> twos
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest == 1:  # terminating: num * (10**k / den) / 10**k, all in integers
        k = max(twos, fives)
        scaled = fraction.numerator * (2 ** (k - twos) * 5 ** (k - fives))
        return trim(Decimal(scaled).scaleb(-k, _UNBOUNDED))
    return DIV.divide(Decimal(fraction.numerator), Decimal(den))


_ONE: Final = Decimal(1)
_MAX_WRITTEN: Final = 100_000  # digits trim() writes out; far beyond any amount

#: Exact context for moving the decimal point: no precision or exponent limit.
_UNBOUNDED: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    Emin=decimal.MIN_EMIN,
    Emax=decimal.MAX_EMAX,
    traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow],
)
