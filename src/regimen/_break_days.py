"""Which days a repeating :class:`~regimen.Break` takes, run by run.

A break's days come in *runs* of consecutive days. For a weekly or cycle
break, whether a day is a break day, where its run ends and where the next
run starts are arithmetic on the weekday or on the day's place in the
cycle: constant work per question. A rule break asks its
:class:`~regimen._rrule.RecurrenceRule` (which scans candidate days,
reporting them to a caller's *spend*).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from ._limits import MAX_DATE

if TYPE_CHECKING:
    from ._break import Break
    from ._weekday import Weekday

__all__ = ["next_run", "run_end", "runs"]

_DAY: Final = timedelta(days=1)
_YEAR: Final = timedelta(days=366)


@functools.cache
def _weekly(
    weekdays: frozenset[Weekday],
) -> tuple[tuple[int | None, ...], tuple[int, ...]]:
    """For each weekday index: days left in its run (None if not chosen), days to the next chosen."""
    chosen = {w.index for w in weekdays}
    left: list[int | None] = []
    for w in range(7):
        if w not in chosen:
            left.append(None)
            continue
        n = 0
        while n < 7 and (w + n + 1) % 7 in chosen:
            n += 1
        left.append(n)
    ahead = tuple(next(g for g in range(7) if (w + g) % 7 in chosen) for w in range(7))
    return tuple(left), ahead


def run_end(pause: Break, day: date) -> date | None:
    """Return the last day of *pause*'s run of days holding *day*; None if *day* is not one."""
    last = MAX_DATE if pause.end is None else pause.end
    if not pause.start <= day <= last:
        return None
    if pause.rule is not None:
        if next(pause.rule.dates(day, day, anchor=pause.start), None) is None:
            return None
        # Follow the run a year at a time, so a rule that stops matching is
        # not scanned to the end of time.
        end = day
        while end < last:
            chunk = min(last, end + _YEAR)
            for found in pause.rule.dates(end + _DAY, chunk, anchor=pause.start):
                if found != end + _DAY:
                    return end
                end = found
            if end < chunk:
                return end
        return end
    if pause.weekdays:
        n = _weekly(pause.weekdays)[0][day.weekday()]
        if n is None:
            return None
        # n == 7: every weekday is chosen, one run to the break's end.
        return last if n >= 7 or (last - day).days <= n else day + timedelta(days=n)
    if not pause.on_days:  # a one-off break
        return last
    period = pause.on_days + pause.off_days
    position = (day - pause.start).days % period
    if position < pause.on_days:
        return None
    left = period - 1 - position
    return last if (last - day).days <= left else day + timedelta(days=left)


def next_run(pause: Break, day: date) -> date | None:
    """Return the first day on or after *day* a weekly or cycle *pause* may take (None past the range)."""
    if pause.weekdays:
        ahead = _weekly(pause.weekdays)[1][day.weekday()]
    else:
        period = pause.on_days + pause.off_days
        position = (day - pause.start).days % period
        ahead = max(0, pause.on_days - position)
    if (MAX_DATE - day).days < ahead:
        return None
    return day + timedelta(days=ahead)


def runs(
    pause: Break,
    first: date,
    last: date,
    spend: Callable[[int], None] | None,
) -> Iterator[tuple[date, date]]:
    """Yield *pause*'s runs of days within [*first*, *last*], clipped to it, in order."""
    lo = max(first, pause.start)
    hi = min(last, MAX_DATE if pause.end is None else pause.end)
    if lo > hi:
        return
    if pause.rule is not None:
        run: list[date] = []
        for found in pause.rule.dates(lo, hi, anchor=pause.start, spend=spend):
            if run and (found - run[1]).days == 1:
                run[1] = found
                continue
            if run:
                yield run[0], run[1]
            run = [found, found]
        if run:
            yield run[0], run[1]
        return
    day: date | None = lo
    while day is not None and day <= hi:
        end = run_end(pause, day)
        if end is None:
            day = next_run(pause, day)
            continue
        yield day, min(end, hi)
        if end >= hi:
            return
        day = next_run(pause, end + _DAY)
