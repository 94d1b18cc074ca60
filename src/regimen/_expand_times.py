"""Expansion of the times people say: meal-anchored times and every-h-hours chains.

:func:`at_meal_times` turns each entry at meals into one entry per meal,
at the plan's meal time plus the offset (local wall time), its dose given
the meal relation the offset implies unless it has one of its own.

The chain of :meth:`regimen.Schedule.every_hours` starts at its first time
(local wall time, localized as every schedule time is) on the entry's first
day and steps by its interval in UTC, whatever the window asked for, so the
phase never depends on ``timeline(start, end)``. A dose *falls on* the
local date of its instant in the plan's zone: plan and entry dates, breaks
and windows keep or drop it by that date. Counting is arithmetic per free
span of days (constant work each), so ``max_events`` is checked before any
instant is built.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Final

import attrs

from ._meals import anchored, relation
from ._timezone import EPOCH, US, localize
from ._zone_table import DAY_US, ZoneTable, zone_table

if TYPE_CHECKING:
    from ._meals import MealTimes
    from ._plan import Entry
    from ._schedule import Schedule

__all__ = [
    "at_meal_times",
    "chain_instants",
    "day_start_us",
    "meal_problem",
]

_DAY: Final = timedelta(days=1)
_ORDINAL: Final = date(1970, 1, 1).toordinal()
_Span = tuple[date, date]


def day_start_us(day: date, tz: tzinfo) -> int:
    """Return the first instant of local date *day* in *tz*, in UTC microseconds."""
    return (localize(day, time(0), tz) - EPOCH) // US


def _chain(schedule: Schedule, anchor: date, tz: tzinfo) -> tuple[int, int]:
    assert schedule.period is not None
    t0 = (localize(anchor, schedule.times[0], tz) - EPOCH) // US
    return t0, schedule.period // US


def _first_step(t0: int, step: int, lo: int) -> int:
    """Return the least k >= 0 with t0 + k * step >= lo."""
    return max(0, -((t0 - lo) // step))


def _steps(t0: int, step: int, lo: int, hi: int) -> range:
    """Return the k >= 0 with lo <= t0 + k * step < hi."""
    first = _first_step(t0, step, lo)
    return range(first, max(first, _first_step(t0, step, hi)))


def chain_instants(
    schedule: Schedule,
    anchor: date,
    free: list[_Span],
    tz: tzinfo,
    *,
    pauses: list[Callable[[date], date | None]],
    spend: Callable[[int], None],
) -> Iterator[int]:
    """Yield the chain's instants (UTC microseconds) whose local date is free.

    *free* are sorted, disjoint spans of dates (the entry's days minus its
    one-off breaks), *pauses* the run-end lookups of its repeating breaks
    (a day's run end, or ``None`` if the day is no break day). A dose on a
    break day is skipped with the rest of that run of break days in one
    jump, each run costing one step of *spend*: the work is the doses
    yielded plus the runs skipped.
    """
    t0, step = _chain(schedule, anchor, tz)
    for a, b in free:
        hi = day_start_us(b + _DAY, tz)
        k = _first_step(t0, step, day_start_us(a, tz))
        table = (
            None
            if pauses
            else zone_table(tz, a.toordinal() - _ORDINAL, b.toordinal() - _ORDINAL)
        )
        if table is not None:
            yield from _span_instants(table, (t0, step, k), (a, b), hi)
            continue
        while (u := t0 + k * step) < hi:
            day = (EPOCH + u * US).astimezone(tz).date()
            end = None
            for ask in pauses:
                found = ask(day)
                if found is not None and (end is None or found > end):
                    end = found
            if end is not None:
                spend(1)
                after = min(end, b) + _DAY
                k = max(k + 1, _first_step(t0, step, day_start_us(after, tz)))
                continue
            if a <= day <= b:
                yield u
            k += 1


def _span_instants(
    table: ZoneTable, chain: tuple[int, int, int], span: _Span, hi: int
) -> Iterator[int]:
    """Yield the chain's instants from step *k* on, before *hi*, whose local date is in *span*.

    *chain* is (first instant, step, k). Between two changes of the zone's
    offset the local date only grows with the instant, so each offset
    segment's instants on the span's dates are one progression.
    """
    t0, step, k = chain
    first = (span[0].toordinal() - _ORDINAL) * DAY_US
    stop = (span[1].toordinal() - _ORDINAL + 1) * DAY_US
    utc_at, utc_off = table.utc_at, table.utc_off
    while (u := t0 + k * step) < hi:
        segment = bisect.bisect_right(utc_at, u) - 1
        end = min(utc_at[segment + 1] if segment + 1 < len(utc_at) else table.hi, hi)
        offset = utc_off[segment]
        # u + offset is local time: on the span's dates from first to stop.
        inside = _steps(t0, step, max(u, first - offset), min(end, stop - offset))
        yield from range(t0 + inside.start * step, t0 + inside.stop * step, step)
        k = max(k + 1, _first_step(t0, step, end))


def meal_problem(entry: Entry, meal_times: MealTimes) -> str | None:
    """Say why an entry's meal-anchored time cannot be placed, or return ``None``."""
    schedule = entry.schedule
    for meal in schedule.meals:
        at = meal_times.at(meal)
        if anchored(at, schedule.meal_offset) is None:
            return (
                f"{schedule.describe()} with {meal} at {at:%H:%M} falls outside "
                "the meal's day; change the offset or the meal time"
            )
    return None


def at_meal_times(entry: Entry, meal_times: MealTimes) -> list[Entry]:
    """Return *entry* as it expands: itself, or one entry per meal with a clock time.

    >>> from regimen import Dose, Entry, Product, Schedule, Substance
    >>> from regimen._meals import MealTimes
    >>> pill = Product("pill", contents={Substance("x"): "1 tablet"}, per="1 tablet")
    >>> entry = Entry(Dose(pill, "1 tablet"), Schedule.at_meals("breakfast", offset="-30 min"))
    >>> [(e.schedule.times, e.dose.meal) for e in at_meal_times(entry, MealTimes())]
    [((datetime.time(7, 0),), <Meal.BEFORE: 'before'>)]
    """
    schedule = entry.schedule
    if not schedule.meals:
        return [entry]
    out = []
    for meal in schedule.meals:
        at = anchored(meal_times.at(meal), schedule.meal_offset)
        assert at is not None  # Plan refuses the others (meal_problem)
        dose = entry.dose
        if dose.meal is None:
            dose = attrs.evolve(dose, meal=relation(meal, schedule.meal_offset))
        clock = attrs.evolve(schedule, times=(at,), meals=(), meal_offset=timedelta(0))
        out.append(attrs.evolve(entry, dose=dose, schedule=clock))
    return out
