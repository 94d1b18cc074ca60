"""Tests that pin recurrence sets exactly enough to kill their mutants (issue 10).

They cover what the dateutil property rarely draws: UNTIL exactly at a dose,
UNTIL next to a daylight-saving change, seconds in DTSTART and BYSECOND,
HOURLY and MINUTELY steps with BYMINUTE, the supported years at their ends,
and TZID values as calendars write them.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from regimen import _rrule_occur
from regimen._rrule_set import RecurrenceSet


def wall(
    text: str,
    first: date,
    last: date,
    *,
    zone: str = "UTC",
    times: tuple[time, ...] = (),
) -> list[datetime]:
    """Return the occurrences of *text* in [first, last] as naive wall times."""
    rs = RecurrenceSet.parse(text, times_given=bool(times))
    found = rs.occurrences(first, last, anchor=first, tz=ZoneInfo(zone), times=times)
    return [datetime.combine(d, t) for d, ts in found for t in ts]


class TestUntil:
    def test_a_dose_at_a_local_until_is_kept(self) -> None:
        """UNTIL is inclusive: a dose exactly at a wall-time UNTIL is the last one."""
        got = wall(
            "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;UNTIL=20270303T090000",
            date(2027, 3, 1),
            date(2027, 3, 31),
        )
        assert got == [datetime(2027, 3, d, 9) for d in (1, 2, 3)]

    def test_a_utc_until_on_a_day_the_rule_skips(self) -> None:
        """A UTC UNTIL the day before a weekly dose ends the series before that dose."""
        # Sunday 2027-03-07 08:00 UTC; the next dose would be Monday 09:00.
        got = wall(
            "DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270307T080000Z",
            date(2027, 3, 1),
            date(2027, 3, 31),
        )
        assert got == [datetime(2027, 3, 1, 9)]

    def test_utc_until_in_the_repeated_hour_of_fall_back(self) -> None:
        """UNTIL 06:15 UTC is 01:15 EST, after the first (EDT) 01:45 of 7 November: it is kept."""
        got = wall(
            "DTSTART:20271105T014500\nRRULE:FREQ=DAILY;UNTIL=20271107T061500Z",
            date(2027, 11, 5),
            date(2027, 11, 30),
            zone="America/New_York",
        )
        assert got == [datetime(2027, 11, d, 1, 45) for d in (5, 6, 7)]

    def test_utc_until_just_after_spring_forward(self) -> None:
        """UNTIL 03:15 EDT comes before 02:30 of 14 March, which is taken as 03:30 EDT."""
        got = wall(
            "DTSTART:20270312T023000\nRRULE:FREQ=DAILY;UNTIL=20270314T071500Z",
            date(2027, 3, 12),
            date(2027, 3, 31),
            zone="America/New_York",
        )
        assert got == [datetime(2027, 3, 12, 2, 30), datetime(2027, 3, 13, 2, 30)]


class TestTimesOfDay:
    def test_dtstart_seconds_are_kept(self) -> None:
        """DTSTART's seconds are part of the time of every occurrence."""
        got = wall(
            "DTSTART:20270301T090030\nRRULE:FREQ=DAILY;COUNT=2",
            date(2027, 3, 1),
            date(2027, 3, 31),
        )
        assert got == [datetime(2027, 3, 1, 9, 0, 30), datetime(2027, 3, 2, 9, 0, 30)]

    def test_bysecond(self) -> None:
        """BYSECOND gives the seconds of each time, with BYHOUR and BYMINUTE."""
        rs = RecurrenceSet.parse("FREQ=DAILY;BYHOUR=8;BYMINUTE=5;BYSECOND=10,40")
        assert rs.day_times() == (time(8, 5, 10), time(8, 5, 40))

    def test_hourly_interval_counts_hours_from_dtstart(self) -> None:
        """Every 5 hours from 09:00 is 09, 14, 19 and then 00, 05, 10 ... the next day."""
        got = wall(
            "DTSTART:20270301T090000\nRRULE:FREQ=HOURLY;INTERVAL=5;COUNT=7",
            date(2027, 3, 1),
            date(2027, 3, 31),
        )
        assert [(g.day, g.hour) for g in got] == [
            (1, 9),
            (1, 14),
            (1, 19),
            (2, 0),
            (2, 5),
            (2, 10),
            (2, 15),
        ]

    def test_minutely_with_byminute(self) -> None:
        """Every 15 minutes, kept only at minutes 0 and 30, from 09:00 to 10:30."""
        got = wall(
            "DTSTART:20270301T090000\nRRULE:FREQ=MINUTELY;INTERVAL=15;BYMINUTE=0,30;"
            "BYHOUR=9,10",
            date(2027, 3, 1),
            date(2027, 3, 1),
        )
        assert [(g.hour, g.minute) for g in got] == [(9, 0), (9, 30), (10, 0), (10, 30)]

    @pytest.mark.parametrize(
        ("part", "value"), [("BYHOUR", 23), ("BYMINUTE", 59), ("BYSECOND", 59)]
    )
    def test_the_last_hour_minute_and_second_are_allowed(
        self, part: str, value: int
    ) -> None:
        """23, 59 and 59 are the largest BYHOUR, BYMINUTE and BYSECOND."""
        rs = RecurrenceSet.parse(
            f"DTSTART:20270301T000000\nRRULE:FREQ=DAILY;{part}={value}"
        )
        [at] = rs.day_times()
        assert {"BYHOUR": at.hour, "BYMINUTE": at.minute, "BYSECOND": at.second}[
            part
        ] == value


class TestValues:
    @pytest.mark.parametrize("day", ["00020101", "99981231", "00020101T000000"])
    def test_the_supported_years_end_at_0002_and_9998(self, day: str) -> None:
        """DTSTART in year 2 or 9998 is read; the years 1 and 9999 are refused."""
        rs = RecurrenceSet.parse(f"DTSTART:{day}\nRRULE:FREQ=DAILY", times_given=True)
        assert rs.dtstart is not None
        assert rs.dtstart.year == int(day[:4])

    @pytest.mark.parametrize("day", ["00011231", "99990101T000000"])
    def test_years_1_and_9999_are_refused(self, day: str) -> None:
        """Year 1 and year 9999 are outside the years regimen plans."""
        with pytest.raises(ValueError, match="is outside the years 0002 to 9998"):
            RecurrenceSet.parse(f"DTSTART:{day}\nRRULE:FREQ=DAILY", times_given=True)

    def test_a_utc_value_after_others_is_refused_with_a_tzid(self) -> None:
        """A Z on any value of a list with a TZID is refused, not only on the last."""
        text = (
            "RRULE:FREQ=DAILY\n"
            "EXDATE;TZID=Europe/Dublin:20270301T090000Z,20270302T090000"
        )
        with pytest.raises(ValueError, match="has a TZID and a time in UTC"):
            RecurrenceSet.parse(text, times_given=True)

    def test_a_tzid_with_a_leading_slash(self) -> None:
        """TZID=/Europe/Dublin (a globally unique zone name) is the zone Europe/Dublin."""
        rs = RecurrenceSet.parse(
            "DTSTART;TZID=/Europe/Dublin:20270301T090000\nRRULE:FREQ=DAILY"
        )
        assert rs.zone == "Europe/Dublin"


class TestAddedDates:
    @pytest.mark.parametrize(
        ("text", "times", "at"),
        [
            # the schedule gives the times
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO\nRDATE;VALUE=DATE:20270303",
                (time(8),),
                time(8),
            ),
            # DTSTART's time is the rule's time of day
            ("DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY\nRDATE:20270303", (), time(9)),
            # an HOURLY rule: a date added is at DTSTART's time
            (
                "DTSTART:20270301T090000\nRRULE:FREQ=HOURLY;INTERVAL=4;UNTIL="
                "20270301T170000\nRDATE:20270303",
                (),
                time(9),
            ),
        ],
    )
    def test_an_added_date_takes_the_rules_time(
        self, text: str, times: tuple[time, ...], at: time
    ) -> None:
        """An RDATE without a time is a dose at the time the rule's doses have."""
        got = wall(text, date(2027, 3, 3), date(2027, 3, 3), times=times)
        assert got == [datetime.combine(date(2027, 3, 3), at)]

    def test_an_added_date_on_the_windows_first_and_last_day(self) -> None:
        """RDATEs on the first and the last day of the window are in it."""
        text = "DTSTART:20270301T090000\nRRULE:FREQ=MONTHLY\nRDATE:20270310,20270320"
        got = wall(text, date(2027, 3, 10), date(2027, 3, 20))
        assert got == [datetime(2027, 3, 10, 9), datetime(2027, 3, 20, 9)]


class TestCountAndWindow:
    def test_count_before_the_window_is_counted_not_yielded(self) -> None:
        """COUNT=10 from 1 March, asked from 5 March, gives 5 to 10 March only."""
        got = wall(
            "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=10",
            date(2027, 3, 5),
            date(2027, 3, 31),
        )
        assert got == [datetime(2027, 3, d, 9) for d in range(5, 11)]

    def test_without_count_only_the_window_is_scanned(self) -> None:
        """A rule from 2000 asked about four weeks of 2027 scans those four weeks."""
        rs = RecurrenceSet.parse("DTSTART:20000103T090000\nRRULE:FREQ=WEEKLY")
        spent: list[int] = []
        found = rs.occurrences(
            date(2027, 3, 1),
            date(2027, 3, 28),
            anchor=date(2027, 3, 1),
            spend=spent.append,
        )
        assert [d for d, _ in found] == [date(2027, 3, d) for d in (1, 8, 15, 22)]
        assert sum(spent) == 28


class TestMachineZone:
    def test_utc_until_does_not_depend_on_the_computers_zone(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """UNTIL in UTC is converted to the plan's zone, not the computer's, even 26 hours apart."""
        tzset = getattr(__import__("time"), "tzset", None)
        if tzset is None:
            pytest.skip("time.tzset is not available here")
        monkeypatch.setenv("TZ", "Etc/GMT+12")
        tzset()
        try:
            # UNTIL 00:00 UTC on 10 March is 14:00 in Kiritimati (UTC+14):
            # the 13:00 dose of 10 March is in, the next day's is not.
            got = wall(
                "DTSTART:20270308T130000\nRRULE:FREQ=DAILY;UNTIL=20270310T000000Z",
                date(2027, 3, 8),
                date(2027, 3, 31),
                zone="Pacific/Kiritimati",
            )
        finally:
            monkeypatch.undo()
            tzset()
        assert got == [datetime(2027, 3, d, 13) for d in (8, 9, 10)]


class TestMerging:
    def test_several_added_dates_between_two_rule_days(self) -> None:
        """RDATEs between the rule's days come out once each, in order."""
        text = (
            "DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY;COUNT=2\n"
            "RDATE:20270302T090000,20270303T090000,20270304T090000,20270305T090000"
        )
        rs = RecurrenceSet.parse(text)
        found = rs.occurrences(
            date(2027, 3, 1), date(2027, 3, 31), anchor=date(2027, 3, 1)
        )
        got = [d.day for d, _ in itertools.islice(found, 10)]
        assert got == [1, 2, 3, 4, 5, 8]

    def test_an_added_date_on_a_rule_day_joins_it(self) -> None:
        """An RDATE on one of the rule's days is one more time of that day, not a second day."""
        text = (
            "DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY;COUNT=3\n"
            "RDATE:20270302T090000,20270303T090000,20270308T120000,20270308T090000,"
            "20270310T090000"
        )
        rs = RecurrenceSet.parse(text)
        found = rs.occurrences(
            date(2027, 3, 1), date(2027, 3, 31), anchor=date(2027, 3, 1)
        )
        got = [(d.day, [t.hour for t in ts]) for d, ts in itertools.islice(found, 10)]
        assert got == [
            (1, [9]),
            (2, [9]),
            (3, [9]),
            (8, [9, 12]),
            (10, [9]),
            (15, [9]),
        ]


class TestNeverMatches:
    @pytest.mark.parametrize(
        "rule",
        ["FREQ=YEARLY;BYMONTH=2;BYYEARDAY=1", "FREQ=YEARLY;BYMONTH=6;BYWEEKNO=1"],
    )
    def test_yearday_or_week_outside_the_month(self, rule: str) -> None:
        """Day 1 of the year is never in February, week 1 never in June: refused."""
        with pytest.raises(ValueError, match="can never match"):
            RecurrenceSet.parse(rule, times_given=True)

    def test_an_interval_that_skips_the_month_in_2000(self) -> None:
        """Every twelfth month, in March: whether a day ever matches ignores INTERVAL."""
        rs = RecurrenceSet.parse(
            "FREQ=MONTHLY;INTERVAL=12;BYMONTH=3;BYMONTHDAY=1", times_given=True
        )
        found = rs.occurrences(
            date(2027, 1, 1),
            date(2029, 12, 31),
            anchor=date(2027, 3, 1),
            times=(time(8),),
        )
        assert [d for d, _ in found] == [
            date(2027, 3, 1),
            date(2028, 3, 1),
            date(2029, 3, 1),
        ]

    def test_a_utc_until_may_end_on_the_next_local_day(self) -> None:
        """UNTIL 23:00 UTC on Monday is Tuesday 09:00 in Brisbane: a Tuesday rule is kept."""
        text = (
            "DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270301T230000Z"
        )
        got = wall(text, date(2027, 3, 1), date(2027, 3, 31), zone="Australia/Brisbane")
        assert got == [datetime(2027, 3, 2, 9)]

    def test_a_local_until_the_day_before_the_only_match(self) -> None:
        """UNTIL 23:00 local on Monday ends a Tuesday rule before its first day: refused."""
        text = (
            "DTSTART:20270301T090000\nRRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270301T230000"
        )
        with pytest.raises(ValueError, match="selects no day from DTSTART"):
            RecurrenceSet.parse(text)


class TestGivingUp:
    """The search for a first match stops after a number of periods (lowered here to 2)."""

    @pytest.fixture(autouse=True)
    def _two_periods(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(_rrule_occur, "_FIRST_MATCH_PERIODS", 2)

    def test_a_search_within_the_limit_is_finished(self) -> None:
        """Two months without a match, in two periods: the rule is refused."""
        text = (
            "DTSTART:20270101\nRRULE:FREQ=MONTHLY;BYMONTH=3;BYMONTHDAY=1;UNTIL=20270228"
        )
        with pytest.raises(ValueError, match="selects no day from DTSTART"):
            RecurrenceSet.parse(text, times_given=True)

    def test_a_longer_search_is_left_to_expansion(self) -> None:
        """Every January from 2027 never meets March, but only two periods are looked at."""
        text = "DTSTART:20270101\nRRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTH=3;BYMONTHDAY=1"
        rs = RecurrenceSet.parse(text, times_given=True)
        assert rs.count is None


class TestParts:
    def test_count_of_one(self) -> None:
        """COUNT=1 is the smallest COUNT: the first occurrence only."""
        got = wall(
            "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=1",
            date(2027, 3, 1),
            date(2027, 3, 31),
        )
        assert got == [datetime(2027, 3, 1, 9)]

    @pytest.mark.parametrize("part", ["BYMINUTE=30", "BYSECOND=30"])
    def test_a_clock_part_alone_clashes_with_schedule_times(self, part: str) -> None:
        """BYMINUTE or BYSECOND alone gives times of day: not with the schedule's."""
        with pytest.raises(ValueError, match="gives the times of day itself"):
            RecurrenceSet.parse(f"FREQ=DAILY;{part}", times_given=True)

    def test_a_rule_without_times_says_none(self) -> None:
        """A date rule that names no time has no times of day of its own."""
        rs = RecurrenceSet.parse("FREQ=WEEKLY;BYDAY=MO", times_given=True)
        assert rs.times_of_day() == ()
        assert not rs.gives_times

    @pytest.mark.parametrize(
        "text",
        [
            "FREQ=DAILY;COUNT=1000000",
            "FREQ=DAILY;UNTIL=99991231",
            "FREQ=DAILY;UNTIL=00010101T000000Z",
            "DTSTART:20270301T090000\nRRULE:FREQ=HOURLY;INTERVAL=10000",
        ],
    )
    def test_limits_are_inclusive(self, text: str) -> None:
        """COUNT up to 1,000,000, UNTIL in any year, INTERVAL up to 10,000 are read."""
        assert RecurrenceSet.parse(text, times_given="DTSTART" not in text).text == text

    @pytest.mark.parametrize(
        ("text", "why"),
        [
            (
                "FREQ=DAILY;COUNT=1000001",
                "COUNT must be a whole number from 1 to 1,000,000 (got '1000001')",
            ),
            (
                "FREQ=HOURLY;INTERVAL=x",
                "INTERVAL must be a whole number from 1 to 10000 (got 'X')",
            ),
        ],
    )
    def test_beyond_the_limits(self, text: str, why: str) -> None:
        """Values past the limits, or not numbers, are refused saying which."""
        with pytest.raises(ValueError, match="recurrence rule") as info:
            RecurrenceSet.parse(text, times_given=True)
        assert str(info.value) == f"recurrence rule {text!r}: {why}"
