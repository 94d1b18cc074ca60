"""Repeating breaks: weekly, by a recurrence rule, and cycles, in every layer that sees breaks."""

from __future__ import annotations

import io
import itertools
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Break,
    BreakCadence,
    Bundle,
    Dose,
    DoseEvent,
    Entry,
    ExpansionError,
    LoadError,
    Plan,
    Profile,
    Schedule,
    Timeline,
    Weekday,
    _expand,
    _expand_breaks,
    allowance,
    dumps,
    loads,
    summarize,
    validate,
)
from regimen import strategies as rst
from regimen._cli import main
from regimen._expand import expand
from regimen._schema import instance, schema
from regimen._timezone import localize, zone

from .helpers import KRATOM, MAENG_DA

DAY = timedelta(days=1)
JAN1 = date(2027, 1, 1)  # a Friday


def slow_is_break_day(pause: Break, day: date) -> bool:
    """Whether *day* is a day of *pause*, from the definition of each kind, one day at a time."""
    if day < pause.start or (pause.end is not None and day > pause.end):
        return False
    if pause.weekdays:
        return day.weekday() in {w.index for w in pause.weekdays}
    if pause.rule is not None:
        # Every date the rule selects from its start up to the day, the day last.
        chosen = list(pause.rule.dates(pause.start, day, anchor=pause.start))
        return bool(chosen) and chosen[-1] == day
    if pause.on_days:
        return (day - pause.start).days % (
            pause.on_days + pause.off_days
        ) >= pause.on_days
    return True


def slow_timeline(plan: Plan) -> list[tuple[datetime, str, str, bool]]:
    """Expand *plan* one day at a time, asking every break about every day (the oracle)."""
    assert plan.end is not None
    tz = zone(plan.timezone)
    out = []
    day = plan.start
    while day <= plan.end:
        for entry in plan.entries:
            anchor = entry.start or plan.start
            if day < anchor or (entry.end is not None and day > entry.end):
                continue
            if day not in set(entry.schedule.dates(day, day, anchor=anchor)):
                continue
            if any(
                slow_is_break_day(p, day)
                for p in plan.breaks
                if any(p.covers(s) for s in entry.dose.contents)
            ):
                continue
            for wall in entry.schedule.times:
                at = localize(day, wall, tz)
                if entry.schedule.offset:
                    at = (at.astimezone(UTC) + entry.schedule.offset).astimezone(tz)
                out.append(
                    (
                        at.astimezone(UTC),
                        entry.dose.product.name,
                        str(entry.dose.amount),
                        entry.as_needed,
                    )
                )
        day += DAY
    return sorted(out)


def fast_timeline(plan: Plan) -> list[tuple[datetime, str, str, bool]]:
    return sorted(
        (e.at.astimezone(UTC), e.product.name, str(e.amount), e.as_needed)
        for e in plan.timeline()
    )


ANY_BREAK = st.builds(
    lambda d: d, st.dates(date(2026, 12, 1), date(2027, 3, 1))
).flatmap(lambda d: rst.breaks(start=d, end=d + timedelta(days=60), repeating=True))


@st.composite
def plans_with_breaks(draw: st.DrawFn) -> Plan:
    """Plans of up to 45 days, with repeating breaks (some begun before the plan) and one-offs."""
    start = draw(st.dates(date(2027, 1, 1), date(2027, 4, 1)))
    end = start + timedelta(days=draw(st.integers(0, 44)))
    # Clock-time schedules only: the every-h-hours and meal-anchored kinds have
    # their own oracles with breaks (tests/test_times_of_day.py).
    clock = rst.entries().filter(
        lambda e: e.schedule.period is None and not e.schedule.meals
    )
    entries = draw(st.lists(clock, min_size=1, max_size=3))
    terms = sorted({t for e in entries for s in e.dose.contents for t in s._terms})
    pauses = draw(
        st.lists(
            rst.breaks(
                start=start - timedelta(days=20),
                end=end,
                terms=st.sampled_from(terms),
                repeating=draw(st.booleans()) or None,
            ),
            min_size=1,
            max_size=3,
        )
    )
    name = draw(st.sampled_from(["UTC", "America/New_York", "Australia/Lord_Howe"]))
    return Plan(
        "p", timezone=name, start=start, end=end, entries=entries, breaks=pauses
    )


class TestBuilding:
    def test_weekly_takes_codes_names_and_weekdays(self) -> None:
        """One or more weekdays, as codes in any case, names or Weekday members."""
        a = Break.weekly(["sa", "Sunday"], start="2027-01-01", end="2027-12-31")
        b = Break.weekly({Weekday.SA, Weekday.SU}, start=JAN1, end=date(2027, 12, 31))
        assert a == b
        assert a.kind == "weekly"
        assert a.weekdays == frozenset({Weekday.SA, Weekday.SU})

    def test_a_plain_break_is_once_and_unchanged(self) -> None:
        """Break(start, end) stays a one-off run of days."""
        pause = Break("2027-02-01", "2027-02-03")
        assert pause.kind == "once"
        assert [d.day for d in pause.days(JAN1, date(2027, 3, 1))] == [1, 2, 3]

    @pytest.mark.parametrize(
        ("build", "error", "words"),
        [
            (lambda: Break.weekly([], start=JAN1), ValueError, "at least one weekday"),
            (lambda: Break.weekly("XX", start=JAN1), ValueError, "Break.weekdays: 'XX' is not a weekday"),
            (lambda: Break.rrule("FREQ=MONTHLY;BYMONTHDAY=32", start=JAN1), ValueError, "Break.rule: recurrence rule"),
            (lambda: Break.rrule("FREQ=HOURLY", start=JAN1), ValueError, "Break.rule"),
            (lambda: Break.cycle(on_days=0, off_days=2, start=JAN1), ValueError, "on_days must be at least 1"),
            (lambda: Break.cycle(on_days=3, off_days=0, start=JAN1), ValueError, "off_days must be at least 1"),
            (lambda: Break.cycle(on_days=3, off_days=10**6, start=JAN1), ValueError, "Break.off_days must be from 1 to 100000"),
            (lambda: Break.cycle(on_days=True, off_days=2, start=JAN1), TypeError, "Break.on_days must be a whole number"),
            (lambda: Break(JAN1, None), ValueError, "Break.end is missing"),
            (lambda: Break(JAN1, None, weekdays=["MO"], rule="FREQ=DAILY"), ValueError, "give one of them"),
            (lambda: Break(JAN1, None, on_days=3), ValueError, "needs on_days and off_days"),
            (lambda: Break.weekly("MO", start="2027-02-01", end="2027-01-01"), ValueError, "Break.end (2027-01-01) is before Break.start"),
        ],
    )  # fmt: skip
    def test_invalid_breaks_cannot_be_built(
        self, build: object, error: type[Exception], words: str
    ) -> None:
        """Each mistake raises, naming the field and the fix."""
        assert callable(build)
        with pytest.raises(error, match=re.escape(words)):
            build()

    def test_describe_and_table(self) -> None:
        """Messages and tables say how the break repeats."""
        pause = Break.rrule(
            "FREQ=MONTHLY;BYMONTHDAY=1,2,3", start=JAN1, end="2027-06-30", reason="r"
        )
        assert (
            pause.describe()
            == "per FREQ=MONTHLY;BYMONTHDAY=1,2,3 from 2027-01-01 to 2027-06-30"
        )
        assert pause.to_table() == {
            "type": "break",
            "start": "2027-01-01",
            "end": "2027-06-30",
            "rule": "FREQ=MONTHLY;BYMONTHDAY=1,2,3",
            "reason": "r",
        }
        cycle = Break.cycle(on_days=5, off_days=2, start=JAN1)
        assert (
            cycle.describe() == "2 days off after every 5 days of use from 2027-01-01"
        )


class TestDays:
    @given(
        ANY_BREAK, st.dates(date(2026, 11, 1), date(2027, 6, 1)), st.integers(0, 120)
    )
    def test_days_runs_and_includes_equal_the_definition(
        self, pause: Break, first: date, length: int
    ) -> None:
        """days(), runs() and includes() agree with checking each day by the definition."""
        last = first + timedelta(days=length)
        every = [first + n * DAY for n in range(length + 1)]
        want = [d for d in every if slow_is_break_day(pause, d)]
        assert list(pause.days(first, last)) == want
        assert [d for d in every if pause.includes(d)] == want
        spans = list(pause.runs(first, last))
        # Runs cover exactly the break days, and are maximal (never adjacent).
        assert [a + n * DAY for a, b in spans for n in range((b - a).days + 1)] == want
        assert all((c - b).days > 1 for (_, b), (c, _) in itertools.pairwise(spans))

    def test_the_first_three_days_of_every_month(self) -> None:
        """The issue's example rule takes the 1st, 2nd and 3rd of each month."""
        pause = Break.rrule("FREQ=MONTHLY;BYMONTHDAY=1,2,3", start=JAN1)
        got = [(d.month, d.day) for d in pause.days(JAN1, date(2027, 3, 31))]
        assert got == [(m, d) for m in (1, 2, 3) for d in (1, 2, 3)]

    def test_cycle_counts_from_start_with_days_of_use(self) -> None:
        """A 3-on, 2-off cycle from Jan 1 takes Jan 4-5, 9-10, 14-15."""
        pause = Break.cycle(on_days=3, off_days=2, start=JAN1, end="2027-01-15")
        assert [d.day for d in pause.days(JAN1, date(2027, 1, 31))] == [
            4,
            5,
            9,
            10,
            14,
            15,
        ]


class TestExpansion:
    @given(plans_with_breaks())
    def test_timeline_equals_a_day_by_day_check(self, plan: Plan) -> None:
        """Expansion with repeating breaks gives what checking each day against each break gives."""
        assert fast_timeline(plan) == slow_timeline(plan)

    @given(plans_with_breaks())
    def test_spans_and_day_by_day_agree(self, plan: Plan) -> None:
        """Repeating breaks taken as spans give what asking them day by day gives."""
        with mock.patch.object(_expand_breaks, "MAX_RUNS", 0):
            day_by_day = fast_timeline(plan)
        assert fast_timeline(plan) == day_by_day

    @given(plans_with_breaks(), st.integers(0, 150))
    def test_a_plan_is_refused_for_max_events_only_when_it_has_more(
        self, plan: Plan, most: int
    ) -> None:
        """Asked day by day, the breaks' days counted at most never refuse a plan that fits.

        With too many runs to list, a plan whose scheduled days less every
        day the repeating breaks could take still give more than
        ``max_events`` is refused at once (issue 10); one that fits is not.
        """
        count = len(plan.timeline())
        with mock.patch.object(_expand_breaks, "MAX_RUNS", 0):
            if count > most:
                with pytest.raises(ExpansionError, match="max_events"):
                    plan.timeline(max_events=most)
            else:
                assert len(plan.timeline(max_events=most)) == count

    @given(plans_with_breaks(), st.data())
    def test_days_at_most_is_at_least_the_days_the_breaks_take(
        self, plan: Plan, data: st.DataObject
    ) -> None:
        """The constant-time count is never below the repeating breaks' days, day by day."""
        first = data.draw(st.dates(plan.start - timedelta(days=30), plan.start))
        last = first + timedelta(days=data.draw(st.integers(0, 80)))
        breaks = _expand_breaks.Breaks(plan, first, last)
        chosen = frozenset(range(len(plan.breaks)))
        most = breaks.days_at_most(chosen, first, last)
        repeating = [b for b in plan.breaks if b.kind != "once"]
        if any(b.rule is not None for b in repeating):
            assert most is None
            return
        assert most is not None
        days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        taken = sum(slow_is_break_day(b, day) for b in repeating for day in days)
        assert most >= taken
        # and at most one cycle (or week) of each break's days more
        slack = sum(b.off_days or len(b.weekdays) for b in repeating)
        assert most <= taken + slack + sum(
            (len(days) // (b.on_days + b.off_days or 7) + 1)
            * (b.off_days or len(b.weekdays))
            for b in repeating
            if b.start > first or (b.end is not None and b.end < last)
        )

    def test_millennia_over_max_events_are_refused_without_walking_the_days(
        self,
    ) -> None:
        """A daily dose from 1000 to 9998 with 5 days on, 1 off: refused for max_events.

        Found by the fuzzer: 3.3 million days with 548,000 runs of the break,
        too many to list, were walked day by day for 1.6 s before the error.
        Now the error comes before any day is asked: with a work budget of
        10 steps, it is still the max_events error, not the budget's.
        """
        plan = Plan(
            "p",
            timezone="Europe/Berlin",
            start="1000-01-01",
            end="9998-12-30",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("18:00"))],
            breaks=[Break.cycle(on_days=5, off_days=1, start="1000-01-02")],
        )
        with pytest.raises(ExpansionError, match="gives more than max_events=1000000"):
            expand(plan, start=None, end=None, max_events=10**6, work=10)
        # Within the limit, the days are walked (and the budget binds).
        with pytest.raises(ExpansionError, match="needs more than 10 steps"):
            expand(plan, start=None, end=None, max_events=3 * 10**6, work=10)

    def test_sundays_off_for_a_year(self) -> None:
        """A daily dose with Sundays off for 2027: 365 - 52 doses, none on a Sunday."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start=JAN1,
            end="2027-12-31",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("08:00"))],
            breaks=[Break.weekly("SU", start=JAN1, substances=["kratom"])],
        )
        events = plan.timeline()
        assert len(events) == 365 - 52
        assert all(e.at.weekday() != 6 for e in events)

    def test_open_break_ends_with_the_plan_window(self) -> None:
        """An open repeating break applies to every day expanded, however far."""
        plan = Plan(
            "p",
            timezone="UTC",
            start=JAN1,
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("08:00"))],
            breaks=[Break.cycle(on_days=1, off_days=1, start=JAN1)],
        )
        days = [e.at.date() for e in plan.timeline(end="2030-12-31")]
        assert days == [JAN1 + 2 * n * DAY for n in range(len(days))]
        assert days[-1] == date(2030, 12, 31)


class TestBoundedWork:
    def test_too_many_events_is_known_before_any_day_is_asked(self) -> None:
        """A rare break over millennia: max_events is passed by counting, not by walking days."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start="0002-01-02",
            end="9998-12-25",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("14:00"))],
            breaks=[Break.cycle(on_days=100_000, off_days=1, start="0002-01-02")],
        )
        with (
            mock.patch.object(
                _expand, "without_runs", side_effect=AssertionError("walked")
            ),
            pytest.raises(ExpansionError, match="more than max_events=1000000"),
        ):
            plan.timeline()
        # Within max_events, the same plan counts its doses exactly.
        window = plan.timeline(start="2027-01-01", end="2327-12-31")
        period = 100_001
        first, last = date(2027, 1, 1), date(2327, 12, 31)
        off = sum(
            1
            for k in range((last - first).days + 1)
            if ((first - date(2, 1, 2)).days + k) % period >= 100_000
        )
        assert len(window) == (last - first).days + 1 - off

    def test_a_rule_that_never_matches_over_every_supported_year(self) -> None:
        """A break rule matching nothing over 0002-9998 stops with ExpansionError, naming the entry."""
        plan = Plan(
            "long",
            timezone="UTC",
            start="0002-01-01",
            end="9998-12-31",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.every(1000, "08:00"))],
            breaks=[
                Break.rrule(
                    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                    start="0002-01-01",
                    end="9998-12-31",
                )
            ],
        )
        with pytest.raises(ExpansionError, match="needs more than 250,000 steps"):
            plan.timeline()

    def test_the_same_rule_over_a_decade_costs_a_decade(self) -> None:
        """Over ten years it removes nothing, within a budget of about ten years' days."""
        plan = Plan(
            "long",
            timezone="UTC",
            start="2027-01-01",
            end="2036-12-31",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("08:00"))],
            breaks=[
                Break.rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", start="0002-01-01")
            ],
        )
        got = expand(plan, start=None, end=None, max_events=10**6, work=3700 + 100)
        assert len(got) == 3653

    def test_long_runs_of_days_off_cost_one_step_each(self) -> None:
        """A daily entry over 0002-9998 with one day of use per 100,000 days skips the runs."""
        plan = Plan(
            "long",
            timezone="UTC",
            start="0002-01-01",
            end="9998-12-31",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("08:00"))],
            breaks=[Break.cycle(on_days=1, off_days=100_000, start="0002-01-01")],
        )
        # 37 days of use, 37 runs of days off: a few steps each.
        got = expand(plan, start=None, end=None, max_events=10**6, work=500)
        first = date(2, 1, 1)
        assert [e.at.date() for e in got] == [
            first + n * 100_001 * DAY for n in range(37)
        ]

    def test_weekly_break_on_a_sparse_entry_over_millennia(self) -> None:
        """Days off are asked about per day of the entry, not listed over the whole window."""
        plan = Plan(
            "long",
            timezone="UTC",
            start="0002-01-01",
            end="9998-12-31",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.every(700, "08:00"))],
            breaks=[Break.weekly(["SA", "SU"], start="0002-01-01")],
        )
        got = expand(plan, start=None, end=None, max_events=10**6, work=10_000)
        assert all(e.at.weekday() < 5 for e in got)
        span = (date(9998, 12, 31) - date(2, 1, 1)).days
        every = {date(2, 1, 1) + n * 700 * DAY for n in range(span // 700 + 1)}
        assert {e.at.date() for e in got} == {d for d in every if d.weekday() < 5}


class TestRulesAndSummaries:
    def plan(self) -> Plan:
        return Plan(
            "p",
            timezone="America/New_York",
            start="2027-01-04",  # a Monday
            end="2027-01-31",
            entries=[Entry(Dose(MAENG_DA, "2 g"), Schedule.daily("08:00"))],
            breaks=[
                Break.weekly(["SA", "SU"], start="2027-01-04", substances=["kratom"])
            ],
        )

    def test_free_days_per_substance(self) -> None:
        """Four weeks with weekends off: 20 use days and 8 free days."""
        (row,) = summarize(self.plan()).substances
        assert (row.use_days, row.free_days) == (20, 8)

    def test_break_cadence_sees_the_weekends(self) -> None:
        """Weekends off: every 8 days hold a whole weekend; a Sunday-to-Saturday week does not."""
        ok = Profile(rules=[BreakCadence("kratom", days=2, every=8)])
        short = Profile(rules=[BreakCadence("kratom", days=2, every=7)])
        assert [f.code for f in validate(self.plan(), ok).findings] == []
        assert {f.code for f in validate(self.plan(), short).findings} == {
            "break-cadence"
        }

    def test_log_on_a_break_day_is_an_on_break_finding(self) -> None:
        """A logged dose on a Saturday of the break is reported, one finding per day."""
        tz = ZoneInfo("America/New_York")
        log = Timeline(
            [
                DoseEvent(datetime(2027, 1, 9, 9, tzinfo=tz), Dose(MAENG_DA, "2 g")),
                DoseEvent(datetime(2027, 1, 11, 9, tzinfo=tz), Dose(MAENG_DA, "2 g")),
            ]
        )
        (finding,) = self.plan().breaks[0].check(log)
        assert finding.code == "on-break"
        assert (
            "taken on 2027-01-09, a day of the break on SA,SU from 2027-01-04"
            in finding.message
        )

    def test_allowance_refuses_a_break_day_until_the_next_day_of_use(self) -> None:
        """On a Saturday no dose is allowed; the earliest is Monday's start."""
        tz = ZoneInfo("America/New_York")
        got = allowance(
            Timeline(),
            Profile(),
            KRATOM,
            at=datetime(2027, 1, 9, 10, tzinfo=tz),
            plan=self.plan(),
            product=MAENG_DA,
        )
        assert not got.allowed_now
        assert got.limited_by == self.plan().breaks[0]
        assert got.earliest == datetime(2027, 1, 11, tzinfo=tz)


class TestFiles:
    TEXT = """
[[substances]]
name = "kratom"

[[products]]
name = "Maeng Da"
contents = { kratom = "1 g" }
per = "1 g"

[plan]
name = "p"
timezone = "UTC"
start = 2027-01-01
end = 2027-03-31

[[plan.entries]]
dose = { product = "Maeng Da", amount = "2 g" }
schedule = { kind = "daily", times = ["08:00"] }

[[plan.breaks]]
start = 2027-01-01
weekdays = ["SU"]
substances = ["kratom"]
reason = "Sundays off"

[[plan.breaks]]
start = 2027-01-01
end = 2027-06-30
rule = "FREQ=MONTHLY;BYMONTHDAY=1,2,3"

[[plan.breaks]]
start = 2027-01-01
on_days = 5
off_days = 2
"""

    def test_read_as_written(self) -> None:
        """Each kind of repeating break reads from a file."""
        bundle = loads(self.TEXT)
        assert bundle.plan is not None
        assert [b.kind for b in bundle.plan.breaks] == ["weekly", "rrule", "cycle"]
        assert bundle.plan.breaks[1] == Break.rrule(
            "FREQ=MONTHLY;BYMONTHDAY=1,2,3", start=JAN1, end="2027-06-30"
        )

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_round_trip(self, fmt: str) -> None:
        """Dumps then loads gives the same plan, breaks included."""
        bundle = loads(self.TEXT)
        assert loads(dumps(bundle, format=fmt), format=fmt) == bundle  # type: ignore[arg-type]

    @given(rst.bundles())
    def test_round_trip_of_generated_bundles(self, bundle: Bundle) -> None:
        """Generated bundles (breaks of every kind) round-trip through TOML."""
        assert loads(dumps(bundle)) == bundle

    def test_problems_have_paths(self) -> None:
        """Bad weekday codes, rules and cycles are reported at their keys."""
        base = self.TEXT[: self.TEXT.index("[[plan.breaks]]")]
        bad_day = (
            base + '[[plan.breaks]]\nstart = 2027-01-01\nweekdays = ["SU", "XX"]\n'
        )
        with pytest.raises(
            LoadError, match=re.escape("plan.breaks[0].weekdays[1]: expected a weekday")
        ):
            loads(bad_day)
        bad = (
            base
            + '[[plan.breaks]]\nstart = 2027-01-01\nrule = "FREQ=MONTHLY;BYMONTHDAY=40"\n'
            + "[[plan.breaks]]\nstart = 2027-01-01\non_days = 0\noff_days = 2\n"
            + "[[plan.breaks]]\nstart = 2027-01-01\n"
            + '[[plan.breaks]]\nstart = 2027-01-01\nrule = "FREQ=DAILY"\nweekdays = ["MO"]\n'
        )
        with pytest.raises(LoadError) as caught:
            loads(bad)
        text = str(caught.value)
        assert (
            "plan.breaks[0].rule: recurrence rule 'FREQ=MONTHLY;BYMONTHDAY=40'" in text
        )
        assert "plan.breaks[1].on_days: must be at least 1 day (got 0)" in text
        assert "plan.breaks[2].end: missing; a one-off break needs its last day" in text
        assert "plan.breaks[3]: Break repeats by weekdays and by rule" in text


class TestSchema:
    VALIDATOR = jsonschema.Draft202012Validator(schema())

    def verdicts(self, breaks: list[dict[str, object]]) -> tuple[bool, bool]:
        """Return (schema accepts, loader accepts) for a JSON plan with *breaks*."""
        doc = {
            "substances": [{"name": "kratom"}],
            "products": [{"name": "p", "per": "1 g", "contents": {"kratom": "1 g"}}],
            "plan": {
                "name": "p",
                "timezone": "UTC",
                "start": "2027-01-01",
                "breaks": breaks,
            },
        }
        schema_ok = not list(self.VALIDATOR.iter_errors(instance(doc)))
        try:
            loads(json.dumps(doc), format="json")
        except LoadError:
            return schema_ok, False
        return schema_ok, True

    @pytest.mark.parametrize(
        ("pause", "ok"),
        [
            ({"start": "2027-01-01", "weekdays": ["SU", "sa"]}, True),
            ({"start": "2027-01-01", "end": "2027-02-01", "rule": "FREQ=MONTHLY;BYMONTHDAY=1,2,3"}, True),
            ({"start": "2027-01-01", "on_days": 5, "off_days": 2, "end": None}, True),
            ({"start": "2027-01-01", "end": "2027-01-02"}, True),
            ({"start": "2027-01-01"}, False),
            ({"start": "2027-01-01", "end": None, "weekdays": []}, False),
            ({"start": "2027-01-01", "weekdays": ["XX"]}, False),
            ({"start": "2027-01-01", "weekdays": ["SU"], "rule": "FREQ=DAILY"}, False),
            ({"start": "2027-01-01", "rule": "FREQ=DAILY", "on_days": 1, "off_days": 1}, False),
            ({"start": "2027-01-01", "on_days": 5}, False),
            ({"start": "2027-01-01", "off_days": 2}, False),
            ({"start": "2027-01-01", "on_days": 0, "off_days": 2}, False),
            ({"start": "2027-01-01", "rule": "FREQ=HOURLY"}, False),
        ],
    )  # fmt: skip
    def test_schema_and_loader_agree(self, pause: dict[str, object], ok: bool) -> None:
        """The JSON Schema accepts exactly the breaks the loader accepts."""
        assert self.verdicts([pause]) == (ok, ok)


class TestCli:
    def test_check_and_summary_of_a_file_with_a_weekly_break(
        self, tmp_path: Path
    ) -> None:
        """The CLI reads the break: weekends off meet a cadence of 2 free days in 8, and 8 of 28 days are free."""
        path = tmp_path / "plan.toml"
        path.write_text(
            TestFiles.TEXT[: TestFiles.TEXT.index("[[plan.breaks]]")].replace(
                "start = 2027-01-01\nend = 2027-03-31",
                "start = 2027-01-04\nend = 2027-01-31",
            )
            + '[[plan.breaks]]\nstart = 2027-01-04\nweekdays = ["SA", "SU"]\n'
            + '[profile]\n[[profile.rules]]\ntype = "break-cadence"\nsubstance = "kratom"\n'
            + "days = 2\nevery = 8\n"
        )
        out, err = io.StringIO(), io.StringIO()
        assert (
            main(["check", str(path)], stdout=out, stderr=err, stdin=io.StringIO()) == 0
        )
        out = io.StringIO()
        code = main(
            ["summary", str(path), "--format", "json"],
            stdout=out,
            stderr=err,
            stdin=io.StringIO(),
        )
        assert code == 0
        (row,) = json.loads(out.getvalue())["substances"]
        assert (row["use_days"], row["free_days"]) == (20, 8)
