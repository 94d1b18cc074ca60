"""summarize() per event, on the protocol plan of 10 and 100 years.

Goal: at most 2 µs per event. Measured in CPU time (``time.process_time``),
which a busy machine does not inflate, as the median of several runs, for a
plan (expansion included) and for its timeline (expanded once, as an app
keeps it). Side by side in the same run, a naive baseline: a loop over the
timeline's events that sums each substance's amounts per local day with
``Decimal`` — the smallest part of what a summary reports — so the ratio
shows what the rest costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

from _util import median_seconds
from bench_expand import protocol_plan

from regimen import Timeline, summarize

ROUNDS = 7


def cpu_seconds(function: Callable[[], object]) -> float:
    """Return the median CPU time of ROUNDS runs of *function*."""
    return median_seconds(function, repeat=ROUNDS, clock=time.process_time)


def naive_daily_sums(timeline: Timeline) -> dict[tuple[str, object], Decimal]:
    """Sum each substance's amount per local day, event by event."""
    sums: dict[tuple[str, object], Decimal] = {}
    for event in timeline:
        day = event.at.date()
        for substance, amount in event.contents.items():
            key = (substance.name, day)
            sums[key] = sums.get(key, Decimal(0)) + amount.amount
    return sums


def main() -> None:
    """Print µs per event for a plan and a timeline, and the ratio to the baseline."""
    for years in (10, 100):
        plan = protocol_plan(years)
        timeline = plan.timeline()
        list(timeline)  # the baseline reads events: build them before timing
        n = len(timeline)
        of_plan = cpu_seconds(lambda plan=plan: summarize(plan))
        of_timeline = cpu_seconds(lambda t=timeline: summarize(t))
        baseline = cpu_seconds(lambda t=timeline: naive_daily_sums(t))
        print(f"{years} years, {n} events (median CPU time of {ROUNDS} runs):")
        print(
            f"  summarize(plan):     {of_plan / n * 1e6:5.2f} µs per event (goal <= 2)"
        )
        print(
            f"  summarize(timeline): {of_timeline / n * 1e6:5.2f} µs per event (goal <= 2)"
        )
        print(f"  naive daily sums:    {baseline / n * 1e6:5.2f} µs per event")
        print(f"  ratio summarize(plan) / naive daily sums: {of_plan / baseline:.2f}")


if __name__ == "__main__":
    main()
