"""allowance(): regression tests for day starts, the rules it names, unknown terms and range edges."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import attrs
import pytest

from regimen import (
    Allowance,
    Dose,
    DoseEvent,
    Interaction,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Profile,
    Quantity,
    Substance,
    Timeline,
    allowance,
    load,
)
from regimen._allowance_search import Asked
from regimen._limits import MAX_MOMENT

from .helpers import KRATOM, MAENG_DA

NY = ZoneInfo("America/New_York")
EXAMPLES = Path(__file__).parent.parent / "examples"
US = timedelta(microseconds=1)


def ny(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=NY)


def taken(*moments: datetime, grams: str = "1 g") -> Timeline:
    return Timeline([DoseEvent(m, Dose(MAENG_DA, grams)) for m in moments])


class TestDayStart:
    PROFILE = Profile(rules=[MaxDoses("kratom", 2, per="day")], day_start=time(4))
    LOG = taken(ny(3, 9), ny(3, 20))

    def test_before_midnight(self) -> None:
        """Two doses on the day: asked at 23:00 the next dose waits for 04:00."""
        got = allowance(self.LOG, self.PROFILE, "kratom", at=ny(3, 23))
        assert got.earliest == ny(4, 4)

    def test_between_midnight_and_day_start(self) -> None:
        """Asked at 01:00, still the same day: the next dose is at 04:00 that morning, not a day later."""
        got = allowance(self.LOG, self.PROFILE, "kratom", at=ny(4, 1))
        assert not got.allowed_now
        assert got.earliest == ny(4, 4)
        assert got.earliest_limited_by == self.PROFILE.rules[0]

    def test_rule_day_start_wins(self) -> None:
        """A rule's own day_start decides its days, not the profile's."""
        rule = MaxDoses("kratom", 2, per="day", day_start=time(6))
        got = allowance(self.LOG, Profile(rules=[rule]), "kratom", at=ny(4, 1))
        assert got.earliest == ny(4, 6)

    def test_shipped_example(self) -> None:
        """examples/medications.toml: 5 g by 00:45 counts for the 10th; more at 04:00 on the 11th.

        Only without its interaction notes: with them, the error-level note
        against antidepressants and the sertraline among the medications
        forbid every dose of kratom, so nothing is allowed at all.
        """
        bundle = load(EXAMPLES / "medications.toml")
        assert bundle.log is not None
        assert bundle.profile is not None
        at = datetime.fromisoformat("2027-01-11T01:00:00-05:00").astimezone(NY)
        limits = attrs.evolve(bundle.profile, interactions=())
        got = allowance(bundle.log, limits, "kratom", at=at)
        assert got.amount == Quantity(0, "g")
        assert got.earliest == ny(11, 4)
        assert got.amount_at_earliest == Quantity(5, "g")
        never = allowance(bundle.log, bundle.profile, "kratom", at=at)
        assert never.earliest is None
        assert isinstance(never.earliest_limited_by, Interaction)
        assert never.earliest_limited_by.b == "antidepressant"


class TestWhichRule:
    INTERVAL = MinInterval("kratom", timedelta(hours=4))
    COUNT = MaxDoses("kratom", 2, per="day")
    LOG = taken(ny(3, 8), ny(3, 13))

    def test_now_and_earliest_are_told_apart(self) -> None:
        """At 14:00 the interval binds now, but the day's dose count sets earliest (midnight)."""
        profile = Profile(rules=[self.INTERVAL, self.COUNT])
        got = allowance(self.LOG, profile, "kratom", at=ny(3, 14))
        assert got.limited_by == self.INTERVAL
        assert got.earliest == ny(4, 0)
        assert got.earliest_limited_by == self.COUNT
        assert got.amount == Quantity(0, "g")
        assert got.amount_at_earliest is None

    def test_profile_order_decides_between_rules_binding_now(self) -> None:
        """Both rules forbid a dose at 14:00; the first in the profile is named."""
        profile = Profile(rules=[self.COUNT, self.INTERVAL])
        got = allowance(self.LOG, profile, "kratom", at=ny(3, 14))
        assert got.limited_by == self.COUNT
        assert got.earliest_limited_by == self.COUNT

    def test_amount_at_earliest(self) -> None:
        """With a day limit too, nothing now and the full 8 g at the new day."""
        day = MaxAmount("kratom", "8 g", per="day")
        profile = Profile(rules=[day, self.INTERVAL, self.COUNT])
        got = allowance(self.LOG, profile, "kratom", at=ny(3, 14))
        assert got.amount == Quantity(0, "g")
        assert got.limited_by == self.INTERVAL
        assert got.earliest_limited_by == self.COUNT
        assert got.amount_at_earliest == Quantity(8, "g")

    def test_tightest_amount_rule_binds_when_allowed(self) -> None:
        """Allowed now: limited_by is the amount rule with the least room, not the first."""
        day = MaxAmount("kratom", "8 g", per="day")
        window = MaxAmount("kratom", "3 g", per=timedelta(hours=6))
        got = allowance(
            taken(ny(3, 8), grams="2 g"),
            Profile(rules=[day, window]),
            "kratom",
            at=ny(3, 12),
        )
        assert got.allowed_now
        assert got.amount == Quantity(1, "g")
        assert got.limited_by == window
        assert got.earliest_limited_by is None
        assert got.amount_at_earliest == Quantity(1, "g")

    @pytest.mark.parametrize("first", [0, 1])
    def test_equal_room_names_the_first_rule(self, first: int) -> None:
        """Two amount rules leaving the same room: the first in the profile is named."""
        rules = [
            MaxAmount("kratom", "8 g", per="day"),
            MaxAmount("kratom", "8 g", per=timedelta(hours=24)),
        ]
        ordered = [rules[first], rules[1 - first]]
        got = allowance(
            taken(ny(3, 8), grams="2 g"), Profile(rules=ordered), "kratom", at=ny(3, 12)
        )
        assert got.amount == Quantity(6, "g")
        assert got.limited_by == rules[first]


class TestBoundaries:
    def test_min_interval_exactly_at_interval(self) -> None:
        """A dose exactly 4 h after the last is allowed; a microsecond earlier is not."""
        profile = Profile(rules=[MinInterval("kratom", timedelta(hours=4))])
        log = taken(ny(3, 8))
        assert allowance(log, profile, "kratom", at=ny(3, 12)).allowed_now
        early = allowance(log, profile, "kratom", at=ny(3, 12) - US)
        assert not early.allowed_now
        assert early.earliest == ny(3, 12)

    def test_min_interval_before_a_planned_dose(self) -> None:
        """Exactly 4 h before a planned dose is allowed; a microsecond later waits until 4 h after it."""
        profile = Profile(rules=[MinInterval("kratom", timedelta(hours=4))])
        log = taken(ny(3, 12))
        assert allowance(log, profile, "kratom", at=ny(3, 8)).allowed_now
        late = allowance(log, profile, "kratom", at=ny(3, 8) + US)
        assert late.earliest == ny(3, 16)

    @pytest.mark.parametrize(("days", "allowed"), [(3, True), (2, False)])
    def test_consecutive_days_filling_a_gap(self, days: int, allowed: bool) -> None:
        """Use on the 3rd and 5th: a dose on the 4th makes a run of 3; the 5th itself is fine."""
        profile = Profile(rules=[MaxConsecutiveDays("kratom", days)])
        got = allowance(taken(ny(3, 9), ny(5, 9)), profile, "kratom", at=ny(4, 9))
        assert got.allowed_now is allowed
        if not allowed:
            assert got.earliest == ny(5, 0)

    def test_consecutive_days_at_limit(self) -> None:
        """Three days in a row with a limit of three: the fourth waits, the same day is fine."""
        profile = Profile(rules=[MaxConsecutiveDays("kratom", 3)])
        log = taken(ny(3, 9), ny(4, 9), ny(5, 9))
        assert allowance(log, profile, "kratom", at=ny(5, 23)).allowed_now
        got = allowance(log, profile, "kratom", at=ny(6, 9))
        assert got.earliest == ny(7, 0)


class TestPerWeek:
    def test_week_full_waits_for_monday(self) -> None:
        """Two doses on Monday and Tuesday with a limit of 2 a week: next Monday at the day start."""
        profile = Profile(rules=[MaxDoses("kratom", 2, per="week")], day_start=time(4))
        log = taken(ny(4, 9), ny(5, 9))  # 2027-01-04 is a Monday
        got = allowance(log, profile, "kratom", at=ny(6, 9))
        assert got.earliest == ny(11, 4)
        # 01:00 on Monday the 11th still counts for Sunday, so for the full week.
        assert allowance(log, profile, "kratom", at=ny(11, 1)).earliest == ny(11, 4)

    def test_week_amount(self) -> None:
        """What is left of a weekly amount counts every dose of the ISO week."""
        profile = Profile(rules=[MaxAmount("kratom", "10 g", per="week")])
        log = taken(ny(4, 9), ny(10, 20), ny(11, 9), grams="3 g")
        assert allowance(log, profile, "kratom", at=ny(8, 9)).amount == Quantity(4, "g")
        assert allowance(log, profile, "kratom", at=ny(12, 9)).amount == Quantity(
            7, "g"
        )

    def test_two_full_weeks_ahead(self) -> None:
        """Planned doses fill this week and the next: the earliest dose is the Monday after."""
        profile = Profile(rules=[MaxDoses("kratom", 1, per="week")])
        log = taken(ny(6, 9), ny(13, 9))
        got = allowance(log, profile, "kratom", at=ny(4, 9))
        assert got.earliest == ny(18, 0)


class TestNames:
    LOG = taken(ny(3, 9))
    PROFILE = Profile(rules=[MaxAmount("kratom", "8 g", per="day")])

    def test_unknown_substance_name(self) -> None:
        """A typo in the substance asked about names the term and the nearest known name."""
        with pytest.raises(ValueError, match=r"'kratum' names no known .*'kratom'"):
            allowance(self.LOG, self.PROFILE, "kratum", at=ny(3, 12))

    def test_unknown_rule_term(self) -> None:
        """A typo in a rule for the substance asked about is refused, not ignored."""
        profile = Profile(rules=[MaxAmount("kratum", "8 g", per="day")])
        with pytest.raises(
            ValueError, match=r"MaxAmount in the profile: 'kratum'.*'kratom'"
        ):
            allowance(self.LOG, profile, "kratom", at=ny(3, 12))

    def test_rule_for_another_substance_is_fine(self) -> None:
        """A limit for a substance the log does not hold yet (kefir) does not stop the answer."""
        profile = Profile(
            rules=[*self.PROFILE.rules, MaxAmount("kefir", "16 fl oz", per="day")]
        )
        got = allowance(self.LOG, profile, "kratom", at=ny(3, 12))
        assert got.amount == Quantity(7, "g")

    def test_alias_class_and_medication(self) -> None:
        """Aliases and classes of logged substances and the profile's medications are known."""
        by_alias = allowance(self.LOG, self.PROFILE, "mitragyna SPECIOSA", at=ny(3, 12))
        assert by_alias.amount == Quantity(7, "g")
        assert allowance(
            self.LOG, self.PROFILE, "botanical", at=ny(3, 12)
        ).amount == Quantity(7, "g")
        meds = Profile(medications=["sertraline"])
        assert allowance(self.LOG, meds, "Sertraline", at=ny(3, 12)).amount is None

    def test_substance_object_needs_no_log(self) -> None:
        """Passing the Substance itself works on an empty log; its name alone does not."""
        got = allowance(Timeline([]), self.PROFILE, KRATOM, at=ny(3, 12))
        assert got.amount == Quantity(8, "g")
        with pytest.raises(
            ValueError, match=r"no substances are known here.*Substance itself"
        ):
            allowance(Timeline([]), self.PROFILE, "kratom", at=ny(3, 12))
        other = Substance("kratom")
        typo = Profile(rules=[MaxAmount("kratm", "8 g", per="day")])
        with pytest.raises(ValueError, match="'kratm'"):
            allowance(Timeline([]), typo, other, at=ny(3, 12))


class TestRange:
    @pytest.mark.parametrize(
        "at",
        [
            datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
            datetime(9998, 12, 31, 23, 0, tzinfo=NY),  # 9999-01-01 in UTC
            datetime(1, 1, 1, tzinfo=UTC),
        ],
    )
    def test_at_outside_range(self, at: datetime) -> None:
        """A moment outside the supported range is a ValueError that states the range."""
        profile = Profile(rules=[MaxDoses("kratom", 1, per="day")])
        with pytest.raises(ValueError, match="between 0002-01-01 and 9998-12-31"):
            allowance(taken(ny(3, 9)), profile, KRATOM, at=at)

    def test_nothing_allowed_before_the_end(self) -> None:
        """A day limit reached on 9998-12-31: no moment in range allows a dose, so earliest is None."""
        rule = MaxDoses("kratom", 1, per="day")
        log = taken(datetime(9998, 12, 31, 10, tzinfo=UTC))
        got = allowance(
            log,
            Profile(rules=[rule]),
            "kratom",
            at=datetime(9998, 12, 31, 12, tzinfo=UTC),
        )
        assert got.earliest is None
        assert got.earliest_limited_by == rule
        assert got.amount_at_earliest is None
        assert not got.allowed_now

    def test_week_rule_near_the_end(self) -> None:
        """A week rule in late 9998 west of UTC answers with no overflow."""
        rule = MaxDoses("kratom", 1, per="week")
        at = datetime(9998, 12, 31, 18, tzinfo=NY)
        got = allowance(
            taken(at - timedelta(days=1)),
            Profile(rules=[rule], day_start=time(4)),
            "kratom",
            at=at,
        )
        assert got.earliest is None

    def test_huge_interval(self) -> None:
        """A MinInterval of 999,999,999 days gives earliest None instead of an OverflowError."""
        rule = MinInterval("kratom", timedelta(days=999_999_999))
        got = allowance(taken(ny(3, 9)), Profile(rules=[rule]), "kratom", at=ny(3, 12))
        assert got.earliest is None
        assert got.limited_by == rule

    def test_start_of_range(self) -> None:
        """The first supported moment, with a day start and a week rule, answers normally."""
        at = datetime(2, 1, 1, 12, tzinfo=UTC)
        rules = [
            MaxDoses("kratom", 1, per="week"),
            MaxAmount("kratom", "8 g", per="day"),
        ]
        got = allowance(
            taken(at - timedelta(hours=2)),
            Profile(rules=rules, day_start=time(4)),
            "kratom",
            at=at,
        )
        assert got.earliest == datetime(
            2, 1, 7, 4, tzinfo=UTC
        )  # 0002-01-07 is a Monday
        assert got.amount_at_earliest == Quantity(8, "g")

    def test_earliest_at_the_last_moment(self) -> None:
        """A rolling window that frees exactly at the end of the range still answers."""
        rule = MinInterval("kratom", timedelta(hours=1))
        last = MAX_MOMENT - timedelta(hours=1)
        got = allowance(taken(last), Profile(rules=[rule]), "kratom", at=last)
        assert got.earliest == MAX_MOMENT


class TestAllowanceClass:
    def test_fields_are_checked(self) -> None:
        """Allowance refuses wrong types and naive datetimes, naming the field."""
        with pytest.raises(TypeError, match=r"Allowance\.amount must be a Quantity"):
            Allowance(amount="3 g", earliest=None)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"Allowance\.earliest must be an aware"):
            Allowance(amount=None, earliest=datetime(2027, 1, 3))
        with pytest.raises(TypeError, match=r"Allowance\.limited_by must be a rule"):
            Allowance(amount=None, earliest=None, limited_by=3)  # type: ignore[arg-type]

    def test_frozen(self) -> None:
        """An Allowance cannot be changed after it is made."""
        import attrs

        got = Allowance(amount=None, earliest=None)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            got.amount = Quantity(1, "g")  # type: ignore[misc]


def test_a_dose_forbidden_forever_ends_the_search_at_once() -> None:
    """An error-level note against a medication forbids every dose: earliest is None, however far."""
    note = Interaction(
        "kratom", "antidepressant", severity="error", within="0 min", note="avoid"
    )
    sertraline = Substance("sertraline", classes={"antidepressant"})
    profile = Profile(
        rules=[MaxConsecutiveDays("kratom", 1)],
        interactions=[note],
        medications=[sertraline],
    )
    searched = mock.patch.object(
        Asked, "candidates", side_effect=AssertionError("searched")
    )
    with searched:  # no moment is looked at: none can allow a dose
        got = allowance(
            Timeline([]),
            profile,
            KRATOM,
            at=ny(4, 8),
            horizon=timedelta(days=3_000_000),
        )
    assert got.earliest is None
    assert got.earliest_limited_by == note
