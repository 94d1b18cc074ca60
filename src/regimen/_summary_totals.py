"""A summary's daily totals per substance: :func:`substance_summaries`.

Worked out in one pass over the timeline's columns, in integers scaled to
the doses' decimal places; the days summed are folded into the figures as
they end, so a plan of a million doses holds a few days at a time.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from typing import TYPE_CHECKING, Final

from . import _decimal
from ._dose import Dose
from ._quantity import Quantity
from ._series import places, scaled, unscaled
from ._substance import Substance
from ._summary_rows import Period, columns
from ._summary_types import DailyTotals, SubstanceSummary
from ._timeline import Timeline
from ._units import Unit

if TYPE_CHECKING:
    from ._timeline_index import Kind

__all__ = ["substance_summaries"]

#: How many days of totals summarize holds before folding them into the figures.
_HELD_DAYS: Final = 1024
#: Marks a dose whose amount does not convert to the summary's unit.
_UNCONVERTED: Final = Decimal(-1)
_PLAIN, _FULL, _UNCONVERTIBLE = range(3)


class _Spread:
    """The least, greatest, sum and number of some daily totals, folded in one by one."""

    __slots__ = ("count", "high", "low", "total")

    def __init__(self) -> None:
        self.count = self.total = 0
        self.low: int | None = None
        self.high: int | None = None

    def add(self, value: int) -> None:
        if self.low is None or self.high is None:
            self.low = self.high = value
        elif value < self.low:
            self.low = value
        elif value > self.high:
            self.high = value
        self.total += value
        self.count += 1

    def figures(self, scale: int) -> tuple[Decimal, Decimal, Decimal] | None:
        """Return min, mean and max (exact, amounts scaled by ``10 ** scale``), or None."""
        if self.low is None or self.high is None:
            return None
        mean = _decimal.from_fraction(Fraction(self.total, self.count * 10**scale))
        low, high = unscaled(self.low, scale), unscaled(self.high, scale)
        return _decimal.trim(low), _decimal.trim(mean), _decimal.trim(high)


class _Days:
    """One substance's daily totals at both ends of each range, planned and with as-needed."""

    __slots__ = ("all", "all_low", "planned", "planned_low")

    def __init__(self) -> None:
        self.all, self.all_low = _Spread(), _Spread()
        self.planned, self.planned_low = _Spread(), _Spread()

    def add(self, row: list[int]) -> None:
        """Fold in one day: [all, all at the low end, planned, planned low, planned doses]."""
        self.all.add(row[0])
        self.all_low.add(row[1])
        if row[4]:
            self.planned.add(row[2])
            self.planned_low.add(row[3])

    def totals(self, unit: Unit, scale: int) -> tuple[DailyTotals | None, ...]:
        """Return the planned daily totals and those with as-needed doses."""
        return (
            _totals(self.planned, self.planned_low, unit, scale),
            _totals(self.all, self.all_low, unit, scale),
        )


def _totals(
    values: _Spread, lows: _Spread, unit: Unit, scale: int
) -> DailyTotals | None:
    high = values.figures(scale)
    if high is None:
        return None
    low = lows.figures(scale)
    assert low is not None  # the same days
    return DailyTotals(
        min=Quantity(high[0], unit),
        mean=Quantity(high[1], unit),
        max=Quantity(high[2], unit),
        min_low=Quantity(low[0], unit),
        mean_low=Quantity(low[1], unit),
        max_low=Quantity(low[2], unit),
    )


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
    # Per substance, per day not yet folded: the total (_PLAIN), or [all, all
    # at the low end, planned, planned low, planned doses] (_FULL).
    sums: list[dict[int, int]] = [{} for _ in substances]
    rows: list[dict[int, list[int]]] = [{} for _ in substances]
    spreads = [_Spread() for _ in substances]
    full = [_Days() for _ in substances]
    unconverted = [0] * len(substances)
    outside = [0] * len(substances)
    first, last = period.ordinals
    inside = not days_of or (first <= min(days_of) and max(days_of) <= last)
    # While the days go forward (one time zone, the usual case), the days
    # held are folded into the figures every _HELD_DAYS days: what is held
    # is a few days, not a total per day of a plan of a million doses.
    forward = all(map(operator.le, days_of, islice(days_of, 1, None)))
    today = days_of[0] if days_of else 0
    held = 0
    for day, kid in zip(days_of, kind_ids, strict=True):
        if forward and day != today:
            today = day
            held += 1
            if held == _HELD_DAYS:  # every day held is over
                _fold(sums, rows, spreads, full)
                held = 0
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
    _fold(sums, rows, spreads, full)
    out = []
    for i, substance in enumerate(substances):
        if full[i].all.count:
            totals = full[i].totals(units[i], scales[i])
            use_days = full[i].planned.count
        else:
            plain_totals = _totals(spreads[i], spreads[i], units[i], scales[i])
            totals = (plain_totals, plain_totals)
            use_days = spreads[i].count
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


def _fold(
    sums: list[dict[int, int]],
    rows: list[dict[int, list[int]]],
    plain: list[_Spread],
    full: list[_Days],
) -> None:
    """Fold the days held so far into each substance's figures, and let them go."""
    for i, held in enumerate(sums):
        if held:
            for value in held.values():
                plain[i].add(value)
            held.clear()
    for i, held_rows in enumerate(rows):
        if held_rows:
            for row in held_rows.values():
                full[i].add(row)
            held_rows.clear()


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
