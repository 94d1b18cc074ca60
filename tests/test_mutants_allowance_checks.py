"""Tests that pin regimen._allowance_checks enough to kill its mutants (issue 10).

Each rule's check answers how much one more dose may hold and when that
answer can change. These tests compare :func:`regimen.allowance` with its
definition, run literally with :func:`regimen.validate` (the oracle of
tests/test_allowance_definition.py), where the checks were least pinned:
break cadences, consecutive days and rotations, interactions, avoided tags,
products holding several substances, and day starts in DST gaps and folds
(the bisection of :func:`regimen._allowance_checks.day_starts`), including
instants past 2**53 microseconds, where a float would lose them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    Allowance,
    AvoidTags,
    Break,
    BreakCadence,
    Dose,
    DoseEvent,
    Entry,
    Interaction,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Plan,
    Product,
    Profile,
    Quantity,
    Rotation,
    Schedule,
    Substance,
    Timeline,
    allowance,
)
from regimen._allowance_search import Asked

from .helpers import KRATOM, MAENG_DA, RED_BALI, SUGAR
from .test_allowance_definition import HORIZON, Case, allowed, check_amount

NY = ZoneInfo("America/New_York")
HAVANA = ZoneInfo("America/Havana")  # its clocks jump from 00:00 to 01:00
US = timedelta(microseconds=1)
KAVA = Substance("kava", classes={"botanical"})
KAVA_DRINK = Product("kava drink", contents={KAVA: "1 g"}, per="1 g")
ALCOHOL = Substance("alcohol", classes={"depressant"})
BEER = Product("beer", contents={ALCOHOL: "14 g"}, per="1 serving")


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


def agrees(case: Case) -> Allowance:
    """Ask, and check the answer's ``allowed_now`` and ``earliest`` against the definition."""
    got = ask(case)
    assert got.allowed_now is allowed(case, case.at)
    if got.allowed_now:
        assert got.earliest == case.at
    elif got.earliest is not None:
        assert allowed(case, got.earliest)
        before = got.earliest.astimezone(UTC) - US  # in UTC: no wall-clock arithmetic
        assert not allowed(case, before), "allowed a microsecond earlier"
    return got


def kratom_at(at: datetime, grams: str = "1 g") -> DoseEvent:
    return DoseEvent(at, Dose(MAENG_DA, grams))


class TestBreakCadence:
    """Every day of a fortnight, several patterns of used days, several cadences."""

    PATTERNS = (
        (),
        (0,),
        (0, 1, 2, 3),
        (0, 2, 4, 6),
        (1, 2, 5, 6, 7),
        (0, 1, 3, 4, 6, 7, 9),
        (2, 3, 4, 5, 6, 7, 8),
    )

    @pytest.mark.parametrize(
        ("days", "every"), [(1, 2), (1, 3), (2, 3), (2, 4), (2, 5), (3, 5)]
    )
    def test_each_day_agrees_with_validate(self, days: int, every: int) -> None:
        profile = Profile(rules=[BreakCadence("kratom", days=days, every=every)])
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        outcomes = []
        for pattern in self.PATTERNS:
            log = Timeline([kratom_at(start + timedelta(days=d)) for d in pattern])
            for offset in range(11):
                at = datetime(2027, 1, 4, 12, tzinfo=NY) + timedelta(days=offset)
                got = agrees(Case(log, profile, None, None, at))
                outcomes.append(got.allowed_now)
        assert True in outcomes  # the cases are not trivial
        assert False in outcomes


class TestConsecutiveDays:
    @pytest.mark.parametrize("most", [1, 2, 3])
    @pytest.mark.parametrize(
        "pattern", [(0, 1, 2), (0, 1, 2, 3), (1, 2, 4, 5), (0, 2, 3, 4, 6)]
    )
    def test_each_day_agrees_with_validate(
        self, most: int, pattern: tuple[int, ...]
    ) -> None:
        """Runs already past the limit too: a dose joining one adds to its finding."""
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        log = Timeline([kratom_at(start + timedelta(days=d)) for d in pattern])
        profile = Profile(rules=[MaxConsecutiveDays("kratom", most)])
        for offset in range(-1, 8):
            at = datetime(2027, 1, 4, 12, tzinfo=NY) + timedelta(days=offset)
            agrees(Case(log, profile, None, None, at))

    def test_a_dose_on_a_day_of_a_run_past_the_limit(self) -> None:
        """Three days in a row against a limit of two: the third day takes no more."""
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        log = Timeline([kratom_at(start + timedelta(days=d)) for d in range(3)])
        profile = Profile(rules=[MaxConsecutiveDays("kratom", 2)])
        at = datetime(2027, 1, 6, 20, tzinfo=NY)
        got = agrees(Case(log, profile, None, None, at))
        assert not got.allowed_now


class TestRotation:
    """Rotation counts the days of the product asked about only."""

    @pytest.mark.parametrize("most", [1, 2])
    def test_own_product_days(self, most: int) -> None:
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        log = Timeline(
            [
                kratom_at(start),
                kratom_at(start + timedelta(days=1)),
                DoseEvent(start + timedelta(days=2), Dose(RED_BALI, "1 g")),
                kratom_at(start + timedelta(days=3)),
            ]
        )
        profile = Profile(rules=[Rotation("kratom", max_days=most)])
        answers = []
        for product in (MAENG_DA, RED_BALI):
            for offset in range(-1, 6):
                at = datetime(2027, 1, 4, 12, tzinfo=NY) + timedelta(days=offset)
                got = agrees(Case(log, profile, None, product, at))
                answers.append(got.allowed_now)
        assert True in answers
        assert False in answers

    def test_without_a_product_rotation_does_not_bind(self) -> None:
        """With no product named, a dose is of no product in the log: nothing to rotate."""
        start = datetime(2027, 1, 4, 9, tzinfo=NY)
        log = Timeline([kratom_at(start + timedelta(days=d)) for d in range(3)])
        profile = Profile(rules=[Rotation("kratom", max_days=1)])
        at = datetime(2027, 1, 5, 12, tzinfo=NY)
        got = agrees(Case(log, profile, None, None, at))
        assert got.allowed_now


class TestInteractions:
    def test_partner_exactly_within_after(self) -> None:
        """A beer exactly 3 h after the dose still pairs with it (the window is closed)."""
        note = Interaction(
            "kratom", "alcohol", severity="error", within="3 h", note="avoid"
        )
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([DoseEvent(at + timedelta(hours=3), Dose(BEER, "1 serving"))])
        case = Case(log, Profile(interactions=[note]), None, None, at)
        got = agrees(case)
        assert not got.allowed_now
        assert got.earliest == at + timedelta(hours=6, microseconds=1)

    def test_partners_of_both_terms(self) -> None:
        """Kratom against botanicals: a kava dose is a partner although it is not kratom."""
        note = Interaction(
            "kratom", "botanical", severity="error", within="2 h", note="avoid"
        )
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([DoseEvent(at - timedelta(hours=1), Dose(KAVA_DRINK, "1 g"))])
        case = Case(log, Profile(interactions=[note]), None, None, at)
        got = agrees(case)
        assert not got.allowed_now
        assert got.earliest == at + timedelta(hours=1, microseconds=1)

    def test_both_terms_leave_other_rules_alone(self) -> None:
        """Building the note's partners must not touch the series other rules read."""
        note = Interaction(
            "kratom", "botanical", severity="error", within="1 h", note="avoid"
        )
        rule = MinInterval("botanical", timedelta(hours=4))
        day = datetime(2027, 1, 4, tzinfo=NY)
        log = Timeline(
            [
                kratom_at(day + timedelta(hours=8)),
                DoseEvent(day + timedelta(hours=14), Dose(KAVA_DRINK, "1 g")),
            ]
        )
        profile = Profile(rules=[rule], interactions=[note])
        for hour in (10, 13, 15, 17, 19):
            case = Case(log, profile, None, None, day + timedelta(hours=hour))
            got = agrees(case)
            if hour < 18:
                assert got.earliest == day + timedelta(hours=18)
        again = ask(Case(log, profile, None, None, day + timedelta(hours=15)))
        assert again.earliest == day + timedelta(hours=18)

    @pytest.mark.parametrize(
        ("terms", "medication", "forbidden"),
        [
            (("antidepressant", "kratom"), Substance("ibuprofen"), False),
            (
                ("antidepressant", "kratom"),
                Substance("sertraline", classes={"antidepressant"}),
                True,
            ),
            (
                ("kratom", "antidepressant"),
                Substance("sertraline", classes={"antidepressant"}),
                True,
            ),
            (("kratom", "antidepressant"), Substance("ibuprofen"), False),
        ],
    )
    def test_medications_on_either_side(
        self, terms: tuple[str, str], medication: Substance, forbidden: bool
    ) -> None:
        """A medication matching the other term forbids every dose; another one does not."""
        note = Interaction(*terms, severity="error", within="1 h", note="avoid")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        profile = Profile(interactions=[note], medications=[medication])
        got = agrees(Case(Timeline([]), profile, None, None, at))
        assert got.allowed_now is not forbidden
        if forbidden:
            assert got.earliest is None

    def test_window_past_two_to_the_53_microseconds(self) -> None:
        """In year 9000 the instants are past a float's integers: the window stays exact."""
        note = Interaction(
            "kratom", "alcohol", severity="error", within="1 h", note="avoid"
        )
        at = datetime(9000, 1, 4, 12, tzinfo=UTC)
        log = Timeline([DoseEvent(at, Dose(BEER, "1 serving"))])
        case = Case(log, Profile(interactions=[note]), None, None, at)
        got = agrees(case)
        assert got.earliest == at + timedelta(hours=1, microseconds=1)


class TestAvoidTags:
    def test_other_tags_are_fine(self) -> None:
        """A product with tags, none of them avoided, is allowed."""
        latte = Product("latte", contents={KRATOM: "1 g"}, per="1 g", tags={"dairy"})
        rule = AvoidTags({"lactose"})
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        got = agrees(Case(Timeline([]), Profile(rules=[rule]), None, latte, at))
        assert got.allowed_now

    def test_an_avoided_tag_ends_the_search_at_once(self) -> None:
        """No moment can allow an avoided product: no candidate moment is looked at."""
        latte = Product("latte", contents={KRATOM: "1 g"}, per="1 g", tags={"lactose"})
        rule = AvoidTags({"lactose"})
        searched = mock.patch.object(
            Asked, "candidates", side_effect=AssertionError("searched")
        )
        with searched:
            got = allowance(
                Timeline([]),
                Profile(rules=[rule]),
                KRATOM,
                at=datetime(2027, 1, 4, 12, tzinfo=NY),
                product=latte,
            )
        assert (got.allowed_now, got.earliest, got.limited_by) == (False, None, rule)


class TestOtherSubstances:
    def test_a_dose_count_of_another_substance(self) -> None:
        """MaxDoses of kava, used up today, does not bind a kratom dose."""
        rule = MaxDoses("kava", 1, per="day")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([DoseEvent(at - timedelta(hours=2), Dose(KAVA_DRINK, "1 g"))])
        got = agrees(Case(log, Profile(rules=[rule]), None, None, at))
        assert (got.allowed_now, got.limited_by) == (True, None)

    def test_a_break_of_another_substance(self) -> None:
        """A plan's break from kava does not bind a kratom dose on its days."""
        day = date(2027, 1, 4)
        plan = Plan(
            "p",
            timezone="America/New_York",
            start=day,
            entries=[Entry(Dose(MAENG_DA, "1 g"), Schedule.daily("23:00"))],
            breaks=[Break(day, day + timedelta(days=2), substances=["kava"])],
        )
        at = datetime(2027, 1, 5, 12, tzinfo=NY)
        got = agrees(Case(Timeline([]), Profile(), plan, None, at))
        assert got.allowed_now


class TestContents:
    """How much of a product the amount rules allow, by what it holds."""

    def test_matching_content_after_another(self) -> None:
        """Sugar first, then 500 mg of kratom per 2 g of product: 3 g of kratom is 12 g of it."""
        mix = Product("mix", contents={SUGAR: "1 g", KRATOM: "500 mg"}, per="2 g")
        rule = MaxAmount("kratom", "3 g", per="day")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(Timeline([]), Profile(rules=[rule]), None, mix, at)
        got = ask(case)
        assert got.amount == Quantity("12", "g")
        check_amount(case, at, got.amount, rule)

    def test_every_matching_content_counts(self) -> None:
        """Kratom and kava are both botanicals: 0.75 g of them per 2 g, 3 g is 8 g of it."""
        mix = Product(
            "mix", contents={SUGAR: "1 g", KRATOM: "500 mg", KAVA: "250 mg"}, per="2 g"
        )
        rule = MaxAmount("botanical", "3 g", per="day")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(Timeline([]), Profile(rules=[rule]), None, mix, at)
        got = ask(case)
        assert got.amount == Quantity("8", "g")
        check_amount(case, at, got.amount, rule)

    def test_limit_in_milligrams(self) -> None:
        """A limit in mg of a product given in g: 1500 mg is 1.5 g of Maeng Da."""
        rule = MaxAmount("kratom", "1500 mg", per="day")
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(Timeline([]), Profile(rules=[rule]), None, MAENG_DA, at)
        got = ask(case)
        assert got.amount == Quantity("1.5", "g")
        check_amount(case, at, got.amount, rule)


def day_case(tz: ZoneInfo, start: time, day: date) -> Case:
    """One dose a day allowed, days starting at *start*; the day before *day* is used."""
    before = datetime.combine(day - timedelta(days=1), time(12), tzinfo=tz)
    log = Timeline([kratom_at(before)])
    profile = Profile(rules=[MaxDoses("kratom", 1, per="day")], day_start=start)
    return Case(log, profile, None, None, before + timedelta(hours=6))


class TestDayStarts:
    """The first instant of a day whose start the clock skips or repeats, to the microsecond."""

    @pytest.mark.parametrize(
        ("zone", "start", "day"),
        [
            (HAVANA, time(0, 15), date(2027, 3, 14)),
            (HAVANA, time(0, 0, 0, 1), date(2027, 3, 14)),
            (HAVANA, time(0, 0, 0, 1), date(2027, 11, 7)),
            (NY, time(2, 30, 30), date(2027, 3, 14)),
            (NY, time(2, 45), date(2027, 3, 14)),
            (NY, time(2, 30, 0, 7), date(2027, 3, 14)),
            # starts by the gap's edges: any error in the wall time found leaves it
            (NY, time(2, 0, 30), date(2027, 3, 14)),
            (NY, time(2, 59, 59), date(2027, 3, 14)),
            (NY, time(2, 59, 59, 995_000), date(2027, 3, 14)),
            (NY, time(1, 15, 30), date(2027, 11, 7)),
            (NY, time(1, 45, 0, 3), date(2027, 11, 7)),
        ],
    )
    def test_earliest_is_the_day_start(
        self, zone: ZoneInfo, start: time, day: date
    ) -> None:
        case = day_case(zone, start, day)
        got = agrees(case)
        assert not got.allowed_now
        assert got.earliest is not None

    @pytest.mark.parametrize(
        ("zone", "start", "day"),
        [
            (HAVANA, time(0, 0, 0, 1), date(9000, 3, 9)),
            (HAVANA, time(0, 0, 0, 1), date(9000, 11, 2)),
            (NY, time(2, 30), date(9000, 3, 9)),
        ],
    )
    def test_past_two_to_the_53_microseconds(
        self, zone: ZoneInfo, start: time, day: date
    ) -> None:
        """Year 9000: every instant is still exact (no float on the way)."""
        case = day_case(zone, start, day)
        got = agrees(case)
        assert not got.allowed_now
        assert got.earliest is not None


def test_room_is_exact_for_a_week() -> None:
    """A weekly limit with 0.5 g used leaves exactly the rest (checked by validate)."""
    rule = MaxAmount("kratom", "2.25 g", per="week")
    at = datetime(2027, 1, 6, 12, tzinfo=NY)
    log = Timeline([kratom_at(at - timedelta(days=1), "0.5 g")])
    case = Case(log, Profile(rules=[rule]), None, None, at)
    got = ask(case)
    assert got.amount == Quantity(Decimal("1.75"), "g")
    check_amount(case, at, got.amount, rule)
