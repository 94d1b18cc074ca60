"""Tests that pin the window and gap sweeps exactly enough to kill their mutants (issue 10).

The numpy sweeps (:mod:`regimen._windows_np`) are called directly on
arrays, at the edges of what they take on; the pure sweeps
(:mod:`regimen._windows`) and the rules built on them are checked on small
series whose answers are worked out by hand.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from regimen import (
    Dose,
    DoseEvent,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Timeline,
    _rules_window,
    _windows,
)
from regimen import _windows_np as wnp
from regimen._rules_base import Per
from regimen._series import Series
from regimen._windows import worst_windows

from .helpers import MAENG_DA

HOUR = 3_600_000_000
DAY = 24 * HOUR
SAFE = 1 << 62


def series(
    times: list[int], days: list[int], values: list[int] | None = None
) -> Series:
    return Series(
        events=[],
        times=times,
        days=days,
        amounts=values if values is not None else [1] * len(times),
        unit=None,
        scale=0,
        mismatched=[],
    )


def arrays(
    times: list[int], days: list[int], values: list[int]
) -> tuple[object, object, object]:
    return (
        np.array(times, dtype=np.int64),
        np.array(days, dtype=np.int64),
        np.array(values, dtype=np.int64),
    )


# Three days: two doses of 2 on day 0 (1 h apart); 2, 1 and 3 on day 1 (at 08:00,
# 10:00 and 11:00); 5 on day 2.
TIMES = [8 * HOUR, 9 * HOUR, DAY + 8 * HOUR, DAY + 10 * HOUR, DAY + 11 * HOUR, 2 * DAY]
DAYS = [0, 0, 1, 1, 1, 2]
VALUES = [2, 2, 2, 1, 3, 5]
DATA = arrays(TIMES, DAYS, VALUES)


def rows(columns: tuple[list[int], ...] | None) -> list[tuple[int, ...]] | None:
    """Turn the sweeps' columns into one tuple per day (``None`` stays ``None``)."""
    return None if columns is None else list(zip(*columns, strict=True))


class TestWindowRows:
    def test_day(self) -> None:
        """Each day's total over the limit, with the index of its last event."""
        assert rows(wnp.window_rows(DATA, "day", 3)) == [
            (0, 4, 1),
            (1, 6, 4),
            (2, 5, 5),
        ]
        assert rows(wnp.window_rows(DATA, "day", 4)) == [(1, 6, 4), (2, 5, 5)]
        assert rows(wnp.window_rows(DATA, "day", 5)) == [(1, 6, 4)]

    def test_dose(self) -> None:
        """Each day's largest dose over the limit (not the first over it), the first of equals."""
        assert rows(wnp.window_rows(DATA, "dose", 1)) == [
            (0, 2, 0),
            (1, 3, 4),
            (2, 5, 5),
        ]
        # a dose equal to the limit is fine
        assert rows(wnp.window_rows(DATA, "dose", 2)) == [(1, 3, 4), (2, 5, 5)]

    def test_rolling(self) -> None:
        """The window (t - w, t] ending at each event; each day's worst (not its first)."""
        assert rows(wnp.window_rows(DATA, 4 * HOUR, 2)) == [
            (0, 4, 1),
            (1, 6, 4),
            (2, 5, 5),
        ]
        # a window of exactly 3 h leaves out the dose 3 h before
        assert rows(wnp.window_rows(DATA, 3 * HOUR, 2)) == [
            (0, 4, 1),
            (1, 4, 4),
            (2, 5, 5),
        ]
        assert rows(wnp.window_rows(DATA, HOUR, 2)) == [(1, 3, 4), (2, 5, 5)]
        assert rows(wnp.window_rows(DATA, HOUR + 1, 2)) == [
            (0, 4, 1),
            (1, 4, 4),
            (2, 5, 5),
        ]

    @pytest.mark.parametrize("per", ["day", "dose", HOUR])
    def test_limits_it_cannot_hold_are_left_to_pure_python(
        self, per: str | int
    ) -> None:
        """A limit of 2**62 or more, or below zero, gives None; just under 2**62 is swept."""
        assert rows(wnp.window_rows(DATA, per, SAFE)) is None
        assert rows(wnp.window_rows(DATA, per, SAFE + 1)) is None
        assert rows(wnp.window_rows(DATA, per, -1)) is None
        assert rows(wnp.window_rows(DATA, per, SAFE - 1)) == []
        assert rows(wnp.window_rows(DATA, per, 0)) != []

    def test_windows_it_cannot_hold_are_left_to_pure_python(self) -> None:
        """A width of 2**62 or more, or reaching below -2**62, gives None; "week" too."""
        assert rows(wnp.window_rows(DATA, "week", 1)) is None
        assert rows(wnp.window_rows(DATA, SAFE, 1)) is None
        assert rows(wnp.window_rows(DATA, SAFE - 1, 1)) == [
            (0, 4, 1),
            (1, 10, 4),
            (2, 15, 5),
        ]
        # the first instant minus the width must stay at or above -2**62
        early = arrays([-(1 << 61), 0], [0, 1], [2, 2])
        assert rows(wnp.window_rows(early, (1 << 61) + 1, 1)) is None
        assert rows(wnp.window_rows(early, 1 << 61, 1)) == [(0, 2, 0), (1, 2, 1)]


class TestGapRows:
    def test_shortest_gap_per_day(self) -> None:
        """Each day's shortest gap under the need, as the index of the later dose."""
        assert rows(wnp.gap_rows(DATA, 2 * HOUR)) == [(0, 1), (1, 4)]
        # a gap equal to the need is fine
        assert rows(wnp.gap_rows(DATA, HOUR)) == []
        assert rows(wnp.gap_rows(DATA, HOUR + 1)) == [(0, 1), (1, 4)]

    def test_needs_it_cannot_hold_are_left_to_pure_python(self) -> None:
        """A need of 2**62 or more gives None; just under is swept."""
        assert rows(wnp.gap_rows(DATA, SAFE)) is None
        assert rows(wnp.gap_rows(DATA, SAFE - 1)) == [(0, 1), (1, 4), (2, 5)]


class TestArrays:
    N = wnp.MIN_EVENTS

    def test_values_that_do_not_fit_or_are_negative(self) -> None:
        """Negative values, or values summing to 2**62, stay in pure Python."""
        ok = series(list(range(self.N)), [0] * self.N)
        zeros = [0] * (self.N - 1)
        assert wnp.arrays(ok, [-1, *zeros]) is None
        assert wnp.arrays(ok, [SAFE, *zeros]) is None
        got = wnp.arrays(ok, [SAFE - 1, *zeros])
        assert got is not None
        assert got[2].tolist() == [SAFE - 1, *zeros]

    def test_days_that_go_back_anywhere_stay_in_pure_python(self) -> None:
        """Local days going back after the first (two zones) are found, not only below it."""
        back = series(list(range(self.N)), [0, 1] * (self.N // 2))
        assert wnp.arrays(back, None) is None
        late = series(list(range(self.N)), [0] * (self.N - 2) + [2, 1])
        assert wnp.arrays(late, None) is None

    def test_counts_and_days_are_converted_once(self) -> None:
        """Without values each event counts 1; times and days are kept on the series."""
        ok = series([k * HOUR for k in range(self.N)], [k // 24 for k in range(self.N)])
        got = wnp.arrays(ok, None)
        assert got is not None
        times, days, values = got
        assert times.tolist() == ok.times
        assert days.tolist() == ok.days
        assert values.tolist() == [1] * self.N
        assert str(values.dtype) == "int64"
        again = wnp.arrays(ok, [2] * self.N)
        assert again is not None
        assert again[0] is times
        assert again[2].tolist() == [2] * self.N


def long_series() -> tuple[Series, list[int]]:
    """2048 events, one every 3 h 20 min, amounts cycling 1 to 5 (one time zone)."""
    step = 3 * HOUR + HOUR // 3
    times = [k * step for k in range(wnp.MIN_EVENTS)]
    values = [k % 5 + 1 for k in range(wnp.MIN_EVENTS)]
    return series(times, [739_985 + t // DAY for t in times], values), values


@pytest.mark.parametrize(
    ("per", "width", "limit"),
    [
        ("day", "day", 21),
        ("dose", "dose", 4),
        (timedelta(hours=7), 7 * HOUR, 8),
        ("week", None, 150),
    ],
)
def test_long_series_are_swept_on_arrays_with_the_same_rows(
    per: Per, width: str | int | None, limit: int
) -> None:
    """From 2048 events the sweeps run on numpy (not for weeks), giving the pure rows."""
    s, values = long_series()
    returned: list[object] = []

    def record(*args: Any) -> object:
        rows = wnp.window_rows(*args)
        returned.append(rows)
        return rows

    with mock.patch.object(_windows, "window_rows", side_effect=record) as spy:
        fast = worst_windows(s, values, per, limit)
    if width is None:
        spy.assert_not_called()
    else:
        spy.assert_called_once()
        assert spy.call_args.args[1:] == (width, limit)
        assert type(spy.call_args.args[1]) is type(width)
        assert len(returned) == 1
        assert returned[0] is fast  # the numpy rows, not a second, pure sweep's
    with mock.patch.object(wnp, "_numpy", return_value=None):
        slow = worst_windows(s, values, per, limit)
    assert fast == slow
    assert fast[0]  # the limit is passed


def test_long_series_gaps_are_found_on_arrays() -> None:
    """MinInterval's gaps of a long series come from gap_rows, as the pure sweep finds them."""
    events = [
        DoseEvent(datetime(2027, 1, 1, tzinfo=UTC) + k * timedelta(hours=3, minutes=20),
                  Dose(MAENG_DA, "1 g"))
        for k in range(wnp.MIN_EVENTS)
    ]  # fmt: skip
    log = Timeline(events)
    rule = MinInterval("kratom", "3 h 30 min")
    with mock.patch.object(_rules_window, "gap_rows", wraps=wnp.gap_rows) as spy:
        fast = list(rule.check(log))
    spy.assert_called_once()
    assert spy.call_args.args[1] == (3 * HOUR + HOUR // 2)
    with mock.patch.object(wnp, "_numpy", return_value=None):
        slow = list(rule.check(Timeline(events)))
    assert fast == slow
    # one finding per UTC day (7 or 8 doses a day), its first short gap
    assert len(fast) == len({e.at.date() for e in events[1:]})
    assert fast[0].measured == timedelta(hours=3, minutes=20)
    assert fast[0].at == events[1].at


def test_without_numpy_the_import_is_tried_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When numpy cannot be imported the sweeps stay pure, and the import is not retried."""
    monkeypatch.setattr(wnp, "_np", None)
    monkeypatch.setattr(wnp, "_missing", False)
    with mock.patch.dict(sys.modules, {"numpy": None}):  # importing it fails
        assert wnp._numpy() is None
    assert wnp._missing is True
    assert wnp._numpy() is None  # numpy importable again, but not tried
    s, values = long_series()
    assert wnp.arrays(s, values) is None
    monkeypatch.setattr(wnp, "_missing", False)
    assert wnp._numpy() is np
    assert wnp._np is np
    assert wnp._numpy() is np


NY = ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=NY)


def test_rolling_findings_list_only_the_events_of_windows_over_the_limit() -> None:
    """Events of windows at or under the limit that day are not cited, earlier doses or not."""
    log = Timeline(
        [
            DoseEvent(at(4, 12), Dose(MAENG_DA, "5 g")),  # alone: equal to the limit
            DoseEvent(at(5, 1), Dose(MAENG_DA, "1 g")),
            DoseEvent(at(5, 10, 30), Dose(MAENG_DA, "2 g")),
            DoseEvent(at(5, 12), Dose(MAENG_DA, "3 g")),  # with 10:30: 5 g, the limit
            DoseEvent(at(5, 13), Dose(MAENG_DA, "3 g")),  # with 12:00: 6 g
        ]
    )
    found = list(MaxAmount("kratom", "5 g", per=timedelta(hours=2)).check(log))
    assert [(f.message, [e.at for e in f.events]) for f in found] == [
        (
            "6 g of kratom in the 2 h ending 2027-01-05 13:00 EST; limit 5 g",
            [at(5, 12), at(5, 13)],
        )
    ]


def test_windows_longer_than_2_to_the_53_microseconds_cite_both_doses() -> None:
    """A window's edge is found in whole microseconds however long: the first dose is in it."""
    per = timedelta(days=999_999, microseconds=1)
    start = at(4, 8)
    log = Timeline(
        [
            DoseEvent(start, Dose(MAENG_DA, "2 g")),
            DoseEvent(start + per - timedelta(microseconds=1), Dose(MAENG_DA, "2 g")),
        ]
    )
    found = list(MaxDoses("kratom", 1, per=per).check(log))
    assert [(f.measured, len(f.events)) for f in found] == [(2, 2)]
    assert found[0].events[0].at == start


def test_min_interval_cites_no_gap_equal_to_the_interval() -> None:
    """Of a day's gaps, only those shorter than the interval have their doses cited."""
    log = Timeline(
        [
            DoseEvent(at(4, h, m), Dose(MAENG_DA, "1 g"))
            for h, m in [(8, 0), (8, 30), (12, 0), (13, 0)]
        ]
    )
    found = list(MinInterval("kratom", "1 h").check(log))
    assert [(f.measured, [e.at for e in f.events]) for f in found] == [
        (timedelta(minutes=30), [at(4, 8), at(4, 8, 30)])
    ]
