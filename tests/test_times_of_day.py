"""Times of day people say: Schedule.spread, Schedule.at_meals with meal times, Schedule.every_hours."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Break,
    Bundle,
    Dose,
    Entry,
    ExpansionError,
    LoadError,
    Meal,
    MealTimes,
    Plan,
    Product,
    Schedule,
    Substance,
    dumps,
    loads,
)
from regimen._meals import FHIR_WHEN, MEALS, fhir_when, relation
from regimen._timezone import localize

PILL = Product(
    "amoxicillin", contents={Substance("amoxicillin"): "500 mg"}, per="1 capsule"
)
DOSE = Dose(PILL, "1 capsule")
ZONES = ("America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "America/Havana")
#: Days around DST changes in those zones (spring and autumn, both hemispheres).
EDGES = (
    date(2027, 3, 12),
    date(2027, 11, 5),
    date(2027, 3, 26),
    date(2027, 10, 29),
    date(2027, 4, 2),
    date(2027, 10, 1),
)


def plan_of(*entries: Entry, **kwargs: object) -> Plan:
    base: dict[str, object] = {
        "timezone": "America/New_York",
        "start": "2027-03-12",
        "end": "2027-03-16",
    }
    base.update(kwargs)
    return Plan("p", entries=entries, **base)  # type: ignore[arg-type]


def clock_text(t: time) -> str:
    return t.isoformat("minutes")


class TestSpread:
    def test_three_between_eight_and_ten(self) -> None:
        """Three doses over 08:00-22:00 are at its start, middle and end."""
        assert Schedule.spread(3, ("08:00", "22:00")) == Schedule.daily(
            "08:00", "15:00", "22:00"
        )

    def test_one_dose_is_the_window_start(self) -> None:
        """N = 1 is the window's start."""
        assert Schedule.spread(1, ("09:15", "21:00")).times == (time(9, 15),)

    def test_rounding_halves_up(self) -> None:
        """Times round to the minute with halves up, and n is at most the window's minutes + 1."""
        # 3 doses over 08:00-08:03: 0, 1.5, 3 minutes -> 08:00, 08:02 (1.5 rounds up), 08:03.
        assert [
            clock_text(t) for t in Schedule.spread(3, ("08:00", "08:03")).times
        ] == [
            "08:00",
            "08:02",
            "08:03",
        ]
        with pytest.raises(ValueError, match="n must be from 1 to 4"):
            Schedule.spread(5, ("08:00", "08:03"))

    def test_weekly_days(self) -> None:
        """days= makes it a weekly schedule on those days."""
        assert Schedule.spread(2, ("08:00", "20:00"), days=["MO", "FR"]) == (
            Schedule.weekly(["MO", "FR"], "08:00", "20:00")
        )

    @pytest.mark.parametrize(
        ("between", "error"),
        [
            (("22:00", "06:00"), "across midnight is not supported"),
            (("08:00", "08:00"), "must end after it starts"),
            (("08:00:30", "09:00"), "whole minutes"),
            (("08:00",), "two times"),
        ],
    )
    def test_bad_windows(self, between: tuple[str, ...], error: str) -> None:
        """A window that crosses midnight, is empty, has seconds or is not a pair is refused."""
        with pytest.raises((ValueError, TypeError), match=error):
            Schedule.spread(2, between)  # type: ignore[arg-type]

    @pytest.mark.parametrize("n", [0, -1, True, 2.0])
    def test_bad_counts(self, n: object) -> None:
        """N must be a whole number of at least 1."""
        with pytest.raises((ValueError, TypeError), match="n must be"):
            Schedule.spread(n, ("08:00", "22:00"))  # type: ignore[arg-type]

    @given(
        start=st.integers(0, 1439),
        length=st.integers(0, 1439),
        data=st.data(),
    )
    def test_times_equal_the_arithmetic_on_minutes(
        self, start: int, length: int, data: st.DataObject
    ) -> None:
        """Time i is start + i * (end - start) / (n - 1) minutes, rounded half up (exact fractions)."""
        end = min(1439, start + length)
        n = data.draw(st.integers(1, end - start + 1), label="n")
        got = Schedule.spread(
            n, (time(start // 60, start % 60), time(end // 60, end % 60))
        ).times
        want = []
        for i in range(n):
            exact = Fraction(start) + (
                Fraction(i * (end - start), n - 1) if n > 1 else Fraction(0)
            )
            whole = int(exact)
            minute = whole + 1 if exact - whole >= Fraction(1, 2) else whole
            want.append(time(minute // 60, minute % 60))
        assert got == tuple(want)
        assert len(set(got)) == n


class TestMeals:
    def test_defaults(self) -> None:
        """The documented default meal times."""
        m = MealTimes()
        assert [clock_text(m.at(x)) for x in MEALS] == [
            "07:00",
            "07:30",
            "12:30",
            "18:30",
            "22:30",
        ]

    def test_plan_takes_a_mapping(self) -> None:
        """A plan takes some meal times as a mapping; the rest keep their defaults."""
        plan = plan_of(meal_times={"Breakfast": "06:45"})
        assert plan.meal_times == MealTimes(breakfast=time(6, 45))
        with pytest.raises(ValueError, match="'brunch' is not a meal"):
            plan_of(meal_times={"brunch": "11:00"})
        with pytest.raises(ValueError, match=r"MealTimes\.dinner must be a time"):
            MealTimes(dinner="7 pm")

    def test_before_breakfast_with_dinner_at_bedtime(self) -> None:
        """30 min before breakfast, with dinner and at bedtime: times and meal relations."""
        plan = plan_of(
            Entry(DOSE, Schedule.at_meals("breakfast", offset="-30 min")),
            Entry(DOSE, Schedule.at_meals("dinner")),
            Entry(DOSE, Schedule.at_meals("bedtime")),
            Entry(DOSE, Schedule.at_meals("lunch", offset="+1 h")),
            start="2027-01-04",
            end="2027-01-04",
            meal_times={"breakfast": "07:00"},
        )
        got = [(e.at.strftime("%H:%M"), e.dose.meal) for e in plan.timeline()]
        assert got == [
            ("06:30", Meal.BEFORE),
            ("13:30", Meal.AFTER),
            ("18:30", Meal.WITH),
            ("22:30", None),
        ]

    def test_a_dose_keeps_its_own_relation(self) -> None:
        """A dose that says its meal relation keeps it."""
        dose = Dose(PILL, "1 capsule", meal="empty-stomach")
        plan = plan_of(
            Entry(dose, Schedule.at_meals("breakfast", offset="-1 h")), end="2027-03-12"
        )
        assert [e.dose.meal for e in plan.timeline()] == [Meal.EMPTY_STOMACH]

    def test_leaving_the_day_is_refused(self) -> None:
        """A meal time plus offset that leaves the day is refused when the plan is built."""
        entry = Entry(DOSE, Schedule.at_meals("bedtime", offset="2 h"))
        with pytest.raises(
            ValueError, match=r"Plan\.entries\[0\].*outside the meal's day"
        ):
            plan_of(entry)
        assert len(plan_of(entry, meal_times={"bedtime": "21:00"}).timeline()) == 5

    @pytest.mark.parametrize(
        ("offset", "error"),
        [("13 h", "within 12 h"), ("-soon", "duration"), (5, "timedelta")],
    )
    def test_bad_offsets(self, offset: object, error: str) -> None:
        """Offsets are durations within 12 h either way."""
        with pytest.raises((ValueError, TypeError), match=error):
            Schedule.at_meals("lunch", offset=offset)  # type: ignore[arg-type]

    def test_bad_meals(self) -> None:
        """Unknown meals and no meals are refused."""
        with pytest.raises(ValueError, match="'tea' is not a meal"):
            Schedule.at_meals("tea")
        with pytest.raises(ValueError, match="at least one meal"):
            Schedule.at_meals()

    def test_describe(self) -> None:
        """Summaries say the anchor in words."""
        assert Schedule.at_meals("breakfast", offset="-30 min").describe() == (
            "daily 30 min before breakfast"
        )
        assert Schedule.at_meals("dinner", days="MO").describe() == "on MO with dinner"
        assert Schedule.at_meals("bedtime").describe() == "daily at bedtime"

    @given(
        zone=st.sampled_from(ZONES),
        start=st.sampled_from(EDGES),
        meals=st.lists(st.sampled_from(MEALS), min_size=1, max_size=3, unique=True),
        minutes=st.integers(-180, 180),
        times=st.lists(
            st.builds(time, st.integers(3, 20), st.integers(0, 59)),
            min_size=5,
            max_size=5,
        ),
    )
    def test_times_are_meal_time_plus_offset_in_wall_time(
        self,
        *,
        zone: str,
        start: date,
        meals: list[str],
        minutes: int,
        times: list[time],
    ) -> None:
        """Each dose is at meal time + offset in local wall time (localized as any schedule time)."""
        offset = timedelta(minutes=minutes)
        meal_times = dict(zip(MEALS, times, strict=True))
        plan = plan_of(
            Entry(DOSE, Schedule.at_meals(*meals, offset=offset)),
            timezone=zone,
            start=start,
            end=start + timedelta(days=3),
            meal_times=meal_times,
        )
        tz = ZoneInfo(zone)
        want = (
            (
                localize(
                    day, (datetime.combine(day, meal_times[m]) + offset).time(), tz
                ),
                relation(m, offset),
            )
            for day in (start + timedelta(days=k) for k in range(4))
            for m in meals
        )
        got = [(e.at.astimezone(UTC), e.dose.meal) for e in plan.timeline()]
        assert [a for a, _ in got] == sorted(a for a, _ in got)
        key = lambda pair: (pair[0], str(pair[1]))  # noqa: E731
        assert sorted(got, key=key) == sorted(
            ((a.astimezone(UTC), r) for a, r in want), key=key
        )


class TestFhirWhen:
    def test_the_table_covers_every_meal_and_relation(self) -> None:
        """Each meal and relation has exactly one specific FHIR code, and each code's anchors are known."""
        for code, (meals, rel) in FHIR_WHEN.items():
            assert set(meals) <= set(MEALS), code
            assert rel in (None, Meal.BEFORE, Meal.WITH, Meal.AFTER)
        specific = [(m, r) for m, r in FHIR_WHEN.values() if len(m) == 1]
        assert len(specific) == len(set(specific)) == 11

    @pytest.mark.parametrize(
        ("meal", "minutes", "code"),
        [
            ("breakfast", -30, ("ACM", 30)),
            ("lunch", -15, ("ACD", 15)),
            ("dinner", -60, ("ACV", 60)),
            ("breakfast", 0, ("CM", 0)),
            ("lunch", 0, ("CD", 0)),
            ("dinner", 0, ("CV", 0)),
            ("breakfast", 30, ("PCM", 30)),
            ("lunch", 45, ("PCD", 45)),
            ("dinner", 120, ("PCV", 120)),
            ("bedtime", 0, ("HS", 0)),
            ("bedtime", -30, ("HS", 30)),
            ("wake", 20, ("WAKE", 20)),
            ("bedtime", 30, None),
            ("wake", -10, None),
        ],
    )
    def test_codes(self, meal: str, minutes: int, code: tuple[str, int] | None) -> None:
        """Anchors map onto EventTiming codes and offsets in minutes (FHIR R4)."""
        assert fhir_when(meal, timedelta(minutes=minutes)) == code
        if code is not None:
            meals, rel = FHIR_WHEN[code[0]]
            assert meal in meals
            assert rel is relation(meal, timedelta(minutes=minutes))


def chain_oracle(
    plan: Plan, entry: Entry, lo: date, hi: date, period: timedelta
) -> list[datetime]:
    """Step in UTC from the first dose; keep each whose local date is in [lo, hi] and on no break."""
    tz = ZoneInfo(plan.timezone)
    anchor = entry.start or plan.start
    t = localize(anchor, entry.schedule.times[0], tz).astimezone(UTC)
    end = datetime.combine(hi + timedelta(days=2), time(0), tzinfo=UTC)
    out = []
    while t < end:
        day = t.astimezone(tz).date()
        if max(lo, anchor) <= day <= hi and not any(
            b.includes(day) for b in plan.breaks
        ):
            out.append(t)
        t += period
    return out


class TestEveryHours:
    def test_eight_hourly_across_spring_forward(self) -> None:
        """An 8-hourly dose stays 8 h apart across New York's spring-forward; the wall times move."""
        plan = plan_of(
            Entry(DOSE, Schedule.every_hours(8, first="06:00")),
            start="2027-03-13",
            end="2027-03-14",
        )
        got = [e.at.strftime("%d %H:%M %Z") for e in plan.timeline()]
        # 06:00 EST + 8 h = 14:00 EST, 22:00 EST, then 06:00 EST = 07:00 EDT, 15:00 EDT, 23:00 EDT.
        assert got == [
            "13 06:00 EST",
            "13 14:00 EST",
            "13 22:00 EST",
            "14 07:00 EDT",
            "14 15:00 EDT",
            "14 23:00 EDT",
        ]

    def test_interval_that_does_not_divide_a_day(self) -> None:
        """Every 5 h from 06:00 UTC: 06, 11, 16, 21, 02, 07, ..."""
        plan = plan_of(
            Entry(DOSE, Schedule.every_hours("5 h")),
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-02",
        )
        assert [e.at.strftime("%d %H") for e in plan.timeline()] == [
            "01 06",
            "01 11",
            "01 16",
            "01 21",
            "02 02",
            "02 07",
            "02 12",
            "02 17",
            "02 22",
        ]

    @pytest.mark.parametrize(
        ("hours", "error"),
        [
            (0, "from 1 minute to 7 days"),
            ("8 d", "from 1 minute to 7 days"),
            (timedelta(seconds=30), "from 1 minute"),
            (0.01, "whole number of minutes"),
            (float("nan"), "from 1 minute"),
            (True, "number of hours"),
            ("eight", "duration"),
            (timedelta(minutes=90, seconds=1), "whole number of minutes"),
        ],
    )
    def test_bad_intervals(self, hours: object, error: str) -> None:
        """Intervals are whole minutes from 1 minute to 7 days."""
        with pytest.raises((ValueError, TypeError), match=error):
            Schedule.every_hours(hours)  # type: ignore[arg-type]

    def test_numbers_text_and_timedeltas_agree(self) -> None:
        """8, "8 h", "480 min" and timedelta(hours=8) are the same interval."""
        same = {
            Schedule.every_hours(h)
            for h in (8, 8.0, "8 h", "480 min", timedelta(hours=8))
        }
        assert len(same) == 1
        assert Schedule.every_hours(1.5, first="07:15").describe() == (
            "every 1 h 30 min from 07:15"
        )

    def test_max_events_is_checked_before_building(self) -> None:
        """A one-minute chain over a year passes max_events and raises, naming the entry."""
        plan = plan_of(
            Entry(DOSE, Schedule.every_hours("1 min")),
            start="2027-01-01",
            end="2027-12-31",
        )
        with pytest.raises(ExpansionError, match=r"max_events=1000.*every 1 min"):
            plan.timeline(max_events=1000)

    @given(
        zone=st.sampled_from(ZONES),
        start=st.sampled_from(EDGES),
        minutes=st.sampled_from([60, 90, 300, 420, 480, 720, 1440, 2100]),
        first=st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30])),
        delay=st.integers(0, 3),
        window=st.tuples(st.integers(0, 8), st.integers(0, 8)),
        pause=st.one_of(st.none(), st.tuples(st.integers(0, 8), st.integers(0, 2))),
        weekly=st.one_of(st.none(), st.sampled_from(["MO", "SU", "WE"])),
    )
    def test_exactly_h_apart_in_utc_against_a_slow_oracle(
        self,
        *,
        zone: str,
        start: date,
        minutes: int,
        first: time,
        delay: int,
        window: tuple[int, int],
        pause: tuple[int, int] | None,
        weekly: str | None,
    ) -> None:
        """Doses are the UTC chain from the first one, kept by local date; windows keep the phase."""
        period = timedelta(minutes=minutes)
        entry = Entry(
            DOSE,
            Schedule.every_hours(period, first=first),
            start=start + timedelta(days=delay),
        )
        breaks = []
        if pause is not None:
            b0 = start + timedelta(days=pause[0])
            breaks.append(Break(b0, b0 + timedelta(days=pause[1])))
        if weekly is not None:
            breaks.append(Break.weekly(weekly, start=start))
        plan = plan_of(
            entry,
            timezone=zone,
            start=start,
            end=start + timedelta(days=9),
            breaks=breaks,
        )
        lo = start + timedelta(days=min(window))
        hi = start + timedelta(days=max(window))
        got = [e.at.astimezone(UTC) for e in plan.timeline(lo, hi)]
        assert got == chain_oracle(plan, entry, lo, hi, period)
        # Every gap is a whole number of periods (exactly one inside a run of
        # days with no break), measured in UTC.
        t0 = localize(entry.start or start, first, ZoneInfo(zone)).astimezone(UTC)
        assert all((g - t0) % period == timedelta(0) for g in got)
        if not breaks:
            assert all(b - a == period for a, b in itertools.pairwise(got))


class TestFiles:
    TEXT = """
[[substances]]
name = "amoxicillin"

[[products]]
name = "amoxicillin"
per = "1 capsule"
contents = { amoxicillin = "500 mg" }

[plan]
name = "p"
timezone = "Europe/Dublin"
start = 2027-03-27
end = 2027-03-29

[plan.meal_times]
breakfast = "07:00"

[[plan.entries]]
dose = { product = "amoxicillin", amount = "1 capsule" }
schedule = { kind = "hours", every = "8 h", first = "06:00" }

[[plan.entries]]
dose = { product = "amoxicillin", amount = "1 capsule" }
schedule = { kind = "daily", meals = ["Breakfast", "dinner"], meal_offset = "-30 min" }

[[plan.entries]]
dose = { product = "amoxicillin", amount = "1 capsule" }
schedule = { kind = "weekly", days = ["SU"], spread = 3, between = ["09:00", "21:00"] }
"""

    def test_load_and_round_trip(self) -> None:
        """The new schedule keys load to the API's objects and dump back to the same bundle."""
        bundle = loads(self.TEXT)
        assert bundle.plan is not None
        schedules = [e.schedule for e in bundle.plan.entries]
        assert schedules == [
            Schedule.every_hours(8, first="06:00"),
            Schedule.at_meals("breakfast", "dinner", offset="-30 min"),
            Schedule.weekly("SU", "09:00", "15:00", "21:00"),
        ]
        assert bundle.plan.meal_times == MealTimes(breakfast="07:00")
        for fmt in ("toml", "json"):
            assert loads(dumps(bundle, format=fmt), format=fmt) == bundle

    @pytest.mark.parametrize(
        ("schedule", "problem"),
        [
            (
                '{ kind = "hours", every = "8 h", times = ["08:00"] }',
                "schedule: times does not apply to kind 'hours'",
            ),
            ('{ kind = "hours" }', "schedule: kind 'hours' needs every"),
            (
                '{ kind = "daily", times = ["08:00"], meals = ["lunch"] }',
                "schedule: give one of times, spread or meals (got times and meals)",
            ),
            ('{ kind = "daily" }', "schedule: give one of times, spread or meals"),
            (
                '{ kind = "daily", times = ["08:00"], first = "06:00" }',
                "schedule: first applies to kind 'hours' only",
            ),
            (
                '{ kind = "daily", times = ["08:00"], between = ["08:00", "09:00"] }',
                "schedule: between applies with spread only",
            ),
            (
                '{ kind = "daily", times = ["08:00"], meal_offset = "5 min" }',
                "schedule: meal_offset applies with meals only",
            ),
            (
                '{ kind = "daily", meals = ["tea"] }',
                "schedule: Schedule.meals: 'tea' is not a meal",
            ),
            (
                '{ kind = "daily", spread = 3, between = ["22:00", "06:00"] }',
                "across midnight",
            ),
            ('{ kind = "hours", every = "8 d" }', "from 1 minute to 7 days"),
        ],
    )
    def test_problems_have_paths(self, schedule: str, problem: str) -> None:
        """Each schedule problem is reported with its path."""
        text = self.TEXT.replace(
            '{ kind = "hours", every = "8 h", first = "06:00" }', schedule
        )
        with pytest.raises(LoadError) as caught:
            loads(text)
        assert any(
            p.startswith("plan.entries[0].schedule") and problem in p
            for p in caught.value.problems
        ), caught.value.problems

    def test_meal_time_problems_have_paths(self) -> None:
        """An unknown meal in meal_times is reported under plan.meal_times."""
        text = self.TEXT.replace('breakfast = "07:00"', 'brunch = "11:00"')
        with pytest.raises(
            LoadError, match=r"plan\.meal_times: .*'brunch' is not a meal"
        ):
            loads(text)

    def test_schema_accepts_the_file_and_refuses_mistakes(self) -> None:
        """The JSON Schema accepts the new keys and refuses the same mistakes as the loader."""
        import json

        import jsonschema

        from regimen._schema import instance, schema

        validator = jsonschema.Draft202012Validator(schema())
        bundle = loads(self.TEXT)
        data = json.loads(dumps(bundle, format="json"))
        assert validator.is_valid(data)
        entry = data["plan"]["entries"][0]
        for mistake in (
            {"times": ["08:00"]},
            {"every": None},
            {"spread": 2},
        ):
            broken = json.loads(json.dumps(data))
            broken["plan"]["entries"][0]["schedule"] = {**entry["schedule"], **mistake}
            assert not validator.is_valid(broken), mistake
        daily = json.loads(json.dumps(data))
        daily["plan"]["entries"][1]["schedule"]["times"] = ["08:00"]
        assert not validator.is_valid(daily)
        import tomllib

        assert validator.is_valid(instance(tomllib.loads(self.TEXT)))

    def test_generated_bundle_round_trip(self) -> None:
        """A bundle with every new kind survives dumps/loads unchanged."""
        plan = plan_of(
            Entry(
                DOSE, Schedule.every_hours("90 min", first="07:15").shifted("45 min")
            ),
            Entry(
                DOSE,
                Schedule.at_meals("wake", "bedtime", offset="-15 min", days=["MO"]),
            ),
            meal_times={"wake": "05:30", "bedtime": "23:00"},
        )
        bundle = Bundle(plan=plan, products=(PILL,), substances=tuple(PILL.contents))
        assert loads(dumps(bundle)) == bundle
