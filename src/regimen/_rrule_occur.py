"""The occurrences of a :class:`~regimen._rrule_set.RecurrenceSet`, day by day.

The date rule selects days from DTSTART's (or the entry's first) day; each
day gets its times of day (the schedule's, ``BYHOUR``/``BYMINUTE``/
``BYSECOND`` with DTSTART's time filling the rest, or the ``HOURLY`` and
``MINUTELY`` steps counted in wall time from DTSTART). Times before DTSTART
are dropped; ``COUNT`` counts from DTSTART (the days before the window are
counted, not yielded); ``UNTIL`` is compared exactly, an instant in UTC
against each dose localized in the plan's zone. ``RDATE`` adds and
``EXDATE`` removes afterwards (neither is counted, as in RFC 5545). The
work is the rule's scan, which *spend* is charged with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Final

import attrs

from ._limits import MAX_DATE, MAX_MOMENT, MIN_MOMENT
from ._rrule import _fail
from ._timezone import localize

if TYPE_CHECKING:
    from ._rrule_lines import Value
    from ._rrule_set import RecurrenceSet

__all__ = ["FILE_PERIODS", "check_matches", "file_budget", "occurrences"]

_DAY: Final = timedelta(days=1)
#: How many periods the search for a rule's first match from DTSTART visits
#: before it gives up (and leaves the rule to expansion's budget): enough for
#: every other month from DTSTART to 9998.
_FIRST_MATCH_PERIODS: Final = 100_000
#: How many periods the checks of all recurrence rules of one file (plan
#: file or calendar) may visit in all while it loads: a few hundred per rule
#: for hundreds of rules, far above what real files need (a rule's check
#: usually stops in its first periods), so that no file can make loading
#: scan for minutes, however many distinct rules it holds.
FILE_PERIODS: Final = 100_000
_FILE_LEFT: ContextVar[list[int] | None] = ContextVar("_FILE_LEFT", default=None)
#: Rules (with INTERVAL=1) already found to match some day, or never to.
_EVER: dict[object, bool] = {}
_MAX_EVER: Final = 4096
_PER_DAY: Final = {"HOURLY": 24, "MINUTELY": 1440}
_Until = tuple[datetime, datetime | None]  # naive bound, and the instant if in UTC
_Times = tuple[time, ...]


def _local(value: datetime, tz: tzinfo) -> datetime:
    """Return the naive wall time in *tz* of the UTC instant *value*."""
    moment = min(max(value, MIN_MOMENT), MAX_MOMENT)
    return moment.astimezone(tz).replace(tzinfo=None)


def _until(rs: RecurrenceSet, tz: tzinfo) -> _Until | None:
    until = rs.until
    if until is None:
        return None
    if not isinstance(until, datetime):
        return datetime.combine(until, time.max), None
    if until.tzinfo is None:
        return until, None
    return _local(until, tz), min(max(until, MIN_MOMENT), MAX_MOMENT)


def _before(day: date, at: time, until: _Until, tz: tzinfo) -> bool:
    """Tell whether the dose at *at* on *day* is not after UNTIL."""
    naive, instant = datetime.combine(day, at), until[1]
    if instant is None or naive < until[0] - _DAY:
        return naive <= until[0]
    if naive > until[0] + _DAY:
        return False
    return localize(day, at, tz) <= instant


def _from_rule(
    rs: RecurrenceSet,
    bounds: tuple[date, date, date],
    tz: tzinfo,
    times: _Times,
    spend: Callable[[int], None] | None,
) -> Iterator[tuple[date, _Times]]:
    """Yield the rule's days in [first, last] with their times, COUNT and UNTIL applied."""
    first, last, anchor = bounds
    start = rs.dtstart if rs.dtstart is not None else anchor
    start_day = start.date() if isinstance(start, datetime) else start
    begins = start.time() if isinstance(start, datetime) else None
    until = _until(rs, tz)
    scan_hi = last
    if until is not None and until[0].date() < last:
        scan_hi = until[0].date() + _DAY
    lo = max(first, start_day)
    scan_lo = start_day if rs.count is not None else lo
    if scan_lo > scan_hi:
        return
    sub = rs.freq in _PER_DAY
    plain = times if rs.times_given else rs.day_times()
    cache: dict[int, _Times] = {}
    left = rs.count
    for day in rs.rule.dates(scan_lo, scan_hi, anchor=start_day, spend=spend):
        walls = plain
        if sub:
            offset = (day - start_day).days
            key = offset % rs.interval
            if key not in cache:
                cache[key] = rs.walls(offset)
            walls = cache[key]
        if begins is not None and day == start_day and not rs.times_given:
            walls = tuple(t for t in walls if t >= begins)
        done = False
        if until is not None:
            kept = tuple(t for t in walls if _before(day, t, until, tz))
            done, walls = len(kept) < len(walls), kept
        if left is not None and walls:
            if rs.times_given:
                left -= 1
            else:
                walls = walls[:left]
                left -= len(walls)
        if walls and day >= lo:
            yield day, walls
        if done or left == 0:
            return


def occurrences(
    rs: RecurrenceSet,
    bounds: tuple[date, date, date],
    tz: tzinfo,
    times: _Times,
    spend: Callable[[int], None] | None,
) -> Iterator[tuple[date, _Times]]:
    """Yield each day in [first, last] that has occurrences, with their sorted times.

    *bounds* are the first and last day wanted and the entry's first day
    (DTSTART's day when the rule has none); *times* are the schedule's.
    """
    first, last, _anchor = bounds
    if first > last:
        return
    plain = times if rs.times_given or rs.freq in _PER_DAY else rs.day_times()
    if rs.freq in _PER_DAY and not rs.times_given:
        plain = (rs.start_time(),)
    added: dict[date, set[time]] = {}
    for value in rs.rdates:
        day, walls = _split(value, tz, plain)
        if first <= day <= last:
            added.setdefault(day, set()).update(walls)
    gone_days = {v for v in rs.exdates if not isinstance(v, datetime)}
    gone: set[tuple[date, time]] = set()
    for value in rs.exdates:
        if isinstance(value, datetime):
            day, (at,) = _split(value, tz, ())
            gone.add((day, at))
    extra = sorted(added.items())
    k = 0
    for day, walls in _from_rule(rs, bounds, tz, times, spend):
        while k < len(extra) and extra[k][0] < day:
            yield from _kept(*extra[k], gone_days, gone)
            k += 1
        joined: _Times | set[time] = walls
        if k < len(extra) and extra[k][0] == day:
            joined = extra[k][1].union(walls)
            k += 1
        yield from _kept(day, joined, gone_days, gone)
    for more in extra[k:]:
        yield from _kept(*more, gone_days, gone)


def _split(value: Value, tz: tzinfo, plain: _Times) -> tuple[date, _Times]:
    if not isinstance(value, datetime):
        return value, plain
    if value.tzinfo is not None:
        value = _local(value, tz)
    return value.date(), (value.time(),)


def _kept(
    day: date,
    walls: _Times | set[time],
    gone_days: set[Value],
    gone: set[tuple[date, time]],
) -> Iterator[tuple[date, _Times]]:
    if day in gone_days:
        return
    kept = tuple(sorted(t for t in walls if (day, t) not in gone))
    if kept:
        yield day, kept


class _OutOfTimeError(Exception):
    """The scan for a first match took longer than a parse may."""


class _OverFileBudgetError(Exception):
    """The checks of one file's rules have visited :data:`FILE_PERIODS` periods."""


@contextmanager
def file_budget() -> Iterator[None]:
    """Share :data:`FILE_PERIODS` among the rule checks made inside (one file's load)."""
    token = _FILE_LEFT.set([FILE_PERIODS])
    try:
        yield
    finally:
        _FILE_LEFT.reset(token)


def _charge_file() -> None:
    shared = _FILE_LEFT.get()
    if shared is not None:
        shared[0] -= 1
        if shared[0] < 0:
            raise _OverFileBudgetError


def _ever(rule: object, scan: Callable[[], bool]) -> bool:
    """Return whether *rule* (with INTERVAL=1) selects some day, scanning once per rule."""
    found = _EVER.get(rule)
    if found is None:
        if len(_EVER) >= _MAX_EVER:
            _EVER.clear()
        found = _EVER[rule] = scan()
    return found


def check_matches(text: str, rs: RecurrenceSet) -> None:
    """Refuse a rule that selects no day ever, or none from DTSTART to 9998-12-31.

    Inside :func:`file_budget` the periods visited count against the file's
    budget; past it the rule is refused with a message that says so.
    """
    try:
        _check_matches(text, rs)
    except _OverFileBudgetError:
        raise _fail(
            text,
            f"is one rule too many to check: this file's recurrence rules have "
            f"already been scanned over {FILE_PERIODS} periods (months, weeks "
            "or years) in all; give fewer or simpler rules (entries can share "
            "one), or split the plan into several files",
        ) from None


def _check_matches(text: str, rs: RecurrenceSet) -> None:
    rule = rs.rule
    if not (
        rule.bymonthday
        or rule.byyearday
        or rule.byweekno
        or rule.byday
        or rule.bynthday
    ):
        ever = True  # the entry's first day fills in the day: it matches
    else:
        # Every shape of year, month and week occurs in 2000-2028.
        once = attrs.evolve(rule, interval=1)
        ever = _ever(
            once,
            lambda: (
                next(
                    once.dates(
                        date(2000, 1, 1),
                        date(2028, 12, 31),
                        anchor=date(2000, 1, 1),
                        spend=lambda _steps: _charge_file(),
                    ),
                    None,
                )
                is not None
            ),
        )
    if not ever:
        why = "no date has all of its BY parts at once"
        if rule.bysetpos:
            why += ", at the positions BYSETPOS picks"
        raise _fail(
            text,
            f"can never match: {why}; check the numbers (February has 28 or 29 "
            "days, a week one of each weekday)",
        )
    if rs.freq in _PER_DAY and not rs.times_of_day():
        raise _fail(
            text,
            f"can never match: FREQ={rs.freq};INTERVAL={rs.interval} from "
            "DTSTART's time never reaches its BYHOUR/BYMINUTE; check the numbers",
        )
    if rs.dtstart is None or rs.rdates:  # RDATEs alone may make the series
        return
    start = rs.dtstart.date() if isinstance(rs.dtstart, datetime) else rs.dtstart
    end = MAX_DATE
    if rs.until is not None:
        bound = rs.until.date() if isinstance(rs.until, datetime) else rs.until
        if isinstance(rs.until, datetime) and rs.until.tzinfo is not None:
            bound += _DAY  # an instant: its day in the plan's zone may be the next
        end = min(end, bound)
    left = [_FIRST_MATCH_PERIODS]

    def spend(_steps: int) -> None:  # one call per period (per year for DAILY)
        _charge_file()
        left[0] -= 1
        if left[0] < 0:
            raise _OutOfTimeError

    try:
        found = next(rule.dates(start, end, anchor=start, spend=spend), None)
    except _OutOfTimeError:
        return  # rare but not shown impossible: expansion's budget bounds it
    if found is None:
        raise _fail(
            text,
            f"selects no day from DTSTART ({start}) to "
            + (
                "its UNTIL"
                if end < MAX_DATE
                else "9998-12-31, the last date regimen plans"
            ),
        )
