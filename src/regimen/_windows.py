"""Where a window rule's limit is passed: each group's worst window, and who took part.

The sweeps :class:`~regimen.MaxAmount` and :class:`~regimen.MaxDoses` share,
over a series' exact integer values (:mod:`regimen._series`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import TypeAlias

from ._rules_base import US, Per
from ._series import Series, as_list
from ._windows_np import arrays, window_rows

__all__ = ["Columns", "Involved", "worst_windows"]

Row: TypeAlias = tuple[int, int, int]
"""A group's worst window over the limit: (key, total, index of its last event)."""
Columns: TypeAlias = tuple[list[int], list[int], list[int]]
"""The groups' worst windows over the limit as columns: keys, totals, lasts."""


def worst_windows(series: Series, values: list[int], per: Per, limit: int) -> Columns:
    """Each group's worst window whose total passes *limit*: keys, totals, lasts.

    For "day"/"week" a group is a local day or an ISO week (key: day number
    or year*100+week); for a rolling window the window ending at each
    event's instant counts for that event's day; for "dose" each event is
    its own window. Only windows over the limit are kept, so the sweep
    allocates nothing per event within the limit; which events take part
    is worked out by :class:`Involved` when a finding's events are read.
    """
    if per != "week":
        data = arrays(series, values)
        if data is not None:
            width = per // US if isinstance(per, timedelta) else per
            rows = window_rows(data, width, limit)
            if rows is not None:
                return rows
    return _columns(_worst_rows(series, values, per, limit))


def _columns(rows: list[Row]) -> Columns:
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _worst_rows(series: Series, values: list[int], per: Per, limit: int) -> list[Row]:
    """Sweep in pure Python for :func:`worst_windows`: one row per group."""
    best: dict[int, Row] = {}
    n = len(values)
    days = as_list(series.days)  # read per event: ints, not an array's
    if per == "dose":
        for i in range(n):
            if values[i] > limit:
                day = days[i]
                if day not in best or values[i] > best[day][1]:
                    best[day] = (day, values[i], i)
        return list(best.values())
    if per == "day":
        totals: dict[int, int] = {}
        last: dict[int, int] = {}
        for i in range(n):
            day = days[i]
            totals[day] = totals.get(day, 0) + values[i]
            last[day] = i
        return [(d, t, last[d]) for d, t in totals.items() if t > limit]
    if per == "week":
        for key, indices in _weeks(series).items():
            total = sum(values[i] for i in indices)
            if total > limit:
                best[key] = (key, total, indices[-1])
        return list(best.values())
    assert isinstance(per, timedelta)
    width = per // US
    times = as_list(series.times)
    lo = total = i = 0
    while i < n:
        now = times[i]
        j = i
        while j < n and times[j] == now:
            total += values[j]
            j += 1
        while times[lo] <= now - width:
            total -= values[lo]
            lo += 1
        if total > limit:
            for k in range(i, j):
                day = days[k]
                if day not in best or total > best[day][1]:
                    best[day] = (day, total, j - 1)
        i = j
    return list(best.values())


def _weeks(series: Series) -> dict[int, list[int]]:
    """ISO week key -> the indices of its events, in time order."""
    groups: dict[int, list[int]] = {}
    for day, day_indices in series.by_day.items():
        groups.setdefault(_week(day), []).extend(day_indices)
    return {key: sorted(indices) for key, indices in groups.items()}


def _week(day_number: int) -> int:
    iso = date.fromordinal(day_number).isocalendar()
    return iso.year * 100 + iso.week


class Involved:
    """Which events take part in a group's windows over the limit, worked out on demand.

    Every event of a window over the limit in the group (so a dose that
    takes part in any violation is in a finding): for "dose" the doses over
    it that day, for "day" and "week" every event of the group, for a
    rolling window every event of each over-limit window ending that day.
    """

    __slots__ = ("_prefix", "_weeks", "limit", "per", "series", "values")

    def __init__(self, series: Series, values: list[int], per: Per, limit: int) -> None:
        self.series, self.values, self.per, self.limit = series, values, per, limit
        self._prefix: list[int] | None = None
        self._weeks: dict[int, list[int]] | None = None

    def __call__(self, key: int) -> Sequence[int]:
        per, series = self.per, self.series
        if per == "week":
            if self._weeks is None:
                self._weeks = _weeks(series)
            return self._weeks[key]
        day = series.by_day[key]
        if per == "day":
            return day
        values, limit = self.values, self.limit
        if per == "dose":
            return [i for i in day if values[i] > limit]
        assert isinstance(per, timedelta)
        if self._prefix is None:
            self._prefix = [0, *accumulate(values)]
        prefix, times, width = self._prefix, series.times, per // US
        # The windows over the limit, merged: their starts and ends only grow
        # with k, so each event is listed once (no set of every window's events).
        spans: list[list[int]] = []
        for k in day:
            j = bisect_right(times, times[k])
            lo = bisect_right(times, times[k] - width)
            if prefix[j] - prefix[lo] > limit:
                if spans and lo <= spans[-1][1]:
                    spans[-1][1] = max(spans[-1][1], j)
                else:
                    spans.append([lo, j])
        return [i for lo, hi in spans for i in range(lo, hi)]
