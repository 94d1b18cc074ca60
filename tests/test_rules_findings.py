"""What findings say: measured values, cited events, unknown terms, typed dicts, file tables."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import regimen
import regimen.strategies as rst
from regimen import (
    AvoidTags,
    Break,
    BreakCadence,
    Dose,
    DoseEvent,
    Entry,
    Finding,
    Interaction,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Plan,
    Profile,
    Quantity,
    Rotation,
    Schedule,
    Severity,
    Substance,
    Timeline,
    loads,
    validate,
)
from regimen._finding import CODES, Rule

from .helpers import GREEN_MALAY, MAENG_DA, MILK_KEFIR, kratom

NY = ZoneInfo("America/New_York")
T0 = datetime(2027, 1, 3, 8, 0, tzinfo=NY)
SRC = Path(regimen.__file__).parent


def daily(start: str, end: str, *entries: Entry) -> Plan:
    """Return a UTC plan over the given dates."""
    return Plan("p", timezone="UTC", start=start, end=end, entries=entries)


def on_days(*days: int) -> Timeline:
    """One 2 g kratom dose at 08:00 on each of the given day offsets from T0."""
    return Timeline([DoseEvent(T0 + timedelta(days=d), kratom()) for d in days])


class TestBreakCadenceMeasured:
    def test_measured_is_zero_without_any_free_day(self) -> None:
        """Daily use for 60 days: 0 free days found (not the 31 failing spans), limit 3 days."""
        plan = daily(
            "2027-01-01", "2027-03-01", Entry(kratom(), Schedule.daily("09:00"))
        )
        (finding,) = BreakCadence("kratom", days=3, every=30).check(plan.timeline())
        assert finding.measured == 0
        assert finding.limit == 3
        assert finding.to_dict()["measured"] == {"value": 0, "unit": "days"}
        assert finding.to_dict()["limit"] == {"value": 3, "unit": "days"}

    def test_measured_is_the_longest_free_run_in_the_span(self) -> None:
        """Free runs of 1 and 2 days in the span: measured is 2."""
        used = [d for d in range(20) if d not in (4, 9, 10)]
        timeline = Timeline(
            [DoseEvent(T0 + timedelta(days=d), kratom()) for d in used],
        )
        (finding,) = BreakCadence("kratom", days=3, every=20).check(timeline)
        assert finding.measured == 2


class TestCitedEvents:
    def test_min_interval_cites_the_previous_dose(self) -> None:
        """The finding's events are the dose before and the dose taken too soon."""
        first = DoseEvent(T0, kratom("1 g"))
        ok = DoseEvent(T0 + timedelta(hours=5), kratom("1 g"))
        soon = DoseEvent(T0 + timedelta(hours=6), kratom("1 g"))
        (finding,) = MinInterval("kratom", "4 h").check(Timeline([first, ok, soon]))
        assert finding.events == (ok, soon)
        assert finding.at == soon.at
        assert finding.limit == timedelta(hours=4)
        assert finding.to_dict()["measured"] == {"value": "3600", "unit": "s"}

    def test_rotation_cites_that_products_days_past_the_limit(self) -> None:
        """Rotation's events are the product's doses on the days past max_days, no other product."""
        events = [
            DoseEvent(T0 + timedelta(days=d), Dose(MAENG_DA, "1 g")) for d in range(5)
        ]
        other = DoseEvent(T0 + timedelta(days=4, hours=1), Dose(GREEN_MALAY, "1 g"))
        (finding,) = Rotation("kratom", max_days=3).check(Timeline([*events, other]))
        assert finding.events == tuple(events[3:])
        assert finding.measured == 5
        assert finding.count_unit == "days"

    def test_max_consecutive_days_counts_in_days(self) -> None:
        """A run's length and the limit are day counts in JSON."""
        (finding,) = MaxConsecutiveDays("kratom", 2).check(on_days(0, 1, 2))
        assert finding.to_dict()["measured"] == {"value": 3, "unit": "days"}

    def test_max_doses_counts_doses(self) -> None:
        """A dose count says it counts doses."""
        timeline = Timeline(
            [DoseEvent(T0 + timedelta(hours=h), kratom()) for h in range(3)]
        )
        (finding,) = MaxDoses("kratom", 2, per="day").check(timeline)
        assert finding.to_dict()["measured"] == {"value": 3, "unit": "doses"}
        assert finding.to_dict()["limit"] == {"value": 2, "unit": "doses"}


class TestUnknownTerms:
    BIG_DAY = Timeline(
        [DoseEvent(T0 + timedelta(hours=h), kratom("10 g")) for h in range(3)]
    )

    def test_typo_in_a_limit_is_an_error(self) -> None:
        """MaxAmount('kratum') on a 30 g day is not ok: unknown-term names the nearest name."""
        rule = MaxAmount("kratum", "8 g", per="day")
        report = validate(self.BIG_DAY, Profile(rules=[rule]))
        assert not report.ok
        (finding,) = report.errors
        assert finding.code == "unknown-term"
        assert finding.rule is rule
        assert "'kratum'" in finding.message
        assert "did you mean 'kratom'?" in finding.message
        assert finding.message.startswith("profile.rules[0] (MaxAmount)")

    def test_names_aliases_classes_and_medications_are_known(self) -> None:
        """A rule on a class, an alias, or a medication's name or class is no unknown term."""
        rules = [
            MaxAmount("Botanical", "50 g", per="day"),
            MaxDoses("mitragyna speciosa", 5, per="day"),
            MinInterval("ssri", "1 h"),
            MinInterval("aspirin", "1 h"),
        ]
        meds: list[Substance | str] = [
            Substance("sertraline", classes={"ssri"}),
            "aspirin",
        ]
        report = validate(self.BIG_DAY, Profile(rules=rules, medications=meds))
        assert "unknown-term" not in report.codes()

    def test_break_substances_must_match(self) -> None:
        """A break naming an unknown substance is an unknown-term error, with the fix."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-10",
            entries=[Entry(kratom(), Schedule.daily("09:00"))],
            breaks=[Break("2027-01-04", "2027-01-05", substances=["kratom", "kratim"])],
        )
        (finding,) = validate(plan).findings
        assert finding.code == "unknown-term"
        assert finding.severity is Severity.ERROR
        assert finding.message.startswith(
            "plan.breaks[0] (2027-01-04 to 2027-01-05): 'kratim'"
        )
        assert "did you mean 'kratom'?" in finding.message

    def test_terms_are_known_from_the_whole_subject_not_the_window(self) -> None:
        """A rule on a substance used only outside the checked window is no typo."""
        plan = daily(
            "2027-01-01",
            "2027-01-10",
            Entry(kratom(), Schedule.daily("09:00"), start="2027-01-08"),
        )
        report = validate(
            plan,
            Profile(rules=[MaxAmount("kratom", "1 g", per="day")]),
            end="2027-01-05",
        )
        assert report.findings == ()

    def test_interaction_terms_get_an_info(self) -> None:
        """A note's term that matches nothing is an info (with a typo hint), not an error."""
        notes = [
            Interaction("kratom", "alcohol", severity="error", within="6 h", note="n"),
            Interaction("kratm", "kratom", severity="error", within="6 h", note="n"),
        ]
        report = validate(self.BIG_DAY, Profile(interactions=notes))
        assert report.ok
        assert [f.code for f in report.infos] == ["unmatched-note-term"] * 2
        first, second = sorted(report.infos, key=lambda f: f.message)
        assert first.message.startswith(
            "interactions[0]: 'alcohol' matches no substance"
        )
        assert first.rule is notes[0]
        assert second.message.endswith("did you mean 'kratom'?")

    def test_avoided_tags_are_exempt(self) -> None:
        """Avoided tags name product tags, never substances: no term finding."""
        report = validate(
            self.BIG_DAY, Profile(avoid_tags={"vegan"}, rules=[AvoidTags("gluten")])
        )
        assert report.findings == ()

    def test_codes_are_listed(self) -> None:
        """Both codes are stable codes of the library."""
        assert {"unknown-term", "unmatched-note-term"} <= CODES

    def test_as_needed_plans_report_a_term_once(self) -> None:
        """Plans with as-needed doses are checked twice; the term finding appears once."""
        plan = daily(
            "2027-01-01",
            "2027-01-02",
            Entry(kratom(), Schedule.daily("09:00")),
            Entry(kratom(), Schedule.daily("10:00"), as_needed=True),
        )
        report = validate(plan, Profile(rules=[MaxAmount("kratum", "1 g", per="day")]))
        assert [f.code for f in report.findings] == ["unknown-term"]
        assert not report.findings[0].as_needed_only


def _load_rule(rule: Any) -> Any:
    """Write *rule*'s table into a JSON plan file and load it back."""
    table = rule.to_table()
    terms = [table["substance"]] if "substance" in table else []
    doc = {
        "version": 1,
        "substances": [{"name": t} for t in terms],
        "profile": {"rules": [table]},
    }
    bundle = loads(json.dumps(doc), format="json")
    assert bundle.profile is not None
    (loaded,) = bundle.profile.rules
    return loaded


def _load_note(note: Interaction) -> Interaction:
    """Write *note*'s table into a JSON plan file and load it back."""
    names = dict.fromkeys([note.a, note.b])
    doc = {
        "version": 1,
        "substances": [{"name": t} for t in names],
        "interactions": [note.to_table()],
    }
    bundle = loads(json.dumps(doc), format="json")
    assert bundle.profile is not None
    (loaded,) = bundle.profile.interactions
    return loaded


EVERY_KIND = [
    MaxAmount("kratom", "8 g", per="day"),
    MaxAmount("kratom", "2.5 g", per="dose", severity="warning", source="my own limit"),
    MaxAmount("kratom", "10 g", per=timedelta(hours=24), day_start=time(4)),
    MaxAmount("kratom", "1.5 fl oz", per="week"),
    MaxDoses("kratom", 3, per="day", day_start=time(4, 30, 15)),
    MaxDoses("kratom", 2, per=timedelta(minutes=90, microseconds=5)),
    MinInterval("kratom", timedelta(hours=1, minutes=30), severity="info"),
    MaxConsecutiveDays("kratom", 7),
    BreakCadence("kratom", days=3, every=30),
    Rotation("kratom", max_days=5, source="label"),
    AvoidTags({"lactose", "added sugar"}, severity="warning"),
]


class TestTables:
    @pytest.mark.parametrize("rule", EVERY_KIND, ids=repr)
    def test_loads_reads_to_table_back_to_an_equal_rule(self, rule: Any) -> None:
        """Every built-in rule kind round-trips through its plan-file table."""
        assert _load_rule(rule) == rule

    @given(rst.rules())
    def test_generated_rules_round_trip(self, rule: Any) -> None:
        """Any generated built-in rule loads back equal from its table."""
        assert _load_rule(rule) == rule

    @given(rst.interactions())
    def test_generated_interactions_round_trip(self, note: Interaction) -> None:
        """Any generated interaction note loads back equal from its table."""
        assert _load_note(note) == note

    def test_to_table_leaves_defaults_out(self) -> None:
        """Defaults are left out; everything else is text as a person writes it."""
        assert MaxAmount("kratom", "8 g", per="day").to_table() == {
            "type": "max-amount",
            "substance": "kratom",
            "amount": "8 g",
            "per": "day",
        }
        assert MaxDoses(
            "kratom", 2, per="24 h", severity="info", day_start="04:00", source="s"
        ).to_table() == {
            "type": "max-doses",
            "substance": "kratom",
            "count": 2,
            "per": "24 h",
            "severity": "info",
            "day_start": "04:00",
            "source": "s",
        }
        note = Interaction(
            "kratom", "alcohol", severity="warning", within="90 min", note="n"
        )
        assert note.to_table() == {
            "a": "kratom",
            "b": "alcohol",
            "severity": "warning",
            "within": "1 h 30 min",
            "note": "n",
        }

    def test_finding_dict_holds_the_table_not_a_repr(self) -> None:
        """Finding.to_dict()['rule'] is the rule's table, and JSON-ready."""
        rule = MaxAmount("kratom", "8 g", per="day", severity="warning")
        timeline = Timeline([DoseEvent(T0, kratom("9 g"))])
        data = json.loads(
            json.dumps(validate(timeline, Profile(rules=[rule])).to_dict())
        )
        (finding,) = data["findings"]
        assert finding["rule"] == rule.to_table()
        assert finding["measured"] == {"value": "9", "unit": "g"}
        assert finding["limit"] == {"value": "8", "unit": "g"}
        assert "<Severity" not in json.dumps(data)

    def test_user_rules_are_written_by_name_and_repr(self) -> None:
        """A rule of one's own without to_table is its class name and repr."""

        @attrs.frozen
        class Late:
            def check(self, timeline: Timeline) -> Iterable[Finding]:
                return [Finding("late-dose", "info", "late", rule=self)]

        (finding,) = validate(on_days(0), Profile(rules=[Late()])).findings
        assert finding.to_dict()["rule"] == {"type": "Late", "repr": "Late()"}
        assert isinstance(Late(), Rule)


class TestFindingFields:
    def test_measured_and_limit_are_typed(self) -> None:
        """measured/limit hold a Quantity, an int or a timedelta, nothing else."""
        with pytest.raises(TypeError, match=r"Finding\.measured must be a Quantity"):
            Finding("x", "info", "m", measured="5 g")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"Finding\.limit must be a Quantity"):
            Finding("x", "info", "m", limit=True)
        with pytest.raises(TypeError, match=r"Finding\.rule must be a rule"):
            Finding("x", "info", "m", rule="MaxAmount")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"Finding\.count_unit"):
            Finding("x", "info", "m", count_unit=" ")

    def test_quantities_in_json_are_exact_text(self) -> None:
        """An amount is exact decimal text with its unit; a duration is seconds."""
        finding = Finding(
            "x",
            "info",
            "m",
            measured=Quantity("10.50", "fl oz"),
            limit=timedelta(microseconds=1500),
        )
        assert finding.to_dict()["measured"] == {"value": "10.5", "unit": "fl oz"}
        assert finding.to_dict()["limit"] == {"value": "0.0015", "unit": "s"}


class TestProfile:
    def test_text_medication_equals_what_a_file_loads(self) -> None:
        """Profile(medications=['sertraline']) equals the profile a file loads back."""
        made = Profile(medications=["sertraline"])
        assert made.medications == (Substance("sertraline"),)
        doc = {"version": 1, "profile": {"medications": ["sertraline"]}}
        assert loads(json.dumps(doc), format="json").profile == made

    def test_day_start_accepts_text(self) -> None:
        """Profile(day_start='04:00') is the file's text form; nonsense is refused by field."""
        assert Profile(day_start="04:00").day_start == time(4)
        assert MaxAmount("k", "1 g", per="day", day_start="04:00").day_start == time(4)
        with pytest.raises(ValueError, match=r"Profile\.day_start"):
            Profile(day_start="25:00")

    @pytest.mark.parametrize("tags", [[""], ["lactose", "  "]])
    def test_empty_avoided_tag_is_refused(self, tags: list[str]) -> None:
        """An empty avoided tag is a ValueError naming the field, at construction."""
        with pytest.raises(
            ValueError, match=r"Profile\.avoid_tags must not contain an empty tag"
        ):
            Profile(avoid_tags=tags)

    def test_empty_avoided_tag_in_a_file_is_a_load_error(self) -> None:
        """A file with avoid_tags = [""] is refused at load time, not by validate."""
        with pytest.raises(regimen.LoadError, match=r"Profile\.avoid_tags"):
            loads('[profile]\navoid_tags = [""]\n')


class TestExactTotals:
    def test_day_total_past_forty_digits(self) -> None:
        """A 41-digit day total is summed exactly and reported, not raised."""
        big = "1234567890123456789012345678901234567890 g"
        timeline = Timeline(
            [
                DoseEvent(T0, Dose(MAENG_DA, big)),
                DoseEvent(T0 + timedelta(hours=1), Dose(MAENG_DA, "0.5 g")),
            ]
        )
        (finding,) = MaxAmount("kratom", "8 g", per="day").check(timeline)
        assert finding.measured == Quantity.parse(big) + Quantity.parse("0.5 g")
        assert finding.message.startswith(
            "1234567890123456789012345678901234567890.5 g of kratom on 2027-01-03"
        )
        assert finding.to_dict()["measured"] == {
            "value": "1234567890123456789012345678901234567890.5",
            "unit": "g",
        }

    def test_wide_range_of_exponents_in_one_window(self) -> None:
        """Amounts from 1e30 g to 1e-30 g in one window are summed without a context limit."""
        timeline = Timeline(
            [
                DoseEvent(T0, Dose(MAENG_DA, Quantity(Decimal("1e30"), "g"))),
                DoseEvent(T0, Dose(MILK_KEFIR, "1 fl oz")),
                DoseEvent(
                    T0 + timedelta(minutes=1),
                    Dose(MAENG_DA, Quantity(Decimal("1e-30"), "g")),
                ),
            ]
        )
        (finding,) = MaxAmount("kratom", "1 g", per=timedelta(hours=1)).check(timeline)
        assert isinstance(finding.measured, Quantity)
        assert finding.measured.amount == Decimal("1" + "0" * 30 + "." + "0" * 29 + "1")
        assert len(finding.events) == 2


def test_errors_module_imports_nothing_of_regimen() -> None:
    """_errors depends on nothing in regimen, so _report -> _errors is one way."""
    tree = ast.parse((SRC / "_errors.py").read_text(encoding="utf-8"))
    imported = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert imported == []
    assert regimen.PlanViolationError.__module__ == "regimen"
    assert issubclass(regimen.PlanViolationError, regimen.RegimenError)


def test_rule_modules_stay_small() -> None:
    """The rule modules are each at most about 400 lines."""
    for name in ("_rules", "_rules_base", "_rules_window", "_rules_days"):
        lines = (SRC / f"{name}.py").read_text(encoding="utf-8").count("\n")
        assert lines <= 420, name


def test_avoided_tags_in_an_as_needed_plan_are_reported_once() -> None:
    """The profile's avoided tags give one finding, not a second 'as-needed only' copy."""
    plan = daily(
        "2027-01-01",
        "2027-01-01",
        Entry(Dose(MILK_KEFIR, "6 fl oz"), Schedule.daily("08:00")),
        Entry(Dose(MILK_KEFIR, "6 fl oz"), Schedule.daily("12:00"), as_needed=True),
    )
    report = validate(plan, Profile(avoid_tags={"lactose"}))
    assert [(f.code, f.as_needed_only) for f in report.findings] == [
        ("avoid-tag", False)
    ]


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(rst.timelines(), rst.profiles())
def test_unknown_terms_match_the_oracle(timeline: Timeline, profile: Profile) -> None:
    """Exactly the rules and notes whose terms match no substance at hand are reported."""
    at_hand = [*timeline.substances, *profile.medications]

    def unknown(term: str) -> bool:
        return not any(s.matches(term) for s in at_hand)

    report = validate(timeline, profile)
    rules = {
        f"profile.rules[{i}]"
        for i, r in enumerate(profile.rules)
        if isinstance(getattr(r, "substance", None), str) and unknown(r.substance)  # type: ignore[attr-defined]
    }
    notes = {
        (f"interactions[{i}]", t)
        for i, n in enumerate(profile.interactions)
        for t in (n.a, n.b)
        if unknown(t)
    }
    got_rules = {
        f.message.split(" ", 1)[0] for f in report.findings if f.code == "unknown-term"
    }
    got_notes = {
        (f.message.split(":", 1)[0], f.message.split("'")[1])
        for f in report.findings
        if f.code == "unmatched-note-term"
    }
    assert got_rules == rules
    assert got_notes == notes
    assert all(
        f.severity is Severity.INFO
        for f in report.findings
        if f.code == "unmatched-note-term"
    )


def test_interaction_is_a_rule() -> None:
    """Interaction satisfies the Rule protocol, so Finding.rule can hold it."""
    note = Interaction("kratom", "alcohol", severity="info", within="1 h", note="n")
    assert isinstance(note, Rule)
    assert Finding("interaction", "info", "m", rule=note).rule is note
