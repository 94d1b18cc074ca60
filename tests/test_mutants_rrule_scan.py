"""Tests that pin the recurrence period scan exactly enough to kill its mutants (issue 10).

What the scan charges to *spend* is part of its contract (expansion's work
budget is built on it), as is scanning each shape of period once per rule;
the rest is which dates come out at the edges: the last day of a window,
weeks that start on the last day of the calendar, weeks across the end of
February in leap and common years.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from regimen import _rrule_scan
from regimen._rrule import RecurrenceRule
from regimen._rrule_scan import isleap


def dates(
    text: str, first: date, last: date, anchor: date, spent: list[int] | None = None
) -> list[date]:
    rule = RecurrenceRule.parse(text)
    spend = None if spent is None else spent.append
    return list(rule.dates(first, last, anchor=anchor, spend=spend))


class TestSpend:
    """The work each call reports, which must not depend on earlier calls."""

    # Years 2027-2038: each year up to 2037 except 2035 is the first of its
    # shape (leap or not, weekday of 1 January); 2035 repeats 2029's shape
    # (a common year starting on Monday) and 2038 repeats 2027's (Friday).
    FIRST = (365, 366, 365, 365, 365, 366, 365, 365, None, 366, 365, None)

    @pytest.mark.parametrize(
        ("text", "repeats"),
        [
            # every tenth day: 2035 holds 36 of them, 2038 holds 37
            ("FREQ=DAILY;INTERVAL=10", [36, 37]),
            # no 29 February in a common year: one step to learn that
            ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", [1, 1]),
        ],
    )
    def test_daily_charges_a_new_shape_its_days_and_a_known_one_its_matches(
        self, text: str, repeats: list[int]
    ) -> None:
        """A shape of year met first costs its days; met again, its days still to look at."""
        again = iter(repeats)
        expected = [n if n is not None else next(again) for n in self.FIRST]
        for _ in range(2):  # the same charge whatever an earlier call cached
            spent: list[int] = []
            dates(text, date(2027, 1, 1), date(2038, 12, 31), date(2027, 1, 1), spent)
            assert spent == expected

    def test_the_same_call_costs_the_same_after_other_rules(self) -> None:
        """A call's charge does not depend on which rules were expanded before it."""
        spent: list[list[int]] = [[], []]
        window = (date(2027, 1, 1), date(2036, 12, 31), date(2027, 1, 1))
        dates("FREQ=DAILY", *window, spent[0])
        for n in range(1, 30):
            dates(f"FREQ=DAILY;INTERVAL={n}", *window)
        dates("FREQ=DAILY", *window, spent[1])
        assert sum(spent[0]) == sum(spent[1]) == 3653

    def test_a_window_long_after_dtstart_costs_the_window(self) -> None:
        """A weekly rule anchored 27 years before the window scans the window's weeks only."""
        spent: list[int] = []
        got = dates(
            "FREQ=WEEKLY;BYDAY=MO",
            date(2027, 3, 1),
            date(2027, 3, 28),
            date(2000, 1, 3),
            spent,
        )
        assert got == [date(2027, 3, d) for d in (1, 8, 15, 22)]
        assert sum(spent) == 28


class TestShapesAreScannedOnce:
    @pytest.fixture
    def looks(self, monkeypatch: pytest.MonkeyPatch) -> list[date]:
        """Record every day the rules look at."""
        seen: list[date] = []
        original = RecurrenceRule._matches

        def counting(self: RecurrenceRule, day: date) -> bool:
            seen.append(day)
            return original(self, day)

        monkeypatch.setattr(RecurrenceRule, "_matches", counting)
        return seen

    @pytest.mark.parametrize(
        "text",
        [
            "FREQ=DAILY;BYMONTHDAY=13;BYDAY=FR",
            "FREQ=WEEKLY;BYDAY=MO,TH;BYMONTH=2",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        ],
    )
    def test_a_second_call_looks_at_no_day(self, text: str, looks: list[date]) -> None:
        """Once a rule has scanned every shape of its periods, later calls reuse them."""
        rule = RecurrenceRule.parse(text)
        window = (date(2000, 1, 1), date(2040, 12, 31))
        once = list(rule.dates(*window, anchor=window[0]))
        assert once
        assert looks
        looks.clear()
        assert list(rule.dates(*window, anchor=window[0])) == once
        assert looks == []


class TestEdges:
    def test_weekly_window_ending_on_a_period_start(self) -> None:
        """A window whose last day starts a selected week includes that day."""
        got = dates(
            "FREQ=WEEKLY;BYDAY=MO",
            date(2027, 3, 1),
            date(2027, 3, 8),
            date(2027, 3, 1),
        )
        assert got == [date(2027, 3, 1), date(2027, 3, 8)]
        got = dates(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            date(2027, 3, 1),
            date(2027, 3, 15),
            date(2027, 3, 1),
        )
        assert got == [date(2027, 3, 1), date(2027, 3, 15)]

    def test_a_week_starting_on_the_last_day_of_the_calendar(self) -> None:
        """9999-12-31 is a Friday: with WKST=FR it starts a week of one day."""
        got = dates(
            "FREQ=WEEKLY;WKST=FR;BYDAY=FR",
            date(9999, 12, 20),
            date.max,
            date(9999, 12, 17),
        )
        assert got == [date(9999, 12, 24), date(9999, 12, 31)]

    def test_weeks_across_the_end_of_february(self) -> None:
        """Every day of March, weekly, in leap and common years alike."""
        got = dates(
            "FREQ=WEEKLY;BYMONTH=3;BYDAY=MO,TU,WE,TH,FR,SA,SU",
            date(2001, 1, 1),
            date(2032, 12, 31),
            date(2001, 1, 1),
        )
        assert got == [
            date(y, 3, 1) + timedelta(days=n)
            for y in range(2001, 2033)
            for n in range(31)
        ]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("FREQ=DAILY;BYDAY=MO;BYSETPOS=1", [4, 11, 18, 25]),
            ("FREQ=DAILY;BYDAY=MO;BYSETPOS=-1", [4, 11, 18, 25]),
            ("FREQ=DAILY;BYDAY=MO;BYSETPOS=2", []),
        ],
    )
    def test_daily_bysetpos(self, text: str, expected: list[int]) -> None:
        """A day is a period of one day: BYSETPOS 1 or -1 keeps it, 2 never does."""
        got = dates(text, date(2027, 1, 1), date(2027, 1, 31), date(2027, 1, 1))
        assert got == [date(2027, 1, d) for d in expected]


class TestLeapYears:
    def test_isleap_is_the_gregorian_rule(self) -> None:
        """Every fourth year, but not centuries unless divisible by 400."""
        assert [y for y in range(1, 10_000) if isleap(y)] == [
            y for y in range(1, 10_000) if calendar.isleap(y)
        ]

    @pytest.mark.parametrize(
        "text",
        [
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=-1",
            "FREQ=MONTHLY;BYMONTHDAY=-1;BYMONTH=2",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1",
            "FREQ=YEARLY;BYYEARDAY=60",
        ],
    )
    def test_the_last_day_of_february_around_2100(self, text: str) -> None:
        """2100 is not a leap year (2000 and 2096 are): its February ends on the 28th."""
        got = dates(text, date(2096, 1, 1), date(2104, 12, 31), date(2096, 1, 1))
        if "BYYEARDAY" in text:  # day 60: 29 February in a leap year, else 1 March
            expected = [
                date(y, 2, 29) if calendar.isleap(y) else date(y, 3, 1)
                for y in range(2096, 2105)
            ]
        else:
            expected = [
                date(y, 2, 29 if calendar.isleap(y) else 28) for y in range(2096, 2105)
            ]
        # the oracle itself knows 2100 is common
        edge = date(2100, 3, 1) if "BYYEARDAY" in text else date(2100, 2, 28)
        assert edge in expected
        assert got == expected


def test_the_period_cache_holds_at_most_max_rules() -> None:
    """The cache of periods forgets everything when one rule more would pass its bound."""
    window = (date(2027, 1, 1), date(2027, 1, 1))
    for n in range(1, _rrule_scan._MAX_RULES + 1):
        dates(f"FREQ=MONTHLY;INTERVAL={n}", *window, window[0])
    assert len(_rrule_scan._SHAPES) == _rrule_scan._MAX_RULES
    dates("FREQ=YEARLY", *window, window[0])
    assert len(_rrule_scan._SHAPES) == 1
