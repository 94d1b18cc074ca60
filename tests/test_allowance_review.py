"""Review of allowance(): edge cases checked against its definition, literally.

Each expected answer is computed with validate(): add the dose to what is
checked, compare the error findings with and without it (as
tests/test_allowance_definition.py does).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs

from regimen import (
    Dose,
    DoseEvent,
    Finding,
    Interaction,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Product,
    Profile,
    Severity,
    Timeline,
    allowance,
    validate,
)

from .helpers import KRATOM, MAENG_DA, NoDosesAtNight

NY = ZoneInfo("America/New_York")


def _checked(log: Timeline, at: datetime, horizon: timedelta) -> Timeline:
    """Return what the definition checks without a plan: the log, days to the horizon's."""
    tz = at.tzinfo
    assert tz is not None
    first = at.date()
    last = (at.astimezone(UTC) + horizon).astimezone(tz).date()
    start = min([first, *([log.first_day] if log.first_day else [])])
    end = max([last, *([log.last_day] if log.last_day else [])])
    return Timeline(list(log), start=start, end=end)


def _new(before: list[Finding], after: list[Finding]) -> list[Finding]:
    left = Counter(before)
    out = []
    for f in after:
        if left[f] > 0:
            left[f] -= 1
        else:
            out.append(f)
    return out


def _added(
    base: Timeline, profile: Profile, event: DoseEvent
) -> tuple[list[Finding], list[Finding]]:
    """Return the (errors, other findings) that adding *event* to *base* makes."""
    with_dose = Timeline([*base, event], start=base.start, end=base.end)
    before = list(validate(base, profile).findings)
    after = list(validate(with_dose, profile).findings)
    new = _new(before, after)
    return (
        [f for f in new if f.severity is Severity.ERROR],
        [f for f in new if f.severity is not Severity.ERROR],
    )


def _grams(at: datetime, amount: str, product: Product = MAENG_DA) -> DoseEvent:
    return DoseEvent(at, Dose(product, amount))


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


def test_user_rule_bounds_the_amount_when_no_builtin_does() -> None:
    """With only a user rule capping one dose at 5 g, 5 g is the most, not 'unbounded'."""
    at = datetime(2027, 1, 4, 12, tzinfo=NY)
    log = Timeline([_grams(at - timedelta(days=1), "2 g")])
    profile = Profile(rules=[MaxSingleDose()])
    base = _checked(log, at, timedelta(days=3))
    assert not _added(base, profile, _grams(at, "5 g"))[0]
    assert _added(base, profile, _grams(at, "6 g"))[0]  # so the amount is bounded
    got = allowance(
        log, profile, KRATOM, at=at, product=MAENG_DA, horizon=timedelta(days=3)
    )
    assert got.amount is not None
    assert Decimal(5) - got.amount.amount < Decimal("0.001")


def _first_allowed(
    base: Timeline, profile: Profile, start: datetime, step: timedelta, n: int
) -> datetime | None:
    """Return the first start + k*step (k < n) where a 0.001 g dose adds no error."""
    for k in range(n):
        moment = (start.astimezone(UTC) + k * step).astimezone(start.tzinfo)
        if not _added(base, profile, _grams(moment, "0.001 g"))[0]:
            return moment
    return None


def test_day_start_in_a_dst_gap() -> None:
    """Days start at 02:30; on 2027-03-14 New York skips 02:00-03:00, so the day begins at 03:00 EDT."""
    profile = Profile(rules=[MaxDoses("kratom", 1, per="day")], day_start="02:30")
    log = Timeline([_grams(datetime(2027, 3, 13, 12, tzinfo=NY), "1 g")])
    at = datetime(2027, 3, 14, 1, tzinfo=NY)  # still the day of 03-13
    horizon = timedelta(hours=6)
    base = _checked(log, at, horizon)
    expected = _first_allowed(base, profile, at, timedelta(minutes=5), 72)
    assert expected == datetime(2027, 3, 14, 3, tzinfo=NY)
    got = allowance(log, profile, KRATOM, at=at, horizon=horizon)
    assert got.earliest == expected


def test_day_start_in_a_dst_fold() -> None:
    """Days start at 01:30; on 2027-11-07 01:00-02:00 happens twice, so 01:00 EST is the day before again."""
    profile = Profile(rules=[MaxDoses("kratom", 1, per="day")], day_start="01:30")
    log = Timeline([_grams(datetime(2027, 11, 7, 12, tzinfo=NY), "1 g")])
    at = datetime(2027, 11, 7, 5, 45, tzinfo=UTC).astimezone(NY)  # 01:45 EDT: day 11-07
    horizon = timedelta(hours=6)
    base = _checked(log, at, horizon)
    expected = _first_allowed(base, profile, at, timedelta(minutes=5), 72)
    assert expected is not None
    # 01:00 EST, day 11-06 again (compared in UTC: PEP 495 folds never equal across zones)
    assert expected.astimezone(UTC) == datetime(2027, 11, 7, 6, tzinfo=UTC)
    got = allowance(log, profile, KRATOM, at=at, horizon=horizon)
    assert got.earliest is not None
    assert got.earliest.astimezone(UTC) == expected.astimezone(UTC)


def test_mismatched_units_warning_is_a_note() -> None:
    """A product giving kratom in ml adds MaxAmount's 'not counted' warning: a note."""
    liquid = Product("kratom shot", contents={KRATOM: "1 ml"}, per="1 ml")
    profile = Profile(rules=[MaxAmount("kratom", "8 g", per="day")])
    at = datetime(2027, 1, 4, 12, tzinfo=NY)
    log = Timeline([_grams(at - timedelta(hours=5), "2 g")])
    base = _checked(log, at, timedelta(days=1))
    got = allowance(
        log, profile, KRATOM, at=at, product=liquid, horizon=timedelta(days=1)
    )
    assert got.amount is None
    event = DoseEvent(at, Dose(liquid, "1 ml"))
    errors, others = _added(base, profile, event)
    assert not errors
    assert [f.code for f in others] == ["max-amount"]
    assert Counter(got.notes) == Counter(others)


def test_interaction_whose_terms_both_match_the_target() -> None:
    """Kratom vs botanical (kratom's class): two kratom doses within 3 h pair up."""
    note = Interaction(
        "kratom", "botanical", severity="error", within="3 h", note="example"
    )
    profile = Profile(interactions=[note])
    at = datetime(2027, 1, 4, 12, tzinfo=NY)
    log = Timeline([_grams(at - timedelta(hours=2), "1 g")])
    base = _checked(log, at, timedelta(days=1))
    now_blocked = bool(_added(base, profile, _grams(at, "0.001 g"))[0])
    later = at + timedelta(hours=1, microseconds=1)
    later_blocked = bool(_added(base, profile, _grams(later, "0.001 g"))[0])
    got = allowance(log, profile, KRATOM, at=at, horizon=timedelta(days=1))
    assert got.allowed_now is not now_blocked
    if now_blocked and not later_blocked:
        assert got.earliest is not None
        assert got.earliest <= later


def test_limited_by_is_the_first_rule_validate_runs() -> None:
    """Allowance.limited_by: 'the first rule (in the order validate runs them)' a dose breaks."""
    night = NoDosesAtNight()
    profile = Profile(rules=[night, MinInterval("kratom", timedelta(hours=4))])
    at = datetime(2027, 1, 10, 2, tzinfo=NY)
    log = Timeline([_grams(at - timedelta(hours=1), "1 g")])
    base = _checked(log, at, timedelta(days=1))
    broken = [f.rule for f in _added(base, profile, _grams(at, "0.001 g"))[0]]
    first = next(r for r in profile.rules if r in broken)
    assert first is night
    got = allowance(log, profile, KRATOM, at=at, horizon=timedelta(days=1))
    assert got.limited_by is first
