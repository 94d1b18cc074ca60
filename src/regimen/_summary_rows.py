"""The figures of a summary: typical-day rows (with their dates) and daily totals.

:func:`~regimen.summarize` (in :mod:`regimen._summary`) calls these on the
timeline's columns, so each works per distinct dose and kind, not per event.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

from . import _decimal
from ._dose import Dose, Meal
from ._product import Product
from ._quantity import Quantity
from ._substance import Substance
from ._summary_types import DailyTotals, ScheduleRow, SubstanceSummary, _join
from ._timeline import Timeline
from ._units import Unit

if TYPE_CHECKING:
    from ._timeline_index import Kind

__all__ = ["Period", "columns", "item_label", "rows", "substance_summary"]

_DAY_US: Final = 86_400_000_000
#: Marks a dose whose amount does not convert to the summary's unit.
_UNCONVERTED: Final = Decimal(-1)
_ZERO: Final = Decimal(0)

_MEALS = {
    Meal.BEFORE: "before a meal",
    Meal.WITH: "with a meal",
    Meal.AFTER: "after a meal",
    Meal.EMPTY_STOMACH: "on an empty stomach",
}


class Period:
    """The summary's days, first to last inclusive (none when both are None)."""

    __slots__ = ("first", "last")

    def __init__(self, first: date | None, last: date | None) -> None:
        self.first = first
        self.last = last

    @property
    def days(self) -> int:
        """How many days the period covers."""
        if self.first is None or self.last is None:
            return 0
        return (self.last - self.first).days + 1

    @property
    def ordinals(self) -> tuple[int, int]:
        """First and last day as ordinals (an empty range when there are none)."""
        if self.first is None or self.last is None:
            return (1, 0)
        return (self.first.toordinal(), self.last.toordinal())


def item_label(product: Product) -> str:
    """Return how a row names a product: its name, and its variant in brackets."""
    return f"{product.name} ({product.variant})" if product.variant else product.name


def _note(dose: Dose, *, as_needed: bool) -> str:
    return _join(
        dose.note,
        _MEALS.get(dose.meal, "") if dose.meal else "",
        "as needed" if as_needed else "",
    )


def columns(timeline: Timeline) -> tuple[Sequence[int], Sequence[int], Sequence[Kind]]:
    """Return the timeline's instants, kind ids and kinds, read without building events."""
    if not len(timeline):
        return (), (), ()
    index = timeline._idx
    return index.us, index.kind, index.kinds


def rows(
    timeline: Timeline, days_of: list[int], period: Period
) -> tuple[ScheduleRow, ...]:
    """Return the typical-day rows: one per time of day, item, amount and note, and phase.

    A *phase* of a row is a run of days on which its time slot (time of
    day, item, as-needed, note) has its amount: the row is split where the
    slot has another amount on the days between (a taper that comes back to
    an amount gets a row for each time). A row's *first* and *last* are the
    first and last of the period's days (each beginning at the day start, as
    *days_of* counts them) of its phase; rows are in order of their first
    day, then time of day.
    """
    us, kind_ids, kinds = columns(timeline)
    doses = timeline._idx.table.doses if kinds else []
    # Labels are worked out once per kind (dose, as-needed, zone), not per event.
    labels = [
        (
            item_label(doses[k.dose].product),
            doses[k.dose].amount_text,
            _note(doses[k.dose], as_needed=k.as_needed),
            k.as_needed,
            k.zone.offset,
        )
        for k in kinds
    ]
    groups: dict[tuple[Any, ...], dict[int, int]] = {}  # row key -> day -> events
    amounts: dict[tuple[Any, ...], Dose] = {}
    for u, k, day in zip(us, kind_ids, days_of, strict=True):
        item, amount, note, as_needed, offset = labels[k]
        key = ((u + offset) % _DAY_US, item, amount, as_needed, note)
        per_day = groups.get(key)
        if per_day is None:
            per_day = groups[key] = {}
            amounts[key] = doses[kinds[k].dose]
        per_day[day] = per_day.get(day, 0) + 1
    slots: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for key in groups:
        slots.setdefault(_slot(key), []).append(key)
    first, last = period.ordinals
    out = []
    for key, per_day in groups.items():
        others = sorted(
            {d for other in slots[_slot(key)] if other != key for d in groups[other]}
        )
        for phase in _phases(sorted(per_day), others):
            inside = [d for d in phase if first <= d <= last]
            dose = amounts[key]
            out.append(
                ScheduleRow(
                    time=_clock(key[0]),
                    item=key[1],
                    amount=dose.amount,
                    note=key[4],
                    days=len(inside),
                    as_needed=key[3],
                    count=sum(per_day[d] for d in phase),
                    low=dose.low,
                    first=date.fromordinal(inside[0]) if inside else None,
                    last=date.fromordinal(inside[-1]) if inside else None,
                )
            )
    return tuple(sorted(out, key=_order))


def _slot(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return a row key without its amount: time of day, item, as-needed, note."""
    return (key[0], key[1], key[3], key[4])


def _phases(days: list[int], others: list[int]) -> list[list[int]]:
    """Split sorted *days* where one of the sorted *others* falls strictly between two of them."""
    phases = [[days[0]]]
    for day in days[1:]:
        previous = phases[-1][-1]
        i = bisect.bisect_right(others, previous)
        if i < len(others) and others[i] < day:
            phases.append([day])
        else:
            phases[-1].append(day)
    return phases


def _order(row: ScheduleRow) -> tuple[Any, ...]:
    return (row.first or date.max, row.time, row.as_needed, row.item, row.last)


def _clock(us_of_day: int) -> time:
    seconds, micro = divmod(us_of_day, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


def _totals(
    values: Iterable[Decimal], lows: Iterable[Decimal], unit: Unit
) -> DailyTotals | None:
    high = _figures(values)
    if high is None:
        return None
    low = _figures(lows)
    assert low is not None  # the same days
    return DailyTotals(
        min=Quantity(high[0], unit),
        mean=Quantity(high[1], unit),
        max=Quantity(high[2], unit),
        min_low=Quantity(low[0], unit),
        mean_low=Quantity(low[1], unit),
        max_low=Quantity(low[2], unit),
    )


def _figures(values: Iterable[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    """Return the min, mean and max of *values* (exact), or None if there are none."""
    items = list(values)
    if not items:
        return None
    total = Decimal(0)
    for v in items:
        total = _decimal.EXACT.add(total, v)
    mean = _decimal.from_fraction(Fraction(total) / len(items))
    return _decimal.trim(min(items)), _decimal.trim(mean), _decimal.trim(max(items))


def _in_unit(quantity: Quantity | None, unit: Unit) -> Decimal | None:
    if quantity is None:
        return None
    return quantity.to(unit).amount if quantity.unit.converts_to(unit) else _UNCONVERTED


def substance_summary(
    substance: Substance, timeline: Timeline, days_of: list[int], period: Period
) -> SubstanceSummary:
    """Return one substance's daily totals, use days and free days over the period.

    Totals are worked out at the high end of each dose range and at its
    low end (the same for fixed doses).
    """
    _, kind_ids, kinds = columns(timeline)
    doses = timeline._idx.table.doses if kinds else []
    unit: Unit | None = None
    # The amount of *substance* in each distinct dose (both ends), converted once.
    by_dose: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for k in kinds:
        if k.dose in by_dose:
            continue
        dose = doses[k.dose]
        quantity = dose.contents.get(substance)
        if quantity is not None and unit is None:
            unit = quantity.unit
        if quantity is None or unit is None:
            by_dose[k.dose] = (None, None)
            continue
        high = _in_unit(quantity, unit)
        low = high
        if dose.is_range:
            low = _in_unit(dose.product.contents_of(dose.low).get(substance), unit)
        by_dose[k.dose] = (high, low)
    per_kind = [(*by_dose[k.dose], k.as_needed) for k in kinds]
    planned: dict[int, Decimal] = {}
    planned_low: dict[int, Decimal] = {}
    everything: dict[int, Decimal] = {}
    everything_low: dict[int, Decimal] = {}
    unconverted = outside = 0
    first, last = period.ordinals
    add = _decimal.EXACT.add
    for kid, day in zip(kind_ids, days_of, strict=True):
        amount, low, as_needed = per_kind[kid]
        if amount is None or low is None:
            continue
        if amount is _UNCONVERTED:
            unconverted += 1
            continue
        if not first <= day <= last:
            outside += 1
            continue
        everything[day] = add(everything.get(day, _ZERO), amount)
        everything_low[day] = add(everything_low.get(day, _ZERO), low)
        if not as_needed:
            planned[day] = add(planned.get(day, _ZERO), amount)
            planned_low[day] = add(planned_low.get(day, _ZERO), low)
    assert unit is not None  # the substance comes from the timeline
    use_days = len(planned)
    return SubstanceSummary(
        name=substance.name,
        unit=unit,
        use_days=use_days,
        free_days=max(period.days - use_days, 0),
        planned=_totals(planned.values(), planned_low.values(), unit),
        with_as_needed=_totals(everything.values(), everything_low.values(), unit),
        unconverted=unconverted,
        outside=outside,
    )
