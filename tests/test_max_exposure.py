"""MaxExposure: findings against a slow oracle, messages, units, files and construction."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    Kinetics,
    LoadError,
    MaxExposure,
    Product,
    Profile,
    Severity,
    Substance,
    Timeline,
    dumps,
    loads,
    validate,
)
from regimen._bundle import Bundle

from .test_exposure import bateman

NY = ZoneInfo("America/New_York")
START = datetime(2027, 3, 13, 6, tzinfo=NY)
CAFFEINE = Substance("caffeine")
TABLETS = Product("caffeine tablets", contents={CAFFEINE: "1 mg"}, per="1 mg")
SYRUP = Product("syrup", contents={CAFFEINE: "1 ml"}, per="1 ml")
SOURCE = "test figures"
MINUTE = timedelta(minutes=1)


def hours(a: datetime, b: datetime) -> float:
    return (b.astimezone(UTC) - a.astimezone(UTC)) / timedelta(hours=1)


def estimate(doses: list[tuple[datetime, int]], at: datetime, k: Kinetics) -> float:
    return sum(bateman(mg, hours(t, at), k) for t, mg in doses)


def interval_highs(
    doses: list[tuple[datetime, int]], lo: datetime, hi: datetime | None, k: Kinetics
) -> list[tuple[float, datetime]]:
    """Return the high points of the estimate on [lo, hi), the slow way: value and moment.

    The estimate at *lo*, and its highest inside (100 samples, then golden
    sections around the best: between two doses the estimate has at most
    one maximum), or, when it rises all the way, the value it approaches at
    *hi*.
    """
    if hi is None:
        hi = lo + 40 * (k.half_life + (k.absorption_half_life or timedelta(0)))
    span = hi.astimezone(UTC) - lo.astimezone(UTC)
    start = lo.astimezone(UTC)

    def f(x: float) -> float:
        return estimate(doses, start + span * x, k)

    xs = [i / 100 for i in range(100)]
    best = max(range(100), key=lambda i: f(xs[i]))
    a, b = xs[max(best - 1, 0)], min(xs[best] + 1 / 100, 1.0)
    g = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        c, d = b - g * (b - a), a + g * (b - a)
        if f(c) < f(d):
            a = c
        else:
            b = d
    x = (a + b) / 2
    out = [(f(0.0), start)]
    if (
        hi is not None and x > 0.999
    ):  # rising to the next dose: the high point is its end
        end = hi.astimezone(UTC) - timedelta(microseconds=1)
        out.append((estimate(doses, end, k), hi.astimezone(UTC)))
    else:
        out.append((f(x), start + span * x))
    return [(value, where.astimezone(NY)) for value, where in out]


def log_of(doses: list[tuple[datetime, int]]) -> Timeline:
    return Timeline([DoseEvent(t, Dose(TABLETS, f"{mg} mg")) for t, mg in doses])


half_lives = st.integers(20, 24 * 60).map(lambda m: timedelta(minutes=m))


@st.composite
def kinetics(draw: st.DrawFn) -> Kinetics:
    half = draw(half_lives)
    absorption = draw(st.none() | half_lives.map(lambda d: d / 3))
    if absorption is not None and abs(absorption / half - 1) < 0.05:
        absorption = (
            half  # the equal rates, exactly (the literal formula cancels near them)
        )
    return Kinetics(half_life=half, absorption_half_life=absorption, source=SOURCE)


doses_st = st.lists(
    st.tuples(
        st.integers(0, 2 * 24 * 60).map(lambda m: START + m * MINUTE),
        st.integers(10, 400),
    ),
    min_size=1,
    max_size=8,
)


@given(doses_st, kinetics(), st.integers(50, 900))
def test_findings_match_the_slow_oracle(
    doses: list[tuple[datetime, int]], k: Kinetics, limit: int
) -> None:
    """One finding per local day whose estimate passes the limit, at the highest, with the doses over it.

    A dose counts on each day where a high point of its stretch (up to the
    next dose: its start, its peak, or its end when it rises all the way)
    is over the limit.
    """
    rule = MaxExposure("caffeine", f"{limit} mg", kinetics=k)
    findings = list(rule.check(log_of(doses)))
    # The oracle works on real instants: a wall time drawn in the spring-forward
    # gap (02:31) is the moment a DoseEvent makes of it (03:31 EDT), which may
    # come after a dose drawn at 03:00.
    doses = [(t.astimezone(UTC).astimezone(NY), v) for t, v in doses]
    moments = sorted({t for t, _ in doses})
    expected: dict[date, tuple[list[tuple[float, datetime]], set[datetime]]] = {}
    for i, lo in enumerate(moments):
        hi = moments[i + 1] if i + 1 < len(moments) else None
        for value, at in interval_highs(doses, lo, hi, k):
            assume(abs(value - limit) > 1e-6 * limit)  # not on the limit itself
            local = at.astimezone(NY)
            assume(local.time() > (datetime.min + MINUTE).time())  # not near midnight
            assume(local.time() < (datetime.max - MINUTE).time())
            if value > limit:
                highs, groups = expected.setdefault(local.date(), ([], set()))
                highs.append((value, at))
                groups.add(lo)
    assert {f.at.date() for f in findings if f.at is not None} == set(expected)
    for finding in findings:
        assert finding.at is not None
        highs, groups = expected[finding.at.date()]
        value = max(v for v, _ in highs)
        assert finding.code == "max-exposure"
        assert finding.severity is Severity.ERROR
        assert isinstance(finding.measured, type(rule.amount))
        assert float(finding.measured.amount) == pytest.approx(value, rel=1e-5)
        # at the highest (of near ties, any)
        assert any(
            abs(finding.at - at) <= MINUTE for v, at in highs if v > value * (1 - 1e-6)
        )
        # as instants: a dose drawn in the spring-forward gap (02:00) is the
        # event at 03:00 EDT, the same moment
        assert {e.at.astimezone(UTC) for e in finding.events} == {
            g.astimezone(UTC) for g in groups
        }


class TestMessages:
    def test_a_single_dose_over_the_limit(self) -> None:
        """400 mg at once (no absorption) is 400 mg present at that moment: over 300 mg."""
        k = Kinetics(half_life="5 h", source="a handbook")
        rule = MaxExposure("caffeine", "300 mg", kinetics=k, source="my limit")
        report = validate(log_of([(START, 400)]), Profile(rules=[rule]))
        (finding,) = report.findings
        assert finding.message == (
            "an estimated 400 mg of caffeine present at 2027-03-13 06:00 EST "
            "(one-compartment model estimate with half-life 5 h, bioavailability 1 "
            "(source: a handbook), not a measured level); limit 300 mg"
        )
        assert finding.rule is rule
        assert finding.to_dict()["rule"] == {
            "type": "max-exposure",
            "substance": "caffeine",
            "amount": "300 mg",
            "kinetics": {"half_life": "5 h", "source": "a handbook"},
            "source": "my limit",
        }

    def test_equal_to_the_limit_is_fine(self) -> None:
        """A limit is a most: exactly 300 mg present is no finding."""
        k = Kinetics(half_life="5 h", source=SOURCE)
        rule = MaxExposure("caffeine", "300 mg", kinetics=k)
        assert list(rule.check(log_of([(START, 300)]))) == []

    def test_doses_that_decayed_enough_are_fine(self) -> None:
        """200 mg, then 200 mg two half-lives later: 250 mg at most, under 260 mg."""
        k = Kinetics(half_life="3 h", source=SOURCE)
        rule = MaxExposure("caffeine", "260 mg", kinetics=k)
        log = log_of([(START, 200), (START + timedelta(hours=6), 200)])
        assert list(rule.check(log)) == []
        tighter = MaxExposure("caffeine", "249 mg", kinetics=k)
        (finding,) = tighter.check(log)
        assert finding.measured == Decimal(250) * tighter.amount / tighter.amount.amount
        assert [e.at for e in finding.events] == [START + timedelta(hours=6)]

    def test_warning_severity_and_mismatched_units(self) -> None:
        """A warning-level rule warns; a product in ml is left out with a warning."""
        k = Kinetics(half_life="3 h", source=SOURCE)
        rule = MaxExposure("caffeine", "100 mg", kinetics=k, severity="warning")
        log = log_of([(START, 200)]) + Timeline(
            [DoseEvent(START + timedelta(hours=1), Dose(SYRUP, "5 ml"))]
        )
        found = list(rule.check(log))
        assert [f.severity for f in found] == [Severity.WARNING, Severity.WARNING]
        assert (
            "syrup gives caffeine in units that do not convert to mg"
            in found[0].message
        )
        assert validate(log, Profile(rules=[rule])).ok

    def test_the_profile_day_start_groups_findings(self) -> None:
        """With days from 04:00, a peak at 02:00 counts for the day before."""
        k = Kinetics(half_life="1 h", source=SOURCE)
        rule = MaxExposure("caffeine", "100 mg", kinetics=k)
        late = datetime(2027, 3, 12, 22, tzinfo=NY)
        log = log_of([(late, 200), (late + timedelta(hours=4), 200)])
        assert len(validate(log, Profile(rules=[rule])).findings) == 2
        assert (
            len(validate(log, Profile(rules=[rule], day_start="04:00")).findings) == 1
        )

    def test_an_unknown_term_is_reported(self) -> None:
        """A typo in the substance would silence the limit: unknown-term."""
        k = Kinetics(half_life="1 h", source=SOURCE)
        rule = MaxExposure("cafeine", "100 mg", kinetics=k)
        report = validate(log_of([(START, 200)]), Profile(rules=[rule]))
        assert "unknown-term" in report.codes()


class TestConstruction:
    def test_half_life_with_its_source_builds_the_kinetics(self) -> None:
        """half_life=..., kinetics_source=... is the same rule as kinetics=Kinetics(...)."""
        k = Kinetics(half_life="5 h", absorption_half_life="30 min", source="s")
        assert MaxExposure(
            "caffeine",
            "300 mg",
            half_life="5 h",
            absorption_half_life="30 min",
            kinetics_source="s",
        ) == MaxExposure("caffeine", "300 mg", kinetics=k)

    def test_missing_or_doubled_parameters_are_refused(self) -> None:
        """No parameters, a half-life without source, or both forms: TypeError."""
        k = Kinetics(half_life="5 h", source="s")
        with pytest.raises(TypeError, match="kinetics_source"):
            MaxExposure("caffeine", "300 mg", half_life="5 h")
        with pytest.raises(TypeError, match="needs kinetics"):
            MaxExposure("caffeine", "300 mg")
        with pytest.raises(TypeError, match="not both"):
            MaxExposure("caffeine", "300 mg", kinetics=k, half_life="4 h")
        with pytest.raises(ValueError, match="above zero"):
            MaxExposure("caffeine", "0 mg", kinetics=k)


class TestFiles:
    def test_round_trip_with_kinetics_on_the_substance_and_the_rule(self) -> None:
        """Writing and reading back gives the substance's and the rule's parameters."""
        k = Kinetics(half_life="5 h", bioavailability="0.99", source="a review")
        caffeine = Substance("caffeine", kinetics=k)
        tablets = Product("tablets", contents={caffeine: "100 mg"}, per="1 tablet")
        profile = Profile(rules=[MaxExposure("caffeine", "300 mg", kinetics=k)])
        bundle = Bundle(profile=profile, substances=(caffeine,), products=(tablets,))
        for fmt in ("toml", "json"):
            back = loads(dumps(bundle, format=fmt), format=fmt)
            assert back.profile == profile
            assert back.substances == (caffeine,)

    def test_problems_have_their_paths(self) -> None:
        """A missing kinetics table and a bad half-life are reported with their paths."""
        text = """
[[substances]]
name = "caffeine"
kinetics = { half_life = "0 min", source = "s" }

[[profile.rules]]
type = "max-exposure"
substance = "caffeine"
amount = "300 mg"

[[profile.rules]]
type = "max-amount"
substance = "caffeine"
amount = "300 mg"
per = "day"
kinetics = { half_life = "5 h", source = "s" }
"""
        with pytest.raises(LoadError) as info:
            loads(text)
        assert info.value.problems == (
            "substances[0]: Kinetics.half_life must be longer than zero and at most 3650 d (got 0 min)",
            "profile.rules[0]: a 'max-exposure' rule needs kinetics",
            "profile.rules[1]: kinetics does not apply to a 'max-amount' rule",
        )
        with pytest.raises(LoadError) as info:
            loads(
                '[[profile.rules]]\ntype = "max-exposure"\nsubstance = "caffeine"\n'
                'amount = "3 mg"\nkinetics = { half_life = "5 h" }\n'
            )
        assert info.value.problems == (
            "profile.rules[0].kinetics.source: required key missing",
        )
