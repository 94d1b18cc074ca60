"""Times of day: read from text, spread over a window, every h hours.

Helpers of :class:`regimen.Schedule`: :func:`parse_time` and
:func:`times_of` read wall-clock times, :func:`spread_times` serves
:meth:`~regimen.Schedule.spread` and :func:`hours_period`
:meth:`~regimen.Schedule.every_hours`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final

from ._format import parse_duration

__all__ = [
    "MAX_PERIOD",
    "MIN_PERIOD",
    "hours_period",
    "parse_time",
    "spread_times",
    "time_of_day",
    "times_of",
]

_TIME: Final = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
_MAX_TIMES: Final = 1440

#: The shortest and longest interval of :meth:`regimen.Schedule.every_hours`.
MIN_PERIOD: Final = timedelta(minutes=1)
MAX_PERIOD: Final = timedelta(days=7)
_MINUTE: Final = timedelta(minutes=1)


def time_of_day(
    value: time | str,
    *,
    field: str,
    expected: str = "a naive datetime.time or text like '04:00'",
) -> time:
    """Return a naive time from a time or its text (a ``day_start``); else raise naming *field*.

    >>> time_of_day("04:00", field="Profile.day_start")
    datetime.time(4, 0)
    """
    if isinstance(value, str):
        return parse_time(value, field=field)
    if not isinstance(value, time) or value.tzinfo is not None:
        msg = f"{field} must be {expected} (got {value!r})"
        raise TypeError(msg)
    return value


def parse_time(value: time | str, *, field: str = "time") -> time:
    """Return a naive wall-clock :class:`~datetime.time` from a time or ``"HH:MM"``.

    Raises ``ValueError`` naming *field* for text that is not a time of day
    and for times that carry a time zone (a plan's zone applies to all).
    """
    if isinstance(value, time):
        if value.tzinfo is not None:
            msg = (
                f"{field} must be a wall-clock time without a time zone "
                f"(got {value!r}); the plan's time zone applies"
            )
            raise ValueError(msg)
        return value
    if isinstance(value, str):
        m = _TIME.fullmatch(value.strip())
        if m is not None:
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            micro = int((m[4] or "0").ljust(6, "0"))
            if hour < 24 and minute < 60 and second < 60:
                return time(hour, minute, second, micro)
        msg = f"{field} must be a time of day like '08:30' (got {value!r})"
        raise ValueError(msg)
    msg = f"{field} must be a datetime.time or text like '08:30' (got {value!r})"
    raise TypeError(msg)


def times_of(values: Iterable[time | str]) -> tuple[time, ...]:
    """Return a schedule's times: parsed, sorted and unique, at most 1,440 of them."""
    out = sorted({parse_time(v, field="Schedule.times") for v in values})
    if len(out) > _MAX_TIMES:
        msg = f"Schedule.times has {len(out)} times; at most {_MAX_TIMES} are allowed"
        raise ValueError(msg)
    return tuple(out)


def _minutes(value: time, field: str) -> int:
    if value.second or value.microsecond:
        msg = f"{field} must be whole minutes, like '08:00' (got {value.isoformat()})"
        raise ValueError(msg)
    return value.hour * 60 + value.minute


def spread_times(n: int, start: time, end: time) -> tuple[time, ...]:
    """Return *n* times from *start* to *end* (both whole minutes), evenly spaced.

    Time *i* (from 0) is ``start + i * (end - start) / (n - 1)`` minutes,
    rounded to the minute, halves up; n = 1 gives *start*. The window may
    not cross midnight and *n* may not exceed the minutes in it plus one
    (each time is distinct). Raises ``ValueError`` naming the argument.

    >>> [t.isoformat("minutes") for t in spread_times(4, time(8), time(22))]
    ['08:00', '12:40', '17:20', '22:00']
    """
    if not isinstance(n, int) or isinstance(n, bool):
        msg = f"Schedule.spread() n must be a whole number of doses (got {n!r})"
        raise TypeError(msg)
    lo = _minutes(start, "Schedule.spread() between start")
    hi = _minutes(end, "Schedule.spread() between end")
    if hi < lo or (hi == lo and n > 1):
        msg = (
            f"Schedule.spread() between ({start.isoformat('minutes')}, "
            f"{end.isoformat('minutes')}) must end after it starts on the same day; "
            "a window across midnight is not supported: use two schedules"
        )
        raise ValueError(msg)
    if not 1 <= n <= hi - lo + 1:
        msg = (
            f"Schedule.spread() n must be from 1 to {hi - lo + 1} for a window of "
            f"{hi - lo} minutes (got {n})"
        )
        raise ValueError(msg)
    if n == 1:
        return (start,)
    span, gaps = hi - lo, n - 1
    # round(i * span / gaps) halves up: floor((2 * i * span + gaps) / (2 * gaps)).
    out = []
    for i in range(n):
        m = lo + (2 * i * span + gaps) // (2 * gaps)
        out.append(time(m // 60, m % 60))
    return tuple(out)


def hours_period(value: timedelta | str | int | Decimal | float) -> timedelta:
    """Return the interval of an every-h-hours schedule: hours as a number, text or timedelta.

    A number is hours (``8``, ``1.5``, ``Decimal("0.5")``); text is a
    duration (``"8 h"``, ``"90 min"``). It must be whole minutes, from
    1 minute to 7 days; raises ``ValueError``/``TypeError`` naming the value.

    >>> hours_period(8), hours_period("1 h 30 min"), hours_period(0.25)
    (datetime.timedelta(seconds=28800), datetime.timedelta(seconds=5400), datetime.timedelta(seconds=900))
    """
    field = "Schedule.every_hours() hours"
    if isinstance(value, bool):
        msg = f"{field} must be a number of hours, a timedelta or text like '8 h' (got {value!r})"
        raise TypeError(msg)
    if isinstance(value, str):
        period = parse_duration(value, field=field)
    elif isinstance(value, timedelta):
        period = value
    elif isinstance(value, int | float | Decimal):
        try:
            hours = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if not hours.is_finite() or not 0 < hours <= 24 * 7:
                msg = f"{field} must be from 1 minute to 7 days (got {value!r})"
                raise ValueError(msg)
            minutes = hours * 60
            if minutes != minutes.to_integral_value():
                msg = f"{field} must be a whole number of minutes (got {value!r} h)"
                raise ValueError(msg)
        except InvalidOperation:
            msg = f"{field} must be a number of hours (got {value!r})"
            raise ValueError(msg) from None
        period = timedelta(minutes=int(minutes))
    else:
        msg = f"{field} must be a number of hours, a timedelta or text like '8 h' (got {value!r})"
        raise TypeError(msg)
    if not MIN_PERIOD <= period <= MAX_PERIOD:
        msg = f"{field} must be from 1 minute to 7 days (got {period})"
        raise ValueError(msg)
    if period % _MINUTE:
        msg = f"{field} must be a whole number of minutes (got {period})"
        raise ValueError(msg)
    return period
