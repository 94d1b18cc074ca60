"""Independent iCalendar readers for the tests: what a calendar app expands from a file.

* :func:`expand_recurring` — the ``recurring-ical-events`` package (which
  reads ``TZID`` by IANA name through zoneinfo).
* :func:`expand_dateutil` — icalendar's parser plus ``dateutil.rrule``
  driven by hand from the parsed properties (DTSTART, RRULE, RDATE, EXDATE,
  RFC 5545 §3.8.5), comparing instants in UTC.
* :func:`with_own_zone` renames the ``TZID`` so that no reader can find it
  in its database: it must use the file's ``VTIMEZONE`` (icalendar turns it
  into a dateutil ``tzical`` zone), which checks the generated observances.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr

_RENAMED = itertools.count()


def expand_recurring(text: str) -> list[datetime]:
    """Expand with recurring-ical-events; return every instance's start in UTC, sorted."""
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between((1900, 1, 1), (2200, 1, 1))
    return sorted(e["DTSTART"].dt.astimezone(UTC) for e in events)


def _values(event: Any, name: str) -> Iterable[datetime]:
    found = event.get(name)
    if found is None:
        return []
    lists = found if isinstance(found, list) else [found]
    out = []
    for item in lists:
        for value in item.dts:
            moment = value.dt
            assert isinstance(moment, datetime), f"{name} holds a date: {moment!r}"
            assert moment.tzinfo is not None, f"{name} is floating: {moment!r}"
            out.append(moment)
    return out


def expand_dateutil(text: str) -> list[datetime]:
    """Expand every VEVENT by hand with dateutil.rrule; return the starts in UTC, sorted.

    Per RFC 5545 the set is DTSTART, plus the RRULE's instances and the
    RDATEs, minus the EXDATEs; each VEVENT's set holds an instant once.
    """
    calendar = icalendar.Calendar.from_ical(text)
    out: list[datetime] = []
    event: Any
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"].dt
        assert isinstance(start, datetime)
        assert start.tzinfo is not None
        instances = {start.astimezone(UTC)}
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
            instances.update(moment.astimezone(UTC) for moment in rule)
        instances.update(moment.astimezone(UTC) for moment in _values(event, "RDATE"))
        instances.difference_update(
            moment.astimezone(UTC) for moment in _values(event, "EXDATE")
        )
        out.extend(instances)
    return sorted(out)


def with_own_zone(text: str, zone: str) -> str:
    """Rename TZID *zone* (not X-WR-TIMEZONE) to a name no zone database knows."""
    own = f"Regimen test zone {next(_RENAMED)}"
    renamed = re.sub(rf"TZID([=:]){re.escape(zone)}\b", rf"TZID\g<1>{own}", text)
    assert renamed != text
    return renamed


def utc_starts(events: Iterable[object]) -> list[datetime]:
    """Return the events' instants (``.at``) in UTC, sorted."""
    return sorted(e.at.astimezone(UTC) for e in events)  # type: ignore[attr-defined]


def far(day: date) -> date:
    """Return *day* moved a year on (an end date for open plans)."""
    return date(day.year + 1, day.month, min(day.day, 28))
