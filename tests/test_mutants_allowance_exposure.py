"""Tests that pin regimen._allowance_exposure enough to kill its mutants (issue 10).

:class:`regimen._allowance_exposure.ExposureProbe` recomputes a
:class:`~regimen.MaxExposure` estimate with one more dose, walking from the
dose group before it and comparing each day's finding. A fixed sweep of
cases checks :func:`regimen.allowance` against the definition run with
:func:`regimen.validate` (the oracle of tests/test_allowance_exposure.py):
doses sharing an instant, three or more dose groups before the moment asked
about, absorption (peaks between doses), decimal amounts, days already over
the limit, a rule's own day start, and a product that is not one unit of
the substance per unit of itself.
"""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from regimen import (
    Dose,
    DoseEvent,
    Kinetics,
    MaxExposure,
    Product,
    Profile,
    Quantity,
    Severity,
    Timeline,
    allowance,
)

from .test_allowance_exposure import (
    BASE,
    CAFFEINE,
    HORIZON,
    HOUR,
    LEAST,
    NY,
    TABLETS,
    US,
    Case,
    check_amount,
    new_errors,
)

COFFEE = Product("coffee", contents={CAFFEINE: "95 mg"}, per="1 cup")
ABSORBED = Kinetics(
    half_life="5 h", absorption_half_life=timedelta(minutes=45), source="test"
)
PLAIN = Kinetics(half_life="3 h", source="test")


def tablets(hours: float, mg: str) -> DoseEvent:
    return DoseEvent(BASE + timedelta(hours=hours), Dose(TABLETS, f"{mg} mg"))


def verify(case: Case, product: Product = TABLETS) -> None:
    """Check amount, earliest and amount at earliest against the definition."""
    got = allowance(
        case.log, case.profile, CAFFEINE, at=case.at, product=product, horizon=HORIZON
    )
    at = case.at
    if got.allowed_now:
        assert got.earliest == at
        if product is TABLETS:
            check_amount(case, at, got.amount)
        return
    blocking = new_errors(case, at, LEAST)
    assert blocking, "not allowed, yet the least dose adds no error"
    assert got.limited_by in [f.rule for f in blocking]
    earliest = got.earliest
    if earliest is None:
        assert new_errors(case, at.astimezone(UTC) + HORIZON, LEAST)
        return
    assert not new_errors(case, earliest, LEAST)
    assert new_errors(case, earliest.astimezone(UTC) - US, LEAST)
    if product is TABLETS:
        check_amount(case, earliest, got.amount_at_earliest)


LOGS = {
    "one": [tablets(0, "200")],
    "same instant": [tablets(0, "100"), tablets(0, "80"), tablets(6, "50")],
    "three groups": [tablets(-10, "60"), tablets(-6, "70"), tablets(-2, "90")],
    "decimals": [tablets(-5, "12.5"), tablets(-3, "140.25"), tablets(2, "30.5")],
    "over already": [tablets(-1, "300"), tablets(0, "200")],
    "spread": [tablets(h, "80") for h in (-26, -20, -14, -8, -2, 4)],
    "late": [tablets(14, "150"), tablets(15, "150")],
    # a week on, the estimate without the dose is back to exactly the same
    # state: the walk stops there
    "far apart": [tablets(-2, "200"), tablets(400, "300"), tablets(401, "100")],
    "over at the end": [tablets(-3, "100"), tablets(5, "400"), tablets(5, "20")],
}


@pytest.mark.parametrize("kinetics", [PLAIN, ABSORBED], ids=["plain", "absorbed"])
@pytest.mark.parametrize("name", sorted(LOGS))
def test_sweep_agrees_with_the_definition(kinetics: Kinetics, name: str) -> None:
    rule = MaxExposure("caffeine", "250 mg", kinetics=kinetics)
    profile = Profile(rules=[rule])
    log = Timeline(LOGS[name])
    for hours in (-4, -1, 0.5, 1, 3, 7, 13, 15.5):
        verify(Case(log, profile, BASE + timedelta(hours=hours)))


@pytest.mark.parametrize("start", ["04:00", "20:00"])
def test_a_rules_own_day_start(start: str) -> None:
    """One finding a day, the rule's days starting at *start*, not the profile's."""
    rule = MaxExposure("caffeine", "150 mg", kinetics=ABSORBED, day_start=start)
    profile = Profile(rules=[rule], day_start="12:00")
    log = Timeline([tablets(-12, "160"), tablets(2, "100"), tablets(9, "120")])
    for hours in (-3, 0, 5, 8, 11, 16):
        verify(Case(log, profile, BASE + timedelta(hours=hours)))


def test_cups_of_coffee() -> None:
    """95 mg a cup: the amount allowed is in cups, and a little more is too much."""
    rule = MaxExposure("caffeine", "250 mg", kinetics=PLAIN)
    at = BASE + HOUR
    log = Timeline([tablets(0, "100")])
    case = Case(log, Profile(rules=[rule]), at)
    got = allowance(log, case.profile, CAFFEINE, at=at, product=COFFEE)
    assert got.amount is not None
    assert got.amount.unit == COFFEE.per.unit
    mg = got.amount.amount * 95
    assert 0 < mg < 250
    assert not new_errors(case, at, mg)
    assert new_errors(case, at, mg * (1 + LEAST) + LEAST)
    verify(case, COFFEE)


def test_a_product_the_rule_cannot_count() -> None:
    """Caffeine given in ml is not counted by a limit in mg: it binds nothing."""
    drink = Product("energy shot", contents={CAFFEINE: "1 ml"}, per="1 ml")
    rule = MaxExposure("caffeine", "100 mg", kinetics=PLAIN)
    at = BASE
    log = Timeline([tablets(-1, "150")])
    got = allowance(log, Profile(rules=[rule]), CAFFEINE, at=at, product=drink)
    assert (got.allowed_now, got.amount, got.limited_by) == (True, None, None)


def test_a_warning_binds_nothing() -> None:
    rule = MaxExposure("caffeine", "100 mg", kinetics=PLAIN, severity=Severity.WARNING)
    log = Timeline([tablets(-1, "150")])
    got = allowance(log, Profile(rules=[rule]), CAFFEINE, at=BASE, product=TABLETS)
    assert (got.allowed_now, got.amount) == (True, None)


def test_over_the_limit_now_waits() -> None:
    """Over the limit at the moment asked: no dose now, the earliest when it comes down."""
    rule = MaxExposure("caffeine", "100 mg", kinetics=PLAIN)
    log = Timeline([tablets(-1, "300")])
    case = Case(log, Profile(rules=[rule]), BASE)
    got = allowance(log, case.profile, CAFFEINE, at=BASE, product=TABLETS)
    assert (got.allowed_now, got.amount, got.limited_by) == (
        False,
        Quantity(0, "mg"),
        rule,
    )
    verify(case)


def test_zone_of_the_dose_asked_about() -> None:
    """Asked in UTC about a log kept in New York: the days are still the rule's."""
    rule = MaxExposure("caffeine", "150 mg", kinetics=ABSORBED, day_start="04:00")
    log = Timeline([tablets(-12, "160"), tablets(2, "100")])
    profile = Profile(rules=[rule])
    for hours in (-1, 3, 6):
        at = (BASE + timedelta(hours=hours)).astimezone(UTC)
        got = allowance(log, profile, CAFFEINE, at=at, product=TABLETS)
        in_ny = allowance(log, profile, CAFFEINE, at=at.astimezone(NY), product=TABLETS)
        assert (got.allowed_now, got.amount) == (in_ny.allowed_now, in_ny.amount)
