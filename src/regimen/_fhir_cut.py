"""Cutting FHIR-read entries at the moments a Timing bounds them.

``cut`` keeps the first ``count`` doses (or those up to a bounding end
moment) and re-cuts the last day; ``start_at`` drops the doses of the
first day that fall before a ``boundsPeriod.start`` given with a time of
day (FHIR's doses begin at that moment, not at midnight), keeping the
phase of every-*n*-days and calendar schedules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from ._dose import Dose
from ._limits import MAX_DATE
from ._meals import MealTimes
from ._plan import Entry, Plan
from ._schedule import Schedule
from ._timeline import DoseEvent
from ._timezone import zone

__all__ = ["MAX_COUNT", "cut", "start_at"]

#: The most doses a ``count`` may ask for.
MAX_COUNT: Final = 100_000
#: How far ahead ``start_at`` looks for a calendar rule's next dose day.
_LOOK_AHEAD: Final = timedelta(days=3700)


def _plan(
    entries: Sequence[Entry],
    timezone: str,
    meal_times: MealTimes,
    start: date,
    end: date,
) -> Plan:
    return Plan(
        "fhir",
        timezone=timezone,
        start=start,
        end=end,
        entries=entries,
        meal_times=meal_times,
    )


def _on_day(
    events: Sequence[DoseEvent], first: Entry, day: date, timezone: str
) -> list[Entry]:
    """One entry on *day* per dose, at the wall times of *events*."""
    times: dict[Dose, list[time]] = {}
    for event in events:
        local = event.at.astimezone(zone(timezone))
        times.setdefault(event.dose, []).append(local.time().replace(tzinfo=None))
    return [
        Entry(
            dose,
            Schedule.daily(*clocks),
            start=day,
            end=day,
            as_needed=first.as_needed,
            source=first.source,
        )
        for dose, clocks in times.items()
    ]


def cut(
    entries: list[Entry],
    *,
    timezone: str,
    meal_times: MealTimes,
    count: int | None,
    until: datetime | None,
) -> list[Entry]:
    """Keep the first *count* doses (or those up to *until*), re-cutting the last day."""
    start = min(e.start for e in entries if e.start is not None)
    ends = [e.end for e in entries]
    last = MAX_DATE if any(x is None for x in ends) else max(x for x in ends if x)
    if until is not None:
        last = min(last, until.astimezone(zone(timezone)).date())
    elif count is not None:
        last = min(last, start + timedelta(days=count * 366))
    kept: list[DoseEvent] = []
    plan = _plan(entries, timezone, meal_times, start, last)
    for event in plan.timeline(max_events=MAX_COUNT + 10_000):
        if (until is not None and event.at > until) or (
            count is not None and len(kept) >= count
        ):
            break
        kept.append(event)
    if not kept:
        return []
    final = kept[-1].at.astimezone(zone(timezone)).date()
    out = [
        attrs.evolve(e, end=final - timedelta(days=1))
        for e in entries
        if e.start and e.start < final
    ]
    on_final = [e for e in kept if e.at.astimezone(zone(timezone)).date() == final]
    return out + _on_day(on_final, entries[0], final, timezone)


def _next_day(
    entry: Entry, day: date, timezone: str, meal_times: MealTimes
) -> date | None:
    """Return the first dose day of *entry* after *day*, or None when it has none."""
    schedule = entry.schedule
    if schedule.kind.value == "every":
        following = day + timedelta(days=schedule.interval)
    elif schedule.kind.value in {"daily", "weekly"}:
        following = day + timedelta(days=1)
    else:
        last = min(entry.end or MAX_DATE, day + _LOOK_AHEAD)
        if last <= day:
            return None
        window = _plan([entry], timezone, meal_times, day + timedelta(days=1), last)
        found = next(iter(window.timeline()), None)
        if found is None:
            return None
        following = found.at.astimezone(zone(timezone)).date()
    return None if entry.end is not None and following > entry.end else following


def start_at(
    entries: list[Entry], *, timezone: str, meal_times: MealTimes, since: datetime
) -> list[Entry]:
    """Drop the doses before *since* on its day; later days keep their phase."""
    day = since.astimezone(zone(timezone)).date()
    plan = _plan(entries, timezone, meal_times, day, day)
    events = plan.timeline(day, day)
    if all(e.at >= since for e in events):
        return entries
    out: list[Entry] = []
    for entry in entries:
        following = _next_day(entry, day, timezone, meal_times)
        if following is not None:
            out.append(attrs.evolve(entry, start=following))
    kept = [e for e in events if e.at >= since]
    return out + _on_day(kept, entries[0], day, timezone)
