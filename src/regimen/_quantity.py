"""Exact amounts with units: :class:`Quantity`."""

from __future__ import annotations

import re
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


def _base_of(self: Quantity) -> Decimal:
    return _decimal.EXACT.multiply(self.amount, self.unit.factor)


@attrs.frozen(eq=False, order=False, repr=False)
class Quantity:
    """An exact amount in a unit: ``Quantity("2.5", "g")``, ``Quantity.parse("6 fl oz")``.

    *amount* is a :class:`~decimal.Decimal`; ints, strings and Decimals are
    taken as they are, a float through its shortest repr (``0.1`` is
    ``Decimal("0.1")``). NaN, infinities and absurd precision raise
    ``ValueError``. *unit* is a :class:`Unit` or its spelling.

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
        return Quantity(_decimal.from_fraction(exact), target)

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
        if other.unit is self.unit:
            return Quantity(_decimal.EXACT.add(self.amount, other.amount), self.unit)
        self._check(other.unit, "add")
        unit = self._common(other)
        return Quantity(
            _decimal.EXACT.add(self.to(unit).amount, other.to(unit).amount), unit
        )

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
        return Quantity(_decimal.EXACT.multiply(self.amount, number), self.unit)

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
        return Quantity(_decimal.from_fraction(exact), self.unit)

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
        (?:(?P<whole>\d+)\s+)?
        (?P<num>\d+)\s*/\s*(?P<den>\d+)
      |
        (?P<dec>[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+))
    )
    \s*(?P<unit>[^\d\s].*?)
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
