"""Tests that pin regimen._allowance exactly enough to kill its mutants (issue 10).

The log holds 3 g of kratom at 08:00 on Monday 4 and Wednesday 6 January
2027 (New York) unless a test says otherwise.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    Allowance,
    DoseEvent,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Profile,
    Quantity,
    Rule,
    Substance,
    Timeline,
    allowance,
)

from .helpers import KRATOM, kratom

NY = ZoneInfo("America/New_York")
LOG = Timeline(
    [
        DoseEvent(datetime(2027, 1, 4, 8, tzinfo=NY), kratom("3 g")),
        DoseEvent(datetime(2027, 1, 6, 8, tzinfo=NY), kratom("3 g")),
    ]
)


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=NY)


def ask(
    *rules: Rule,
    when: datetime,
    log: Timeline = LOG,
    day_start: str | None = None,
    horizon: timedelta = timedelta(days=400),
) -> Allowance:
    profile = (
        Profile(rules=rules)
        if day_start is None
        else Profile(rules=rules, day_start=day_start)
    )
    return allowance(log, profile, "kratom", at=when, horizon=horizon)


def g(text: str) -> Quantity:
    return Quantity.parse(text)


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


class TestPerWeek:
    def test_week_starts_on_monday(self) -> None:
        """A weekly amount counts the ISO week: Sunday 3 January is in the week before."""
        rule = MaxAmount("kratom", "6 g", per="week")
        a = ask(rule, when=at(3, 23))
        assert (a.amount, a.earliest, a.limited_by) == (g("6 g"), at(3, 23), rule)
        assert a.earliest_limited_by is None
        assert a.amount_at_earliest == g("6 g")
        assert a.allowed_now

    def test_full_week_frees_next_monday(self) -> None:
        """Once the week's amount is used, the earliest dose is next Monday at midnight."""
        rule = MaxAmount("kratom", "6 g", per="week")
        for when in (at(7, 8), at(10, 23, 59)):
            a = ask(rule, when=when)
            assert (a.amount, a.earliest) == (g("0 g"), at(11))
            assert a.limited_by == rule
            assert a.earliest_limited_by == rule
            assert a.amount_at_earliest == g("6 g")
            assert not a.allowed_now
        assert ask(rule, when=at(11)).amount == g("6 g")

    def test_weekly_dose_count(self) -> None:
        """MaxDoses per week blocks the rest of the week and names itself as the limit."""
        rule = MaxDoses("kratom", 2, per="week")
        a = ask(rule, when=at(7, 8))
        assert (a.amount, a.earliest, a.limited_by) == (g("0 g"), at(11), rule)
        assert a.earliest_limited_by == rule
        assert a.amount_at_earliest is None
        free = ask(MaxDoses("kratom", 3, per="week"), when=at(7, 8))
        assert (free.earliest, free.limited_by) == (at(7, 8), None)


class TestRollingWindow:
    @pytest.mark.parametrize(
        ("when", "left"),
        [
            (at(3, 7), "5 g"),  # the 4 January dose is 25 h later
            (at(3, 8), "5 g"),  # exactly 24 h before it: outside its window
            (at(3, 9), "2 g"),  # a later dose counts when its window holds now
            (at(5, 7, 59), "2 g"),
            (at(5, 8), "5 g"),  # exactly 24 h after: the dose has left the window
        ],
    )
    def test_window_boundaries(self, when: datetime, left: str) -> None:
        """The rolling window (t - 24 h, t] counts earlier and later doses at its edges."""
        rule = MaxAmount("kratom", "5 g", per=timedelta(hours=24))
        a = ask(rule, when=when)
        assert (a.amount, a.earliest, a.limited_by) == (g(left), when, rule)

    def test_window_full_until_the_dose_leaves_it(self) -> None:
        """A full 24 h window frees exactly 24 h after the dose that fills it."""
        rule = MaxAmount("kratom", "3 g", per=timedelta(hours=24))
        a = ask(rule, when=at(5, 7))
        assert (a.amount, a.earliest, a.amount_at_earliest) == (
            g("0 g"),
            at(5, 8),
            g("3 g"),
        )
        assert a.limited_by == a.earliest_limited_by == rule
        d = MaxDoses("kratom", 1, per=timedelta(hours=24))
        b = ask(d, when=at(5, 7))
        assert (b.amount, b.earliest, b.limited_by, b.earliest_limited_by) == (
            g("0 g"),
            at(5, 8),
            d,
            d,
        )


class TestMinInterval:
    @pytest.mark.parametrize(
        ("when", "allowed"),
        [
            (at(4, 12), True),  # exactly 4 h after the dose
            (at(4, 11, 59), False),
            (at(4, 4), True),  # exactly 4 h before a later dose
            (at(4, 4, 1), False),
        ],
    )
    def test_boundary_is_inclusive(self, when: datetime, allowed: bool) -> None:
        """A dose exactly the interval away from another (before or after) is allowed."""
        rule = MinInterval("kratom", timedelta(hours=4))
        a = ask(rule, when=when)
        assert a.allowed_now is allowed
        assert a.amount == (None if allowed else g("0 g"))
        if allowed:
            assert (a.earliest, a.limited_by, a.earliest_limited_by) == (
                when,
                None,
                None,
            )
        else:
            assert (a.earliest, a.limited_by, a.earliest_limited_by) == (
                at(4, 12),
                rule,
                rule,
            )

    def test_huge_interval(self) -> None:
        """A very long interval frees that long after the last dose, without overflow."""
        rule = MinInterval("kratom", timedelta(days=999_999))
        a = ask(rule, when=at(5, 3), horizon=timedelta(days=1_000_001))
        assert a.earliest == datetime(2027, 1, 6, 8, tzinfo=NY) + timedelta(
            days=999_999
        )
        assert a.earliest is not None
        assert a.earliest.utcoffset() == timedelta(hours=-5)


class TestMaxConsecutiveDays:
    @pytest.mark.parametrize(("days", "allowed"), [(1, False), (2, False), (3, True)])
    def test_joining_two_runs(self, days: int, allowed: bool) -> None:
        """A dose on 5 January joins 4 and 6 into 3 days in a row: allowed only with a limit of 3."""
        rule = MaxConsecutiveDays("kratom", days)
        a = ask(rule, when=at(5, 3))
        assert a.allowed_now is allowed
        expected = (at(5, 3), None) if allowed else (at(6), rule)
        assert (a.earliest, a.limited_by) == expected

    def test_used_day_is_always_allowed(self) -> None:
        """On a day already used, another dose does not lengthen the run."""
        rule = MaxConsecutiveDays("kratom", 1)
        a = ask(rule, when=at(4, 20))
        assert (a.earliest, a.limited_by) == (at(4, 20), None)

    def test_run_before_and_after(self) -> None:
        """Days before and after the day asked about both count towards the run."""
        log = Timeline([DoseEvent(at(d, 8), kratom("1 g")) for d in (4, 5, 6)])
        limit3 = MaxConsecutiveDays("kratom", 3)
        after = ask(limit3, when=at(7, 8), log=log)
        assert (after.earliest, after.limited_by, after.earliest_limited_by) == (
            at(8),
            limit3,
            limit3,
        )
        before = ask(limit3, when=at(3, 8), log=log)
        assert (before.earliest, before.limited_by) == (at(4), limit3)
        assert ask(MaxConsecutiveDays("kratom", 4), when=at(7, 8), log=log).allowed_now


class TestLimitedBy:
    def test_tightest_amount_rule_binds(self) -> None:
        """With two amount rules, the one with less room left is limited_by."""
        daily = MaxAmount("kratom", "8 g", per="day")
        rolling = MaxAmount("kratom", "5 g", per=timedelta(hours=24))
        for rules in ((daily, rolling), (rolling, daily)):
            a = ask(*rules, when=at(4, 12))
            assert (a.amount, a.limited_by, a.earliest) == (
                g("2 g"),
                rolling,
                at(4, 12),
            )
            assert a.earliest_limited_by is None

    def test_equal_room_keeps_the_first(self) -> None:
        """When two amount rules leave the same room, the first in the profile binds."""
        one = MaxAmount("kratom", "5 g", per="day")
        two = MaxAmount("kratom", "5 g", per=timedelta(hours=24))
        assert ask(one, two, when=at(4, 12)).limited_by is one
        assert ask(two, one, when=at(4, 12)).limited_by is two

    def test_first_blocking_rule_binds_and_amount_is_zero(self) -> None:
        """A forbidding rule binds over amount rules, and the amount becomes zero."""
        amount = MaxAmount("kratom", "8 g", per="day")
        gap = MinInterval("kratom", timedelta(hours=4))
        doses = MaxDoses("kratom", 1, per="day")
        a = ask(amount, gap, doses, when=at(4, 10))
        assert (a.amount, a.limited_by) == (g("0 g"), gap)
        assert not a.allowed_now
        b = ask(amount, doses, gap, when=at(4, 10))
        assert b.limited_by is doses
        assert b.earliest == at(5)
        assert b.earliest_limited_by is doses
        assert b.amount_at_earliest == g("8 g")

    def test_per_dose_limit(self) -> None:
        """A per-dose amount is the whole limit whatever was taken before."""
        rule = MaxAmount("kratom", "2 g", per="dose")
        a = ask(rule, when=at(4, 12))
        assert (a.amount, a.limited_by, a.amount_at_earliest) == (
            g("2 g"),
            rule,
            g("2 g"),
        )

    def test_nothing_limits(self) -> None:
        """Without matching rules everything is None and a dose is allowed now."""
        a = ask(MaxAmount("kefir", "1 g", per="day"), when=at(4, 12))
        assert (a.amount, a.earliest, a.limited_by) == (None, at(4, 12), None)
        assert (a.earliest_limited_by, a.amount_at_earliest) == (None, None)
        assert a.allowed_now

    def test_rule_by_class(self) -> None:
        """A rule naming the substance's class applies to it."""
        rule = MaxAmount("botanical", "4 g", per="day")
        assert ask(rule, when=at(4, 12)).amount == g("1 g")


class TestDayStart:
    @pytest.mark.parametrize("where", ["rule", "profile"])
    def test_day_start_moves_the_day_boundary(self, where: str) -> None:
        """With days from 04:00 (rule's or profile's), 03:00 belongs to the day before."""
        if where == "rule":
            rule = MaxDoses("kratom", 1, per="day", day_start="04:00")
            a = ask(rule, when=at(5, 3))
        else:
            rule = MaxDoses("kratom", 1, per="day")
            a = ask(rule, when=at(5, 3), day_start="04:00")
        assert (a.earliest, a.limited_by, a.earliest_limited_by) == (
            at(5, 4),
            rule,
            rule,
        )
        plain = MaxDoses("kratom", 1, per="day")
        assert ask(plain, when=at(5, 3)).allowed_now
        assert ask(plain, when=at(4, 23)).earliest == at(5)


class TestEndOfRange:
    def test_no_moment_left(self) -> None:
        """When the limit holds to the end of 9998, earliest is None and the setter named."""
        rule = MaxAmount("kratom", "3 g", per="day")
        log = Timeline([DoseEvent(datetime(9998, 12, 31, 8, tzinfo=NY), kratom("3 g"))])
        a = ask(rule, when=datetime(9998, 12, 31, 12, tzinfo=NY), log=log)
        assert (a.amount, a.earliest, a.limited_by, a.earliest_limited_by) == (
            g("0 g"),
            None,
            rule,
            rule,
        )
        assert a.amount_at_earliest is None
        assert not a.allowed_now


class TestErrors:
    @pytest.mark.parametrize("bad", [datetime(2027, 1, 1), "x"])
    def test_at_must_be_aware(self, bad: object) -> None:
        """A naive or non-datetime *at* is a ValueError naming it."""
        with pytest.raises(
            ValueError,
            match=exactly(f"allowance() at must be an aware datetime (got {bad!r})"),
        ):
            allowance(LOG, Profile(), "kratom", at=bad)  # type: ignore[arg-type]

    def test_at_out_of_range(self) -> None:
        """A moment before the supported range is refused."""
        with pytest.raises(
            ValueError, match=re.escape("allowance() at must be between")
        ):
            allowance(LOG, Profile(), "kratom", at=datetime(1, 1, 1, tzinfo=NY))

    def test_profile_type(self) -> None:
        """A profile of another type is a TypeError naming it."""
        with pytest.raises(
            TypeError, match=exactly("allowance() needs a Profile (got 'p')")
        ):
            allowance(LOG, "p", "kratom", at=at(1))  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [5, "  "])
    def test_substance_type(self, bad: object) -> None:
        """A substance that is neither a Substance nor a non-blank name is a TypeError."""
        with pytest.raises(
            TypeError,
            match=exactly(
                f"allowance() needs a Substance or a substance name (got {bad!r})"
            ),
        ):
            allowance(LOG, Profile(), bad, at=at(1))  # type: ignore[arg-type]

    def test_unknown_name_lists_terms(self) -> None:
        """A name close to nothing lists the known terms and suggests passing the Substance."""
        with pytest.raises(
            ValueError,
            match=exactly(
                "allowance() substance: 'zzz' names no known substance, alias or "
                "class; known terms are 'botanical', 'kratom', 'mitragyna speciosa' "
                "(pass the Substance itself to ask about one the log does not hold)"
            ),
        ):
            allowance(LOG, Profile(), "zzz", at=at(1))

    def test_typo_suggests(self) -> None:
        """A typo of a known name is answered with the nearest name only."""
        with pytest.raises(
            ValueError,
            match=exactly(
                "allowance() substance: 'kratum' names no known substance, alias or "
                "class; did you mean 'kratom'?"
            ),
        ):
            allowance(LOG, Profile(), " kratum ", at=at(1))

    def test_rule_typo(self) -> None:
        """A rule whose term is a typo of the substance's name is refused."""
        with pytest.raises(
            ValueError,
            match=exactly(
                "MaxAmount in the profile: 'kratum' names no known substance, alias "
                "or class; did you mean 'kratom'?"
            ),
        ):
            ask(MaxAmount("kratum", "1 g", per="day"), when=at(1))

    def test_rule_for_an_absent_substance_is_fine(self) -> None:
        """A rule naming a substance far from the target's names is ignored."""
        a = ask(
            MaxAmount("kefir", "1 g", per="day"),
            MinInterval("zz top", "1 h"),
            when=at(1),
        )
        assert a.allowed_now


class TestNames:
    def test_alias_and_case(self) -> None:
        """The substance may be named by alias, in any case, padded."""
        rule = MaxAmount("kratom", "8 g", per="day")
        profile = Profile(rules=[rule])
        for name in (" Mitragyna Speciosa ", "KRATOM", "botanical"):
            assert allowance(LOG, profile, name, at=at(4, 12)).amount == g("5 g")

    def test_substance_object(self) -> None:
        """A Substance absent from the log is asked about with no doses counted."""
        other = Substance("other")
        rule = MaxDoses("other", 1, per="day")
        a = allowance(LOG, Profile(rules=[rule]), other, at=at(4, 12))
        assert (a.earliest, a.limited_by) == (at(4, 12), None)
        assert allowance(LOG, Profile(rules=[rule]), KRATOM, at=at(4, 12)).allowed_now

    def test_medication_by_name(self) -> None:
        """A medication listed by name only is a substance to ask about."""
        rule = MaxDoses("ibuprofen", 1, per="day")
        profile = Profile(medications=["ibuprofen"], rules=[rule])
        a = allowance(LOG, profile, "Ibuprofen", at=at(4, 12))
        assert (a.earliest, a.limited_by) == (at(4, 12), None)


class TestAllowanceClass:
    def test_allowed_now(self) -> None:
        """A dose is allowed when nothing binds or when some amount is left."""
        rule = MaxDoses("kratom", 1, per="day")
        assert Allowance(amount=None, earliest=None).allowed_now
        assert Allowance(amount=g("1 g"), earliest=None, limited_by=rule).allowed_now
        assert not Allowance(
            amount=g("0 g"), earliest=None, limited_by=rule
        ).allowed_now
        assert not Allowance(amount=None, earliest=None, limited_by=rule).allowed_now

    def test_earliest_must_be_aware(self) -> None:
        """A naive earliest is refused with the field named."""
        with pytest.raises(
            ValueError,
            match=exactly(
                "Allowance.earliest must be an aware datetime or None "
                "(got datetime.datetime(2027, 1, 1, 0, 0))"
            ),
        ):
            Allowance(amount=None, earliest=datetime(2027, 1, 1))
        with pytest.raises(ValueError, match="aware datetime or None"):
            Allowance(amount=None, earliest="2027-01-01")  # type: ignore[arg-type]


class TestExactness:
    def test_odd_microsecond_intervals_are_exact(self) -> None:
        """Windows and intervals longer than 2**53 µs free at the exact microsecond."""
        interval = timedelta(days=999_999, microseconds=1)
        for rule in (
            MinInterval("kratom", interval),
            MaxDoses("kratom", 1, per=interval),
        ):
            a = ask(rule, when=at(7), horizon=timedelta(days=1_000_001))
            assert a.earliest == at(6, 8) + interval
            assert a.earliest is not None
            assert a.earliest.microsecond == 1

    def test_limits_with_more_than_28_digits(self) -> None:
        """A 31-digit limit and dose are compared and subtracted exactly."""
        limit = "1234567890123456789012345678901 g"
        rule = MaxAmount("kratom", limit, per="day")
        full = Timeline([DoseEvent(at(4, 8), kratom(limit))])
        a = ask(rule, when=at(4, 12), log=full)
        assert (a.amount, a.earliest, a.amount_at_earliest) == (
            g("0 g"),
            at(5),
            g(limit),
        )
        almost = Timeline(
            [DoseEvent(at(4, 8), kratom("1234567890123456789012345678900 g"))]
        )
        b = ask(rule, when=at(4, 12), log=almost)
        assert (b.amount, b.earliest, b.limited_by) == (g("1 g"), at(4, 12), rule)

    def test_room_below_one_unit(self) -> None:
        """Less than one unit of room is reported as it is, not rounded up."""
        rule = MaxAmount("kratom", "3.5 g", per="day")
        a = ask(rule, when=at(4, 12))
        assert (a.amount, a.limited_by, a.amount_at_earliest) == (
            g("0.5 g"),
            rule,
            g("0.5 g"),
        )


class TestCandidates:
    def test_week_after_a_monday_dose(self) -> None:
        """A weekly limit reached by a Monday dose frees exactly a week later."""
        log = Timeline([DoseEvent(at(11, 8), kratom("3 g"))])
        rule = MaxDoses("kratom", 1, per="week")
        a = ask(rule, when=at(11, 12), log=log)
        assert (a.earliest, a.limited_by, a.earliest_limited_by) == (at(18), rule, rule)

    def test_last_day_start_of_the_range_east_of_utc(self) -> None:
        """In Tokyo, 9999-01-01 00:00 is still within the range (9998-12-31 UTC)."""
        tokyo = ZoneInfo("Asia/Tokyo")
        log = Timeline([DoseEvent(datetime(9998, 12, 31, 8, tzinfo=tokyo), kratom())])
        rule = MaxDoses("kratom", 1, per="day")
        a = allowance(
            log,
            Profile(rules=[rule]),
            "kratom",
            at=datetime(9998, 12, 31, 12, tzinfo=tokyo),
        )
        assert a.earliest == datetime(9999, 1, 1, tzinfo=tokyo)
        assert a.earliest_limited_by == rule

    def test_candidate_days_are_taken_in_the_zone_asked_about(self) -> None:
        """A moment freed at 20:00 New York (01:00 UTC) is still on the blocked local day."""
        log = Timeline([DoseEvent(at(4, 8), kratom()), DoseEvent(at(4, 16), kratom())])
        doses = MaxDoses("kratom", 2, per="day")
        gap = MinInterval("kratom", "4 h")
        for rules, binding in (((doses, gap), doses), ((gap, doses), gap)):
            a = ask(*rules, when=at(4, 17), log=log)
            assert (a.earliest, a.limited_by, a.earliest_limited_by) == (
                at(5),
                binding,
                doses,
            )

    def test_setter_is_judged_one_microsecond_before(self) -> None:
        """The rule that sets earliest is the one still forbidding a dose 1 µs before it."""
        log = Timeline(
            [
                DoseEvent(
                    datetime(2027, 1, 3, 11, 59, 59, 999_999, tzinfo=NY), kratom()
                ),
                DoseEvent(at(4, 8), kratom()),
            ]
        )
        window = MaxDoses("kratom", 2, per=timedelta(hours=24))
        gap = MinInterval("kratom", "4 h")
        a = ask(window, gap, when=at(4, 11), log=log)
        assert (a.earliest, a.limited_by, a.earliest_limited_by) == (
            at(4, 12),
            window,
            gap,
        )


class TestRuleSelection:
    def test_each_day_start_gets_its_own_days(self) -> None:
        """Rules with different day starts count different local days."""
        late = MaxDoses("kratom", 1, per="day", day_start="10:00")
        midnight = MaxDoses("kratom", 1, per="day")
        a = ask(late, midnight, when=at(4, 11))
        assert (a.earliest, a.limited_by, a.earliest_limited_by) == (
            at(5),
            midnight,
            midnight,
        )

    def test_rules_after_one_for_another_substance_apply(self) -> None:
        """A rule for another substance is skipped, not the end of the rules."""
        rule = MaxDoses("kratom", 1, per="day")
        a = ask(MaxAmount("kefir", "1 g", per="day"), rule, when=at(4, 12))
        assert (a.earliest, a.limited_by) == (at(5), rule)

    def test_rules_in_units_that_do_not_compare(self) -> None:
        """Room in grams and in teaspoons do not compare: the first rule's stays."""
        grams = MaxAmount("kratom", "8 g", per="day")
        spoons = MaxAmount("kratom", "4 tsp", per="day")
        assert ask(grams, spoons, when=at(4, 12)).limited_by is grams
        assert ask(grams, spoons, when=at(4, 12)).amount == g("5 g")
        assert ask(spoons, grams, when=at(4, 12)).limited_by is spoons

    def test_zone_without_an_offset(self) -> None:
        """A tzinfo whose utcoffset() is None does not make *at* aware."""

        class NoOffset(tzinfo):
            def utcoffset(self, dt: datetime | None) -> timedelta | None:
                return None

            def dst(self, dt: datetime | None) -> timedelta | None:
                return None

            def tzname(self, dt: datetime | None) -> str | None:
                return None

        with pytest.raises(
            ValueError, match=r"^allowance\(\) at must be an aware datetime"
        ):
            allowance(
                LOG, Profile(), "kratom", at=datetime(2027, 1, 1, tzinfo=NoOffset())
            )


class TestMoreEdges:
    def test_typo_after_other_rules_is_found(self) -> None:
        """A typo'd rule is refused even after a tag rule and a valid rule."""
        from regimen import AvoidTags

        with pytest.raises(ValueError, match=r"^MaxAmount in the profile: 'kratum'"):
            ask(
                AvoidTags(["x"]),
                MaxAmount("kratom", "9 g", per="day"),
                MaxAmount("kratum", "1 g", per="day"),
                when=at(4, 12),
            )

    def test_one_microsecond_inside_a_long_window(self) -> None:
        """1 µs before a long window or interval ends, a dose is still forbidden."""
        interval = timedelta(days=999_999, microseconds=1)
        dose = at(6, 8)
        log = Timeline([DoseEvent(dose, kratom())])
        for rule in (
            MinInterval("kratom", interval),
            MaxDoses("kratom", 1, per=interval),
        ):
            a = ask(rule, when=dose + interval - timedelta(microseconds=1), log=log)
            assert not a.allowed_now
            assert a.earliest == dose + interval

    def test_day_starting_at_the_last_microsecond(self) -> None:
        """A day that starts at the range's last microsecond frees a dose there."""
        utc = ZoneInfo("UTC")
        rule = MaxDoses("kratom", 1, per="day", day_start=time(23, 59, 59, 999_999))
        log = Timeline([DoseEvent(datetime(9998, 12, 31, 8, tzinfo=utc), kratom())])
        a = allowance(
            log,
            Profile(rules=[rule]),
            "kratom",
            at=datetime(9998, 12, 31, 12, tzinfo=utc),
        )
        assert a.earliest == datetime(9998, 12, 31, 23, 59, 59, 999_999, tzinfo=utc)
        assert a.limited_by == rule

    def test_typo_hint_for_a_substance_not_in_the_log(self) -> None:
        """A rule typo is answered with the substance's own names when the log lacks it."""
        with pytest.raises(
            ValueError,
            match=exactly(
                "MaxAmount in the profile: 'kratum' names no known substance, alias "
                "or class; did you mean 'kratom'?"
            ),
        ):
            allowance(
                Timeline([]),
                Profile(rules=[MaxAmount("kratum", "1 g", per="day")]),
                KRATOM,
                at=at(4, 12),
            )
