"""allowance() at an exposure limit agrees with validate() to the last bit (issue 11).

The exposure probe carries an estimate on from a cached state and sums
floats in another order than the rule's own run: for 20 mg eleven hours
before, half-life 30 min, limit 100 mg, it allowed 99.99999523 mg, and
validate() then found an estimated 100 mg above the limit (a flaky failure
of the definition property). The answer is now confirmed by the rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from regimen import (
    Dose,
    DoseEvent,
    Kinetics,
    MaxExposure,
    Product,
    Profile,
    Substance,
    Timeline,
    allowance,
    validate,
)

NY = ZoneInfo("America/New_York")
CAFFEINE = Substance("caffeine")
TABLETS = Product("caffeine tablets", contents={CAFFEINE: "1 mg"}, per="1 mg")


def test_the_amount_allowed_at_an_exposure_limit_adds_no_error() -> None:
    """The largest dose allowed passes validate(); a little more does not."""
    log = Timeline(
        [DoseEvent(datetime(2027, 3, 13, 1, tzinfo=NY), Dose(TABLETS, "20 mg"))]
    )
    rule = MaxExposure(
        "caffeine",
        "100 mg",
        kinetics=Kinetics(half_life=timedelta(minutes=30), source="test"),
    )
    profile = Profile(rules=[rule])
    at = datetime(2027, 3, 13, 12, tzinfo=NY)
    got = allowance(log, profile, "caffeine", at=at, product=TABLETS)
    assert got.amount is not None
    assert got.limited_by == rule
    before = {f.key for f in validate(log, profile).errors}

    def new_errors(amount: str) -> list[str]:
        taken = Timeline([*log, DoseEvent(at, Dose(TABLETS, amount))])
        return [
            f.message for f in validate(taken, profile).errors if f.key not in before
        ]

    assert new_errors(str(got.amount)) == []
    assert new_errors(f"{got.amount.amount + Decimal('0.0001')} mg")
