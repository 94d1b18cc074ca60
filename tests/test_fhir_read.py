"""Reading FHIR Dosage JSON: exact values, every problem with its path, tim-1..tim-10."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from regimen import LoadError, Weekday
from regimen._fhir_codes import EVENT_TIMING, UCUM_UNITS
from regimen._fhir_read import read_dosages
from regimen._fhir_values import Amount
from regimen._units import Unit


def problems(value: object) -> list[str]:
    with pytest.raises(LoadError) as info:
        read_dosages(value)
    return list(info.value.problems)


def repeat(**elements: object) -> dict[str, object]:
    return {"timing": {"repeat": elements}}


class TestValues:
    def test_a_dose_quantity_is_read_exactly_from_a_float(self) -> None:
        """0.1 mL parsed by json as a float is 0.1 exactly, not its binary value."""
        (dosage,) = read_dosages(
            json.loads(
                '{"doseAndRate": [{"doseQuantity": {"value": 0.1, "code": "mL"}}]}'
            )
        )
        assert dosage.dose_low is not None
        assert dosage.dose_low.value == Decimal("0.1")
        assert dosage.dose_low.unit is Unit.ML

    def test_a_dose_range_keeps_both_ends(self) -> None:
        """A doseRange gives a low and a high amount."""
        (dosage,) = read_dosages(
            {
                "doseAndRate": [
                    {
                        "doseRange": {
                            "low": {"value": 1, "code": "{tablet}"},
                            "high": {"value": 2, "code": "{tablet}"},
                        }
                    }
                ]
            }
        )
        assert dosage.dose_low is not None
        assert dosage.dose_high is not None
        assert (dosage.dose_low.value, dosage.dose_high.value) == (
            Decimal(1),
            Decimal(2),
        )
        assert dosage.dose_high.unit is Unit.TABLET

    @pytest.mark.parametrize(("code", "unit"), sorted(UCUM_UNITS.items()))
    def test_every_listed_ucum_code_reads_as_its_unit(
        self, code: str, unit: Unit
    ) -> None:
        """Each UCUM code in the table reads as the regimen unit it names."""
        (dosage,) = read_dosages(
            {"maxDosePerAdministration": {"value": 2, "code": code}}
        )
        assert dosage.max_per_administration is not None
        assert dosage.max_per_administration.unit is unit

    def test_timing_elements(self) -> None:
        """Days, times, when codes, offsets and bounds come out typed."""
        (dosage,) = read_dosages(
            repeat(
                frequency=1,
                period=1,
                periodUnit="wk",
                dayOfWeek=["mon", "fri"],
                when=["ACM"],
                offset=30,
                boundsPeriod={
                    "start": "2027-03-01",
                    "end": "2027-03-31T20:00:00-05:00",
                },
            )
        )
        r = dosage.repeat
        assert r is not None
        assert r.day_of_week == (Weekday.MO, Weekday.FR)
        assert (r.when, r.offset, r.period, r.period_unit) == (
            ("ACM",),
            30,
            Decimal(1),
            "wk",
        )
        assert r.bounds_start == date(2027, 3, 1)
        assert r.bounds_end == datetime(
            2027, 3, 31, 20, tzinfo=timezone(timedelta(hours=-5))
        )

    def test_time_of_day_needs_seconds_as_fhir_writes_it(self) -> None:
        """FHIR times are hh:mm:ss; '08:00' is refused with the form to use."""
        (dosage,) = read_dosages(repeat(timeOfDay=["08:00:00", "20:30:15.5"]))
        assert dosage.repeat is not None
        assert dosage.repeat.time_of_day == (time(8), time(20, 30, 15, 500000))
        assert problems(repeat(timeOfDay=["08:00"])) == [
            "dosage.timing.repeat.timeOfDay[0]: expected a FHIR time like "
            "'08:00:00' (got '08:00')"
        ]

    def test_as_needed_forms_of_r4_and_r5(self) -> None:
        """asNeededBoolean, asNeededCodeableConcept (R4) and asNeeded/asNeededFor (R5)."""
        r4 = read_dosages({"asNeededCodeableConcept": {"text": "pain"}})[0]
        r5 = read_dosages({"asNeeded": True, "asNeededFor": [{"text": "nausea"}]})[0]
        plain = read_dosages({"asNeededBoolean": True})[0]
        assert (r4.as_needed, r4.as_needed_for) == (True, "pain")
        assert (r5.as_needed, r5.as_needed_for) == (True, "nausea")
        assert (plain.as_needed, plain.as_needed_for) == (True, None)
        assert read_dosages({})[0].as_needed is False

    def test_max_dose_per_period_one_or_a_list(self) -> None:
        """R4 gives one Ratio, R5 a list; both are read."""
        ratio = {
            "numerator": {"value": 4, "code": "{tablet}"},
            "denominator": {"value": 1, "code": "d"},
        }
        r4 = read_dosages({"maxDosePerPeriod": ratio})[0]
        r5 = read_dosages({"maxDosePerPeriod": [ratio, ratio]})[0]
        assert len(r4.max_per_period) == 1
        assert len(r5.max_per_period) == 2
        amount, period, unit = r4.max_per_period[0]
        assert isinstance(amount, Amount)
        assert (amount.value, amount.unit, period, unit) == (
            Decimal(4),
            Unit.TABLET,
            Decimal(1),
            "d",
        )

    @pytest.mark.parametrize("code", ["{dose}", "1", None])
    def test_a_maximum_count_of_doses(self, code: str | None) -> None:
        """A numerator in doses (or without a unit) is a count of administrations."""
        top: dict[str, object] = {"value": 6}
        if code is not None:
            top["code"] = code
        ratio = {"numerator": top, "denominator": {"value": 1, "code": "d"}}
        (dosage,) = read_dosages({"maxDosePerPeriod": ratio})
        assert dosage.max_per_period == ((6, Decimal(1), "d"),)

    def test_a_medication_request_gives_its_dosage_instructions(self) -> None:
        """A MedicationRequest is read through dosageInstruction, paths included."""
        request = {
            "resourceType": "MedicationRequest",
            "dosageInstruction": [{"sequence": 1}, {"sequence": 2, "timing": 5}],
        }
        assert problems(request) == [
            "dosageInstruction[1].timing: expected a JSON object (got 5)"
        ]


class TestProblems:
    def test_a_wrong_unit_of_time_names_the_fhir_code(self) -> None:
        """'hr' is refused with the code FHIR uses."""
        assert problems(repeat(frequency=1, period=8, periodUnit="hr")) == [
            "dosage.timing.repeat.periodUnit: unknown unit 'hr' — FHIR uses 'h'"
        ]

    def test_every_problem_is_reported_at_once(self) -> None:
        """Several problems in a list of dosages come out together, each with its path."""
        found = problems(
            [
                repeat(frequency=0, when=["BREAKFAST"]),
                {"doseAndRate": [{"rateQuantity": {"value": 1, "code": "mL/h"}}]},
                {"timing": {"event": ["2027"]}},
                7,
            ]
        )
        assert found == [
            "dosage[0].timing.repeat.frequency: expected a positive whole number (got 0)",
            "dosage[0].timing.repeat.when[0]: unknown EventTiming code 'BREAKFAST'; "
            "regimen reads " + ", ".join(EVENT_TIMING),
            "dosage[1].doseAndRate[0].rateQuantity: a rate (an infusion) cannot be read "
            "as doses at moments; give doseQuantity or doseRange",
            "dosage[2].timing.event[0]: '2027' gives no day; regimen needs a full date "
            "like '2027-03-01' to place doses in time",
            "dosage[3]: expected a JSON object (got 7)",
        ]

    @pytest.mark.parametrize(
        ("elements", "rule"),
        [
            ({"duration": 1}, "tim-1"),
            ({"period": 1}, "tim-2"),
            ({"duration": -1, "durationUnit": "h"}, "tim-4"),
            ({"period": -1, "periodUnit": "h"}, "tim-5"),
            ({"periodMax": 2}, "tim-6"),
            ({"durationMax": 2}, "tim-7"),
            ({"countMax": 2}, "tim-8"),
            ({"offset": 30}, "tim-9"),
            ({"offset": 30, "when": ["CM"]}, "tim-9"),
            ({"timeOfDay": ["08:00:00"], "when": ["ACM"]}, "tim-10"),
        ],
    )
    def test_each_invariant_is_named(
        self, elements: dict[str, object], rule: str
    ) -> None:
        """A Timing that breaks an invariant is refused naming the invariant."""
        found = problems(repeat(**elements))
        assert any(p.endswith(f"(FHIR invariant {rule})") for p in found), found

    @pytest.mark.parametrize(
        "elements",
        [
            {"duration": 1, "durationUnit": "h"},
            {"period": 1, "periodUnit": "h", "periodMax": 2},
            {"count": 1, "countMax": 2},
            {"offset": 30, "when": ["ACM"]},
            {"timeOfDay": ["08:00:00"]},
        ],
    )
    def test_valid_timings_break_no_invariant(
        self, elements: dict[str, object]
    ) -> None:
        """The allowed combinations read without a problem."""
        assert read_dosages(repeat(**elements))[0].repeat is not None

    def test_unknown_elements_are_refused_not_dropped(self) -> None:
        """A misspelt element is a problem, so nothing is silently ignored."""
        assert problems({"timing": {"repeat": {"frequncy": 2}}}) == [
            "dosage.timing.repeat.frequncy: not an element of Timing.repeat"
        ]

    @pytest.mark.parametrize(
        "value",
        ["1e999", "NaN", 1e308 * 10, True, "x" * 100, [1], None],
    )
    def test_hostile_numbers_are_problems(self, value: object) -> None:
        """Infinite, huge, boolean or non-numeric values never escape as raw errors."""
        found = problems({"maxDosePerAdministration": {"value": value, "code": "mg"}})
        assert found
        assert found[0].startswith("dosage.maxDosePerAdministration")
