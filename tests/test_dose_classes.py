"""Sourced dose classes: tables, dose-class infos, DoseClassLimit, files and summaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseClasses,
    DoseClassLimit,
    DoseEvent,
    Entry,
    LoadError,
    Plan,
    Product,
    Profile,
    Quantity,
    Schedule,
    Substance,
    Timeline,
    UnitError,
    allowance,
    dumps,
    loads,
    summarize,
    validate,
)
from regimen import strategies as rst

A = DoseClasses(
    source="table A (example)",
    thresholds={"light": "1 g", "common": "3 g", "strong": "5 g", "heavy": "8 g"},
)
B = DoseClasses(
    source="table B (example)",
    thresholds={"light": "500 mg", "common": "1.5 g", "strong": "3 g"},
)
KRATOM = Substance("kratom", classes={"botanical"}, dose_classes=[A, B])
POWDER = Product("Maeng Da", contents={KRATOM: "1 g"}, per="1 g")
T0 = datetime(2027, 1, 3, 8, tzinfo=UTC)


def _log(*grams: str) -> Timeline:
    return Timeline(
        DoseEvent(T0 + timedelta(hours=4 * i), Dose(POWDER, g))
        for i, g in enumerate(grams)
    )


class TestTables:
    def test_classes_begin_at_their_threshold(self) -> None:
        """An amount is in the class whose threshold it reaches last; below all, in none."""
        assert A.classify(Quantity.parse("5 g")) == "strong"
        assert A.classify(Quantity.parse("4999 mg")) == "common"
        assert A.classify(Quantity.parse("0.999 g")) is None
        assert A.classify(Quantity.parse("80 g")) == "heavy"
        assert B.threshold("COMMON") == Quantity.parse("1.5 g")

    @pytest.mark.parametrize(
        ("source", "thresholds", "error", "message"),
        [
            ("", {"light": "1 g"}, ValueError, "source is required"),
            ("x", {}, ValueError, "at least one class"),
            ("x", {"light": "2 g", "common": "2 g"}, ValueError, "not above 2 g"),
            ("x", {"light": "1 g", "common": "3 ml"}, UnitError, "share a dimension"),
            ("x", {"light": "1 g", "Light": "3 g"}, ValueError, "twice"),
            ("x", {"light": "0 g"}, ValueError, "more than zero"),
        ],
    )
    def test_invalid_tables(
        self,
        source: str,
        thresholds: dict[str, str],
        error: type[Exception],
        message: str,
    ) -> None:
        """A table needs a source and rising thresholds of one dimension."""
        with pytest.raises(error, match=message):
            DoseClasses(source=source, thresholds=thresholds)

    @given(rst.dose_classes(), st.integers(0, 25_000))
    def test_classify_matches_a_scan_in_milligrams(
        self, table: DoseClasses, milligrams: int
    ) -> None:
        """classify() is the last class whose threshold, in mg, is at most the amount."""
        amount = Quantity(milligrams, "mg")
        expected = None
        for name, threshold in table.thresholds.items():
            if Decimal(milligrams) >= threshold.to("mg").amount:
                expected = name
        assert table.classify(amount) == expected


class TestFindings:
    def test_every_table_reports_naming_its_source(self) -> None:
        """validate() gives one dose-class info per amount and table, with the class and source."""
        report = validate(_log("5 g", "5 g", "1 g", "0.4 g"))
        messages = sorted(f.message for f in report.findings)
        first = "the first 2027-01-03 08:00 UTC"
        assert messages == [
            "1 g of kratom is 'light' according to table A (example) "
            "(1 dose of this amount, the first 2027-01-03 16:00 UTC)",
            "1 g of kratom is 'light' according to table B (example) "
            "(1 dose of this amount, the first 2027-01-03 16:00 UTC)",
            f"5 g of kratom is 'strong' according to table A (example) (2 doses of this amount, {first})",
            f"5 g of kratom is 'strong' according to table B (example) (2 doses of this amount, {first})",
        ]
        assert {f.code for f in report.findings} == {"dose-class"}
        assert report.ok

    @given(
        st.lists(st.sampled_from(["0.4 g", "1 g", "2500 mg", "3 g", "9 g"]), max_size=8)
    )
    def test_infos_match_classifying_each_dose(self, grams: list[str]) -> None:
        """The infos name exactly the (amount, table, class) of every dose that has a class."""
        log = _log(*grams)
        expected = {
            (str(e.contents[KRATOM]), t.source, t.classify(e.contents[KRATOM]))
            for e in log
            for t in KRATOM.dose_classes
            if t.classify(e.contents[KRATOM]) is not None
        }
        found = {
            (
                str(f.measured),
                f.message.split(" according to ")[1].rsplit(" (", 1)[0],
                f.message.split("'")[1],
            )
            for f in validate(log).findings
        }
        assert found == expected


class TestLimit:
    def test_limit_by_the_chosen_table(self) -> None:
        """A dose reaching the next class's threshold breaks the limit; one below does not."""
        rule = DoseClassLimit(
            "botanical", above="common", according_to="TABLE A (example)"
        )
        report = validate(_log("4.9 g", "5 g", "9 g"), Profile(rules=[rule]))
        errors = [f.message for f in report.errors]
        assert errors == [
            "5 g of kratom is 'strong' according to table A (example); "
            "limit: 'common' at most (below 5 g)",
            "9 g of kratom is 'heavy' according to table A (example); "
            "limit: 'common' at most (below 5 g)",
        ]
        assert [(f.measured, f.limit) for f in report.errors] == [
            (Quantity.parse("5 g"), Quantity.parse("5 g")),
            (Quantity.parse("9 g"), Quantity.parse("5 g")),
        ]
        # The first table by default (2 g is 'light'); table B calls 2 g 'common'.
        first = validate(
            _log("2 g"), Profile(rules=[DoseClassLimit("kratom", above="light")])
        )
        assert first.ok
        other = DoseClassLimit(
            "kratom", above="light", according_to="table B (example)"
        )
        assert not validate(_log("2 g"), Profile(rules=[other])).ok

    def test_a_typo_does_not_silence_the_limit(self) -> None:
        """A class or table the substance lacks is reported with the rule's severity."""
        typo = DoseClassLimit("kratom", above="comon")
        (finding,) = validate(_log("1 g"), Profile(rules=[typo])).errors
        assert "have no class 'comon'" in finding.message
        elsewhere = DoseClassLimit("kratom", above="common", according_to="table C")
        (finding,) = validate(_log("1 g"), Profile(rules=[elsewhere])).errors
        assert "no dose-class table of kratom comes from 'table C'" in finding.message

    def test_a_substance_without_tables_or_an_unknown_term(self) -> None:
        """A limit on a substance without tables, or on a term nothing has, says so."""
        plain = Product("plain", contents={Substance("kratom"): "1 g"}, per="1 g")
        log = Timeline([DoseEvent(T0, Dose(plain, "9 g"))])
        (finding,) = validate(
            log, Profile(rules=[DoseClassLimit("kratom", above="common")])
        ).errors
        assert finding.message.startswith("kratom has no dose-class tables")
        typo = validate(
            _log("1 g"), Profile(rules=[DoseClassLimit("kratum", above="common")])
        )
        assert [f.code for f in typo.errors] == ["unknown-term"]

    def test_allowance_by_its_definition(self) -> None:
        """allowance() answers the limit as validation does: below the next threshold."""
        profile = Profile(rules=[DoseClassLimit("kratom", above="common")])
        at = T0 + timedelta(days=1)
        answer = allowance(Timeline(), profile, KRATOM, at=at, product=POWDER)
        assert answer.amount is not None
        assert Quantity.parse("4.99 g") < answer.amount < Quantity.parse("5 g")
        ok = Timeline([DoseEvent(at, Dose(POWDER, answer.amount))])
        assert validate(ok, profile).ok
        assert not validate(_log("5 g"), profile).ok

    def test_round_trip_through_a_file(self) -> None:
        """The rule and the tables are written and read back equal."""
        text = FILE + RULE.format(extra='according_to = "table B (example)"')
        bundle = loads(text)
        assert bundle.substances[0].dose_classes == (A, B)
        assert bundle.profile is not None
        assert bundle.profile.rules == (
            DoseClassLimit("kratom", above="common", according_to="table B (example)"),
        )
        assert loads(dumps(bundle)) == bundle
        assert loads(dumps(bundle, format="json"), format="json") == bundle


FILE = """
[[substances]]
name = "kratom"

[[substances.dose_classes]]
source = "table A (example)"
thresholds = { light = "1 g", common = "3 g", strong = "5 g", heavy = "8 g" }

[[substances.dose_classes]]
source = "table B (example)"
thresholds = { light = "500 mg", common = "1.5 g", strong = "3 g" }

[[products]]
name = "Maeng Da"
per = "1 g"
contents = { kratom = "1 g" }
"""
RULE = """
[[profile.rules]]
type = "dose-class"
substance = "kratom"
above = "common"
{extra}
"""


class TestFiles:
    @pytest.mark.parametrize(
        ("old", "new", "problem"),
        [
            (
                'source = "table A (example)"\n',
                "",
                "substances[0].dose_classes[0].source: required key missing",
            ),
            (
                'common = "3 g"',
                'common = "0.5 g"',
                "substances[0].dose_classes[0]: DoseClasses.thresholds['common'] is 0.5 g, not above 1 g",
            ),
            (
                'thresholds = { light = "500 mg"',
                'thresholds = { light = "1 tsp"',
                "substances[0].dose_classes[1]: DoseClasses.thresholds['common'] is 1.5 g, which does not convert",
            ),
        ],
    )
    def test_problems_name_their_path(self, old: str, new: str, problem: str) -> None:
        """A table without a source, or with thresholds that do not rise, names its path."""
        with pytest.raises(LoadError) as caught:
            loads(FILE.replace(old, new, 1))
        assert any(p.startswith(problem) for p in caught.value.problems), (
            caught.value.problems
        )

    def test_rule_problems(self) -> None:
        """A dose-class rule needs its class; other rules refuse its keys."""
        with pytest.raises(LoadError, match=r"a 'dose-class' rule needs above"):
            loads(FILE + RULE.replace('above = "common"', "").format(extra=""))
        wrong = '\n[[profile.rules]]\ntype = "max-amount"\nsubstance = "kratom"\namount = "8 g"\nper = "day"\nabove = "x"\n'
        with pytest.raises(LoadError, match=r"above does not apply to a 'max-amount'"):
            loads(FILE + wrong)


class TestSummary:
    def test_class_column(self) -> None:
        """The typical day shows each row's class by every table, only when one applies."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-02",
            entries=[Entry(Dose(POWDER, "5 g"), Schedule.daily("08:00"))],
        )
        summary = summarize(plan)
        assert [r.dose_class for r in summary.rows] == ["strong / strong"]
        lines = summary.to_text().splitlines()
        assert lines[3].split() == ["time", "item", "amount", "class", "note"]
        assert lines[4].split() == [
            "08:00",
            "Maeng",
            "Da",
            "5",
            "g",
            "strong",
            "/",
            "strong",
        ]
        plain = Product("plain", contents={Substance("kefir"): "1 serving"})
        other = Plan(
            "q",
            timezone="UTC",
            start="2027-01-01",
            entries=[Entry(Dose(plain, "1 serving"), Schedule.daily("08:00"))],
            end="2027-01-01",
        )
        assert "class" not in summarize(other).to_text().splitlines()[3]
