"""Recurrence sets (DTSTART, COUNT, UNTIL, EXDATE, RDATE, times of day) against dateutil.

dateutil's ``rrulestr`` is the oracle for the parts it gets right: it is
given the same content lines, with ``zoneinfo`` for TZIDs. Where regimen
defines something dateutil does not (an UNTIL that is a date covers that
whole day), the oracle's text says the same thing its own way (the last
second of that day). The rules drawn include numbered weekdays (1TU, -1FR),
BYYEARDAY, BYSETPOS (without BYHOUR/BYMINUTE, which regimen refuses with
it; not weekly, where dateutil starts the first week at DTSTART) and WKST
with weekly intervals. Cases dateutil gets wrong (mixed plain
and numbered BYDAY, BYWEEKNO) are not drawn here; tests/test_expand_rrule.py
covers them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from unittest import mock
from zoneinfo import ZoneInfo

import dateutil.rrule
from dateutil.rrule import rrule, rrulestr
from hypothesis import given
from hypothesis import strategies as st

from regimen._rrule_set import RecurrenceSet
from regimen._timezone import localize

from .test_schedule import _CappedDatetime

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ZONES = ["America/New_York", "Australia/Lord_Howe", "Europe/Dublin"]
_DAYLY = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


def _stamp(moment: datetime) -> str:
    text = moment.strftime("%Y%m%dT%H%M%S")
    return text + "Z" if moment.tzinfo is not None else text


@st.composite
def rule_lines(draw: st.DrawFn) -> tuple[str, list[str], str | None]:
    """Return (RRULE value, the RRULE's parts, the zone or None for floating times)."""
    freq = draw(st.sampled_from([*_DAYLY, "HOURLY", "MINUTELY"]))
    parts = [f"FREQ={freq}"]
    most = {"HOURLY": 30, "MINUTELY": 200}.get(freq, 4)
    interval = draw(st.integers(1, most))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    by_day = draw(st.sampled_from(["none", "plain", "numbered"]))
    if by_day == "numbered" and freq in {"MONTHLY", "YEARLY"}:
        # plain and numbered weekdays are not mixed: dateutil gets that wrong
        nth = st.tuples(
            st.sampled_from([1, 2, 4, 5, -1, -2]), st.sampled_from(WEEKDAYS)
        )
        days = {f"{n}{d}" for n, d in draw(st.sets(nth, min_size=1, max_size=2))}
        parts.append("BYDAY=" + ",".join(sorted(days)))
    elif by_day != "none":
        days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1, max_size=3))
        parts.append("BYDAY=" + ",".join(sorted(days)))
    if freq in {"MONTHLY", "YEARLY"} and draw(st.booleans()):
        numbers = draw(st.sets(st.sampled_from([1, 2, 15, 28, 31, -1]), min_size=1))
        parts.append("BYMONTHDAY=" + ",".join(map(str, sorted(numbers))))
    if freq in {"DAILY", "YEARLY"} and draw(st.integers(0, 3)) == 0:
        yeardays = st.sampled_from([1, 59, 60, 200, 365, 366, -1, -306, -366])
        numbers = draw(st.sets(yeardays, min_size=1, max_size=3))
        parts.append("BYYEARDAY=" + ",".join(map(str, sorted(numbers))))
    if freq != "WEEKLY" and draw(st.integers(0, 3)) == 0:
        months = draw(st.sets(st.integers(1, 12), min_size=1, max_size=4))
        parts.append("BYMONTH=" + ",".join(map(str, sorted(months))))
    if freq == "WEEKLY" and interval > 1 and draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    picks = any(p.startswith("BY") for p in parts)  # a BYxxx part to pick from
    # not WEEKLY: dateutil's first week starts at DTSTART, not at WKST, so
    # its positions differ when DTSTART is not the week's first day
    if (
        freq in {"DAILY", "MONTHLY", "YEARLY"}
        and picks
        and draw(st.integers(0, 3)) == 0
    ):
        positions = st.sets(st.sampled_from([1, 2, 3, -1, -2]), min_size=1, max_size=2)
        parts.append("BYSETPOS=" + ",".join(map(str, sorted(draw(positions)))))
        return ";".join(parts), parts, draw(st.none() | st.sampled_from(ZONES))
    if draw(st.booleans()):
        hours = draw(st.sets(st.integers(0, 23), min_size=1, max_size=3))
        parts.append("BYHOUR=" + ",".join(map(str, sorted(hours))))
    if draw(st.booleans()):
        minutes = draw(
            st.sets(st.sampled_from([0, 15, 30, 45]), min_size=1, max_size=2)
        )
        parts.append("BYMINUTE=" + ",".join(map(str, sorted(minutes))))
    zone = draw(st.none() | st.sampled_from(ZONES))
    return ";".join(parts), parts, zone


class Case(NamedTuple):
    ours: str
    theirs: str
    rdates: list[datetime]
    window: tuple[date, date]
    zone: str | None


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Return our text, the oracle's text and RDATEs, the window and the zone."""
    rule, parts, zone = draw(rule_lines())
    start = datetime.combine(
        draw(st.dates(date(2026, 1, 1), date(2028, 12, 31))),
        time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))),
    )
    tzid = f";TZID={zone}" if zone else ""
    head = f"DTSTART{tzid}:{_stamp(start)}\n"
    sub_daily = parts[0] in {"FREQ=HOURLY", "FREQ=MINUTELY"}
    span = timedelta(days=3 if sub_daily else 500)
    bound = draw(st.sampled_from(["none", "count", "until-date", "until-time"]))
    ours_rule = theirs_rule = rule
    if bound == "count":
        ours_rule = theirs_rule = rule + f";COUNT={draw(st.integers(1, 40))}"
    elif bound != "none":
        end = start + draw(st.timedeltas(timedelta(0), span))
        end = end.replace(second=0, microsecond=0)
        if zone:  # an instant in UTC: the only UNTIL RFC 5545 allows with a TZID
            text = _stamp(end.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC))
            ours_rule = theirs_rule = rule + f";UNTIL={text}"
        elif (
            bound == "until-date"
        ):  # the whole day, which dateutil says by its last second
            ours_rule = rule + f";UNTIL={end:%Y%m%d}"
            theirs_rule = rule + f";UNTIL={end:%Y%m%d}T235959"
        else:
            ours_rule = theirs_rule = rule + f";UNTIL={_stamp(end)}"
    tail = ""
    # Leave out some of the rule's own occurrences, and add a few other times.
    tz = ZoneInfo(zone) if zone else None
    own = _first_of(head + "RRULE:" + theirs_rule, start.replace(tzinfo=tz))
    leave_out: bool = draw(st.booleans())
    if own and leave_out:
        gone = draw(st.lists(st.sampled_from(own), max_size=3, unique=True))
        if gone:
            tail += f"\nEXDATE{tzid}:" + ",".join(
                _stamp(g.replace(tzinfo=None)) for g in gone
            )
    moments: list[datetime] = []
    if draw(st.booleans()):  # dateutil reads no RDATE;TZID: it gets them as values
        extra = draw(
            st.lists(st.timedeltas(timedelta(0), span), min_size=1, max_size=3)
        )
        moments = [(start + e).replace(second=0, microsecond=0) for e in extra]
    added = f"\nRDATE{tzid}:" + ",".join(_stamp(m) for m in moments) if moments else ""
    # Mostly near DTSTART (where COUNT and UNTIL end), sometimes far after it.
    near = st.integers(-3, 1 if sub_daily else 10)
    far = st.integers(-3, 40 if sub_daily else 300)
    first = start.date() + timedelta(days=draw(near | far))
    last = first + timedelta(days=draw(st.integers(0, 3 if sub_daily else 400)))
    return Case(
        head + "RRULE:" + ours_rule + tail + added,
        head + "RRULE:" + theirs_rule + tail,
        moments,
        (first, last),
        zone,
    )


def _first_of(text: str, start: datetime) -> list[datetime]:
    """Return dateutil's first 30 instances of *text* (none if it sees none can come)."""
    try:
        plain = rrulestr(text, tzids=ZoneInfo, forceset=True)
        # dateutil scans to 9999 for a rule that stops matching: stop it sooner.
        with mock.patch.object(
            dateutil.rrule, "datetime", _CappedDatetime(start.year + 3)
        ):
            return list(plain.xafter(start, count=30, inc=True))
    except ValueError as error:  # "... generates an empty set", "... empty rule"
        refused = str(error)
    assert "empty" in refused
    return []


def _ours(
    text: str, first: date, last: date, zone: str | None
) -> list[datetime] | None:
    try:
        rules = RecurrenceSet.parse(text)
    except ValueError as error:
        refused = str(error)
    else:
        refused = ""
    if refused:
        assert "can never match" in refused or "selects no day" in refused
        return None
    tz = ZoneInfo(zone) if zone else UTC
    found = [
        (d, t)
        for d, ts in rules.occurrences(first, last, anchor=first, tz=tz)
        for t in ts
    ]
    if zone is None:
        return [datetime.combine(d, t) for d, t in found]
    return [localize(d, t, tz).astimezone(UTC) for d, t in found]


def _theirs(case: Case, *, rdates: bool = True) -> list[datetime]:
    (first, last), zone = case.window, case.zone
    tz = ZoneInfo(zone) if zone else None
    lo = datetime.combine(first, time(0), tzinfo=tz)
    hi = datetime.combine(last, time.max, tzinfo=tz)
    try:
        oracle = rrulestr(case.theirs, tzids=ZoneInfo, forceset=True)
        for moment in case.rdates if rdates else ():
            oracle.rdate(moment.replace(tzinfo=tz))
        with mock.patch.object(
            dateutil.rrule, "datetime", _CappedDatetime(last.year + 1)
        ):
            found = oracle.between(lo, hi, inc=True)
    except ValueError as error:  # "... generates an empty set", "... empty rule"
        refused = str(error)
    else:
        refused = ""
    if refused:
        assert "empty" in refused
        return []
    if zone is None:
        return list(found)
    return [moment.astimezone(UTC) for moment in found]


@given(cases())
def test_occurrences_agree_with_dateutil(case: Case) -> None:
    """COUNT, UNTIL, DTSTART anchoring, EXDATE/RDATE and times of day give dateutil's instants."""
    ours = _ours(case.ours, *case.window, case.zone)
    if ours is None:  # refused as never matching: dateutil's rule finds nothing either
        assert _theirs(case, rdates=False) == []
    else:
        assert ours == _theirs(case)


def test_the_oracle_is_dateutil() -> None:
    """The oracle really expands: a weekly rule with COUNT=3 from a Monday."""
    got = list(rrule(2, dtstart=datetime(2027, 3, 1, 9), count=3))
    assert got[-1] == datetime(2027, 3, 15, 9)
