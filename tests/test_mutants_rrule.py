"""Tests that pin regimen._rrule exactly enough to kill its mutants (issue 10).

Common rules are checked date by date against dateutil (a fixed table, so
every run covers them, unlike the Hypothesis property), week numbers against
a slow RFC 5545 oracle, and every parse error by its exact message.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr

from regimen._rrule import RecurrenceRule

ANCHORS = [date(2026, 11, 15), date(2027, 1, 1), date(2028, 2, 29), date(2027, 12, 31)]

COMMON = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=DAILY;INTERVAL=10;BYMONTH=2,7",
    "FREQ=DAILY;BYDAY=MO,FR",
    "FREQ=DAILY;BYMONTHDAY=1,-1",
    "FREQ=DAILY;BYYEARDAY=-1,1,60",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU",
    "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SA,SU",
    "FREQ=WEEKLY;INTERVAL=2;WKST=TH;BYDAY=MO,WE",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=-1",
    "FREQ=WEEKLY;BYMONTH=3;BYDAY=TH",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTHDAY=-3,15",
    "FREQ=MONTHLY;BYDAY=1TU",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYDAY=2MO,-2SU",
    "FREQ=MONTHLY;BYDAY=5WE",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1",
    "FREQ=MONTHLY;BYDAY=SA;BYSETPOS=2",
    "FREQ=MONTHLY;INTERVAL=3;BYMONTH=1,4,8;BYDAY=-1MO",
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=3",
    "FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9",
    "FREQ=YEARLY;BYYEARDAY=-1",
    "FREQ=YEARLY;BYYEARDAY=366",
    "FREQ=YEARLY;BYYEARDAY=1,100,-100,-366",
    "FREQ=YEARLY;BYMONTHDAY=29;BYMONTH=2",
    "FREQ=YEARLY;BYDAY=1TU",
    "FREQ=YEARLY;BYDAY=-1SU",
    "FREQ=YEARLY;BYDAY=53TH",
    "FREQ=YEARLY;BYDAY=20MO,-20MO",
    "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
    "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO",
    "FREQ=YEARLY;BYMONTH=1,2;BYDAY=FR;BYSETPOS=-2",
    "FREQ=YEARLY;BYMONTHDAY=13;BYDAY=FR",
    "FREQ=YEARLY;BYWEEKNO=1,20",
    "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO",
]


def ours(rule: str, first: date, last: date, anchor: date) -> list[date]:
    return list(RecurrenceRule.parse(rule).dates(first, last, anchor=anchor))


def theirs(rule: str, first: date, last: date, anchor: date) -> list[date]:
    oracle = rrulestr(rule, dtstart=datetime.combine(anchor, time()))
    return [
        d.date()
        for d in oracle.between(
            datetime.combine(first, time()), datetime.combine(last, time()), inc=True
        )
    ]


@pytest.mark.parametrize("rule", COMMON)
@pytest.mark.parametrize("anchor", ANCHORS, ids=str)
def test_common_rules_match_dateutil(rule: str, anchor: date) -> None:
    """A common rule selects exactly dateutil's dates over five years after the anchor."""
    first, last = anchor + timedelta(days=40), anchor + timedelta(days=5 * 366)
    got = ours(rule, first, last, anchor)
    assert got == theirs(rule, first, last, anchor)


@pytest.mark.parametrize("rule", COMMON)
def test_window_before_the_anchor_starts_at_the_anchor(rule: str) -> None:
    """No date before the anchor is selected, and the anchor's period counts as the first."""
    anchor = date(2027, 3, 10)
    got = ours(rule, date(2026, 1, 1), date(2029, 12, 31), anchor)
    assert got == theirs(rule, anchor, date(2029, 12, 31), anchor)


def test_window_after_its_end_is_empty() -> None:
    """A window that ends before the anchor (or before it starts) selects nothing."""
    assert (
        ours("FREQ=DAILY", date(2027, 1, 1), date(2027, 1, 31), date(2027, 2, 1)) == []
    )
    assert (
        ours("FREQ=DAILY", date(2027, 2, 2), date(2027, 2, 1), date(2027, 1, 1)) == []
    )
    one = ours("FREQ=DAILY", date(2027, 2, 1), date(2027, 2, 1), date(2027, 2, 1))
    assert one == [date(2027, 2, 1)]


def test_documented_monthly_interval_example() -> None:
    """FREQ=MONTHLY;INTERVAL=5 from 15 November counts months from the anchor."""
    got = ours(
        "FREQ=MONTHLY;INTERVAL=5",
        date(2027, 1, 1),
        date(2028, 6, 30),
        date(2026, 11, 15),
    )
    assert got == [date(2027, 4, 15), date(2027, 9, 15), date(2028, 2, 15)]


def test_yearly_interval_counts_years_from_the_anchor() -> None:
    """FREQ=YEARLY;INTERVAL=3 repeats on the anchor's date every third year."""
    got = ours(
        "FREQ=YEARLY;INTERVAL=3", date(2027, 1, 1), date(2036, 12, 31), date(2026, 6, 2)
    )
    assert got == [date(2029, 6, 2), date(2032, 6, 2), date(2035, 6, 2)]


def test_last_day_of_common_and_leap_years() -> None:
    """BYYEARDAY=-1 is 31 December in common and leap years alike."""
    got = ours(
        "FREQ=YEARLY;BYYEARDAY=-1",
        date(2027, 1, 1),
        date(2029, 12, 31),
        date(2027, 1, 1),
    )
    assert got == [date(2027, 12, 31), date(2028, 12, 31), date(2029, 12, 31)]
    got = ours(
        "FREQ=YEARLY;BYYEARDAY=-366",
        date(2027, 1, 1),
        date(2029, 12, 31),
        date(2027, 1, 1),
    )
    assert got == [date(2028, 1, 1)]


def test_first_tuesday() -> None:
    """BYDAY=1TU is the first Tuesday of each month, not the second."""
    got = ours(
        "FREQ=MONTHLY;BYDAY=1TU", date(2027, 1, 1), date(2027, 3, 31), date(2027, 1, 1)
    )
    assert got == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)]


def rfc_week_one(year: int, wkst: int) -> date:
    """Return the first day of week 1: the week (from *wkst*) with 4+ days of *year*."""
    jan1 = date(year, 1, 1)
    start = jan1 - timedelta(days=(jan1.weekday() - wkst) % 7)
    days_in_year = 7 - (jan1 - start).days
    return start if days_in_year >= 4 else start + timedelta(days=7)


def rfc_week_numbers(day: date, wkst: int) -> tuple[int, int]:
    """Return the week number of *day*, counted forwards and backwards."""
    year = day.year + 1
    while rfc_week_one(year, wkst) > day:
        year -= 1
    one = rfc_week_one(year, wkst)
    number = (day - one).days // 7 + 1
    weeks = (rfc_week_one(year + 1, wkst) - one).days // 7
    return number, number - weeks - 1


@pytest.mark.parametrize("wkst", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
@pytest.mark.parametrize("weeks", ["1", "53", "-1", "52,-53", "2,26"])
def test_week_numbers_follow_rfc_5545(wkst: str, weeks: str) -> None:
    """BYWEEKNO selects the days of the numbered weeks, for every WKST, week 53 included."""
    wanted = {int(w) for w in weeks.split(",")}
    index = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(wkst)
    first, last = date(2019, 12, 1), date(2027, 1, 31)
    rule = f"FREQ=YEARLY;BYWEEKNO={weeks};WKST={wkst}"
    got = ours(rule, first, last, date(2019, 1, 1))
    expected = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if wanted & set(rfc_week_numbers(first + timedelta(days=n), index))
    ]
    assert got == expected


class TestEdgesOfTheCalendar:
    def test_yearly_interval_near_the_end(self) -> None:
        """A yearly rule near year 9999 stops at the calendar's end."""
        got = ours(
            "FREQ=YEARLY;INTERVAL=3",
            date(9990, 1, 1),
            date(9999, 12, 31),
            date(9990, 6, 1),
        )
        assert got == [
            date(9990, 6, 1),
            date(9993, 6, 1),
            date(9996, 6, 1),
            date(9999, 6, 1),
        ]
        assert (
            ours(
                "FREQ=YEARLY;INTERVAL=7",
                date(9998, 1, 1),
                date(9999, 12, 31),
                date(9990, 6, 1),
            )
            == []
        )

    def test_monthly_interval_past_the_end(self) -> None:
        """A monthly rule whose next period is past 9999-12 selects nothing."""
        assert (
            ours(
                "FREQ=MONTHLY;INTERVAL=12",
                date(9999, 7, 1),
                date(9999, 12, 31),
                date(9998, 6, 1),
            )
            == []
        )
        got = ours(
            "FREQ=MONTHLY;INTERVAL=6",
            date(9999, 7, 1),
            date(9999, 12, 31),
            date(9998, 6, 1),
        )
        assert got == [date(9999, 12, 1)]

    def test_weekly_and_daily_past_the_end(self) -> None:
        """Weekly and daily periods that start past date.max select nothing."""
        end = date(9999, 12, 31)
        assert (
            ours("FREQ=WEEKLY;INTERVAL=4", date(9999, 12, 20), end, date(9999, 12, 6))
            == []
        )
        assert ours(
            "FREQ=WEEKLY;INTERVAL=2", date(9999, 12, 20), end, date(9999, 12, 6)
        ) == [date(9999, 12, 20)]
        assert ours(
            "FREQ=DAILY;INTERVAL=9", date(9999, 12, 25), end, date(9999, 12, 20)
        ) == [date(9999, 12, 29)]
        assert (
            ours("FREQ=DAILY;INTERVAL=20", date(9999, 12, 25), end, date(9999, 12, 20))
            == []
        )
        assert ours("FREQ=DAILY", end, end, date(9999, 12, 20)) == [end]


class TestSpend:
    def test_spend_is_told_each_period_it_scans(self) -> None:
        """*spend* is called before each selected period's days are scanned."""
        spent: list[int] = []
        rule = RecurrenceRule.parse("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1")
        got = list(
            rule.dates(
                date(2027, 1, 1),
                date(2027, 12, 31),
                anchor=date(2027, 1, 1),
                spend=spent.append,
            )
        )
        assert got == [date(2027, m, 1) for m in (1, 3, 5, 7, 9, 11)]
        assert sum(spent) > 0


class TestParse:
    def test_fields(self) -> None:
        """Parsing keeps the stripped text and fills every part it was given."""
        r = RecurrenceRule.parse(
            " rrule:freq=yearly;interval=2;bymonth=1,2;bymonthday=-1;byyearday=5;"
            "bysetpos=-1;byday=MO,2TU,-1FR;wkst=su "
        )
        assert r.text == (
            "rrule:freq=yearly;interval=2;bymonth=1,2;bymonthday=-1;byyearday=5;"
            "bysetpos=-1;byday=MO,2TU,-1FR;wkst=su"
        )
        assert (r.freq, r.interval, r.wkst) == ("YEARLY", 2, 6)
        assert r.bymonth == {1, 2}
        assert r.bymonthday == {-1}
        assert r.byyearday == {5}
        assert r.bysetpos == {-1}
        assert r.byday == {0}
        assert r.bynthday == {(2, 1), (-1, 4)}
        w = RecurrenceRule.parse("FREQ=YEARLY;BYWEEKNO=-53,53;BYDAY= SA ")
        assert (w.byweekno, w.byday, w.wkst, w.interval) == (
            frozenset({-53, 53}),
            frozenset({5}),
            0,
            1,
        )

    def test_absent_parts_are_empty_sets(self) -> None:
        """Parts the rule leaves out are empty frozensets, as the defaults are."""
        r = RecurrenceRule.parse("FREQ=DAILY")
        assert r == RecurrenceRule(text="FREQ=DAILY", freq="DAILY")
        for part in (r.bymonth, r.bymonthday, r.byyearday, r.byweekno, r.bysetpos):
            assert part == frozenset()
            assert isinstance(part, frozenset)

    @pytest.mark.parametrize(
        "text",
        [
            "FREQ=DAILY;INTERVAL=1",
            "FREQ=DAILY;INTERVAL=10000",
            "FREQ=YEARLY;BYDAY=53MO,-53SU,+1TU",
            "FREQ=YEARLY;BYYEARDAY=366,-366;BYMONTHDAY=31,-31;BYMONTH=12",
            "FREQ=YEARLY;BYSETPOS=366,-366;BYDAY=MO",
            "FREQ=YEARLY;BYMONTH=0012",
            "FREQ=DAILY;" + "BYMONTH=" + ",".join(["1"] * 490),
        ],
    )
    def test_limits_are_inclusive(self, text: str) -> None:
        """Values at the ends of their ranges are accepted."""
        assert RecurrenceRule.parse(text).freq in {"DAILY", "YEARLY"}

    @pytest.mark.parametrize(
        ("text", "why"),
        [
            ("", "give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'"),
            ("RRULE:", "give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'"),
            (
                "FREQ=DAILY;" + "X" * 990,
                "give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'",
            ),
            ("FREQ", "'FREQ' is not KEY=VALUE"),
            ("FREQ=DAILY;=1", "'=1' is not KEY=VALUE"),
            ("FREQ=DAILY;X=", "'X=' is not KEY=VALUE"),
            ("FREQ=DAILY;FREQ=DAILY", "FREQ appears twice"),
            (
                "FREQ=DAILY;COUNT=3",
                "COUNT is not allowed in the rule; the plan's "
                "and entry's start and end dates bound it",
            ),
            (
                "FREQ=DAILY;UNTIL=2020",
                "UNTIL is not allowed in the rule; the plan's "
                "and entry's start and end dates bound it",
            ),
            (
                "FREQ=DAILY;DTSTART=1",
                "DTSTART is not allowed in the rule; the plan's "
                "and entry's start and end dates bound it",
            ),
            (
                "FREQ=DAILY;BYHOUR=1",
                "BYHOUR is not allowed; give times of day as the schedule's times",
            ),
            (
                "FREQ=DAILY;BYMINUTE=1",
                "BYMINUTE is not allowed; give times of day as the schedule's times",
            ),
            (
                "FREQ=DAILY;BYSECOND=1",
                "BYSECOND is not allowed; give times of day as the schedule's times",
            ),
            ("FREQ=DAILY;FOO=1;BAR=2", "unknown part 'BAR'"),
            ("INTERVAL=2", "FREQ is missing"),
            (
                "FREQ=HOURLY",
                "FREQ=HOURLY repeats within a day; use FREQ=DAILY and "
                "give the times of day as the schedule's times",
            ),
            (
                "FREQ=MINUTELY",
                "FREQ=MINUTELY repeats within a day; use FREQ=DAILY and "
                "give the times of day as the schedule's times",
            ),
            (
                "FREQ=SECONDLY",
                "FREQ=SECONDLY repeats within a day; use FREQ=DAILY and "
                "give the times of day as the schedule's times",
            ),
            (
                "FREQ=FOO",
                "FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY (got 'FOO')",
            ),
            (
                "FREQ=DAILY;INTERVAL=0",
                "INTERVAL must be a whole number from 1 to 10000 (got '0')",
            ),
            (
                "FREQ=DAILY;INTERVAL=10001",
                "INTERVAL must be a whole number from 1 to 10000 (got '10001')",
            ),
            (
                "FREQ=DAILY;INTERVAL=x",
                "INTERVAL must be a whole number from 1 to 10000 (got 'X')",
            ),
            (
                "FREQ=DAILY;INTERVAL=\u0663",
                "INTERVAL must be a whole number from 1 to 10000 (got '\u0663')",
            ),
            ("FREQ=DAILY;WKST=XX", "WKST 'XX' is not a weekday code"),
            ("FREQ=YEARLY;BYMONTH=13", "BYMONTH value '13' is out of range (1 to 12)"),
            ("FREQ=YEARLY;BYMONTH=0", "BYMONTH value '0' is out of range (1 to 12)"),
            ("FREQ=YEARLY;BYMONTH=-1", "BYMONTH value '-1' must be 1 to 12"),
            (
                "FREQ=YEARLY;BYMONTH=1,12345",
                "BYMONTH value '12345' is not a whole number",
            ),
            ("FREQ=YEARLY;BYMONTHDAY=x", "BYMONTHDAY value 'X' is not a whole number"),
            (
                "FREQ=YEARLY;BYMONTHDAY=32",
                "BYMONTHDAY value '32' is out of range (1 to 31 or -31 to -1)",
            ),
            (
                "FREQ=YEARLY;BYMONTHDAY=0",
                "BYMONTHDAY value '0' is out of range (1 to 31 or -31 to -1)",
            ),
            (
                "FREQ=YEARLY;BYYEARDAY=-367",
                "BYYEARDAY value '-367' is out of range (1 to 366 or -366 to -1)",
            ),
            (
                "FREQ=YEARLY;BYWEEKNO=54",
                "BYWEEKNO value '54' is out of range (1 to 53 or -53 to -1)",
            ),
            (
                "FREQ=YEARLY;BYSETPOS=0",
                "BYSETPOS value '0' is out of range (1 to 366 or -366 to -1)",
            ),
            ("FREQ=YEARLY;BYDAY=XX", "BYDAY value 'XX' is not like MO, 2TU or -1FR"),
            ("FREQ=YEARLY;BYDAY=+MO", "BYDAY value '+MO' has a sign but no number"),
            ("FREQ=YEARLY;BYDAY=-MO", "BYDAY value '-MO' has a sign but no number"),
            (
                "FREQ=YEARLY;BYDAY=54MO",
                "BYDAY value '54MO': the number must be 1 to 53",
            ),
            (
                "FREQ=YEARLY;BYDAY=-54MO",
                "BYDAY value '-54MO': the number must be 1 to 53",
            ),
            ("FREQ=YEARLY;BYDAY=0MO", "BYDAY value '0MO': the number must be 1 to 53"),
            ("FREQ=DAILY;BYWEEKNO=1", "BYWEEKNO is only allowed with FREQ=YEARLY"),
            ("FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO is only allowed with FREQ=YEARLY"),
            ("FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY is not allowed with FREQ=MONTHLY"),
            ("FREQ=WEEKLY;BYYEARDAY=1", "BYYEARDAY is not allowed with FREQ=WEEKLY"),
            ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY is not allowed with FREQ=WEEKLY"),
            (
                "FREQ=WEEKLY;BYDAY=1MO",
                "a numbered BYDAY (like 2TU) needs FREQ=MONTHLY or FREQ=YEARLY",
            ),
            (
                "FREQ=DAILY;BYDAY=1MO",
                "a numbered BYDAY (like 2TU) needs FREQ=MONTHLY or FREQ=YEARLY",
            ),
            (
                "FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO",
                "a numbered BYDAY (like 2TU) cannot be combined with BYWEEKNO",
            ),
        ],
    )
    def test_errors_say_what_is_wrong(self, text: str, why: str) -> None:
        """Each malformed rule raises ValueError with the rule and the exact reason."""
        message = f"recurrence rule {text!r}: {why}"
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            RecurrenceRule.parse(text)

    def test_allowed_combinations(self) -> None:
        """BYYEARDAY with DAILY and YEARLY, BYMONTHDAY with MONTHLY and numbered BYDAY with MONTHLY parse."""
        for text in [
            "FREQ=DAILY;BYYEARDAY=1",
            "FREQ=YEARLY;BYYEARDAY=1",
            "FREQ=MONTHLY;BYMONTHDAY=1",
            "FREQ=DAILY;BYMONTHDAY=1",
            "FREQ=MONTHLY;BYDAY=1MO",
            "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
        ]:
            assert RecurrenceRule.parse(text).text == text

    def test_not_text(self) -> None:
        """A non-string rule is a TypeError naming the value."""
        with pytest.raises(
            TypeError,
            match=re.escape(
                "a recurrence rule must be text like 'FREQ=WEEKLY;BYDAY=MO' (got 5)"
            ),
        ):
            RecurrenceRule.parse(5)  # type: ignore[arg-type]
