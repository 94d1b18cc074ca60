"""What a plan file holds: :class:`Bundle`."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._plan import Plan
from ._product import Product
from ._profile import Profile
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


@attrs.frozen
class Bundle:
    """The contents of a plan file: a plan, a profile, substances, products, a log.

    Any part may be missing (``None`` or empty): a file can hold only a
    profile, or only a log. :func:`~regimen.loads` builds one from text and
    :func:`~regimen.dumps` writes one back; dumping then loading gives an
    equal bundle.
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
