"""Scanning a recurrence rule's periods, with each shape of period scanned once.

Which days a rule selects in a period depends only on the period's *shape*:
for a year, its length, the previous year's (week numbers reach back into
it) and the weekday it starts on; for a month, which month, its length and
its first weekday; for a week, where the month boundaries fall in it; for
``FREQ=DAILY``, a day's place in its year. So :func:`scan` works out each
shape's selection once per rule, as offsets from the period's start, and
reuses it. The days each visited period covers (for ``DAILY``, the days
``INTERVAL`` steps on) are reported to the caller's *spend* before they are
looked at, so a caller can bound the work by raising from *spend*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ._rrule import RecurrenceRule

__all__ = ["scan"]


def isleap(year: int) -> bool:
    """Tell whether *year* is a leap year in the proleptic Gregorian calendar."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(year: int, month: int) -> int:
    """Return how many days *month* of *year* has."""
    if month == 2:
        return 29 if isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


_MONTH_DAYS: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MAX_RULES: Final = 1_000
_Offsets = tuple[int, ...]
_Cache = dict[tuple[object, ...], _Offsets]
# rule -> shape of a period -> the offsets the rule selects in such a period
_SHAPES: dict[RecurrenceRule, _Cache] = {}


class _Charge:
    """Passes the days scanned to a caller's *spend*, if there is one."""

    __slots__ = ("spend_to",)

    def __init__(self, spend_to: Callable[[int], None] | None) -> None:
        self.spend_to = spend_to

    def spend(self, steps: int) -> None:
        if self.spend_to is not None:
            self.spend_to(steps)


def scan(
    rule: RecurrenceRule,
    start: date,
    lo: date,
    last: date,
    spend: Callable[[int], None] | None,
) -> Iterator[date]:
    """Yield the days in [lo, last] *rule* selects, from the period starting at *start*.

    *start* is the first day of a period that ``INTERVAL`` selects; *rule*
    already carries the defaults its anchor gives it.
    """
    cache = _SHAPES.get(rule)
    if cache is None:
        if len(_SHAPES) >= _MAX_RULES:
            _SHAPES.clear()
        cache = _SHAPES[rule] = {}
    charge = _Charge(spend)
    if rule.freq == "DAILY":
        yield from _daily(rule, start, last, cache, charge)
    elif rule.freq == "WEEKLY":
        yield from _weekly(rule, (start, lo, last), cache, charge)
    else:
        yield from _months(rule, (start, lo, last), cache, charge)


def _daily(
    rule: RecurrenceRule, day: date, last: date, cache: _Cache, charge: _Charge
) -> Iterator[date]:
    """Yield every INTERVAL-th day from *day* to *last* that matches (FREQ=DAILY).

    Per year, either the year's matching days are filtered by the interval
    or the interval's days are looked up among them, whichever is fewer.
    """
    if rule.bysetpos and not rule.bysetpos & {1, -1}:
        return  # each period holds one day: only position 1 or -1 keeps it
    step = rule.interval
    sets: dict[tuple[object, ...], frozenset[int]] = {}
    seen: set[tuple[object, ...]] = set()
    for year in range(day.year, last.year + 1):
        jan1 = date(year, 1, 1)
        leap = isleap(year)
        y_lo = max(jan1, day)
        y_hi = min(date(year, 12, 31), last)
        width = (y_hi - y_lo).days
        gap = -(y_lo - day).days % step  # to the first interval day in the year
        aligned = (width - gap) // step + 1 if gap <= width else 0
        aligned_first = y_lo + timedelta(days=gap) if aligned else y_lo
        shape = (leap, jan1.weekday())
        if shape not in seen:
            # A shape's first year in this call costs its scan, cached or not,
            # so what a call is charged does not depend on earlier calls.
            seen.add(shape)
            charge.spend(365 + leap)
            offsets = cache.get(shape)
            if offsets is None:
                days = (jan1 + timedelta(days=n) for n in range(365 + leap))
                offsets = tuple((d - jan1).days for d in days if rule._matches(d))
                cache[shape] = offsets
        else:
            offsets = cache[shape]
            charge.spend(max(1, min(aligned, len(offsets))))
        if aligned < len(offsets):
            chosen = sets.get(shape)
            if chosen is None:
                chosen = sets[shape] = frozenset(offsets)
            for k in range(aligned):
                candidate = aligned_first + timedelta(days=k * step)
                if (candidate - jan1).days in chosen:
                    yield candidate
            continue
        for offset in offsets:
            candidate = jan1 + timedelta(days=offset)
            if y_lo <= candidate <= y_hi and (candidate - day).days % step == 0:
                yield candidate


def _weekly(
    rule: RecurrenceRule,
    bounds: tuple[date, date, date],
    cache: _Cache,
    charge: _Charge,
) -> Iterator[date]:
    """Yield the selected days of every INTERVAL-th week (FREQ=WEEKLY).

    *bounds* are the first week's start, then the first and last day wanted.
    """
    start, lo, last = bounds
    step = 7 * rule.interval
    while True:
        month = start.month
        span = min((date.max - start).days, 6)  # shorter only at date.max
        leap = month == 2 and isleap(start.year)
        shape = (month, start.day, leap, span)
        charge.spend(span + 1)
        offsets = cache.get(shape)
        if offsets is None:
            end = start + timedelta(days=span)
            offsets = tuple((d - start).days for d in rule._select(start, end))
            cache[shape] = offsets
        for offset in offsets:
            day = start + timedelta(days=offset)
            if lo <= day <= last:
                yield day
        if (last - start).days < step or (date.max - start).days < step:
            return
        start += timedelta(days=step)


def _months(
    rule: RecurrenceRule,
    bounds: tuple[date, date, date],
    cache: _Cache,
    charge: _Charge,
) -> Iterator[date]:
    """Yield the selected days of every INTERVAL-th month or year (MONTHLY, YEARLY).

    *bounds* are the first period's start, then the first and last day wanted.
    """
    start, lo, last = bounds
    yearly = rule.freq == "YEARLY"
    step = rule.interval * (12 if yearly else 1)
    index = start.year * 12 + start.month - 1
    last_index = last.year * 12 + last.month - 1
    while index <= last_index:
        year, month = divmod(index, 12)
        month += 1
        first = date(year, month, 1)
        if yearly:
            leap = isleap(year)
            before = year > 1 and isleap(year - 1)
            shape: tuple[object, ...] = (leap, before, first.weekday())
            length = 365 + leap
        else:
            leap = month == 2 and isleap(year)
            shape = (month, leap, first.weekday())
            length = _MONTH_DAYS[month] + leap
        charge.spend(length)
        offsets = cache.get(shape)
        if offsets is None:
            end = first + timedelta(days=length - 1)
            offsets = tuple((d - first).days for d in rule._select(first, end))
            cache[shape] = offsets
        for offset in offsets:
            day = first + timedelta(days=offset)
            if lo <= day <= last:
                yield day
        index += step
