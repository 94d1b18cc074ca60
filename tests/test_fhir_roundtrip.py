"""Plans written as FHIR Dosage read back into the same timeline, and valid FHIR R4(B) and R5 JSON."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from typing import Any, Literal

import pytest
from fhir.resources.dosage import Dosage as R5Dosage
from fhir.resources.R4B.dosage import Dosage as R4Dosage
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    Entry,
    MaxAmount,
    MaxDoses,
    Plan,
    Product,
    Profile,
    Schedule,
    Substance,
    Weekday,
)
from regimen.fhir import FhirExportError, from_dosage, to_dosage

DRUG = Substance("ibuprofen")
TABLET = Product("ibuprofen 200 mg", contents={DRUG: "200 mg"}, per="1 tablet")
POWDER = Product("powder", contents={Substance("kratom"): "1 g"}, per="1 g")
ZONES = [
    "America/New_York",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "Asia/Tokyo",
    "UTC",
]

minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
times = st.lists(minutes, min_size=1, max_size=4, unique=True)
weekdays = st.sets(st.sampled_from(list(Weekday)), min_size=1)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from(["daily", "weekly", "every", "hours", "meals"]))
    if kind == "daily":
        return Schedule.daily(*draw(times))
    if kind == "weekly":
        return Schedule.weekly(draw(weekdays), *draw(times))
    if kind == "every":
        return Schedule.every(draw(st.integers(2, 4)), *draw(times))
    if kind == "hours":
        step = draw(st.sampled_from([60, 90, 240, 360, 480, 720, 1440]))
        return Schedule.every_hours(timedelta(minutes=step), first=draw(minutes))
    offset = timedelta(minutes=draw(st.sampled_from([-60, -30, 0, 15, 30])))
    meals = ["breakfast", "lunch", "dinner"] + (
        ["bedtime"] if offset <= timedelta(0) else []
    )
    chosen = draw(st.lists(st.sampled_from(meals), min_size=1, unique=True))
    return Schedule.at_meals(*chosen, offset=offset)


@st.composite
def plans(draw: st.DrawFn) -> tuple[Plan, Profile]:
    start = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    end = start + timedelta(days=draw(st.integers(0, 12)))
    entries = []
    for _ in range(draw(st.integers(1, 3))):
        product = draw(st.sampled_from([TABLET, POWDER]))
        unit = "tablet" if product is TABLET else "g"
        low = draw(st.integers(1, 3))
        high = draw(st.integers(low, 4))
        amount = f"{low} {unit}" if low == high else f"{low}-{high} {unit}"
        first = start + timedelta(days=draw(st.integers(0, (end - start).days)))
        entries.append(
            Entry(
                Dose(product, amount),
                draw(schedules()),
                start=draw(st.sampled_from([None, first])),
                as_needed=draw(st.booleans()),
            )
        )
    meal_times = {
        "breakfast": draw(st.sampled_from(["06:30", "07:30", "08:15"])),
        "dinner": draw(st.sampled_from(["18:00", "19:45"])),
    }
    plan = Plan(
        "round trip",
        timezone=draw(st.sampled_from(ZONES)),
        start=start,
        end=end,
        entries=entries,
        meal_times=meal_times,
    )
    profile = Profile(
        rules=[
            MaxAmount("ibuprofen", "1200 mg", per=timedelta(hours=24)),
            MaxDoses("kratom", 3, per=timedelta(hours=24)),
            MaxAmount("kratom", "4 g", per="dose"),
        ]
    )
    return plan, profile


def _events(plan: Plan) -> list[tuple[Any, ...]]:
    return [
        (e.at, e.product.name, e.dose.low, e.dose.high, e.as_needed, e.dose.meal)
        for e in plan.timeline()
    ]


@pytest.mark.parametrize("version", ["R4", "R5"])
@given(case=plans())
def test_a_plan_reads_back_into_the_same_timeline(
    version: Literal["R4", "R5"], case: tuple[Plan, Profile]
) -> None:
    """to_dosage then from_dosage (through JSON text) gives the same dose events.

    R4 output validates as fhir.resources' R4B Dosage (R4B did not change
    Dosage), R5 output as its default (R5) Dosage.
    """
    plan, profile = case
    written = json.loads(json.dumps(to_dosage(plan, profile=profile, version=version)))
    model = R4Dosage if version == "R4" else R5Dosage
    for dosage in written:
        model.model_validate(dosage)
        if version == "R5":
            assert "asNeededBoolean" not in dosage
            assert isinstance(dosage.get("maxDosePerPeriod", []), list)
    meal_times = {
        name: getattr(plan.meal_times, name)
        for name in ("wake", "breakfast", "lunch", "dinner", "bedtime")
    }
    back: list[Entry] = []
    rules: set[Any] = set()
    for product in {e.dose.product for e in plan.entries}:
        mine = [
            d
            for d, e in zip(written, plan.entries, strict=True)
            if e.dose.product == product
        ]
        reading = from_dosage(
            mine, product=product, timezone=plan.timezone, meal_times=meal_times
        )
        back += reading.entries
        rules |= {r.to_table()["type"] + r.substance for r in reading.rules}
    again = Plan(
        plan.name,
        timezone=plan.timezone,
        start=plan.start,
        end=plan.end,
        entries=back,
        meal_times=plan.meal_times,
    )
    assert sorted(_events(again), key=repr) == sorted(_events(plan), key=repr)
    want = {
        r.to_table()["type"] + r.substance
        for r in profile.rules
        if isinstance(r, MaxAmount | MaxDoses)
        for e in plan.entries
        if any(s.matches(r.substance) for s in e.dose.contents)
    }
    assert rules == want


def test_two_limits_per_period_need_r5() -> None:
    """R4 holds one maxDosePerPeriod, so two are refused; R5 writes and reads back both."""
    plan = Plan(
        "two limits",
        timezone="UTC",
        start=date(2027, 3, 1),
        end=date(2027, 3, 2),
        entries=[
            Entry(Dose(TABLET, "1 tablet"), Schedule.daily("09:00"), as_needed=True)
        ],
    )
    profile = Profile(
        rules=[
            MaxAmount("ibuprofen", "1200 mg", per=timedelta(hours=24)),
            MaxDoses("ibuprofen", 4, per=timedelta(hours=24)),
        ]
    )
    with pytest.raises(FhirExportError, match="R4 Dosage holds one maxDosePerPeriod"):
        to_dosage(plan, profile=profile)
    (dosage,) = to_dosage(plan, profile=profile, version="R5")
    R5Dosage.model_validate(dosage)
    assert dosage["asNeeded"] is True
    assert len(dosage["maxDosePerPeriod"]) == 2
    reading = from_dosage(dosage, product=TABLET, timezone="UTC")
    assert {(type(r).__name__, str(getattr(r, "amount", getattr(r, "count", None))))
            for r in reading.rules} == {("MaxAmount", "1200 mg"), ("MaxDoses", "4")}  # fmt: skip
    assert all(r.per == timedelta(days=1) for r in reading.rules)


def test_an_unknown_version_is_refused() -> None:
    """Only R4 and R5 are written."""
    with pytest.raises(FhirExportError, match="version must be 'R4' or 'R5'"):
        to_dosage(Entry(Dose(TABLET, "1 tablet"), Schedule.daily("09:00")),
                  timezone="UTC", start=date(2027, 3, 1), version="R6")  # type: ignore[arg-type]  # fmt: skip


def test_every_24_hours_is_written_in_hours() -> None:
    """Regression: 24 h of elapsed time was written as period 1 d, read back as wall-clock days.

    Dublin springs forward on 2027-03-28 at 01:00: 24 h after 00:00 GMT that
    day is 01:00 IST on the 29th, which a daily reading would put at 00:00.
    """
    plan = Plan(
        "elapsed",
        timezone="Europe/Dublin",
        start=date(2027, 3, 27),
        end=date(2027, 3, 29),
        entries=[
            Entry(
                Dose(TABLET, "1 tablet"),
                Schedule.every_hours(timedelta(hours=24), first=time(0)),
            )
        ],
    )
    (dosage,) = to_dosage(plan)
    repeat = dosage["timing"]["repeat"]
    assert (repeat["period"], repeat["periodUnit"]) == (24, "h")
    back = from_dosage(dosage, product=TABLET, timezone="Europe/Dublin")
    got = [e.at.isoformat() for e in back.plan("x").timeline()]
    assert got == [
        "2027-03-27T00:00:00+00:00", "2027-03-28T00:00:00+00:00", "2027-03-29T01:00:00+01:00",
    ]  # fmt: skip
