"""The FHIR R4 MedicationRequest examples' dosageInstruction, read into instants worked out by hand.

Sources (hl7.org/fhir/R4/medicationrequest03NN.json was not reachable here):

* medrx0301-0310, 0312, 0313: an R4 JSON copy of the examples (R4 shape:
  ``doseAndRate``, ``asNeededCodeableConcept``, ``reasonCode``,
  terminology.hl7.org systems) found in the search index as file id
  7521209162; its repository is not named by the index. medrx0306, 0307,
  0310 agree element for element with the next source.
* medrx0316, 0320, 0326, 0327, 0330, 0331, 0336: rebuilt from the element
  values asserted by the generated R4 4.0.1 test
  gwaffen-mck/fhir.resources fhir/resources/tests/test_medicationrequest.py
  (header: "Release: R4, Version: 4.0.1"), which asserts every element of
  each example's dosageInstruction.
* HL7/fhir source/medicationrequest/*.xml was checked too, but the stored
  versions are not R4 (0302 is STU3-shaped, 0305 R6-shaped with
  ``safety.doseLimit``), so nothing below is taken from them.

Each ``dosageInstruction`` is the example's, element for element (the
resource's other elements are left out); the helpers below build the blocks
the examples repeat with the examples' exact values. Where the example's
``text`` contradicts its structure, the test says which one regimen follows
(always the structure) and why. Examples whose dose cannot be a regimen
amount (mg/m2, mg/kg, U, ea, patch) or that are rates are refused with the
path and the reason.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from regimen import LoadError, MaxAmount, Product, Substance
from regimen.fhir import Reading, from_dosage

ZONE = "America/New_York"  # EST -05:00; EDT -04:00 from 2027-03-14 03:00
UCUM = "http://unitsofmeasure.org"
SCT = "http://snomed.info/sct"
FORM = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm"
ORDERED = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/dose-rate-type",
                       "code": "ordered", "display": "Ordered"}]}  # fmt: skip
ORAL = {"coding": [{"system": SCT, "code": "26643006", "display": "Oral Route"}]}
SWALLOW = {"coding": [{"system": SCT, "code": "421521009",
                       "display": "Swallow - dosing instruction imperative (qualifier value)"}]}  # fmt: skip
DROWSY = [{"coding": [{"system": SCT, "code": "418914006", "display": (
    "Warning. May cause drowsiness. If affected do not drive or operate machinery. "
    "Avoid alcoholic drink (qualifier value)")}]}]  # fmt: skip
FOOD = [
    {"coding": [{"system": SCT, "code": "311504000", "display": "With or after food"}]}
]


def tab(n: int) -> dict[str, Any]:
    return {"value": n, "unit": "TAB", "system": FORM, "code": "TAB"}


def dose(quantity: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": ORDERED, "doseQuantity": quantity}]


def daily(n: int) -> dict[str, Any]:
    return {"repeat": {"frequency": n, "period": 1, "periodUnit": "d"}}


def request(rx: str, *dosages: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": rx,
        "dosageInstruction": list(dosages),
    }


def tablet(name: str, strength: str, per: str = "1 tablet") -> Product:
    return Product(
        name, contents={Substance(name.split(maxsplit=1)[0]): strength}, per=per
    )


def read(value: object, product: Product, start: str | None = None) -> Reading:
    return from_dosage(value, product=product, timezone=ZONE, start=start)  # type: ignore[arg-type]


def window(reading: Reading, end: str) -> list[str]:
    return [
        e.at.isoformat(timespec="minutes") for e in reading.plan("x").timeline(end=end)
    ]


def test_medrx0301_one_to_two_tablets_every_4_to_6_hours_as_needed() -> None:
    """R4 medicationrequest0301.json dosageInstruction[0]: as needed for rib pain.

    No bounds, so the start is given; every 4 h of elapsed time from the
    assumed 08:00, so 00:00 EST is followed by 05:00 EDT.
    """
    rx = request("medrx0301", {
        "sequence": 1,
        "text": "one to two tablets every 4-6 hours as needed for rib pain",
        "additionalInstruction": DROWSY,
        "patientInstruction": "Take one to two tablets every four to six hours as needed for rib pain",
        "timing": {"repeat": {"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"}},
        "asNeededCodeableConcept": {"coding": [{"system": SCT, "code": "297217002",
                                                "display": "Rib Pain (finding)"}]},
        "route": ORAL,
        "method": SWALLOW,
        "doseAndRate": [{"type": ORDERED, "doseRange": {"low": tab(1), "high": tab(2)}}],
    })  # fmt: skip
    reading = read(rx, tablet("oxycodone 5 mg", "5 mg"), "2027-03-13")
    assert window(reading, "2027-03-14") == [
        "2027-03-13T08:00-05:00", "2027-03-13T12:00-05:00", "2027-03-13T16:00-05:00",
        "2027-03-13T20:00-05:00", "2027-03-14T00:00-05:00", "2027-03-14T05:00-04:00",
        "2027-03-14T09:00-04:00", "2027-03-14T13:00-04:00", "2027-03-14T17:00-04:00",
        "2027-03-14T21:00-04:00",
    ]  # fmt: skip
    (entry,) = reading.entries
    assert entry.as_needed
    assert (str(entry.dose.low), str(entry.dose.high)) == ("1 tablet", "2 tablets")


class TestMedrx0302TextContradictsStructure:
    """R4 medicationrequest0302.json dosageInstruction[0] and [1].

    The text says "Two tablets at once" (one dose) then "One tablet daily
    for 4 days"; the structure says a daily dose without an end, then four
    doses a day without an end. regimen follows the structure, never the
    prose: phase 1 then never ends, so phase 2 cannot start, and the
    reading is refused with that reason and the fix. Given the ``count``
    of 1 the first text means, it reads as the rest of the structure says.
    """

    LOADING: ClassVar[dict[str, Any]] = {
        "sequence": 1, "text": "Two tablets at once", "additionalInstruction": FOOD,
        "timing": daily(1), "route": ORAL, "method": SWALLOW, "doseAndRate": dose(tab(2)),
    }  # fmt: skip
    DAILY: ClassVar[dict[str, Any]] = {
        "sequence": 2, "text": "One tablet daily for 4 days", "additionalInstruction": FOOD,
        "timing": daily(4), "route": ORAL, "doseAndRate": dose(tab(1)),
    }  # fmt: skip
    CAPSULE = tablet("azithromycin 250 mg", "250 mg")

    def test_as_written_it_is_refused(self) -> None:
        with pytest.raises(LoadError, match="phase 1 has no end"):
            read(
                request("medrx0302", self.LOADING, self.DAILY),
                self.CAPSULE,
                "2027-03-01",
            )

    def test_with_the_count_the_text_means(self) -> None:
        once = {**self.LOADING, "timing": {"repeat": {"count": 1}}}
        reading = read(
            request("medrx0302", once, self.DAILY), self.CAPSULE, "2027-03-01"
        )
        got = [(e.at.isoformat(timespec="minutes"), str(e.amount))
               for e in reading.plan("x").timeline(end="2027-03-02")]  # fmt: skip
        assert got == [
            ("2027-03-01T08:00-05:00", "2 tablets"),
            ("2027-03-02T08:00-05:00", "1 tablet"), ("2027-03-02T12:00-05:00", "1 tablet"),
            ("2027-03-02T16:00-05:00", "1 tablet"), ("2027-03-02T20:00-05:00", "1 tablet"),
        ]  # fmt: skip


def test_medrx0303_taper_by_sequence_with_bounds_periods() -> None:
    """R4 medicationrequest0303.json dosageInstruction[0..2]: a prednisone taper.

    Each text says "for 7 days", but the boundsPeriods hold 5 days
    (16-20 Jan), 8 days (23-30 Jan) and 7 days (31 Jan-6 Feb), with no doses
    on 21 and 22 Jan. regimen follows the boundsPeriods: dates are the
    structure a program can check, and the texts disagree with each other
    (the second says "starting January 23" like its bounds, not 7 days).
    """

    def phase(n: int, text: str, start: str, end: str, tablets: int) -> dict[str, Any]:
        repeat = {"boundsPeriod": {"start": start, "end": end}, "frequency": 1,
                  "period": 1, "periodUnit": "d"}  # fmt: skip
        return {"sequence": n, "text": text, "timing": {"repeat": repeat}, "route": ORAL,
                "method": SWALLOW, "doseAndRate": dose(tab(tablets))}  # fmt: skip

    rx = request(
        "medrx0303",
        phase(1, "Take 4 tablets daily for 7 days starting January 16, 2015",
              "2015-01-16", "2015-01-20", 4),
        phase(2, "Take 2 tablets daily for 7 days starting January 23, 2015",
              "2015-01-23", "2015-01-30", 2),
        phase(3, "Take 1 tablets daily for 7 days starting January 31, 2015",
              "2015-01-31", "2015-02-06", 1),
    )  # fmt: skip
    reading = read(rx, tablet("prednisone 5 mg", "5 mg"))
    got = [(e.at.isoformat(timespec="minutes"), str(e.amount))
           for e in reading.plan("x").timeline()]  # fmt: skip
    assert got == [
        ("2015-01-16T08:00-05:00", "4 tablets"), ("2015-01-17T08:00-05:00", "4 tablets"),
        ("2015-01-18T08:00-05:00", "4 tablets"), ("2015-01-19T08:00-05:00", "4 tablets"),
        ("2015-01-20T08:00-05:00", "4 tablets"),
        ("2015-01-23T08:00-05:00", "2 tablets"), ("2015-01-24T08:00-05:00", "2 tablets"),
        ("2015-01-25T08:00-05:00", "2 tablets"), ("2015-01-26T08:00-05:00", "2 tablets"),
        ("2015-01-27T08:00-05:00", "2 tablets"), ("2015-01-28T08:00-05:00", "2 tablets"),
        ("2015-01-29T08:00-05:00", "2 tablets"), ("2015-01-30T08:00-05:00", "2 tablets"),
        ("2015-01-31T08:00-05:00", "1 tablet"), ("2015-02-01T08:00-05:00", "1 tablet"),
        ("2015-02-02T08:00-05:00", "1 tablet"), ("2015-02-03T08:00-05:00", "1 tablet"),
        ("2015-02-04T08:00-05:00", "1 tablet"), ("2015-02-05T08:00-05:00", "1 tablet"),
        ("2015-02-06T08:00-05:00", "1 tablet"),
    ]  # fmt: skip


def test_medrx0304_ten_drops_four_times_daily() -> None:
    """R4 medicationrequest0304.json dosageInstruction[0]: nystatin drops, QID.

    The example codes the drop as 'drop' with the UCUM system (UCUM's code
    is '[drp]'); regimen reads the word as its drop unit.
    """
    rx = request("medrx0304", {
        "sequence": 1,
        "text": "10 drops four times daily - apply in mouth using cotton swab or finger",
        "timing": daily(4),
        "doseAndRate": dose({"value": 10, "unit": "drop", "system": UCUM, "code": "drop"}),
    })  # fmt: skip
    nystatin = Product("nystatin suspension", contents={Substance("nystatin"): "1 drop"},
                       per="1 drop")  # fmt: skip
    reading = read(rx, nystatin, "2027-03-01")
    assert window(reading, "2027-03-01") == [
        "2027-03-01T08:00-05:00", "2027-03-01T12:00-05:00",
        "2027-03-01T16:00-05:00", "2027-03-01T20:00-05:00",
    ]  # fmt: skip
    assert str(reading.entries[0].dose.amount) == "10 drops"


def test_medrx0305_every_6_to_12_hours_with_a_limit_per_administration() -> None:
    """R4 medicationrequest0305.json dosageInstruction[0]: alprazolam as needed, 15-20 Jan 2015.

    The text says "Do not exceed more than 4mg per day"; the structure says
    maxDosePerAdministration 4 mg. regimen follows the structure (a limit
    per dose): a limit per day is a different rule, and inventing it from
    prose would check something the order never coded.
    """
    rx = request("medrx0305", {
        "sequence": 1,
        "text": ("0.25mg PO every 6-12 hours as needed for menses from Jan 15-20, 2015.  "
                 "Do not exceed more than 4mg per day"),
        "additionalInstruction": DROWSY,
        "timing": {"repeat": {"boundsPeriod": {"start": "2015-01-15", "end": "2015-01-20"},
                              "frequency": 1, "period": 6, "periodMax": 12,
                              "periodUnit": "h"}},
        "asNeededCodeableConcept": {"coding": [{"system": SCT, "code": "266599000",
                                                "display": "Dysmenorrhea (disorder)"}]},
        "route": ORAL,
        "doseAndRate": dose(tab(1)),
        "maxDosePerAdministration": {"value": 4, "unit": "mg", "system": UCUM, "code": "mg"},
    })  # fmt: skip
    reading = read(rx, tablet("alprazolam 0.25 mg", "0.25 mg"))
    assert window(reading, "2015-01-20") == [
        "2015-01-15T08:00-05:00", "2015-01-15T14:00-05:00", "2015-01-15T20:00-05:00",
        "2015-01-16T02:00-05:00", "2015-01-16T08:00-05:00", "2015-01-16T14:00-05:00",
        "2015-01-16T20:00-05:00", "2015-01-17T02:00-05:00", "2015-01-17T08:00-05:00",
        "2015-01-17T14:00-05:00", "2015-01-17T20:00-05:00", "2015-01-18T02:00-05:00",
        "2015-01-18T08:00-05:00", "2015-01-18T14:00-05:00", "2015-01-18T20:00-05:00",
        "2015-01-19T02:00-05:00", "2015-01-19T08:00-05:00", "2015-01-19T14:00-05:00",
        "2015-01-19T20:00-05:00", "2015-01-20T02:00-05:00", "2015-01-20T08:00-05:00",
        "2015-01-20T14:00-05:00", "2015-01-20T20:00-05:00",
    ]  # fmt: skip
    assert reading.rules == (
        MaxAmount("alprazolam", "4 mg", per="dose", source="FHIR dosageInstruction[0]"),
    )


def test_medrx0306_a_strength_read_as_tablets() -> None:
    """R4 medicationrequest0306.json dosageInstruction[0]: 6 mg daily of a 2 mg tablet: 3 tablets."""
    rx = request("medrx0306", {
        "sequence": 1,
        "text": ("6 mg PO daily for remission induction; adjust dosage to white blood cell "
                 "(WBC) count.  With hold treatment if WBC is less than 15,000/µL; resume "
                 "when WBC is greater than 50,000/µL"),
        "timing": daily(1),
        "route": {"coding": [{"system": SCT, "code": "26643006",
                              "display": "Oral route (qualifier value)"}]},
        "doseAndRate": dose({"value": 6, "unit": "mg", "system": UCUM, "code": "mg"}),
    })  # fmt: skip
    reading = read(rx, tablet("busulfan 2 mg", "2 mg"), "2027-03-13")
    assert window(reading, "2027-03-14") == [
        "2027-03-13T08:00-05:00", "2027-03-14T08:00-04:00",
    ]  # fmt: skip
    assert str(reading.entries[0].dose.amount) == "3 tablets"
    assert any("6 mg read as 3 tablets" in a for a in reading.assumptions)


@pytest.mark.parametrize("rx", ["medrx0307", "medrx0308"])
def test_medrx0307_and_0308_one_tablet_every_four_hours_as_needed(rx: str) -> None:
    """R4 medicationrequest0307.json and 0308.json dosageInstruction[0] (the same dosage)."""
    dosage = {
        "sequence": 1,
        "text": "1 tablet every four hours as needed for pain",
        "additionalInstruction": DROWSY,
        "timing": {"repeat": {"frequency": 1, "period": 4, "periodUnit": "h"}},
        "asNeededCodeableConcept": {"coding": [{"system": SCT, "code": "203082005",
                                                "display": "Fibromyalgia (disorder)"}]},
        "route": ORAL,
        "doseAndRate": dose(tab(1)),
    }  # fmt: skip
    reading = read(request(rx, dosage), tablet("oxycodone 5 mg", "5 mg"), "2027-03-01")
    assert window(reading, "2027-03-01") == [
        "2027-03-01T08:00-05:00", "2027-03-01T12:00-05:00",
        "2027-03-01T16:00-05:00", "2027-03-01T20:00-05:00",
    ]  # fmt: skip
    assert all(e.as_needed for e in reading.entries)


class TestMedrx0309:
    """R4 medicationrequest0309.json dosageInstruction[0]: capecitabine, 22 Jan-4 Feb 2016.

    The dose is 1000 mg/m2, per body surface, which regimen cannot measure:
    refused with the path. The text says "twice daily"; the structure says
    once every 2 days. regimen follows the structure: with the dose given
    as a number of tablets, 7 doses every other day, not 28.
    """

    DOSAGE: ClassVar[dict[str, Any]] = {
        "sequence": 1,
        "text": "1000 mg/m2 orally twice daily from days 1-14 of cycle",
        "timing": {"repeat": {"boundsPeriod": {"start": "2016-01-22", "end": "2016-02-04"},
                              "frequency": 1, "period": 2, "periodUnit": "d"}},
        "route": ORAL,
        "doseAndRate": dose({"value": 1000, "unit": "mg/m2", "system": UCUM,
                             "code": "mg/m2"}),
    }  # fmt: skip
    PRODUCT = tablet("capecitabine 500 mg", "500 mg")

    def test_a_dose_per_body_surface_is_refused(self) -> None:
        with pytest.raises(LoadError) as info:
            read(request("medrx0309", self.DOSAGE), self.PRODUCT)
        (problem,) = info.value.problems
        assert problem.startswith(
            "dosageInstruction[0].doseAndRate[0].doseQuantity.code: unknown unit 'mg/m2'"
        )

    def test_the_structure_is_every_other_day(self) -> None:
        dosage = {**self.DOSAGE, "doseAndRate": dose(tab(2))}
        reading = read(request("medrx0309", dosage), self.PRODUCT)
        assert window(reading, "2016-02-04") == [
            "2016-01-22T08:00-05:00", "2016-01-24T08:00-05:00", "2016-01-26T08:00-05:00",
            "2016-01-28T08:00-05:00", "2016-01-30T08:00-05:00", "2016-02-01T08:00-05:00",
            "2016-02-03T08:00-05:00",
        ]  # fmt: skip


def test_medrx0310_at_bedtime_only_in_the_text() -> None:
    """R4 medicationrequest0310.json dosageInstruction[0]: "once daily at bedtime as needed".

    "At bedtime" is only prose (the text and an additionalInstruction text);
    the timing is once a day with no ``when``. regimen follows the
    structure, so the dose goes at the assumed once-a-day time (08:00,
    said); a reader who wants bedtime gives ``when: ["HS"]``.
    """
    rx = request("medrx0310", {
        "sequence": 1,
        "text": "Take 1-2 tablets once daily at bedtime as needed for restless legs",
        "additionalInstruction": [{"text": "Take at bedtime"}],
        "timing": daily(1),
        "asNeededCodeableConcept": {"coding": [{"system": SCT, "code": "32914008",
                                                "display": "Restless Legs"}]},
        "route": ORAL,
        "doseAndRate": [{"type": ORDERED, "doseRange": {"low": tab(1), "high": tab(2)}}],
    })  # fmt: skip
    reading = read(rx, tablet("acetaminophen 500 mg", "500 mg"), "2027-03-13")
    assert window(reading, "2027-03-14") == [
        "2027-03-13T08:00-05:00", "2027-03-14T08:00-04:00",
    ]  # fmt: skip
    assert any("read as QD at 08:00" in a for a in reading.assumptions)


def test_medrx0312_a_strength_read_as_millilitres() -> None:
    """R4 medicationrequest0312.json dosageInstruction[0]: 100 mg of a 25 mg/mL suspension, TID."""
    rx = request("medrx0312", {
        "sequence": 1,
        "text": "100mg (4ml) three times daily",
        "timing": daily(3),
        "route": {"coding": [{"system": SCT, "code": "26643006",
                              "display": "Oral Route (qualifier value)"}]},
        "doseAndRate": dose({"value": 100, "unit": "mg", "system": UCUM, "code": "mg"}),
    })  # fmt: skip
    suspension = Product("phenytoin 25 mg/mL", contents={Substance("phenytoin"): "25 mg"},
                         per="1 ml")  # fmt: skip
    reading = read(rx, suspension, "2027-03-01")
    assert window(reading, "2027-03-01") == [
        "2027-03-01T08:00-05:00", "2027-03-01T14:00-05:00", "2027-03-01T20:00-05:00",
    ]  # fmt: skip
    assert str(reading.entries[0].dose.amount) == "4 ml"


def test_medrx0313_for_5_days_only_in_the_text() -> None:
    """R4 medicationrequest0313.json dosageInstruction[0]: "500mg daily for 5 days".

    The 5 days are only in the text (and in the dispense request's
    expected supply); the timing has no bounds. regimen follows the
    structure: the plan has no end, and the caller bounds it.
    """
    rx = request("medrx0313", {
        "sequence": 1,
        "text": "500mg daily for 5 days",
        "additionalInstruction": [{"coding": [{"system": SCT, "code": "421984009", "display":
            "Until finished - dosing instruction fragment (qualifier value)"}]}],
        "timing": daily(1),
        "route": {"coding": [{"system": SCT, "code": "26643006",
                              "display": "Oral Route (qualifier value)"}]},
        "doseAndRate": dose({"value": 500, "unit": "mg", "system": UCUM, "code": "mg"}),
    })  # fmt: skip
    reading = read(
        rx, tablet("azithromycin 250 mg", "250 mg", "1 capsule"), "2027-03-01"
    )
    assert reading.end is None
    assert len(window(reading, "2027-03-31")) == 31
    assert str(reading.entries[0].dose.amount) == "2 capsules"


def test_medrx0330_one_drop_twice_daily() -> None:
    """R4 medicationrequest0330.json dosageInstruction[0]: "Instil one drop in each eye twice daily".

    The unit is the HL7 v3 orderableDrugForm code OPDROP, read as a drop.
    The text means a drop in each eye (2 per administration); the structure
    says 1. regimen follows the structure.
    """
    rx = request("medrx0330", {
        "sequence": 1,
        "text": "Instil one drop in each eye twice daily",
        "timing": daily(2),
        "route": {"coding": [{"system": SCT, "code": "54485002",
                              "display": "Ophthalmic route (qualifier value)"}]},
        "method": {"coding": [{"system": SCT, "code": "421538008", "display":
                               "Instill - dosing instruction imperative (qualifier value)"}]},
        "doseAndRate": dose({"value": 1, "unit": "OPDROP", "system": FORM, "code": "OPDROP"}),
    })  # fmt: skip
    drops = Product(
        "eye drops", contents={Substance("timolol"): "1 drop"}, per="1 drop"
    )
    reading = read(rx, drops, "2027-03-01")
    assert window(reading, "2027-03-01") == [
        "2027-03-01T08:00-05:00", "2027-03-01T20:00-05:00",
    ]  # fmt: skip
    assert str(reading.entries[0].dose.amount) == "1 drop"


def test_medrx0331_seven_mg_once_daily() -> None:
    """R4 medicationrequest0331.json dosageInstruction[0]: 7 mg once daily of a 1 mg tablet."""
    rx = request("medrx0331", {
        "sequence": 1, "text": "7mg once daily", "timing": daily(1),
        "doseAndRate": dose({"value": 7, "unit": "mg", "system": UCUM, "code": "mg"}),
    })  # fmt: skip
    reading = read(rx, tablet("warfarin 1 mg", "1 mg"), "2027-03-14")
    assert window(reading, "2027-03-15") == [
        "2027-03-14T08:00-04:00", "2027-03-15T08:00-04:00",
    ]  # fmt: skip
    assert str(reading.entries[0].dose.amount) == "7 tablets"


REFUSED = [
    # R4 medicationrequest0316.json dosageInstruction[0]: an infusion per kg, 16 cycles.
    ("medrx0316", {
        "sequence": 1,
        "text": "1.8 mg/kg IV infusion over 20 minutes every 3 weeks for 16 cycles",
        "timing": {"repeat": {"count": 16, "frequency": 1, "period": 3, "periodUnit": "wk"}},
        "route": {"coding": [{"system": SCT, "code": "255560000", "display": "Intravenous"}]},
        "doseAndRate": [{
            "type": ORDERED,
            "doseQuantity": {"value": 1.8, "unit": "mg/kg", "system": UCUM, "code": "mg/kg"},
            "rateRatio": {"numerator": {"value": 1.8, "system": UCUM, "code": "mg/kg"},
                          "denominator": {"value": 20, "system": UCUM, "code": "min"}},
        }],
        "maxDosePerLifetime": {"value": 400, "unit": "mg", "system": UCUM, "code": "mg"},
    }, ["dosageInstruction[0].doseAndRate[0].rateRatio: a rate (an infusion) cannot be read",
        "dosageInstruction[0].doseAndRate[0].doseQuantity.code: unknown unit 'mg/kg'"]),
    # R4 medicationrequest0320.json dosageInstruction[0]: insulin in units.
    ("medrx0320", {
        "sequence": 1, "text": "20 Units SC three times daily", "timing": daily(3),
        "route": {"coding": [{"system": SCT, "code": "263887005",
                              "display": "Subcutaneous (qualifier value)"}]},
        "doseAndRate": dose({"value": 20, "unit": "U", "system": UCUM, "code": "U"}),
    }, ["dosageInstruction[0].doseAndRate[0].doseQuantity.code: unknown unit 'U'"]),
    # R4 medicationrequest0326.json dosageInstruction[0]: the text says two sprays, the dose 1 'ea'.
    ("medrx0326", {
        "sequence": 1, "text": "Use two sprays twice daily",
        "additionalInstruction": [{"text": "Shake Well"}], "timing": daily(2),
        "doseAndRate": dose({"value": 1, "unit": "ea", "system": UCUM, "code": "ea"}),
    }, ["dosageInstruction[0].doseAndRate[0].doseQuantity.code: unknown unit 'ea'"]),
    # R4 medicationrequest0327.json dosageInstruction[0]: a patch three times a week.
    ("medrx0327", {
        "sequence": 1, "text": "apply one patch three times per week",
        "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "wk"}},
        "doseAndRate": dose({"value": 1, "unit": "patch", "system": FORM, "code": "patch"}),
    }, ["dosageInstruction[0].doseAndRate[0].doseQuantity.code: unknown unit 'patch'"]),
    # R4 medicationrequest0336.json dosageInstruction[0]: a dopamine infusion rate.
    ("medrx0336", {
        "sequence": 1, "text": "Dopamine 4mcg/kg/min",
        "timing": {"repeat": {"duration": 33.33, "durationUnit": "h"}},
        "route": {"coding": [{"system": SCT, "code": "47625008",
                              "display": "Intravenous route (qualifier value)"}]},
        "doseAndRate": [{"type": ORDERED, "rateQuantity": {"value": 4, "unit": "ug/kg/min",
                                                           "system": UCUM}}],
    }, ["dosageInstruction[0].doseAndRate[0].rateQuantity: a rate (an infusion) cannot be read"]),
]  # fmt: skip


@pytest.mark.parametrize(("rx", "dosage", "problems"), REFUSED)
def test_what_regimen_cannot_measure_is_refused(
    rx: str, dosage: dict[str, Any], problems: list[str]
) -> None:
    """Doses per body weight, in units or 'each', patches and rates: refused, each with its path."""
    with pytest.raises(LoadError) as info:
        read(request(rx, dosage), tablet("drug 1 mg", "1 mg"), "2027-03-01")
    got = info.value.problems
    assert len(got) == len(problems)
    for problem, want in zip(sorted(got), sorted(problems), strict=True):
        assert problem.startswith(want)
