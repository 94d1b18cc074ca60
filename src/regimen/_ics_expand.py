"""Expanding one VEVENT of a calendar file into the instants it stands for (RFC 5545 §3.8.5).

The recurrence set is ``DTSTART``, plus the ``RRULE``'s instances (its
dates matched by regimen's own :class:`~regimen._rrule.RecurrenceRule`,
anchored at DTSTART's date, at DTSTART's wall time; ``COUNT`` and ``UNTIL``
applied here) and the ``RDATE``s, minus the ``EXDATE``s. Local times are
read as RFC 5545 says (a time in a gap with the offset before it, an
ambiguous one at its first occurrence), which is how regimen localizes.
Everything is bounded: at most *limit* instances, and the rule's scan of
candidate days is charged against a budget.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from ._ics_text import Component, Line
from ._ics_zone import ZoneSpan
from ._timezone import check_zone, localize, zone

__all__ = ["Spans", "Unreadable", "event_instants", "read_moment"]

_DATE_TIME: Final = re.compile(r"(\d{8})T(\d{6})(Z?)")
_DATE: Final = re.compile(r"\d{8}")
_SCAN: Final = 2_000_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY: Final = date(1970, 1, 1)
_DAY_US: Final = 86_400_000_000
_US: Final = timedelta(microseconds=1)


class Spans:
    """The zones' transitions computed so far, reused by the events of one calendar."""

    def __init__(self) -> None:
        self._spans: dict[str, tuple[int, int, ZoneSpan]] = {}

    def get(self, name: str, lo: int, hi: int) -> ZoneSpan:
        """Return a :class:`ZoneSpan` of zone *name* covering *lo* .. *hi* (µs)."""
        found = self._spans.get(name)
        if found is not None and found[0] <= lo and hi <= found[1]:
            return found[2]
        if found is not None:
            lo, hi = min(lo, found[0]), max(hi, found[1])
        span = ZoneSpan(name, lo, hi)
        self._spans[name] = (lo, hi, span)
        return span


class Unreadable(Exception):  # noqa: N818 - an internal signal carrying the reason
    """Raised while reading one event: its message is the reason it is skipped."""


def _zone_of(tzid: str | None, default: tzinfo) -> tzinfo:
    if tzid is None:
        return default
    name = tzid.strip().strip("/")
    try:
        return zone(check_zone(name, field="TZID"))
    except (ValueError, TypeError):
        msg = (
            f"its TZID {tzid[:60]!r} is not an IANA time zone name; regimen reads "
            "IANA names (like 'Europe/Berlin') and UTC times"
        )
        raise Unreadable(msg) from None


def read_moment(value: str, tzid: str | None, default: tzinfo, what: str) -> datetime:
    """Read one DATE-TIME value: UTC (``Z``), with a TZID, or floating (in *default*)."""
    match = _DATE_TIME.fullmatch(value.strip())
    if match is None:
        if _DATE.fullmatch(value.strip()):
            msg = f"its {what} is a date without a time of day (an all-day event)"
            raise Unreadable(msg)
        msg = f"its {what} {value[:40]!r} is not a date-time like 20270104T080000"
        raise Unreadable(msg)
    try:
        day = date(int(match[1][:4]), int(match[1][4:6]), int(match[1][6:]))
        wall = time(int(match[2][:2]), int(match[2][2:4]), min(int(match[2][4:]), 59))
    except ValueError:
        msg = f"its {what} {value[:40]!r} is not a valid date-time"
        raise Unreadable(msg) from None
    if not date(2, 1, 1) <= day <= date(9998, 12, 31):
        msg = f"its {what} {value[:40]!r} is outside 0002-01-01 .. 9998-12-31"
        raise Unreadable(msg)
    if match[3]:
        return datetime.combine(day, wall, tzinfo=UTC)
    return localize(day, wall, _zone_of(tzid, default))


def _values(lines: list[Line], default: tzinfo, what: str) -> list[datetime]:
    out: list[datetime] = []
    for line in lines:
        kind = line.params.get("VALUE", "DATE-TIME").upper()
        if kind != "DATE-TIME":
            msg = f"its {what} has VALUE={kind}; regimen reads date-times"
            raise Unreadable(msg)
        tzid = line.params.get("TZID")
        out.extend(
            read_moment(v, tzid, default, what)
            for v in line.value.split(",")
            if v.strip()
        )
    return out


def _split_rule(text: str) -> tuple[str, int | None, str | None]:
    """Return the rule without COUNT and UNTIL, and their values."""
    keep: list[str] = []
    count: int | None = None
    until: str | None = None
    for part in text.strip().split(";"):
        key, _sep, value = part.partition("=")
        key = key.strip().upper()
        if key == "COUNT":
            if (
                not (value.isascii() and value.isdigit())
                or not 1 <= int(value[:12]) <= 10**9
            ):
                msg = f"its RRULE has COUNT={value[:20]!r}; COUNT must be a whole number from 1"
                raise Unreadable(msg)
            count = int(value)
        elif key == "UNTIL":
            until = value.strip()
        else:
            keep.append(part)
    return ";".join(keep), count, until


def _until(value: str, start: datetime, default: tzinfo) -> datetime:
    """Read UNTIL: a UTC or local date-time, or a date (through the end of that day)."""
    if _DATE.fullmatch(value):
        day = read_moment(value + "T000000", None, start.tzinfo or default, "UNTIL")
        return day + timedelta(days=1) - timedelta(microseconds=1)
    tz = start.tzinfo or default
    return read_moment(value, getattr(tz, "key", None), tz, "UNTIL")


def _rule_instants(
    text: str,
    start: datetime,
    wall_zone: tzinfo,
    *,
    end: date | None,
    limit: int,
    spans: Spans,
) -> list[datetime]:
    from ._rrule import RecurrenceRule  # noqa: PLC0415 - only recurring events need it

    body, count, until_text = _split_rule(text)
    keys = {part.partition("=")[0].strip().upper(): part for part in body.split(";")}
    for key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if key in keys:
            msg = f"its RRULE has {key}; regimen reads rules that repeat at DTSTART's time of day"
            raise Unreadable(msg)
    freq = keys.get("FREQ", "").partition("=")[2].strip().upper()
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        msg = f"its RRULE repeats within a day (FREQ={freq}); regimen reads daily and longer rules"
        raise Unreadable(msg)
    until = None if until_text is None else _until(until_text, start, wall_zone)
    try:
        rule = RecurrenceRule.parse(body)
    except (ValueError, TypeError) as error:
        raise Unreadable(f"its RRULE cannot be read: {error}") from None
    local = start.astimezone(wall_zone)
    first = local.date()
    wall = local.replace(tzinfo=None, fold=0).time()
    if until is not None:
        last = until.astimezone(wall_zone).date()
    elif end is not None:
        last = end
    elif count is None:
        msg = "its RRULE repeats forever (no COUNT or UNTIL); pass end= to read it up to a date"
        raise Unreadable(msg)
    else:
        last = date(9998, 12, 31)
    if end is not None:
        last = min(last, end)
    spent = [0]

    def spend(n: int) -> None:
        spent[0] += n
        if spent[0] > _SCAN:
            msg = f"its RRULE needs more than {_SCAN:,} steps of scanning; it matches too rarely"
            raise Unreadable(msg)

    days: list[date] = []
    for day in rule.dates(first, last, anchor=first, spend=spend):
        days.append(day)
        if count is not None and len(days) >= count:
            break
        if len(days) > limit:
            msg = f"it has more than {limit:,} instances; pass a smaller end="
            raise Unreadable(msg)
    if not days:
        return []
    # Local times to instants by the zone's transitions over the span (no
    # datetime per day): what localize() gives, in integer microseconds.
    if (days[-1] - days[0]).days > 30 * len(days):
        # Rare dates over a long span: localize each (scanning the zone's
        # transitions day by day would cost more than the dates themselves).
        moments = [localize(day, wall, wall_zone) for day in days]
        return [m for m in moments if until is None or _utc(m) <= _utc(until)]
    name = getattr(wall_zone, "key", "UTC") if wall_zone is not UTC else "UTC"
    lo = (days[0] - _EPOCH_DAY).days * _DAY_US
    hi = (days[-1] - _EPOCH_DAY).days * _DAY_US + _DAY_US
    span = spans.get(name, lo - _DAY_US, hi + _DAY_US)
    clock = (
        (wall.hour * 60 + wall.minute) * 60 + wall.second
    ) * 1_000_000 + wall.microsecond
    limit_us = None if until is None else (until - _EPOCH) // _US
    out: list[datetime] = []
    for day in days:
        us = span.instant((day - _EPOCH_DAY).days * _DAY_US + clock)
        if limit_us is not None and us > limit_us:
            break
        out.append(_EPOCH + us * _US)
    return out


def event_instants(
    event: Component,
    default: tzinfo,
    *,
    end: date | None,
    limit: int,
    spans: Spans | None = None,
) -> list[datetime]:
    """Return the sorted, distinct instants of *event*; raise :class:`Unreadable` with the reason."""
    spans = Spans() if spans is None else spans
    start_line = event.first("DTSTART")
    if start_line is None:
        msg = "it has no DTSTART"
        raise Unreadable(msg)
    if start_line.params.get("VALUE", "DATE-TIME").upper() == "DATE":
        msg = "its DTSTART is a date without a time of day (an all-day event)"
        raise Unreadable(msg)
    tzid = start_line.params.get("TZID")
    start = read_moment(start_line.value, tzid, default, "DTSTART")
    wall_zone = start.tzinfo
    assert wall_zone is not None
    # Instants in UTC: aware datetimes of one zone compare by wall time, not fold.
    found = {_utc(start)}
    rules = event.all("RRULE")
    if len(rules) > 1:
        msg = "it has more than one RRULE (deprecated in RFC 5545); regimen reads one"
        raise Unreadable(msg)
    if rules:
        found.update(
            map(
                _utc,
                _rule_instants(
                    rules[0].value, start, wall_zone, end=end, limit=limit, spans=spans
                ),
            )
        )
    found.update(map(_utc, _values(event.all("RDATE"), default, "RDATE")))
    found.difference_update(map(_utc, _values(event.all("EXDATE"), default, "EXDATE")))
    if end is not None:
        found = {m for m in found if m.astimezone(wall_zone).date() <= end}
    if len(found) > limit:
        msg = f"it has more than {limit:,} instances"
        raise Unreadable(msg)
    return sorted(found)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
