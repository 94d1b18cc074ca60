"""How much of a product is taken at once: :class:`Dose` and :class:`Meal`."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from ._product import Product
from ._quantity import Quantity
from ._substance import Substance
from ._validators import FrozenDict, instance_of, positive

__all__ = ["Dose", "Meal"]


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


def _amount(value: Quantity | str) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, str):
        return Quantity.parse(value)
    msg = f"Dose.amount must be a Quantity or text like '2 g' (got {value!r})"
    raise TypeError(msg)


def _contents(self: Dose) -> Mapping[Substance, Quantity]:
    if not isinstance(self.product, Product):
        return FrozenDict()  # the validator of Dose.product reports this
    return self.product.contents_of(self.amount)


@attrs.frozen(cache_hash=True)
class Dose:
    """An amount of a product taken at once, e.g. ``Dose(kefir, "6 fl oz")``.

    *amount* must be positive and measurable for the product (in its units or
    through its equivalents), else ``ValueError`` /
    :class:`~regimen.UnitError`. :attr:`contents` is what the dose contains,
    computed once.

    >>> from regimen import Product, Substance
    >>> kratom = Substance("kratom")
    >>> powder = Product("Maeng Da", contents={kratom: "1 g"}, per="1 g",
    ...                  equivalents=[("1 tsp", "2 g")])
    >>> Dose(powder, "1/2 tsp").contents[kratom]
    Quantity('1', 'g')
    """

    product: Product = attrs.field(validator=instance_of(Product))
    amount: Quantity = attrs.field(converter=_amount, validator=positive())
    meal: Meal | None = attrs.field(default=None, kw_only=True, converter=_meal)
    note: str = attrs.field(default="", kw_only=True, validator=instance_of(str))
    _contents: Mapping[Substance, Quantity] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(_contents, takes_self=True),
    )

    @property
    def contents(self) -> Mapping[Substance, Quantity]:
        """Substance → amount contained in this dose (computed once)."""
        return self._contents
