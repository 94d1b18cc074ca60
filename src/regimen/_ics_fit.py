"""Fitting one entry's dose instants with recurring iCalendar series.

The schedule is not translated: its *instants* (from the plan's own
expansion) are. They are grouped by local wall time in the plan's zone;
each group's days get the cheapest rule that contains the first day (daily
with the days' common step, weekly on the weekdays seen, or the
schedule's own RRULE), and the days the rule has but the group lacks become
``EXDATE``s, the days the group has but the rule lacks ``RDATE``s. What no
rule pays for (single doses, second occurrences of an ambiguous time,
doses during stays in other zones, elapsed-time schedules that drift across
the clock) is added as an ``RDATE`` to a series that does not hold that
instant yet, or to a new series. Every instance is computed the way an
iCalendar reader computes it (:meth:`ZoneSpan.instant`), and the result is
checked against the instants before it is returned, so what a calendar
expands is exactly the timeline, whatever the schedule's kind.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

from ._ics_zone import DAY_US, ZoneSpan
from ._zone_table import Days

__all__ = ["Run", "Series", "fit"]

_ORDINAL: Final = date(1970, 1, 1).toordinal()
_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: What a series of its own costs, counted in RDATE values saved.
_OVERHEAD: Final = 6
_PLAIN_RULE: Final = re.compile(
    r"(?:RRULE:)?FREQ=(?:DAILY|WEEKLY|MONTHLY|YEARLY)(?:;(?:INTERVAL|WKST|BY(?:DAY|MONTHDAY|YEARDAY|WEEKNO|MONTH|SETPOS))=[A-Z0-9,+-]+)*",
    re.IGNORECASE,
)


class Series:
    """One VEVENT's recurrence: DTSTART, an optional RRULE, EXDATEs and RDATEs.

    Times are µs: *start* is local (a ``TZID`` value) unless *start_utc*;
    ``exdates`` hold the rule's local times it excludes (written with the
    ``TZID``, as the rule generates them) and their instants; ``rdates``
    hold instants (UTC µs), written as local times where that is exact.
    *instants* is the set a reader expands.
    """

    __slots__ = (
        "_excluded",
        "_excluded_days",
        "exdates",
        "instants",
        "rdates",
        "rule",
        "start",
        "start_utc",
    )

    def __init__(self, start: int, *, start_utc: bool, rule: str | None) -> None:
        self.start = start
        self.start_utc = start_utc
        self.rule = rule
        self.exdates: list[tuple[int, int]] = []
        self.rdates: list[int] = []
        self.instants: set[int] = set()
        self._excluded: set[int] = set()
        self._excluded_days: set[int] = set()

    def exclude(self, local: int, us: int) -> None:
        """Add an EXDATE: the rule's local time *local*, instant *us*."""
        self.exdates.append((local, us))
        self._excluded.add(us)
        self._excluded_days.add(local // DAY_US)

    def accepts(self, us: int, day: int) -> bool:
        """Tell whether an RDATE at instant *us* (on local *day*) adds an instance safely.

        It must be neither an instance nor excluded; and no EXDATE may fall
        on its day: recurring-ical-events drops an RDATE whose UTC wall time
        equals an EXDATE's local wall time, so a day with an EXDATE takes no
        RDATE of another time.
        """
        return (
            us not in self.instants
            and us not in self._excluded
            and day not in self._excluded_days
        )


def _day(d: int) -> date:
    return date.fromordinal(d + _ORDINAL)


def _rule_days(text: str, days: list[int], budget: int) -> list[int] | None:
    """Return the days the rule *text* selects from days[0] to days[-1], anchored at days[0]."""
    from ._rrule import RecurrenceRule  # noqa: PLC0415 - only RRULE schedules need it

    left = [budget]

    def spend(n: int) -> None:
        left[0] -= n
        if left[0] < 0:
            raise OverflowError

    try:
        rule = RecurrenceRule.parse(text)
        found = rule.dates(
            _day(days[0]), _day(days[-1]), anchor=_day(days[0]), spend=spend
        )
        out = [d.toordinal() - _ORDINAL for d in found]
    except (ValueError, OverflowError, TypeError):
        return None
    return out if out and out[0] == days[0] else None


def _step(days: list[int]) -> int:
    """Return the greatest common step of sorted, distinct *days* (0 for one day)."""
    if len(days) < 2 or days[-1] - days[0] == len(days) - 1:
        return min(len(days) - 1, 1)
    return math.gcd(*map(operator.sub, days[1:], days[:-1]))


def _candidates(days: list[int], rule: str | None) -> Iterable[tuple[str, Days]]:
    """Yield (RRULE without UNTIL, the days it selects) for *days* (sorted, distinct)."""
    step = _step(days)
    yield (
        "FREQ=DAILY" + (f";INTERVAL={step}" if step > 1 else ""),
        range(days[0], days[-1] + 1, step or 1),
    )
    whole_weeks = days[-1] - days[0] == len(days) - 1 and len(days) >= 7
    weekdays = set(range(7)) if whole_weeks else {(d + 3) % 7 for d in days}
    if step == 1 and len(weekdays) < 7:
        chosen = ",".join(_CODES[w] for w in sorted(weekdays))
        yield (
            f"FREQ=WEEKLY;BYDAY={chosen}",
            [d for d in range(days[0], days[-1] + 1) if (d + 3) % 7 in weekdays],
        )
    if rule is not None:
        found = _rule_days(rule, days, 40 * (days[-1] - days[0] + 1) + 1000)
        if found is not None:
            yield rule.removeprefix("RRULE:").upper(), found


#: Instants (UTC µs, increasing, all at one local wall time: whole days
#: apart), with their UTC offset and fold in the plan's zone.
Run = tuple[Days, int, int]


def _windows(span: ZoneSpan) -> list[tuple[int, int]]:
    """Return the local times [start, end) just after each DST gap, where moved doses land."""
    return sorted((t + y, t + 2 * y - x) for t, x, y, *_ in span.transitions if y > x)


def _first(values: Days, limit: int) -> int:
    """Return the first index of increasing *values* at or above *limit*."""
    if isinstance(values, range):
        return min(max(-((values.start - limit) // values.step), 0), len(values))
    return bisect.bisect_left(values, limit)


def _days(us: Days, offset: int) -> Days:
    """Return the local days of instants *us* (all at one wall time) at *offset*."""
    if isinstance(us, range):
        first = (us.start + offset) // DAY_US
        return range(first, first + len(us) * (us.step // DAY_US), us.step // DAY_US)
    return [(u + offset) // DAY_US for u in us]


def _split(
    runs: list[Run], windows: list[tuple[int, int]]
) -> tuple[dict[tuple[int, int], list[tuple[Days, Days]]], list[tuple[int, int, int]]]:
    """Split runs into (wall, fold) -> [(local days, instants)], and the doses just after a gap.

    Those (as (UTC µs, local µs, fold)) are grouped one at a time
    (:func:`_groups`); no other dose shares a local time with them.
    """
    bulk: dict[tuple[int, int], list[tuple[Days, Days]]] = {}
    near: list[tuple[int, int, int]] = []
    starts = [a for a, _b in windows]
    for us, offset, fold in runs:
        if not us:
            continue
        cut: list[int] = []
        if fold == 0 and windows:
            top = us[-1] + offset
            k = max(bisect.bisect_right(starts, us[0] + offset) - 1, 0)
            while k < len(windows) and windows[k][0] <= top:
                a, b = windows[k]
                i = _first(us, a - offset)
                if i < len(us) and us[i] + offset < b and (not cut or cut[-1] < i):
                    cut.append(i)
                k += 1
        lo = 0
        for i in [*cut, len(us)]:
            if i > lo:
                part = us[lo:i]
                key = ((part[0] + offset) % DAY_US, fold)
                bulk.setdefault(key, []).append((_days(part, offset), part))
            if i < len(us):
                near.append((us[i], us[i] + offset, fold))
            lo = i + 1
    return bulk, near


def _groups(
    runs: list[Run], span: ZoneSpan, hints: frozenset[int]
) -> dict[tuple[int, int, int], dict[int, int]]:
    """Group instants by (wall time, fold, layer) -> {day: instant}; gap doses join their nominal time.

    A dose just after a DST gap (its time moved forward out of the gap)
    joins the group of its nominal time when that is one of the schedule's
    *hints* and the moved time is not (or is taken already that day).
    Doses at the same local time on the same day (the same instant) go to
    layers 0, 1, ... of their wall time.
    """
    bulk, near = _split(runs, _windows(span) if hints else [])
    groups: dict[tuple[int, int, int], dict[int, int]] = {}
    for (wall, fold), parts in bulk.items():
        days: Days = parts[0][0]
        us: Days = parts[0][1]
        if len(parts) > 1:
            days = list(itertools.chain.from_iterable(d for d, _u in parts))
            us = list(itertools.chain.from_iterable(u for _d, u in parts))
        mapped = dict(zip(days, us, strict=True))
        if len(mapped) == len(days):
            groups[wall, fold, 0] = mapped
            continue
        layers = Counter[int]()
        for day, u in sorted(zip(days, us, strict=True)):
            groups.setdefault((wall, fold, layers[day]), {})[day] = u
            layers[day] += 1
    shadows = sorted((t + y, y - x) for t, x, y, *_ in span.transitions if y > x)
    ends = [end for end, _size in shadows]
    seen: dict[tuple[int, int, int], int] = {}
    for us_one, local, fold in sorted(near):
        day, wall = divmod(local, DAY_US)
        k = bisect.bisect_right(ends, local) - 1
        if k >= 0 and local < shadows[k][0] + shadows[k][1]:
            nday, nwall = divmod(local - shadows[k][1], DAY_US)
            if (
                nwall in hints
                and not seen.get((nwall, 0, nday))
                and (wall not in hints or seen.get((wall, 0, day)))
            ):
                day, wall = nday, nwall
        key = (wall, fold, day)
        layer = seen.get(key, 0)
        seen[key] = layer + 1
        groups.setdefault((wall, fold, layer), {})[day] = us_one
    return groups


def _gap_days(span: ZoneSpan, wall: int) -> set[int]:
    """Return the days on which local time *wall* falls in a DST gap."""
    out: set[int] = set()
    for t, x, y, *_ in span.transitions:
        if y > x:
            lo, hi = t + x, t + y
            out.update(
                d
                for d in range(lo // DAY_US, hi // DAY_US + 1)
                if lo <= d * DAY_US + wall < hi
            )
    return out


def _ruled(
    wall: int, days: dict[int, int], span: ZoneSpan, rule: str | None
) -> tuple[Series | None, list[int]]:
    """Return a series with a rule for one group's *days* (or ``None``), and the instants left out.

    Readers differ on a local time in a DST gap (RFC 5545 reads it with the
    offset before the gap; dateutil's VTIMEZONE with the one after), so a
    rule never starts, ends or keeps an instance in a gap: such days are
    excluded and their doses are left for another series to carry as
    RDATEs at their real local time.
    """
    if len(days) < 2:
        return None, list(days.values())
    gaps = _gap_days(span, wall)
    ordered = sorted(days)
    in_gaps = sorted(gaps.intersection(days))
    core = [d for d in ordered if d not in gaps] if in_gaps else ordered
    if len(core) < 2:
        return None, list(days.values())
    best: tuple[int, str, Days, set[int]] | None = None
    for text, chosen in _candidates(core, rule):
        picked = set(chosen)
        cost = len(picked.symmetric_difference(core)) + 2 * len(picked & gaps)
        if best is None or cost < best[0]:
            best = (cost, text, chosen, picked)
    assert best is not None
    cost, text, chosen, picked = best
    if cost + _OVERHEAD >= len(days):
        return None, list(days.values())
    last = span.instant(chosen[-1] * DAY_US + wall)
    until = (_EPOCH + timedelta(microseconds=last)).strftime("%Y%m%dT%H%M%SZ")
    one = Series(core[0] * DAY_US + wall, start_utc=False, rule=f"{text};UNTIL={until}")
    left = [days[d] for d in in_gaps]
    one.instants = {days[d] for d in core} if in_gaps else set(days.values())
    kept = set(core)
    for d in sorted(picked - kept):
        local = d * DAY_US + wall
        one.exclude(local, span.instant(local))
    one.rdates = [days[d] for d in sorted(kept - picked)]
    return one, left


def _attach(series: list[Series], singles: list[int], span: ZoneSpan) -> None:
    """Add each instant as an RDATE to the first series that takes it, else a new series."""
    for us in sorted(singles):
        local, fold = span.local(us)
        # The second occurrence of an ambiguous time has no TZID form; it goes
        # to a series written in UTC throughout (recurring-ical-events reads
        # a UTC RDATE in a TZID series as a wall time of that zone).
        for one in series:
            if one.start_utc == bool(fold) and one.accepts(us, local // DAY_US):
                one.instants.add(us)
                one.rdates.append(us)
                break
        else:
            new = Series(us if fold else local, start_utc=bool(fold), rule=None)
            new.instants.add(us)
            series.append(new)


def fit(
    runs: list[Run],
    span: ZoneSpan,
    *,
    hints: frozenset[int] = frozenset(),
    rule: str | None = None,
) -> list[Series]:
    """Return series whose expansion is exactly the instants of *runs*.

    Each run holds instants at one local wall time (whole days apart) with
    their UTC offset and fold in the span's zone. *hints* are the
    schedule's wall times (µs into the day), so a dose moved out of a DST
    gap stays in its time's series; *rule* is the schedule's RRULE, tried
    as a candidate when it is a plain date rule. The series are checked
    against the instants; should a rule's instances ever differ, every
    instant is written as an RDATE instead.
    """
    if rule is not None and not _PLAIN_RULE.fullmatch(rule.strip()):
        rule = None
    series: list[Series] = []
    singles: list[int] = []
    groups = _groups(runs, span, hints)
    for (wall, fold, _layer), days in sorted(
        groups.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0])
    ):
        if fold:
            singles.extend(days.values())
            continue
        one, left = _ruled(wall, days, span, rule)
        singles.extend(left)
        if one is not None:
            series.append(one)
    _attach(series, singles, span)
    want = sorted(itertools.chain.from_iterable(us for us, _offset, _fold in runs))
    got = sorted(itertools.chain.from_iterable(one.instants for one in series))
    if got != want:  # pragma: no cover - a safety net; the tests expand every series
        series = []
        _attach(series, want, span)
    return series


_EPOCH: Final = datetime(1970, 1, 1)
