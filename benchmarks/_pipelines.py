"""The four benchmark checks as a data-savvy user would write them: numpy, pandas, polars.

Each pipeline takes a :class:`~regimen.Timeline` and returns, for each rule
of ``_util.PROFILE`` in order, the set of local days it flags (the events'
own zone, days from 00:00): a rolling 24 h kratom total over 8 g (a window
``(t - 24 h, t]`` ending at an event counts for that event's day), a
calendar-day total over 6 g, more than 3 doses a day, and a gap under 4 h
to the previous dose (for the later dose's day). That is what ``validate``
reports: one finding per day per rule.

The conversion to arrays is part of each pipeline's cost. It looks at each
distinct dose once (events of one entry share one ``Dose`` object, so the
kratom milligrams are cached per ``id(event.dose)``), takes instants from
``event.timestamp_us`` and the local day from the wall date of ``event.at``
(``toordinal()``: no per-event ``utcoffset()``, which costs several times
more). Amounts are integer milligrams, so every total is exact; where a
library sums in float64 the totals are asserted to stay below 2**53.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import compress
from operator import attrgetter
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl

from regimen import Dose, Timeline

#: The set of local days each rule flags, in the order of ``PROFILE.rules``.
Flagged: TypeAlias = tuple[
    frozenset[date], frozenset[date], frozenset[date], frozenset[date]
]
Ints: TypeAlias = npt.NDArray[np.int64]

SUBSTANCE = "kratom"
ROLLING_MG = 8_000  # MaxAmount("kratom", "8 g", per=timedelta(hours=24))
WINDOW_US = 24 * 3_600_000_000
DAY_MG = 6_000  # MaxAmount("kratom", "6 g", per="day")
DAY_DOSES = 3  # MaxDoses("kratom", 3, per="day")
GAP_US = 4 * 3_600_000_000  # MinInterval("kratom", timedelta(hours=4))
FLOAT_EXACT = 2**53  # integers below this add exactly in float64

_dose = attrgetter("dose")
_at = attrgetter("at")
_us = attrgetter("timestamp_us")


def milligrams(dose: Dose) -> int:
    """The kratom in *dose* in whole milligrams (-1 when it has none)."""
    parts = [q.to("g").amount for s, q in dose.contents.items() if s.matches(SUBSTANCE)]
    if not parts:
        return -1
    mg = sum(parts, Decimal(0)) * 1000
    assert mg == mg.to_integral_value(), f"{dose} is not a whole number of mg"
    return int(mg)


def columns(timeline: Timeline) -> tuple[Ints, Ints, Ints]:
    """The kratom events as arrays: instants (µs, UTC), local day ordinals, mg.

    In time order, as the timeline is.
    """
    events = list(timeline)
    doses = list(map(_dose, events))
    ids = np.fromiter(map(id, doses), np.int64, len(doses))
    _, first, which = np.unique(ids, return_index=True, return_inverse=True)
    per_dose = np.array([milligrams(doses[i]) for i in first.tolist()], np.int64)
    mg = per_dose[which]
    keep = mg >= 0
    picked = list(compress(events, keep.tolist()))
    n = len(picked)
    times = np.fromiter(map(_us, picked), np.int64, n)
    days = np.fromiter(map(date.toordinal, map(_at, picked)), np.int64, n)
    return times, days, mg[keep]


def _dates(ordinals: npt.ArrayLike) -> frozenset[date]:
    return frozenset(map(date.fromordinal, np.unique(ordinals).tolist()))


def with_numpy(timeline: Timeline) -> Flagged:
    """The four checks with numpy: cumulative sums, searchsorted, bincount, diff."""
    times, days, mg = columns(timeline)
    if not len(times):
        return frozenset(), frozenset(), frozenset(), frozenset()
    running = np.concatenate(([0], np.cumsum(mg)))
    # (t - 24 h, t], events at the same instant included
    lo = np.searchsorted(times, times - WINDOW_US, side="right")
    hi = np.searchsorted(times, times, side="right")
    rolling = running[hi] - running[lo]
    first = days.min()
    offset = days - first
    assert running[-1] < FLOAT_EXACT  # bincount sums its weights in float64
    per_day = np.bincount(offset, weights=mg)
    count = np.bincount(offset)
    short = np.diff(times) < GAP_US
    return (
        _dates(days[rolling > ROLLING_MG]),
        _dates(np.flatnonzero(per_day > DAY_MG) + first),
        _dates(np.flatnonzero(count > DAY_DOSES) + first),
        _dates(days[1:][short]),
    )


def with_pandas(timeline: Timeline) -> Flagged:
    """The four checks with pandas: a time-indexed rolling sum, groupby, diff."""
    times, days, mg = columns(timeline)
    assert mg.sum() < FLOAT_EXACT  # rolling sums in float64
    frame = pd.DataFrame(
        {"day": days, "mg": mg, "us": times}, index=pd.to_datetime(times, unit="us")
    )
    rolling = frame["mg"].rolling("24h").sum()
    if not frame.index.is_unique:  # pandas counts a tie only from its last row
        rolling = rolling.groupby(level=0).transform("max")
    daily = frame.groupby("day")["mg"].agg(["sum", "count"])
    short = frame["us"].diff() < GAP_US
    return (
        _dates(frame["day"][rolling.to_numpy() > ROLLING_MG].to_numpy()),
        _dates(daily.index[daily["sum"] > DAY_MG].to_numpy()),
        _dates(daily.index[daily["count"] > DAY_DOSES].to_numpy()),
        _dates(frame["day"][short.to_numpy()].to_numpy()),
    )


def with_polars(timeline: Timeline) -> Flagged:
    """The four checks with polars: rolling_sum_by, group_by, diff."""
    times, days, mg = columns(timeline)
    frame = pl.DataFrame({"us": times, "day": days, "mg": mg}).with_columns(
        at=pl.from_epoch("us", time_unit="us")
    )
    events = frame.select(
        rolling=pl.col("mg").rolling_sum_by("at", window_size="24h") > ROLLING_MG,
        short=pl.col("us").diff() < GAP_US,
        day="day",
    )
    daily = frame.group_by("day").agg(total=pl.col("mg").sum(), doses=pl.len())
    return (
        _dates(events.filter("rolling")["day"].to_numpy()),
        _dates(daily.filter(pl.col("total") > DAY_MG)["day"].to_numpy()),
        _dates(daily.filter(pl.col("doses") > DAY_DOSES)["day"].to_numpy()),
        _dates(events.filter("short")["day"].to_numpy()),
    )


PIPELINES = {"pandas": with_pandas, "polars": with_polars, "numpy": with_numpy}
