"""summarize() reads the timeline's columns; its rows and totals match a scan of the events."""

from __future__ import annotations

from collections import Counter
from datetime import time
from fractions import Fraction

from hypothesis import given, settings

from regimen import Timeline, summarize
from regimen import strategies as rst
from regimen._series import local_day


@settings(max_examples=60)
@given(rst.timelines(max_events=300))
def test_rows_and_totals_match_a_scan_of_the_events(timeline: Timeline) -> None:
    """Row times, counts and use days, and daily totals, as one loop over DoseEvents gives them."""
    summary = summarize(timeline)
    counts: Counter[tuple[time, str, str, bool]] = Counter()
    for e in timeline:
        item = e.product.name + (f" ({e.product.variant})" if e.product.variant else "")
        counts[(e.at.time(), item, str(e.amount), e.as_needed)] += 1
    got: Counter[tuple[time, str, str, bool]] = Counter()
    for row in summary.rows:
        got[(row.time, row.item, str(row.amount), row.as_needed)] += row.count
    assert got == counts
    for substance, part in zip(timeline.substances, summary.substances, strict=True):
        per_day: dict[object, Fraction] = {}
        for e in timeline:
            day = local_day(e.at, time(0))
            first, last = timeline.first_day, timeline.last_day
            assert first is not None
            assert last is not None
            if not first <= day <= last:
                # outside the summary's period, first_day to last_day (a top-up
                # past a plan's last midnight; in a log of several zones, a
                # local date before the first event's)
                continue
            for other, quantity in e.contents.items():
                if other == substance and quantity.unit.converts_to(part.unit):
                    per_day[day] = per_day.get(day, Fraction(0)) + Fraction(
                        quantity.to(part.unit).amount
                    )
        if part.with_as_needed is None:
            assert not per_day
            continue
        assert Fraction(part.with_as_needed.max.amount) == max(per_day.values())
        assert Fraction(part.with_as_needed.min.amount) == min(per_day.values())


def test_a_log_in_several_zones_starts_on_its_earliest_own_date() -> None:
    """At 00:00 UTC on March 13 it is still March 12 in New York: both doses are in the summary's days."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from regimen import DoseEvent

    from .helpers import kratom

    at = datetime(2027, 3, 13, tzinfo=UTC)
    log = Timeline(
        [
            DoseEvent(at, kratom()),
            DoseEvent(at.astimezone(ZoneInfo("America/New_York")), kratom()),
        ]
    )
    [part] = summarize(log).substances
    assert part.outside == 0
    assert part.use_days == 2
