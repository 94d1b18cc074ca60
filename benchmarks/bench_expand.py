"""Expansion speed and timeline memory.

1. Expands a ten-year plan with the six daily times of the source protocol
   table (about 22,000 events) and compares it, in one run, with a bare loop
   that produces the same instants with ``dateutil.rrule`` + localize + sort.
   Goal: at most 4x the bare loop.
2. Measures bytes per event of a 100,000-event timeline with tracemalloc,
   as expanded (an index of instants and kinds; events are built when
   first asked for) and once every event has been built.
   Goal: at most 120 bytes per event as expanded.
3. Validates the ten-year timeline twice: the second run reuses what the
   timeline's index cached (series, day numbers), so it must be faster.
4. Expands the ten-year plan with repeating breaks of kratom (Sundays off,
   the first three days of each month, five days of use then two off).
   Goal: each within 1.5x the plan without breaks (they remove events, and
   are asked about once per day of each entry).
"""

from __future__ import annotations

import gc
import time as time_module
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import attrs
from _util import PROFILE, median_seconds
from dateutil.rrule import DAILY, rrule

from regimen import Break, Dose, Entry, Plan, Product, Schedule, Substance, validate

ZONE = "America/New_York"
TIMES = ["08:00", "08:30", "13:00", "14:00", "20:00", "20:30"]


def protocol_plan(years: int) -> Plan:
    """The protocol table: kefir and three kratom strains across the day."""
    kratom, kefir = Substance("kratom"), Substance("kefir", classes={"probiotic"})
    strains = [
        Product(n, contents={kratom: "1 g"}, per="1 g")
        for n in ("Maeng Da", "Green Malay", "Red Bali")
    ]
    milk = Product("milk kefir", contents={kefir: "1 fl oz"}, per="1 fl oz")
    doses = [
        Dose(milk, "6 fl oz"),
        Dose(strains[0], "2.5 g"),
        Dose(milk, "6 fl oz"),
        Dose(strains[1], "2 g"),
        Dose(strains[2], "2 g"),
        Dose(milk, "4 fl oz"),
    ]
    entries = [Entry(d, Schedule.daily(t)) for d, t in zip(doses, TIMES, strict=True)]
    return Plan(
        "protocol",
        timezone=ZONE,
        start="2027-01-01",
        end=f"{2027 + years - 1}-12-31",
        entries=entries,
    )


def bare_loop(years: int) -> list[datetime]:
    """The same instants from dateutil.rrule, localized with zoneinfo, sorted."""
    tz = ZoneInfo(ZONE)
    out = []
    for text in TIMES:
        wall = time.fromisoformat(text)
        rule = rrule(
            DAILY,
            dtstart=datetime(2027, 1, 1, wall.hour, wall.minute),
            until=datetime(2027 + years - 1, 12, 31, 23, 59),
        )
        out.extend(dt.replace(tzinfo=tz).astimezone(UTC).astimezone(tz) for dt in rule)
    out.sort(key=lambda d: d.astimezone(UTC))
    return out


def main() -> None:
    """Print both measurements."""
    plan = protocol_plan(10)
    ours = plan.timeline()
    theirs = bare_loop(10)
    assert [e.at for e in ours] == theirs, "the two expansions disagree"
    t_ours = median_seconds(plan.timeline)
    t_bare = median_seconds(lambda: bare_loop(10))
    print(f"events: {len(ours)}")
    print(f"regimen Plan.timeline: {t_ours * 1000:.1f} ms (median of 7)")
    print(f"bare rrule+localize+sort: {t_bare * 1000:.1f} ms (median of 7)")
    print(f"ratio: {t_ours / t_bare:.2f}x (goal <= 4x)")

    big = protocol_plan(46)  # 46 years x 365.25 days x 6 times ~ 100,800 events
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    timeline = big.timeline()
    after = tracemalloc.get_traced_memory()[0]
    for _event in timeline:  # builds (and keeps) every event
        pass
    built = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_event = (after - before) / len(timeline)
    print(
        f"timeline of {len(timeline)} events: {per_event:.0f} bytes per event "
        "as expanded (goal <= 120)"
    )
    print(
        f"  with every event built: {(built - before) / len(timeline):.0f} bytes per event"
    )

    for pause in (
        Break.weekly("SU", start="2027-01-01", substances=["kratom"]),
        Break.rrule(
            "FREQ=MONTHLY;BYMONTHDAY=1,2,3", start="2027-01-01", substances=["kratom"]
        ),
        Break.cycle(on_days=5, off_days=2, start="2027-01-01", substances=["kratom"]),
    ):
        paused = attrs.evolve(plan, breaks=[pause])
        t_paused = median_seconds(paused.timeline)
        print(
            f"with a break {pause.describe()}: {t_paused * 1000:.1f} ms, "
            f"{t_paused / t_ours:.2f}x without (goal <= 1.5x)"
        )

    firsts, seconds = [], []
    for _ in range(5):
        fresh = plan.timeline()
        firsts.append(_seconds(lambda t=fresh: validate(t, PROFILE)))
        seconds.append(_seconds(lambda t=fresh: validate(t, PROFILE)))
    first, second = sorted(firsts)[2], sorted(seconds)[2]
    print(
        f"validate {len(ours)} events: first {first * 1000:.1f} ms, "
        f"second on the same timeline {second * 1000:.1f} ms (median of 5)"
    )


def _seconds(function: Callable[[], object]) -> float:
    start = time_module.perf_counter()
    function()
    return time_module.perf_counter() - start


if __name__ == "__main__":
    main()
