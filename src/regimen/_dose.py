"""How much of a product is taken at once: :class:`Dose` and :class:`Meal`."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from ._errors import UnitError
from ._product import Product
from ._quantity import Quantity
from ._substance import Substance
from ._validators import FrozenDict, instance_of

__all__ = ["AmountLike", "Dose", "Meal", "amount_text", "dose_range", "parse_amount"]


class Meal(enum.Enum):
    """How a dose relates to a meal (the sources: kratom is weaker after a big meal)."""

    BEFORE = "before"
    WITH = "with"
    AFTER = "after"
    EMPTY_STOMACH = "empty-stomach"


def _meal(value: Meal | str | None) -> Meal | None:
    if value is None or isinstance(value, Meal):
        return value
    if isinstance(value, str):
        key = value.strip().lower().replace("_", "-").replace(" ", "-")
        try:
            return Meal(key)
        except ValueError:
            pass
    choices = ", ".join(repr(m.value) for m in Meal)
    msg = f"Dose.meal must be a Meal or one of {choices} (got {value!r})"
    raise ValueError(msg)


#: A dash between two amounts: a hyphen-minus or an en dash.
_DASHES: Final = "-\u2013"
#: A bare number, as :meth:`Quantity.parse` reads one (decimal, fraction, mixed).
_NUMBER: Final = re.compile(
    r"\+?(?:(?:[0-9]+\s+)?[0-9]+\s*/\s*[0-9]+|[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+)"
)
_FIX: Final = "write a range like '2-3 g' or '1/2-1 tsp'"


def _split(text: str) -> tuple[str, str] | None:
    """Split ``"2-3 g"`` at the dash between its two amounts; None if it has none."""
    for i, c in enumerate(text):
        if c in _DASHES and i > 0:
            low, high = text[:i].strip(), text[i + 1 :].strip()
            if low and high[:1] and high[0] in "0123456789.":
                return low, high
    return None


def dose_range(text: str) -> bool:
    """Tell whether *text* is written as a range of two amounts (``"2-3 g"``)."""
    return _split(text.strip()) is not None


def _end(value: object, text: str, which: str) -> Quantity:
    """Read one end of a range (a Quantity or its text), naming it on error."""
    if isinstance(value, Quantity):
        return value
    if not isinstance(value, str):
        msg = (
            f"Dose.amount: the {which} end of a range must be a Quantity or text "
            f"like '2 g' (got {value!r})"
        )
        raise TypeError(msg)
    try:
        return Quantity.parse(value)
    except (UnitError, ValueError) as exc:
        cls = UnitError if isinstance(exc, UnitError) else ValueError
        msg = f"Dose.amount: cannot read the {which} end of {text!r} ({exc}); {_FIX}"
        raise cls(msg) from None


def _checked(low: Quantity, high: Quantity, text: str) -> tuple[Quantity, Quantity]:
    """Check a range's two ends: one family of units, both above zero, low <= high."""
    if not low.unit.converts_to(high.unit):
        msg = (
            f"Dose.amount: the range {text!r} mixes {low.unit.value} and "
            f"{high.unit.value}, which do not convert to each other; write both "
            f"ends in units of one kind, e.g. '2-3 {high.unit.label(Decimal(3))}'"
        )
        raise UnitError(msg)
    for q in (low, high):
        if q.amount <= 0:
            msg = (
                f"Dose.amount must be more than zero at both ends of a range "
                f"(got {text!r}); {_FIX}"
            )
            raise ValueError(msg)
    if low > high:
        msg = (
            f"Dose.amount: the range {text!r} runs from {low} down to {high}; "
            f"write the smaller amount first, e.g. '{amount_text(high, low)}'"
        )
        raise ValueError(msg)
    if low == high:
        return high, high
    return low, high


#: What a dose's amount may be given as: a quantity, its text, or a (low, high) pair.
AmountLike = Quantity | str | tuple[Quantity | str, Quantity | str]


def parse_amount(value: AmountLike) -> tuple[Quantity, Quantity]:
    """Read a dose's amount: a Quantity, its text, a range ``"2-3 g"`` or a pair.

    Returns ``(low, high)``, the same object twice for a fixed amount (and
    for a range whose ends are equal). A range is written with a hyphen or
    an en dash between two amounts; the low end may leave out its unit
    (``"2-3 g"``, ``"1/2-1 tsp"``, ``"500 mg-1 g"``). Both ends must be
    above zero, in units that convert to each other, low at most high;
    anything else raises ``ValueError`` (:class:`~regimen.UnitError` for
    units) naming ``Dose.amount``, the value and the fix.

    >>> parse_amount("2\u20133 g")
    (Quantity('2', 'g'), Quantity('3', 'g'))
    >>> parse_amount("3-2 g")
    Traceback (most recent call last):
    ...
    ValueError: Dose.amount: the range '3-2 g' runs from 3 g down to 2 g; write the smaller amount first, e.g. '2-3 g'
    """
    if isinstance(value, Quantity):
        return _fixed(value)
    pair: object = value
    if isinstance(pair, tuple | list) and len(pair) == 2:
        shown = repr(tuple(pair))
        low, high = _end(pair[0], shown, "low"), _end(pair[1], shown, "high")
        return _checked(low, high, amount_text(low, high))
    if not isinstance(value, str):
        msg = (
            "Dose.amount must be a Quantity, text like '2 g' or '2-3 g', or a "
            f"(low, high) pair of them (got {value!r})"
        )
        raise TypeError(msg)
    text = value.strip()
    parts = _split(text)
    if parts is None:
        return _fixed(Quantity.parse(text))
    high = _end(parts[1], text, "high")
    low_text = parts[0]
    if _NUMBER.fullmatch(low_text):
        low_text = f"{low_text} {high.unit.value}"
    low = _end(low_text, text, "low")
    return _checked(low, high, text)


def _fixed(q: Quantity) -> tuple[Quantity, Quantity]:
    if q.amount <= 0:
        msg = f"Dose.amount must be more than zero (got {q})"
        raise ValueError(msg)
    return q, q


def amount_text(low: Quantity, high: Quantity) -> str:
    """Write an amount or range as a person does: ``"3 g"``, ``"2-3 g"``, ``"500 mg-1 g"``.

    :func:`parse_amount` reads it back to equal quantities.

    >>> amount_text(Quantity(2, "g"), Quantity(3, "g")), amount_text(Quantity(3, "g"), Quantity(3, "g"))
    ('2-3 g', '3 g')
    """
    if low == high:
        return str(high)
    if low.unit is high.unit:
        return f"{low.amount:f}-{high}"
    return f"{low}-{high}"


def _contents(self: Dose) -> Mapping[Substance, Quantity]:
    if not isinstance(self.product, Product):
        return FrozenDict()  # the validator of Dose.product reports this
    return self.product.contents_of(self.high)


@attrs.frozen(cache_hash=True, repr=False)
class Dose:
    """An amount of a product taken at once, e.g. ``Dose(kefir, "6 fl oz")``.

    *amount* must be positive and measurable for the product (in its units or
    through its equivalents), else ``ValueError`` /
    :class:`~regimen.UnitError`. It may be a range: ``"2-3 g"`` (or with an
    en dash, ``"2–3 g"``; ``"1/2-1 tsp"``; ``"500 mg-1 g"``), or a
    ``(low, high)`` pair of quantities, for a dose of at least *low* and at
    most *high* (both above zero, in units that convert to each other).
    :attr:`low` and :attr:`high` are its ends (equal for a fixed dose);
    :attr:`amount` is :attr:`high`, the end limits are checked at.
    :attr:`contents` is what the dose contains at its high end, computed
    once; ``str(dose)`` and :attr:`amount_text` write the range back.

    >>> from regimen import Product, Substance
    >>> kratom = Substance("kratom")
    >>> powder = Product("Maeng Da", contents={kratom: "1 g"}, per="1 g",
    ...                  equivalents=[("1 tsp", "2 g")])
    >>> Dose(powder, "1/2 tsp").contents[kratom]
    Quantity('1', 'g')
    >>> dose = Dose(powder, "2–3 g")
    >>> dose.low, dose.amount, str(dose)
    (Quantity('2', 'g'), Quantity('3', 'g'), '2-3 g Maeng Da')
    """

    product: Product = attrs.field(validator=instance_of(Product))
    _span: tuple[Quantity, Quantity] = attrs.field(
        alias="amount", converter=parse_amount
    )
    meal: Meal | None = attrs.field(default=None, kw_only=True, converter=_meal)
    note: str = attrs.field(default="", kw_only=True, validator=instance_of(str))
    _contents: Mapping[Substance, Quantity] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(_contents, takes_self=True),
    )

    @property
    def low(self) -> Quantity:
        """The least amount of the dose (:attr:`high` for a fixed dose).

        >>> from regimen import Product, Substance
        >>> pill = Product("pill", contents={Substance("x"): "1 mg"}, per="1 capsule")
        >>> Dose(pill, "1-2 capsules").low
        Quantity('1', 'capsule')
        """
        return self._span[0]

    @property
    def high(self) -> Quantity:
        """The most amount of the dose: what limits are checked against."""
        return self._span[1]

    @property
    def amount(self) -> Quantity:
        """The dose's amount: its :attr:`high` end for a range."""
        return self._span[1]

    @property
    def is_range(self) -> bool:
        """Whether the dose is a range (its :attr:`low` is below its :attr:`high`)."""
        return self._span[0] is not self._span[1]

    @property
    def amount_text(self) -> str:
        """The amount as a person writes it: ``"3 g"``, or ``"2-3 g"`` for a range."""
        return amount_text(*self._span)

    @property
    def contents(self) -> Mapping[Substance, Quantity]:
        """Substance → amount contained in this dose (at its high end; computed once)."""
        return self._contents

    def at_low_end(self) -> Dose:
        """Return the fixed dose of this dose's :attr:`low` amount (itself when fixed)."""
        if not self.is_range:
            return self
        return Dose(self.product, self.low, meal=self.meal, note=self.note)

    def __str__(self) -> str:
        return f"{self.amount_text} {self.product.name}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Print as :func:`repr` does (Hypothesis shows falsifying examples this way)."""
        printer.text(repr(self))

    def __repr__(self) -> str:
        amount = repr(self.amount_text) if self.is_range else repr(self.amount)
        return (
            f"Dose(product={self.product!r}, amount={amount}, meal={self.meal!r}, "
            f"note={self.note!r})"
        )
