"""Reading the iCalendar content lines of a recurrence: lines, parameters, values.

RFC 5545 section 3.1: lines are unfolded (a line starting with a space or
tab continues the one before, unless it starts a DTSTART, RRULE, EXDATE,
RDATE or EXRULE line of its own, as in an indented TOML string); each line
is ``NAME *(;PARAM=VALUE) : VALUE``. Dates and date-times are read as
written: naive, or UTC when they end in ``Z``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Final

from ._rrule import _fail
from ._timezone import check_zone

__all__ = [
    "CLOCK",
    "LINE_NAMES",
    "Value",
    "clock_values",
    "content_lines",
    "split_line",
    "value",
    "zone_of",
]

LINE_NAMES: Final = ("DTSTART", "RRULE", "EXDATE", "RDATE", "EXRULE")
_STARTS_LINE: Final = re.compile(rf"[ \t]*(?:{'|'.join(LINE_NAMES)})[;:]", re.I)
_VALUE: Final = re.compile(
    r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})(Z?))?"
)
CLOCK: Final = {"BYHOUR": 23, "BYMINUTE": 59, "BYSECOND": 59}
_FORM: Final = (
    "a date like 20270301 or a date-time like 20270301T090000 (or ...Z in UTC)"
)

Value = date | datetime


def content_lines(text: str) -> list[str]:
    """Split *text* into content lines, unfolding continuation lines (RFC 5545 3.1)."""
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in {" ", "\t"} and out and not _STARTS_LINE.match(raw):
            out[-1] += raw[1:]
        elif raw.strip():
            out.append(raw.strip())
    return out


def split_line(text: str, line: str) -> tuple[str, dict[str, str], str]:
    """Return a content line's name, parameters and value."""
    m = re.match(r"[A-Za-z][A-Za-z0-9-]*", line)
    if m is None or line[m.end() : m.end() + 1] not in {";", ":"}:
        raise _fail(text, f"{line[:40]!r} is not a line like 'RRULE:FREQ=DAILY'")
    name, rest, params = m[0].upper(), line[m.end() :], {}
    while rest.startswith(";"):
        p = re.match(r';([A-Za-z][A-Za-z0-9-]*)=("[^"]*"|[^;:"]*)', rest)
        if p is None:
            raise _fail(text, f"{name} has a parameter that is not NAME=VALUE")
        params[p[1].upper()] = p[2].strip('"')
        rest = rest[p.end() :]
    if not rest.startswith(":"):
        raise _fail(text, f"{name} has no ':' before its value")
    return name, params, rest[1:].strip()


def value(
    text: str, name: str, raw: str, kind: str | None, *, bound: bool = False
) -> Value:
    """Parse a DATE or DATE-TIME value; naive unless it ends in ``Z`` (then UTC)."""
    m = _VALUE.fullmatch(raw.strip().upper())
    if m is None:
        raise _fail(text, f"{name} value {raw!r} is not {_FORM}")
    if kind == "DATE" and m[4] is not None:
        raise _fail(text, f"{name} value {raw!r} has a time but VALUE=DATE")
    if kind == "DATE-TIME" and m[4] is None:
        raise _fail(text, f"{name} value {raw!r} has no time but VALUE=DATE-TIME")
    try:
        if m[4] is None:
            day: Value = date(int(m[1]), int(m[2]), int(m[3]))
        else:
            y, mo, d, h, mi, sec = (int(m[k]) for k in range(1, 7))
            day = datetime(y, mo, d, h, mi, sec, tzinfo=UTC if m[7] else None)
    except ValueError:
        raise _fail(text, f"{name} value {raw!r} is not a real date and time") from None
    if not bound and not 2 <= day.year <= 9998:
        raise _fail(text, f"{name} value {raw!r} is outside the years 0002 to 9998")
    return day


def clock_values(text: str, key: str, raw: str) -> tuple[int, ...]:
    high = CLOCK[key]
    out = set()
    for item in raw.split(","):
        if not re.fullmatch(r"[0-9]{1,2}", item.strip()) or int(item) > high:
            raise _fail(
                text, f"{key} value {item!r} must be a whole number 0 to {high}"
            )
        out.add(int(item))
    return tuple(sorted(out))


def zone_of(text: str, name: str, params: dict[str, str], raw: str) -> str | None:
    tzid = params.get("TZID")
    if tzid is None:
        return None
    if any(item.strip().upper().endswith("Z") for item in raw.split(",")):
        raise _fail(text, f"{name} has a TZID and a time in UTC (Z); give one of them")
    try:
        return check_zone(tzid.lstrip("/"), field=f"{name};TZID")
    except (ValueError, TypeError) as error:
        raise _fail(text, str(error)) from None
