"""summarize() reads the timeline's columns; its rows and totals match a scan of the events."""

from __future__ import annotations

from collections import Counter
from datetime import time
from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import given, settings

from regimen import Timeline, _summary_rows, _summary_totals, summarize
from regimen import strategies as rst
from regimen._decimal import from_fraction, trim
from regimen._series import Context, local_day


@pytest.mark.parametrize("held", [1, 2, _summary_totals._HELD_DAYS])
@settings(max_examples=60)
@given(rst.timelines(max_events=300))
def test_rows_and_totals_match_a_scan_of_the_events(
    held: int, timeline: Timeline
) -> None:
    """Row times, counts and use days, and daily totals, as one loop over DoseEvents gives them.

    Also when the days summed so far are folded into the figures every day
    or every other day (*held*), not every 1,024 days.
    """
    with mock.patch.object(_summary_totals, "_HELD_DAYS", held):
        summary = summarize(timeline)
    counts: Counter[tuple[time, str, str, bool]] = Counter()
    for e in timeline:
        item = e.product.name + (f" ({e.product.variant})" if e.product.variant else "")
        counts[(e.at.time(), item, str(e.amount), e.as_needed)] += 1
    got: Counter[tuple[time, str, str, bool]] = Counter()
    for row in summary.rows:
        got[(row.time, row.item, str(row.amount), row.as_needed)] += row.count
    assert got == counts
    first, last = timeline.first_day, timeline.last_day
    if first is None or last is None:
        assert not timeline
        assert summary.substances == ()
        return
    for substance, part in zip(timeline.substances, summary.substances, strict=True):
        # Per day: [all high, all low, planned high, planned low], as Fractions.
        per_day: dict[object, list[Fraction]] = {}
        planned_days: set[object] = set()
        outside = unconverted = 0
        for e in timeline:
            day = local_day(e.at, time(0))
            quantity = e.contents.get(substance)
            if quantity is None:
                continue
            if not quantity.unit.converts_to(part.unit):
                unconverted += 1
                continue
            if not first <= day <= last:
                # outside the summary's period, first_day to last_day (a top-up
                # past a plan's last midnight; in a log of several zones, a
                # local date before the first event's)
                outside += 1
                continue
            low = e.dose.product.contents_of(e.dose.low)[substance]
            high_low = [
                Fraction(quantity.to(part.unit).amount),
                Fraction(low.to(part.unit).amount),
            ]
            sums = per_day.setdefault(day, [Fraction(0)] * 4)
            sums[0] += high_low[0]
            sums[1] += high_low[1]
            if not e.as_needed:
                planned_days.add(day)
                sums[2] += high_low[0]
                sums[3] += high_low[1]
        assert (part.outside, part.unconverted) == (outside, unconverted)
        assert part.use_days == len(planned_days)
        for totals, days, at in (
            (part.with_as_needed, list(per_day), 0),
            (part.planned, sorted(planned_days, key=str), 2),
        ):
            if totals is None:
                assert not days
                continue
            highs = [per_day[d][at] for d in days]
            lows = [per_day[d][at + 1] for d in days]
            assert Fraction(totals.max.amount) == max(highs)
            assert Fraction(totals.min.amount) == min(highs)
            # a mean that does not terminate is rounded as documented
            assert totals.mean.amount == trim(
                from_fraction(sum(highs, Fraction(0)) / len(highs))
            )
            assert Fraction(totals.max_low.amount) == max(lows)
            assert Fraction(totals.min_low.amount) == min(lows)
            assert totals.mean_low.amount == trim(
                from_fraction(sum(lows, Fraction(0)) / len(lows))
            )


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


def test_unconverted_doses_are_counted_one_by_one() -> None:
    """Doses of a unit that does not convert are counted, each one, not summed in."""
    from datetime import UTC, datetime, timedelta

    from regimen import Dose, DoseEvent, Product, Substance

    kratom = Substance("kratom")
    powder = Product("powder", contents={kratom: "1 g"}, per="1 g")
    capsules = Product("capsules", contents={kratom: "1 capsule"}, per="1 capsule")
    at = datetime(2027, 1, 1, 8, tzinfo=UTC)
    capsule = Dose(capsules, "1 capsule")  # one object: one kind, two a day
    log = Timeline(
        [
            DoseEvent(at, Dose(powder, "2 g")),
            DoseEvent(at + timedelta(hours=2), capsule),
            DoseEvent(at + timedelta(hours=4), capsule),
            DoseEvent(at + timedelta(days=1), capsule),
        ]
    )
    [part] = summarize(log).substances
    assert part.unconverted == 3
    assert part.use_days == 1
    assert part.planned is not None
    assert str(part.planned.max) == "2 g"


@settings(max_examples=60)
@given(rst.timelines(max_events=300))
def test_slots_on_numpy_are_the_pure_passs(timeline: Timeline) -> None:
    """Each slot's days, in time order, slots in order of first event: numpy as pure Python."""
    us, kind_ids, kinds = _summary_rows.columns(timeline)
    offsets = [k.zone.offset for k in kinds]
    days = Context(timeline).days
    with mock.patch.object(_summary_rows, "numpy_or_none", return_value=None):
        pure = _summary_rows._days_by_slot(us, kind_ids, offsets, days)
    with mock.patch.object(_summary_rows, "MIN_EVENTS", 1):
        fast = _summary_rows._days_by_slot(us, kind_ids, offsets, days)
    assert list(fast.items()) == list(pure.items())
    assert sum(map(len, pure.values())) == len(timeline)
