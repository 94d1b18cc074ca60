"""Tests that pin regimen._allowance_search enough to kill its mutants (issue 10).

:class:`regimen._allowance_search.Asked` answers the built-in rules by their
checks and a rule of one's own by the definition (bisecting the amount), and
finds the moments at which an answer can change and the notes a dose adds.
These tests check, against the definition run with :func:`regimen.validate`
(the oracle of tests/test_allowance_definition.py) or by hand: which rule
binds when rules of one's own and built-in ones meet, the moments searched
for a rule of one's own (whole hours of the zone asked about, up to the
horizon itself), the notes at the amount allowed or at one serving, and
answers to the same log asked again (the cached checks).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs

from regimen import (
    Allowance,
    Break,
    BreakCadence,
    Dose,
    DoseEvent,
    Entry,
    Finding,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Plan,
    Product,
    Profile,
    Quantity,
    Schedule,
    Severity,
    Timeline,
    allowance,
)

from .helpers import KRATOM, MAENG_DA, NoDosesAtNight
from .test_allowance_definition import HORIZON, Case, allowed, new_notes

NY = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+05:30: its whole hours are not UTC's
US = timedelta(microseconds=1)


@attrs.frozen
class MaxSingleDose:
    """A rule of a user's own: no single kratom dose over 5 g."""

    severity: Severity = Severity.ERROR

    def check(self, timeline: Timeline) -> list[Finding]:
        """Report each kratom dose over 5 g."""
        return [
            Finding(
                "big-dose",
                self.severity,
                f"dose over 5 g at {e.at.isoformat()}",
                at=e.at,
                events=(e,),
                rule=self,
            )
            for e in timeline
            if e.involves("kratom") and e.amount.to("g").amount > 5
        ]


@attrs.frozen
class OnlyAtFive:
    """A rule of a user's own: kratom only in the first *width* after 05:00 in *zone*."""

    zone: ZoneInfo
    width: timedelta

    def check(self, timeline: Timeline) -> list[Finding]:
        """Report each kratom dose outside the window."""
        out = []
        for e in timeline:
            local = e.at.astimezone(self.zone)
            opens = datetime.combine(local.date(), time(5), tzinfo=self.zone)
            if e.involves("kratom") and not opens <= local < opens + self.width:
                out.append(
                    Finding(
                        "outside-window",
                        Severity.ERROR,
                        f"dose outside the window at {e.at.isoformat()}",
                        at=e.at,
                        events=(e,),
                        rule=self,
                    )
                )
        return out


@attrs.frozen
class AtMostTwoInTheLog:
    """A rule of a user's own: one identical finding per kratom dose past the second."""

    severity: Severity = Severity.WARNING

    def check(self, timeline: Timeline) -> list[Finding]:
        """Report the same finding once for each dose past two."""
        doses = [e for e in timeline if e.involves("kratom")]
        first = datetime(2027, 1, 1, tzinfo=UTC)
        return [
            Finding("too-many", self.severity, "more than two doses", at=first)
            for _ in doses[2:]
        ]


def kratom_at(at: datetime, grams: str = "1 g") -> DoseEvent:
    return DoseEvent(at, Dose(MAENG_DA, grams))


def ask(case: Case) -> Allowance:
    return allowance(
        case.log,
        case.profile,
        KRATOM,
        at=case.at,
        plan=case.plan,
        product=case.product,
        horizon=HORIZON,
    )


class TestRulesOfOnesOwn:
    def test_one_forbidding_every_dose(self) -> None:
        """At 02:00 the night rule forbids any dose: none now, the earliest at 05:00."""
        night = NoDosesAtNight()
        at = datetime(2027, 1, 4, 2, tzinfo=NY)
        case = Case(Timeline([]), Profile(rules=[night]), None, None, at)
        got = ask(case)
        assert (got.amount, got.allowed_now, got.limited_by) == (
            Quantity(0, "g"),
            False,
            night,
        )
        assert got.earliest == datetime(2027, 1, 4, 5, tzinfo=NY)
        assert got.earliest_limited_by == night
        assert not allowed(case, at)

    def test_blocked_by_a_builtin_rule_not_by_an_earlier_own_one(self) -> None:
        """At noon the night rule, listed first, breaks nothing: MinInterval is the limit."""
        night = NoDosesAtNight()
        gap = MinInterval("kratom", timedelta(hours=4))
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([kratom_at(at - timedelta(hours=1))])
        got = ask(Case(log, Profile(rules=[night, gap]), None, None, at))
        assert (got.allowed_now, got.limited_by) == (False, gap)
        assert got.earliest == at + timedelta(hours=3)

    def test_builtin_room_below_an_own_bound(self) -> None:
        """3 g left by MaxAmount, 5 g by the rule of one's own: 3 g, MaxAmount binds."""
        rule = MaxAmount("kratom", "3 g", per="day")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        got = ask(
            Case(Timeline([]), Profile(rules=[rule, MaxSingleDose()]), None, None, at)
        )
        assert (got.amount, got.limited_by) == (Quantity(3, "g"), rule)

    def test_a_later_own_rule_is_still_asked(self) -> None:
        """The night rule does not bind at noon; the rule after it still bounds the amount."""
        single = MaxSingleDose()
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(
            Timeline([]), Profile(rules=[NoDosesAtNight(), single]), None, None, at
        )
        got = ask(case)
        assert got.limited_by == single
        assert got.amount is not None
        assert Quantity("4.99", "g").amount < got.amount.amount <= 5


class TestMomentsSearched:
    def test_whole_hours_of_a_half_hour_zone(self) -> None:
        """Allowed only for 3 µs from 05:00 in Kolkata: the search finds 05:00 exactly."""
        rule = OnlyAtFive(KOLKATA, timedelta(microseconds=3))
        at = datetime(2027, 1, 4, 0, 10, tzinfo=KOLKATA)
        got = allowance(
            Timeline([]), Profile(rules=[rule]), KRATOM, at=at, horizon=HORIZON
        )
        assert got.earliest == datetime(2027, 1, 4, 5, tzinfo=KOLKATA)
        assert got.earliest_limited_by == rule

    def test_the_horizon_itself_is_searched(self) -> None:
        """A horizon ending at 05:00 sharp still finds the dose allowed then."""
        rule = OnlyAtFive(NY, timedelta(minutes=20))
        at = datetime(2027, 1, 4, 0, tzinfo=NY)
        profile = Profile(rules=[rule])
        got = allowance(
            Timeline([]), profile, KRATOM, at=at, horizon=timedelta(hours=5)
        )
        assert got.earliest == datetime(2027, 1, 4, 5, tzinfo=NY)
        short = allowance(
            Timeline([]), profile, KRATOM, at=at, horizon=timedelta(hours=5) - US
        )
        assert short.earliest is None


class TestBreaks:
    def test_break_days_are_calendar_days(self) -> None:
        """Days start at 04:00 for the rules, but a plan's break counts calendar days."""
        day = date(2027, 1, 5)
        plan = Plan(
            "p",
            timezone="America/New_York",
            start=day,
            entries=[Entry(Dose(MAENG_DA, "1 g"), Schedule.daily("23:00"))],
            breaks=[Break(day, day, substances=["kratom"])],
        )
        profile = Profile(day_start="04:00")
        for hour, free in ((2, False), (23, False)):
            at = datetime(2027, 1, 5, hour, tzinfo=NY)
            case = Case(Timeline([]), profile, plan, None, at)
            got = ask(case)
            assert got.allowed_now is free
            assert allowed(case, at) is free
            assert got.earliest == datetime(2027, 1, 6, tzinfo=NY)


class TestAskedAgain:
    def test_cadence_on_the_same_log_at_later_moments(self) -> None:
        """The covered days grow with the moment asked about: the answers follow them."""
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        events = [kratom_at(start + timedelta(days=d)) for d in (0, 1, 2, 4, 5, 6, 8)]
        log = Timeline(events)
        profile = Profile(rules=[BreakCadence("kratom", days=2, every=4)])
        for offset in range(12):
            at = datetime(2027, 1, 4, 12, tzinfo=NY) + timedelta(days=offset)
            again = ask(Case(log, profile, None, None, at))
            fresh = ask(Case(Timeline(events), profile, None, None, at))
            assert again == fresh
            assert again.allowed_now is allowed(Case(log, profile, None, None, at), at)


class TestNotes:
    """The warnings and infos a dose adds, by the definition (``new_notes``)."""

    def test_at_one_serving_when_nothing_bounds(self) -> None:
        """No amount bound: notes are those of one serving (2 g of this product)."""
        powder = Product("powder", contents={KRATOM: "2 g"}, per="2 g")
        rule = MaxAmount("kratom", "1.5 g", per="day", severity="warning")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(Timeline([]), Profile(rules=[rule]), None, powder, at)
        got = ask(case)
        assert got.amount is None
        assert Counter(got.notes) == new_notes(case, at, Decimal(2))
        assert [f.code for f in got.notes] == ["max-amount"]

    def test_at_the_amount_allowed(self) -> None:
        """5 g allowed: a warning from 2 g on is among the notes."""
        warn = MaxAmount("kratom", "2 g", per="day", severity="warning")
        rule = MaxAmount("kratom", "5 g", per="day")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(Timeline([]), Profile(rules=[warn, rule]), None, None, at)
        got = ask(case)
        assert got.amount == Quantity(5, "g")
        assert Counter(got.notes) == new_notes(case, at, Decimal(5))
        assert [f.rule for f in got.notes] == [warn]

    def test_day_of_a_warning_in_the_zone_asked_about(self) -> None:
        """21:00 in New York is the next day in UTC; the day's dose count still warns."""
        warn = MaxDoses("kratom", 1, per="day", severity="warning")
        at = datetime(2027, 1, 4, 21, tzinfo=NY)
        log = Timeline([kratom_at(datetime(2027, 1, 4, 9, tzinfo=NY))])
        case = Case(log, Profile(rules=[warn]), None, None, at)
        got = ask(case)
        assert Counter(got.notes) == new_notes(case, at, Decimal(1))
        assert [f.rule for f in got.notes] == [warn]

    def test_two_warnings_and_an_untested_product(self) -> None:
        """Every note is kept: two rules' warnings and the untested product's."""
        untested = Product(
            "loose", contents={KRATOM: "1 g"}, per="1 g", lab_tested=False
        )
        warns = [
            MaxDoses("kratom", 1, per="day", severity="warning"),
            MinInterval("kratom", timedelta(hours=6), severity="warning"),
        ]
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([kratom_at(at - timedelta(hours=2))])
        case = Case(log, Profile(rules=warns), None, untested, at)
        got = ask(case)
        expected = new_notes(case, at, Decimal(1))
        assert Counter(got.notes) == expected
        assert {f.rule for f in got.notes if f.rule is not None} >= set(warns)
        assert len(expected) >= 3

    def test_an_untested_product_alone(self) -> None:
        untested = Product(
            "loose", contents={KRATOM: "1 g"}, per="1 g", lab_tested=False
        )
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(Timeline([]), Profile(), None, untested, at)
        got = ask(case)
        assert got.notes
        assert Counter(got.notes) == new_notes(case, at, Decimal(1))
        tested = attrs.evolve(untested, lab_tested=True)
        assert ask(Case(Timeline([]), Profile(), None, tested, at)).notes == ()

    def test_cadence_warning_over_the_covered_days(self) -> None:
        """A cadence warning is judged over the covered days, to the horizon's."""
        warn = BreakCadence("kratom", days=1, every=2, severity="warning")
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        log = Timeline([kratom_at(start + timedelta(days=d)) for d in (0, 2)])
        profile = Profile(rules=[warn])
        for offset in range(4):
            at = datetime(2027, 1, 4, 12, tzinfo=NY) + timedelta(days=offset)
            case = Case(log, profile, None, None, at)
            got = ask(case)
            assert Counter(got.notes) == new_notes(case, at, Decimal(1))

    def test_repeated_equal_findings_are_counted(self) -> None:
        """Two equal findings before, three after: the dose adds one note."""
        rule = AtMostTwoInTheLog()
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([kratom_at(at - timedelta(hours=h)) for h in range(1, 5)])
        case = Case(log, Profile(rules=[rule]), None, None, at)
        got = ask(case)
        assert Counter(got.notes) == new_notes(case, at, Decimal(1))
        assert [f.code for f in got.notes] == ["too-many"]
