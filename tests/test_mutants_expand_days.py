"""Tests that pin regimen._expand_days exactly enough to kill its mutants (issue 10)."""

from __future__ import annotations

from datetime import date

from regimen import Schedule
from regimen._expand_days import day_runs

ORDINAL = date(1970, 1, 1).toordinal()


def test_a_rule_has_no_progressions() -> None:
    """An RRULE's days are scanned, never progressions: day_runs says None."""
    spans = [(date(2027, 1, 1), date(2027, 1, 31))]
    rule = Schedule.rrule("FREQ=DAILY", "08:00")
    assert day_runs(rule, spans, date(2027, 1, 1)) is None
    daily = day_runs(Schedule.daily("08:00"), spans, date(2027, 1, 1))
    first = date(2027, 1, 1).toordinal() - ORDINAL
    assert daily == [range(first, first + 31)]
