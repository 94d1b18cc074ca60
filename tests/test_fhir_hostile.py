"""Untrusted FHIR JSON: from_dosage gives a Reading or a LoadError, nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from regimen import LoadError, Product, Substance
from regimen.fhir import from_dosage

TABLET = Product("t", contents={Substance("drug"): "5 mg"}, per="1 tablet")
KEYS = [
    "timing", "repeat", "event", "code", "coding", "frequency", "frequencyMax",
    "period", "periodMax", "periodUnit", "dayOfWeek", "timeOfDay", "when", "offset",
    "boundsDuration", "boundsPeriod", "start", "end", "count", "countMax", "duration",
    "durationUnit", "doseAndRate", "doseQuantity", "doseRange", "low", "high", "value",
    "unit", "system", "maxDosePerPeriod", "numerator", "denominator",
    "maxDosePerAdministration", "maxDosePerLifetime", "asNeededBoolean",
    "asNeededCodeableConcept", "asNeededFor", "asNeeded", "sequence", "text",
    "resourceType", "dosageInstruction",
]  # fmt: skip
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "d",
            "h",
            "wk",
            "mo",
            "a",
            "min",
            "s",
            "hr",
            "mg",
            "{tablet}",
            "BID",
            "Q8H",
            "ACM",
            "HS",
            "mon",
            "08:00:00",
            "25:00:00",
            "2027-03-01",
            "2027-03-01T08:00:00Z",
            "0001-01-01",
            "9999-12-31T23:59:59-12:00",
            "MedicationRequest",
            "1e999",
            "",
        ]
    ),
    st.text(max_size=8),
)
TREES: st.SearchStrategy[Any] = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    ),
    max_leaves=30,
)


@given(TREES, st.sampled_from([None, "2027-03-01"]))
def test_only_a_reading_or_a_load_error(tree: Any, start: str | None) -> None:
    """Whatever the JSON holds, no raw exception escapes and the result is usable."""
    problems: tuple[str, ...] = ()
    try:
        reading = from_dosage(
            tree, product=TABLET, timezone="Europe/Berlin", start=start
        )
    except LoadError as exc:
        problems = exc.problems
    if problems:
        assert all(isinstance(p, str) and ": " in p for p in problems)
        return
    end = reading.end
    if end is None or (end - reading.start).days > 400:
        end = reading.start
    timeline = reading.plan("fuzz").timeline(end=end, max_events=200_000)
    assert all(event.at.tzinfo is not None for event in timeline)
    assert len(reading.profile().rules) == len(reading.rules)
