"""Shared helpers for the benchmark scripts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from regimen import MaxAmount, MaxDoses, MinInterval, Profile

#: The four rules the validation benchmarks check: a rolling 24 h amount, a
#: calendar-day amount, doses per day and a minimum interval.
PROFILE = Profile(
    rules=[
        MaxAmount("kratom", "8 g", per=timedelta(hours=24)),
        MaxAmount("kratom", "6 g", per="day"),
        MaxDoses("kratom", 3, per="day"),
        MinInterval("kratom", timedelta(hours=4)),
    ]
)


def median_seconds(
    function: Callable[[], object],
    *,
    repeat: int = 7,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Run *function* ``repeat`` times and return the median time on *clock* (wall time)."""
    times = []
    for _ in range(repeat):
        start = clock()
        function()
        times.append(clock() - start)
    return statistics.median(times)
