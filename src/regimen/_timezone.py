"""IANA time zone names, checked against the database, and localization."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["EPOCH", "US", "check_zone", "localize", "utc_us", "zone"]

_NAME: Final = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,3}")
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
US: Final = timedelta(microseconds=1)


def check_zone(value: object, *, field: str) -> str:
    """Return *value* if it names a zone in the IANA database; else raise.

    Raises ``TypeError`` for non-strings and ``ValueError`` naming *field*
    for empty names, paths and unknown zones.
    """
    if not isinstance(value, str):
        msg = f"{field} must be an IANA time zone name like 'Europe/Berlin' (got {value!r})"
        raise TypeError(msg)
    name = value.strip()
    if not name or len(name) > 64 or not _NAME.fullmatch(name) or ".." in name:
        msg = (
            f"{field} must be an IANA time zone name like 'Europe/Berlin' "
            f"(got {value!r})"
        )
        raise ValueError(msg)
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        msg = (
            f"{field}: unknown time zone {value!r}; use a name from the IANA "
            "database such as 'America/New_York' or 'UTC'"
        )
        raise ValueError(msg) from None
    return name


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """Return the (cached) ZoneInfo for a checked *name*."""
    return ZoneInfo(name)


def localize(day: date, at: time, tz: tzinfo) -> datetime:
    """Return the aware datetime for wall time *at* on *day* in *tz*.

    A wall time inside a DST gap is moved forward by the gap (02:30 on a
    spring-forward day becomes 03:30); an ambiguous one is taken at its first
    occurrence.
    """
    wall = datetime.combine(day, at, tzinfo=tz)  # fold=0: the first occurrence
    return wall.astimezone(UTC).astimezone(tz)


def utc_us(moment: datetime) -> int:
    """Microseconds since the Unix epoch of the aware datetime *moment*."""
    return (moment - EPOCH) // US
