"""Tests that pin the built-in rules exactly enough to kill their mutants (issue 10).

One log (New York, January 2027) is checked by each rule and every finding
compared whole: code, severity, message, moment, the events it cites, key,
measured value, limit and count unit. Maeng Da (2 g) is taken at 08:00 on
the 4th to 7th and the 11th, Green Malay (2 g) on the 8th and 9th; the 5th
also has 1.5 g at 09:30, 0.5 g at 13:30 and 1 g of Green Malay at 23:59;
milk kefir (lactose) is drunk on the 5th at 08:00 and 20:00 and the 12th at
03:00. The checked period is the 4th to the 12th.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    AvoidTags,
    BreakCadence,
    Dose,
    DoseEvent,
    Finding,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Quantity,
    Rotation,
    Rule,
    Timeline,
)

from .helpers import GREEN_MALAY, MAENG_DA, kefir

NY = ZoneInfo("America/New_York")


def t(day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=NY)


LOG = Timeline(
    [
        *(DoseEvent(t(d), Dose(MAENG_DA, "2 g")) for d in (4, 5, 6, 7, 11)),
        *(DoseEvent(t(d), Dose(GREEN_MALAY, "2 g")) for d in (8, 9)),
        DoseEvent(t(5, 9, 30), Dose(MAENG_DA, "1.5 g")),
        DoseEvent(t(5, 13, 30), Dose(MAENG_DA, "0.5 g")),
        DoseEvent(t(5, 23, 59), Dose(GREEN_MALAY, "1 g")),
        DoseEvent(t(5, 8), kefir()),
        DoseEvent(t(5, 20), kefir()),
        DoseEvent(t(12, 3), kefir()),
    ]
)
DAY4 = 739985  # the day number (proleptic ordinal) of 2027-01-04

Summary = tuple[object, ...]


def summary(f: Finding) -> Summary:
    return (
        f.code,
        f.severity.label,
        f.message,
        None if f.at is None else f.at.strftime("%d %H:%M"),
        tuple(e.at.strftime("%d %H:%M") for e in f.events),
        f.key,
        f.measured,
        f.limit,
        f.count_unit,
    )


def check(rule: Rule, log: Timeline = LOG) -> list[Summary]:
    found = list(rule.check(log))
    assert all(f.rule is rule for f in found)
    return [summary(f) for f in found]


def g(text: str) -> Quantity:
    return Quantity.parse(text)


DAY5 = ("05 08:00", "05 09:30", "05 13:30", "05 23:59")
WEEK1 = ("04 08:00", *DAY5, "06 08:00", "07 08:00", "08 08:00", "09 08:00")


class TestMaxAmount:
    def test_day_total_over_the_limit(self) -> None:
        """The 5th's 5 g pass a 4.5 g daily limit: one finding citing that day's doses."""
        assert check(MaxAmount("kratom", "4.5 g", per="day")) == [
            (
                "max-amount",
                "error",
                "5 g of kratom on 2027-01-05; limit 4.5 g",
                "05 23:59",
                DAY5,
                DAY4 + 1,
                g("5 g"),
                g("4.5 g"),
                "count",
            ),
        ]

    def test_total_equal_to_the_limit_is_fine(self) -> None:
        """A day total equal to the limit makes no finding."""
        assert check(MaxAmount("kratom", "5 g", per="day")) == []

    def test_day_start_and_severity(self) -> None:
        """With days from 10:00 the totals regroup, and the label says where days start."""
        rule = MaxAmount(
            "kratom", "3 g", per="day", day_start="10:00", severity="warning"
        )
        assert check(rule) == [
            (
                "max-amount",
                "warning",
                "3.5 g of kratom on the day 2027-01-04 (from 10:00); limit 3 g",
                "05 09:30",
                ("05 08:00", "05 09:30"),
                DAY4,
                g("3.5 g"),
                g("3 g"),
                "count",
            ),
            (
                "max-amount",
                "warning",
                "3.5 g of kratom on the day 2027-01-05 (from 10:00); limit 3 g",
                "06 08:00",
                ("05 13:30", "05 23:59", "06 08:00"),
                DAY4 + 1,
                g("3.5 g"),
                g("3 g"),
                "count",
            ),
        ]

    def test_week(self) -> None:
        """A weekly limit sums the ISO week and names it."""
        assert check(MaxAmount("kratom", "12 g", per="week")) == [
            (
                "max-amount",
                "error",
                "15 g of kratom in ISO week 2027-W01; limit 12 g",
                "09 08:00",
                WEEK1,
                202701,
                g("15 g"),
                g("12 g"),
                "count",
            ),
        ]
        assert check(MaxAmount("kratom", "15 g", per="week")) == []

    def test_rolling_window(self) -> None:
        """A 24 h window reports each day's worst window, ending at its last dose."""
        assert check(MaxAmount("kratom", "4 g", per=timedelta(hours=24))) == [
            (
                "max-amount",
                "error",
                "5 g of kratom in the 24 h ending 2027-01-05 23:59 EST; limit 4 g",
                "05 23:59",
                DAY5,
                DAY4 + 1,
                g("5 g"),
                g("4 g"),
                "count",
            ),
            (
                "max-amount",
                "error",
                "5 g of kratom in the 24 h ending 2027-01-06 08:00 EST; limit 4 g",
                "06 08:00",
                ("05 09:30", "05 13:30", "05 23:59", "06 08:00"),
                DAY4 + 2,
                g("5 g"),
                g("4 g"),
                "count",
            ),
        ]
        assert check(MaxAmount("kratom", "5 g", per=timedelta(hours=24))) == []

    def test_per_dose(self) -> None:
        """A per-dose limit reports each dose above it, one per day."""
        found = check(MaxAmount("kratom", "1.5 g", per="dose"))
        days = [4, 5, 6, 7, 8, 9, 11]
        assert found == [
            (
                "max-amount",
                "error",
                f"2 g of kratom in one dose at 2027-01-{d:02d} 08:00 EST; limit 1.5 g",
                f"{d:02d} 08:00",
                (f"{d:02d} 08:00",),
                DAY4 + d - 4,
                g("2 g"),
                g("1.5 g"),
                "count",
            )
            for d in days
        ]
        assert check(MaxAmount("kratom", "2 g", per="dose")) == []

    def test_units_that_do_not_convert(self) -> None:
        """A product in another dimension is reported once per product, as a warning."""
        assert check(MaxAmount("kratom", "1 fl oz", per="day")) == [
            (
                "max-amount",
                "warning",
                f"{name} gives kratom in units that do not convert to fl oz, so it is "
                "not counted against the limit; give the product an equivalent",
                at,
                (at,),
                ("mismatch", name),
                None,
                None,
                "count",
            )
            for name, at in [("Maeng Da", "04 08:00"), ("Green Malay", "05 23:59")]
        ]

    def test_volume(self) -> None:
        """Volumes sum exactly in their unit."""
        assert check(MaxAmount("kefir", "6 fl oz", per="day")) == [
            (
                "max-amount",
                "error",
                "12 fl oz of kefir on 2027-01-05; limit 6 fl oz",
                "05 20:00",
                ("05 08:00", "05 20:00"),
                DAY4 + 1,
                g("12 fl oz"),
                g("6 fl oz"),
                "count",
            ),
        ]


class TestMaxDoses:
    def test_day(self) -> None:
        """Four doses on the 5th pass a limit of three."""
        assert check(MaxDoses("kratom", 3, per="day")) == [
            (
                "max-doses",
                "error",
                "4 doses of kratom on 2027-01-05; limit 3",
                "05 23:59",
                DAY5,
                DAY4 + 1,
                4,
                3,
                "doses",
            ),
        ]
        assert check(MaxDoses("kratom", 4, per="day")) == []

    def test_week(self) -> None:
        """Nine doses in ISO week 1 pass a limit of eight."""
        assert check(MaxDoses("kratom", 8, per="week")) == [
            (
                "max-doses",
                "error",
                "9 doses of kratom in ISO week 2027-W01; limit 8",
                "09 08:00",
                WEEK1,
                202701,
                9,
                8,
                "doses",
            ),
        ]
        assert check(MaxDoses("kratom", 9, per="week")) == []

    def test_window_edge(self) -> None:
        """A window (t - w, t] excludes the dose exactly w before t."""
        assert check(MaxDoses("kratom", 3, per=timedelta(hours=16))) == [
            (
                "max-doses",
                "error",
                "4 doses of kratom in the 16 h ending 2027-01-05 23:59 EST; limit 3",
                "05 23:59",
                DAY5,
                DAY4 + 1,
                4,
                3,
                "doses",
            ),
        ]
        assert check(MaxDoses("kratom", 3, per=timedelta(hours=15, minutes=59))) == []
        assert check(MaxDoses("kratom", 4, per=timedelta(hours=16))) == []


class TestMinInterval:
    def test_worst_gap_of_the_day(self) -> None:
        """The shortest gap of a day is reported, listing every dose of the day's short gaps."""
        assert check(MinInterval("kratom", "5 h")) == [
            (
                "min-interval",
                "error",
                "kratom taken 1 h 30 min after the previous dose, at 2027-01-05 09:30 "
                "EST; minimum interval 5 h",
                "05 09:30",
                ("05 08:00", "05 09:30", "05 13:30"),
                DAY4 + 1,
                timedelta(hours=1.5),
                timedelta(hours=5),
                "count",
            ),
        ]

    def test_later_smaller_gap_wins(self) -> None:
        """A smaller gap later the same day is the one stated; every short gap's doses are listed."""
        log = Timeline(
            [
                DoseEvent(t(4, h, m), Dose(MAENG_DA, "1 g"))
                for h, m in [(8, 0), (10, 0), (10, 30), (14, 0)]
            ]
        )
        found = MinInterval("kratom", "3 h").check(log)
        assert [(f.measured, [e.at for e in f.events]) for f in found] == [
            (timedelta(minutes=30), [t(4, 8), t(4, 10), t(4, 10, 30)])
        ]

    def test_gap_equal_to_the_interval_is_fine(self) -> None:
        """A gap exactly the interval makes no finding."""
        assert check(MinInterval("kratom", "1 h 30 min")) == []


class TestMaxConsecutiveDays:
    def test_run_over_the_limit(self) -> None:
        """A six-day run passes a limit of three; the finding cites the days past it."""
        assert check(MaxConsecutiveDays("kratom", 3)) == [
            (
                "max-consecutive-days",
                "error",
                "kratom used on 6 days in a row, 2027-01-04 to 2027-01-09; limit 3",
                "07 08:00",
                ("07 08:00", "08 08:00", "09 08:00"),
                DAY4,
                6,
                3,
                "days",
            ),
        ]

    def test_run_equal_to_the_limit_is_fine(self) -> None:
        """A run as long as the limit makes no finding; one day longer does."""
        assert check(MaxConsecutiveDays("kratom", 6)) == []
        assert [f[4] for f in check(MaxConsecutiveDays("kratom", 5))] == [("09 08:00",)]


class TestRotation:
    def test_each_product_run(self) -> None:
        """Each product's own run is counted, citing only its doses past the limit."""
        assert check(Rotation("kratom", max_days=1)) == [
            (
                "rotation",
                "error",
                "Maeng Da (kratom) used on 4 days in a row, 2027-01-04 to 2027-01-07; "
                "rotate after 1",
                "05 08:00",
                ("05 08:00", "05 09:30", "05 13:30", "06 08:00", "07 08:00"),
                ("Maeng Da", DAY4),
                4,
                1,
                "days",
            ),
            (
                "rotation",
                "error",
                "Green Malay (kratom) used on 2 days in a row, 2027-01-08 to 2027-01-09; "
                "rotate after 1",
                "09 08:00",
                ("09 08:00",),
                ("Green Malay", DAY4 + 4),
                2,
                1,
                "days",
            ),
        ]

    def test_run_equal_to_the_limit_is_fine(self) -> None:
        """A run as long as max_days makes no finding."""
        assert [f[2] for f in check(Rotation("kratom", max_days=3))] == [
            "Maeng Da (kratom) used on 4 days in a row, 2027-01-04 to 2027-01-07; "
            "rotate after 3"
        ]
        assert check(Rotation("kratom", max_days=4)) == []


class TestBreakCadence:
    def test_stretch_of_failing_spans(self) -> None:
        """Failing spans are reported once, for the first span, with its longest free run."""
        assert check(BreakCadence("kratom", days=2, every=7)) == [
            (
                "break-cadence",
                "error",
                "no 2 consecutive free days of kratom in the 7 days 2027-01-04 to "
                "2027-01-10 (nor in any such span starting up to 2027-01-06); cadence: "
                "2 free days in every 7",
                "09 08:00",
                (*WEEK1, "11 08:00"),  # every dose of the spans starting 4th to 6th
                DAY4,
                1,
                2,
                "days",
            ),
        ]

    def test_partly_failing(self) -> None:
        """Only the spans without a free day fail; measured is 0 when none is free."""
        assert check(BreakCadence("kratom", days=1, every=3)) == [
            (
                "break-cadence",
                "error",
                "no 1 consecutive free days of kratom in the 3 days 2027-01-04 to "
                "2027-01-06 (nor in any such span starting up to 2027-01-07); cadence: "
                "1 free days in every 3",
                "06 08:00",
                ("04 08:00", *DAY5, "06 08:00", "07 08:00", "08 08:00", "09 08:00"),
                DAY4,
                0,
                1,
                "days",
            ),
        ]

    def test_satisfied_and_short_periods(self) -> None:
        """A free day in every span, or a period shorter than *every*, makes no finding."""
        assert check(BreakCadence("kratom", days=1, every=7)) == []
        assert check(BreakCadence("kratom", days=1, every=10)) == []
        assert check(BreakCadence("kratom", days=2, every=9)) != []

    def test_single_failing_span(self) -> None:
        """One failing span has no 'nor in any such span' clause."""
        found = check(BreakCadence("kratom", days=2, every=9))
        assert [f[2] for f in found] == [
            "no 2 consecutive free days of kratom in the 9 days 2027-01-04 to "
            "2027-01-12; cadence: 2 free days in every 9"
        ]
        assert found[0][6] == 1

    def test_longest_free_run(self) -> None:
        """longest_free_run counts the free days at both ends and between used days."""
        from regimen._rules_days import longest_free_run

        assert longest_free_run([3, 7], 1, 10) == 3
        assert longest_free_run([3, 7], 1, 5) == 2
        assert longest_free_run([2, 3], 1, 10) == 7
        assert longest_free_run([], 4, 6) == 3
        assert longest_free_run([0, 11], 1, 10) == 10
        assert longest_free_run([1, 10], 1, 10) == 8


class TestAvoidTags:
    def test_one_finding_per_product_per_day(self) -> None:
        """Tagged doses are grouped per product and day, in any case of the tag."""
        assert check(AvoidTags(["Lactose", " x "])) == [
            (
                "avoid-tag",
                "error",
                "milk kefir is tagged 'lactose', which you avoid (2027-01-05 08:00 EST)",
                "05 08:00",
                ("05 08:00", "05 20:00"),
                ("milk kefir", DAY4 + 1),
                None,
                None,
                "count",
            ),
            (
                "avoid-tag",
                "error",
                "milk kefir is tagged 'lactose', which you avoid (2027-01-12 03:00 EST)",
                "12 03:00",
                ("12 03:00",),
                ("milk kefir", DAY4 + 8),
                None,
                None,
                "count",
            ),
        ]
        assert check(AvoidTags("sugar")) == []

    def test_tags_are_normalised(self) -> None:
        """Tags are stripped and lower-cased; a single string is one tag."""
        assert AvoidTags("Lactose").tags == {"lactose"}
        assert AvoidTags([" Added Sugar ", "x"]).tags == {"added sugar", "x"}


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


class TestArguments:
    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (
                lambda: MaxAmount("kratom", "0 g", per="day"),
                "a limit must be above zero (got 0 g)",
            ),
            (
                lambda: MaxAmount("kratom", "-1 g", per="day"),
                "a limit must be above zero (got -1 g)",
            ),
            (
                lambda: MaxAmount("kratom", "1 g", per=timedelta(0)),
                "per must be a window longer than zero (got 0:00:00)",
            ),
            (
                lambda: MaxAmount("kratom", "1 g", per="month"),
                "per must be 'dose', 'day', 'week' or a window like timedelta(hours=24) (got 'month')",
            ),
            (
                lambda: MaxAmount("kratom", "1 g", per="0 h"),
                "per must be 'dose', 'day', 'week' or a window like timedelta(hours=24) (got '0 h')",
            ),
            (
                lambda: MaxAmount("kratom", "1 g", per=5),  # type: ignore[arg-type]
                "per must be 'dose', 'day', 'week' or a window like timedelta(hours=24) (got 5)",
            ),
            (
                lambda: MaxDoses("kratom", 0, per="day"),
                "must be a whole number of at least 1 (got 0)",
            ),
            (
                lambda: MaxDoses("kratom", True, per="day"),
                "must be a whole number of at least 1 (got True)",
            ),
            (
                lambda: MaxDoses("kratom", "2", per="day"),  # type: ignore[arg-type]
                "must be a whole number of at least 1 (got '2')",
            ),
            (
                lambda: MaxDoses("kratom", 2, per="dose"),
                "MaxDoses per='dose' always counts one dose; use 'day', 'week' or a window",
            ),
            (
                lambda: MinInterval("kratom", "0 h"),
                "must be longer than zero (got '0 h')",
            ),
            (
                lambda: MinInterval("kratom", timedelta(-1)),
                "must be longer than zero (got datetime.timedelta(days=-1))",
            ),
            (
                lambda: MinInterval("kratom", "4 h", day_start="25:00"),
                "day_start must be a time of day like '08:30' (got '25:00')",
            ),
            (
                lambda: BreakCadence("kratom", days=3, every=2),
                "BreakCadence every (2) must be at least days (3)",
            ),
            (
                lambda: Rotation("kratom", max_days=0),
                "must be a whole number of at least 1 (got 0)",
            ),
            (
                lambda: MaxConsecutiveDays("kratom", 1.5),  # type: ignore[arg-type]
                "must be a whole number of at least 1 (got 1.5)",
            ),
            (
                lambda: AvoidTags([]),
                "AvoidTags needs at least one non-empty tag (got [])",
            ),
            (
                lambda: AvoidTags([""]),
                "AvoidTags.tags must not contain an empty tag (got ['']); remove it",
            ),
            (
                lambda: AvoidTags(["a", "  "]),
                "AvoidTags.tags must not contain an empty tag (got ['a', '  ']); remove it",
            ),
        ],
    )
    def test_bad_arguments(self, build: object, message: str) -> None:
        """Each invalid argument raises ValueError with the exact message."""
        assert callable(build)
        with pytest.raises(ValueError, match=exactly(message)):
            build()

    def test_day_start_types(self) -> None:
        """day_start takes a naive time or text; anything else is a TypeError."""
        assert MinInterval("kratom", "4 h", day_start=time(4)).day_start == time(4)
        assert MinInterval("kratom", "4 h", day_start="04:30").day_start == time(4, 30)
        assert MinInterval("kratom", "4 h").day_start is None
        with pytest.raises(
            TypeError,
            match=exactly(
                "day_start must be a naive datetime.time, text like '04:00' or None (got 4)"
            ),
        ):
            MinInterval("kratom", "4 h", day_start=4)  # type: ignore[arg-type]
        aware = time(4, tzinfo=NY)
        with pytest.raises(TypeError, match=r"naive datetime\.time"):
            MinInterval("kratom", "4 h", day_start=aware)

    def test_edges_accepted(self) -> None:
        """The smallest allowed values are accepted as they are."""
        assert MaxDoses("kratom", 1, per="day").count == 1
        assert BreakCadence("kratom", days=3, every=3).every == 3
        assert MaxAmount(
            "kratom", "1 g", per=timedelta(microseconds=1)
        ).per == timedelta(microseconds=1)
        assert MinInterval("kratom", timedelta(microseconds=1)).interval == timedelta(
            microseconds=1
        )
        assert MaxAmount("kratom", "1 g", per="36 h").per == timedelta(hours=36)
        for per in ("dose", "day", "week"):
            assert MaxAmount("kratom", "1 g", per=per).per == per

    def test_check_needs_a_timeline(self) -> None:
        """check() of something other than a Timeline is a TypeError with the fix."""
        with pytest.raises(
            TypeError,
            match=exactly(
                "check() needs a Timeline (got 'x'); expand a plan with plan.timeline()"
            ),
        ):
            MinInterval("kratom", "4 h").check("x")  # type: ignore[arg-type]


class TestTables:
    def test_shared_options_are_written_when_set(self) -> None:
        """to_table() writes severity, day_start and source only when not defaults."""
        rule = MinInterval(
            "kratom", "4 h", severity="info", day_start="04:30", source=" FDA "
        )
        assert rule.to_table() == {
            "type": "min-interval",
            "substance": "kratom",
            "interval": "4 h",
            "severity": "info",
            "day_start": "04:30",
            "source": "FDA",
        }
        assert MinInterval("kratom", "4 h").to_table() == {
            "type": "min-interval",
            "substance": "kratom",
            "interval": "4 h",
        }

    @pytest.mark.parametrize(
        ("rule", "table"),
        [
            (
                MaxAmount("kratom", "1 g", per="week"),
                {
                    "type": "max-amount",
                    "substance": "kratom",
                    "amount": "1 g",
                    "per": "week",
                },
            ),
            (
                MaxAmount("kratom", "1 g", per="dose"),
                {
                    "type": "max-amount",
                    "substance": "kratom",
                    "amount": "1 g",
                    "per": "dose",
                },
            ),
            (
                MaxAmount("kratom", "1 g", per=timedelta(hours=36)),
                {
                    "type": "max-amount",
                    "substance": "kratom",
                    "amount": "1 g",
                    "per": "36 h",
                },
            ),
            (
                MaxDoses("kratom", 2, per="day"),
                {"type": "max-doses", "substance": "kratom", "count": 2, "per": "day"},
            ),
            (
                MaxConsecutiveDays("kratom", 7),
                {"type": "max-consecutive-days", "substance": "kratom", "days": 7},
            ),
            (
                BreakCadence("kratom", days=3, every=30),
                {
                    "type": "break-cadence",
                    "substance": "kratom",
                    "days": 3,
                    "every": 30,
                },
            ),
            (
                Rotation("kratom", max_days=7),
                {"type": "rotation", "substance": "kratom", "max_days": 7},
            ),
            (AvoidTags({"b", "a"}), {"type": "avoid-tag", "tags": ["a", "b"]}),
        ],
    )
    def test_tables(self, rule: Rule, table: dict[str, object]) -> None:
        """Each rule's table holds exactly its own fields."""
        assert rule.to_table() == table  # type: ignore[attr-defined]

    def test_repr_puts_shared_options_last(self) -> None:
        """repr() lists the rule's own fields, then severity, day_start and source."""
        rule = MaxConsecutiveDays("kratom", 7, severity="warning", source="s")
        assert repr(rule) == (
            "MaxConsecutiveDays(substance='kratom', days=7, "
            "severity=<Severity.WARNING: 2>, day_start=None, source='s')"
        )


class TestMoreRuns:
    def test_short_run_before_a_long_one(self) -> None:
        """A run within the limit does not stop the search for a later, longer one."""
        log = Timeline([DoseEvent(t(d), Dose(MAENG_DA, "1 g")) for d in (1, 3, 4, 5)])
        rule = MaxConsecutiveDays("kratom", 2)
        assert check(rule, log) == [
            (
                "max-consecutive-days",
                "error",
                "kratom used on 3 days in a row, 2027-01-03 to 2027-01-05; limit 2",
                "05 08:00",
                ("05 08:00",),
                DAY4 - 1,
                3,
                2,
                "days",
            ),
        ]
        rotation = Rotation("kratom", max_days=2)
        assert [f[2] for f in check(rotation, log)] == [
            "Maeng Da (kratom) used on 3 days in a row, 2027-01-03 to 2027-01-05; "
            "rotate after 2"
        ]

    def test_avoided_tags_listed_sorted_and_only_those_avoided(self) -> None:
        """The message names the avoided tags the product has, sorted, and no others."""
        from regimen import Product

        from .helpers import KEFIR

        dairy = Product(
            "yogurt",
            contents={KEFIR: "1 fl oz"},
            per="1 fl oz",
            tags={"lactose", "dairy", "cultured"},
        )
        log = Timeline([DoseEvent(t(4), Dose(dairy, "1 fl oz"))])
        rule = AvoidTags(["lactose", "dairy", "gluten"])
        assert [f[2] for f in check(rule, log)] == [
            "yogurt is tagged 'dairy', 'lactose', which you avoid (2027-01-04 08:00 EST)"
        ]


class _Series:
    def __init__(self, days: list[int]) -> None:
        self.days = days


class _Period:
    def __init__(self, first: int, last: int) -> None:
        self.first_day = date.fromordinal(first)
        self.last_day = date.fromordinal(last)


class _Ctx:
    """The part of a validation context failing_spans() reads."""

    def __init__(self, used: list[int], first: int, last: int) -> None:
        self.timeline = _Period(first, last)
        self.used = used

    def series(self, term: str) -> _Series:
        return _Series(self.used)


def failing_oracle(
    used: set[int], p0: int, p1: int, days: int, every: int
) -> list[tuple[int, int]]:
    """Return the maximal ranges of span starts whose span lacks *days* free days in a row."""
    bad = []
    for start in range(p0, p1 - every + 2):
        run = best = 0
        for d in range(start, start + every):
            run = 0 if d in used else run + 1
            best = max(best, run)
        if best < days:
            bad.append(start)
    ranges: list[tuple[int, int]] = []
    for s in bad:
        if ranges and ranges[-1][1] == s - 1:
            ranges[-1] = (ranges[-1][0], s)
        else:
            ranges.append((s, s))
    return ranges


@pytest.mark.parametrize(
    ("days", "every"),
    [(1, 1), (1, 3), (2, 3), (2, 4), (3, 5), (2, 9), (1, 10), (4, 11)],
)
def test_failing_spans_match_brute_force(days: int, every: int) -> None:
    """failing_spans() agrees with checking every span, for every pattern of 10 days."""
    p0 = 100
    p1 = p0 + 9
    rule = BreakCadence("kratom", days=days, every=every)
    for mask in range(1 << 10):
        used = {p0 + i for i in range(10) if mask >> i & 1}
        # Doses outside the period must not count.
        ctx = _Ctx(sorted(used | {p0 - 1, p1 + 1}), p0, p1)
        got = rule.failing_spans(ctx)  # type: ignore[arg-type]
        assert got == failing_oracle(used, p0, p1, days, every), sorted(used)


class TestWindowDetails:
    def test_day_whose_events_are_not_contiguous(self) -> None:
        """A day total skips an event of another local day that falls between its events."""
        honolulu = ZoneInfo("Pacific/Honolulu")
        log = Timeline(
            [
                DoseEvent(datetime(2027, 1, 5, 1, tzinfo=NY), Dose(MAENG_DA, "2 g")),
                DoseEvent(
                    datetime(2027, 1, 4, 23, 30, tzinfo=honolulu), Dose(MAENG_DA, "2 g")
                ),
                DoseEvent(datetime(2027, 1, 5, 10, tzinfo=NY), Dose(MAENG_DA, "2 g")),
            ]
        )
        cited = ("05 01:00", "05 10:00")
        doses = MaxDoses("kratom", 1, per="day")
        assert check(doses, log) == [
            (
                "max-doses",
                "error",
                "2 doses of kratom on 2027-01-05; limit 1",
                "05 10:00",
                cited,
                DAY4 + 1,
                2,
                1,
                "doses",
            ),
        ]
        amount = MaxAmount("kratom", "3 g", per="day")
        assert [(f[2], f[4]) for f in check(amount, log)] == [
            ("4 g of kratom on 2027-01-05; limit 3 g", cited)
        ]

    def test_ties_keep_the_first(self) -> None:
        """Of equal worst windows, gaps or doses on one day, the first is stated; all are listed."""
        start = datetime(2027, 1, 4, 8, tzinfo=NY)
        log = Timeline(
            [
                DoseEvent(start + timedelta(minutes=m), Dose(MAENG_DA, "2 g"))
                for m in (0, 30, 240, 270)
            ]
        )
        every = ("04 08:00", "04 08:30", "04 12:00", "04 12:30")
        window = MaxDoses("kratom", 1, per=timedelta(hours=1))
        assert [(f[2], f[4]) for f in check(window, log)] == [
            (
                "2 doses of kratom in the 1 h ending 2027-01-04 08:30 EST; limit 1",
                every,
            )
        ]
        gap = MinInterval("kratom", "1 h")
        assert [(f[2], f[4]) for f in check(gap, log)] == [
            (
                "kratom taken 30 min after the previous dose, at 2027-01-04 08:30 EST; "
                "minimum interval 1 h",
                every,
            )
        ]
        dose = MaxAmount("kratom", "1 g", per="dose")
        assert [(f[2], f[4]) for f in check(dose, log)] == [
            (
                "2 g of kratom in one dose at 2027-01-04 08:00 EST; limit 1 g",
                every,
            )
        ]

    def test_windows_longer_than_2_to_the_53_microseconds(self) -> None:
        """Windows and intervals are compared in whole microseconds, however long."""
        per = timedelta(days=999_999, microseconds=1)
        start = datetime(2027, 1, 4, 8, tzinfo=NY)
        log = Timeline(
            [
                DoseEvent(start, Dose(MAENG_DA, "2 g")),
                DoseEvent(
                    start + per - timedelta(microseconds=1), Dose(MAENG_DA, "2 g")
                ),
            ]
        )
        assert [f.measured for f in MaxDoses("kratom", 1, per=per).check(log)] == [2]
        assert [f.measured for f in MinInterval("kratom", per).check(log)] == [
            timedelta(days=999_999)
        ]

    def test_unreadable_interval_names_the_field(self) -> None:
        """An unreadable interval is refused naming 'interval'."""
        with pytest.raises(
            ValueError,
            match=exactly(
                "interval must be a duration like '45 min', '24 h' or '7 d' (got 'abc')"
            ),
        ):
            MinInterval("kratom", "abc")


@pytest.mark.parametrize("bad", ["", 5])
def test_rule_substance_is_named_in_the_error(bad: object) -> None:
    """A rule without a usable substance term says a rule needs one."""
    with pytest.raises(
        ValueError,
        match=exactly(f"a rule needs a substance name, alias or class (got {bad!r})"),
    ):
        MaxAmount(bad, "1 g", per="day")  # type: ignore[arg-type]
