"""Validation has a bounded amount of work: too many rules or findings stop it."""

from __future__ import annotations

import pytest

from regimen import Entry, ExpansionError, MaxAmount, Plan, Profile, Schedule, validate
from regimen._limits import MAX_FINDINGS, MAX_VALIDATION_WORK

from .helpers import kratom


def _plan(end: str) -> Plan:
    return Plan(
        "p",
        timezone="UTC",
        start="2027-01-01",
        end=end,
        entries=[Entry(kratom("2 g"), Schedule.daily("08:00", "20:00"))],
    )


class TestBudget:
    def test_too_many_rules_for_the_events_are_refused_before_checking(self) -> None:
        """Rules times events above the budget raise at once, naming the fix."""
        plan = _plan("2027-12-31")  # 730 events
        rules = [MaxAmount("kratom", f"{n} g", per="day") for n in range(1, 3000)]
        assert len(rules) * 730 > MAX_VALIDATION_WORK
        with pytest.raises(ExpansionError, match="check a shorter window"):
            validate(plan, Profile(rules=rules))
        # The same rules over one week are within the budget.
        assert len(rules) * 14 <= MAX_VALIDATION_WORK
        assert not validate(plan, Profile(rules=rules), end="2027-01-07").ok

    def test_too_many_findings_stop_validation(self) -> None:
        """More findings than the budget raise instead of filling memory."""
        plan = _plan("2036-12-31")  # 3,653 days
        per_rule = 3653
        count = MAX_FINDINGS // per_rule + 2
        rules = [MaxAmount("kratom", f"1.{n} g", per="day") for n in range(count)]
        with pytest.raises(ExpansionError, match="findings"):
            validate(plan, Profile(rules=rules))
        fewer = rules[: MAX_FINDINGS // per_rule]
        assert len(validate(plan, Profile(rules=fewer)).errors) == len(fewer) * per_rule
