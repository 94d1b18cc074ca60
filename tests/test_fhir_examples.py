"""regimen's own FHIR dosage cases, read into dose instants worked out by hand.

These are not copied from the specification: they are regimen's cases in
the shapes the R4 Timing page and Dosage examples use (the instances taken
from the specification, each naming its source, are in
``test_fhir_spec_timing.py`` and ``test_fhir_spec_medrx.py``). The expected
moments are worked out in the test's zone by hand (America/New_York: EST
-05:00 until 2027-03-14 02:00, EDT -04:00 after).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from regimen import LoadError, MaxAmount, MaxDoses, Meal, Product, Substance
from regimen.fhir import Reading, from_dosage

DRUG = Substance("amoxicillin")
TABLET = Product("amoxicillin 500 mg", contents={DRUG: "500 mg"}, per="1 tablet")
ZONE = "America/New_York"
MEALS = {"breakfast": "07:00", "lunch": "12:00", "dinner": "18:00", "bedtime": "22:00"}


def tablets(n: int) -> list[dict[str, Any]]:
    return [{"doseQuantity": {"value": n, "unit": "tablet", "code": "{tablet}"}}]


def read(dosage: object, **kw: Any) -> Reading:
    kw.setdefault("meal_times", MEALS)
    return from_dosage(dosage, product=TABLET, timezone=ZONE, **kw)  # type: ignore[arg-type]


def instants(reading: Reading) -> list[str]:
    return [e.at.isoformat(timespec="minutes") for e in reading.plan("x").timeline()]


def test_bid_code_for_three_days() -> None:
    """BID (code) for 3 days: 08:00 and 20:00, the institution times assumed and said."""
    reading = read(
        {
            "text": "1 tablet twice a day for 3 days",
            "timing": {
                "code": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation",
                            "code": "BID",
                        }
                    ]
                },
                "repeat": {
                    "boundsDuration": {
                        "value": 3,
                        "unit": "days",
                        "system": "http://unitsofmeasure.org",
                        "code": "d",
                    }
                },
            },
            "doseAndRate": tablets(1),
        },
        start="2027-03-01",
    )
    assert instants(reading) == [
        "2027-03-01T08:00-05:00", "2027-03-01T20:00-05:00",
        "2027-03-02T08:00-05:00", "2027-03-02T20:00-05:00",
        "2027-03-03T08:00-05:00", "2027-03-03T20:00-05:00",
    ]  # fmt: skip
    assert any("BID read as 08:00 and 20:00" in a for a in reading.assumptions)


def test_code_times_of_the_institution_replace_the_defaults() -> None:
    """code_times says when BID is; nothing is then assumed about it."""
    reading = read(
        {
            "timing": {
                "code": {"coding": [{"code": "BID"}]},
                "repeat": {"boundsDuration": {"value": 1, "code": "d"}},
            },
            "doseAndRate": tablets(1),
        },
        start="2027-03-01",
        code_times={"BID": ["09:00", "21:00"]},
    )
    assert instants(reading) == ["2027-03-01T09:00-05:00", "2027-03-01T21:00-05:00"]
    assert reading.assumptions == ()


def test_three_times_a_day_with_meals() -> None:
    """when=C (with a meal): at breakfast, lunch and dinner, the dose taken with the meal."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 3,
                    "period": 1,
                    "periodUnit": "d",
                    "when": ["C"],
                    "boundsPeriod": {"start": "2027-03-01", "end": "2027-03-02"},
                }
            },
            "doseAndRate": tablets(1),
        }
    )
    assert instants(reading) == [
        "2027-03-01T07:00-05:00", "2027-03-01T12:00-05:00", "2027-03-01T18:00-05:00",
        "2027-03-02T07:00-05:00", "2027-03-02T12:00-05:00", "2027-03-02T18:00-05:00",
    ]  # fmt: skip
    assert {e.dose.meal for e in reading.entries} == {Meal.WITH}


def test_every_4_to_6_hours_as_needed_with_a_daily_maximum() -> None:
    """periodMax: as-needed doses every 4 h at the soonest, at most 4 tablets in any 24 h."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 1,
                    "period": 4,
                    "periodMax": 6,
                    "periodUnit": "h",
                    "boundsPeriod": {
                        "start": "2027-03-01T08:00:00-05:00",
                        "end": "2027-03-01T23:59:00-05:00",
                    },
                }
            },
            "asNeededCodeableConcept": {"text": "pain"},
            "doseAndRate": tablets(1),
            "maxDosePerPeriod": {
                "numerator": {"value": 4, "code": "{tablet}"},
                "denominator": {"value": 1, "code": "d"},
            },
        }
    )
    assert instants(reading) == [
        "2027-03-01T08:00-05:00", "2027-03-01T12:00-05:00",
        "2027-03-01T16:00-05:00", "2027-03-01T20:00-05:00",
    ]  # fmt: skip
    assert all(e.as_needed for e in reading.entries)
    assert reading.rules == (
        MaxAmount(
            "amoxicillin", "2000 mg", per=timedelta(days=1), source="FHIR dosage"
        ),
    )
    assert any("periodMax 6" in a for a in reading.assumptions)


def test_a_taper_by_sequence() -> None:
    """Increasing sequence numbers are consecutive phases, each bounded by its duration."""
    reading = read(
        [
            {
                "sequence": 1,
                "timing": {
                    "code": {"coding": [{"code": "BID"}]},
                    "repeat": {"boundsDuration": {"value": 2, "code": "d"}},
                },
                "doseAndRate": tablets(2),
            },
            {
                "sequence": 2,
                "timing": {
                    "code": {"coding": [{"code": "BID"}]},
                    "repeat": {"boundsDuration": {"value": 2, "code": "d"}},
                },
                "doseAndRate": tablets(1),
            },
            {
                "sequence": 3,
                "timing": {
                    "code": {"coding": [{"code": "QD"}]},
                    "repeat": {"boundsDuration": {"value": 3, "code": "d"}},
                },
                "doseAndRate": tablets(1),
            },
        ],
        start="2027-04-05",
    )
    got = [
        (e.at.isoformat(timespec="minutes"), str(e.amount))
        for e in reading.plan("x").timeline()
    ]
    assert got == [
        ("2027-04-05T08:00-04:00", "2 tablets"), ("2027-04-05T20:00-04:00", "2 tablets"),
        ("2027-04-06T08:00-04:00", "2 tablets"), ("2027-04-06T20:00-04:00", "2 tablets"),
        ("2027-04-07T08:00-04:00", "1 tablet"), ("2027-04-07T20:00-04:00", "1 tablet"),
        ("2027-04-08T08:00-04:00", "1 tablet"), ("2027-04-08T20:00-04:00", "1 tablet"),
        ("2027-04-09T08:00-04:00", "1 tablet"), ("2027-04-10T08:00-04:00", "1 tablet"),
        ("2027-04-11T08:00-04:00", "1 tablet"),
    ]  # fmt: skip


def test_before_breakfast_with_an_offset() -> None:
    """ACM with offset 30: 30 minutes before the person's breakfast, before eating."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "when": ["ACM"],
                    "offset": 30,
                    "boundsDuration": {"value": 2, "code": "d"},
                }
            },
            "doseAndRate": tablets(1),
        },
        start="2027-03-01",
    )
    assert instants(reading) == ["2027-03-01T06:30-05:00", "2027-03-02T06:30-05:00"]
    assert {e.dose.meal for e in reading.entries} == {Meal.BEFORE}


def test_mondays_only_across_the_spring_change() -> None:
    """A dayOfWeek mon with a timeOfDay: the Mondays of March 2027, in EST then EDT."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 1,
                    "period": 1,
                    "periodUnit": "wk",
                    "dayOfWeek": ["mon"],
                    "timeOfDay": ["09:00:00"],
                    "boundsPeriod": {"start": "2027-03-01", "end": "2027-03-31"},
                }
            },
            "doseAndRate": tablets(1),
        }
    )
    assert instants(reading) == [
        "2027-03-01T09:00-05:00", "2027-03-08T09:00-05:00", "2027-03-15T09:00-04:00",
        "2027-03-22T09:00-04:00", "2027-03-29T09:00-04:00",
    ]  # fmt: skip


def test_fixed_times_of_day_keep_the_wall_clock() -> None:
    """A timeOfDay of 08:00 and 20:00 stay at 08:00 and 20:00 local time across DST."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 2,
                    "period": 1,
                    "periodUnit": "d",
                    "timeOfDay": ["08:00:00", "20:00:00"],
                    "boundsPeriod": {"start": "2027-03-13", "end": "2027-03-14"},
                }
            },
            "doseAndRate": tablets(1),
        }
    )
    assert instants(reading) == [
        "2027-03-13T08:00-05:00", "2027-03-13T20:00-05:00",
        "2027-03-14T08:00-04:00", "2027-03-14T20:00-04:00",
    ]  # fmt: skip
    assert reading.assumptions == ()


def test_every_8_hours_count_bounded_keeps_elapsed_time_across_dst() -> None:
    """Q8H for 5 doses from 22:00: 8 h apart in UTC, so 07:00 EDT after the change."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 1,
                    "period": 8,
                    "periodUnit": "h",
                    "count": 5,
                    "boundsPeriod": {"start": "2027-03-13T22:00:00-05:00"},
                }
            },
            "doseAndRate": tablets(1),
        }
    )
    assert instants(reading) == [
        "2027-03-13T22:00-05:00", "2027-03-14T07:00-04:00", "2027-03-14T15:00-04:00",
        "2027-03-14T23:00-04:00", "2027-03-15T07:00-04:00",
    ]  # fmt: skip


def test_a_count_that_ends_within_a_day_keeps_only_the_first_doses() -> None:
    """TID with count 7: two full days, then only the morning dose of the third."""
    reading = read(
        {
            "timing": {
                "repeat": {"frequency": 3, "period": 1, "periodUnit": "d", "count": 7}
            },
            "doseAndRate": tablets(1),
        },
        start="2027-03-01",
    )
    assert instants(reading) == [
        "2027-03-01T08:00-05:00", "2027-03-01T14:00-05:00", "2027-03-01T20:00-05:00",
        "2027-03-02T08:00-05:00", "2027-03-02T14:00-05:00", "2027-03-02T20:00-05:00",
        "2027-03-03T08:00-05:00",
    ]  # fmt: skip


def test_a_lifetime_maximum_is_a_limit_over_the_whole_plan() -> None:
    """A maxDosePerLifetime of 10 tablets over a 14-day course: 5000 mg in its 14 days."""
    reading = read(
        {
            "timing": {
                "code": {"coding": [{"code": "QD"}]},
                "repeat": {"boundsDuration": {"value": 14, "code": "d"}},
            },
            "doseAndRate": tablets(1),
            "maxDosePerLifetime": {"value": 10, "code": "{tablet}"},
        },
        start="2027-03-01",
    )
    assert reading.rules == (
        MaxAmount(
            "amoxicillin", "5000 mg", per=timedelta(days=14), source="FHIR dosage"
        ),
    )
    assert any("maxDosePerLifetime" in a for a in reading.assumptions)
    assert len(instants(reading)) == 14


def test_a_single_dose_at_an_event() -> None:
    """timing.event alone: one dose at that moment."""
    reading = read(
        {"timing": {"event": ["2027-03-01T09:30:00-05:00"]}, "doseAndRate": tablets(2)}
    )
    assert instants(reading) == ["2027-03-01T09:30-05:00"]


def test_every_other_day() -> None:
    """QOD for a week: days 1, 3, 5 and 7 at the assumed 08:00."""
    reading = read(
        {
            "timing": {
                "code": {"coding": [{"code": "QOD"}]},
                "repeat": {"boundsDuration": {"value": 7, "code": "d"}},
            },
            "doseAndRate": tablets(1),
        },
        start="2027-03-01",
    )
    assert instants(reading) == [
        "2027-03-01T08:00-05:00", "2027-03-03T08:00-05:00",
        "2027-03-05T08:00-05:00", "2027-03-07T08:00-05:00",
    ]  # fmt: skip


def test_a_dose_range_and_a_strength_in_mg() -> None:
    """A doseRange of 500-1000 mg of a 500 mg tablet reads as 1-2 tablets, said as an assumption."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 1,
                    "period": 1,
                    "periodUnit": "d",
                    "timeOfDay": ["10:00:00"],
                    "boundsDuration": {"value": 1, "code": "d"},
                }
            },
            "doseAndRate": [
                {
                    "doseRange": {
                        "low": {"value": 500, "code": "mg"},
                        "high": {"value": 1000, "code": "mg"},
                    }
                }
            ],
        },
        start="2027-03-01",
    )
    (entry,) = reading.entries
    assert (str(entry.dose.low), str(entry.dose.high)) == ("1 tablet", "2 tablets")
    assert any("500 mg read as 1 tablet" in a for a in reading.assumptions)


def test_at_bedtime() -> None:
    """HS: at the person's bedtime."""
    reading = read(
        {
            "timing": {
                "repeat": {"when": ["HS"], "boundsDuration": {"value": 1, "code": "d"}}
            },
            "doseAndRate": tablets(1),
        },
        start="2027-03-01",
    )
    assert instants(reading) == ["2027-03-01T22:00-05:00"]


def test_three_times_a_week_without_days_says_which_days_it_chose() -> None:
    """3 per week with no dayOfWeek: Monday, Wednesday and Friday, said as an assumption."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "frequency": 3,
                    "period": 1,
                    "periodUnit": "wk",
                    "boundsPeriod": {"start": "2027-03-01", "end": "2027-03-07"},
                }
            },
            "doseAndRate": tablets(1),
        }
    )
    assert instants(reading) == [
        "2027-03-01T08:00-05:00", "2027-03-03T08:00-05:00", "2027-03-05T08:00-05:00",
    ]  # fmt: skip
    assert any("read as MO, WE, FR" in a for a in reading.assumptions)


def test_once_for_ten_minutes() -> None:
    """A count of 1 with a duration: one dose at the start; the 10 minutes are said, not modelled."""
    reading = read(
        {
            "timing": {
                "repeat": {
                    "duration": 10,
                    "durationUnit": "min",
                    "count": 1,
                    "boundsPeriod": {"start": "2027-03-01T11:15:00-05:00"},
                }
            },
            "doseAndRate": tablets(1),
        }
    )
    assert instants(reading) == ["2027-03-01T11:15-05:00"]
    assert any("lasts 10 min" in a for a in reading.assumptions)


def test_a_daily_count_of_doses_maximum() -> None:
    """A maxDosePerPeriod counted in doses becomes a MaxDoses rule."""
    reading = read(
        {
            "timing": {
                "code": {"coding": [{"code": "Q4H"}]},
                "repeat": {"boundsDuration": {"value": 1, "code": "d"}},
            },
            "doseAndRate": tablets(1),
            "maxDosePerPeriod": {
                "numerator": {"value": 4, "code": "{dose}"},
                "denominator": {"value": 24, "code": "h"},
            },
        },
        start="2027-03-01",
    )
    assert reading.rules == (
        MaxDoses("amoxicillin", 4, per=timedelta(hours=24), source="FHIR dosage"),
    )
    assert instants(reading)[:2] == ["2027-03-01T08:00-05:00", "2027-03-01T12:00-05:00"]


class TestRefused:
    @pytest.mark.parametrize(
        ("dosage", "problem"),
        [
            (
                {
                    "timing": {
                        "repeat": {"frequency": 1, "period": 8, "periodUnit": "hr"}
                    }
                },
                "dosage.timing.repeat.periodUnit: unknown unit 'hr' — FHIR uses 'h'",
            ),
            (
                {
                    "timing": {
                        "repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}
                    },
                    "doseAndRate": [{"rateQuantity": {"value": 5, "code": "mL/h"}}],
                },
                "dosage.doseAndRate[0].rateQuantity: a rate (an infusion) cannot be read as doses at moments; give doseQuantity or doseRange",
            ),
            (
                {
                    "timing": {
                        "repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}
                    }
                },
                "dosage.timing.repeat.boundsPeriod.start: no start date: give boundsPeriod.start, or pass start= to from_dosage",
            ),
        ],
    )
    def test_what_cannot_be_placed_in_time(self, dosage: object, problem: str) -> None:
        """Each refusal names the path and the fix."""
        with pytest.raises(LoadError) as info:
            read(dosage)
        assert info.value.problems == (problem,)
        assert "in the FHIR dosage" in str(info.value)

    def test_the_later_phase_of_an_open_phase_is_refused(self) -> None:
        """A phase without an end cannot be followed by another."""
        with pytest.raises(LoadError, match="phase 1 has no end"):
            read(
                [
                    {
                        "sequence": 1,
                        "timing": {"code": {"coding": [{"code": "QD"}]}},
                        "doseAndRate": tablets(1),
                    },
                    {
                        "sequence": 2,
                        "timing": {"code": {"coding": [{"code": "QD"}]}},
                        "doseAndRate": tablets(1),
                    },
                ],
                start="2027-03-01",
            )


def test_assumed_amounts_stay_exact() -> None:
    """A float strength (0.5 tablets as 250.0 mg) is exact, not binary."""
    reading = read(
        {
            "timing": {
                "code": {"coding": [{"code": "QD"}]},
                "repeat": {"boundsDuration": {"value": 1, "code": "d"}},
            },
            "doseAndRate": [{"doseQuantity": {"value": 250.0, "code": "mg"}}],
        },
        start="2027-03-01",
    )
    assert reading.entries[0].dose.amount.amount == Decimal("0.5")


def test_the_specification_example_whose_text_contradicts_its_structure() -> None:
    """medrx0302: "Two tablets at once" is coded as daily, "one tablet daily" as 4 a day.

    regimen follows the structure, not the free text: phase 1 is then a
    daily dose without an end, so phase 2 can never start, and the reading
    is refused with the fix. Given the count the text means, it reads.
    """
    loading = {
        "sequence": 1,
        "text": "Two tablets at once",
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "TAB", "code": "TAB"}}],
    }
    daily = {
        "sequence": 2,
        "text": "One tablet daily for 4 days",
        "timing": {"repeat": {"frequency": 4, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "TAB", "code": "TAB"}}],
    }
    with pytest.raises(LoadError, match="phase 1 has no end"):
        read([loading, daily], start="2027-03-01")
    loading["timing"] = {"repeat": {"count": 1}}
    reading = read([loading, daily], start="2027-03-01")
    got = [
        (e.at.isoformat(timespec="minutes"), str(e.amount))
        for e in reading.plan("x").timeline(end="2027-03-02")
    ]
    assert got == [
        ("2027-03-01T08:00-05:00", "2 tablets"),
        ("2027-03-02T08:00-05:00", "1 tablet"), ("2027-03-02T12:00-05:00", "1 tablet"),
        ("2027-03-02T16:00-05:00", "1 tablet"), ("2027-03-02T20:00-05:00", "1 tablet"),
    ]  # fmt: skip


class TestRegressions:
    """Readings that were wrong before the spec's instances were checked (not from the spec)."""

    def test_once_a_week_without_a_day_is_every_7_days(self) -> None:
        """WK (and 1 per 1 wk) without dayOfWeek was read as every day."""
        reading = read(
            {
                "timing": {"code": {"coding": [{"code": "WK"}]}},
                "doseAndRate": tablets(1),
            },
            start="2027-03-03",
        )
        got = [
            e.at.isoformat(timespec="minutes")
            for e in reading.plan("x").timeline(end="2027-03-17")
        ]
        assert got == [
            "2027-03-03T08:00-05:00", "2027-03-10T08:00-05:00", "2027-03-17T08:00-04:00",
        ]  # fmt: skip
        assert any("every 7 days from the start day" in a for a in reading.assumptions)

    def test_before_breakfast_every_other_day(self) -> None:
        """ACM with period 2 d was read as every day; now at 07:00 every other day."""
        reading = read(
            {
                "timing": {
                    "repeat": {
                        "frequency": 1,
                        "period": 2,
                        "periodUnit": "d",
                        "when": ["ACM"],
                        "offset": 15,
                    }
                },
                "doseAndRate": tablets(1),
            },
            start="2027-03-01",
        )
        got = [
            e.at.isoformat(timespec="minutes")
            for e in reading.plan("x").timeline(end="2027-03-05")
        ]
        assert got == [
            "2027-03-01T06:45-05:00", "2027-03-03T06:45-05:00", "2027-03-05T06:45-05:00",
        ]  # fmt: skip
        assert {e.dose.meal for e in reading.entries} == {Meal.BEFORE}
