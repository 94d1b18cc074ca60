"""exposure(): the series against the closed form, superposition, units, bounds, labels."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    ExpansionError,
    Exposure,
    Kinetics,
    Product,
    Substance,
    Timeline,
    UnitError,
    exposure,
)
from regimen._exposure import MAX_POINTS

BERLIN = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")
START = datetime(2027, 3, 13, 6, tzinfo=NY)  # the day before a DST change
CAFFEINE = Substance("caffeine", classes={"stimulant"})
COFFEE = Product("coffee", contents={CAFFEINE: "95 mg"}, per="1 serving")
POWDER = Product("caffeine powder", contents={CAFFEINE: "1 g"}, per="1 g")
MILLIGRAMS = Product("caffeine tablets", contents={CAFFEINE: "1 mg"}, per="1 mg")
SYRUP = Product("syrup", contents={CAFFEINE: "1 ml"}, per="1 ml")
SOURCE = "test figures"
LN2 = math.log(2)


def bateman(dose_mg: float, hours: float, k: Kinetics) -> float:
    """Return the closed form for one dose, literally as textbooks write it (an oracle)."""
    if hours < 0:
        return 0.0
    f = float(k.bioavailability)
    ke = LN2 / (k.half_life.total_seconds() / 3600)
    if k.absorption_half_life is None:
        return f * dose_mg * math.exp(-ke * hours)
    ka = LN2 / (k.absorption_half_life.total_seconds() / 3600)
    if ka == ke:
        return f * dose_mg * ke * hours * math.exp(-ke * hours)
    return (
        f * dose_mg * ka / (ka - ke) * (math.exp(-ke * hours) - math.exp(-ka * hours))
    )


def closed_form(
    doses: list[tuple[datetime, float]], at: datetime, k: Kinetics
) -> float:
    return sum(
        bateman(mg, (at.astimezone(UTC) - t.astimezone(UTC)) / timedelta(hours=1), k)
        for t, mg in doses
    )


def log_of(doses: list[tuple[datetime, float]]) -> Timeline:
    return Timeline([DoseEvent(t, Dose(MILLIGRAMS, f"{mg} mg")) for t, mg in doses])


minutes = st.integers(0, 3 * 24 * 60)
amounts = st.integers(1, 500)  # mg
dose_lists = st.lists(
    st.tuples(minutes.map(lambda m: START + timedelta(minutes=m)), amounts),
    min_size=1,
    max_size=12,
)
half_lives = st.integers(10, 48 * 60).map(lambda m: timedelta(minutes=m))


@st.composite
def kinetics(draw: st.DrawFn) -> Kinetics:
    half = draw(half_lives)
    absorption = draw(st.none() | half_lives)
    if absorption is not None and abs(absorption / half - 1) < 0.05:
        absorption = None  # the literal formula cancels badly there; equal rates have their own test
    return Kinetics(
        half_life=half,
        absorption_half_life=absorption,
        bioavailability=draw(st.sampled_from(["1", "0.5", "0.99", "0.07"])),
        source=SOURCE,
    )


def close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-9 * scale + 1e-9 * abs(b)


class TestClosedForm:
    @given(dose_lists, kinetics(), st.integers(7, 180))
    def test_every_point_is_the_closed_form_summed_over_doses(
        self, doses: list[tuple[datetime, float]], k: Kinetics, step_minutes: int
    ) -> None:
        """Each point equals the textbook formula summed over every dose before it."""
        series = exposure(
            log_of(doses),
            "caffeine",
            kinetics=k,
            unit="mg",
            start=START - timedelta(hours=1),
            end=START + timedelta(days=3, hours=5),
            step=timedelta(minutes=step_minutes),
        )
        total = sum(mg for _, mg in doses)
        # 78 h on the clock, 77 h elapsed: the clocks spring forward on 2027-03-14.
        assert len(series) == 77 * 60 // step_minutes + 1
        for point in series:
            assert close(point.amount, closed_form(doses, point.at, k), total)

    @given(dose_lists, half_lives, st.integers(7, 180))
    def test_equal_half_lives_are_the_limit_form(
        self, doses: list[tuple[datetime, float]], half: timedelta, step_minutes: int
    ) -> None:
        """With absorption and elimination half-lives equal: F·D·k·t·e^(-kt), no division by zero."""
        k = Kinetics(half_life=half, absorption_half_life=half, source=SOURCE)
        series = exposure(
            log_of(doses),
            CAFFEINE,
            kinetics=k,
            unit="mg",
            start=START,
            end=START + timedelta(days=3),
            step=timedelta(minutes=step_minutes),
        )
        total = sum(mg for _, mg in doses)
        for point in series:
            assert close(point.amount, closed_form(doses, point.at, k), total)

    def test_nearly_equal_half_lives_approach_the_limit(self) -> None:
        """Half-lives a hair apart give (almost) the equal-rates value: no cancellation."""
        at = START
        log = log_of([(at, 100.0)])
        equal = Kinetics(half_life="5 h", absorption_half_life="5 h", source=SOURCE)
        near = Kinetics(
            half_life=timedelta(hours=5),
            absorption_half_life=timedelta(hours=5, microseconds=1),
            source=SOURCE,
        )
        end = at + timedelta(hours=20)
        a = exposure(log, "caffeine", kinetics=equal, end=end, unit="mg")
        b = exposure(log, "caffeine", kinetics=near, end=end, unit="mg")
        for p, q in zip(a, b, strict=True):
            assert q.amount == pytest.approx(p.amount, rel=1e-9, abs=1e-12)
        # 100 mg · k · 5 h · e^(-k·5 h) = 100 · ln 2 · 1/2
        assert a.values[5] == pytest.approx(100 * LN2 / 2, rel=1e-12)

    def test_a_half_life_halves_the_amount(self) -> None:
        """Without absorption 200 mg is 100 mg one half-life later and 50 mg after two."""
        log = Timeline([DoseEvent(START, Dose(COFFEE, "2 serving"))])
        series = exposure(log, "caffeine", half_life="6 h", source=SOURCE, step="6 h")
        assert [round(p.amount, 9) for p in series][:3] == [190.0, 95.0, 47.5]

    def test_bioavailability_scales_the_estimate(self) -> None:
        """Half the bioavailability, half the estimate at every point."""
        log = log_of([(START, 100.0)])
        full = exposure(log, "caffeine", half_life="4 h", source=SOURCE)
        half = exposure(
            log, "caffeine", half_life="4 h", bioavailability="0.5", source=SOURCE
        )
        assert [p.amount / 2 for p in full] == pytest.approx([p.amount for p in half])


class TestSuperposition:
    @given(dose_lists, dose_lists, kinetics())
    def test_the_estimate_of_two_logs_is_the_sum_of_theirs(
        self,
        a: list[tuple[datetime, float]],
        b: list[tuple[datetime, float]],
        k: Kinetics,
    ) -> None:
        """Doses add up: exposure(a + b) = exposure(a) + exposure(b), point by point."""
        span = {
            "start": START,
            "end": START + timedelta(days=4),
            "step": timedelta(minutes=37),
            "unit": "mg",
            "kinetics": k,
        }
        both = exposure(log_of(a) + log_of(b), "caffeine", **span)  # type: ignore[arg-type]
        one = exposure(log_of(a), "caffeine", **span)  # type: ignore[arg-type]
        two = exposure(log_of(b), "caffeine", **span)  # type: ignore[arg-type]
        scale = sum(mg for _, mg in [*a, *b])
        for p, q, r in zip(both, one, two, strict=True):
            assert close(p.amount, q.amount + r.amount, scale)


class TestTime:
    def test_elapsed_time_is_measured_in_utc_across_a_dst_change(self) -> None:
        """Over the spring-forward night, 6 h of elapsed time is 7 h on the clock."""
        at = datetime(2027, 3, 14, 0, tzinfo=NY)
        log = log_of([(at, 100.0)])
        series = exposure(log, "caffeine", half_life="6 h", source=SOURCE, step="6 h")
        second = series.points[1]
        assert second.at.hour == 7  # EST to EDT
        assert second.amount == pytest.approx(50.0)
        assert second.at.astimezone(UTC) - at.astimezone(UTC) == timedelta(hours=6)

    def test_points_are_in_starts_zone(self) -> None:
        """Moments are aware, in the zone of start (default: the first dose's)."""
        log = log_of([(START, 10.0)])
        series = exposure(
            log,
            "caffeine",
            half_life="1 h",
            source=SOURCE,
            start=START.astimezone(BERLIN),
            end=START + timedelta(hours=3),
        )
        assert {p.at.tzinfo for p in series} == {BERLIN}
        assert exposure(log, "caffeine", half_life="1 h", source=SOURCE).timezone is NY

    def test_naive_moments_are_refused(self) -> None:
        """Naive start and end are refused."""
        log = log_of([(START, 10.0)])
        with pytest.raises(ValueError, match="aware"):
            exposure(
                log,
                "caffeine",
                half_life="1 h",
                source=SOURCE,
                start=datetime(2027, 1, 1),
            )

    def test_too_many_points_are_refused(self) -> None:
        """More than MAX_POINTS points raise ExpansionError naming the count."""
        log = log_of([(START, 10.0)])
        with pytest.raises(ExpansionError, match=f"at most {MAX_POINTS}"):
            exposure(
                log,
                "caffeine",
                half_life="1 h",
                source=SOURCE,
                end=START + timedelta(days=3650),
                step="1 min",
            )

    def test_end_before_start_and_empty_steps_are_refused(self) -> None:
        """An end before the start, or a step of zero, is refused."""
        log = log_of([(START, 10.0)])
        with pytest.raises(ValueError, match="at or before end"):
            exposure(
                log,
                "caffeine",
                half_life="1 h",
                source=SOURCE,
                end=START - timedelta(hours=1),
            )
        with pytest.raises(ValueError, match="step"):
            exposure(log, "caffeine", half_life="1 h", source=SOURCE, step=timedelta(0))

    def test_the_default_end_stops_at_the_supported_range(self) -> None:
        """A long half-life near the end of the range ends the series at 9998-12-31."""
        at = datetime(9998, 12, 1, tzinfo=UTC)
        series = exposure(
            log_of([(at, 10.0)]),
            "caffeine",
            half_life="3650 d",
            source=SOURCE,
            step="30 d",
        )
        assert series.points[-1].at <= datetime(
            9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC
        )
        assert series.values[0] == 10.0

    def test_default_end_covers_five_half_lives_after_the_last_dose(self) -> None:
        """By default the series runs from the first dose to 5 x (half-lives) after the last."""
        log = log_of([(START, 10.0), (START + timedelta(hours=2), 10.0)])
        series = exposure(
            log, "caffeine", half_life="3 h", absorption_half_life="1 h", source=SOURCE
        )
        assert series.points[0].at == START
        last = START.astimezone(UTC) + timedelta(hours=2 + 5 * 4)  # elapsed time
        assert series.points[-1].at == last


class TestUnits:
    def test_doses_in_several_units_convert_to_the_first_doses_unit(self) -> None:
        """A coffee (mg) and, an hour later, powder (g) add up in mg, the first dose's unit."""
        log = Timeline(
            [
                DoseEvent(START - timedelta(hours=1), Dose(COFFEE, "1 serving")),
                DoseEvent(START, Dose(POWDER, "0.005 g")),
            ]
        )
        series = exposure(log, "stimulant", half_life="5 h", source=SOURCE)
        assert series.unit.value == "mg"
        assert series.values[:2] == pytest.approx([95.0, 95.0 * 2 ** (-1 / 5) + 5.0])
        in_grams = exposure(log, "stimulant", half_life="5 h", source=SOURCE, unit="g")
        assert in_grams.values[:2] == pytest.approx(
            [0.095, 0.095 * 2 ** (-1 / 5) + 0.005]
        )

    def test_mass_and_volume_do_not_mix(self) -> None:
        """A dose given as a volume cannot join mg: UnitError naming the product."""
        log = Timeline(
            [
                DoseEvent(START, Dose(COFFEE, "1 serving")),
                DoseEvent(START + timedelta(hours=1), Dose(SYRUP, "2 ml")),
            ]
        )
        with pytest.raises(
            UnitError, match=r"syrup .* gives 2 ml, which does not convert"
        ):
            exposure(log, "caffeine", half_life="5 h", source=SOURCE)

    def test_no_dose_and_no_unit(self) -> None:
        """With nothing taken, start/end and unit must be given; then the estimate is 0."""
        with pytest.raises(ValueError, match="no dose of caffeine"):
            exposure(Timeline([]), "caffeine", half_life="5 h", source=SOURCE)
        series = exposure(
            Timeline([]),
            "caffeine",
            half_life="5 h",
            source=SOURCE,
            unit="mg",
            start=START,
            end=START + timedelta(hours=2),
        )
        assert series.values == (0.0, 0.0, 0.0)


class TestParameters:
    def test_source_is_required(self) -> None:
        """half_life without source, Kinetics without source: refused."""
        log = log_of([(START, 10.0)])
        with pytest.raises(TypeError, match="source="):
            exposure(log, "caffeine", half_life="5 h")
        with pytest.raises(TypeError):
            Kinetics(half_life="5 h")  # type: ignore[call-arg]
        with pytest.raises(ValueError, match="must say where"):
            Kinetics(half_life="5 h", source="  ")

    def test_kinetics_and_half_life_together_are_refused(self) -> None:
        """Either kinetics= or half_life=, not both."""
        k = Kinetics(half_life="5 h", source=SOURCE)
        with pytest.raises(TypeError, match="not both"):
            exposure(log_of([(START, 1.0)]), "caffeine", kinetics=k, half_life="4 h")

    def test_a_substance_carries_its_parameters(self) -> None:
        """With no parameters given, the substance's own are used (by name too)."""
        k = Kinetics(half_life="2 h", source=SOURCE)
        own = Substance("caffeine", kinetics=k)
        product = Product("pill", contents={own: "100 mg"}, per="1 tablet")
        log = Timeline([DoseEvent(START, Dose(product, "1 tablet"))])
        assert exposure(log, own).kinetics is k
        assert exposure(log, "caffeine").values[2] == pytest.approx(50.0)
        with pytest.raises(TypeError, match="needs the model's parameters"):
            exposure(log_of([(START, 1.0)]), "caffeine")

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("half_life", "0 min", "longer than zero"),
            ("half_life", timedelta(days=3651), "at most 3650 d"),
            ("absorption_half_life", "soon", "duration like"),
            ("bioavailability", "1.5", "at most 1"),
            ("bioavailability", "0", "above 0"),
            ("bioavailability", "NaN", "finite"),
        ],
    )
    def test_bad_parameters_name_the_field(
        self, field: str, value: object, message: str
    ) -> None:
        """Each bad value is refused with the field and the value."""
        args: dict[str, object] = {"half_life": "5 h", "source": SOURCE, field: value}
        with pytest.raises(ValueError, match=message) as info:
            Kinetics(**args)  # type: ignore[arg-type]
        assert f"Kinetics.{field}" in str(info.value)


class TestResult:
    def test_label_and_dict_say_it_is_an_estimate(self) -> None:
        """The label names the model, the parameters and their source; to_dict is JSON."""
        log = log_of([(START, 100.0)])
        series = exposure(
            log,
            "caffeine",
            half_life="5 h",
            source="a review",
            end=START + timedelta(hours=2),
        )
        assert isinstance(series, Exposure)
        assert "model estimate" in series.label
        assert "not a measured level" in series.label
        assert "source: a review" in series.label
        data = series.to_dict()
        assert data["estimate"] is True
        assert data["kinetics"] == {"half_life": "5 h", "source": "a review"}
        assert data["points"][0] == {"at": START.isoformat(), "amount": 100.0}
        assert json.loads(json.dumps(data)) == data

    def test_peak_is_the_highest_point(self) -> None:
        """The peak is the point with the largest amount; iteration gives points in order."""
        log = log_of([(START, 100.0), (START + timedelta(hours=3), 100.0)])
        series = exposure(
            log, "caffeine", half_life="5 h", absorption_half_life="1 h", source=SOURCE
        )
        assert series.peak.amount == max(series.values)
        assert series.peak in series.points
        assert [p.at for p in series] == sorted(p.at for p in series)
        assert series.step == timedelta(hours=1)

    def test_decimal_amounts_are_not_required(self) -> None:
        """Estimates are floats: the model is no more exact than its parameters."""
        series = exposure(
            log_of([(START, 1.0)]), "caffeine", half_life="5 h", source=SOURCE
        )
        assert all(isinstance(v, float) for v in series.values)
        assert not isinstance(series.values[0], Decimal)
