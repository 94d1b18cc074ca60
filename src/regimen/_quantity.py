"""Exact amounts with units: :class:`Quantity`."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from . import _decimal
from ._errors import UnitError
from ._units import Dimension, Unit

__all__ = ["Quantity"]

Number = int | Decimal | float | str


def _amount(value: int | str | Decimal | float) -> Decimal:
    return _decimal.to_decimal(value, field="Quantity.amount")


def _unit(value: Unit | str) -> Unit:
    if isinstance(value, Unit):
        return value
    if isinstance(value, str):
        return Unit.parse(value)
    msg = f"Quantity.unit must be a Unit or its spelling (got {value!r})"
    raise TypeError(msg)


def _brief(q: Quantity) -> str:
    return f"{_decimal.brief(q.amount)} {q.unit.label(q.amount)}"


def _result(amount: Decimal, unit: Unit, what: Callable[[], str]) -> Quantity:
    """Return the Quantity of a computed *amount*, or raise UnitError if out of range.

    *what* says what was computed; it is called only to write the message.
    """
    try:
        return Quantity(amount, unit)
    except ValueError:
        problem = _decimal.out_of_range(amount, most=_decimal.MAX_COMPUTED_DIGITS)
        msg = f"{what()}: the result, {_decimal.brief(amount)} {unit.value}, {problem}"
        raise UnitError(msg) from None


def _base_of(self: Quantity) -> Decimal:
    return _decimal.EXACT.multiply(self.amount, self.unit.factor)


@attrs.frozen(eq=False, order=False, repr=False)
class Quantity:
    """An exact amount in a unit: ``Quantity("2.5", "g")``, ``Quantity.parse("6 fl oz")``.

    *amount* is a :class:`~decimal.Decimal`; ints, strings and Decimals are
    taken as they are, a float through its shortest repr (``0.1`` is
    ``Decimal("0.1")``). *unit* is a :class:`Unit` or its spelling.

    The amounts regimen handles: below ``1e301`` and (unless zero) at least
    ``1e-400`` in size, with at most 40 significant digits when written
    (text, an int or a float) and 1,000 when computed (a ``Decimal``, such
    as a total). NaN, infinities and amounts outside this range raise
    ``ValueError`` at construction; arithmetic and conversions whose result
    falls outside it (``Quantity("1e300", "kg").to("mcg")``) raise
    :class:`~regimen.UnitError`, a ``ValueError`` too, instead of rounding.

    Equality, hashing and ordering are by value across units of one dimension;
    arithmetic is exact. Combining a mass with a volume, or capsules with
    tablets, raises :class:`~regimen.UnitError`.

    >>> Quantity.parse("1 g") == Quantity.parse("1000 mg")
    True
    >>> Quantity.parse("1 1/2 tsp") + Quantity.parse("1 tbsp")
    Quantity('4.5', 'tsp')
    >>> str(Quantity.parse("6 fl oz").to("ml"))
    '177.441177375 ml'
    """

    amount: Decimal = attrs.field(converter=_amount)
    unit: Unit = attrs.field(converter=_unit)
    _base: Decimal = attrs.field(
        init=False, default=attrs.Factory(_base_of, takes_self=True)
    )

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Read a quantity as a person writes it.

        Accepts decimals (``"2.5 g"``), fractions (``"1/2 tsp"``), mixed
        numbers (``"1 1/2 tsp"``) and plurals (``"2 capsules"``). A fraction
        with no finite decimal expansion (``"1/3 cup"``) is rejected with the
        same amount in a smaller unit as the fix. Raises
        :class:`~regimen.UnitError` for unknown or ambiguous units (bare
        ``oz``), ``ValueError`` for anything else unreadable.

        >>> Quantity.parse("1/2 tsp")
        Quantity('0.5', 'tsp')
        >>> Quantity.parse("1/3 cup")
        Traceback (most recent call last):
        ...
        ValueError: '1/3 cup' has no exact decimal amount; write it in a smaller unit, e.g. '16 tsp'
        """
        if isinstance(text, Quantity):
            return text
        if not isinstance(text, str):
            msg = f"a quantity must be text like '2.5 g' (got {text!r})"
            raise TypeError(msg)
        match = _PATTERN.fullmatch(text.strip())
        if match is None:
            msg = (
                f"cannot read {text!r} as a quantity; write an amount and a "
                "unit, e.g. '2.5 g', '1/2 tsp' or '6 fl oz'"
            )
            raise ValueError(msg)
        try:
            unit = Unit.parse(match["unit"])
        except UnitError as exc:
            msg = f"{exc} (in {text.strip()!r})"
            raise UnitError(msg) from None
        if match["den"] is None:
            return cls(match["dec"], unit)
        if max(len(match["num"]), len(match["den"]), len(match["whole"] or "")) > 80:
            msg = (
                f"cannot read {_decimal.show(text)}: write a fraction with at "
                "most 80 digits above and below the line"
            )
            raise ValueError(msg)
        den = int(match["den"])
        if den == 0:
            msg = f"cannot read {text!r}: a fraction's denominator is 0"
            raise ValueError(msg)
        value = Fraction(int(match["num"]), den) + int(match["whole"] or 0)
        if match["sign"] == "-":
            value = -value
        if not _decimal.is_terminating(value):
            msg = f"{text.strip()!r} has no exact decimal amount; " + _suggest(
                value, unit
            )
            raise ValueError(msg)
        return cls(_decimal.from_fraction(value), unit)

    @property
    def dimension(self) -> Dimension:
        """What the unit measures."""
        return self.unit.dimension

    def to(self, unit: Unit | str) -> Quantity:
        """Express this amount in *unit* (same dimension).

        Exact whenever the result has a finite decimal expansion (always from
        US units to ml, and towards smaller units within metric or within US
        units); otherwise rounded to 28 significant digits. Raises :class:`~regimen.UnitError` across
        dimensions.

        >>> Quantity("2.5", "g").to("mg")
        Quantity('2500', 'mg')
        """
        target = _unit(unit)
        if target is self.unit:
            return self
        self._check(target, "convert")
        exact = Fraction(self._base) / Fraction(target.factor)
        return _result(
            _decimal.from_fraction(exact),
            target,
            lambda: f"cannot convert {_brief(self)} to {target.value}",
        )

    def _check(self, other: Unit, verb: str) -> None:
        if not self.unit.converts_to(other):
            msg = (
                f"cannot {verb} {self} and {other.value}: "
                f"{self.unit.dimension.value} in {self.unit.value} does not "
                f"convert to {other.dimension.value} in {other.value}"
            )
            raise UnitError(msg)

    def _common(self, other: Quantity) -> Unit:
        """Pick the unit a sum of self and other is written in (exact in it)."""
        if self.unit is other.unit:
            return self.unit
        fine, coarse = sorted((self.unit, other.unit), key=lambda u: u.factor)
        ratio = Fraction(coarse.factor) / Fraction(fine.factor)
        return fine if _decimal.is_terminating(ratio) else _BASE[fine.dimension]

    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented

        def what() -> str:
            return f"cannot add {_brief(self)} and {_brief(other)}"

        if other.unit is self.unit:
            return _result(
                _decimal.EXACT.add(self.amount, other.amount), self.unit, what
            )
        self._check(other.unit, "add")
        unit = self._common(other)
        try:
            a, b = self.to(unit).amount, other.to(unit).amount
        except UnitError as exc:
            # Out of range in the finer unit (1e300 kg + 1 mcg): the coarser
            # one is exact too when the finer divides it (within metric units).
            coarse = max(self.unit, other.unit, key=lambda u: u.factor)
            if not all(q._exact_in(coarse) for q in (self, other)):
                msg = (
                    f"{what()}: {str(exc).split(': ', 1)[1]}, and in "
                    f"{coarse.value} the sum has no exact decimal amount"
                )
                raise UnitError(msg) from None
            unit = coarse
            a, b = self.to(unit).amount, other.to(unit).amount
        return _result(_decimal.EXACT.add(a, b), unit, what)

    def _exact_in(self, unit: Unit) -> bool:
        return _decimal.is_terminating(Fraction(self._base) / Fraction(unit.factor))

    def __sub__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self + (-other)

    def __neg__(self) -> Quantity:
        return Quantity(-self.amount, self.unit)

    def __pos__(self) -> Quantity:
        return self

    def __abs__(self) -> Quantity:
        return Quantity(abs(self.amount), self.unit)

    def __mul__(self, factor: int | Decimal | float) -> Quantity:
        if not isinstance(factor, int | Decimal | float) or isinstance(factor, bool):
            return NotImplemented
        number = _decimal.to_decimal(factor, field="factor")
        return _result(
            _decimal.EXACT.multiply(self.amount, number),
            self.unit,
            lambda: f"cannot multiply {_brief(self)} by {_decimal.brief(number)}",
        )

    __rmul__ = __mul__

    def __truediv__(self, divisor: int | Decimal | float) -> Quantity:
        if isinstance(divisor, Quantity):
            msg = "use Quantity.ratio(other) to divide two quantities"
            raise TypeError(msg)
        if not isinstance(divisor, int | Decimal | float) or isinstance(divisor, bool):
            return NotImplemented
        number = _decimal.to_decimal(divisor, field="divisor")
        if number == 0:
            msg = f"cannot divide {self} by zero"
            raise ZeroDivisionError(msg)
        exact = Fraction(self.amount) / Fraction(number)
        return _result(
            _decimal.from_fraction(exact),
            self.unit,
            lambda: f"cannot divide {_brief(self)} by {_decimal.brief(number)}",
        )

    def ratio(self, other: Quantity) -> Decimal:
        """How many times *other* fits in this quantity (same dimension).

        >>> Quantity.parse("1 cup").ratio(Quantity.parse("1 tbsp"))
        Decimal('16')
        """
        self._check(other.unit, "divide")
        if other._base == 0:
            msg = f"cannot divide {self} by {other}"
            raise ZeroDivisionError(msg)
        return _decimal.from_fraction(Fraction(self._base) / Fraction(other._base))

    def _key(self, other: Quantity) -> tuple[Decimal, Decimal]:
        self._check(other.unit, "compare")
        return self._base, other._base

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.unit.converts_to(other.unit) and self._base == other._base

    def __hash__(self) -> int:
        family = self.unit if self.unit.dimension is Dimension.COUNT else None
        return hash((self.unit.dimension, family, self._base))

    def __lt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        a, b = self._key(other)
        return a < b

    def __le__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        a, b = self._key(other)
        return a <= b

    def __gt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        a, b = self._key(other)
        return a > b

    def __ge__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        a, b = self._key(other)
        return a >= b

    def __str__(self) -> str:
        return f"{self.amount:f} {self.unit.label(self.amount)}"

    def __repr__(self) -> str:
        return f"Quantity({format(self.amount, 'f')!r}, {self.unit.value!r})"


_PATTERN: Final = re.compile(
    r"""
    (?:
        (?P<sign>[+-])?
        (?:(?P<whole>[0-9]+)\s+)?
        (?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)
      |
        (?P<dec>[+-]?(?:[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+))
    )
    \s*(?P<unit>[^0-9\s].*?)
    """,
    re.VERBOSE,
)

_BASE: Final = {u.dimension: u for u in (Unit.G, Unit.ML)}


def _suggest(value: Fraction, unit: Unit) -> str:
    smaller = sorted(
        (u for u in Unit if unit.converts_to(u) and u.factor < unit.factor),
        key=lambda u: u.factor,
        reverse=True,
    )
    for candidate in smaller:
        exact = value * Fraction(unit.factor) / Fraction(candidate.factor)
        if exact.denominator == 1:
            return f"write it in a smaller unit, e.g. '{exact} {candidate.value}'"
    return "write it as a decimal amount"
