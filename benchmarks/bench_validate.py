"""validate() against the numpy, pandas and polars pipelines a competent user would write.

On the protocol timeline of 10 and of 100 years (about 22,000 and 220,000
events) each side computes the four checks of ``_util.PROFILE`` and
returns the local days each rule flags; the pipelines (``_pipelines.py``)
convert the same ``Timeline`` to arrays as part of their cost. All four
must flag the same days, here and on a small timeline built to break every
rule (ties, two time zones, mg and g amounts). Timings are interleaved
(one run of each side per round, median over the rounds). Goals: validate
no slower than the pandas and the polars pipeline at both sizes (ratio
<= 1.0), ten times the events in at most 10.5 times the time; the ratio
to the numpy pipeline is reported.
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable
from datetime import date, datetime, time
from functools import partial
from time import process_time
from zoneinfo import ZoneInfo

from _pipelines import PIPELINES, Flagged
from _util import PROFILE, median_seconds
from bench_expand import ZONE, protocol_plan

from regimen import (
    Dose,
    DoseEvent,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Product,
    Substance,
    Timeline,
    validate,
)

#: What the pipelines hard-code, as the rules' plan-file tables.
RULES = [
    {"type": "max-amount", "substance": "kratom", "amount": "8 g", "per": "24 h"},
    {"type": "max-amount", "substance": "kratom", "amount": "6 g", "per": "day"},
    {"type": "max-doses", "substance": "kratom", "count": 3, "per": "day"},
    {"type": "min-interval", "substance": "kratom", "interval": "4 h"},
]


def with_regimen(timeline: Timeline) -> Flagged:
    """validate() with the four rules; the local days each rule flags."""
    report = validate(timeline, PROFILE)
    index = {id(rule): i for i, rule in enumerate(PROFILE.rules)}
    days: list[set[date]] = [set(), set(), set(), set()]
    for finding in report.findings:
        i = index.get(id(finding.rule))
        if i is not None and finding.code == RULES[i]["type"]:  # not "unknown-term"
            assert isinstance(finding.key, int), finding
            days[i].add(date.fromordinal(finding.key))
    a, b, c, d = map(frozenset, days)
    return a, b, c, d


def stress_timeline() -> Timeline:
    """A year of the protocol plus doses that break each rule, ties, a second zone."""
    kratom, kefir = Substance("kratom"), Substance("kefir")
    capsules = Product("capsules", contents={kratom: "500 mg"}, per="1 capsule")
    blend = Product("blend", contents={kratom: "0.5 g", kefir: "1 fl oz"}, per="1 g")
    home, away = ZoneInfo(ZONE), ZoneInfo("Europe/Berlin")
    base = protocol_plan(1).timeline()
    late = Dose(capsules, "3 capsule")
    extra: list[DoseEvent] = []
    for n, day in enumerate(sorted({e.at.date() for e in base})):
        if n % 5 == 0:  # a 4th dose, 3 h after the 3rd; its 24 h total is exactly 8 g
            extra.append(DoseEvent(datetime.combine(day, time(23), home), late))
        if n % 7 == 0:  # same instant as the 20:00 dose, a dose object of its own
            extra.append(
                DoseEvent(datetime.combine(day, time(20), home), Dose(blend, "2 g"))
            )
        if n % 11 == 0:  # 01:00 in Berlin is 19:00 or 20:00 in New York the day before
            extra.append(DoseEvent(datetime.combine(day, time(1), away), late))
    return Timeline([*base, *extra])


def check(timeline: Timeline) -> Flagged:
    """Assert that every pipeline flags the days validate flags; return those."""
    ours = with_regimen(timeline)
    for name, pipeline in PIPELINES.items():
        theirs = pipeline(timeline)
        for rule, mine, other in zip(RULES, ours, theirs, strict=True):
            assert mine == other, (name, rule, sorted(mine ^ other)[:5])
    return ours


def interleaved(
    functions: dict[str, Callable[[], object]],
    rounds: int,
    cpu: dict[str, list[float]] | None = None,
) -> dict[str, list[float]]:
    """Seconds of each run of each function, run once per round in turn.

    Each run starts after a ``gc.collect()``, so no side pays for the
    garbage of the one before. With *cpu*, each run's CPU time of this
    process is added to it too.
    """
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            gc.collect()
            began = process_time()
            times[name].append(median_seconds(function, repeat=1))
            if cpu is not None:
                cpu.setdefault(name, []).append(process_time() - began)
    return times


SIDES: dict[str, Callable[[Timeline], Flagged]] = {"regimen": with_regimen, **PIPELINES}
ROUNDS = 7


def main() -> None:
    """Check agreement, then print times, ratios and the scaling."""
    tables = [
        r.to_table()
        for r in PROFILE.rules
        if isinstance(r, MaxAmount | MaxDoses | MinInterval)
    ]
    assert tables == RULES, (
        f"the pipelines hard-code other rules than PROFILE: {tables}"
    )
    stress = check(stress_timeline())
    assert all(stress), f"the stress timeline must break every rule: {stress}"
    print("stress timeline: all pipelines agree with validate on every rule")
    timelines = {years: protocol_plan(years).timeline() for years in (10, 100)}
    for years, timeline in timelines.items():
        counts = tuple(len(days) for days in check(timeline))
        print(
            f"{years} years, {len(timeline)} events: all agree; days per rule {counts}"
        )
    # Both sizes and all sides in every round, so that a slow spell of the
    # machine falls on all of them.
    cpu: dict[str, list[float]] = {}
    runs = interleaved(
        {
            f"{name} {years}": partial(side, timeline)
            for years, timeline in timelines.items()
            for name, side in SIDES.items()
        },
        ROUNDS,
        cpu,
    )
    seconds = {key: statistics.median(ts) for key, ts in runs.items()}
    for years, timeline in timelines.items():
        print(f"\n{len(timeline)} events (median of {ROUNDS} interleaved rounds):")
        for name in SIDES:
            ts = runs[f"{name} {years}"]
            print(
                f"  {name:8} {seconds[f'{name} {years}'] * 1000:8.1f} ms"
                f"  (min {min(ts) * 1000:.1f}, max {max(ts) * 1000:.1f})"
            )
        ours = seconds[f"regimen {years}"]
        for name in PIPELINES:
            goal = "reported" if name == "numpy" else "goal <= 1.0"
            print(f"  regimen/{name}: {ours / seconds[f'{name} {years}']:.2f} ({goal})")
    print("\n10x events: ratio of the medians (of the fastest runs)")
    for name in SIDES:
        goal = " (goal <= 10.5x)" if name == "regimen" else ""
        median = seconds[f"{name} 100"] / seconds[f"{name} 10"]
        best = min(runs[f"{name} 100"]) / min(runs[f"{name} 10"])
        print(f"  {name:8} {median:5.1f}x ({best:.1f}x){goal}")
    # regimen runs in this process's one thread, so its CPU time is its work
    # whatever else the machine runs (the pipelines may use several threads).
    ours = statistics.median(cpu["regimen 100"]) / statistics.median(cpu["regimen 10"])
    print(f"  regimen, CPU time of this process: {ours:.1f}x (goal <= 10.5x)")


if __name__ == "__main__":
    main()
