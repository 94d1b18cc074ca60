"""Recurrence rules as calendars write them: content lines, bounds, times, refusals."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from regimen import Entry, LoadError, Plan, Schedule, dumps, loads
from regimen._rrule_set import RecurrenceSet

from .helpers import kratom


def doses(
    rule: str, *times: str, start: str, end: str, zone: str = "America/New_York"
) -> list[str]:
    """Return the plan's dose times as ISO text with their offsets."""
    plan = Plan(
        "p",
        timezone=zone,
        start=start,
        end=end,
        entries=[Entry(kratom(), Schedule.rrule(rule, *times))],
    )
    return [e.at.isoformat() for e in plan.timeline()]


class TestContentLines:
    @pytest.mark.parametrize(
        "text",
        [
            "DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            "DTSTART:20270301T090000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\r\n",
            "dtstart:20270301T090000\nrrule:freq=weekly;byday=mo;count=2",
            "DTSTART:20270301T090000\r\nRRULE:FREQ=WEEKLY;\r\n BYDAY=MO;COUNT=2",
            "DTSTART;VALUE=DATE-TIME:20270301T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            "\n    DTSTART:20270301T090000\n    RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\n",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\nDTSTART;TZID=America/New_York:20270301T090000",
        ],
    )
    def test_forms_a_calendar_writes(self, text: str) -> None:
        """LF or CRLF, folded, indented (a TOML multi-line string), any order and case: one meaning."""
        assert doses(text, start="2027-02-01", end="2027-12-31") == [
            "2027-03-01T09:00:00-05:00",
            "2027-03-08T09:00:00-05:00",
        ]

    def test_bare_rule_and_prefix(self) -> None:
        """A bare RRULE value and one with the ``RRULE:`` prefix are the same rule."""
        a = Schedule.rrule("FREQ=DAILY;COUNT=3", "08:00")
        b = Schedule.rrule("RRULE:FREQ=DAILY;COUNT=3", "08:00")
        window = (date(2027, 1, 1), date(2027, 1, 31))
        assert list(a.dates(*window, anchor=window[0])) == list(
            b.dates(*window, anchor=window[0])
        )
        assert [d.day for d in a.dates(*window, anchor=window[0])] == [1, 2, 3]

    def test_text_is_kept_one_line_per_property(self) -> None:
        """The text is kept unfolded, one content line per line, for summaries and files."""
        s = Schedule.rrule(
            "  DTSTART:20270301T090000\r\n  RRULE:FREQ=DAILY;\r\n COUNT=2\r\n"
        )
        assert s.rule is not None
        assert s.rule.text == "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=2"
        assert (
            s.describe()
            == "per DTSTART:20270301T090000 RRULE:FREQ=DAILY;COUNT=2 at 09:00"
        )


class TestBounds:
    def test_count_counts_from_dtstart_before_the_plan(self) -> None:
        """COUNT=10 from March 1 ends on March 10 even if the plan starts on March 5."""
        got = doses(
            "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=10",
            start="2027-03-05",
            end="2027-03-31",
        )
        assert [g[:10] for g in got] == [f"2027-03-{d:02d}" for d in range(5, 11)]

    def test_dtstart_anchors_the_interval(self) -> None:
        """Every other Monday from March 1 is March 15 and 29 in a plan starting March 8."""
        rule = "DTSTART:20270301\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
        got = doses(rule, "09:00", start="2027-03-08", end="2027-04-04")
        assert [g[:10] for g in got] == ["2027-03-15", "2027-03-29"]
        # Without DTSTART the entry's first day (March 8) anchors it.
        got = doses(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            "09:00",
            start="2027-03-08",
            end="2027-04-04",
        )
        assert [g[:10] for g in got] == ["2027-03-08", "2027-03-22"]

    def test_utc_until_before_the_dose_excludes_that_day(self) -> None:
        """UNTIL 13:00 UTC on March 10 is 08:00 EST, before the 09:00 dose: March 10 is out."""
        got = doses(
            "FREQ=DAILY;UNTIL=20270310T130000Z",
            "09:00",
            start="2027-03-08",
            end="2027-03-31",
        )
        assert [g[:10] for g in got] == ["2027-03-08", "2027-03-09"]
        # 14:00 UTC is 09:00 EST exactly: UNTIL is inclusive.
        got = doses(
            "FREQ=DAILY;UNTIL=20270310T140000Z",
            "09:00",
            start="2027-03-08",
            end="2027-03-31",
        )
        assert got[-1] == "2027-03-10T09:00:00-05:00"

    def test_utc_until_in_a_zone_east_of_utc(self) -> None:
        """UNTIL 23:30 UTC on June 1 is 01:30 on June 2 in Berlin (CEST): the 01:00 dose of June 2 is in."""
        got = doses(
            "FREQ=DAILY;UNTIL=20270601T233000Z",
            "01:00",
            start="2027-05-31",
            end="2027-06-30",
            zone="Europe/Berlin",
        )
        assert got[-1] == "2027-06-02T01:00:00+02:00"

    def test_until_as_a_date_and_as_local_time(self) -> None:
        """UNTIL as a date keeps that whole day; as a local date-time it is a wall time."""
        assert (
            doses(
                "FREQ=DAILY;UNTIL=20270310",
                "23:30",
                start="2027-03-08",
                end="2027-03-31",
            )[-1][:10]
            == "2027-03-10"
        )
        local = doses(
            "FREQ=DAILY;UNTIL=20270310T120000",
            "08:00",
            "20:00",
            start="2027-03-09",
            end="2027-03-31",
        )
        assert local[-1] == "2027-03-10T08:00:00-05:00"

    def test_plan_and_entry_dates_still_bound(self) -> None:
        """A rule that began in 1997 yields nothing before the entry's first day."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start="2027-01-01",
            end="2027-01-31",
            entries=[
                Entry(
                    kratom(),
                    Schedule.rrule(
                        "DTSTART:19970902T090000\nRRULE:FREQ=WEEKLY;BYDAY=TU"
                    ),
                    start="2027-01-15",
                    end="2027-01-25",
                )
            ],
        )
        assert [e.at.day for e in plan.timeline()] == [19]


class TestExdateRdate:
    def test_dates_and_date_times(self) -> None:
        """EXDATE as a date removes the day, as a date-time one dose; RDATE adds days and doses."""
        rule = (
            "DTSTART:20270301T080000\n"
            "RRULE:FREQ=DAILY;BYHOUR=8,20;COUNT=6\n"
            "EXDATE;VALUE=DATE:20270302\n"
            "EXDATE:20270303T200000\n"
            "RDATE;VALUE=DATE:20270310,20270311\n"
            "RDATE:20270312T120000"
        )
        got = doses(rule, start="2027-03-01", end="2027-03-31")
        assert [g[:16] for g in got] == [
            "2027-03-01T08:00",
            "2027-03-01T20:00",
            "2027-03-03T08:00",
            "2027-03-10T08:00",  # an RDATE day gets the times a rule day gets
            "2027-03-10T20:00",
            "2027-03-11T08:00",
            "2027-03-11T20:00",
            "2027-03-12T12:00",
        ]

    def test_a_rule_ended_before_dtstart_with_rdates(self) -> None:
        """An RRULE that selects nothing is fine when RDATEs make the series (an edited event)."""
        rule = "DTSTART:20270101T090000\nRRULE:FREQ=DAILY;UNTIL=20261231\nRDATE:20270105T090000"
        assert doses(rule, start="2027-01-01", end="2027-01-31") == [
            "2027-01-05T09:00:00-05:00"
        ]

    def test_utc_values_are_read_in_the_plan_zone(self) -> None:
        """EXDATE 13:00 UTC is the 08:00 EST dose; RDATE 20:00 UTC is 15:00 EST."""
        rule = (
            "RRULE:FREQ=DAILY;COUNT=2\nEXDATE:20270302T130000Z\nRDATE:20270305T200000Z"
        )
        got = doses(rule, "08:00", start="2027-03-01", end="2027-03-31")
        assert got == ["2027-03-01T08:00:00-05:00", "2027-03-05T15:00:00-05:00"]


class TestTimesFromTheRule:
    def test_byhour_gives_the_times(self) -> None:
        """FREQ=DAILY;BYHOUR=8,20 is a schedule at 08:00 and 20:00."""
        assert Schedule.rrule("FREQ=DAILY;BYHOUR=8,20").times == (time(8), time(20))

    def test_dtstart_time_gives_the_time(self) -> None:
        """A DTSTART with a time and no BYHOUR doses at that time."""
        assert Schedule.rrule("DTSTART:20270301T073000\nRRULE:FREQ=DAILY").times == (
            time(7, 30),
        )

    def test_hourly_across_spring_forward(self) -> None:
        """Hourly from midnight on 2027-03-14 in New York: 02:00 does not exist and moves to 03:00."""
        got = doses(
            "DTSTART:20270314T000000\nRRULE:FREQ=HOURLY;COUNT=5",
            start="2027-03-14",
            end="2027-03-14",
        )
        assert got == [
            "2027-03-14T00:00:00-05:00",
            "2027-03-14T01:00:00-05:00",
            "2027-03-14T03:00:00-04:00",
            "2027-03-14T03:00:00-04:00",
            "2027-03-14T04:00:00-04:00",
        ]

    def test_hourly_across_fall_back(self) -> None:
        """Hourly on 2027-11-07 in New York: 01:00 comes twice on the clock and is taken once."""
        got = doses(
            "DTSTART:20271107T000000\nRRULE:FREQ=HOURLY;COUNT=4",
            start="2027-11-07",
            end="2027-11-07",
        )
        assert got == [
            "2027-11-07T00:00:00-04:00",
            "2027-11-07T01:00:00-04:00",
            "2027-11-07T02:00:00-05:00",
            "2027-11-07T03:00:00-05:00",
        ]

    def test_hourly_interval_not_dividing_a_day(self) -> None:
        """Every 5 hours from 00:00 continues across midnight: 20:00, then 01:00."""
        s = Schedule.rrule("FREQ=HOURLY;INTERVAL=5")
        got = [
            datetime.combine(d, t)
            for d, ts in s.occurrences(
                date(2027, 1, 1), date(2027, 1, 2), anchor=date(2027, 1, 1)
            )
            for t in ts
        ]
        gaps = {b - a for a, b in itertools.pairwise(got)}
        assert gaps == {timedelta(hours=5)}
        assert len(s.times) == 24  # every hour of the day comes up some day

    def test_file_round_trip_keeps_the_rule_times(self) -> None:
        """A rule that gives its own times is written without times and read back the same."""
        text = '''
[[substances]]
name = "kratom"
[[products]]
name = "powder"
per = "1 g"
contents = { kratom = "1 g" }
[plan]
name = "p"
timezone = "America/New_York"
start = 2027-03-01
end = 2027-03-31
[[plan.entries]]
dose = { product = "powder", amount = "2 g" }
[plan.entries.schedule]
kind = "rrule"
rule = """
    DTSTART;TZID=America/New_York:20270301T090000
    RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=5
    EXDATE;TZID=America/New_York:20270304T090000
"""
'''
        bundle = loads(text)
        assert bundle.plan is not None
        assert len(bundle.plan.timeline()) == 4
        written = dumps(bundle)
        assert "times" not in written
        again = loads(written)
        assert again.plan == bundle.plan

    def test_file_errors_have_paths(self) -> None:
        """A rule that cannot be read is reported at its path, with the reason."""
        text = """
[[substances]]
name = "kratom"
[[products]]
name = "powder"
per = "1 g"
contents = { kratom = "1 g" }
[plan]
name = "p"
timezone = "UTC"
start = 2027-03-01
end = 2027-03-31
[[plan.entries]]
dose = { product = "powder", amount = "2 g" }
schedule = { kind = "rrule", rule = "FREQ=SECONDLY" }
"""
        with pytest.raises(
            LoadError,
            match=r"plan\.entries\[0\]\.schedule: .*FREQ=SECONDLY is not read",
        ):
            loads(text)


class TestZones:
    def test_a_tzid_other_than_the_plans_is_refused(self) -> None:
        """DTSTART in New York for a plan in Berlin is refused, naming both zones and the fixes."""
        schedule = Schedule.rrule(
            "DTSTART;TZID=America/New_York:20270301T090000\nRRULE:FREQ=DAILY"
        )
        with pytest.raises(ValueError, match=r"Plan\.entries") as info:
            Plan(
                "p",
                timezone="Europe/Berlin",
                start="2027-03-01",
                entries=[Entry(kratom(), schedule)],
            )
        assert str(info.value) == (
            "Plan.entries[0].schedule: the rule's DTSTART/EXDATE/RDATE are in "
            "America/New_York, the plan's zone is Europe/Berlin; write them in "
            "Europe/Berlin (or without TZID), or give the plan "
            "timezone='America/New_York'"
        )

    def test_utc_dtstart_in_a_utc_plan(self) -> None:
        """A DTSTART in UTC (ending in Z) is fine for a plan in UTC."""
        got = doses(
            "DTSTART:20270301T090000Z\nRRULE:FREQ=DAILY;COUNT=2",
            start="2027-03-01",
            end="2027-03-31",
            zone="Etc/UTC",
        )
        assert got == ["2027-03-01T09:00:00+00:00", "2027-03-02T09:00:00+00:00"]


REFUSALS = [
    ("", (), "give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'"),
    ("FREQ=SECONDLY", (), "FREQ=SECONDLY is not read: doses seconds apart are not a plan; use FREQ=MINUTELY or FREQ=HOURLY"),
    ("EXRULE:FREQ=DAILY", (), "EXRULE is obsolete in RFC 5545 and not read; list the dates to leave out in an EXDATE line"),
    ("BEGIN:VEVENT\nRRULE:FREQ=DAILY", ("08:00",), "a BEGIN line is not part of a recurrence; give only DTSTART, RRULE, EXDATE and RDATE lines"),
    ("RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY", ("08:00",), "has several RRULE lines; a schedule follows one rule, so use one entry per rule"),
    ("DTSTART:20270101T090000", (), "give one RRULE line, such as 'RRULE:FREQ=WEEKLY;BYDAY=MO'"),
    ("FREQ=DAILY;COUNT=3;UNTIL=20270101", ("08:00",), "has both COUNT and UNTIL; RFC 5545 allows one of them"),
    ("FREQ=DAILY;COUNT=0", ("08:00",), "COUNT must be a whole number from 1 to 1,000,000 (got '0')"),
    ("FREQ=DAILY;UNTIL=2027", ("08:00",), "UNTIL value '2027' is not a date like 20270301 or a date-time like 20270301T090000 (or ...Z in UTC)"),
    ("FREQ=DAILY;UNTIL=20270230", ("08:00",), "UNTIL value '20270230' is not a real date and time"),
    ("DTSTART=20270101;FREQ=DAILY", ("08:00",), "DTSTART is not a part of the RRULE; put it on a line of its own: 'DTSTART:20270301T090000\\nRRULE:FREQ=DAILY'"),
    ("DTSTART:00011231T090000\nRRULE:FREQ=DAILY", (), "DTSTART value '00011231T090000' is outside the years 0002 to 9998"),
    ("DTSTART;TZID=Mars/Base:20270101T090000\nRRULE:FREQ=DAILY", (), "DTSTART;TZID: unknown time zone 'Mars/Base'; use a name from the IANA database such as 'America/New_York' or 'UTC'"),
    ("DTSTART;TZID=Europe/Paris:20270101T090000\nEXDATE;TZID=Europe/Berlin:20270102T090000\nRRULE:FREQ=DAILY", (), "names the zones Europe/Berlin, Europe/Paris; all its TZIDs must be the plan's zone"),
    ("DTSTART;TZID=UTC:20270101T090000Z\nRRULE:FREQ=DAILY", (), "DTSTART has a TZID and a time in UTC (Z); give one of them"),
    ("RRULE:FREQ=DAILY\nEXDATE;TZID=UTC:20270101T090000,20270102T090000Z", ("08:00",), "EXDATE has a TZID and a time in UTC (Z); give one of them"),
    ("RRULE:FREQ=DAILY\nRDATE;VALUE=PERIOD:19960403T020000Z/19960403T040000Z", ("08:00",), "RDATE;VALUE=PERIOD is not read; give the period's start as a DATE-TIME (RDATE:20270301T090000)"),
    ("RRULE:FREQ=DAILY\nEXDATE;VALUE=DATE:20270101T090000", ("08:00",), "EXDATE value '20270101T090000' has a time but VALUE=DATE"),
    ("RRULE:FREQ=DAILY\nEXDATE;VALUE=DATE-TIME:20270101", ("08:00",), "EXDATE value '20270101' has no time but VALUE=DATE-TIME"),
    ("DTSTART;FOO:2027\nRRULE:FREQ=DAILY", (), "DTSTART has a parameter that is not NAME=VALUE"),
    ("DTSTART 20270101\nRRULE:FREQ=DAILY", (), "'DTSTART 20270101' is not a line like 'RRULE:FREQ=DAILY'"),
    ("DTSTART;TZID=UTC 20270101\nRRULE:FREQ=DAILY", (), "DTSTART has no ':' before its value"),
    ("FREQ=DAILY;BYHOUR=24", (), "BYHOUR value '24' must be a whole number 0 to 23"),
    ("FREQ=DAILY;BYMINUTE=60", (), "BYMINUTE value '60' must be a whole number 0 to 59"),
    ("FREQ=DAILY;BYSECOND=x", (), "BYSECOND value 'X' must be a whole number 0 to 59"),
    ("FREQ=DAILY;BYHOUR=8,20;BYSETPOS=1", (), "BYSETPOS with BYHOUR/BYMINUTE/BYSECOND is not read; list only the times wanted in BYHOUR/BYMINUTE"),
    ("FREQ=HOURLY;BYSETPOS=1;BYDAY=MO", (), "BYSETPOS with FREQ=HOURLY is not read; list the times in BYHOUR/BYMINUTE with FREQ=DAILY instead"),
    ("FREQ=HOURLY;INTERVAL=0", (), "INTERVAL must be a whole number from 1 to 10000 (got '0')"),
    ("FREQ=DAILY;BYHOUR=8", ("08:00",), "gives the times of day itself (BYHOUR/BYMINUTE/BYSECOND); leave out the schedule's times, or drop them from the rule"),
    ("FREQ=MINUTELY;INTERVAL=30", ("08:00",), "gives the times of day itself (FREQ=MINUTELY); leave out the schedule's times, or drop them from the rule"),
    ("FREQ=MINUTELY;BYSECOND=0,30", (), "gives more than 1440 times a day"),
    ("FREQ=WEEKLY;BYDAY=MO", (), "says no time of day; give the schedule's times, BYHOUR (and BYMINUTE), or a DTSTART with a time"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", ("08:00",), "can never match: no date has all of its BY parts at once; check the numbers (February has 28 or 29 days, a week one of each weekday)"),
    ("FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2", ("08:00",), "can never match: no date has all of its BY parts at once, at the positions BYSETPOS picks; check the numbers (February has 28 or 29 days, a week one of each weekday)"),
    ("FREQ=HOURLY;INTERVAL=2;BYHOUR=3", (), "can never match: FREQ=HOURLY;INTERVAL=2 from DTSTART's time never reaches its BYHOUR/BYMINUTE; check the numbers"),
    ("DTSTART:99981231\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", ("08:00",), "selects no day from DTSTART (9998-12-31) to 9998-12-31, the last date regimen plans"),
    ("DTSTART:20270101T090000\nRRULE:FREQ=DAILY;UNTIL=20261231", (), "selects no day from DTSTART (2027-01-01) to its UNTIL"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "times", "why"), REFUSALS)
def test_refusals_say_why_and_what_to_write(
    text: str, times: tuple[str, ...], why: str
) -> None:
    """Every rule regimen cannot follow is refused with the reason and the nearest way to say it."""
    with pytest.raises(ValueError, match="recurrence rule") as info:
        Schedule.rrule(text, *times)
    assert str(info.value) == f"recurrence rule {text.strip()!r}: {why}"


def test_refusing_an_impossible_rule_is_quick() -> None:
    """Telling that a rule never matches scans 29 years of shapes, not 8,000 years of days."""
    calls = []
    rule = RecurrenceSet.parse("FREQ=DAILY;COUNT=2", times_given=True).rule
    original = type(rule)._matches

    def counting(self: object, day: date) -> bool:
        calls.append(day)
        return original(self, day)  # type: ignore[arg-type]

    type(rule)._matches = counting  # type: ignore[method-assign]
    try:
        with pytest.raises(ValueError, match="can never match"):
            Schedule.rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO", "08:00")
    finally:
        type(rule)._matches = original  # type: ignore[method-assign]
    assert len(calls) < 30 * 366


def test_naive_and_utc_values_stay_apart() -> None:
    """A value ending in Z is kept as an instant, a plain one as a wall time."""
    rules = RecurrenceSet.parse(
        "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;UNTIL=20270310T130000Z"
    )
    assert rules.dtstart == datetime(2027, 3, 1, 9)
    assert rules.until == datetime(2027, 3, 10, 13, tzinfo=UTC)
