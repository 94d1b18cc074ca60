"""Unit tests for rules, interactions, validation, reports and allowance."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from regimen import (
    AvoidTags,
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
    PlanViolationError,
    Product,
    Profile,
    Quantity,
    Report,
    Rotation,
    Rule,
    Schedule,
    Severity,
    Substance,
    Timeline,
    allowance,
    top_ups,
    validate,
)

from .helpers import GREEN_MALAY, KRATOM, MAENG_DA, MILK_KEFIR, kefir, kratom

NY = ZoneInfo("America/New_York")
T0 = datetime(2027, 1, 3, 8, 0, tzinfo=NY)
H24 = timedelta(hours=24)


def log(*items: tuple[float, str]) -> Timeline:
    """Kratom events at T0 + hours, with amounts."""
    return Timeline([DoseEvent(T0 + timedelta(hours=h), kratom(a)) for h, a in items])


class TestWindows:
    def test_total_equal_to_limit_is_fine(self) -> None:
        """'Max' means at most: exactly the limit is no finding."""
        rule = MaxAmount("kratom", "8 g", per=H24)
        assert list(rule.check(log((0, "4 g"), (12, "4 g")))) == []
        assert len(list(rule.check(log((0, "4 g"), (12, "4.5 g"))))) == 1

    def test_rolling_window_is_right_closed(self) -> None:
        """Events exactly one window apart are never in the same window."""
        rule = MaxAmount("kratom", "5 g", per=H24)
        assert list(rule.check(log((0, "4 g"), (24, "4 g")))) == []
        findings = list(rule.check(log((0, "4 g"), (23.99, "4 g"))))
        assert [f.measured for f in findings] == [Quantity(8, "g")]

    def test_equal_timestamps_count_together(self) -> None:
        """Two doses at the same instant are in the same window."""
        findings = list(
            MaxDoses("kratom", 1, per=timedelta(minutes=1)).check(
                log((0, "1 g"), (0, "2 g"))
            )
        )
        assert [f.measured for f in findings] == [2]

    def test_message_states_numbers_window_and_limit(self) -> None:
        """The message is the contract's: amount, substance, window end in local time, limit."""
        timeline = log((0, "3.5 g"), (6, "3.5 g"), (12, "3.5 g"))
        (finding,) = MaxAmount("kratom", "8 g", per=H24).check(timeline)
        assert (
            finding.message
            == "10.5 g of kratom in the 24 h ending 2027-01-03 20:00 EST; limit 8 g"
        )
        assert finding.code == "max-amount"
        assert finding.severity is Severity.ERROR
        assert finding.at == T0 + timedelta(hours=12)
        assert len(finding.events) == 3

    def test_calendar_day_and_day_start(self) -> None:
        """per='day' is the local day; day_start moves a 00:30 dose to the evening before."""
        late = Timeline(
            [
                DoseEvent(datetime(2027, 1, 3, 20, 0, tzinfo=NY), kratom("4 g")),
                DoseEvent(datetime(2027, 1, 4, 0, 30, tzinfo=NY), kratom("4 g")),
            ]
        )
        assert list(MaxAmount("kratom", "5 g", per="day").check(late)) == []
        (finding,) = MaxAmount("kratom", "5 g", per="day", day_start=time(4)).check(
            late
        )
        assert (
            finding.message
            == "8 g of kratom on the day 2027-01-03 (from 04:00); limit 5 g"
        )

    def test_week_and_dose(self) -> None:
        """per='week' is the ISO week; per='dose' looks at single doses."""
        # 2027-01-03 is a Sunday, the last day of ISO week 2026-W53.
        timeline = log((0, "3 g"), (24, "3 g"), (48, "3 g"), (72, "3 g"))
        (week,) = MaxAmount("kratom", "8 g", per="week").check(timeline)
        assert week.message.startswith("9 g of kratom in ISO week 2027-W01; limit 8 g")
        assert list(MaxAmount("kratom", "9 g", per="week").check(timeline)) == []
        (dose,) = MaxAmount("kratom", "2.5 g", per="dose").check(log((0, "3 g")))
        assert dose.message.startswith(
            "3 g of kratom in one dose at 2027-01-03 08:00 EST"
        )

    def test_one_finding_per_day_not_per_pair(self) -> None:
        """A violation repeating every day gives one finding per day."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-10",
            entries=[
                Entry(kratom("3 g"), Schedule.daily("08:00", "12:00", "16:00", "20:00"))
            ],
        )
        findings = list(
            MaxAmount("kratom", "8 g", per=timedelta(hours=12)).check(plan.timeline())
        )
        assert len(findings) == 10

    def test_multi_substance_products_and_units(self) -> None:
        """Contents of every matching substance are summed, in the limit's unit."""
        caps = Product("capsules", contents={KRATOM: "500 mg"}, per="1 capsule")
        timeline = Timeline(
            [DoseEvent(T0, Dose(caps, "4 capsules")), DoseEvent(T0, kratom("1 g"))]
        )
        (finding,) = MaxAmount("botanical", "2500 mg", per="day").check(timeline)
        assert finding.measured == Quantity(3, "g")
        assert finding.message.startswith("3000 mg of botanical on 2027-01-03")

    def test_unconvertible_contents_are_reported_not_summed(self) -> None:
        """A product whose contents cannot be expressed in the limit's unit gets a warning."""
        drops = Product("tincture", contents={KRATOM: "10 drops"}, per="1 ml")
        timeline = Timeline([DoseEvent(T0, Dose(drops, "1 ml"))])
        (finding,) = MaxAmount("kratom", "8 g", per="day").check(timeline)
        assert finding.severity is Severity.WARNING
        assert "do not convert to g" in finding.message

    @pytest.mark.parametrize(
        ("build", "match"),
        [
            (lambda: MaxAmount("kratom", "0 g", per="day"), "above zero"),
            (lambda: MaxAmount("kratom", "1 g", per="month"), "per must be 'dose'"),
            (lambda: MaxAmount("kratom", "1 g", per=timedelta(0)), "longer than zero"),
            (lambda: MaxAmount(" ", "1 g", per="day"), "name, alias or class"),
            (lambda: MaxDoses("kratom", 0, per="day"), "at least 1"),
            (lambda: MaxDoses("kratom", 2, per="dose"), "always counts one dose"),
            (lambda: MinInterval("kratom", "0 min"), "longer than zero"),
            (lambda: BreakCadence("kratom", days=7, every=3), "at least days"),
            (lambda: AvoidTags([]), "at least one non-empty tag"),
            (
                lambda: MaxAmount("kratom", "1 g", per="day", severity="fatal"),
                "severity must be one of",
            ),
            (
                lambda: MaxAmount(
                    "kratom",
                    "1 g",
                    per="day",
                    day_start="25:00",
                ),
                "day_start",
            ),
        ],
    )
    def test_invalid_rules_cannot_be_built(self, build: object, match: str) -> None:
        """Rules check their arguments and say what is wrong."""
        with pytest.raises((ValueError, TypeError), match=match):
            build()  # type: ignore[operator]

    def test_rules_are_frozen_hashable_and_pickle(self) -> None:
        """Rules are values with a readable repr."""
        rule = MaxAmount("kratom", "8 g", per="24 h")
        assert rule == MaxAmount("kratom", Quantity(8, "g"), per=H24)
        assert hash(rule) == hash(MaxAmount("kratom", "8 g", per=H24))
        assert pickle.loads(pickle.dumps(rule)) == rule
        assert "MaxAmount(substance='kratom'" in repr(rule)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            rule.amount = Quantity(1, "g")  # type: ignore[misc]


class TestOtherRules:
    def test_min_interval(self) -> None:
        """Doses closer than the interval are reported once per day; exactly the interval is fine."""
        rule = MinInterval("kratom", timedelta(hours=4))
        assert list(rule.check(log((0, "1 g"), (4, "1 g")))) == []
        (finding,) = rule.check(log((0, "1 g"), (1, "1 g"), (1.5, "1 g")))
        assert finding.measured == timedelta(minutes=30)
        assert (
            finding.message
            == "kratom taken 30 min after the previous dose, at 2027-01-03 09:30 EST; minimum interval 4 h"
        )

    def test_max_consecutive_days(self) -> None:
        """A run longer than allowed is one finding naming its dates."""
        timeline = log(*((24 * d, "1 g") for d in range(9)))
        (finding,) = MaxConsecutiveDays("kratom", 7).check(timeline)
        assert (
            finding.message
            == "kratom used on 9 days in a row, 2027-01-03 to 2027-01-11; limit 7"
        )
        assert len(finding.events) == 2

    def test_break_cadence(self) -> None:
        """A month of daily use fails 'three free days in every ten'; 4 on, 3 off passes.

        Every span counts: 7 on, 3 off would fail the spans that split a break.
        """
        entries = [Entry(kratom(), Schedule.daily("09:00"))]
        plan = Plan(
            "p", timezone="UTC", start="2027-01-01", end="2027-01-30", entries=entries
        )
        rule = BreakCadence("kratom", days=3, every=10)
        (finding,) = rule.check(plan.timeline())
        assert finding.message.startswith(
            "no 3 consecutive free days of kratom in the 10 days 2027-01-01 to 2027-01-10 (nor in any such span starting up to 2027-01-21)"
        )
        cycled = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-30",
            entries=[Entry(kratom(), Schedule.cycle(4, 3, "09:00"))],
        )
        assert list(rule.check(cycled.timeline())) == []

    def test_break_cadence_counts_free_days_at_the_end_of_the_period(self) -> None:
        """Days without events at the end of a plan are free days too."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-10",
            entries=[Entry(kratom(), Schedule.daily("09:00"), end="2027-01-07")],
        )
        assert (
            list(BreakCadence("kratom", days=3, every=10).check(plan.timeline())) == []
        )

    def test_rotation(self) -> None:
        """The same strain too many days in a row is reported; rotating is not."""
        timeline = log(*((24 * d, "1 g") for d in range(4)))
        (finding,) = Rotation("kratom", max_days=3).check(timeline)
        assert (
            finding.message
            == "Maeng Da (kratom) used on 4 days in a row, 2027-01-03 to 2027-01-06; rotate after 3"
        )
        mixed = Timeline(
            [
                DoseEvent(
                    T0 + timedelta(days=d),
                    Dose(MAENG_DA if d % 2 else GREEN_MALAY, "1 g"),
                )
                for d in range(6)
            ]
        )
        assert list(Rotation("kratom", max_days=1).check(mixed)) == []

    def test_avoid_tags(self) -> None:
        """Products with avoided tags are reported per product per day."""
        timeline = Timeline(
            [DoseEvent(T0 + timedelta(hours=h), kefir()) for h in (0, 5, 24)]
        )
        findings = list(AvoidTags({"Lactose"}).check(timeline))
        assert len(findings) == 2
        assert (
            findings[0].message
            == "milk kefir is tagged 'lactose', which you avoid (2027-01-03 08:00 EST)"
        )


ALCOHOL = Substance("ethanol", classes={"alcohol"})
BEER = Product("beer", contents={ALCOHOL: "0.05 fl oz"}, per="1 fl oz")
SSRI = Substance("sertraline", classes={"ssri"})


class TestInteractions:
    NOTE = Interaction(
        "kratom",
        "alcohol",
        severity="error",
        within=timedelta(hours=6),
        note="listed together as a combination to avoid",
        source="example article",
    )

    def test_fires_within_window_both_orders(self) -> None:
        """A beer after kratom (or before) within the window fires once for the day."""
        timeline = Timeline(
            [
                DoseEvent(T0, kratom()),
                DoseEvent(T0 + timedelta(hours=2), Dose(BEER, "12 fl oz")),
                DoseEvent(T0 - timedelta(hours=1), Dose(BEER, "12 fl oz")),
            ]
        )
        (finding,) = self.NOTE.check(timeline)
        assert finding.message == (
            "alcohol (beer at 2027-01-03 07:00 EST) and kratom (Maeng Da at 2027-01-03 08:00 EST) "
            "taken 1 h apart, within 6 h; note: listed together as a combination to avoid (source: example article)"
        )
        far = Timeline(
            [
                DoseEvent(T0, kratom()),
                DoseEvent(T0 + timedelta(hours=6, seconds=1), Dose(BEER, "12 fl oz")),
            ]
        )
        assert self.NOTE.check(far) == []

    def test_fires_while_on_medication(self) -> None:
        """A medication taken continuously matches by name or class."""
        note = Interaction(
            "kratom",
            "ssri",
            severity="warning",
            within=timedelta(hours=1),
            note="listed as an interaction",
        )
        timeline = Timeline(
            [DoseEvent(T0 + timedelta(days=d), kratom()) for d in range(3)]
        )
        findings = note.check(timeline, medications=[SSRI])
        assert len(findings) == 3
        assert (
            findings[0].message
            == "kratom (Maeng Da at 2027-01-03 08:00 EST) taken while on sertraline; note: listed as an interaction"
        )
        assert note.check(timeline, medications=["ssri"]) != []
        assert note.check(timeline, medications=["aspirin"]) == []

    def test_product_containing_both(self) -> None:
        """A product that contains both substances counts as taking them together."""
        tincture = Product(
            "tincture", contents={KRATOM: "1 g", ALCOHOL: "0.5 ml"}, per="1 ml"
        )
        (finding,) = self.NOTE.check(Timeline([DoseEvent(T0, Dose(tincture, "1 ml"))]))
        assert finding.message.startswith("tincture contains both kratom and alcohol")


class TestValidate:
    def profile(self, **kwargs: object) -> Profile:
        return Profile(rules=[MaxAmount("kratom", "4 g", per="day")], **kwargs)  # type: ignore[arg-type]

    def test_always_on_checks_without_profile(self) -> None:
        """Early redose (before onset) and untested products are reported without a profile."""
        untested = Product(
            "cheap powder", contents={KRATOM: "1 g"}, per="1 g", lab_tested=False
        )
        timeline = Timeline(
            [
                DoseEvent(T0, Dose(untested, "1 g")),
                DoseEvent(T0 + timedelta(minutes=20), kratom("1 g")),
            ]
        )
        report = validate(timeline)
        assert report.codes() == {"early-redose", "untested-product"}
        assert report.ok
        assert all(f.severity is Severity.WARNING for f in report.findings)
        early = next(f for f in report.findings if f.code == "early-redose")
        assert (
            early.message
            == "kratom taken 20 min after the previous dose, at 2027-01-03 08:20 EST; its onset is 45 min"
        )

    def test_as_needed_findings_say_so(self) -> None:
        """A finding only the as-needed top-ups cause says 'if all as-needed doses are taken'."""
        entries = top_ups(
            MAENG_DA,
            first="3 g",
            step="1 g",
            every=timedelta(minutes=45),
            up_to="5 g",
            schedule=Schedule.daily("18:00"),
        )
        plan = Plan(
            "s",
            timezone="America/New_York",
            start="2027-01-03",
            end="2027-01-03",
            entries=entries,
        )
        report = validate(plan, self.profile())
        (finding,) = report.errors
        assert finding.as_needed_only
        assert finding.message.endswith("(if all as-needed doses are taken)")
        strict = validate(plan, Profile(rules=[MaxAmount("kratom", "2 g", per="day")]))
        (base,) = strict.errors
        assert not base.as_needed_only

    def test_as_needed_is_judged_per_rule(self) -> None:
        """Two rules with one code are told apart when as-needed doses are compared."""
        entries = top_ups(
            MAENG_DA,
            first="3 g",
            step="1 g",
            every=timedelta(minutes=45),
            up_to="5 g",
            schedule=Schedule.daily("18:00"),
        )
        plan = Plan(
            "s",
            timezone="America/New_York",
            start="2027-01-03",
            end="2027-01-03",
            entries=entries,
        )
        day = MaxAmount("kratom", "2 g", per="day")  # broken by the first dose alone
        window = MaxAmount("kratom", "4 g", per=timedelta(hours=6))  # only by top-ups
        report = validate(plan, Profile(rules=[day, window]))
        flags = {f.rule: f.as_needed_only for f in report.errors}
        assert flags == {day: False, window: True}

    def test_user_written_rule(self) -> None:
        """A rule of one's own works in Profile.rules beside the built-ins."""

        @attrs.frozen
        class NoDosesAfter:
            hour: int

            def check(self, timeline: Timeline) -> Iterable[Finding]:
                for event in timeline:
                    if event.at.hour >= self.hour:
                        yield Finding(
                            "late-dose",
                            Severity.INFO,
                            f"dose at {event.at:%H:%M}",
                            at=event.at,
                            events=(event,),
                            rule=self,
                        )

        assert isinstance(NoDosesAfter(21), Rule)
        timeline = log((0, "1 g"), (14, "1 g"))
        report = validate(timeline, Profile(rules=[NoDosesAfter(21)]))
        assert [f.message for f in report.infos] == ["dose at 22:00"]

    def test_user_rule_must_return_findings(self) -> None:
        """A rule returning something else is a TypeError naming the rule."""

        @attrs.frozen
        class Broken:
            def check(self, timeline: Timeline) -> Iterable[Finding]:
                return ["oops"]  # type: ignore[list-item]

        with pytest.raises(TypeError, match="must yield Findings"):
            validate(log((0, "1 g")), Profile(rules=[Broken()]))
        with pytest.raises(TypeError, match=r"Profile\.rules\[0\] must have a check"):
            Profile(rules=[object()])  # type: ignore[list-item]

    def test_profile_day_start_and_avoid_tags(self) -> None:
        """Profile.day_start reaches built-in rules; avoid_tags becomes a rule."""
        late = Timeline(
            [
                DoseEvent(datetime(2027, 1, 3, 20, tzinfo=NY), kratom("3 g")),
                DoseEvent(datetime(2027, 1, 4, 0, 30, tzinfo=NY), kratom("3 g")),
                DoseEvent(T0, kefir()),
            ]
        )
        assert validate(late, self.profile()).codes() == set()
        assert validate(late, self.profile(day_start=time(4))).codes() == {"max-amount"}
        assert validate(late, self.profile(avoid_tags={"lactose"})).codes() == {
            "avoid-tag"
        }

    def test_window_of_a_timeline(self) -> None:
        """start/end narrow what is checked, by local date."""
        timeline = log((0, "5 g"), (48, "5 g"))
        assert len(validate(timeline, self.profile()).errors) == 2
        assert len(validate(timeline, self.profile(), start="2027-01-04").errors) == 1
        with pytest.raises(TypeError, match="a Plan or a Timeline"):
            validate("plan.toml", self.profile())  # type: ignore[arg-type]

    def test_report(self) -> None:
        """Reports sort by time, split by severity, raise and serialize to JSON."""
        timeline = log((48, "5 g"), (0, "5 g"))
        report = validate(timeline, self.profile(interactions=[]))
        assert [f.at for f in report.findings] == sorted(f.at for f in report.findings)  # type: ignore[type-var]
        assert not report.ok
        assert len(report.errors) == 2
        assert report.warnings == ()
        assert report.infos == ()
        with pytest.raises(
            PlanViolationError, match="2 errors in the checked plan"
        ) as info:
            report.raise_for_errors()
        assert info.value.report is report
        assert pickle.loads(pickle.dumps(info.value)).report == report
        data = json.loads(json.dumps(report.to_dict()))
        assert data["ok"] is False
        assert data["counts"] == {"error": 2, "warning": 0, "info": 0}
        assert data["findings"][0]["code"] == "max-amount"
        assert data["findings"][0]["measured"] == {"value": "5", "unit": "g"}
        assert data["findings"][0]["limit"] == {"value": "4", "unit": "g"}
        assert data["findings"][0]["rule"] == {
            "type": "max-amount",
            "substance": "kratom",
            "amount": "4 g",
            "per": "day",
        }
        assert data["findings"][0]["events"][0]["product"] == "Maeng Da"
        Report().raise_for_errors()

    def test_finding_codes_are_kebab_case(self) -> None:
        """Codes are checked; severities parse and order."""
        with pytest.raises(ValueError, match="kebab-case"):
            Finding("Max Amount", "error", "x")
        assert Finding("my-rule-2", "warning", "x").severity is Severity.WARNING
        assert sorted([Severity.ERROR, Severity.INFO, Severity.WARNING]) == [
            Severity.INFO,
            Severity.WARNING,
            Severity.ERROR,
        ]


class TestAllowance:
    PROFILE = Profile(
        rules=[
            MaxAmount("kratom", "8 g", per="day"),
            MinInterval("kratom", timedelta(hours=4)),
            MaxDoses("kratom", 3, per=H24),
        ]
    )

    def test_amount_left_today(self) -> None:
        """What remains of the day's limit, counting later planned doses too."""
        timeline = log((0, "3 g"), (10, "2 g"))
        got = allowance(timeline, self.PROFILE, "kratom", at=T0 + timedelta(hours=5))
        assert got.amount == Quantity(3, "g")
        assert got.earliest == T0 + timedelta(hours=5)
        assert got.allowed_now

    def test_blocked_by_interval(self) -> None:
        """Too soon after the last dose: zero now, and the earliest moment is the interval's end."""
        got = allowance(
            log((0, "3 g")), self.PROFILE, KRATOM, at=T0 + timedelta(hours=1)
        )
        assert got.amount == Quantity(0, "g")
        assert got.earliest == T0 + timedelta(hours=4)
        assert isinstance(got.limited_by, MinInterval)
        assert not got.allowed_now

    def test_blocked_by_dose_count_until_window_passes(self) -> None:
        """Three doses in 24 h: the next is allowed 24 h after the first."""
        timeline = log((0, "1 g"), (5, "1 g"), (10, "1 g"))
        got = allowance(timeline, self.PROFILE, "kratom", at=T0 + timedelta(hours=15))
        assert isinstance(got.limited_by, MaxDoses)
        assert got.earliest == T0 + timedelta(hours=24)

    def test_day_limit_reached_waits_for_next_day(self) -> None:
        """A full day's amount moves the earliest moment to the next local midnight."""
        got = allowance(
            log((0, "8 g")),
            Profile(rules=[MaxAmount("kratom", "8 g", per="day")]),
            "kratom",
            at=T0 + timedelta(hours=6),
        )
        assert got.amount == Quantity(0, "g")
        assert got.earliest == datetime(2027, 1, 4, 0, 0, tzinfo=NY)

    def test_no_limits(self) -> None:
        """Without amount rules the amount is None and any moment is fine."""
        got = allowance(log((0, "8 g")), Profile(), "kratom", at=T0)
        assert got.amount is None
        assert got.limited_by is None
        assert got.earliest == T0

    def test_at_must_be_aware(self) -> None:
        """A naive moment is refused."""
        with pytest.raises(ValueError, match="aware"):
            allowance(log(), self.PROFILE, "kratom", at=datetime(2027, 1, 1))


def test_finding_to_dict_is_json_ready() -> None:
    """Finding.to_dict has stable keys and JSON types."""
    finding = Finding(
        "max-doses",
        Severity.ERROR,
        "3 doses",
        at=datetime(2027, 1, 1, tzinfo=UTC),
        measured=3,
        limit=timedelta(hours=24),
        count_unit="doses",
    )
    assert json.loads(json.dumps(finding.to_dict())) == {
        "code": "max-doses",
        "severity": "error",
        "message": "3 doses",
        "at": "2027-01-01T00:00:00+00:00",
        "as_needed_only": False,
        "upper_end_only": False,
        "rule": None,
        "measured": {"value": 3, "unit": "doses"},
        "limit": {"value": "86400", "unit": "s"},
        "events": [],
        "events_total": 0,
    }
    assert MILK_KEFIR.tags


def test_a_finding_dict_lists_its_first_doses_and_counts_them_all() -> None:
    """A finding of thousands of doses lists the first LISTED_EVENTS, with the total."""
    from regimen._finding import LISTED_EVENTS

    t0 = datetime(2027, 1, 1, tzinfo=UTC)
    events = tuple(
        DoseEvent(t0 + timedelta(minutes=i), Dose(MAENG_DA, "1 g"))
        for i in range(LISTED_EVENTS + 7)
    )
    finding = Finding("max-doses", Severity.ERROR, "many", at=t0, events=events)
    data = finding.to_dict()
    assert data["events_total"] == LISTED_EVENTS + 7
    assert [e["at"] for e in data["events"]] == [
        e.at.isoformat() for e in events[:LISTED_EVENTS]
    ]
    short = Finding("max-doses", Severity.ERROR, "few", at=t0, events=events[:3])
    assert short.to_dict()["events_total"] == len(short.to_dict()["events"]) == 3
