"""Recurrence rules: the cases a mutation run showed untested, and the period cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from regimen import Schedule
from regimen._rrule import RecurrenceRule

from .oracles import rfc_week

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def ours(rule: str, first: date, last: date, anchor: date) -> list[date]:
    """Our dates; none for a rule refused as never matching (the oracles must agree)."""
    try:
        schedule = Schedule.rrule(rule, "08:00")
    except ValueError as error:
        refused: str | None = str(error)
        found: list[date] = []
    else:
        refused, found = None, list(schedule.dates(first, last, anchor=anchor))
    assert refused is None or "can never match" in refused
    return found


def dateutil_dates(rule: str, first: date, last: date, anchor: date) -> list[date]:
    oracle = rrulestr(rule, dtstart=datetime.combine(anchor, time()))
    return [
        d.date()
        for d in oracle.between(
            datetime.combine(first, time()), datetime.combine(last, time()), inc=True
        )
    ]


class TestNamedCases:
    @pytest.mark.parametrize(
        ("rule", "anchor", "first", "last"),
        [
            (
                "FREQ=MONTHLY;INTERVAL=5",
                date(2026, 11, 15),
                date(2027, 2, 1),
                date(2031, 12, 31),
            ),
            (
                "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=1,-1",
                date(2026, 3, 20),
                date(2026, 9, 1),
                date(2030, 12, 31),
            ),
            (
                "FREQ=YEARLY;INTERVAL=3",
                date(2025, 6, 30),
                date(2026, 1, 1),
                date(2040, 12, 31),
            ),
            (
                "FREQ=YEARLY;INTERVAL=3;BYMONTH=2,11",
                date(2025, 6, 30),
                date(2027, 1, 1),
                date(2040, 12, 31),
            ),
            (
                "FREQ=YEARLY;BYYEARDAY=-1",
                date(2027, 1, 1),
                date(2027, 1, 1),
                date(2030, 12, 31),
            ),
            (
                "FREQ=DAILY;BYYEARDAY=-1,-366,366",
                date(2027, 1, 1),
                date(2027, 1, 1),
                date(2030, 12, 31),
            ),
            (
                "FREQ=MONTHLY;BYDAY=1TU",
                date(2027, 1, 1),
                date(2027, 1, 1),
                date(2027, 12, 31),
            ),
            (
                "FREQ=YEARLY;BYDAY=1TU",
                date(2026, 1, 1),
                date(2026, 1, 1),
                date(2031, 12, 31),
            ),
            (
                "FREQ=YEARLY;BYDAY=53TH,-53FR,20MO",
                date(2020, 1, 1),
                date(2020, 1, 1),
                date(2031, 12, 31),
            ),
            (
                "FREQ=YEARLY;BYMONTH=3;BYDAY=1TU,-1TU",
                date(2026, 1, 1),
                date(2026, 1, 1),
                date(2031, 12, 31),
            ),
        ],
    )
    def test_agrees_with_dateutil(
        self, rule: str, anchor: date, first: date, last: date
    ) -> None:
        """Intervals count from the anchor, -1 is the last day, 1TU the first Tuesday."""
        assert ours(rule, first, last, anchor) == dateutil_dates(
            rule, first, last, anchor
        )

    def test_interval_anchoring_by_hand(self) -> None:
        """MONTHLY;INTERVAL=5 and YEARLY;INTERVAL=3 count periods from the anchor's, not the window's."""
        monthly = ours(
            "FREQ=MONTHLY;INTERVAL=5",
            date(2027, 1, 1),
            date(2028, 6, 30),
            date(2026, 11, 15),
        )
        assert [str(d) for d in monthly] == ["2027-04-15", "2027-09-15", "2028-02-15"]
        yearly = ours(
            "FREQ=YEARLY;INTERVAL=3",
            date(2026, 1, 1),
            date(2035, 12, 31),
            date(2025, 6, 30),
        )
        assert [str(d) for d in yearly] == ["2028-06-30", "2031-06-30", "2034-06-30"]

    def test_last_day_of_common_and_leap_years(self) -> None:
        """BYYEARDAY=-1 is 31 December in common and leap years alike."""
        got = ours(
            "FREQ=YEARLY;BYYEARDAY=-1",
            date(2027, 1, 1),
            date(2028, 12, 31),
            date(2027, 1, 1),
        )
        assert got == [date(2027, 12, 31), date(2028, 12, 31)]
        assert ours(
            "FREQ=YEARLY;BYYEARDAY=366",
            date(2027, 1, 1),
            date(2028, 12, 31),
            date(2027, 1, 1),
        ) == [date(2028, 12, 31)]

    def test_first_tuesday(self) -> None:
        """BYDAY=1TU is the first Tuesday of each month, also when the 1st is a Tuesday."""
        got = ours(
            "FREQ=MONTHLY;BYDAY=1TU",
            date(2027, 6, 1),
            date(2027, 8, 31),
            date(2027, 6, 1),
        )
        assert got == [date(2027, 6, 1), date(2027, 7, 6), date(2027, 8, 3)]

    @pytest.mark.parametrize(
        ("wkst", "first_day", "years"),
        [
            ("SU", date(2020, 12, 27), [2020, 2021, 2025, 2026, 2031, 2032]),
            ("TH", date(2023, 12, 28), [2023, 2024, 2028, 2029]),
            ("MO", date(2020, 12, 28), [2020, 2021, 2026, 2027, 2032, 2033]),
        ],
    )
    def test_week_53_depends_on_wkst(
        self, wkst: str, first_day: date, years: list[int]
    ) -> None:
        """BYWEEKNO=53 selects the seven days of week 53 only in years that have one for WKST."""
        got = ours(
            f"FREQ=YEARLY;BYWEEKNO=53;WKST={wkst}",
            date(2019, 1, 1),
            date(2033, 12, 31),
            date(2019, 1, 1),
        )
        assert got[:7] == [first_day + timedelta(days=k) for k in range(7)]
        assert sorted({d.year for d in got}) == years
        assert all(rfc_week(d, WEEKDAYS.index(wkst))[0] == 53 for d in got)

    def test_dateutil_disagrees_on_week_53(self) -> None:
        """Python-dateutil puts 1-2 January 2027 in week 53 for WKST=SU, though 2026 has 52 weeks (so it is no oracle here)."""
        rule = "FREQ=YEARLY;BYWEEKNO=53;WKST=SU"
        window = (date(2026, 1, 1), date(2027, 12, 31), date(2026, 1, 1))
        assert rfc_week(date(2027, 1, 1), 6) == (52, 52)
        week_53_of_2025 = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
        assert ours(rule, *window) == week_53_of_2025
        assert dateutil_dates(rule, *window) == [
            *week_53_of_2025,
            date(2027, 1, 1),
            date(2027, 1, 2),
        ]


@st.composite
def weekno_rules(draw: st.DrawFn) -> str:
    """Draw YEARLY rules with BYWEEKNO (edges 1, 52, 53 and negatives favoured)."""
    edges = st.sampled_from([1, 2, 52, 53, -1, -2, -52, -53])
    weeks = draw(
        st.sets(
            edges | st.integers(1, 53) | st.integers(-53, -1), min_size=1, max_size=3
        )
    )
    parts = ["FREQ=YEARLY", "BYWEEKNO=" + ",".join(map(str, sorted(weeks)))]
    parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 3))}")
    if draw(st.booleans()):
        days = draw(
            st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True)
        )
        parts.append("BYDAY=" + ",".join(days))
    if draw(st.booleans()):
        months = draw(st.sets(st.sampled_from([1, 6, 12]), min_size=1, max_size=2))
        parts.append("BYMONTH=" + ",".join(map(str, sorted(months))))
    return ";".join(parts)


def brute_weekno(
    rule_text: str, first: date, last: date, anchor: date
) -> Iterator[date]:
    """Select days by RFC 5545's definitions directly, one day at a time."""
    rule = RecurrenceRule.parse(rule_text)
    day = max(first, anchor)
    while day <= last:
        number, weeks = rfc_week(day, rule.wkst)
        if (
            (day.year - anchor.year) % rule.interval == 0
            and (number in rule.byweekno or number - weeks - 1 in rule.byweekno)
            and (not rule.byday or day.weekday() in rule.byday)
            and (not rule.bymonth or day.month in rule.bymonth)
        ):
            yield day
        day += timedelta(days=1)


class TestWeekNumbers:
    @given(
        weekno_rules(),
        st.dates(date(2018, 1, 1), date(2032, 12, 31)),
        st.integers(0, 400),
        st.integers(0, 1500),
    )
    def test_agrees_with_rfc_definition(
        self, rule: str, anchor: date, skip: int, length: int
    ) -> None:
        """BYWEEKNO selects the days of the numbered weeks, as RFC 5545 numbers them, for any WKST."""
        first = anchor + timedelta(days=skip)
        last = first + timedelta(days=length)
        assert ours(rule, first, last, anchor) == list(
            brute_weekno(rule, first, last, anchor)
        )


def slow_dates(
    rule: RecurrenceRule, first: date, last: date, anchor: date
) -> list[date]:
    """Every period from the window's start, each scanned day by day (no cache, no skipping)."""
    lo = max(first, anchor)
    full = rule._with_defaults(anchor)
    out: list[date] = []
    start = full._period_start(lo)
    while start <= last:
        if full.freq == "DAILY":
            end = start
        elif full.freq == "WEEKLY":
            end = start + timedelta(days=6)
        elif full.freq == "MONTHLY":
            end = (start.replace(day=28) + timedelta(days=4)).replace(
                day=1
            ) - timedelta(days=1)
        else:
            end = start.replace(month=12, day=31)
        if full._period_index(start, anchor) % full.interval == 0:
            out += [d for d in full._select(start, end) if lo <= d <= last]
        start = end + timedelta(days=1)
    return out


RULE_TEXTS = st.sampled_from(
    [
        "FREQ=DAILY;INTERVAL=3;BYMONTH=2,3",
        "FREQ=DAILY;INTERVAL=40;BYMONTHDAY=1,-1",
        "FREQ=DAILY;BYYEARDAY=60,-306;BYDAY=MO,TU,WE",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU;WKST=SU",
        "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO,FR;BYSETPOS=-1",
        "FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR,2MO",
        "FREQ=MONTHLY;BYMONTHDAY=29,30,31;BYSETPOS=1",
        "FREQ=YEARLY;INTERVAL=3;BYWEEKNO=1,53;WKST=TH",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=YEARLY;BYDAY=-1SU,1MO;BYSETPOS=2",
    ]
)


class TestPeriodCache:
    @given(
        RULE_TEXTS,
        st.dates(date(1990, 1, 1), date(2060, 12, 31)),
        st.integers(0, 800),
        st.integers(0, 3000),
    )
    def test_cached_shapes_match_scanning_every_period(
        self, text: str, anchor: date, skip: int, length: int
    ) -> None:
        """Selecting by cached period shapes gives what scanning every period day by day gives."""
        rule = RecurrenceRule.parse(text)
        first = anchor + timedelta(days=skip)
        last = first + timedelta(days=length)
        assert list(rule.dates(first, last, anchor=anchor)) == slow_dates(
            rule, first, last, anchor
        )

    def test_work_is_reported_before_scanning(self) -> None:
        """The spend callback hears of each visited period's days, so a caller can stop a rule that rarely matches."""
        rule = RecurrenceRule.parse("FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYSETPOS=-1")
        spent: list[int] = []
        found = list(
            rule.dates(
                date(2027, 1, 1),
                date(2036, 12, 31),
                anchor=date(2027, 1, 1),
                spend=spent.append,
            )
        )
        assert len(found) == 40  # the Mondays of ten Februaries
        assert 3653 <= sum(spent) <= 3653 + 12  # the days of the weeks visited

        class StopError(Exception):
            pass

        def stop_after(limit: int) -> Callable[[int], None]:
            left = [limit]

            def spend(steps: int) -> None:
                left[0] -= steps
                if left[0] < 0:
                    raise StopError

            return spend

        with pytest.raises(StopError):
            list(
                rule.dates(
                    date(2, 1, 1),
                    date(9998, 12, 31),
                    anchor=date(2, 1, 1),
                    spend=stop_after(1000),
                )
            )

    def test_near_the_end_of_time(self) -> None:
        """Monthly, yearly and interval rules stop at date.max without overflowing."""
        for text in [
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
            "FREQ=DAILY;INTERVAL=10000",
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=FR",
        ]:
            got = list(
                RecurrenceRule.parse(text).dates(
                    date(9990, 1, 1), date.max, anchor=date(9990, 1, 1)
                )
            )
            assert got
            assert got[-1] <= date.max
