"""Edge cases of argument checking across the package, each with its message."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from regimen import (
    Bundle,
    Interaction,
    MaxAmount,
    Product,
    Profile,
    Substance,
    Timeline,
    allowance,
    to_ics,
)
from regimen._format import duration, parse_duration
from regimen._validators import instance_of, positive

from .helpers import KRATOM


def bad(value: object) -> Any:
    """Pass a value of the wrong type on purpose (the checks under test are at run time)."""
    return value


class TestMessages:
    @pytest.mark.parametrize(
        ("build", "error", "match"),
        [
            (
                lambda: Profile(interactions=[bad("x")]),
                TypeError,
                r"Profile\.interactions\[0\] must be an Interaction",
            ),
            (
                lambda: Profile(medications=[bad(3)]),
                TypeError,
                r"Profile\.medications\[0\] must be a Substance or a name",
            ),
            (
                lambda: Profile(day_start=bad(4)),
                TypeError,
                r"Profile\.day_start must be a naive datetime\.time",
            ),
            (
                lambda: Interaction(
                    "a", "b", severity="error", within="-1 h", note="n"
                ),
                ValueError,
                "must be a duration like",
            ),
            (
                lambda: Interaction("a", "b", severity="error", within="1 h", note=" "),
                ValueError,
                "must say what the note is about",
            ),
            (
                lambda: Interaction(
                    "a", "b", severity="error", within="1 h", note="n", source=bad(3)
                ),
                TypeError,
                "source must be text",
            ),
            (
                lambda: Interaction("", "b", severity="error", within="1 h", note="n"),
                ValueError,
                "Interaction needs a substance name",
            ),
            (
                lambda: Bundle(substances=[bad("kratom")]),
                TypeError,
                r"Bundle\.substances\[0\] must be a Substance",
            ),
            (
                lambda: Bundle(products=[bad(KRATOM)]),
                TypeError,
                r"Bundle\.products\[0\] must be a Product",
            ),
            (lambda: Substance("k", source=bad(3)), TypeError, "source must be text"),
            (lambda: parse_duration(bad(45)), TypeError, "must be a timedelta or text"),
            (
                lambda: parse_duration("45 fortnights"),
                ValueError,
                "unknown time unit 'fortnights'",
            ),
            (lambda: parse_duration("soon"), ValueError, "must be a duration like"),
            (lambda: parse_duration("4000 d"), ValueError, "longer than ten years"),
        ],
    )
    def test_bad_arguments(
        self, build: object, error: type[Exception], match: str
    ) -> None:
        """Each bad argument raises the right error naming what was wrong."""
        with pytest.raises(error, match=match):
            build()  # type: ignore[operator]

    def test_validator_reprs(self) -> None:
        """Validators are small objects with readable reprs."""
        assert repr(instance_of(int)) == "instance_of(int)"
        assert repr(positive()) == "positive(allow_zero=False)"

    def test_durations_round_trip(self) -> None:
        """Durations print compactly and read back exactly, negative ones too."""
        for value in (
            timedelta(0),
            timedelta(seconds=-90),
            timedelta(days=7, microseconds=3),
            timedelta(hours=1, seconds=1),
        ):
            assert parse_duration(duration(value).lstrip("-")) == abs(value)
        assert duration(timedelta(seconds=-90)) == "-1 min 30 s"

    def test_allowance_and_ics_arguments(self) -> None:
        """allowance() and to_ics() check their arguments."""
        log = Timeline([])
        at = datetime(2027, 1, 1, tzinfo=UTC)
        with pytest.raises(TypeError, match="needs a Profile"):
            allowance(log, "profile", "kratom", at=at)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="needs a Substance or a substance name"):
            allowance(log, Profile(), 3, at=at)  # type: ignore[arg-type]
        free = allowance(
            log, Profile(rules=[MaxAmount("kratom", "8 g", per="day")]), KRATOM, at=at
        )
        assert str(free.amount) == "8 g"
        with pytest.raises(ValueError, match="reminder must be a timedelta"):
            to_ics(log, reminder=timedelta(minutes=-5))

    def test_product_measures_and_names(self) -> None:
        """Product names are required text; variant and form are optional text."""
        with pytest.raises(TypeError, match=r"Product\.name must be a str"):
            Product(3, contents={KRATOM: "1 g"})  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="must be a str or None"):
            Product("p", contents={KRATOM: "1 g"}, variant=3)
        assert Product("p", contents={KRATOM: "1 g"}, variant="  ").variant is None
        assert time(0) == time(0)


class TestMorePaths:
    def test_allowance_consecutive_days(self) -> None:
        """Three days of use with a limit of three: the fourth day waits, the fifth is free."""
        from regimen import DoseEvent, MaxConsecutiveDays

        from .helpers import kratom

        start = datetime(2027, 1, 1, 9, tzinfo=UTC)
        log = Timeline(
            [DoseEvent(start + timedelta(days=d), kratom()) for d in range(3)]
        )
        profile = Profile(rules=[MaxConsecutiveDays("kratom", 3)])
        later_same_day = allowance(
            log, profile, "kratom", at=start + timedelta(hours=5)
        )
        assert later_same_day.allowed_now
        got = allowance(log, profile, "kratom", at=start + timedelta(days=3))
        assert not got.allowed_now
        assert got.earliest == datetime(2027, 1, 5, tzinfo=UTC)
        assert isinstance(got.limited_by, MaxConsecutiveDays)

    def test_quantity_orderings_reject_other_types(self) -> None:
        """Ordering a quantity against a number is a TypeError, whichever operator."""
        from regimen import Quantity

        q = Quantity(1, "g")
        for compare in (q.__le__, q.__gt__, q.__ge__, q.__lt__):
            assert compare(bad(1)) is NotImplemented

    def test_cli_paths(self, tmp_path: Any) -> None:
        """The command explains files with nothing to work on and bad dates."""
        import io

        from regimen._cli import main

        empty = tmp_path / "empty.toml"
        empty.write_text('[[substances]]\nname = "k"\n')
        err = io.StringIO()
        assert main(["summary", str(empty)], stdout=io.StringIO(), stderr=err) == 2
        assert "neither a plan nor a log" in err.getvalue()
        assert (
            main(
                ["check", str(empty), "--from", "soon"],
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            == 2
        )


class TestRemainingChecks:
    def test_quantity_and_unit_pass_through_and_refuse(self) -> None:
        """Parsing a Quantity or Unit returns it; wrong operands are refused."""
        from regimen import Quantity, Unit

        q = Quantity(2, "g")
        assert Quantity.parse(q) is q  # type: ignore[arg-type]
        assert Unit.parse(Unit.G) is Unit.G  # type: ignore[arg-type]
        assert Unit._missing_(3) is None
        assert q.__sub__(bad(1)) is NotImplemented
        assert q.__truediv__(bad("2")) is NotImplemented
        assert q.__mul__(bad(True)) is NotImplemented
        assert (q + Quantity(3, "g")).unit is Unit.G

    def test_timeline_and_validate_arguments(self) -> None:
        """Timeline periods are ordered; + takes timelines; validate needs a Profile."""
        from datetime import date

        from regimen import validate

        with pytest.raises(ValueError, match=r"Timeline\.end \(2027-01-01\) is before"):
            Timeline([], start=date(2027, 1, 2), end=date(2027, 1, 1))
        assert Timeline([]).__add__(bad([])) is NotImplemented
        with pytest.raises(TypeError, match="needs a Profile or None"):
            validate(Timeline([]), bad("profile"))
        with pytest.raises(TypeError, match="check\\(\\) needs a Timeline"):
            MaxAmount("k", "1 g", per="day").check(bad([]))

    def test_schedule_and_rule_arguments(self) -> None:
        """Too many times, a non-timedelta offset and unreadable windows are refused."""
        from regimen import Schedule

        with pytest.raises(ValueError, match="at most 1440 are allowed"):
            Schedule.daily(
                *[time(h, m, s) for h in range(1) for m in range(60) for s in range(25)]
            )
        import attrs

        with pytest.raises(TypeError, match="offset must be a timedelta"):
            attrs.evolve(Schedule.daily("08:00"), offset=bad(5))
        with pytest.raises(ValueError, match="per must be 'dose'"):
            MaxAmount("k", "1 g", per=bad("fortnight"))
        assert MaxAmount("k", "1 g", per=bad("6 h")).per == timedelta(hours=6)


class TestWeekNumbersAtTheEndOfTheRange:
    """BYWEEKNO in late December 9998, whose weeks may belong to 9999 (found by the fuzzer)."""

    @pytest.mark.parametrize(("week", "expected_days"), [(53, 0), (1, 1)])
    def test_a_plan_ending_in_9998_with_week_numbers_expands(
        self, week: int, expected_days: int
    ) -> None:
        from regimen import loads

        text = """
substances = [{ name = "kratom" }]
products = [{ name = "Maeng Da", per = "1 g", contents = { kratom = "1 g" } }]
plan = { name = "first", timezone = "America/Santiago", start = 9998-11-30, end = 9998-12-31, entries = [{ dose = { product = "Maeng Da", amount = "0.5 g" }, schedule = { kind = "rrule", rule = "FREQ=YEARLY;BYWEEKNO=@;WKST=TH;BYDAY=TH", times = ["18:00"] } }] }
""".replace("@", str(week))
        plan = loads(text).plan
        assert plan is not None
        from datetime import date as date_

        from dateutil.rrule import TH, YEARLY, rrule

        expected = [
            d.date()
            for d in rrule(
                YEARLY,
                byweekno=week,
                wkst=TH,
                byweekday=TH,
                dtstart=datetime(9998, 11, 30),
            ).between(datetime(9998, 11, 30), datetime(9998, 12, 31, 23), inc=True)
        ]
        assert [e.at.date() for e in plan.timeline()] == expected
        assert len(expected) == expected_days
        # week 1 of 9999 begins on Thursday 9998-12-31
        assert all(d == date_(9998, 12, 31) for d in expected)

    def test_week_one_is_right_for_every_year_and_week_start(self) -> None:
        from datetime import date as date_

        from regimen._rrule import RecurrenceRule

        for wkst in ("MO", "TU", "WE", "TH", "FR", "SA", "SU"):
            rule = RecurrenceRule.parse(f"FREQ=YEARLY;BYWEEKNO=1;WKST={wkst}")
            for year in (2, 3, 4, 100, 400, 1582, 1900, 2000, 2027, 9997, 9998, 9999):
                jan4 = date_(year, 1, 4)
                expected = jan4.toordinal() - (jan4.weekday() - rule.wkst) % 7
                assert rule._week_one(year) == expected, (wkst, year)
            # the year after 9999 too: 52 or 53 weeks after 9999's week one
            assert (rule._week_one(10000) - rule._week_one(9999)) // 7 in (52, 53)
