"""Expansion of a :class:`~regimen.Plan` into a :class:`~regimen.Timeline`.

Every event belongs to the day its *session* is scheduled on: the date the
schedule puts the wall time on, before any top-up offset is added. Plan and
entry dates, breaks and ``timeline(start, end)`` windows all select whole
sessions by that day, so a session that starts at 23:30 and has top-ups
after midnight is kept or removed as one. Two kinds of schedule are
resolved first (:mod:`regimen._expand_times`): times at meals become clock
times from the plan's meal times, and an every-h-hours chain, which has no
sessions, belongs to the local date of each of its instants.

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

import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import date, time, timedelta, tzinfo
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from . import _limits
from ._errors import ExpansionError
from ._expand_breaks import Breaks, RunEnd, minus, without_runs
from ._expand_columns import Run, Todo, columns, entry_runs
from ._expand_times import at_meal_times, chain_instants
from ._stay import ZonesByDay, zones_by_day
from ._timeline import Timeline
from ._timezone import zone

if TYPE_CHECKING:
    from ._plan import Entry, Plan

__all__ = ["expand", "expand_runs"]

_DAY = timedelta(days=1)
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


def _surely_over(  # noqa: PLR0917 - one private helper of _prepare
    entry: Entry,
    anchor: date,
    free: list[_Span],
    breaks: Breaks,
    pauses: tuple[frozenset[int], list[RunEnd]],
    room: int,
) -> int | None:
    """Return a number of the entry's days that surely gives more than *room* events, or None.

    With repeating breaks left to ask day by day (too many runs to list),
    the entry's days are counted at least as its scheduled days less all
    the breaks' days, in constant time: a plan over millennia that cannot
    fit ``max_events`` is then refused without walking its days.
    """
    schedule = entry.schedule
    if not pauses[1] or not free or schedule.period is not None:
        return None
    scheduled = 0
    for a, b in free:
        count = schedule.count_dates(a, b, anchor=anchor)
        if count is None:
            return None
        scheduled += count
    taken = breaks.days_at_most(pauses[0], free[0][0], free[-1][1])
    if taken is None:
        return None
    least = scheduled - taken
    return least if least * len(schedule.times) > room else None


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


class _Prepared(NamedTuple):
    """What expansion works out before any instant: the entries' days, in order."""

    todo: list[Todo]
    owners: list[int]  # each todo's position in plan.entries
    chains: dict[int, list[int]]  # every-h-hours instants, by todo position
    tz: tzinfo
    travel: ZonesByDay | None
    lo: date
    hi: date


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
    found = _prepare(plan, start, end, max_events, work)
    if found is None:
        return Timeline._sorted(())
    index = columns(found.todo, found.tz, found.chains, found.travel)
    return Timeline._from_index(index, found.lo, found.hi)


def expand_runs(
    plan: Plan, *, start: date | None, end: date | None, max_events: int
) -> list[tuple[int, Entry, list[Run]]]:
    """Expand *plan* as :func:`expand` does, into each expanded entry's runs of instants.

    Returns (position in ``plan.entries``, the entry as expanded, its runs)
    per expanded entry (an entry at meals is one per meal), in timeline
    order of the entries; nothing is sorted or merged.
    """
    found = _prepare(plan, start, end, max_events, None)
    if found is None:
        return []
    runs = entry_runs(found.todo, found.tz, found.chains, found.travel)
    return [(found.owners[r], found.todo[r][0], found_runs) for r, found_runs in runs]


def _prepare(
    plan: Plan,
    start: date | None,
    end: date | None,
    max_events: int,
    work: int | None,
) -> _Prepared | None:
    if not isinstance(max_events, int) or isinstance(max_events, bool):
        msg = f"max_events must be a whole number (got {max_events!r})"
        raise TypeError(msg)
    if max_events < 0:
        msg = f"max_events must be zero or more (got {max_events})"
        raise ValueError(msg)
    lo, hi = _window(plan, start, end)
    if lo > hi:
        return None
    limit = _limits.MAX_EXPANSION_WORK if work is None else work
    budget = _Budget(limit)
    breaks = Breaks(plan, lo, hi)
    cache: dict[Hashable, _Days] = {}
    todo: list[Todo] = []
    owners: list[int] = []
    #: The instants of every-h-hours chains, by their index in *todo*.
    chains: dict[int, list[int]] = {}
    total = 0
    tz = zone(plan.timezone)
    for index, entry in (
        (i, clocked)
        for i, planned in enumerate(plan.entries)
        for clocked in at_meal_times(planned, plan.meal_times)
    ):
        anchor = entry.start or plan.start
        first = max(lo, anchor)
        last = hi if entry.end is None else min(hi, entry.end)
        if first > last:
            continue
        try:
            chosen = breaks.chosen(entry, budget.spend)
            free = breaks.free(chosen, first, last, budget.spend)
            pauses = (chosen, breaks.recurring(chosen, budget.spend))
            if pauses[1] and entry.schedule.rule is None and free:
                # Repeating breaks as spans: the entry's days are then counted
                # and numbered run by run, never asked about one by one.
                taken = breaks.repeating_spans(chosen, free[0][0], free[-1][1])
                if taken is not None:
                    free = minus(free, taken)
                    pauses = (chosen, [])
            over = _surely_over(entry, anchor, free, breaks, pauses, max_events - total)
            if over is not None:
                days: _Days | int = over  # too many, as the check below reports
            elif entry.schedule.period is not None:
                room = (max_events - total) // len(entry.schedule.times)
                chain = list(
                    itertools.islice(
                        chain_instants(
                            entry.schedule,
                            anchor,
                            free,
                            tz,
                            pauses=pauses[1],
                            spend=budget.spend,
                        ),
                        room + 1,
                    )
                )
                chains[len(todo)] = chain
                days = len(chain)
            else:
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
        # An every-h-hours chain has one time: its number of days counts its doses.
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
            owners.append(index)
    travel = zones_by_day(plan.stays, plan.timezone) if plan.stays else None
    return _Prepared(todo, owners, chains, tz, travel, lo, hi)
