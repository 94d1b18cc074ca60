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

    def test_too_many_findings_stop_validation(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """More findings than the budget raise instead of filling memory."""
        assert MAX_FINDINGS >= 40_000  # a century of daily findings for four rules
        monkeypatch.setattr("regimen._validate.MAX_FINDINGS", 100)
        plan = _plan("2027-03-01")  # 60 days
        rules = [MaxAmount("kratom", f"1.{n} g", per="day") for n in range(2)]
        with pytest.raises(ExpansionError, match="stopped after 120 findings"):
            validate(plan, Profile(rules=rules))
        assert len(validate(plan, Profile(rules=rules[:1])).errors) == 60


def test_a_rule_listed_twice_is_checked_once() -> None:
    """Equal built-in rules give their findings once, in the place of the first."""
    from datetime import timedelta

    from regimen import MaxDoses

    plan = _plan("2027-01-10")
    amount = MaxAmount("kratom", "3 g", per="day")
    doses = MaxDoses("kratom", 1, per=timedelta(hours=24))
    once = validate(plan, Profile(rules=[amount, doses]))
    assert len(once.findings) == 20
    many = validate(
        plan,
        Profile(rules=[amount, doses, MaxAmount("kratom", "3 g", per="day"), doses]),
    )
    assert many.findings == once.findings
    other = validate(
        plan, Profile(rules=[amount, MaxAmount("kratom", "2.5 g", per="day")])
    )
    assert len(other.findings) == 20  # a different limit is a rule of its own
