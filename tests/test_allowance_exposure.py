"""allowance() respects MaxExposure by its definition, implemented literally with validate().

The definition (see :func:`regimen.allowance`): the amount allowed at ``at``
is the largest dose whose addition makes validation report no error finding
it did not report without it; ``earliest`` is the first moment some dose is
allowed. An exposure estimate changes continuously, so the least dose is
the engine's own (a millionth of a unit) and amounts are checked to a
millionth of themselves; the oracle adds the dose, calls :func:`validate`
and compares the error findings.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    Finding,
    Kinetics,
    MaxAmount,
    MaxExposure,
    Product,
    Profile,
    Quantity,
    Severity,
    Substance,
    Timeline,
    allowance,
    validate,
)

NY = ZoneInfo("America/New_York")
BASE = datetime(2027, 3, 13, 12, tzinfo=NY)  # the day before a DST change
HORIZON = timedelta(days=2)
HOUR = timedelta(hours=1)
US = timedelta(microseconds=1)
LEAST = Decimal("0.000001")  # the engine's least dose: a millionth of the unit
CAFFEINE = Substance("caffeine")
TABLETS = Product("caffeine tablets", contents={CAFFEINE: "1 mg"}, per="1 mg")


@attrs.frozen
class Case:
    log: Timeline
    profile: Profile
    at: datetime


def checked(case: Case) -> Timeline:
    """Return the timeline the definition checks: the log, covering its days to the horizon's."""
    first = case.at.astimezone(NY).date()
    last = (case.at.astimezone(UTC) + HORIZON).astimezone(NY).date()
    start = min([first, *([case.log.first_day] if case.log.first_day else [])])
    end = max([last, *([case.log.last_day] if case.log.last_day else [])])
    return Timeline(list(case.log), start=start, end=end)


def errors(case: Case, timeline: Timeline) -> Counter[Finding]:
    found = validate(timeline, case.profile).findings
    return Counter(f for f in found if f.severity is Severity.ERROR)


def new_errors(case: Case, at: datetime, mg: Decimal) -> list[Finding]:
    """Return the error findings a dose of *mg* at *at* adds (the definition)."""
    base = checked(case)
    dose = DoseEvent(at.astimezone(NY), Dose(TABLETS, Quantity(mg, "mg")))
    with_dose = Timeline([*base, dose], start=base.start, end=base.end)
    return list((errors(case, with_dose) - errors(case, base)).elements())


def check_amount(case: Case, at: datetime, amount: Quantity | None) -> None:
    """At *at*, *amount* passes and a millionth more does not (None: anything passes)."""
    if amount is None:  # no error-level limit binds
        assert not new_errors(case, at, Decimal(100_000))
        return
    mg = amount.to("mg").amount
    assert mg > 0
    assert not new_errors(case, at, mg)
    assert new_errors(case, at, mg * (1 + LEAST) + LEAST)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    events = [
        DoseEvent(BASE + h * HOUR, Dose(TABLETS, f"{mg} mg"))
        for h, mg in draw(
            st.lists(st.tuples(st.integers(-20, 30), st.integers(20, 200)), max_size=6)
        )
    ]
    half = timedelta(minutes=draw(st.integers(30, 12 * 60)))
    absorption = draw(
        st.none() | st.integers(10, 180).map(lambda m: timedelta(minutes=m))
    )
    kinetics = Kinetics(half_life=half, absorption_half_life=absorption, source="test")
    rules: list[object] = [
        MaxExposure(
            "caffeine",
            f"{draw(st.integers(100, 400))} mg",
            kinetics=kinetics,
            severity=draw(
                st.sampled_from([Severity.ERROR, Severity.ERROR, Severity.WARNING])
            ),
        )
    ]
    if draw(st.booleans()):
        rules.append(MaxAmount("caffeine", "600 mg", per="day"))
    profile = Profile(rules=rules, day_start=draw(st.sampled_from(["00:00", "04:00"])))  # type: ignore[arg-type]
    at = (
        BASE
        + draw(st.integers(-20, 30)) * HOUR
        + draw(st.integers(0, 59)) * timedelta(minutes=1)
    )
    return Case(Timeline(events), profile, at)


@given(cases())
def test_allowance_is_its_definition(case: Case) -> None:
    """amount, earliest and amount_at_earliest, against validate itself."""
    got = allowance(
        case.log, case.profile, CAFFEINE, at=case.at, product=TABLETS, horizon=HORIZON
    )
    at = case.at
    if got.allowed_now:
        assert got.earliest == at
        check_amount(case, at, got.amount)
        return
    blocking = new_errors(case, at, LEAST)
    assert blocking, "not allowed, yet the least dose adds no error"
    assert got.limited_by in [f.rule for f in blocking]
    earliest = got.earliest
    end = at.astimezone(UTC) + HORIZON
    stop = end if earliest is None else earliest.astimezone(UTC)
    t = at.astimezone(UTC)
    while t < stop:
        assert new_errors(case, t, LEAST), f"{t} allows a dose before {earliest}"
        t += HOUR
    if earliest is None:
        assert new_errors(case, end, LEAST)
        return
    assert not new_errors(case, earliest, LEAST)
    assert new_errors(case, earliest.astimezone(UTC) - US, LEAST)
    check_amount(case, earliest, got.amount_at_earliest)


def test_a_dose_waits_for_the_estimate_to_come_down() -> None:
    """200 mg taken with a 250 mg limit: 50 mg now; a second 200 mg once 200 mg is left... two half-lives on, 50 mg present."""
    k = Kinetics(half_life="4 h", source="test")
    profile = Profile(rules=[MaxExposure("caffeine", "250 mg", kinetics=k)])
    log = Timeline([DoseEvent(BASE, Dose(TABLETS, "200 mg"))])
    now = allowance(log, profile, CAFFEINE, at=BASE, product=TABLETS)
    assert now.amount is not None
    assert abs(now.amount.amount - 50) < Decimal("0.00001")
    # 8 h later 50 mg is left: 200 mg more makes 250 mg, the limit exactly.
    later = allowance(log, profile, CAFFEINE, at=BASE + 8 * HOUR, product=TABLETS)
    assert later.amount is not None
    assert abs(later.amount.amount - 200) < Decimal("0.0001")
