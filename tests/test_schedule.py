"""Tests for Schedule, Weekday and recurrence rules."""

from __future__ import annotations

import datetime as datetime_module
from datetime import date, datetime, time, timedelta
from unittest import mock

import dateutil.rrule
import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from regimen import Schedule, Weekday
from regimen._schedule import parse_time

D0 = date(2027, 1, 1)


def dates(schedule: Schedule, first: date, last: date, anchor: date = D0) -> list[date]:
    return list(schedule.dates(first, last, anchor=anchor))


class TestTimes:
    def test_times_parse_sort_and_dedupe(self) -> None:
        """Times come as text or time objects and are kept sorted and unique."""
        s = Schedule.daily("20:30", time(8), "08:00", "8:00:30")
        assert s.times == (time(8), time(8, 0, 30), time(20, 30))

    @pytest.mark.parametrize("bad", ["24:00", "8", "08:60", "noon", ""])
    def test_bad_times_name_the_value(self, bad: str) -> None:
        """Unreadable times raise ValueError naming the value."""
        with pytest.raises(ValueError, match="time of day like '08:30'"):
            Schedule.daily(bad)

    def test_aware_time_rejected(self) -> None:
        """A time with a zone is refused: the plan's zone applies."""
        from datetime import UTC

        with pytest.raises(ValueError, match="without a time zone"):
            parse_time(time(8, tzinfo=UTC))
        with pytest.raises(TypeError, match=r"datetime\.time"):
            parse_time(8)  # type: ignore[arg-type]

    def test_schedule_needs_a_time(self) -> None:
        """A schedule without times is refused."""
        with pytest.raises(ValueError, match="at least one time"):
            Schedule.daily()


class TestKinds:
    def test_daily(self) -> None:
        """Daily schedules are active every day from the anchor."""
        got = dates(Schedule.daily("08:00"), date(2026, 12, 30), date(2027, 1, 3))
        assert got == [D0 + timedelta(days=i) for i in range(3)]

    def test_weekly(self) -> None:
        """Weekly schedules pick their weekdays, by code or name."""
        s = Schedule.weekly(["MO", "friday", Weekday.WE], "08:00")
        got = dates(s, D0, date(2027, 1, 10))
        assert [d.weekday() for d in got] == [4, 0, 2, 4]
        with pytest.raises(ValueError, match="not a weekday"):
            Schedule.weekly(["XX"], "08:00")
        with pytest.raises(ValueError, match="at least one weekday"):
            Schedule.weekly([], "08:00")

    def test_every_counts_from_the_anchor(self) -> None:
        """``every(3)`` is active on anchor, anchor+3, ... even when the window starts later."""
        got = dates(Schedule.every(3, "08:00"), date(2027, 1, 2), date(2027, 1, 12))
        assert [d.day for d in got] == [4, 7, 10]

    def test_cycle(self) -> None:
        """``cycle(5, 2)`` is five days on, two off."""
        got = dates(Schedule.cycle(5, 2, "08:00"), D0, date(2027, 1, 14))
        assert [d.day for d in got] == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]

    @pytest.mark.parametrize(
        ("build", "match"),
        [
            (lambda: Schedule.every(0, "08:00"), "from 1"),
            (lambda: Schedule.every(True, "08:00"), "whole number"),
            (lambda: Schedule.cycle(0, 2, "08:00"), "on_days must be from 1"),
            (lambda: Schedule.cycle(5, -1, "08:00"), "off_days must be from 0"),
        ],
    )
    def test_bad_counts(self, build: object, match: str) -> None:
        """Counts are checked and the message names the argument."""
        with pytest.raises((ValueError, TypeError), match=match):
            build()  # type: ignore[operator]

    def test_describe(self) -> None:
        """Schedules describe themselves in words."""
        assert Schedule.daily("08:00").describe() == "daily at 08:00"
        assert Schedule.weekly("MO", "08:00").describe() == "on MO at 08:00"
        assert Schedule.every(2, "08:00").describe() == "every 2 days at 08:00"
        assert (
            Schedule.rrule("FREQ=WEEKLY", "08:00")
            .shifted(timedelta(minutes=45))
            .describe()
            == "per FREQ=WEEKLY at 08:00 (+0:45:00)"
        )

    def test_direct_construction_is_checked(self) -> None:
        """Building a Schedule by hand cannot produce an incomplete one."""
        with pytest.raises(TypeError, match=r"Schedule\.daily\(\)"):
            Schedule(kind="daily", times=("08:00",))  # type: ignore[arg-type]
        weekly = Schedule.weekly("MO", "08:00")
        with pytest.raises(ValueError, match="incomplete"):
            Schedule(kind=weekly.kind, times=weekly.times)
        with pytest.raises(ValueError, match="offset must be from 0 to 24 hours"):
            weekly.shifted(timedelta(days=2))

    def test_weekday(self) -> None:
        """Weekdays parse codes and names and know Python's index."""
        assert Weekday("su") is Weekday.SU
        assert Weekday.SU.index == 6
        with pytest.raises(ValueError, match="is not a valid Weekday"):
            Weekday("funday")


class TestRRuleValidation:
    @pytest.mark.parametrize(
        ("rule", "match"),
        [
            ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number from 1"),
            ("FREQ=DAILY;INTERVAL=x", "INTERVAL must be"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "out of range"),
            ("FREQ=MONTHLY;BYMONTHDAY=0", "out of range"),
            ("FREQ=YEARLY;BYMONTH=13", "out of range"),
            ("FREQ=YEARLY;BYMONTH=-1", "must be 1 to 12"),
            ("FREQ=DAILY;COUNT=0", "COUNT must be a whole number from 1 to 1,000,000"),
            ("FREQ=DAILY;UNTIL=2027", "UNTIL value '2027' is not a date like"),
            ("DTSTART=20270101;FREQ=DAILY", "DTSTART is not a part of the RRULE"),
            ("FREQ=SECONDLY", "FREQ=SECONDLY is not read"),
            ("FREQ=MINUTELY", r"gives the times of day itself \(FREQ=MINUTELY\)"),
            ("FREQ=HOURLY", r"gives the times of day itself \(FREQ=HOURLY\)"),
            ("FREQ=DAILY;BYHOUR=8", r"itself \(BYHOUR/BYMINUTE/BYSECOND\)"),
            ("FREQ=FORTNIGHTLY", "FREQ must be one of"),
            ("INTERVAL=2", "FREQ is missing"),
            ("FREQ=DAILY;FREQ=WEEKLY", "appears twice"),
            ("FREQ=DAILY;X-FOO=1", "unknown part"),
            ("FREQ=DAILY;BYDAY", "is not KEY=VALUE"),
            ("FREQ=WEEKLY;BYDAY=2MO", "numbered BYDAY"),
            ("FREQ=MONTHLY;BYDAY=XX", "is not like MO"),
            ("FREQ=MONTHLY;BYDAY=+MO", "sign but no number"),
            ("FREQ=MONTHLY;BYDAY=60MO", "must be 1 to 53"),
            ("FREQ=MONTHLY;BYWEEKNO=1", "only allowed with FREQ=YEARLY"),
            ("FREQ=WEEKLY;BYMONTHDAY=1", "not allowed with FREQ=WEEKLY"),
            ("FREQ=MONTHLY;BYYEARDAY=1", "not allowed with FREQ=MONTHLY"),
            ("FREQ=MONTHLY;BYSETPOS=1", "needs another BYxxx"),
            ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "cannot be combined"),
            ("FREQ=WEEKLY;WKST=XX", "not a weekday code"),
            ("", "give a rule"),
            ("FREQ=DAILY;BYMONTH=1.5", "not a whole number"),
        ],
    )
    def test_rejected_with_reason(self, rule: str, match: str) -> None:
        """Unsafe or invalid rules are refused, saying why."""
        with pytest.raises(ValueError, match=match):
            Schedule.rrule(rule, "08:00")

    def test_rrule_prefix_and_case(self) -> None:
        """An ``RRULE:`` prefix and lower case are accepted."""
        s = Schedule.rrule("rrule:freq=weekly;byday=mo", "08:00")
        assert [d.weekday() for d in dates(s, D0, date(2027, 1, 31))] == [0] * 4

    def test_impossible_rule_is_refused(self) -> None:
        """February 30 never matches: the rule is refused when built, saying so."""
        with pytest.raises(ValueError, match="can never match: no date has all"):
            Schedule.rrule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "08:00")

    def test_near_the_end_of_time(self) -> None:
        """Rules expand up to date.max without overflowing."""
        s = Schedule.rrule("FREQ=WEEKLY;BYDAY=FR", "08:00")
        got = dates(s, date(9999, 12, 1), date.max, anchor=date(9999, 12, 1))
        assert got[-1] == date(9999, 12, 31)


BYDAY_ITEMS = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])


@st.composite
def rules(draw: st.DrawFn) -> str:
    """Draw valid date-selecting RRULEs across frequencies and BY parts."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        interval = draw(st.sampled_from([2, 3, 5]) | st.integers(1, 12))
        parts.append(f"INTERVAL={interval}")
    if draw(st.booleans()):
        parts.append(f"WKST={draw(BYDAY_ITEMS)}")
    by: list[str] = []
    if draw(st.booleans()):
        months = draw(st.sets(st.integers(1, 12), min_size=1, max_size=3))
        by.append("BYMONTH=" + ",".join(map(str, sorted(months))))
    if freq != "WEEKLY" and draw(st.booleans()):
        days = draw(
            st.sets(st.integers(1, 31) | st.integers(-31, -1), min_size=1, max_size=3)
        )
        by.append("BYMONTHDAY=" + ",".join(map(str, sorted(days))))
    if freq in {"DAILY", "YEARLY"} and draw(st.booleans()):
        edges = st.sampled_from([1, 59, 60, 365, 366, -1, -306, -365, -366])
        days = draw(
            st.sets(
                edges | st.integers(1, 366) | st.integers(-366, -1),
                min_size=1,
                max_size=3,
            )
        )
        by.append("BYYEARDAY=" + ",".join(map(str, sorted(days))))
    weekno = freq == "YEARLY" and draw(st.booleans())
    if weekno:
        # Weeks that touch a year's end are left to tests/test_expand_rrule.py:
        # dateutil numbers them wrongly for some WKST (it is no oracle there).
        weeks = draw(
            st.sets(st.integers(2, 51) | st.integers(-51, -2), min_size=1, max_size=3)
        )
        by.append("BYWEEKNO=" + ",".join(map(str, sorted(weeks))))
    if draw(st.booleans()):
        items = draw(st.lists(BYDAY_ITEMS, min_size=1, max_size=3, unique=True))
        if freq in {"MONTHLY", "YEARLY"} and not weekno and draw(st.booleans()):
            # All numbered: dateutil (the oracle) intersects plain and
            # numbered weekdays instead of joining them as RFC 5545 says;
            # the mixed case has its own test.
            # Up to 53 in a year (without BYMONTH), 5 in a month; 1 and -1 often.
            most = (
                53 if freq == "YEARLY" and not any("BYMONTH=" in b for b in by) else 5
            )
            ns = draw(
                st.lists(
                    st.sampled_from([1, -1])
                    | st.integers(1, most)
                    | st.integers(-most, -1),
                    min_size=len(items),
                    max_size=len(items),
                )
            )
            items = [f"{n}{day}" for n, day in zip(ns, items, strict=True)]
        by.append("BYDAY=" + ",".join(items))
    add_setpos: bool = draw(st.booleans())
    if by and add_setpos:
        pos = draw(
            st.sets(st.integers(1, 5) | st.integers(-5, -1), min_size=1, max_size=2)
        )
        by.append("BYSETPOS=" + ",".join(map(str, sorted(pos))))
    return ";".join(parts + by)


class TestRRuleOracle:
    @given(
        rules(),
        st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        st.integers(0, 2000),
        st.integers(0, 4000),
    )
    def test_agrees_with_dateutil(
        self, rule: str, anchor: date, skip: int, length: int
    ) -> None:
        """Schedule.rrule selects exactly the dates dateutil's rrule does."""
        first = anchor + timedelta(days=skip)
        last = first + timedelta(days=length)
        try:
            schedule = Schedule.rrule(rule, "08:00")
        except ValueError as error:  # then dateutil must find nothing either
            refused, ours = str(error), []
        else:
            refused, ours = (
                "can never match",
                dates(schedule, first, last, anchor=anchor),
            )
        assert "can never match" in refused
        oracle = rrulestr(rule, dtstart=datetime.combine(anchor, time()))
        # dateutil scans to year 9999 when a rule stops matching; cap its
        # notion of the last year (beyond the window, so results are equal).
        with mock.patch.object(
            dateutil.rrule, "datetime", _CappedDatetime(last.year + 1)
        ):
            theirs = [
                d.date()
                for d in oracle.between(
                    datetime.combine(first, time()),
                    datetime.combine(last, time()),
                    inc=True,
                )
            ]
        assert ours == theirs

    def test_mixed_plain_and_numbered_weekdays_join(self) -> None:
        """``BYDAY=MO,-1WE`` is every Monday and the last Wednesday (RFC 5545)."""
        s = Schedule.rrule("FREQ=MONTHLY;BYDAY=MO,-1WE", "08:00")
        got = dates(s, date(2027, 3, 1), date(2027, 3, 31), anchor=date(2027, 3, 1))
        assert [d.day for d in got] == [1, 8, 15, 22, 29, 31]


class _CappedDatetime:
    """The datetime module, but with MAXYEAR lowered (for the dateutil oracle)."""

    def __init__(self, maxyear: int) -> None:
        self.MAXYEAR = maxyear

    def __getattr__(self, name: str) -> object:
        return getattr(datetime_module, name)
