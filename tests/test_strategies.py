"""Tests for regimen.strategies: valid objects, registration, round trips, shrinking."""

from __future__ import annotations

from datetime import time
from importlib.metadata import entry_points

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import regimen
from regimen import (
    Bundle,
    Plan,
    Profile,
    Quantity,
    RegimenError,
    Timeline,
    Unit,
    dumps,
    loads,
    summarize,
    validate,
)
from regimen import strategies as rst
from regimen._hypothesis_hook import public_classes

from . import oracles

PUBLIC_CLASSES = public_classes()
SLOW = settings(
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class TestRegistration:
    def test_every_public_class_has_a_strategy(self) -> None:
        """The registry covers exactly the public classes the hook registers."""
        assert set(rst._registry()) == set(PUBLIC_CLASSES)
        assert len(PUBLIC_CLASSES) == 27

    def test_entry_point_is_declared(self) -> None:
        """The package declares its Hypothesis entry point."""
        points = entry_points(group="hypothesis")
        assert any(
            p.value == "regimen._hypothesis_hook:_hypothesis_setup_hook" for p in points
        )

    @pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda c: c.__name__)
    @SLOW
    @given(data=st.data())
    def test_from_type_works_for_every_public_class(
        self, cls: type, data: st.DataObject
    ) -> None:
        """st.from_type(X) draws an X for every public class."""
        value = data.draw(st.from_type(cls))
        assert isinstance(value, cls)


class TestValidObjects:
    @given(rst.quantities(units=st.just(Unit.G), min_value=1, max_value=2, places=1))
    def test_quantity_bounds(self, q: Quantity) -> None:
        """Quantities respect their bounds, units and places."""
        assert q.unit is Unit.G
        assert 1 <= q.amount <= 2
        assert q.amount == q.amount.quantize(q.amount.scaleb(0).__class__("0.1"))

    @SLOW
    @given(rst.plans(max_days=14), rst.profiles())
    def test_validate_and_summarize_never_raise_on_plans(
        self, plan: Plan, profile: Profile
    ) -> None:
        """validate() and summarize() work on every generated plan."""
        timeline = plan.timeline()
        assert all(plan.start <= e.at.date() <= plan.end for e in timeline)  # type: ignore[operator]
        report = validate(plan, profile)
        summary = summarize(plan, profile)
        assert summary.report == report
        assert sum(r.count for r in summary.rows) == summary.events == len(timeline)

    @SLOW
    @given(rst.timelines(), rst.profiles())
    def test_validate_never_raises_on_timelines(
        self, timeline: Timeline, profile: Profile
    ) -> None:
        """validate() works on logs spanning several zones, too."""
        assert isinstance(validate(timeline, profile).ok, bool)

    @SLOW
    @given(rst.bundles())
    def test_bundles_round_trip_through_files(self, bundle: Bundle) -> None:
        """dumps/loads give back the same bundle, in TOML and JSON."""
        assert loads(dumps(bundle)) == bundle
        assert loads(dumps(bundle, format="json"), format="json") == bundle

    @given(rst.doses())
    def test_doses_are_measurable(self, dose: regimen.Dose) -> None:
        """Every drawn dose can be measured for its product (through equivalents too)."""
        assert dose.contents
        assert all(q.amount > 0 for q in dose.contents.values())


class TestArguments:
    @pytest.mark.parametrize(
        "strategy",
        [
            rst.quantities(min_value=5, max_value=1),
            rst.quantities(places=20),
            rst.plans(min_days=5, max_days=2),
            rst.plans(max_days=10_000),
            rst.plans(min_entries=3, max_entries=1),
            rst.products(min_substances=0),
            rst.schedules(max_times=0),
            rst.timelines(max_events=0),
            rst.profiles(max_rules=-1),
        ],
    )
    def test_bad_arguments_raise_invalid_argument_when_drawn(
        self, strategy: st.SearchStrategy[object]
    ) -> None:
        """Bad arguments are InvalidArgument, raised at draw time, not import time."""

        @given(st.data())
        def draw(data: st.DataObject) -> None:
            data.draw(strategy)

        with pytest.raises(InvalidArgument):
            draw()


class TestShrinking:
    def test_plans_shrink_to_one_entry_one_day_utc(self) -> None:
        """The simplest plan is one entry on one day in UTC."""
        plan = find(
            rst.plans(),
            lambda p: len(p.timeline()) >= 1,
            settings=settings(database=None),
        )
        assert plan.timezone == "UTC"
        assert plan.start == plan.end
        assert len(plan.entries) == 1
        assert plan.breaks == ()
        (entry,) = plan.entries
        assert entry.schedule.describe() == "daily at 00:00"
        assert not entry.as_needed


class TestOraclesOnGeneratedTimelines:
    @SLOW
    @given(rst.timelines(), rst.max_amounts())
    def test_max_amount_matches_oracle(
        self, timeline: Timeline, rule: regimen.MaxAmount
    ) -> None:
        """MaxAmount agrees with the brute-force oracle on strategy-drawn timelines."""
        try:
            got = {
                f.key: f.measured
                for f in rule.check(timeline)
                if f.code == "max-amount"
                and f.severity is rule.severity
                and f.measured is not None
            }
        except RegimenError:  # pragma: no cover - rules never raise on valid input
            raise
        unit = rule.amount.unit
        convertible = [
            e
            for e in oracles.involved(timeline, rule.substance)
            if all(
                q.unit.converts_to(unit)
                for s, q in e.contents.items()
                if s.matches(rule.substance)
            )
        ]
        want = oracles.violations(
            oracles.window_totals(
                Timeline(convertible),
                rule.substance,
                rule.per,
                lambda e: oracles.amount_of(e, rule.substance, unit),
                rule.day_start or time(0),
            ),
            rule.amount.amount,
        )
        assert {k: v.amount for k, v in got.items()} == want  # type: ignore[attr-defined]

    @SLOW
    @given(rst.timelines(), rst.min_intervals())
    def test_min_interval_matches_oracle(
        self, timeline: Timeline, rule: regimen.MinInterval
    ) -> None:
        """MinInterval agrees with the oracle on strategy-drawn timelines."""
        got = {f.key: f.measured for f in rule.check(timeline)}
        start = rule.day_start or time(0)
        want = {
            d: g
            for d, g in oracles.min_gaps(timeline, rule.substance, start).items()
            if g < rule.interval
        }
        assert got == want
