"""RFC 5545 recurrence rules that select dates, parsed from untrusted text.

Only date-selecting rules are accepted (``FREQ`` of ``DAILY``, ``WEEKLY``,
``MONTHLY`` or ``YEARLY``); the times of day come from the schedule. The
periods the rule's ``INTERVAL`` selects are visited in order and each shape
of period is scanned once (:mod:`regimen._rrule_scan`), so a rule that
never matches (February 30) is cheap, and the work left is reported to the
caller's budget, so nothing in a rule can make expansion loop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Final

import attrs

from ._rrule_scan import isleap, month_days, scan
from ._weekday import Weekday

__all__ = ["RecurrenceRule"]

_MAX_ORDINAL: Final = date.max.toordinal()

_FREQS: Final = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_SUBDAILY: Final = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
_RANGES: Final = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
}
_BYDAY: Final = re.compile(r"([+-]?)([0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_MAX_INTERVAL: Final = 10_000
_ONE_DAY: Final = timedelta(days=1)


def _fail(text: str, why: str) -> ValueError:
    return ValueError(f"recurrence rule {text!r}: {why}")


def _ints(text: str, key: str, raw: str) -> frozenset[int]:
    low, high, signed = _RANGES[key]
    values = set()
    for item in raw.split(","):
        if not re.fullmatch(r"[+-]?[0-9]{1,4}", item):
            raise _fail(text, f"{key} value {item!r} is not a whole number")
        value = int(item)
        if value < 0 and not signed:
            raise _fail(text, f"{key} value {item!r} must be {low} to {high}")
        if not low <= abs(value) <= high:
            span = f"{low} to {high}" + (f" or -{high} to -{low}" if signed else "")
            raise _fail(text, f"{key} value {item!r} is out of range ({span})")
        values.add(value)
    return frozenset(values)


@attrs.frozen
class RecurrenceRule:
    """A parsed, validated date-selecting RRULE (see the module docstring)."""

    text: str
    freq: str
    interval: int = 1
    bymonth: frozenset[int] = frozenset()
    bymonthday: frozenset[int] = frozenset()
    byyearday: frozenset[int] = frozenset()
    byweekno: frozenset[int] = frozenset()
    bysetpos: frozenset[int] = frozenset()
    byday: frozenset[int] = frozenset()  # plain weekdays, 0 = Monday
    bynthday: frozenset[tuple[int, int]] = frozenset()  # (n, weekday)
    wkst: int = 0

    @classmethod
    def parse(cls, text: str) -> RecurrenceRule:
        """Parse and check *text*; raise ``ValueError`` saying what is wrong."""
        if not isinstance(text, str):
            msg = f"a recurrence rule must be text like 'FREQ=WEEKLY;BYDAY=MO' (got {text!r})"
            raise TypeError(msg)
        body = text.strip()
        if body.upper().startswith("RRULE:"):
            body = body[6:]
        parts = cls.split(text, body)
        for key in ("DTSTART", "COUNT", "UNTIL"):
            if key in parts:
                raise _fail(
                    text,
                    f"{key} is not allowed in the rule; the plan's and entry's "
                    "start and end dates bound it",
                )
        for key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            if key in parts:
                raise _fail(
                    text,
                    f"{key} is not allowed; give times of day as the schedule's times",
                )
        return cls._from_parts(text, parts)

    @classmethod
    def split(cls, text: str, body: str) -> dict[str, str]:
        """Split an RRULE *body* into its upper-cased parts; raise naming *text*."""
        if not body or len(body) > 1000:
            raise _fail(text, "give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'")
        parts: dict[str, str] = {}
        for part in body.upper().split(";"):
            key, sep, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or not key or not value:
                raise _fail(text, f"{part!r} is not KEY=VALUE")
            if key in parts:
                raise _fail(text, f"{key} appears twice")
            parts[key] = value
        return parts

    @classmethod
    def _from_parts(cls, text: str, parts: dict[str, str]) -> RecurrenceRule:
        """Build the rule from its date-selecting *parts* (see :meth:`split`)."""
        known = {"FREQ", "INTERVAL", "WKST", "BYDAY", *_RANGES}
        unknown = sorted(set(parts) - known)
        if unknown:
            raise _fail(text, f"unknown part {unknown[0]!r}")
        freq = parts.get("FREQ")
        if freq is None:
            raise _fail(text, "FREQ is missing")
        if freq in _SUBDAILY:
            raise _fail(
                text,
                f"FREQ={freq} repeats within a day; use FREQ=DAILY and give "
                "the times of day as the schedule's times",
            )
        if freq not in _FREQS:
            raise _fail(text, f"FREQ must be one of {', '.join(_FREQS)} (got {freq!r})")
        interval = 1
        if "INTERVAL" in parts:
            raw = parts["INTERVAL"]
            if (
                not (raw.isascii() and raw.isdigit())
                or not 1 <= int(raw) <= _MAX_INTERVAL
            ):
                raise _fail(
                    text,
                    f"INTERVAL must be a whole number from 1 to {_MAX_INTERVAL} (got {raw!r})",
                )
            interval = int(raw)
        wkst = 0
        if "WKST" in parts:
            try:
                wkst = Weekday(parts["WKST"]).index
            except ValueError:
                raise _fail(
                    text, f"WKST {parts['WKST']!r} is not a weekday code"
                ) from None
        ints = {key: _ints(text, key, parts[key]) for key in _RANGES if key in parts}
        byday: set[int] = set()
        bynthday: set[tuple[int, int]] = set()
        if "BYDAY" in parts:
            for item in parts["BYDAY"].split(","):
                m = _BYDAY.fullmatch(item.strip())
                if m is None:
                    raise _fail(
                        text, f"BYDAY value {item!r} is not like MO, 2TU or -1FR"
                    )
                day = Weekday(m[3]).index
                if m[2] is None:
                    if m[1]:
                        raise _fail(
                            text, f"BYDAY value {item!r} has a sign but no number"
                        )
                    byday.add(day)
                    continue
                n = int(m[2]) * (-1 if m[1] == "-" else 1)
                if not 1 <= abs(n) <= 53:
                    raise _fail(
                        text, f"BYDAY value {item!r}: the number must be 1 to 53"
                    )
                bynthday.add((n, day))
        _check_combinations(text, freq, ints, byday, bynthday)
        return cls(
            text=text.strip(),
            freq=freq,
            interval=interval,
            bymonth=ints.get("BYMONTH", frozenset()),
            bymonthday=ints.get("BYMONTHDAY", frozenset()),
            byyearday=ints.get("BYYEARDAY", frozenset()),
            byweekno=ints.get("BYWEEKNO", frozenset()),
            bysetpos=ints.get("BYSETPOS", frozenset()),
            byday=frozenset(byday),
            bynthday=frozenset(bynthday),
            wkst=wkst,
        )

    def dates(
        self,
        first: date,
        last: date,
        *,
        anchor: date,
        spend: Callable[[int], None] | None = None,
    ) -> Iterator[date]:
        """Yield the dates in [first, last] the rule selects, counting from *anchor*.

        *anchor* plays the part of DTSTART: periods (weeks, months, years)
        are counted from it for ``INTERVAL``, parts the rule leaves out are
        taken from it (a ``WEEKLY`` rule without ``BYDAY`` repeats on the
        anchor's weekday), and no date before it is selected. Only the
        periods ``INTERVAL`` selects are visited; *spend*, if given, is
        called with the number of candidate days of each period before they
        are scanned (so a caller can bound the work by raising from it).

        >>> rule = RecurrenceRule.parse("FREQ=MONTHLY;INTERVAL=5")
        >>> [str(d) for d in rule.dates(date(2027, 1, 1), date(2028, 6, 30),
        ...                             anchor=date(2026, 11, 15))]
        ['2027-04-15', '2027-09-15', '2028-02-15']
        """
        lo = max(first, anchor)
        if lo > last:
            return
        rule = self._with_defaults(anchor)
        start: date | None = rule._period_start(lo)
        assert start is not None
        start = rule._advance(start, -rule._period_index(start, anchor) % rule.interval)
        if start is not None:
            yield from scan(rule, start, lo, last, spend)

    # -- internals -----------------------------------------------------------

    def _with_defaults(self, anchor: date) -> RecurrenceRule:
        if (
            self.byweekno
            or self.byyearday
            or self.bymonthday
            or self.byday
            or self.bynthday
        ):
            return self
        if self.freq == "YEARLY":
            return attrs.evolve(
                self,
                bymonth=self.bymonth or frozenset({anchor.month}),
                bymonthday=frozenset({anchor.day}),
            )
        if self.freq == "MONTHLY":
            return attrs.evolve(self, bymonthday=frozenset({anchor.day}))
        if self.freq == "WEEKLY":
            return attrs.evolve(self, byday=frozenset({anchor.weekday()}))
        return self

    def _period_start(self, day: date) -> date:
        if self.freq == "DAILY":
            return day
        if self.freq == "WEEKLY":
            return day - timedelta(days=(day.weekday() - self.wkst) % 7)
        if self.freq == "MONTHLY":
            return day.replace(day=1)
        return day.replace(month=1, day=1)

    def _advance(self, start: date, periods: int) -> date | None:
        """Return the start of the period *periods* after *start* (None past date.max)."""
        if self.freq in {"DAILY", "WEEKLY"}:
            days = periods * (7 if self.freq == "WEEKLY" else 1)
            return (
                start + timedelta(days=days)
                if (date.max - start).days >= days
                else None
            )
        months = (
            start.year * 12
            + start.month
            - 1
            + periods * (12 if self.freq == "YEARLY" else 1)
        )
        year, month = divmod(months, 12)
        return date(year, month + 1, 1) if year <= date.max.year else None

    def _period_index(self, start: date, anchor: date) -> int:
        if self.freq == "DAILY":
            return (start - anchor).days
        if self.freq == "WEEKLY":
            return (start - self._period_start(anchor)).days // 7
        if self.freq == "MONTHLY":
            return (start.year - anchor.year) * 12 + start.month - anchor.month
        return start.year - anchor.year

    def _select(self, start: date, end: date) -> list[date]:
        days = []
        day = start
        while True:
            if self._matches(day):
                days.append(day)
            if day >= end:
                break
            day += _ONE_DAY
        if not self.bysetpos or not days:
            return days
        picked = set()
        for pos in self.bysetpos:
            index = pos - 1 if pos > 0 else len(days) + pos
            if 0 <= index < len(days):
                picked.add(days[index])
        return sorted(picked)

    def _matches(self, day: date) -> bool:
        if self.bymonth and day.month not in self.bymonth:
            return False
        if self.byweekno and not self._weekno_matches(day):
            return False
        if self.byyearday:
            n = day.timetuple().tm_yday
            length = 366 if isleap(day.year) else 365
            if n not in self.byyearday and n - length - 1 not in self.byyearday:
                return False
        if self.bymonthday:
            length = month_days(day.year, day.month)
            if (
                day.day not in self.bymonthday
                and day.day - length - 1 not in self.bymonthday
            ):
                return False
        if self.byday or self.bynthday:
            weekday = day.weekday()
            if weekday not in self.byday and not self._nth_matches(day, weekday):
                return False
        return True

    def _nth_matches(self, day: date, weekday: int) -> bool:
        if not self.bynthday:
            return False
        if self.freq == "MONTHLY" or self.bymonth:
            first = day.replace(day=1)
            length = month_days(day.year, day.month)
        else:
            first = day.replace(month=1, day=1)
            length = 366 if isleap(day.year) else 365
        offset = (day - first).days
        n_forward = offset // 7 + 1
        n_backward = -((length - 1 - offset) // 7 + 1)
        return (n_forward, weekday) in self.bynthday or (
            n_backward,
            weekday,
        ) in self.bynthday

    def _week_one(self, year: int) -> int:
        """Return the proleptic ordinal of the first day of *year*'s week 1.

        Worked out from the year alone, so that it holds for the year after
        9999 too (whose week 1 may begin in late December 9999).
        """
        y = year - 1
        jan4 = 365 * y + y // 4 - y // 100 + y // 400 + 4
        return jan4 - ((jan4 + 6) % 7 - self.wkst) % 7

    def _weekno_matches(self, day: date) -> bool:
        start = day.toordinal() - (day.weekday() - self.wkst) % 7
        # The week's year is that of its fourth day (never past 9999 for a
        # day regimen supports; date.max bounds it all the same).
        year = date.fromordinal(min(start + 3, _MAX_ORDINAL)).year
        week_one = self._week_one(year)
        number = (start - week_one) // 7 + 1
        weeks = (self._week_one(year + 1) - week_one) // 7
        return number in self.byweekno or number - weeks - 1 in self.byweekno


def _check_combinations(
    text: str,
    freq: str,
    ints: dict[str, frozenset[int]],
    byday: set[int],
    bynthday: set[tuple[int, int]],
) -> None:
    if "BYWEEKNO" in ints and freq != "YEARLY":
        raise _fail(text, "BYWEEKNO is only allowed with FREQ=YEARLY")
    if "BYYEARDAY" in ints and freq in {"WEEKLY", "MONTHLY"}:
        raise _fail(text, f"BYYEARDAY is not allowed with FREQ={freq}")
    if "BYMONTHDAY" in ints and freq == "WEEKLY":
        raise _fail(text, "BYMONTHDAY is not allowed with FREQ=WEEKLY")
    if bynthday and freq not in {"MONTHLY", "YEARLY"}:
        raise _fail(
            text, "a numbered BYDAY (like 2TU) needs FREQ=MONTHLY or FREQ=YEARLY"
        )
    if bynthday and "BYWEEKNO" in ints:
        raise _fail(
            text, "a numbered BYDAY (like 2TU) cannot be combined with BYWEEKNO"
        )
    if "BYSETPOS" in ints and len(ints) == 1 and not (byday or bynthday):
        raise _fail(text, "BYSETPOS needs another BYxxx part to pick from")
