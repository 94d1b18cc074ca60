"""The numpy sweeps give what the pure-Python sweeps give, row for row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    Entry,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Plan,
    Product,
    Profile,
    Schedule,
    Substance,
    validate,
)
from regimen import _windows_np as wnp
from regimen._rules_base import US, Per
from regimen._series import Context, Series
from regimen._windows import worst_windows

HOUR = 3_600_000_000
DAY = 24 * HOUR


@contextmanager
def pure_python() -> Iterator[None]:
    """Run the sweeps as if numpy were not installed."""
    with mock.patch.object(wnp, "_numpy", return_value=None):
        yield


@st.composite
def series_and_values(draw: st.DrawFn) -> tuple[Series, list[int]]:
    """Events in time order, local days that never go back, small exact values."""
    steps = draw(
        st.lists(
            st.sampled_from([0, 0, 1, 30 * 60_000_000, HOUR, 3 * HOUR, 7 * HOUR, DAY]),
            min_size=1,
            max_size=60,
        )
    )
    times: list[int] = []
    now = draw(st.integers(-5 * DAY, 5 * DAY))
    for step in steps:
        now += step
        times.append(now)
    offset = draw(st.sampled_from([0, -5 * HOUR, 9 * HOUR + 30 * 60_000_000]))
    days = [(t + offset) // DAY for t in times]
    values = draw(st.lists(st.integers(1, 9), min_size=len(times), max_size=len(times)))
    series = Series(
        events=[],
        times=times,
        days=days,
        amounts=values,
        unit=None,
        scale=0,
        mismatched=[],
    )
    return series, values


def as_arrays(series: Series, values: list[int]) -> tuple[object, object, object]:
    return (
        np.array(series.times, dtype=np.int64),
        np.array(series.days, dtype=np.int64),
        np.array(values, dtype=np.int64),
    )


PERS: st.SearchStrategy[Per] = st.sampled_from(
    ["dose", "day", timedelta(hours=1), timedelta(hours=4), timedelta(hours=24)]
)


@given(series_and_values(), PERS, st.integers(0, 30))
def test_window_rows_match_the_pure_sweep(
    data: tuple[Series, list[int]], per: Per, limit: int
) -> None:
    series, values = data
    with pure_python():
        expected = worst_windows(series, values, per, limit)
    width = per // US if isinstance(per, timedelta) else per
    got = wnp.window_rows(as_arrays(series, values), width, limit)
    assert got == expected


@given(series_and_values(), st.sampled_from([1, HOUR, 4 * HOUR, DAY]))
def test_gap_rows_match_the_pure_sweep(
    data: tuple[Series, list[int]], need: int
) -> None:
    series, values = data
    expected: dict[int, int] = {}
    times, days = series.times, series.days
    for i in range(
        1, len(times)
    ):  # the definition: each day's shortest gap, first of equals
        gap = times[i] - times[i - 1]
        if gap < need and (
            days[i] not in expected
            or gap < times[expected[days[i]]] - times[expected[days[i]] - 1]
        ):
            expected[days[i]] = i
    got = wnp.gap_rows(as_arrays(series, values), need)
    assert got == (list(expected), list(expected.values()))


def test_short_series_and_days_going_back_stay_in_pure_python() -> None:
    n = wnp.MIN_EVENTS
    short = Series(
        events=[], times=[0] * (n - 1), days=[0] * (n - 1), amounts=[], unit=None,
        scale=0, mismatched=[],
    )  # fmt: skip
    assert wnp.arrays(short, None) is None
    back = Series(
        events=[], times=list(range(n)), days=[1, 0] * (n // 2), amounts=[], unit=None,
        scale=0, mismatched=[],
    )  # fmt: skip
    assert wnp.arrays(back, None) is None
    ok = Series(
        events=[], times=list(range(n)), days=[0] * n, amounts=[], unit=None,
        scale=0, mismatched=[],
    )  # fmt: skip
    assert wnp.arrays(ok, None) is not None
    assert wnp.arrays(ok, [1 << 62] + [0] * (n - 1)) is None  # sums would not fit
    with pure_python():
        assert wnp.arrays(ok, None) is None


def test_validate_of_a_long_plan_is_the_same_with_and_without_numpy() -> None:
    kratom = Substance("kratom")
    powder = Product("Maeng Da", contents={kratom: "1 g"}, per="1 g")
    plan = Plan(
        "long",
        timezone="America/New_York",
        start="2027-01-01",
        end="2029-12-31",
        entries=[
            Entry(Dose(powder, "2.5 g"), Schedule.daily("07:00", "09:30")),
            Entry(Dose(powder, "1.5 g"), Schedule.weekly(["MO", "TH"], "21:00")),
        ],
    )
    rules = [
        MaxAmount("kratom", "5 g", per="day"),
        MaxAmount("kratom", "2 g", per="dose"),
        MaxAmount("kratom", "6 g", per=timedelta(hours=24)),
        MaxDoses("kratom", 2, per=timedelta(hours=20)),
        MinInterval("kratom", "3 h"),
    ]
    timeline = plan.timeline()
    assert len(timeline) >= wnp.MIN_EVENTS
    fast = validate(timeline, Profile(rules=rules))
    with pure_python():
        slow = validate(plan.timeline(), Profile(rules=rules))
    assert [f.rule for f in fast.findings] == [f.rule for f in slow.findings]
    assert fast == slow
    assert {f.code for f in fast.findings} >= {
        "max-amount",
        "max-doses",
        "min-interval",
    }
    # The sweep did run on numpy arrays for this series.
    series = Context(timeline).series("kratom")
    assert "np" in series.cache


def test_gaps_use_the_arrays_when_they_can() -> None:
    n = wnp.MIN_EVENTS
    series = Series(
        events=[], times=[k * HOUR for k in range(n)], days=[k // 24 for k in range(n)],
        amounts=[], unit=None, scale=0, mismatched=[],
    )  # fmt: skip
    data = wnp.arrays(series, None)
    assert data is not None
    got = wnp.gap_rows(data, 2 * HOUR)
    later = [k for k in range(1, n) if k % 24 == 0 or k == 1]
    assert got == ([k // 24 for k in later], later)
