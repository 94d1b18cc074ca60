"""Summaries at the edges: days outside the period, very large and small amounts."""

from __future__ import annotations

from datetime import time

from regimen import (
    Dose,
    Entry,
    Plan,
    Product,
    Profile,
    Quantity,
    Schedule,
    Substance,
    summarize,
)

from .helpers import kratom


def _plan(*entries: Entry, start: str = "2027-01-01", end: str = "2027-01-07") -> Plan:
    return Plan("p", timezone="America/New_York", start=start, end=end, entries=entries)


class TestDaysOfThePeriod:
    def test_late_doses_before_the_first_day_are_not_a_use_day(self) -> None:
        """A 7-day plan at 20:00 and 00:30 with days from 04:00 has 7 use days, not 8."""
        summary = summarize(
            _plan(Entry(kratom("2 g"), Schedule.daily("20:00", "00:30"))),
            Profile(day_start=time(4)),
        )
        (s,) = summary.substances
        assert (s.use_days, s.free_days, s.outside) == (7, 0, 1)
        assert s.planned is not None
        # Days 1-6: 20:00 plus the next 00:30; day 7 only its 20:00.
        assert (s.planned.min, s.planned.max) == (Quantity(2, "g"), Quantity(4, "g"))
        assert "1 dose counts for a day outside the period" in summary.to_text()
        assert "1 dose counts for a day outside the period" in summary.to_markdown()

    def test_window_days_follow_day_start(self) -> None:
        """A summary window counts its own days from day_start, not the plan's."""
        summary = summarize(
            _plan(Entry(kratom("1 g"), Schedule.daily("02:00"))),
            Profile(day_start=time(4)),
            start="2027-01-03",
            end="2027-01-04",
        )
        (s,) = summary.substances
        assert summary.days == 2
        # 01-03 02:00 counts for 01-02 (outside); 01-04 02:00 for 01-03.
        assert (s.use_days, s.free_days, s.outside) == (1, 1, 1)
        (row,) = summary.rows
        assert (row.days, row.count) == (1, 2)

    def test_without_day_start_nothing_is_outside(self) -> None:
        """With days from midnight every dose of the plan is inside its days."""
        (s,) = summarize(
            _plan(Entry(kratom("2 g"), Schedule.daily("20:00", "00:30")))
        ).substances
        assert (s.use_days, s.outside) == (7, 0)


class TestHugeAndTinyAmounts:
    def test_totals_with_forty_digit_amounts_are_exact(self) -> None:
        """Daily totals of 40-digit amounts of very different size neither raise nor round."""
        salt = Substance("salt")
        big = Product("big", contents={salt: "1 g"}, per="1 g")
        tiny_amount = "0." + "0" * 38 + "1234567890123456789012345678901234567891"
        big_amount = "1234567890123456789012345678901234567890E+200"
        plan = _plan(
            Entry(Dose(big, Quantity(big_amount, "g")), Schedule.daily("08:00")),
            Entry(Dose(big, Quantity(tiny_amount, "g")), Schedule.daily("09:00")),
        )
        summary = summarize(plan)
        (s,) = summary.substances
        assert s.planned is not None
        exact = Quantity(big_amount, "g") + Quantity(tiny_amount, "g")
        assert s.planned.min == exact
        assert s.planned.max == exact
        assert summary.to_text()
        assert summary.to_dict()["substances"][0]["daily"] == {
            "min": str(exact),
            "mean": str(exact),
            "max": str(exact),
        }
