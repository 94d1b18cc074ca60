"""A schedule's active days as arithmetic progressions of day numbers.

:meth:`regimen.Schedule.dates` yields one ``date`` at a time. Expansion
only needs the days as numbers (days since 1970-01-01), and for every kind
but RRULE they are a union of progressions: daily is one, every *n* days
one with step *n*, *on*-days-on-*off*-off *on* of them with step
*on* + *off*, weekly one per weekday with step 7. So a decade of a daily
schedule costs a ``range``, not 3,650 dates.

>>> from datetime import date
>>> from regimen import Schedule
>>> spans = [(date(2027, 1, 1), date(2027, 1, 10))]  # 2027-01-01 is day 20819
>>> day_runs(Schedule.cycle(2, 3, "08:00"), spans, date(2027, 1, 1))
[range(20819, 20829, 5), range(20820, 20829, 5)]
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ._schedule import Schedule

__all__ = ["day_runs"]

_ORDINAL: Final = date(1970, 1, 1).toordinal()


def _aligned(lo: int, anchor: int, phase: int, period: int) -> int:
    """Return the first day >= *lo* that is *phase* days after *anchor* modulo *period*."""
    return lo + (anchor + phase - lo) % period


def day_runs(
    schedule: Schedule, free: list[tuple[date, date]], anchor: date
) -> list[range] | None:
    """Return the days ``schedule.dates`` yields over the *free* spans, as ranges.

    Each range is increasing; together they hold every day once, but not in
    order. ``None`` for an RRULE (whose days are scanned).
    """
    kind = schedule.kind.value
    if kind == "rrule":
        return None
    first = anchor.toordinal() - _ORDINAL
    if kind == "weekly":
        phases = sorted({(w.index - 3) % 7 for w in schedule.days})
        period = 7
        start = 0  # 1970-01-01 was a Thursday (weekday 3)
    elif kind == "every":
        phases, period, start = [0], schedule.interval, first
    elif kind == "cycle":
        period = schedule.on_days + schedule.off_days
        phases, start = list(range(schedule.on_days)), first
    else:  # daily, every-h-hours (whose days are all days)
        phases, period, start = [0], 1, first
    out: list[range] = []
    for a, b in free:
        lo = max(a.toordinal() - _ORDINAL, first)
        hi = b.toordinal() - _ORDINAL + 1
        for phase in phases:
            found = range(_aligned(lo, start, phase, period), hi, period)
            if found:
                out.append(found)
    return out
