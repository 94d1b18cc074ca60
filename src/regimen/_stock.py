"""What a log records about supply: :class:`Refill` and :class:`StockCount`."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._convert import to_aware
from ._errors import UnitError
from ._product import Product
from ._quantity import Quantity
from ._timezone import utc_us
from ._validators import instance_of, positive

__all__ = ["Refill", "StockCount", "measured"]


def measured(product: Product, amount: Quantity | str, *, field: str) -> Quantity:
    """Return *amount* as a Quantity this *product* can be measured in.

    Text is parsed; an amount in units the product neither uses nor links
    through its equivalents raises :class:`~regimen.UnitError` naming the
    product, *field* and the fix.
    """
    if isinstance(amount, str):
        amount = Quantity.parse(amount)
    if not isinstance(amount, Quantity):
        msg = f"{field} must be a Quantity or text like '250 g' (got {amount!r})"
        raise TypeError(msg)
    if isinstance(product, Product) and not product.measures(amount):
        unit = amount.unit.value
        msg = (
            f"{field}: {amount} of {product.name!r} cannot be measured: its "
            f"contents are given per {product.per}, and {unit} does not convert "
            f"to {product.per.unit.value}; add an equivalent to the product, e.g. "
            f"equivalents=[('1 {unit}', '... {product.per.unit.value}')]"
        )
        raise UnitError(msg)
    return amount


def _aware(inst: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_aware(value, field=f"{type(inst).__name__}.{attribute.name}", check_range=True)


def _quantity(value: Quantity | str) -> Quantity:
    if isinstance(value, str):
        return Quantity.parse(value)
    if not isinstance(value, Quantity):
        msg = f"amount must be a Quantity or text like '250 g' (got {value!r})"
        raise TypeError(msg)
    return value


def _amount_refill(self: Refill) -> None:
    measured(self.product, self.amount, field="Refill.amount")


@attrs.frozen
class Refill:
    """Stock added at a moment: *amount* of *product* bought or delivered at *at*.

    *amount* is a positive :class:`~regimen.Quantity` (or text) in any unit
    the product can be measured in — its own, or one its equivalents link
    to (a bag of grams for a product dosed in teaspoons), else
    :class:`~regimen.UnitError`. *at* is an aware datetime. A log records
    refills beside doses; :func:`~regimen.supply` adds them to what is on hand.

    >>> from datetime import datetime, timezone
    >>> from regimen import Product, Substance
    >>> powder = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g",
    ...                  package="250 g")
    >>> Refill(powder, "250 g", datetime(2027, 1, 10, 9, tzinfo=timezone.utc)).amount
    Quantity('250', 'g')
    """

    product: Product = attrs.field(validator=instance_of(Product))
    amount: Quantity = attrs.field(
        converter=_quantity,
        validator=positive(),
    )
    at: datetime = attrs.field(validator=_aware)
    note: str = attrs.field(default="", kw_only=True, validator=instance_of(str))

    def __attrs_post_init__(self) -> None:
        _amount_refill(self)

    @property
    def timestamp_us(self) -> int:
        """Microseconds since the Unix epoch (UTC): the record's instant as an int."""
        return utc_us(self.at)


def _amount_count(self: StockCount) -> None:
    measured(self.product, self.amount, field="StockCount.amount")


@attrs.frozen
class StockCount:
    """What was on hand at a moment: *amount* of *product* counted at *at*.

    A count replaces what :func:`~regimen.supply` worked out before it: the
    refills and doses up to and including *at* are in it, later ones are
    added and taken off. *amount* may be zero (nothing left) and is in any
    unit the product can be measured in, else :class:`~regimen.UnitError`.

    >>> from datetime import datetime, timezone
    >>> from regimen import Product, Substance
    >>> powder = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g",
    ...                  equivalents=[("1 tsp", "2 g")])
    >>> str(StockCount(powder, "40 tsp", datetime(2027, 2, 1, 9, tzinfo=timezone.utc)).amount)
    '40 tsp'
    """

    product: Product = attrs.field(validator=instance_of(Product))
    amount: Quantity = attrs.field(
        converter=_quantity,
        validator=positive(allow_zero=True),
    )
    at: datetime = attrs.field(validator=_aware)
    note: str = attrs.field(default="", kw_only=True, validator=instance_of(str))

    def __attrs_post_init__(self) -> None:
        _amount_count(self)

    @property
    def timestamp_us(self) -> int:
        """Microseconds since the Unix epoch (UTC): the record's instant as an int."""
        return utc_us(self.at)
