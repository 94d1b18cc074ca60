"""What a plan file holds: :class:`Bundle`."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._plan import Plan
from ._product import Product
from ._profile import Profile
from ._stock import Refill, StockCount
from ._substance import Substance
from ._timeline import Timeline
from ._validators import instance_of

__all__ = ["Bundle"]


def _check_items(items: tuple[object, ...], kind: type, field: str) -> None:
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            msg = f"Bundle.{field}[{i}] must be a {kind.__name__} (got {item!r})"
            raise TypeError(msg)


def _substances(value: Iterable[Substance]) -> tuple[Substance, ...]:
    out = tuple(value)
    _check_items(out, Substance, "substances")
    return out


def _products(value: Iterable[Product]) -> tuple[Product, ...]:
    out = tuple(value)
    _check_items(out, Product, "products")
    return out


def _refills(value: Iterable[Refill]) -> tuple[Refill, ...]:
    out = tuple(value)
    _check_items(out, Refill, "refills")
    return out


def _counts(value: Iterable[StockCount]) -> tuple[StockCount, ...]:
    out = tuple(value)
    _check_items(out, StockCount, "stock_counts")
    return out


@attrs.frozen
class Bundle:
    """The contents of a plan file: a plan, a profile, substances, products, a log.

    The log's refills and stock counts are :attr:`refills` and
    :attr:`stock_counts` (what :func:`~regimen.supply` takes).

    Any part may be missing (``None`` or empty): a file can hold only a
    profile, or only a log. :func:`~regimen.loads` builds one from text and
    :func:`~regimen.dumps` writes one back; dumping then loading gives an
    equal bundle.

    A bundle lists everything it refers to, the way its file does:
    :attr:`products` are the products given, then those the plan's entries
    and the log use; :attr:`substances` are the substances given, then
    those the products contain, then the profile's medications. Each
    appears once, at its first place.

    >>> from regimen import Dose, Entry, Plan, Product, Schedule, Substance
    >>> kefir = Substance("kefir")
    >>> milk_kefir = Product("milk kefir", contents={kefir: "1 fl oz"}, per="1 fl oz")
    >>> plan = Plan("mornings", timezone="Europe/Berlin", start="2027-01-01",
    ...             entries=[Entry(Dose(milk_kefir, "6 fl oz"), Schedule.daily("08:00"))])
    >>> bundle = Bundle(plan)
    >>> [p.name for p in bundle.products], [s.name for s in bundle.substances]
    (['milk kefir'], ['kefir'])
    """

    plan: Plan | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Plan))
    )
    profile: Profile | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Profile))
    )
    substances: tuple[Substance, ...] = attrs.field(default=(), converter=_substances)
    products: tuple[Product, ...] = attrs.field(default=(), converter=_products)
    log: Timeline | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(instance_of(Timeline)),
    )
    refills: tuple[Refill, ...] = attrs.field(
        default=(), kw_only=True, converter=_refills
    )
    stock_counts: tuple[StockCount, ...] = attrs.field(
        default=(), kw_only=True, converter=_counts
    )

    def __attrs_post_init__(self) -> None:
        products = dict.fromkeys(self.products)
        for entry in self.plan.entries if self.plan is not None else ():
            products.setdefault(entry.dose.product)
        for event in self.log if self.log is not None else ():
            products.setdefault(event.product)
        for refill in self.refills:
            products.setdefault(refill.product)
        for count in self.stock_counts:
            products.setdefault(count.product)
        substances = dict.fromkeys(self.substances)
        for product in products:
            for substance in product.contents:
                substances.setdefault(substance)
        for med in self.profile.medications if self.profile is not None else ():
            if isinstance(med, Substance):
                substances.setdefault(med)
        object.__setattr__(self, "products", tuple(products))
        object.__setattr__(self, "substances", tuple(substances))
