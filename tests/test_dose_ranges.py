"""Dose ranges ("2-3 g"): parsing, limits checked at the upper end, summaries, adherence, files."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    Entry,
    Finding,
    LoadError,
    MaxAmount,
    Plan,
    Product,
    Profile,
    Quantity,
    Schedule,
    Substance,
    Timeline,
    UnitError,
    adherence,
    dumps,
    loads,
    summarize,
    validate,
)
from regimen import strategies as rst
from regimen._dose import parse_amount
from regimen._ranges import at_low_end
from regimen._schema import schema
from regimen._strategies_base import positive
from regimen._units import Dimension, Unit

KRATOM = Substance("kratom")
POWDER = Product(
    "Maeng Da", contents={KRATOM: "1 g"}, per="1 g", equivalents=[("1 tsp", "2 g")]
)
PILL = Product("pill", contents={Substance("x"): "5 mg"}, per="1 capsule")
UPPER = " (if the upper end of each range is taken)"


class TestParse:
    @pytest.mark.parametrize(
        ("text", "low", "high"),
        [
            ("2-3 g", "2 g", "3 g"),
            ("2\u20133 g", "2 g", "3 g"),
            ("2 g-3 g", "2 g", "3 g"),
            ("2 - 3 g", "2 g", "3 g"),
            ("1/2-1 tsp", "0.5 tsp", "1 tsp"),
            ("1 1/2-2 tsp", "1.5 tsp", "2 tsp"),
            ("500 mg-1 g", "500 mg", "1 g"),
            ("1-2 capsules", "1 capsule", "2 capsules"),
        ],
    )
    def test_written_ranges(self, text: str, low: str, high: str) -> None:
        """Each way of writing a range gives its two ends; the amount is the high end."""
        dose = Dose(POWDER if "capsule" not in text else PILL, text)
        assert (dose.low, dose.high) == (Quantity.parse(low), Quantity.parse(high))
        assert dose.amount == dose.high
        assert dose.is_range

    def test_a_fixed_dose_has_equal_ends(self) -> None:
        """A fixed dose's low and high are its amount; it writes as before."""
        dose = Dose(POWDER, "2.5 g")
        assert dose.low is dose.high is dose.amount
        assert not dose.is_range
        assert (dose.amount_text, str(dose)) == ("2.5 g", "2.5 g Maeng Da")
        assert "amount=Quantity('2.5', 'g')" in repr(dose)

    def test_a_pair_of_quantities(self) -> None:
        """A (low, high) pair is a range too, equal to its text."""
        dose = Dose(POWDER, (Quantity(2, "g"), "3 g"))
        assert dose == Dose(POWDER, "2-3 g")
        assert hash(dose) == hash(Dose(POWDER, "2000 mg-3 g"))
        assert dose != Dose(POWDER, "3 g")

    def test_repr_and_str_write_the_range(self) -> None:
        """str() and repr() write the range as a person does; evolve keeps it."""
        dose = Dose(POWDER, "2\u20133 g", note="with water")
        assert str(dose) == "2-3 g Maeng Da"
        assert "amount='2-3 g'" in repr(dose)
        assert attrs.evolve(dose, note="") == Dose(POWDER, "2-3 g")

    @pytest.mark.parametrize(
        ("text", "error", "words"),
        [
            ("3-2 g", ValueError, ["'3-2 g'", "smaller amount first", "'2-3 g'"]),
            ("0-2 g", ValueError, ["more than zero", "'0-2 g'"]),
            ("1 tsp-3 capsules", UnitError, ["tsp and capsule", "one kind"]),
            ("2--3 g", ValueError, ["low end", "'2--3 g'", "write a range like"]),
            ("2-3", ValueError, ["high end", "'2-3'"]),
        ],
    )
    def test_bad_ranges_name_field_value_and_fix(
        self, text: str, error: type[Exception], words: list[str]
    ) -> None:
        """A range out of order, at zero, across kinds of unit or unreadable is refused, saying why."""
        with pytest.raises(error) as info:
            Dose(POWDER, text)
        assert str(info.value).startswith("Dose.amount")
        for word in words:
            assert word in str(info.value)

    def test_capsules_and_tablets_do_not_mix(self) -> None:
        """Two count units are one dimension but do not convert: no range across them."""
        with pytest.raises(UnitError, match="capsule and tablet"):
            Dose(PILL, (Quantity(1, "capsule"), Quantity(2, "tablet")))

    @given(
        st.sampled_from([Unit.G, Unit.MG, Unit.TSP, Unit.ML, Unit.CAPSULE]).flatmap(
            lambda u: st.tuples(
                positive((u,), max_value=50), positive((u,), max_value=50)
            )
        ),
        st.sampled_from(["-", "\u2013", " - ", " \u2013 "]),
        st.booleans(),
    )
    def test_text_round_trip(
        self, ends: tuple[Quantity, Quantity], dash: str, unit_twice: bool
    ) -> None:
        """Writing a range and reading it back gives the same ends, however it was written."""
        low, high = sorted(ends)
        first = str(low) if unit_twice else f"{low.amount:f}"
        text = f"{first}{dash}{high}"
        got = parse_amount(text)
        assert got == (low, high)
        product = PILL if low.unit.dimension is Dimension.COUNT else POWDER
        dose = Dose(product, text)
        assert Dose(product, dose.amount_text) == dose
        assert parse_amount(dose.amount_text) == got


def _at(dose: Dose, end: str) -> Dose:
    return Dose(dose.product, getattr(dose, end), meal=dose.meal, note=dose.note)


def _fixed(plan: Plan, end: str) -> Plan:
    """Return *plan* with every dose fixed at its low or high end (the oracle's plans)."""
    return attrs.evolve(
        plan, entries=[attrs.evolve(e, dose=_at(e.dose, end)) for e in plan.entries]
    )


def _shown(finding: Finding) -> tuple[object, ...]:
    return (
        finding.code,
        finding.severity,
        finding.message,
        finding.at,
        finding.as_needed_only,
    )


def _same(finding: Finding) -> tuple[object, ...]:
    """Return what identifies a finding across validations: code, rule (by value) and key."""
    return (finding.code, repr(finding.rule), finding.key)


def _ranged_plans() -> st.SearchStrategy[Plan]:
    ranged = rst.entries().filter(lambda e: e.dose.is_range)
    return rst.plans(entries=ranged | rst.entries(), max_days=10, max_entries=3).filter(
        lambda p: any(e.dose.is_range for e in p.entries)
    )


class TestValidation:
    @settings(max_examples=40)
    @given(
        _ranged_plans(),
        rst.profiles(terms=st.sampled_from(["kratom", "botanical", "kefir"])),
    )
    def test_checked_at_the_high_end_marked_when_absent_at_the_low_end(
        self, plan: Plan, profile: Profile
    ) -> None:
        """A plan with ranges validates as its high-end plan; the marker is on exactly the findings its low-end plan lacks."""
        report = validate(plan, profile)
        high = validate(_fixed(plan, "high"), profile)
        low = validate(_fixed(plan, "low"), profile)
        unmarked = [
            attrs.evolve(f, message=f.message.removesuffix(UPPER), upper_end_only=False)
            for f in report.findings
        ]
        assert Counter(map(_shown, unmarked)) == Counter(map(_shown, high.findings))
        at_low = {_same(f) for f in low.findings}
        for finding in report.findings:
            absent = _same(finding) not in at_low
            assert finding.upper_end_only == absent
            assert finding.message.endswith(UPPER) == absent

    def test_example_limit_passed_only_at_the_upper_end(self) -> None:
        """2-3 g three times a day passes an 8 g daily limit only at the upper end (9 g; 6 g at the lower)."""
        plan = Plan(
            "p",
            timezone="Europe/Berlin",
            start="2027-01-04",
            end="2027-01-04",
            entries=[
                Entry(Dose(POWDER, "2-3 g"), Schedule.daily("08:00", "14:00", "20:00"))
            ],
        )
        report = validate(plan, Profile(rules=[MaxAmount("kratom", "8 g", per="day")]))
        [finding] = report.findings
        assert finding.message == "9 g of kratom on 2027-01-04; limit 8 g" + UPPER
        assert finding.upper_end_only
        assert finding.to_dict()["upper_end_only"] is True
        seven = validate(plan, Profile(rules=[MaxAmount("kratom", "5 g", per="day")]))
        assert [f.upper_end_only for f in seven.findings] == [False]

    def test_a_range_dose_is_its_own_kind_in_the_index(self) -> None:
        """The index keeps '2-3 g' apart from '3 g', and rules add up the high end."""
        berlin = ZoneInfo("Europe/Berlin")
        log = Timeline(
            [
                DoseEvent(
                    datetime(2027, 1, 4, 8, tzinfo=berlin), Dose(POWDER, "2-3 g")
                ),
                DoseEvent(datetime(2027, 1, 4, 9, tzinfo=berlin), Dose(POWDER, "3 g")),
            ]
        )
        index = log._idx
        assert len({k.dose for k in index.kinds}) == 2  # fills the table, too
        assert [d.amount_text for d in index.table.doses] == ["2-3 g", "3 g"]
        report = validate(log, Profile(rules=[MaxAmount("kratom", "5 g", per="day")]))
        assert [f.measured for f in report.findings] == [Quantity(6, "g")]
        low = at_low_end(log)
        assert [str(e.amount) for e in low] == ["2 g", "3 g"]
        assert [e.at for e in low] == [e.at for e in log]


def _taper_plan() -> Plan:
    return Plan(
        "ranges",
        timezone="Europe/Berlin",
        start="2027-01-04",
        end="2027-01-10",
        entries=[
            Entry(Dose(POWDER, "2-3 g"), Schedule.daily("08:00")),
            Entry(Dose(POWDER, "1-2 g"), Schedule.weekly(["MO", "WE"], "20:00")),
        ],
    )


class TestSummary:
    def test_rows_and_totals_show_the_ranges(self) -> None:
        """Rows write each range; daily totals go from the low ends to the high ends."""
        summary = summarize(_taper_plan())
        rows = [(str(r.time), r.amount_text, r.days) for r in summary.rows]
        assert rows == [("08:00:00", "2-3 g", 7), ("20:00:00", "1-2 g", 2)]
        [kratom] = summary.substances
        totals = kratom.planned
        assert totals is not None
        # Mo and We: 2-3 g + 1-2 g = 3-5 g; the other five days 2-3 g.
        assert (totals.min_low, totals.min) == (Quantity(2, "g"), Quantity(3, "g"))
        assert (totals.max_low, totals.max) == (Quantity(3, "g"), Quantity(5, "g"))
        mean_low = Decimal(2 * 3 + 5 * 2) / 7
        assert totals.mean_low.amount == pytest.approx(mean_low)
        text = summary.to_text()
        assert re.search(r"08:00\s+Maeng Da\s+2-3 g", text)
        assert re.search(r"kratom\s+2-3 g\s+2\.29-3\.57 g\s+3-5 g", text)
        assert "| 08:00 | Maeng Da | 2-3 g |" in summary.to_markdown()
        data = json.loads(json.dumps(summary.to_dict()))
        row = data["schedule"][0]
        assert (row["amount"], row["low"], row["high"]) == ("2-3 g", "2 g", "3 g")
        assert data["substances"][0]["daily"]["max"] == "3-5 g"


class TestAdherence:
    @given(positive((Unit.G, Unit.MG), max_value=6))
    def test_inside_the_range_is_on_target(self, taken: Quantity) -> None:
        """A taken amount inside 2-3 g has no difference; outside, the difference is from the nearest end."""
        berlin = ZoneInfo("Europe/Berlin")
        plan = Plan(
            "p",
            timezone="Europe/Berlin",
            start="2027-01-04",
            end="2027-01-04",
            entries=[Entry(Dose(POWDER, "2-3 g"), Schedule.daily("08:00"))],
        )
        at = datetime(2027, 1, 4, 8, 5, tzinfo=berlin)
        log = Timeline([DoseEvent(at, Dose(POWDER, taken))])
        result = adherence(plan, log, at=at + timedelta(hours=1))
        [record] = result.doses
        low, high = Quantity(2, "g"), Quantity(3, "g")
        if taken < low:
            assert record.amount_difference == taken - low
        elif taken > high:
            assert record.amount_difference == taken - high
        else:
            assert record.amount_difference is None
        if record.amount_difference is not None:
            assert record.amount_difference.unit is Unit.G
        assert result.to_dict()["doses"][0]["planned_amount"] == "2-3 g"


class TestFiles:
    TEXT = """
version = 1
[[substances]]
name = "kratom"
[[products]]
name = "Maeng Da"
per = "1 g"
contents = { kratom = "1 g" }
equivalents = [["1 tsp", "2 g"]]
[plan]
name = "p"
timezone = "Europe/Berlin"
start = 2027-01-04
end = 2027-01-05
[[plan.entries]]
dose = { product = "Maeng Da", amount = "AMOUNT" }
schedule = { kind = "daily", times = ["08:00"] }
"""

    @pytest.mark.parametrize(
        ("written", "back"),
        [
            ("2\u20133 g", "2-3 g"),
            ("1/2-1 tsp", "0.5-1 tsp"),
            ("500 mg-1 g", "500 mg-1 g"),
        ],
    )
    def test_a_range_in_a_file_round_trips(self, written: str, back: str) -> None:
        """A range loads, is written back as a person writes it, and loads again equal (TOML and JSON)."""
        bundle = loads(self.TEXT.replace("AMOUNT", written))
        assert bundle.plan is not None
        assert bundle.plan.entries[0].dose.amount_text == back
        for fmt in ("toml", "json"):
            text = dumps(bundle, format=fmt)
            assert back in text
            assert loads(text, format=fmt) == bundle

    @pytest.mark.parametrize(
        ("written", "problem"),
        [
            (
                "3-2 g",
                "plan.entries[0].dose.amount: the range '3-2 g' runs from 3 g down to 2 g",
            ),
            (
                "1 tsp-2 capsules",
                "plan.entries[0].dose.amount: the range '1 tsp-2 capsules' mixes",
            ),
        ],
    )
    def test_bad_ranges_in_a_file(self, written: str, problem: str) -> None:
        """A bad range is a LoadError at the amount's path."""
        with pytest.raises(LoadError) as info:
            loads(self.TEXT.replace("AMOUNT", written))
        assert problem in str(info.value)

    @pytest.mark.parametrize(
        ("text", "valid"),
        [
            ("2-3 g", True),
            ("2\u20133 g", True),
            ("1/2-1 tsp", True),
            ("500 mg-1 g", True),
            ("2 g", True),
            ("2-", False),
            ("-3 g", False),
            ("2-3", False),
            ("0-3 g", False),
        ],
    )
    def test_the_schema_reads_ranges(self, text: str, valid: bool) -> None:
        """The JSON Schema's dose amount takes a range as the loader does."""
        pattern = schema()["$defs"]["dose_amount"]["pattern"]
        assert bool(re.search(pattern, text)) == valid
