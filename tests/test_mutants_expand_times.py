"""Tests that pin regimen._expand_times exactly enough to kill its mutants (issue 10).

An every-h-hours chain asks its repeating breaks about each dose's local
date only when they are too many to list as spans, so the plan-level tests
rarely reach that path: here :func:`chain_instants` is driven directly with
run-end lookups of our own, and the budget it charges is counted (one step
per run of break days skipped, none for a day no break takes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from regimen import Schedule
from regimen._expand_times import chain_instants

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
d = date.fromisoformat


def run_of(first: str, last: str) -> Callable[[date], date | None]:
    """Return a break taking the days *first* .. *last*: each ends that run at *last*."""
    lo, hi = d(first), d(last)

    def ask(day: date) -> date | None:
        return hi if lo <= day <= hi else None

    return ask


def chain(
    hours: int,
    anchor: str,
    free: list[tuple[str, str]],
    pauses: list[Callable[[date], date | None]],
    first: str = "00:00",
) -> tuple[list[str], list[int]]:
    """Return the chain's instants (ISO, UTC) over *free* and the steps charged."""
    charged: list[int] = []
    found = chain_instants(
        Schedule.every_hours(hours, first=first),
        d(anchor),
        [(d(a), d(b)) for a, b in free],
        UTC,
        pauses=pauses,
        spend=charged.append,
    )
    return [(_EPOCH + u * _US).isoformat() for u in found], charged


def every(hours: int, first: str, last: str) -> list[str]:
    """Return every *hours* from midnight of *first* up to the end of *last* (the oracle)."""
    at = datetime.combine(d(first), datetime.min.time(), UTC)
    end = datetime.combine(d(last) + timedelta(days=1), datetime.min.time(), UTC)
    out = []
    while at < end:
        out.append(at.isoformat())
        at += timedelta(hours=hours)
    return out


class TestBreakRuns:
    def test_a_run_is_skipped_in_one_step(self) -> None:
        """A three-day run takes its doses and costs one step, not one per dose."""
        got, charged = chain(
            6,
            "2027-01-01",
            [("2027-01-01", "2027-01-10")],
            [run_of("2027-01-03", "2027-01-05")],
        )
        assert got == every(6, "2027-01-01", "2027-01-02") + every(
            6, "2027-01-06", "2027-01-10"
        )
        assert charged == [1]

    def test_the_longest_run_of_overlapping_breaks_wins(self) -> None:
        """Breaks are asked in order; the latest run end any of them gives is skipped to."""
        longer = run_of("2027-01-03", "2027-01-06")
        shorter = run_of("2027-01-03", "2027-01-04")
        none = run_of("2027-02-01", "2027-02-01")
        want = every(12, "2027-01-01", "2027-01-02") + every(
            12, "2027-01-07", "2027-01-08"
        )
        for pauses in (
            [longer, shorter, none],
            [none, shorter, longer],
            [shorter, none, longer],
        ):
            assert chain(12, "2027-01-01", [("2027-01-01", "2027-01-08")], pauses) == (
                want,
                [1],
            )

    def test_a_run_past_the_span_stops_at_its_end(self) -> None:
        """A run reaching past a free span skips to the next span, where it still counts."""
        got, charged = chain(
            24,
            "2027-01-01",
            [("2027-01-01", "2027-01-03"), ("2027-01-05", "2027-01-08")],
            [run_of("2027-01-03", "2027-01-06")],
        )
        assert got == every(24, "2027-01-01", "2027-01-02") + every(
            24, "2027-01-07", "2027-01-08"
        )
        assert charged == [1, 1]

    def test_a_one_day_run_keeps_the_next_day(self) -> None:
        """A daily chain loses only the dose on a one-day run: the next one stays."""
        got, charged = chain(
            24,
            "2027-01-01",
            [("2027-01-01", "2027-01-06")],
            [run_of("2027-01-03", "2027-01-03")],
        )
        assert got == every(24, "2027-01-01", "2027-01-02") + every(
            24, "2027-01-04", "2027-01-06"
        )
        assert charged == [1]

    def test_the_midnight_after_a_span_is_not_asked(self) -> None:
        """A dose at midnight after the span's last day is outside it: no break is asked, nothing charged."""
        got, charged = chain(
            24,
            "2027-01-01",
            [("2027-01-01", "2027-01-05")],
            [run_of("2027-01-06", "2027-01-09")],
        )
        assert got == every(24, "2027-01-01", "2027-01-05")
        assert charged == []

    def test_days_before_the_span_are_not_asked(self) -> None:
        """The chain starts at the span's first dose: break days between anchor and span cost nothing."""
        got, charged = chain(
            8,
            "2027-01-01",
            [("2027-01-20", "2027-01-21")],
            [run_of("2027-01-02", "2027-01-18")],
        )
        assert got == every(8, "2027-01-20", "2027-01-21")
        assert charged == []


class TestZones:
    def test_a_run_ends_at_local_midnight(self) -> None:
        """East of UTC the day after a run starts at local midnight, not at UTC's."""
        tokyo = ZoneInfo("Asia/Tokyo")
        charged: list[int] = []
        found = chain_instants(
            Schedule.every_hours(3, first="00:00"),
            d("2027-01-01"),
            [(d("2027-01-01"), d("2027-01-05"))],
            tokyo,
            pauses=[run_of("2027-01-03", "2027-01-03")],
            spend=charged.append,
        )
        local = [(_EPOCH + u * _US).astimezone(tokyo) for u in found]
        assert [(t.day, t.hour) for t in local] == [
            (day, hour) for day in (1, 2, 4, 5) for hour in range(0, 24, 3)
        ]
        assert charged == [1]


class TestBefore1970:
    @pytest.mark.parametrize("hours", [5, 24])
    def test_instants_before_the_epoch(self, hours: int) -> None:
        """Negative microseconds: the span's first dose is found as after 1970."""
        got, _charged = chain(hours, "1960-01-01", [("1960-01-03", "1960-01-04")], [])
        want = [
            u
            for u in every(1, "1960-01-01", "1960-01-04")
            if (datetime.fromisoformat(u) - datetime(1960, 1, 1, tzinfo=UTC))
            % timedelta(hours=hours)
            == timedelta(0)
            and u >= "1960-01-03"
        ]
        assert got == want
        assert len(got) == 48 // hours + (48 % hours > 0)
