"""What is bought and measured: :class:`Product`."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TypeAlias

import attrs

from . import _decimal
from ._errors import UnitError
from ._quantity import Quantity
from ._substance import Substance
from ._units import Dimension, Unit
from ._validators import (
    FrozenDict,
    check_name,
    instance_of,
    optional_text,
    positive,
    to_frozenset,
)

__all__ = ["Product"]

#: Where an amount lives for conversion: a dimension, or a count unit.
_Family: TypeAlias = Dimension | Unit


def _name(value: str) -> str:
    return check_name(value, "Product.name")


def _family(unit: Unit) -> _Family:
    return unit if unit.dimension is Dimension.COUNT else unit.dimension


def _quantity(value: object, *, field: str) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, str):
        return Quantity.parse(value)
    msg = f"{field} must be a Quantity or text like '2 g' (got {value!r})"
    raise TypeError(msg)


def _contents(
    value: Mapping[Substance, Quantity | str],
) -> FrozenDict[Substance, Quantity]:
    if not isinstance(value, Mapping):
        msg = f"Product.contents must map Substance to Quantity (got {value!r})"
        raise TypeError(msg)
    out: dict[Substance, Quantity] = {}
    for substance, amount in value.items():
        if not isinstance(substance, Substance):
            msg = f"Product.contents keys must be Substance objects (got {substance!r})"
            raise TypeError(msg)
        field = f"Product.contents[{substance.name!r}]"
        quantity = _quantity(amount, field=field)
        if quantity.amount <= 0:
            msg = f"{field} must be more than zero (got {quantity})"
            raise ValueError(msg)
        out[substance] = quantity
    if not out:
        msg = "Product.contents must name at least one substance"
        raise ValueError(msg)
    return FrozenDict(out)


def _per(value: Quantity | str) -> Quantity:
    return _quantity(value, field="Product.per")


def _equivalents(
    value: Iterable[tuple[Quantity | str, Quantity | str]],
) -> tuple[tuple[Quantity, Quantity], ...]:
    out = []
    for i, pair in enumerate(value):
        field = f"Product.equivalents[{i}]"
        if isinstance(pair, str) or len(pair) != 2:
            msg = f"{field} must be a pair like ('1 tsp', '2 g') (got {pair!r})"
            raise ValueError(msg)
        a = _quantity(pair[0], field=field)
        b = _quantity(pair[1], field=field)
        if a.amount <= 0 or b.amount <= 0:
            msg = f"{field} must pair two amounts above zero (got {a}, {b})"
            raise ValueError(msg)
        if a.unit.converts_to(b.unit):
            msg = (
                f"{field} pairs {a} with {b}, which already convert to each "
                "other; an equivalent links two units that do not (e.g. tsp and g)"
            )
            raise ValueError(msg)
        out.append((a, b))
    return tuple(out)


def _package(value: Quantity | str | None) -> Quantity | None:
    return None if value is None else _quantity(value, field="Product.package")


def _check_package(
    inst: Product, _attribute: attrs.Attribute[Quantity | None], value: Quantity | None
) -> None:
    if value is None:
        return
    if value.amount <= 0:
        msg = f"Product.package must be more than zero (got {value})"
        raise ValueError(msg)
    if inst._ratio(value) is None:
        msg = (
            f"Product.package {value} cannot be measured for {inst.name!r}: its "
            f"contents are given per {inst.per}; give the package in "
            f"{inst.per.unit.value} or add an equivalent that links "
            f"{value.unit.value} to it"
        )
        raise UnitError(msg)


def _optional_name(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"must be a str or None (got {value!r})"
        raise TypeError(msg)
    return value.strip() or None


@attrs.frozen(kw_only=True, cache_hash=True)
class Product:
    """A product of one or more substances, e.g. a strain of kratom powder or a kefir.

    *contents* maps each :class:`Substance` to the :class:`Quantity` of it in
    *per* of the product (default one serving); a kefir with added sugar
    contains two substances. *equivalents* are this product's own measures,
    pairs such as ``("1 tsp", "2 g")`` (a teaspoon of this powder weighs
    2 g), used to measure doses in units *per* does not convert to.
    *variant* is a strain or kind ("Maeng Da", "water kefir"), *form* how it
    comes ("powder", "capsule"), *tags* what a user may avoid
    (``"lactose"``), *lab_tested* what is known of its testing (``None``:
    unknown), *source* where its numbers come from. *package* is how much
    one package holds (``"250 g"``, ``"30 capsule"``), in any unit the
    product can be measured in; :func:`~regimen.supply` counts packages in
    it. Quantities may be given as text.

    >>> from regimen import Substance
    >>> milk = Product("milk kefir", contents={Substance("kefir"): "1 fl oz",
    ...                Substance("sugar"): "1.5 g"}, per="1 fl oz", tags={"lactose"})
    >>> {s.name: str(q) for s, q in milk.contents_of(Quantity.parse("6 fl oz")).items()}
    {'kefir': '6 fl oz', 'sugar': '9 g'}
    """

    name: str = attrs.field(kw_only=False, converter=_name)
    contents: Mapping[Substance, Quantity] = attrs.field(converter=_contents)
    per: Quantity = attrs.field(
        default=Quantity(1, Unit.SERVING), converter=_per, validator=positive()
    )
    variant: str | None = attrs.field(default=None, converter=_optional_name)
    form: str | None = attrs.field(default=None, converter=_optional_name)
    package: Quantity | None = attrs.field(
        default=None, converter=_package, validator=_check_package
    )
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    equivalents: tuple[tuple[Quantity, Quantity], ...] = attrs.field(
        default=(), converter=_equivalents
    )
    lab_tested: bool | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(instance_of(bool)),
    )
    notes: str = attrs.field(default="", validator=instance_of(str))
    source: str | None = attrs.field(default=None, converter=optional_text)

    @property
    def substances(self) -> tuple[Substance, ...]:
        """The substances this product contains."""
        return tuple(self.contents)

    def measures(self, amount: Quantity) -> bool:
        """Tell whether *amount* can be measured for this product."""
        return self._ratio(amount) is not None

    def contents_of(self, amount: Quantity | str) -> Mapping[Substance, Quantity]:
        """Return substance → quantity contained in *amount* of this product.

        *amount* may be in the units of :attr:`per`, or in any unit the
        product's :attr:`equivalents` link to them (in as many steps as
        needed). Results are exact when they have a finite decimal
        expansion. Raises :class:`~regimen.UnitError` naming the product and
        both units when the amount cannot be measured.
        """
        quantity = _quantity(amount, field="amount")
        ratio = self._ratio(quantity)
        if ratio is None:
            msg = (
                f"cannot measure {quantity} of {self.name!r}: its contents are "
                f"given per {self.per}, and {quantity.unit.value} does not "
                f"convert to {self.per.unit.value}; add an equivalent to the "
                f"product, e.g. equivalents=[('1 {quantity.unit.value}', "
                f"'... {self.per.unit.value}')]"
            )
            raise UnitError(msg)
        out: dict[Substance, Quantity] = {}
        for substance, per in self.contents.items():
            value = _decimal.from_fraction(Fraction(per.amount) * ratio)
            problem = _decimal.out_of_range(value, most=_decimal.MAX_COMPUTED_DIGITS)
            if problem is not None:
                msg = (
                    f"cannot measure {_decimal.brief(quantity.amount)} "
                    f"{quantity.unit.value} of {self.name!r}: the "
                    f"{substance.name} in it, {_decimal.brief(value)} "
                    f"{per.unit.value}, {problem}"
                )
                raise UnitError(msg)
            out[substance] = Quantity(value, per.unit)
        return FrozenDict(out)

    def _ratio(self, amount: Quantity) -> Fraction | None:
        """How many *per* are in *amount*, through equivalents if needed."""
        target = _family(self.per.unit)
        per_base = Fraction(self.per.amount) * Fraction(self.per.unit.factor)
        start = _family(amount.unit)
        value = Fraction(amount.amount) * Fraction(amount.unit.factor)
        seen = {start: value}
        queue = deque([start])
        while queue:
            family = queue.popleft()
            if family == target:
                return seen[family] / per_base
            for a, b in self.equivalents:
                for x, y in ((a, b), (b, a)):
                    fx, fy = _family(x.unit), _family(y.unit)
                    if fx == family and fy not in seen:
                        x_base = Fraction(x.amount) * Fraction(x.unit.factor)
                        y_base = Fraction(y.amount) * Fraction(y.unit.factor)
                        seen[fy] = seen[family] / x_base * y_base
                        queue.append(fy)
        return None
