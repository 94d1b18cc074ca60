"""Turning a set of dose instants back into plan entries that expand to exactly those instants.

Instants are grouped by their local wall time in the plan's zone. Each
group's days become as few entries as the simplest of two readings gives:
runs of days at a constant step (``daily`` or ``every(n)`` between two
dates) or runs of the weekdays the group uses (``weekly``), and single
days for the rest. The second occurrence of an ambiguous local time has
no wall-time form; it becomes an entry on that day at an earlier time
shifted by the elapsed time (``Schedule.daily(t).shifted(d)``). The
entries are expanded and compared with the instants; should they ever
differ, each instant becomes an entry of its own day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import Final

from ._dose import Dose
from ._ics_zone import DAY_US, ZoneSpan
from ._plan import Entry, Plan
from ._schedule import Schedule
from ._weekday import Weekday

__all__ = ["entries_for"]

_ORDINAL: Final = date(1970, 1, 1).toordinal()
_WEEKDAYS: Final = tuple(Weekday)


def _day(d: int) -> date:
    return date.fromordinal(d + _ORDINAL)


def _wall(us: int) -> time:
    seconds, micro = divmod(us, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def _by_step(days: list[int]) -> list[tuple[int, int, int]]:
    """Split sorted days into (first, last, step) runs; a run of fewer than 3 is single days."""
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(days):
        j = i
        if i + 1 < len(days):
            step = days[i + 1] - days[i]
            while j + 1 < len(days) and days[j + 1] - days[j] == step:
                j += 1
        if j - i >= 2:
            out.append((days[i], days[j], days[i + 1] - days[i]))
            i = j + 1
        else:
            out.append((days[i], days[i], 1))
            i += 1
    return out


def _by_weekdays(days: list[int]) -> tuple[frozenset[int], list[tuple[int, int]]]:
    """Split sorted days into runs of consecutive days among the weekdays they use."""
    present = set(days)
    chosen = frozenset((d + 3) % 7 for d in days)
    runs: list[tuple[int, int]] = []
    run: list[int] = []
    for d in range(days[0], days[-1] + 1):
        if (d + 3) % 7 not in chosen:
            continue
        if d in present:
            run.append(d)
            continue
        if run:
            runs.append((run[0], run[-1]))
        run = []
    if run:
        runs.append((run[0], run[-1]))
    return chosen, runs


def _group_entries(
    wall: int, days: list[int], dose: Dose, *, as_needed: bool
) -> list[Entry]:
    at = _wall(wall)
    steps = _by_step(days)
    chosen, runs = _by_weekdays(days)
    out: list[Entry] = []
    if len(runs) < len(steps):
        codes = [_WEEKDAYS[w] for w in sorted(chosen)]
        schedule = Schedule.daily(at) if len(codes) == 7 else Schedule.weekly(codes, at)
        for a, b in runs:
            out.append(
                Entry(dose, schedule, start=_day(a), end=_day(b), as_needed=as_needed)
            )
        return out
    for a, b, step in steps:
        schedule = Schedule.daily(at) if step == 1 else Schedule.every(step, at)
        out.append(
            Entry(dose, schedule, start=_day(a), end=_day(b), as_needed=as_needed)
        )
    return out


def _single(us: int, span: ZoneSpan, dose: Dose, *, as_needed: bool) -> Entry:
    """Return an entry for the one instant *us* (its own day, exact even in a fold)."""
    local, fold = span.local(us)
    day, wall = divmod(local, DAY_US)
    if not fold:
        schedule = Schedule.daily(_wall(wall))
    else:
        earlier = max(wall - 3 * 3_600_000_000, 0)
        shift = us - span.instant(day * DAY_US + earlier)
        schedule = Schedule.daily(_wall(earlier)).shifted(timedelta(microseconds=shift))
    return Entry(dose, schedule, start=_day(day), end=_day(day), as_needed=as_needed)


def _expands_to(entries: list[Entry], zone: str, want: list[int]) -> bool:
    starts = [e.start for e in entries if e.start is not None]
    ends = [e.end for e in entries if e.end is not None]
    probe = Plan(
        "probe", timezone=zone, start=min(starts), end=max(ends), entries=entries
    )
    got = sorted(probe.timeline()._idx.us)
    return got == want


def entries_for(
    instants: Iterable[int], span: ZoneSpan, dose: Dose, *, as_needed: bool
) -> list[Entry]:
    """Return entries of *dose* in *span*'s zone that expand to exactly *instants* (UTC µs)."""
    want = sorted(instants)
    groups: dict[int, list[int]] = {}
    folded: list[int] = []
    for us in want:
        local, fold = span.local(us)
        if fold:
            folded.append(us)
            continue
        day, wall = divmod(local, DAY_US)
        groups.setdefault(wall, []).append(day)
    out: list[Entry] = []
    for wall, days in sorted(groups.items()):
        out.extend(_group_entries(wall, sorted(set(days)), dose, as_needed=as_needed))
    out.extend(_single(us, span, dose, as_needed=as_needed) for us in folded)
    if _expands_to(out, span.name, want):
        return out
    singles = [_single(us, span, dose, as_needed=as_needed) for us in want]
    if _expands_to(singles, span.name, want):  # pragma: no cover - the safety net
        return singles
    msg = "its instants cannot be written as plan entries"  # pragma: no cover
    raise ValueError(msg)  # pragma: no cover
