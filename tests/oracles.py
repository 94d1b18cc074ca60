"""Slow, obviously-correct versions of the validation algorithms.

Each one looks at every event (or pair, or span) directly, with no sweeps,
caches or bisects, and returns what the fast rule should report keyed the
same way (by local day number, week, run start or span start).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, time, timedelta
from decimal import Decimal

from regimen import DoseEvent, Quantity, Timeline, Unit


def day_of(event: DoseEvent, day_start: time = time(0)) -> int:
    shift = timedelta(hours=day_start.hour, minutes=day_start.minute)
    return (event.at.replace(tzinfo=None) - shift).date().toordinal()


def week_of(day_number: int) -> int:
    iso = date.fromordinal(day_number).isocalendar()
    return iso.year * 100 + iso.week


def involved(timeline: Timeline, term: str) -> list[DoseEvent]:
    return [e for e in timeline if any(s.matches(term) for s in e.contents)]


def amount_of(event: DoseEvent, term: str, unit: Unit) -> Decimal:
    total = Decimal(0)
    for substance, quantity in event.contents.items():
        if substance.matches(term):
            total += quantity.to(unit).amount
    return total


def elapsed(a: DoseEvent, b: DoseEvent) -> timedelta:
    return b.at.astimezone(UTC) - a.at.astimezone(UTC)


def window_totals(
    timeline: Timeline,
    term: str,
    per: str | timedelta,
    value: Callable[[DoseEvent], Decimal],
    day_start: time = time(0),
) -> dict[int, Decimal]:
    """Every group's worst total, keyed by local day (or ISO week for "week")."""
    events = involved(timeline, term)
    out: dict[int, Decimal] = {}
    for e in events:
        if per == "dose":
            key, members = day_of(e, day_start), [e]
        elif per == "day":
            key = day_of(e, day_start)
            members = [x for x in events if day_of(x, day_start) == key]
        elif per == "week":
            key = week_of(day_of(e, day_start))
            members = [x for x in events if week_of(day_of(x, day_start)) == key]
        else:
            assert isinstance(per, timedelta)
            key = day_of(e, day_start)
            members = [x for x in events if timedelta(0) <= elapsed(x, e) < per]
        total = sum((value(x) for x in members), start=Decimal(0))
        if key not in out or total > out[key]:
            out[key] = total
    return out


def violations(totals: dict[int, Decimal], limit: Decimal) -> dict[int, Decimal]:
    return {k: v for k, v in totals.items() if v > limit}


def min_gaps(
    timeline: Timeline, term: str, day_start: time = time(0)
) -> dict[int, timedelta]:
    """Per day of the later event, the shortest gap to the event before it."""
    events = involved(timeline, term)
    out: dict[int, timedelta] = {}
    for i, e in enumerate(events):
        earlier = [elapsed(x, e) for x in events[:i]]
        if not earlier:
            continue
        gap = min(earlier)
        key = day_of(e, day_start)
        if key not in out or gap < out[key]:
            out[key] = gap
    return out


def runs(days: set[int]) -> dict[int, int]:
    """Start day -> length of every maximal run of consecutive days."""
    return {
        d: next(n for n in range(1, 100_000) if d + n not in days)
        for d in days
        if d - 1 not in days
    }


def failing_span_starts(
    used: set[int], p0: int, p1: int, days: int, every: int
) -> set[int]:
    out = set()
    for s in range(p0, p1 - every + 2):
        best = run = 0
        for d in range(s, s + every):
            run = 0 if d in used else run + 1
            best = max(best, run)
        if best < days:
            out.add(s)
    return out


def closest_pairs(
    timeline: Timeline, a: str, b: str, within: timedelta, day_start: time = time(0)
) -> dict[int, timedelta]:
    """Per day of the later event, the closest a/b pair within *within*."""
    ea, eb = involved(timeline, a), involved(timeline, b)
    out: dict[int, timedelta] = {}
    for x in ea:
        for y in eb:
            if x is y:
                subs = list(x.contents)
                if not any(
                    s.matches(a) and t.matches(b)
                    for s in subs
                    for t in subs
                    if s is not t
                ):
                    continue
            gap = abs(elapsed(x, y))
            if gap > within:
                continue
            later = (
                [x, y]
                if x.timestamp_us == y.timestamp_us
                else [max(x, y, key=lambda e: e.timestamp_us)]
            )
            for e in later:
                key = day_of(e, day_start)
                if key not in out or gap < out[key]:
                    out[key] = gap
    return out


def quantity(value: Decimal, unit: str) -> Quantity:
    return Quantity(value, unit)


@functools.lru_cache(maxsize=512)
def rfc_weeks(year: int, wkst: int) -> tuple[date, ...]:
    """Return the starts of the weeks RFC 5545 counts for *year*, by brute force.

    Lists every week starting on *wkst* that has at least four of its days
    in the year: week 1 is the first such week (RFC 5545, BYWEEKNO).
    """
    weeks = []
    s = date(year, 1, 1)
    while s.weekday() != wkst:
        s -= timedelta(days=1)
    while s <= date(year, 12, 31):
        inside = sum((s + timedelta(days=k)).year == year for k in range(7))
        if inside >= 4:
            weeks.append(s)
        s += timedelta(days=7)
    return tuple(weeks)


def rfc_week(day: date, wkst: int) -> tuple[int, int]:
    """RFC 5545 week number of *day* and the number of weeks of its week-year."""
    start = day
    while start.weekday() != wkst:
        start -= timedelta(days=1)
    for year in (day.year - 1, day.year, day.year + 1):
        weeks = rfc_weeks(year, wkst)
        if start in weeks:
            return weeks.index(start) + 1, len(weeks)
    raise AssertionError(day)  # pragma: no cover - every week belongs to a year
