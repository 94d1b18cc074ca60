"""Tests that pin regimen._allowance_question enough to kill its mutants (issue 10).

Resolving what :func:`regimen.allowance` is asked: the substance a name
stands for (known from the log, the plan, the product or the medications),
the product a dose is of, and the timeline checked, which holds the plan's
doses after the moment asked about up to the horizon, in the plan's zone
(a stay's zone included) and on the plan's days. Expected answers are
worked out by hand and checked with the definition's oracle
(tests/test_allowance_definition.py) where it applies (plans in New York).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    Allowance,
    BreakCadence,
    Dose,
    DoseEvent,
    Entry,
    MinInterval,
    Plan,
    Product,
    Profile,
    Quantity,
    Schedule,
    Stay,
    Substance,
    Timeline,
    allowance,
)

from .helpers import KRATOM, MAENG_DA
from .test_allowance_definition import HORIZON, Case, allowed

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
US = timedelta(microseconds=1)
KAVA = Substance("kava", classes={"botanical"})
KAVA_DRINK = Product("kava drink", contents={KAVA: "1 g"}, per="1 g")
GAP = MinInterval("kratom", timedelta(hours=4))


def daily(at: str, start: date, end: date | None = None) -> Plan:
    return Plan(
        "p",
        timezone="America/New_York",
        start=start,
        end=end,
        entries=[Entry(Dose(MAENG_DA, "1 g"), Schedule.daily(at))],
    )


def agrees(case: Case) -> Allowance:
    """Ask, and check ``allowed_now`` and ``earliest`` against the definition."""
    got = allowance(
        case.log,
        case.profile,
        KRATOM,
        at=case.at,
        plan=case.plan,
        product=case.product,
        horizon=HORIZON,
    )
    assert got.allowed_now is allowed(case, case.at)
    if not got.allowed_now and got.earliest is not None:
        assert allowed(case, got.earliest)
        assert not allowed(case, got.earliest.astimezone(UTC) - US)
    return got


class TestNames:
    def test_a_name_known_from_the_plan_only(self) -> None:
        plan = daily("23:00", date(2027, 1, 4))
        got = allowance(
            Timeline([]),
            Profile(rules=[GAP]),
            "kratom",
            at=datetime(2027, 1, 4, 21, tzinfo=NY),
            plan=plan,
        )
        assert (got.allowed_now, got.limited_by) == (False, GAP)

    def test_a_name_known_from_the_product_only(self) -> None:
        got = allowance(
            Timeline([]),
            Profile(rules=[GAP]),
            "kratom",
            at=datetime(2027, 1, 4, 21, tzinfo=NY),
            product=MAENG_DA,
        )
        assert got.allowed_now

    def test_a_name_known_from_the_log_with_a_plan(self) -> None:
        """Kava is only in the log; the plan (of kratom) does not hide it."""
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([DoseEvent(at - timedelta(hours=1), Dose(KAVA_DRINK, "1 g"))])
        rule = MinInterval("kava", timedelta(hours=2))
        got = allowance(
            log, Profile(rules=[rule]), "kava", at=at, plan=daily("23:00", at.date())
        )
        assert (got.allowed_now, got.limited_by) == (False, rule)
        assert got.earliest == at + timedelta(hours=1)

    def test_a_class_resolves_in_the_log_first(self) -> None:
        """'botanical' is kava (logged) before the product's kratom: the product lacks it."""
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([DoseEvent(at - timedelta(hours=1), Dose(KAVA_DRINK, "1 g"))])
        message = (
            "allowance() product: 'Maeng Da' does not contain kava; "
            "pass a product that does, or none"
        )
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            allowance(log, Profile(), "botanical", at=at, product=MAENG_DA)


class TestProduct:
    def test_a_product_without_the_substance(self) -> None:
        message = (
            "allowance() product: 'kava drink' does not contain kratom; "
            "pass a product that does, or none"
        )
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            allowance(
                Timeline([]),
                Profile(),
                KRATOM,
                at=datetime(2027, 1, 4, 12, tzinfo=NY),
                product=KAVA_DRINK,
            )

    def test_a_product_holding_an_equal_named_substance(self) -> None:
        """A product's own 'kratom' (no classes, so not equal to KRATOM) still holds it."""
        plain = Product("plain", contents={Substance("kratom"): "1 g"}, per="1 g")
        got = allowance(
            Timeline([]),
            Profile(),
            KRATOM,
            at=datetime(2027, 1, 4, 12, tzinfo=NY),
            product=plain,
        )
        assert got.allowed_now
        assert got.amount is None

    def test_blocked_amount_is_in_grams_by_default(self) -> None:
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        log = Timeline([DoseEvent(at - timedelta(hours=1), Dose(MAENG_DA, "1 g"))])
        got = allowance(log, Profile(rules=[GAP]), KRATOM, at=at)
        assert got.amount == Quantity(0, "g")
        assert str(got.amount) == "0 g"


class TestPlannedDoses:
    def test_a_planned_dose_later_the_same_evening(self) -> None:
        """21:00 in New York is the next day in UTC: 23:00's planned dose still counts."""
        at = datetime(2027, 1, 4, 21, tzinfo=NY)
        case = Case(
            Timeline([]), Profile(rules=[GAP]), daily("23:00", at.date()), None, at
        )
        got = agrees(case)
        assert not got.allowed_now
        assert got.earliest == datetime(2027, 1, 5, 3, tzinfo=NY)

    def test_a_plan_ending_today(self) -> None:
        at = datetime(2027, 1, 4, 21, tzinfo=NY)
        plan = daily("23:00", date(2027, 1, 1), end=at.date())
        got = agrees(Case(Timeline([]), Profile(rules=[GAP]), plan, None, at))
        assert not got.allowed_now
        assert got.earliest == datetime(2027, 1, 5, 3, tzinfo=NY)

    def test_a_horizon_within_one_day(self) -> None:
        """The horizon ends the same day: that day's planned dose is still checked."""
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        got = allowance(
            Timeline([]),
            Profile(rules=[GAP]),
            KRATOM,
            at=at,
            plan=daily("14:00", at.date()),
            horizon=timedelta(hours=2),
        )
        assert (got.allowed_now, got.limited_by) == (False, GAP)

    def test_planned_doses_before_the_moment_are_not_checked(self) -> None:
        """A dose planned for 09:00 and not logged does not count at 12:00."""
        at = datetime(2027, 1, 4, 12, tzinfo=NY)
        case = Case(
            Timeline([]), Profile(rules=[GAP]), daily("09:00", at.date()), None, at
        )
        got = agrees(case)
        assert got.allowed_now

    @pytest.mark.parametrize("hour", [6, 12, 18, 22])
    def test_cadence_with_a_weekly_plan(self, hour: int) -> None:
        """Break cadences are judged over the covered days, planned doses included."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start=date(2027, 1, 4),
            entries=[
                Entry(Dose(MAENG_DA, "1 g"), Schedule.weekly(["MO", "WE"], "09:00"))
            ],
        )
        profile = Profile(rules=[BreakCadence("kratom", days=2, every=4)])
        for offset in range(8):
            at = datetime(2027, 1, 3, hour, tzinfo=NY) + timedelta(days=offset)
            agrees(Case(Timeline([]), profile, plan, None, at))


def test_planned_doses_past_the_horizons_last_day() -> None:
    """Asked at 22:00 for an hour: the horizon's last day is today (in New York).

    The 01:00 dose tomorrow is past it, so it does not keep a dose now.
    """
    at = datetime(2027, 1, 4, 22, tzinfo=NY)
    got = allowance(
        Timeline([]),
        Profile(rules=[GAP]),
        KRATOM,
        at=at,
        plan=daily("01:00", date(2027, 1, 1)),
        horizon=timedelta(hours=1),
    )
    assert got.allowed_now


class TestStays:
    def test_planned_dose_during_a_stay_in_tokyo(self) -> None:
        """In Tokyo the 07:00 dose is planned 2 h after 05:00: none now, until 11:00."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start=date(2027, 1, 1),
            entries=[Entry(Dose(MAENG_DA, "1 g"), Schedule.daily("07:00"))],
            stays=[Stay("2027-01-03", "2027-01-10", "Asia/Tokyo")],
        )
        at = datetime(2027, 1, 5, 5, tzinfo=TOKYO)
        for horizon in (timedelta(hours=6), timedelta(days=2)):
            got = allowance(
                Timeline([]),
                Profile(rules=[GAP]),
                KRATOM,
                at=at,
                plan=plan,
                horizon=horizon,
            )
            assert (got.allowed_now, got.limited_by) == (False, GAP)
            assert got.earliest == datetime(2027, 1, 5, 11, tzinfo=TOKYO)
