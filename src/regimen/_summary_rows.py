"""The figures of a summary: typical-day rows (with their dates) and daily totals.

:func:`~regimen.summarize` (in :mod:`regimen._summary`) calls these on the
timeline's columns, so each works per distinct dose and kind, not per event.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final

from . import _decimal
from ._dose import Dose, Meal
from ._product import Product
from ._quantity import Quantity
from ._rules_classes import dose_label
from ._series import places, scaled, unscaled
from ._substance import Substance
from ._summary_types import DailyTotals, ScheduleRow, SubstanceSummary, _join
from ._timeline import Timeline
from ._units import Unit

if TYPE_CHECKING:
    from ._timeline_index import Kind

__all__ = [
    "Period",
    "columns",
    "item_label",
    "rows",
    "substance_summaries",
]

_DAY_US: Final = 86_400_000_000
#: Marks a dose whose amount does not convert to the summary's unit.
_UNCONVERTED: Final = Decimal(-1)
_PLAIN, _FULL, _UNCONVERTIBLE = range(3)
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
    # Each event's slot, kind id * day + time of day, worked out in bulk.
    offsets = [k.zone.offset for k in kinds]
    slot_of = map(
        operator.add,
        map(operator.mul, kind_ids, repeat(_DAY_US)),
        map(
            operator.mod,
            map(operator.add, us, map(offsets.__getitem__, kind_ids)),
            repeat(_DAY_US),
        ),
    )
    days_by_slot: dict[int, list[int]] = {}
    for slot, day in zip(slot_of, days_of, strict=True):
        found = days_by_slot.get(slot)
        if found is None:
            days_by_slot[slot] = [day]
        else:
            found.append(day)
    groups: dict[tuple[Any, ...], dict[int, int]] = {}  # row key -> day -> events
    amounts: dict[tuple[Any, ...], Dose] = {}
    for slot, on in days_by_slot.items():
        k, of_day = divmod(slot, _DAY_US)
        item, amount, note, as_needed, _ = labels[k]
        key = (of_day, item, amount, as_needed, note)
        per_day = groups.get(key)
        if per_day is None:
            groups[key] = dict(Counter(on))
            amounts[key] = doses[kinds[k].dose]
        else:
            for day, n in Counter(on).items():
                per_day[day] = per_day.get(day, 0) + n
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
                    count=sum(map(per_day.__getitem__, phase)),
                    low=dose.low,
                    dose_class=dose_label(dose.contents),
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
    if not others or others[-1] <= days[0] or others[0] >= days[-1]:
        return [days]  # nothing falls between two of them
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
    values: Iterable[int], lows: Iterable[int], unit: Unit, scale: int
) -> DailyTotals | None:
    high = _figures(values, scale)
    if high is None:
        return None
    low = _figures(lows, scale)
    assert low is not None  # the same days
    return DailyTotals(
        min=Quantity(high[0], unit),
        mean=Quantity(high[1], unit),
        max=Quantity(high[2], unit),
        min_low=Quantity(low[0], unit),
        mean_low=Quantity(low[1], unit),
        max_low=Quantity(low[2], unit),
    )


def _figures(
    values: Iterable[int], scale: int
) -> tuple[Decimal, Decimal, Decimal] | None:
    """Return the min, mean and max of amounts scaled by ``10 ** scale`` (exact), or None."""
    items = list(values)
    if not items:
        return None
    mean = _decimal.from_fraction(Fraction(sum(items), len(items) * 10**scale))
    low, high = unscaled(min(items), scale), unscaled(max(items), scale)
    return _decimal.trim(low), _decimal.trim(mean), _decimal.trim(high)


def _in_unit(quantity: Quantity | None, unit: Unit) -> Decimal | None:
    if quantity is None:
        return None
    return quantity.to(unit).amount if quantity.unit.converts_to(unit) else _UNCONVERTED


def substance_summaries(
    substances: Sequence[Substance],
    timeline: Timeline,
    days_of: Sequence[int],
    period: Period,
) -> tuple[SubstanceSummary, ...]:
    """Return each substance's daily totals, use days and free days over the period.

    Totals are worked out at the high end of each dose range and at its
    low end (the same for fixed doses), in integers scaled to the doses'
    decimal places, in one pass over the events.
    """
    _, kind_ids, kinds = columns(timeline)
    doses = timeline._idx.table.doses if kinds else []
    units: list[Unit] = []
    scales: list[int] = []
    # What each kind gives each substance: (substance, high, low, as-needed,
    # how): how is _PLAIN for a substance without dose ranges or as-needed
    # doses (one sum a day is all it needs), _FULL otherwise, _UNCONVERTIBLE
    # for an amount that does not convert to the substance's unit.
    gives: list[list[tuple[int, int, int, bool, int]]] = [[] for _ in kinds]
    for i, substance in enumerate(substances):
        unit, scale, values = _per_kind(substance, kinds, doses)
        units.append(unit)
        scales.append(scale)
        plain = all(v is None or (v and v[0] == v[1] and not v[2]) for v in values)
        for k, value in enumerate(values):
            if value is None:
                continue
            if not value:
                gives[k].append((i, 0, 0, False, _UNCONVERTIBLE))
            else:
                gives[k].append((i, *value, _PLAIN if plain else _FULL))
    # Per substance, per day: the total (_PLAIN), or [all, all at the low
    # end, planned, planned low, planned doses] (_FULL).
    sums: list[dict[int, int]] = [{} for _ in substances]
    rows: list[dict[int, list[int]]] = [{} for _ in substances]
    unconverted = [0] * len(substances)
    outside = [0] * len(substances)
    first, last = period.ordinals
    inside = not days_of or (first <= min(days_of) and max(days_of) <= last)
    # Event by event (counting pairs of day and kind first would hold a
    # tuple per event of a plan of a million doses in memory at once).
    for day, kid in zip(days_of, kind_ids, strict=True):
        for i, high, low, as_needed, how in gives[kid]:
            if how == _UNCONVERTIBLE:
                unconverted[i] += 1
            elif not (inside or first <= day <= last):
                outside[i] += 1
            elif how == _PLAIN:
                total = sums[i]
                total[day] = total.get(day, 0) + high
            else:
                row = rows[i].get(day)
                if row is None:
                    row = rows[i][day] = [0, 0, 0, 0, 0]
                row[0] += high
                row[1] += low
                if not as_needed:
                    row[2] += high
                    row[3] += low
                    row[4] += 1
    out = []
    for i, substance in enumerate(substances):
        if rows[i]:
            days = rows[i].values()
            planned = [row for row in days if row[4]]
            totals = (
                _totals(
                    [r[2] for r in planned],
                    [r[3] for r in planned],
                    units[i],
                    scales[i],
                ),
                _totals(
                    [r[0] for r in days], [r[1] for r in days], units[i], scales[i]
                ),
            )
            use_days = len(planned)
        else:
            plain_totals = _totals(
                sums[i].values(), sums[i].values(), units[i], scales[i]
            )
            totals = (plain_totals, plain_totals)
            use_days = len(sums[i])
        out.append(
            SubstanceSummary(
                name=substance.name,
                unit=units[i],
                use_days=use_days,
                free_days=max(period.days - use_days, 0),
                planned=totals[0],
                with_as_needed=totals[1],
                unconverted=unconverted[i],
                outside=outside[i],
            )
        )
    return tuple(out)


def _per_kind(
    substance: Substance, kinds: Sequence[Kind], doses: Sequence[Dose]
) -> tuple[Unit, int, list[tuple[int, int, bool] | tuple[()] | None]]:
    """Return the substance's unit, the scale of its amounts, and each kind's amounts.

    A kind's entry is (high, low, as-needed) scaled by ``10 ** scale``, ``()``
    when its amount does not convert to the unit, ``None`` when it has none.
    """
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
    assert unit is not None  # the substance comes from the timeline
    amounts = [
        v
        for pair in by_dose.values()
        for v in pair
        if v is not None and v is not _UNCONVERTED
    ]
    scale = max((places(v) for v in amounts), default=0)
    values: list[tuple[int, int, bool] | tuple[()] | None] = []
    for k in kinds:
        high, low = by_dose[k.dose]
        if high is None or low is None:
            values.append(None)
        elif high is _UNCONVERTED or low is _UNCONVERTED:
            values.append(())
        else:
            values.append((scaled(high, scale), scaled(low, scale), k.as_needed))
    return unit, scale, values
