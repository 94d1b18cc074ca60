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
import math
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

from ._ics_zone import DAY_US, ZoneSpan

__all__ = ["Series", "fit"]

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


def _candidates(days: list[int], rule: str | None) -> Iterable[tuple[str, list[int]]]:
    """Yield (RRULE without UNTIL, the days it selects) for *days* (sorted, distinct)."""
    step = 0
    for d in days[1:]:
        step = math.gcd(step, d - days[0])
    yield (
        "FREQ=DAILY" + (f";INTERVAL={step}" if step > 1 else ""),
        list(range(days[0], days[-1] + 1, step)),
    )
    weekdays = {(d + 3) % 7 for d in days}
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


def _groups(
    events: list[tuple[int, int, int]], span: ZoneSpan, hints: frozenset[int]
) -> dict[tuple[int, int, int], dict[int, int]]:
    """Group events by (wall time, fold, layer) -> {day: instant}; gap doses join their nominal time."""
    shadows = sorted((t + y, y - x) for t, x, y, *_ in span.transitions if y > x)
    ends = [end for end, _size in shadows]
    seen: dict[tuple[int, int, int], int] = {}
    groups: dict[tuple[int, int, int], dict[int, int]] = {}
    for us, local, fold in events:
        day, wall = divmod(local, DAY_US)
        if fold == 0 and hints and shadows:
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
        group = groups.get((wall, fold, layer))
        if group is None:
            group = groups[wall, fold, layer] = {}
        group[day] = us
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
    core = [d for d in ordered if d not in gaps]
    if len(core) < 2:
        return None, list(days.values())
    best: tuple[int, str, list[int]] | None = None
    for text, chosen in _candidates(core, rule):
        picked = set(chosen)
        cost = len(picked.symmetric_difference(core)) + 2 * len(picked & gaps)
        if best is None or cost < best[0]:
            best = (cost, text, chosen)
    assert best is not None
    cost, text, chosen = best
    if cost + _OVERHEAD >= len(days):
        return None, list(days.values())
    last = span.instant(chosen[-1] * DAY_US + wall)
    until = (_EPOCH + timedelta(microseconds=last)).strftime("%Y%m%dT%H%M%SZ")
    one = Series(core[0] * DAY_US + wall, start_utc=False, rule=f"{text};UNTIL={until}")
    picked = set(chosen)
    for d in chosen:
        if d in days and d not in gaps:
            one.instants.add(days[d])
        else:
            local = d * DAY_US + wall
            one.exclude(local, span.instant(local))
    left: list[int] = []
    for d in ordered:
        if d in gaps:
            left.append(days[d])
        elif d not in picked:
            one.instants.add(days[d])
            one.rdates.append(days[d])
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
    events: list[tuple[int, int, int]],
    span: ZoneSpan,
    *,
    hints: frozenset[int] = frozenset(),
    rule: str | None = None,
) -> list[Series]:
    """Return series whose expansion is exactly *events* (sorted (UTC µs, local µs, fold)).

    *hints* are the schedule's wall times (µs into the day), so a dose moved
    out of a DST gap stays in its time's series; *rule* is the schedule's
    RRULE, tried as a candidate when it is a plain date rule. The series
    are checked against *events*; should a rule's instances ever differ,
    every instant is written as an RDATE instead.
    """
    if rule is not None and not _PLAIN_RULE.fullmatch(rule.strip()):
        rule = None
    series: list[Series] = []
    singles: list[int] = []
    groups = _groups(events, span, hints)
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
    want = Counter(us for us, _local, _fold in events)
    got = Counter(us for one in series for us in one.instants)
    if got != want:  # pragma: no cover - a safety net; the tests expand every series
        series = []
        _attach(series, list(want.elements()), span)
    return series


_EPOCH: Final = datetime(1970, 1, 1)
