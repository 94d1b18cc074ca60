"""Sourced dose classes: :class:`DoseClasses` (light / common / strong / heavy)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from ._errors import UnitError
from ._quantity import Quantity
from ._validators import FrozenDict

__all__ = ["DoseClasses", "to_dose_classes"]


def _source(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = (
            "DoseClasses.source is required: say where the thresholds come from "
            f"(a reference, or 'example figures'), got {value!r}"
        )
        raise ValueError(msg)
    return value.strip()


def _thresholds(value: Mapping[str, Quantity | str]) -> FrozenDict[str, Quantity]:
    if not isinstance(value, Mapping):
        msg = (
            "DoseClasses.thresholds must map class names to amounts, like "
            f"{{'light': '1 g', 'common': '3 g'}} (got {value!r})"
        )
        raise TypeError(msg)
    out: dict[str, Quantity] = {}
    seen: set[str] = set()
    previous: tuple[str, Quantity] | None = None
    for name, given in value.items():
        if not isinstance(name, str) or not name.strip():
            msg = f"DoseClasses.thresholds: a class needs a name (got {name!r})"
            raise ValueError(msg)
        label = name.strip()
        if label.casefold() in seen:
            msg = f"DoseClasses.thresholds names the class {label!r} twice"
            raise ValueError(msg)
        seen.add(label.casefold())
        field = f"DoseClasses.thresholds[{label!r}]"
        amount = Quantity.parse(given) if isinstance(given, str) else given
        if not isinstance(amount, Quantity):
            msg = f"{field} must be a Quantity or text like '3 g' (got {amount!r})"
            raise TypeError(msg)
        if amount.amount <= 0:
            msg = f"{field} must be more than zero (got {amount})"
            raise ValueError(msg)
        if previous is not None:
            if not amount.unit.converts_to(previous[1].unit):
                msg = (
                    f"{field} is {amount}, which does not convert to {previous[1]} "
                    f"of {previous[0]!r}: the thresholds of one table share a dimension"
                )
                raise UnitError(msg)
            if amount <= previous[1]:
                msg = (
                    f"{field} is {amount}, not above {previous[1]} of "
                    f"{previous[0]!r}: list the classes from the lightest up, "
                    "each from a larger amount"
                )
                raise ValueError(msg)
        out[label] = amount
        previous = (label, amount)
    if not out:
        msg = "DoseClasses.thresholds must name at least one class"
        raise ValueError(msg)
    return FrozenDict(out)


@attrs.frozen(kw_only=True, cache_hash=True)
class DoseClasses:
    """A sourced table of dose classes for a substance: each class from an amount up.

    *thresholds* maps class names, lightest first, to the amount of the
    substance **in one dose** from which the class begins (``{"light": "1 g",
    "common": "3 g", "strong": "5 g", "heavy": "8 g"}``: 5 g is 'strong',
    4.9 g 'common', 0.5 g below every class). The amounts rise strictly and
    share a dimension. *source* is required: published references disagree,
    so every table says where its numbers come from. A
    :class:`~regimen.Substance` carries any number of tables; validation
    reports each dose's class by every table (``dose-class`` findings).

    >>> table = DoseClasses(source="example figures", thresholds={
    ...     "light": "1 g", "common": "3 g", "strong": "5 g", "heavy": "8 g"})
    >>> table.classify(Quantity.parse("5 g")), table.classify(Quantity.parse("500 mg"))
    ('strong', None)
    """

    source: str = attrs.field(converter=_source)
    thresholds: Mapping[str, Quantity] = attrs.field(converter=_thresholds)

    @property
    def names(self) -> tuple[str, ...]:
        """The class names, lightest first."""
        return tuple(self.thresholds)

    def classify(self, amount: Quantity) -> str | None:
        """Return the class *amount* (one dose of the substance) falls in, or ``None`` below all.

        Raises :class:`~regimen.UnitError` when *amount* does not convert to
        the thresholds' unit.
        """
        found = None
        for name, threshold in self.thresholds.items():
            if amount >= threshold:
                found = name
            else:
                break
        return found

    def threshold(self, name: str) -> Quantity:
        """Return the amount class *name* begins at (case-insensitive), or raise ``ValueError``."""
        for label, amount in self.thresholds.items():
            if label.casefold() == name.strip().casefold():
                return amount
        known = ", ".join(repr(n) for n in self.thresholds)
        msg = f"the dose classes of {self.source!r} have no class {name!r} (they are {known})"
        raise ValueError(msg)

    def to_table(self) -> dict[str, object]:
        """Return the table as a plan file holds it (``[[substances.dose_classes]]``)."""
        return {
            "source": self.source,
            "thresholds": {k: str(v) for k, v in self.thresholds.items()},
        }


def to_dose_classes(
    value: DoseClasses | Iterable[DoseClasses],
) -> tuple[DoseClasses, ...]:
    """Convert ``Substance.dose_classes``: one table or several (in order)."""
    if isinstance(value, DoseClasses):
        return (value,)
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        msg = f"Substance.dose_classes must be DoseClasses tables (got {value!r})"
        raise TypeError(msg)
    out = tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, DoseClasses):
            msg = f"Substance.dose_classes[{i}] must be a DoseClasses (got {item!r})"
            raise TypeError(msg)
    return out
