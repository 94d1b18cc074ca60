"""Tests that pin how RecurrenceRule finds its periods, enough to kill its mutants (issue 10).

Windows that start years after the anchor are checked against dateutil
(the first period visited is found by counting periods from the anchor, so
a wrong count shifts every date after it); the work reported to *spend*
starts at the window's own period, not at the start of its year; and week
one of every year from 0002 to 10000 starts on the WKST day on or before
4 January, for every WKST.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from regimen._rrule import RecurrenceRule

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
RULES = [
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=2",
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=1,7",
    "FREQ=YEARLY;INTERVAL=2;BYYEARDAY=1,-1",
    "FREQ=YEARLY;INTERVAL=4;BYDAY=1MO,-1FR",
    "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=1,-1",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU",
    "FREQ=WEEKLY;INTERVAL=3",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR",
    "FREQ=DAILY;INTERVAL=9",
    "FREQ=DAILY;INTERVAL=4;BYMONTH=1,2",
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


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize(
    "anchor", [date(2026, 1, 15), date(2025, 6, 30), date(2024, 2, 29)], ids=str
)
@pytest.mark.parametrize("years_later", [1, 2, 5])
def test_windows_years_after_the_anchor(
    rule: str, anchor: date, years_later: int
) -> None:
    """The periods counted from the anchor land where dateutil's do, years later."""
    first = date(anchor.year + years_later, 1 + years_later % 12, 1)
    last = first + timedelta(days=5 * 366)
    got = ours(rule, first, last, anchor)
    assert got
    assert got == theirs(rule, first, last, anchor)


@given(
    rule=st.sampled_from(RULES),
    anchor=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    after=st.integers(0, 4000),
    span=st.integers(0, 800),
)
def test_any_window_after_the_anchor(
    rule: str, anchor: date, after: int, span: int
) -> None:
    """Any window from the anchor on selects dateutil's dates."""
    first = anchor + timedelta(days=after)
    last = first + timedelta(days=span)
    assert ours(rule, first, last, anchor) == theirs(rule, first, last, anchor)


@pytest.mark.parametrize(
    ("rule", "spent"),
    [
        ("FREQ=MONTHLY", [30]),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", [30]),
        ("FREQ=MONTHLY;INTERVAL=5", [30]),  # June 2027 is 5 months after January
        ("FREQ=YEARLY", [365]),
        ("FREQ=WEEKLY", [7] * 5),
    ],
)
def test_spend_starts_at_the_windows_period(rule: str, spent: list[int]) -> None:
    """A June window reports June's days (or its weeks, or its year), not the months before."""
    seen: list[int] = []
    rule_ = RecurrenceRule.parse(rule)
    list(
        rule_.dates(
            date(2027, 6, 1),
            date(2027, 6, 30),
            anchor=date(2027, 1, 1),
            spend=seen.append,
        )
    )
    assert seen == spent


def _weekday_of_ordinal(ordinal: int) -> int:
    """Monday is 0; ordinal 1 (1 January of year 1) was a Monday."""
    return (ordinal - 1) % 7


@pytest.mark.parametrize("wkst", range(7))
def test_week_one_of_every_year(wkst: int) -> None:
    """Week one starts on the WKST day on or before 4 January (RFC 5545, ISO 8601)."""
    rule = RecurrenceRule.parse(f"FREQ=YEARLY;BYWEEKNO=1;WKST={WEEKDAYS[wkst]}")
    for year in range(2, 10_001):
        jan4 = (
            date(year, 1, 4).toordinal()
            if year <= date.max.year
            else date.max.toordinal() + 4
        )
        (expected,) = [
            o for o in range(jan4 - 6, jan4 + 1) if _weekday_of_ordinal(o) == wkst
        ]
        assert rule._week_one(year) == expected, year
