"""Constructors accept the text forms a plan file uses for dates and durations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from regimen import (
    Break,
    DoseEvent,
    Entry,
    Plan,
    Schedule,
    Timeline,
    ramp,
    rotate,
    top_ups,
)
from regimen._convert import to_aware, to_date

from .helpers import GREEN_MALAY, MAENG_DA, kratom

DAY = date(2027, 1, 4)


class TestDateText:
    def test_timeline_window_from_text(self) -> None:
        """Timeline(start="2027-01-01") is the same as with a date."""
        assert Timeline(start="2027-01-01", end="2027-01-31") == Timeline(
            start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
        with pytest.raises(
            ValueError, match=r"Timeline\.start must be a date like '2027-01-31'"
        ):
            Timeline(start="Jan 1")
        with pytest.raises(
            ValueError, match=r"Timeline\.end \(2026-12-31\) is before Timeline\.start"
        ):
            Timeline(start="2027-01-01", end="2026-12-31")
        with pytest.raises(
            TypeError, match=r"Timeline\.start must be a datetime\.date"
        ):
            Timeline(start=datetime(2027, 1, 1))

    def test_plan_entry_break_from_text(self) -> None:
        """Plan, Entry and Break take ISO text wherever they take a date."""
        brk = Break("2027-01-10", "2027-01-12")
        assert (brk.start, brk.end) == (date(2027, 1, 10), date(2027, 1, 12))
        entry = Entry(
            kratom(), Schedule.daily("08:00"), start=" 2027-01-05 ", end="2027-01-20"
        )
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-04",
            end="2027-01-31",
            entries=[entry],
            breaks=[brk],
        )
        assert plan == Plan(
            "p",
            timezone="UTC",
            start=DAY,
            end=date(2027, 1, 31),
            entries=[
                Entry(
                    kratom(),
                    Schedule.daily("08:00"),
                    start=date(2027, 1, 5),
                    end=date(2027, 1, 20),
                )
            ],
            breaks=[Break(date(2027, 1, 10), date(2027, 1, 12))],
        )
        assert len(plan.timeline("2027-01-01", "2027-01-12")) == 5

    def test_converter_helpers(self) -> None:
        """to_date and to_aware name the field, the value and the fix."""
        assert to_date("2027-01-04", field="x") == DAY
        with pytest.raises(TypeError, match=r"x must be a datetime\.date or ISO text"):
            to_date(20270104, field="x")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="y must be an aware datetime"):
            to_aware("2027-01-04T08:00", field="y")  # type: ignore[arg-type]


class TestDurationText:
    def test_builders_take_duration_text(self) -> None:
        """ramp, rotate, top_ups and Schedule.shifted read '7 d' and '45 min' like a plan file."""
        daily = Schedule.daily("09:00")
        assert ramp(
            MAENG_DA,
            start="2 g",
            until="1 g",
            step="0.5 g",
            every="7 d",
            schedule=daily,
            first_day="2027-01-04",
        ) == ramp(
            MAENG_DA,
            start="2 g",
            until="1 g",
            step="0.5 g",
            every=timedelta(days=7),
            schedule=daily,
            first_day=DAY,
        )
        assert rotate(
            [MAENG_DA, GREEN_MALAY],
            amount="2 g",
            schedule=daily,
            every="3 d",
            first_day=DAY,
            last_day="2027-01-10",
        ) == rotate(
            [MAENG_DA, GREEN_MALAY],
            amount="2 g",
            schedule=daily,
            every=timedelta(days=3),
            first_day=DAY,
            last_day=date(2027, 1, 10),
        )
        session = top_ups(
            MAENG_DA,
            first="1 g",
            step="0.5 g",
            every="45 min",
            up_to="2 g",
            schedule=daily,
        )
        assert [e.schedule.offset for e in session] == [
            timedelta(0),
            timedelta(minutes=45),
            timedelta(minutes=90),
        ]
        assert daily.shifted("1 h 30 min").offset == timedelta(minutes=90)
        with pytest.raises(
            ValueError, match=r"ramp\(\) every must be a whole number of days"
        ):
            ramp(
                MAENG_DA,
                start="2 g",
                until="1 g",
                step="0.5 g",
                every="36 h",
                schedule=daily,
                first_day=DAY,
            )
        with pytest.raises(
            ValueError, match=r"top_ups\(\) every must be a duration like '45 min'"
        ):
            top_ups(
                MAENG_DA,
                first="1 g",
                step="0.5 g",
                every="soon",
                up_to="2 g",
                schedule=daily,
            )


class TestNaiveMoments:
    def test_between_with_naive_datetimes_says_what_to_do(self) -> None:
        """Timeline.between refuses naive datetimes with DoseEvent's message, not a subtraction error."""
        log = Timeline()
        with pytest.raises(
            ValueError,
            match=r"Timeline\.between\(\) start must be an aware datetime \(got naive 2027-01-01T08:00:00\); attach its zone",
        ):
            log.between(datetime(2027, 1, 1, 8), datetime(2027, 1, 2, 8))
        with pytest.raises(
            TypeError, match=r"Timeline\.between\(\) end must be an aware datetime"
        ):
            log.between(datetime(2027, 1, 1, 8).astimezone(), "tomorrow")  # type: ignore[arg-type]
        with pytest.raises(
            ValueError, match=r"DoseEvent\.at must be an aware datetime \(got naive"
        ):
            DoseEvent(datetime(2027, 1, 1, 8), kratom())


class TestTextForms:
    def test_substance_durations_accept_text(self) -> None:
        """Substance(onset="45 min") reads the text a plan file uses, and says what is wrong."""
        from regimen import Substance

        kratom = Substance("kratom", onset="45 min", duration="4 h")
        assert (kratom.onset, kratom.duration) == (
            timedelta(minutes=45),
            timedelta(hours=4),
        )
        import pytest

        with pytest.raises(ValueError, match=r"Substance\.onset must be a duration"):
            Substance("kratom", onset="soon")
