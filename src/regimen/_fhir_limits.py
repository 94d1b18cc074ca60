"""The limits a FHIR dosage carries, as regimen rules on the product's substances.

``maxDosePerPeriod`` (an amount or a count of doses per a duration) becomes
a :class:`~regimen.MaxAmount` or :class:`~regimen.MaxDoses` over a rolling
window, ``maxDosePerAdministration`` a per-dose limit, and
``maxDosePerLifetime`` a limit over the whole phase. An amount in the
product's units is converted to each substance it holds; a strength in the
substance's own unit (mg of a tablet's drug) limits that substance directly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from . import _decimal
from ._errors import RegimenError
from ._fhir_read import Dosage
from ._fhir_timing import CALENDAR, length
from ._fhir_values import Amount
from ._product import Product
from ._quantity import Quantity
from ._rules_window import MaxAmount, MaxDoses

__all__ = ["limits", "quantity"]

_LIFETIME: Final = timedelta(days=36525)


def quantity(amount: Amount) -> Quantity:
    """Return a FHIR amount as an exact Quantity, trailing zeros dropped."""
    return Quantity(_decimal.trim(amount.value), amount.unit)


def limits(
    d: Dosage,
    product: Product,
    span: timedelta | None,
    said: list[str],
    problems: list[str],
) -> list[MaxAmount | MaxDoses]:
    """Return the limits *d* carries, on each substance of *product*."""
    out: list[MaxAmount | MaxDoses] = []
    source = f"FHIR {d.path}"
    for i, (top, value, unit) in enumerate(d.max_per_period):
        where = f"{d.path}.maxDosePerPeriod" + (
            f"[{i}]" if len(d.max_per_period) > 1 else ""
        )
        if unit in CALENDAR:
            said.append(
                f"{where}: {value} {unit} read as {value * CALENDAR[unit].days} d"
            )
        window = length(value, unit, "maxDosePerPeriod.denominator")
        if isinstance(top, int):
            out += [
                MaxDoses(s.name, top, per=window, source=source)
                for s in product.contents
            ]
        else:
            out += _amount_rules(
                quantity(top),
                window,
                product,
                where=where,
                source=source,
                problems=problems,
            )
    if d.max_per_administration is not None:
        q = quantity(d.max_per_administration)
        out += _amount_rules(
            q,
            "dose",
            product,
            where=f"{d.path}.maxDosePerAdministration",
            source=source,
            problems=problems,
        )
    if d.max_per_lifetime is not None:
        window = span if span is not None else _LIFETIME
        said.append(
            f"{d.path}.maxDosePerLifetime: counted over "
            + (
                f"the whole plan ({window.days} d)"
                if span
                else "any 100 years of the timeline"
            )
        )
        q = quantity(d.max_per_lifetime)
        out += _amount_rules(
            q,
            window,
            product,
            where=f"{d.path}.maxDosePerLifetime",
            source=source,
            problems=problems,
        )
    return out


def _amount_rules(
    q: Quantity,
    per: timedelta | str,
    product: Product,
    *,
    where: str,
    source: str,
    problems: list[str],
) -> list[MaxAmount | MaxDoses]:
    direct = [s for s, c in product.contents.items() if q.unit.converts_to(c.unit)]
    if len(direct) == 1 and not q.unit.converts_to(product.per.unit):
        return [MaxAmount(direct[0].name, q, per=per, source=source)]
    try:
        contents = product.contents_of(q)
    except RegimenError as exc:
        problems.append(f"{where}: {exc}")
        return []
    return [
        MaxAmount(s.name, amount, per=per, source=source)
        for s, amount in contents.items()
    ]
