"""When doses are taken, in local wall-clock time: :class:`Schedule`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, time, timedelta, tzinfo
from decimal import Decimal

import attrs

from ._format import clock, duration
from ._meals import describe_offset
from ._rrule_set import RecurrenceSet
from ._schedule_fields import (
    KIND_KEYS,
    _count,
    _days,
    _Kind,
    _meal_offset,
    _meals,
    _offset,
    _period,
    _weekday_gaps,
)
from ._schedule_times import (
    hours_period,
    parse_time,
    spread_times,
    time_of_day,
    times_of,
)
from ._weekday import Weekday

__all__ = ["KIND_KEYS", "Schedule", "parse_time", "time_of_day"]


@attrs.frozen(kw_only=True)
class Schedule:
    """When doses are taken: which days, and which wall-clock times on them.

    Build one with :meth:`daily`, :meth:`weekly`, :meth:`every`,
    :meth:`cycle`, :meth:`rrule`, :meth:`spread` (n times over a window),
    :meth:`at_meals` (times from the plan's :class:`~regimen.MealTimes`;
    then *meals* and *meal_offset* are set and *times* is empty) or
    :meth:`every_hours` (elapsed time: *period* is the interval and
    *times* holds the first time). Times are naive wall-clock times
    (``"08:30"`` or :class:`~datetime.time`) in the plan's time zone; they
    are kept sorted and unique. Counting for :meth:`every` and :meth:`cycle`
    (and an RRULE's ``DTSTART``) starts on the entry's first day.

    *offset* is elapsed time added after localizing each time (a top-up
    45 minutes into a session that began at 23:30 falls after midnight).

    >>> Schedule.weekly(["MO", "th"], "20:00", "08:00").times
    (datetime.time(8, 0), datetime.time(20, 0))
    """

    kind: _Kind = attrs.field(repr=lambda k: k.value)
    times: tuple[time, ...] = attrs.field(converter=times_of)
    days: frozenset[Weekday] = attrs.field(default=frozenset())
    interval: int = 1
    on_days: int = 0
    off_days: int = 0
    rule: RecurrenceSet | None = attrs.field(
        default=None, repr=lambda r: repr(r and r.text)
    )
    offset: timedelta = attrs.field(default=timedelta(0), converter=_offset)
    meals: tuple[str, ...] = attrs.field(default=(), converter=_meals)
    meal_offset: timedelta = attrs.field(default=timedelta(0), converter=_meal_offset)
    period: timedelta | None = attrs.field(default=None, converter=_period)

    @times.validator
    def _check_times(self, _attribute: object, value: tuple[time, ...]) -> None:
        if self.meals:
            if value or self.kind is _Kind.HOURS:
                msg = "a Schedule at meals has no times of its own; use Schedule.at_meals()"
                raise ValueError(msg)
            return
        if self.meal_offset:
            msg = "Schedule.meal_offset applies to meals only; use Schedule.at_meals()"
            raise ValueError(msg)
        if (self.kind is _Kind.HOURS) != (self.period is not None) or (
            self.kind is _Kind.HOURS and len(value) != 1
        ):
            msg = "build an every-h-hours Schedule with Schedule.every_hours()"
            raise ValueError(msg)
        if not value:
            msg = f"Schedule.{self.kind.value}() needs at least one time of day, like '08:00'"
            raise ValueError(msg)

    @offset.validator
    def _check_kind(self, _attribute: object, _value: timedelta) -> None:
        if not isinstance(self.kind, _Kind):
            msg = (
                "build a Schedule with Schedule.daily(), .weekly(), .every(), .cycle(), "
                ".rrule(), .spread(), .at_meals() or .every_hours()"
            )
            raise TypeError(msg)
        need = {
            _Kind.WEEKLY: bool(self.days),
            _Kind.EVERY: self.interval >= 1,
            _Kind.CYCLE: self.on_days >= 1 and self.off_days >= 0,
            _Kind.RRULE: isinstance(self.rule, RecurrenceSet),
        }
        if not need.get(self.kind, True):
            msg = f"Schedule of kind {self.kind.value!r} is incomplete; use Schedule.{self.kind.value}()"
            raise ValueError(msg)

    @classmethod
    def daily(cls, *times: time | str) -> Schedule:
        """Every day at *times*.

        >>> Schedule.daily("08:00", "13:00").times
        (datetime.time(8, 0), datetime.time(13, 0))
        """
        return cls(kind=_Kind.DAILY, times=times)

    @classmethod
    def weekly(
        cls, days: Iterable[Weekday | str] | Weekday | str, *times: time | str
    ) -> Schedule:
        """On the given weekdays (``Weekday`` or codes like ``"MO"``) at *times*."""
        chosen = _days(days)
        if not chosen:
            msg = "Schedule.weekly() needs at least one weekday, like ['MO', 'TH']"
            raise ValueError(msg)
        return cls(kind=_Kind.WEEKLY, times=times, days=chosen)

    @classmethod
    def every(cls, n_days: int, *times: time | str) -> Schedule:
        """Every *n_days* days, counted from the entry's first day, at *times*."""
        n = _count(n_days, field="Schedule.every() n_days", minimum=1)
        return cls(kind=_Kind.EVERY, times=times, interval=n)

    @classmethod
    def cycle(cls, on_days: int, off_days: int, *times: time | str) -> Schedule:
        """*on_days* days on, then *off_days* off, repeating, at *times*.

        >>> s = Schedule.cycle(5, 2, "08:00")
        >>> [d.day for d in s.dates(date(2027, 1, 1), date(2027, 1, 10), anchor=date(2027, 1, 1))]
        [1, 2, 3, 4, 5, 8, 9, 10]
        """
        on = _count(on_days, field="Schedule.cycle() on_days", minimum=1)
        off = _count(off_days, field="Schedule.cycle() off_days", minimum=0)
        return cls(kind=_Kind.CYCLE, times=times, on_days=on, off_days=off)

    @classmethod
    def rrule(cls, rule: str, *times: time | str) -> Schedule:
        r"""On the occurrences of an RFC 5545 recurrence rule, at *times* or the rule's own.

        *rule* is an ``RRULE`` value (``"FREQ=WEEKLY;BYDAY=MO"``) or
        iCalendar content lines as a calendar writes them (``DTSTART``,
        ``RRULE``, ``EXDATE``, ``RDATE``; folded or not, LF or CRLF).
        ``COUNT`` and ``UNTIL`` bound it, ``DTSTART`` anchors ``INTERVAL``
        and ``COUNT`` (the entry's and plan's dates still bound the result).
        Without *times*, ``BYHOUR``/``BYMINUTE``/``BYSECOND``, DTSTART's
        time or ``FREQ=HOURLY``/``MINUTELY`` give the times of day. A
        ``TZID`` must be the plan's zone. What cannot be expressed
        (``SECONDLY``, ``EXRULE``, a rule that can never match, ...)
        raises ``ValueError`` saying why and what to write instead.

        >>> s = Schedule.rrule("FREQ=MONTHLY;BYDAY=-1FR", "09:00")
        >>> [str(d) for d in s.dates(date(2027, 1, 1), date(2027, 3, 31), anchor=date(2027, 1, 1))]
        ['2027-01-29', '2027-02-26', '2027-03-26']
        >>> s = Schedule.rrule("DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=3;BYHOUR=8,20")
        >>> [(str(d), [str(t) for t in ts]) for d, ts in s.occurrences(
        ...     date(2027, 3, 1), date(2027, 3, 31), anchor=date(2027, 3, 1))]
        [('2027-03-01', ['20:00:00']), ('2027-03-02', ['08:00:00', '20:00:00'])]
        """
        rules = RecurrenceSet.parse(rule, times_given=bool(times))
        return cls(kind=_Kind.RRULE, times=times or rules.times_of_day(), rule=rules)

    @classmethod
    def spread(
        cls,
        n: int,
        between: tuple[time | str, time | str] = ("08:00", "22:00"),
        *,
        days: Iterable[Weekday | str] | Weekday | str | None = None,
    ) -> Schedule:
        """*n* doses a day evenly spread from the first to the last time of *between*.

        Every day, or on *days* (weekdays, as for :meth:`weekly`). The
        result is an ordinary daily or weekly schedule with the times
        worked out: time *i* (from 0) is ``start + i * (end - start) / (n - 1)``
        minutes, rounded to the minute with halves rounded up; n = 1 is the
        window's start. The window's times are whole minutes and it may not
        cross midnight (use two schedules); *n* is at most one more than
        the minutes in the window. Raises ``ValueError`` saying which.

        >>> [t.isoformat("minutes") for t in Schedule.spread(3, ("08:00", "22:00")).times]
        ['08:00', '15:00', '22:00']
        """
        if not isinstance(between, tuple | list) or len(between) != 2:
            msg = f"Schedule.spread() between must be two times like ('08:00', '22:00') (got {between!r})"
            raise TypeError(msg)
        start = parse_time(between[0], field="Schedule.spread() between start")
        end = parse_time(between[1], field="Schedule.spread() between end")
        times = spread_times(n, start, end)
        if days is None:
            return cls.daily(*times)
        return cls.weekly(days, *times)

    @classmethod
    def at_meals(
        cls,
        *meals: str,
        offset: timedelta | str = timedelta(0),
        days: Iterable[Weekday | str] | Weekday | str | None = None,
    ) -> Schedule:
        """At the plan's meal times (``wake``, ``breakfast``, ``lunch``, ``dinner``, ``bedtime``).

        Each time is the meal's time in :attr:`Plan.meal_times <regimen.Plan.meal_times>`
        plus *offset* in local wall time (``"-30 min"`` is 30 minutes
        before; at most 12 h either way). Every day, or on *days*. A dose
        without a meal relation of its own gets one from the offset:
        ``BEFORE`` if negative, ``WITH`` if zero, ``AFTER`` if positive
        (none for wake and bedtime). A time that would leave the meal's
        day is refused when the plan is built.

        >>> Schedule.at_meals("breakfast", "dinner", offset="-30 min").describe()
        'daily 30 min before breakfast, dinner'
        """
        if not meals:
            msg = "Schedule.at_meals() needs at least one meal, like 'breakfast'"
            raise ValueError(msg)
        if days is None:
            return cls(kind=_Kind.DAILY, times=(), meals=meals, meal_offset=offset)
        chosen = _days(days)
        if not chosen:
            msg = (
                "Schedule.at_meals() days needs at least one weekday, like ['MO', 'TH']"
            )
            raise ValueError(msg)
        return cls(
            kind=_Kind.WEEKLY, times=(), days=chosen, meals=meals, meal_offset=offset
        )

    @classmethod
    def every_hours(
        cls,
        hours: timedelta | str | int | Decimal | float,
        *,
        first: time | str = "06:00",
    ) -> Schedule:
        """Every *hours* of elapsed time, from *first* on the entry's first day.

        *hours* is a number of hours (``8``, ``1.5``), a timedelta or text
        (``"8 h"``, ``"90 min"``): whole minutes, from 1 minute to 7 days;
        it need not divide 24 h. The chain starts at *first* (local wall
        time) on the entry's first day (else the plan's) and then steps in
        UTC, so doses stay exactly *hours* apart across DST changes while
        their wall-clock times move. A break removes the doses whose local
        date it covers, keeping the chain's phase.

        >>> Schedule.every_hours(8, first="06:00").describe()
        'every 8 h from 06:00'
        """
        return cls(
            kind=_Kind.HOURS,
            times=(parse_time(first, field="Schedule.every_hours() first"),),
            period=hours_period(hours),
        )

    def shifted(self, offset: timedelta | str) -> Schedule:
        """Return this schedule with *offset* more elapsed time after each time.

        >>> Schedule.daily("23:30").shifted("45 min").offset
        datetime.timedelta(seconds=2700)
        """
        return attrs.evolve(self, offset=self.offset + _offset(offset))

    def dates(
        self,
        first: date,
        last: date,
        *,
        anchor: date,
        spend: Callable[[int], None] | None = None,
        zone: tzinfo = UTC,
    ) -> Iterator[date]:
        """Yield the dates in [first, last] this schedule is active on.

        *anchor* is the first day of the entry (where counting starts for
        :meth:`every`, :meth:`cycle` and RRULE intervals); nothing before it
        is yielded. The work is proportional to the dates yielded, except
        for RRULEs, which scan candidate days: *spend* (if given) is called
        with each batch of candidates before it is scanned, so a caller can
        bound that work by raising from it. *zone* is the plan's (an
        RRULE's ``UNTIL``, ``EXDATE`` or ``RDATE`` in UTC is read in it).
        """
        lo = max(first, anchor)
        if self.kind is _Kind.RRULE:
            for day, _times in self.occurrences(
                lo, last, anchor=anchor, spend=spend, zone=zone
            ):
                yield day
            return
        if lo > last:
            return
        # An every-h-hours chain may dose on any day: its days are all days.
        if self.kind is _Kind.WEEKLY:
            gaps = _weekday_gaps(self.days)
            chosen = {d.index for d in self.days}
            # The first chosen weekday on or after lo, then one gap at a time.
            ahead = 0 if lo.weekday() in chosen else gaps[lo.weekday()]
            left = (last - lo).days - ahead
            day = lo + timedelta(days=ahead)
            while left >= 0:
                yield day
                gap = gaps[day.weekday()]
                left -= gap
                if left >= 0:
                    day += timedelta(days=gap)
            return
        period = (
            self.interval if self.kind is _Kind.EVERY else self.on_days + self.off_days
        )
        on = 1 if self.kind is _Kind.EVERY else self.on_days
        if self.kind in (_Kind.DAILY, _Kind.HOURS):
            period = on = 1
        n, stop = (lo - anchor).days, (last - anchor).days
        while n <= stop:
            position = n % period
            if position < on:
                yield anchor + timedelta(days=n)
                n += 1
            else:
                n += period - position

    def occurrences(
        self,
        first: date,
        last: date,
        *,
        anchor: date,
        spend: Callable[[int], None] | None = None,
        zone: tzinfo = UTC,
    ) -> Iterator[tuple[date, tuple[time, ...]]]:
        """Yield each active date in [first, last] with its wall-clock times.

        The times are :attr:`times` every day, except for an RRULE whose
        ``COUNT``, ``UNTIL``, ``HOURLY``/``MINUTELY`` steps, ``EXDATE`` or
        ``RDATE`` select times one by one. Arguments as for :meth:`dates`.
        """
        if self.kind is not _Kind.RRULE:
            for day in self.dates(first, last, anchor=anchor):
                yield day, self.times
            return
        assert self.rule is not None
        yield from self.rule.occurrences(
            max(first, anchor),
            last,
            anchor=anchor,
            tz=zone,
            times=self.times,
            spend=spend,
        )

    def count_dates(self, first: date, last: date, *, anchor: date) -> int | None:
        """Return how many dates :meth:`dates` yields, without yielding them.

        Constant time for every kind but RRULE, for which it returns
        ``None`` (count the dates instead).

        >>> Schedule.cycle(5, 2, "08:00").count_dates(date(2027, 1, 1), date(2027, 1, 10),
        ...                                           anchor=date(2027, 1, 1))
        8
        """
        lo = max(first, anchor)
        if self.kind is _Kind.RRULE:
            return None
        if lo > last:
            return 0
        if self.kind is _Kind.WEEKLY:
            total = (last - lo).days + 1
            start = lo.weekday()
            return sum((total - (d.index - start) % 7 + 6) // 7 for d in self.days)
        if self.kind in (_Kind.DAILY, _Kind.HOURS):
            period = on = 1
        elif self.kind is _Kind.EVERY:
            period, on = self.interval, 1
        else:
            period, on = self.on_days + self.off_days, self.on_days

        def before(n: int) -> int:  # active offsets in [0, n)
            return (n // period) * on + min(n % period, on)

        return before((last - anchor).days + 1) - before((lo - anchor).days)

    def describe(self) -> str:
        """Say in words when this schedule is active (for summaries).

        >>> Schedule.cycle(5, 2, "08:00").describe()
        '5 days on, 2 off at 08:00'
        """
        at = "at " + ", ".join(clock(t) for t in self.times)
        if self.meals:
            at = describe_offset(self.meals[0], self.meal_offset) + "".join(
                f", {m}" for m in self.meals[1:]
            )
        extra = f" (+{self.offset})" if self.offset else ""
        if self.kind is _Kind.HOURS:
            assert self.period is not None
            return f"every {duration(self.period)} from {clock(self.times[0])}{extra}"
        if self.kind is _Kind.DAILY:
            when = "daily"
        elif self.kind is _Kind.WEEKLY:
            when = "on " + ",".join(
                d.value for d in sorted(self.days, key=lambda d: d.index)
            )
        elif self.kind is _Kind.EVERY:
            when = f"every {self.interval} days"
        elif self.kind is _Kind.CYCLE:
            when = f"{self.on_days} days on, {self.off_days} off"
        else:
            assert self.rule is not None
            when = "per " + " ".join(self.rule.text.split())
        return f"{when} {at}{extra}" if self.times or self.meals else f"{when}{extra}"
