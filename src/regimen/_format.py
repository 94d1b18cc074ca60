"""How numbers, windows and moments are written in findings and summaries."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

from . import _decimal
from ._units import Unit

__all__ = ["amount", "clock", "duration", "moment", "parse_duration"]


def amount(value: Decimal, unit: Unit) -> str:
    """Write *value* in *unit* like a person would (``10.5 g``, ``2 capsules``)."""
    trimmed = _decimal.trim(value)
    return f"{trimmed:f} {unit.label(trimmed)}"


def duration(value: timedelta) -> str:
    """Write a duration compactly and exactly: ``24 h``, ``45 min``, ``7 d``, ``1 h 30 min``.

    :func:`parse_duration` reads every output back to the same timedelta.

    >>> duration(timedelta(hours=24)), duration(timedelta(days=7)), duration(timedelta(minutes=90))
    ('24 h', '7 d', '1 h 30 min')
    """
    micro = value // timedelta(microseconds=1)
    if micro == 0:
        return "0 min"
    sign = "-" if micro < 0 else ""
    micro = abs(micro)
    whole, fraction = divmod(micro, 1_000_000)
    parts = []
    if whole % 86400 == 0 and whole >= 7 * 86400:
        parts.append(f"{whole // 86400} d")
    else:
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            parts.append(f"{hours} h")
        if minutes:
            parts.append(f"{minutes} min")
        if secs:
            parts.append(f"{secs} s")
    if fraction:
        parts.append(f"{fraction} us")
    return sign + " ".join(parts)


def clock(value: time) -> str:
    """Write a wall-clock time the way plan files hold it: ``04:00``, ``04:00:30``.

    >>> clock(time(4)), clock(time(4, 0, 30)), clock(time(4, 0, 0, 500))
    ('04:00', '04:00:30', '04:00:00.000500')
    """
    if value.microsecond:
        return value.isoformat()
    return value.isoformat("seconds" if value.second else "minutes")


def moment(value: datetime) -> str:
    """Write an aware datetime in its own zone: ``2027-01-03 20:00 EST``.

    The year always has four digits (``strftime`` drops the zeros of year 2).

    >>> from datetime import UTC
    >>> moment(datetime(2, 1, 1, 12, 0, tzinfo=UTC))
    '0002-01-01 12:00 UTC'
    """
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    zone = value.tzname() or value.strftime("%z")
    return f"{text} {zone}"


_UNITS = {
    "us": 0,  # microseconds: handled apart
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}


def parse_duration(value: timedelta | str, *, field: str = "duration") -> timedelta:
    """Read a duration as a person writes it: ``"45 min"``, ``"24 h"``, ``"1 h 30 min"``.

    Raises ``ValueError`` naming *field* for anything else.

    >>> parse_duration("1 h 30 min"), parse_duration("7 d")
    (datetime.timedelta(seconds=5400), datetime.timedelta(days=7))
    """
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        msg = f"{field} must be a timedelta or text like '45 min' (got {value!r})"
        raise TypeError(msg)
    parts = re.findall(r"([0-9]{1,7})\s*([a-z]+)", value.strip().lower())
    rebuilt = "".join(f"{n}{u}" for n, u in parts)
    if not parts or rebuilt != re.sub(r"\s+", "", value.strip().lower()):
        msg = (
            f"{field} must be a duration like '45 min', '24 h' or '7 d' (got {value!r})"
        )
        raise ValueError(msg)
    micro = 0
    for number, unit in parts:
        if unit not in _UNITS:
            msg = f"{field}: unknown time unit {unit!r} in {value!r}; use s, min, h, d or w"
            raise ValueError(msg)
        micro += int(number) * (_UNITS[unit] * 1_000_000 or 1)
    if micro > 3650 * 86400 * 1_000_000:
        msg = f"{field} is longer than ten years (got {value!r})"
        raise ValueError(msg)
    return timedelta(microseconds=micro)
