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

import itertools
import math
import operator
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

from ._ics_groups import Group, LocalRun, groups
from ._ics_zone import DAY_US, ZoneSpan
from ._zone_table import Days

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
        "_runs",
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
        #: Instants besides those of the runs (RDATEs, and a set-built rule's).
        self.instants: set[int] = set()
        self._runs: list[Days] = []  # instants of the rule, as runs
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
            and not any(us in run for run in self._runs)
        )

    def expands_to(self) -> Iterable[int]:
        """Return every instant a reader expands (each once)."""
        return itertools.chain(self.instants, *self._runs)


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


def _sets(pieces: Group) -> dict[int, int]:
    return dict(
        zip(
            itertools.chain.from_iterable(d for d, _u in pieces),
            itertools.chain.from_iterable(u for _d, u in pieces),
            strict=True,
        )
    )


def _ruled(
    wall: int, pieces: Group, span: ZoneSpan, rule: str | None
) -> tuple[Series | None, list[int]]:
    """Return a series with a rule for one group (or ``None``), and the instants left out.

    Readers differ on a local time in a DST gap (RFC 5545 reads it with the
    offset before the gap; dateutil's VTIMEZONE with the one after), so a
    rule never starts, ends or keeps an instance in a gap: such days are
    excluded and their doses are left for another series to carry as
    RDATEs at their real local time. A group of ranges in order, without
    an RRULE of its own to try, is fitted range by range
    (:func:`_ruled_runs`); any other day by day (:func:`_ruled_days`).
    """
    pieces = sorted(pieces, key=lambda piece: piece[0][0])
    if (
        rule is not None
        or not all(isinstance(d, range) for d, _u in pieces)
        or not all(p[0][-1] < q[0][0] for p, q in itertools.pairwise(pieces))
    ):
        return _ruled_days(wall, _sets(pieces), span, rule)
    return _ruled_runs(wall, pieces, span)


def _without(
    pieces: Group, gaps: set[int]
) -> tuple[list[tuple[range, Days]], list[int]]:
    """Return the pieces without the *gaps* days (ranges cut around them), and their instants."""
    core: list[tuple[range, Days]] = []
    left: list[int] = []
    for days, us in pieces:
        assert isinstance(days, range)
        start = 0
        for i in sorted(days.index(g) for g in gaps if g in days):
            if i > start:
                core.append((days[start:i], us[start:i]))
            left.append(us[i])
            start = i + 1
        if start < len(days):
            core.append((days[start:], us[start:]))
    return core, left


def _ruled_runs(
    wall: int, pieces: Group, span: ZoneSpan
) -> tuple[Series | None, list[int]]:
    """:func:`_ruled` for days held as ranges in order, without listing the days.

    The candidates are those of :func:`_candidates`; each holds every day
    of the group (its step divides theirs; its weekdays are theirs), so
    its cost is its days minus the group's, plus its gap days, counted by
    arithmetic, and its EXDATEs are the holes between the ranges.
    """
    total = sum(len(d) for d, _u in pieces)
    if total < 2:
        return None, [u for _d, us in pieces for u in us]
    gaps = _gap_days(span, wall)
    core, left = _without(pieces, gaps)
    size = total - len(left)
    if size < 2:
        return None, [u for _d, us in pieces for u in us]
    first, last = core[0][0][0], core[-1][0][-1]
    step = 0
    for days, _us in core:
        step = math.gcd(step, days.start - first, days.step if len(days) > 1 else 0)
    if any(len(days) > 1 and days.step != step for days, _us in core):
        return _ruled_days(wall, _sets(pieces), span, None)
    chosen = range(first, last + 1, step)
    best = (len(chosen) - size + 2 * sum(1 for g in gaps if g in chosen), 0)
    weekdays: set[int] = set()
    for days, _us in core:
        weekdays.update((d + 3) % 7 for d in days[:7])
    if step == 1 and len(weekdays) < 7:
        every = [d for d in range(first, first + 7) if (d + 3) % 7 in weekdays]
        count = sum(len(range(d, last + 1, 7)) for d in every)
        hits = sum(1 for g in gaps if first <= g <= last and (g + 3) % 7 in weekdays)
        best = min(best, (count - size + 2 * hits, 1))
    cost, kind = best
    if cost + _OVERHEAD >= total:
        return None, [u for _d, us in pieces for u in us]
    if kind:
        text = "FREQ=WEEKLY;BYDAY=" + ",".join(_CODES[w] for w in sorted(weekdays))
    else:
        text = "FREQ=DAILY" + (f";INTERVAL={step}" if step > 1 else "")
    until = span.instant(last * DAY_US + wall)
    stamp = (_EPOCH + timedelta(microseconds=until)).strftime("%Y%m%dT%H%M%SZ")
    one = Series(first * DAY_US + wall, start_utc=False, rule=f"{text};UNTIL={stamp}")
    one._runs = [us for _d, us in core]
    for (before, _u), (after, _v) in itertools.pairwise(core):
        holes = range(before[-1] + step, after[0], step)
        for d in holes if not kind else (h for h in holes if (h + 3) % 7 in weekdays):
            local = d * DAY_US + wall
            one.exclude(local, span.instant(local))
    return one, left


def _ruled_days(
    wall: int, days: dict[int, int], span: ZoneSpan, rule: str | None
) -> tuple[Series | None, list[int]]:
    """:func:`_ruled` for a group of *days* (day -> instant), day by day."""
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
    runs: list[LocalRun],
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
    found = groups(runs, span, hints)
    for (wall, fold, _layer), pieces in sorted(
        found.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0])
    ):
        if fold:
            singles.extend(u for _d, us in pieces for u in us)
            continue
        one, left = _ruled(wall, pieces, span, rule)
        singles.extend(left)
        if one is not None:
            series.append(one)
    _attach(series, singles, span)
    want = sorted(itertools.chain.from_iterable(us for us, _offset, _fold in runs))
    got = sorted(itertools.chain.from_iterable(one.expands_to() for one in series))
    if got != want:  # pragma: no cover - a safety net; the tests expand every series
        series = []
        _attach(series, want, span)
    return series


_EPOCH: Final = datetime(1970, 1, 1)
