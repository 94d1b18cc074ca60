"""Tests that pin the day-counting rules where the main rule tests do not (issue 10).

Edges of :class:`~regimen.BreakCadence`: periods open at one end, a
failing span whose last dose is the first of the series, and where its
findings stand in a report.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    BreakCadence,
    Dose,
    DoseEvent,
    MinInterval,
    Profile,
    Timeline,
    validate,
)

from .helpers import MAENG_DA

NY = ZoneInfo("America/New_York")


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2027, 1, day, hour, tzinfo=NY)


@pytest.mark.parametrize("end", ["start", "end"])
def test_a_period_open_at_one_end_has_no_span(end: str) -> None:
    """An empty timeline with only a start (or only an end) has no period to check."""
    timeline = Timeline([], **{end: date(2027, 1, 4)})
    assert list(BreakCadence("kratom", days=1, every=1).check(timeline)) == []


LOG = Timeline(
    [
        DoseEvent(at(4, 8), Dose(MAENG_DA, "1 g")),
        DoseEvent(at(4, 9), Dose(MAENG_DA, "1 g")),
        DoseEvent(at(6, 8), Dose(MAENG_DA, "1 g")),
    ],
    start=date(2027, 1, 4),
    end=date(2027, 1, 6),
)


def test_a_span_whose_last_dose_is_the_first_of_the_series() -> None:
    """The finding's moment is its span's last dose, even when that is the series' first."""
    one = Timeline([LOG[0]], start=date(2027, 1, 4), end=date(2027, 1, 4))
    found = list(BreakCadence("kratom", days=1, every=1).check(one))
    assert [(f.at, f.events, f.measured) for f in found] == [(at(4, 8), (one[0],), 0)]


def test_break_cadence_findings_stand_at_their_moment_in_a_report() -> None:
    """Reports order break-cadence findings by their moment like any other."""
    rules = [BreakCadence("kratom", days=1, every=1), MinInterval("kratom", "2 h")]
    report = validate(LOG, Profile(rules=rules))
    assert [(f.code, f.at) for f in report.findings] == [
        ("break-cadence", at(4, 9)),
        ("min-interval", at(4, 9)),
        ("break-cadence", at(6, 8)),
    ]
