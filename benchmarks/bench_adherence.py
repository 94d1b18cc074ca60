"""adherence() of a ten-year plan against a ten-year log, next to one validate().

The log is the plan's own timeline with every dose shifted by a few minutes,
a tenth of them left out and some extra doses added, so the matching has
real work. Goal: adherence at most twice one validate() of the plan with the
four benchmark rules (the same run measures both).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from _util import PROFILE, median_seconds
from bench_expand import protocol_plan

from regimen import DoseEvent, Timeline, adherence, validate


def make_log(timeline: Timeline) -> Timeline:
    """Shift each dose by up to 90 minutes, drop one in ten, add one in twenty."""
    rng = random.Random(20270101)
    events = []
    for event in timeline:
        if rng.random() < 0.1:
            continue
        shift = timedelta(minutes=rng.randint(-90, 90))
        events.append(DoseEvent(event.at + shift, event.dose))
        if rng.random() < 0.05:
            events.append(DoseEvent(event.at + timedelta(hours=5), event.dose))
    return Timeline(events)


def main() -> None:
    """Print the ratio of adherence to one validate()."""
    plan = protocol_plan(10)
    timeline = plan.timeline()
    log = make_log(timeline)
    last = timeline[-1].at
    at = datetime(last.year, last.month, last.day, 23, 0, tzinfo=last.tzinfo)
    result = adherence(plan, log, at=at)
    assert len(result.doses) == len(timeline)
    t_adherence = median_seconds(lambda: adherence(plan, log, at=at), repeat=5)
    t_validate = median_seconds(lambda: validate(plan.timeline(), PROFILE), repeat=5)
    counts = {s.label: n for s, n in result.counts().items() if n}
    print(f"planned {len(timeline)}, logged {len(log)}; statuses {counts}")
    print(f"adherence: {t_adherence * 1000:.1f} ms (median of 5)")
    print(f"validate (expansion included): {t_validate * 1000:.1f} ms (median of 5)")
    print(f"ratio: {t_adherence / t_validate:.2f} (goal <= 2.0)")


if __name__ == "__main__":
    main()
