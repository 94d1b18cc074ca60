"""Expansion of a :class:`~regimen.Plan` into a :class:`~regimen.Timeline`.

Every event belongs to the day its *session* is scheduled on: the date the
schedule puts the wall time on, before any top-up offset is added. Plan and
entry dates, breaks and ``timeline(start, end)`` windows all select whole
sessions by that day, so a session that starts at 23:30 and has top-ups
after midnight is kept or removed as one.

Expansion is bounded before anything is built. First each entry's active
days are worked out from interval arithmetic (its dates minus the one-off
breaks that apply to it) and counted, so ``max_events`` is checked without
building a single event; only recurrence rules scan candidate days, and
that scanning (plus applying breaks) is charged against
:data:`regimen._limits.MAX_EXPANSION_WORK`. Repeating breaks are asked
about each candidate day instead (:mod:`regimen._expand_breaks`): the days
they leave are listed (at most ``max_events`` of them) and each day they
take costs a step.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import UTC, date, time, timedelta, tzinfo
from functools import partial
from typing import TYPE_CHECKING, Final

from . import _limits
from ._errors import ExpansionError
from ._expand_breaks import Breaks, RunEnd, without_runs
from ._stay import zones_by_day
from ._timeline import DoseEvent, Timeline
from ._timeline_index import DoseTable, Kind, TimelineIndex, Zone, make_zone, typecode
from ._timezone import EPOCH, localize, zone

if TYPE_CHECKING:
    from ._plan import Entry, Plan

__all__ = ["expand"]

_DAY = timedelta(days=1)
_US: Final = timedelta(microseconds=1)
_Span = tuple[date, date]


class _OverBudgetError(Exception):
    """Raised inside expansion when the work budget is spent."""


class _Budget:
    """A countdown of work steps; :meth:`spend` raises once it goes negative."""

    __slots__ = ("left",)

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise _OverBudgetError


def _window(plan: Plan, start: date | None, end: date | None) -> tuple[date, date]:
    lo = plan.start if start is None else max(plan.start, start)
    if end is None and plan.end is None:
        msg = (
            f"plan {plan.name!r} has no end date; pass an end, e.g. "
            "plan.timeline(end=date(2027, 12, 31)), or give the plan an end"
        )
        raise ExpansionError(msg)
    if end is None:
        assert plan.end is not None
        hi = plan.end
    else:
        hi = end if plan.end is None else min(plan.end, end)
    return lo, hi


_Days = list[tuple[date, tuple[time, ...]]]


def _active_days(
    entry: Entry,
    anchor: date,
    free: list[_Span],
    cache: dict[Hashable, _Days],
    budget: tuple[Callable[[int], None], tzinfo],
    *,
    room: int,
    pauses: tuple[frozenset[int], list[RunEnd]],
) -> _Days | int:
    """Return the entry's active days with their times (a list for RRULEs and repeating breaks), else their number.

    *room* is how many more events fit; a list of days holding more than
    that is returned only as far as one day past it.
    """
    schedule = entry.schedule
    spend, tz = budget
    if not free:
        return 0
    if not pauses[1]:
        counts = [schedule.count_dates(a, b, anchor=anchor) for a, b in free]
        if all(n is not None for n in counts):
            return sum(n for n in counts if n is not None)
    key = (
        pauses[0],
        schedule.kind,
        schedule.days,
        schedule.interval,
        schedule.on_days,
        schedule.off_days,
        schedule.rule,
        schedule.times,
        anchor,
        tuple(free),
        tz,
    )
    days = cache.get(key)
    if days is None:
        walls: dict[date, tuple[time, ...]] = {}  # an RRULE's times, day by day
        found = without_runs(
            partial(_candidates, entry, anchor, free, (spend, tz, walls)),
            free[0][0],
            pauses[1],
            spend,
        )
        days = []
        events = 0
        for day in found:
            at = walls.get(day, schedule.times)
            days.append((day, at))
            events += len(at)
            if events > room:  # the caller then reports max_events
                return days
        cache[key] = days
    return days


def _candidates(
    entry: Entry,
    anchor: date,
    free: list[_Span],
    context: tuple[Callable[[int], None], tzinfo, dict[date, tuple[time, ...]]],
    first: date,
) -> Iterable[date]:
    """Yield the entry's days from *first* on within the *free* spans, in order.

    An RRULE's times of each day are noted in the *context*'s dict.
    """
    spend, tz, walls = context
    schedule = entry.schedule
    if schedule.rule is None:
        return (
            d
            for a, b in free
            if b >= first
            for d in schedule.dates(max(a, first), b, anchor=anchor)
        )
    # One pass over the whole span (a period is scanned once, not once per
    # gap between breaks), keeping the days in the free spans.
    lo = max(first, free[0][0])
    found = schedule.occurrences(lo, free[-1][1], anchor=anchor, spend=spend, zone=tz)
    return _within(_noting(found, walls), free)


def _noting(
    found: Iterable[tuple[date, tuple[time, ...]]], walls: dict[date, tuple[time, ...]]
) -> Iterator[date]:
    """Yield the days of *found*, noting each day's times in *walls*."""
    for day, at in found:
        walls[day] = at
        yield day


def _within(days: Iterable[date], spans: list[_Span]) -> Iterator[date]:
    """Yield the sorted *days* that fall in the sorted, disjoint *spans*."""
    k = 0
    for day in days:
        while day > spans[k][1]:
            k += 1
            if k == len(spans):
                return
        if day >= spans[k][0]:
            yield day


def _what(entry: Entry) -> str:
    """Name an entry in an error message: its product and (shortened) schedule."""
    when = entry.schedule.describe()
    if len(when) > 60:
        when = when[:57] + "..."
    return f"{entry.dose.product.name!r}, {when}"


def expand(
    plan: Plan,
    *,
    start: date | None,
    end: date | None,
    max_events: int,
    work: int | None = None,
) -> Timeline:
    """Expand *plan* between *start* and *end* (inclusive); see :meth:`Plan.timeline`.

    *work* overrides :data:`regimen._limits.MAX_EXPANSION_WORK` (for tests).
    """
    if not isinstance(max_events, int) or isinstance(max_events, bool):
        msg = f"max_events must be a whole number (got {max_events!r})"
        raise TypeError(msg)
    if max_events < 0:
        msg = f"max_events must be zero or more (got {max_events})"
        raise ValueError(msg)
    lo, hi = _window(plan, start, end)
    if lo > hi:
        return Timeline._sorted(())
    limit = _limits.MAX_EXPANSION_WORK if work is None else work
    budget = _Budget(limit)
    breaks = Breaks(plan, lo, hi)
    cache: dict[Hashable, _Days] = {}
    tz = zone(plan.timezone)
    todo: list[tuple[Entry, date, list[_Span], _Days | int]] = []
    total = 0
    for index, entry in enumerate(plan.entries):
        anchor = entry.start or plan.start
        first = max(lo, anchor)
        last = hi if entry.end is None else min(hi, entry.end)
        if first > last:
            continue
        try:
            chosen = breaks.chosen(entry, budget.spend)
            free = breaks.free(chosen, first, last, budget.spend)
            pauses = (chosen, breaks.recurring(chosen, budget.spend))
            days = _active_days(
                entry,
                anchor,
                free,
                cache,
                (budget.spend, tz),
                room=max_events - total,
                pauses=pauses,
            )
        except _OverBudgetError:
            msg = (
                f"expanding plan {plan.name!r} from {lo} to {hi} needs more than "
                f"{limit:,} steps of scanning; stopped at entry {index} "
                f"({_what(entry)}): "
                "narrow the plan's or the entry's dates, pass start and end to "
                "timeline(), use fewer breaks, or a recurrence rule that matches "
                "more often"
            )
            raise ExpansionError(msg) from None
        n_days = len(days) if isinstance(days, list) else days
        total += (
            sum(len(walls) for _day, walls in days)
            if isinstance(days, list)
            else days * len(entry.schedule.times)
        )
        if total > max_events:
            msg = (
                f"expanding plan {plan.name!r} from {lo} to {hi} gives more "
                f"than max_events={max_events} events (reached at entry {index}, "
                f"{_what(entry)}); "
                "expand fewer days (timeline(start, end)), narrow the entry's "
                "dates or raise max_events"
            )
            raise ExpansionError(msg)
        if n_days:
            todo.append((entry, anchor, free, days))
    travel = zones_by_day(plan.stays, plan.timezone) if plan.stays else None
    return Timeline._from_index(_columns(todo, tz, travel), lo, hi)


def _columns(
    todo: list[tuple[Entry, date, list[_Span], _Days | int]],
    tz: tzinfo,
    travel: Callable[[date], tzinfo] | None = None,
) -> TimelineIndex:
    """Work out every event's instant and UTC offset, sorted, as an index.

    Wall times are read in *tz*, or, for entries on local clock when the
    plan has stays, in the zone *travel* gives for the session's day.

    The timeline order is instant, then product name and amount (then the
    entries' order): each entry gets a rank in that order once, and each
    event one integer key, (instant, rank, offset), so the sort compares
    ints instead of building a key per event.
    """
    table = DoseTable()
    labels = [
        (e.dose.product.name, e.dose.amount_text, i) for i, (e, *_) in enumerate(todo)
    ]
    order = sorted(range(len(todo)), key=labels.__getitem__)
    zones: dict[tuple[timedelta | None, int, tzinfo], int] = {}
    stamps: dict[tuple[date, time, timedelta], tuple[int, int]] = {}
    travelling: dict[tuple[date, time, timedelta], tuple[int, int]] = {}
    runs: list[tuple[int, list[int], list[int]]] = []
    for rank, r in enumerate(order):
        entry, anchor, free, days = todo[r]
        local = travel is not None and entry.clock == "local"
        seen = travelling if local else stamps
        schedule = entry.schedule
        offset, times = schedule.offset, schedule.times
        active: Iterable[tuple[date, tuple[time, ...]]] = (
            days
            if isinstance(days, list)
            else (
                (d, times) for a, b in free for d in schedule.dates(a, b, anchor=anchor)
            )
        )
        instants: list[int] = []
        where: list[int] = []
        add, put, get = instants.append, where.append, zones.get
        for day, walls in active:
            for wall in walls:
                # Entries at the same times share their instants: localize once.
                stamp = seen.get((day, wall, offset))
                if stamp is None:
                    here = travel(day) if local and travel is not None else tz
                    at = localize(day, wall, here)
                    if offset:
                        at = (at.astimezone(UTC) + offset).astimezone(here)
                    key = (at.utcoffset(), at.fold, here)
                    z = get(key)
                    if z is None:
                        z = zones[key] = len(zones)
                    stamp = seen[(day, wall, offset)] = ((at - EPOCH) // _US, z)
                add(stamp[0])
                put(stamp[1])
        runs.append((rank, instants, where))
    width = len(zones)
    keys = [
        (u * len(order) + rank) * width + z
        for rank, instants, where in runs
        for u, z in zip(instants, where, strict=True)
    ]
    keys.sort()
    cells: list[Zone] = [make_zone(tz, 0, 0)] * width
    for (off, fold, here), z in zones.items():
        assert off is not None
        cells[z] = make_zone(here, off // _US, fold)
    entries = [(table.add(todo[r][0].dose), todo[r][0].as_needed) for r in order]
    # Kind id = rank * width + zone: the low part of each key.
    kinds = [Kind(dose, needed, "", z) for dose, needed in entries for z in cells]
    step = len(kinds)
    us = array("q", [key // step for key in keys])
    kind = array(typecode(step), [key % step for key in keys])
    return TimelineIndex(us, kind, kinds=kinds, table=table, event_type=DoseEvent)
