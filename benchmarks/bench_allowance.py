"""allowance() on long logs: per call once the log's checks are built, and the first call.

The log is the protocol plan's own timeline (three kratom doses a day among
kefir) over 1, 10 and 100 years; the profile has six rules: two amount
limits, a daily and a weekly dose count, a minimum interval and an
error-level interaction note. Questions are asked on random days of the
log: at 02:00 (a dose is allowed, with an amount) and at 15:00 (the interval
forbids one; the search finds midnight). Goals at ten years: at most 50 µs
per allowed call and 2 ms per blocked call (medians), and the first call on
a new log at most one validate() of it with the same rules (measured in the
same run).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta

from bench_expand import protocol_plan

from regimen import (
    Interaction,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Profile,
    Substance,
    Timeline,
    allowance,
    validate,
)

KRATOM = Substance("kratom")
PROFILE = Profile(
    rules=[
        MaxAmount("kratom", "10 g", per=timedelta(hours=24)),
        MaxAmount("kratom", "8 g", per="day"),
        MaxDoses("kratom", 4, per="day"),
        MaxDoses("kratom", 28, per="week"),
        MinInterval("kratom", timedelta(hours=4)),
    ],
    interactions=[
        Interaction(
            "kratom",
            "alcohol",
            severity="error",
            within=timedelta(hours=12),
            note="listed as a combination to avoid",
        )
    ],
)


def moments(log: Timeline, hour: int, n: int) -> list[datetime]:
    """Return *n* moments at *hour* on random days of *log*."""
    rng = random.Random(hour)
    first, tz = log[0].at, log[0].at.tzinfo
    days = (log[-1].at.date() - first.date()).days
    return [
        datetime.combine(
            first.date() + timedelta(days=rng.randrange(1, days)),
            datetime.min.time().replace(hour=hour),
            tzinfo=tz,
        )
        for _ in range(n)
    ]


def per_call(log: Timeline, ats: list[datetime]) -> float:
    """Return the median seconds of one allowance() call over *ats*."""
    times = []
    for at in ats:
        start = time.perf_counter()
        allowance(log, PROFILE, KRATOM, at=at)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_plan(years: int) -> None:
    """Ask every minute of an evening with plan=: the log is the plan up to that day."""
    plan = protocol_plan(years)
    everything = plan.timeline()
    day = everything[-1].at.date() - timedelta(days=30)
    tz = everything[0].at.tzinfo
    evening = datetime.combine(day, datetime.min.time().replace(hour=15), tzinfo=tz)
    log = Timeline([e for e in everything if e.at < evening])
    ats = [evening + timedelta(minutes=m) for m in range(240)]
    times = []
    for at in ats:
        start = time.perf_counter()
        allowance(log, PROFILE, KRATOM, at=at, plan=plan)
        times.append(time.perf_counter() - start)
    print(
        f"    with plan=, every minute 15:00-19:00: first {times[0] * 1e3:.1f} ms, "
        f"then {statistics.median(times) * 1e6:.1f} µs per call (median)"
    )


def main() -> None:
    """Print per-call medians and the first call against one validate()."""
    for years in (1, 10, 100):
        log = protocol_plan(years).timeline()
        start = time.perf_counter()
        first = allowance(log, PROFILE, KRATOM, at=moments(log, 2, 1)[0])
        t_first = time.perf_counter() - start
        start = time.perf_counter()
        validate(log, PROFILE)
        t_validate = time.perf_counter() - start
        allowed = moments(log, 2, 200)
        blocked = moments(log, 15, 200)
        assert first.allowed_now
        assert allowance(log, PROFILE, KRATOM, at=allowed[0]).allowed_now
        assert not allowance(log, PROFILE, KRATOM, at=blocked[0]).allowed_now
        t_allowed = per_call(log, allowed)
        t_blocked = per_call(log, blocked)
        print(f"{years:>3} years, {len(log)} events:")
        print(
            f"    allowed, per call:  {t_allowed * 1e6:8.1f} µs (median; goal at 10 years <= 50)"
        )
        print(
            f"    blocked, per call:  {t_blocked * 1e3:8.3f} ms (median; goal at 10 years <= 2)"
        )
        with_plan(years)
        print(
            f"    first call {t_first * 1e3:.1f} ms, one validate {t_validate * 1e3:.1f} ms: "
            f"ratio {t_first / t_validate:.2f} (goal <= 1)"
        )


if __name__ == "__main__":
    main()
