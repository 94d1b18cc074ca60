"""Expansion of a :class:`~regimen.Plan` into a :class:`~regimen.Timeline`."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING

from ._errors import ExpansionError
from ._timeline import DoseEvent, Timeline, _make_event, _sort_key
from ._timezone import localize, utc_us, zone

if TYPE_CHECKING:
    from ._plan import Entry, Plan

__all__ = ["expand"]

_DAY = timedelta(days=1)


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


def _blocked(plan: Plan, entry: Entry) -> list[tuple[date, date]]:
    substances = entry.dose.contents
    return [
        (b.start, b.end) for b in plan.breaks if any(b.covers(s) for s in substances)
    ]


def expand(
    plan: Plan, *, start: date | None, end: date | None, max_events: int
) -> Timeline:
    """Expand *plan* between *start* and *end* (inclusive); see :meth:`Plan.timeline`."""
    if max_events < 0:
        msg = f"max_events must be zero or more (got {max_events})"
        raise ValueError(msg)
    lo, hi = _window(plan, start, end)
    tz = zone(plan.timezone)
    events: list[DoseEvent] = []
    if lo > hi:
        return Timeline._sorted(())
    for entry in plan.entries:
        anchor = entry.start or plan.start
        first = max(lo, anchor)
        last = hi if entry.end is None else min(hi, entry.end)
        schedule = entry.schedule
        offset = schedule.offset
        blocked = _blocked(plan, entry)
        dose, as_needed, times = entry.dose, entry.as_needed, schedule.times
        # A session on the day before the window can spill into it.
        session_first = first - _DAY if offset and first > date.min else first
        for day in schedule.dates(session_first, last, anchor=anchor):
            for wall in times:
                at = localize(day, wall, tz)
                if offset:
                    at = (at.astimezone(UTC) + offset).astimezone(tz)
                local = at.date()
                if local < lo or local > hi:
                    continue
                if blocked and any(b0 <= local <= b1 for b0, b1 in blocked):
                    continue
                events.append(_make_event(at, dose, as_needed, utc_us(at)))
                if len(events) > max_events:
                    msg = (
                        f"expanding plan {plan.name!r} from {lo} to {hi} gives more "
                        f"than max_events={max_events} events; expand fewer days "
                        "(timeline(start, end)) or raise max_events"
                    )
                    raise ExpansionError(msg)
    events.sort(key=_sort_key)
    return Timeline._sorted(tuple(events), lo, hi)
