"""IANA time zone names, checked against the database, and localization."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from importlib import import_module
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._decimal import show
from ._terms import close_matches as _close

__all__ = ["EPOCH", "US", "check_zone", "localize", "utc_us", "zone"]

_NAME: Final = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,3}")
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
US: Final = timedelta(microseconds=1)


def check_zone(value: object, *, field: str) -> str:
    """Return *value* if it names a zone in the IANA database; else raise.

    Raises ``TypeError`` for non-strings and ``ValueError`` naming *field*
    for empty names, paths and unknown zones; an unknown name gets the
    nearest IANA names as a hint (``'New York'`` -> ``'America/New_York'``).
    The legacy names ``EST``, ``MST`` and ``HST`` are refused too: they never
    change to daylight-saving time, which is not what someone in New York,
    Denver or Hawaii means; the message names the city zone to use. ``UTC``,
    ``GMT`` and the fixed offsets ``Etc/GMT+5`` are valid, and so are
    ``EST5EDT`` and the like, which follow the US daylight-saving rules.

    >>> check_zone("Europe/Berlin", field="Plan.timezone")
    'Europe/Berlin'
    >>> check_zone("New York", field="Plan.timezone")
    Traceback (most recent call last):
    ...
    ValueError: Plan.timezone: unknown time zone 'New York'; did you mean 'America/New_York'?
    >>> check_zone("EST", field="Plan.timezone")
    Traceback (most recent call last):
    ...
    ValueError: Plan.timezone: 'EST' is a legacy name for UTC-05:00 all year, with no daylight-saving time; for the time in New York use 'America/New_York' (for a fixed UTC-05:00, 'Etc/GMT+5')
    """
    if not isinstance(value, str):
        msg = f"{field} must be an IANA time zone name like 'Europe/Berlin' (got {show(value)})"
        raise TypeError(msg)
    name = value.strip()
    if len(name) <= 64 and _looks_like_a_slip(name):
        raise ValueError(f"{field}: {_unknown_message(name)}")
    if not name or len(name) > 64 or not _NAME.fullmatch(name) or ".." in name:
        msg = (
            f"{field} must be an IANA time zone name like 'Europe/Berlin' "
            f"(got {show(value)})"
        )
        raise ValueError(msg)
    if name in _LEGACY:
        raise ValueError(f"{field}: {_legacy_message(name)}")
    if name == "Factory":
        msg = (
            f"{field}: 'Factory' is the placeholder for a zone not yet set; "
            "name the zone, such as 'America/New_York' or 'UTC'"
        )
        raise ValueError(msg)
    known = _zone_names()
    try:
        if known and name not in known:
            raise ZoneInfoNotFoundError(name)
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{field}: {_unknown_message(name)}") from None
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
    # fold=0: the first occurrence (a time's own fold, which would pick the
    # later offset and, in a gap, land before it, is not used).
    wall = datetime.combine(day, at.replace(fold=0), tzinfo=tz)
    return wall.astimezone(UTC).astimezone(tz)


def utc_us(moment: datetime) -> int:
    """Microseconds since the Unix epoch of the aware datetime *moment*."""
    return (moment - EPOCH) // US


#: Legacy names with no daylight-saving rules that people write for a zone
#: that has them: name -> (offset all year, fixed-offset name, what to use).
_LEGACY: Final = {
    "EST": ("UTC-05:00", "Etc/GMT+5", "in New York use 'America/New_York'"),
    "MST": (
        "UTC-07:00",
        "Etc/GMT+7",
        "in Denver use 'America/Denver', in Arizona 'America/Phoenix'",
    ),
    "HST": ("UTC-10:00", "Etc/GMT+10", "in Hawaii use 'Pacific/Honolulu'"),
}

#: Abbreviations that are not zone names (or name the wrong one): what to use.
_ABBREVIATIONS: Final = {
    "EDT": ("America/New_York",),
    "CST": ("America/Chicago",),
    "CDT": ("America/Chicago",),
    "MDT": ("America/Denver", "America/Phoenix"),
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",),
    "AKDT": ("America/Anchorage",),
    "HDT": ("Pacific/Honolulu",),
    "BST": ("Europe/London",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "EEST": ("Europe/Athens",),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",),
    "JST": ("Asia/Tokyo",),
    "LOCALTIME": (),
}


def _legacy_message(name: str) -> str:
    offset, fixed, use = _LEGACY[name]
    return (
        f"{name!r} is a legacy name for {offset} all year, with no "
        f"daylight-saving time; for the time {use} "
        f"(for a fixed {offset}, {fixed!r})"
    )


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    """Every zone name of the IANA database shipped with ``tzdata``.

    Read from ``tzdata``'s list (well under a millisecond), so a name is
    valid or not the same way on every machine, whatever its file system
    (``america/new_york`` loads from a case-insensitive disk) or its
    ``/usr/share/zoneinfo`` (``localtime``, ``posixrules``, ``right/...``).
    Empty when the list cannot be read: then loading the zone is the check.
    """
    try:
        where = os.path.dirname(import_module("tzdata").__file__ or "")
        with open(os.path.join(where, "zones"), encoding="utf-8") as handle:
            return frozenset(handle.read().split())
    except (ImportError, OSError):  # pragma: no cover - tzdata is a dependency
        return frozenset()


def _key(name: str) -> str:
    """Fold case and the space/underscore/hyphen slips people make."""
    return re.sub(r"[\s_-]+", "_", name.strip().casefold())


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Folded full name -> name, and folded city (last part) -> names."""
    names = sorted(_zone_names())
    full = {_key(n): n for n in names}
    cities: dict[str, list[str]] = {}
    for n in names:
        if "/" in n and not n.startswith("Etc/"):
            cities.setdefault(_key(n.rsplit("/", 1)[1]), []).append(n)
    return full, cities


def nearest_zones(name: str, *, n: int = 3) -> list[str]:
    """Return up to *n* IANA names a mistyped *name* most likely means.

    Case and space/underscore slips, a city without its region and
    abbreviations such as ``PST`` are recognized; otherwise the closest
    spellings.

    >>> nearest_zones("new york"), nearest_zones("Europe/Berlim")
    (['America/New_York'], ['Europe/Berlin'])
    >>> nearest_zones("PST")
    ['America/Los_Angeles']
    """
    key = _key(name)
    upper = name.strip().upper()
    if upper in _ABBREVIATIONS:
        return list(_ABBREVIATIONS[upper][:n])
    offset = _OFFSET.fullmatch(upper)
    if offset:
        return [_offset_zone(offset)] if _offset_zone(offset) in _zone_names() else []
    full, cities = _index()
    if key in full:
        return [full[key]]
    if key in cities:
        return cities[key][:n]
    city = key.rsplit("/", 1)[-1]
    if city in cities:
        return cities[city][:n]
    close = _close(key, full, n=n, cutoff=0.8)
    if close:
        return [full[k] for k in close]
    out: list[str] = []
    for k in _close(city, cities, n=n, cutoff=0.8):
        out += cities[k]
    return out[:n]


#: ``UTC+5``, ``GMT-03:00``: offsets written the way people mean them.
_OFFSET: Final = re.compile(r"(?:UTC|GMT)\s*([+-])\s*([0-9]{1,2})(?::?00)?")


def _offset_zone(offset: re.Match[str]) -> str:
    # The Etc/ names are POSIX-style: Etc/GMT-5 is five hours *ahead* of UTC.
    sign = "-" if offset[1] == "+" else "+"
    return f"Etc/GMT{sign}{int(offset[2])}"


def _looks_like_a_slip(name: str) -> bool:
    """Tell whether a name that is not a zone name is near one (``'New York'``)."""
    if _OFFSET.fullmatch(name.upper()):
        return True
    slip = re.sub(r"\s+", "_", name)
    return name != slip and bool(_NAME.fullmatch(slip)) and bool(nearest_zones(name))


def _unknown_message(name: str) -> str:
    offset = _OFFSET.fullmatch(name.strip().upper())
    if offset and _offset_zone(offset) in _zone_names():
        return (
            f"unknown time zone {name!r}; a fixed offset of UTC{offset[1]}"
            f"{int(offset[2]):02d}:00 is {_offset_zone(offset)!r} (the sign is "
            "inverted in these names); for a place, name its zone (such as "
            "'Europe/Paris'), which follows its daylight-saving changes"
        )
    close = nearest_zones(name)
    legacy = [c for c in close if c in _LEGACY]
    if legacy:
        return f"unknown time zone {name!r}; {_legacy_message(legacy[0])}"
    if close:
        return (
            f"unknown time zone {name!r}; did you mean "
            + " or ".join(repr(c) for c in close)
            + "?"
        )
    if name.strip().upper() == "LOCALTIME":
        return (
            f"{name!r} names this machine's zone, which differs from machine "
            "to machine; name the zone, such as 'America/New_York' or 'UTC'"
        )
    return (
        f"unknown time zone {name!r}; use a name from the IANA database such "
        "as 'America/New_York' or 'UTC'"
    )
