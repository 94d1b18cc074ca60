"""Tests that pin regimen._expand_columns and expand_runs exactly enough to kill their mutants (issue 10).

The calendar export reads an entry's instants as runs (``expand_runs``),
the timeline as one merged index (``columns``); both must say exactly what
localizing each dose one at a time says.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from regimen import Entry, ExpansionError, Plan, Schedule, Stay, _expand_columns
from regimen._expand import expand_runs
from regimen._timezone import localize
from regimen._zone_table import zone_table

from .helpers import kefir, kratom

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def _plan(zone: str = "America/New_York") -> Plan:
    return Plan(
        "p",
        timezone=zone,
        start="2027-01-01",
        end="2027-01-10",
        entries=[
            Entry(kefir(), Schedule.at_meals("breakfast", "dinner")),
            Entry(kratom(), Schedule.daily("08:00")),
        ],
    )


class TestExpandRuns:
    def test_owners_entries_and_instants(self) -> None:
        """Each expanded entry names its plan position; the runs hold the timeline's instants."""
        plan = _plan()
        found = expand_runs(
            plan, start=date(2027, 1, 3), end=date(2027, 1, 4), max_events=6
        )
        # Timeline order of the entries: product name ("Maeng Da" < "milk
        # kefir"), then amount, then position (breakfast before dinner).
        assert [(i, e.schedule.times) for i, e, _runs in found] == [
            (1, plan.entries[1].schedule.times),
            (0, (plan.meal_times.breakfast,)),
            (0, (plan.meal_times.dinner,)),
        ]
        instants = sorted(u for _i, _e, runs in found for run in runs for u in run.us)
        events = plan.timeline("2027-01-03", "2027-01-04").events
        assert instants == sorted((e.at - _EPOCH) // _US for e in events)
        assert len(instants) == 6

    def test_whole_plan_without_a_window(self) -> None:
        found = expand_runs(_plan("UTC"), start=None, end=None, max_events=30)
        assert sum(len(run.us) for _i, _e, runs in found for run in runs) == 30

    def test_max_events(self) -> None:
        with pytest.raises(ExpansionError, match="max_events=5 "):
            expand_runs(
                _plan(), start=date(2027, 1, 3), end=date(2027, 1, 4), max_events=5
            )

    def test_empty_window(self) -> None:
        assert (
            expand_runs(
                _plan(), start=date(2027, 1, 5), end=date(2027, 1, 4), max_events=0
            )
            == []
        )

    def test_stays_move_local_clock_entries(self) -> None:
        """During a stay, a local-clock entry's runs hold its 08:00 in the stay's zone."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-04",
            entries=[Entry(kratom(), Schedule.daily("08:00"))],
            stays=[Stay("2027-01-02", "2027-01-03", "Asia/Tokyo")],
        )
        found = expand_runs(plan, start=None, end=None, max_events=10)
        instants = sorted(u for _i, _e, runs in found for run in runs for u in run.us)
        assert [(_EPOCH + u * _US).isoformat() for u in instants] == [
            "2027-01-01T08:00:00+00:00",
            "2027-01-01T23:00:00+00:00",
            "2027-01-02T23:00:00+00:00",
            "2027-01-04T08:00:00+00:00",
        ]


class TestOneByOne:
    def test_a_chain_through_the_fall_back_fold(self) -> None:
        """Instants localized one at a time keep their fold: 01:30 twice, then 02:30."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start="2027-11-07",
            end="2027-11-07",
            entries=[Entry(kratom(), Schedule.every_hours(1, first="00:30"))],
        )
        events = plan.timeline().events[:4]
        assert [(e.at.hour, e.at.minute, e.at.fold) for e in events] == [
            (0, 30, 0),
            (1, 30, 0),
            (1, 30, 1),
            (2, 30, 0),
        ]
        assert [e.at.utcoffset() for e in events] == [timedelta(hours=-4)] * 2 + [
            timedelta(hours=-5)
        ] * 2
        hours = [(e.at.astimezone(UTC) - _EPOCH) // timedelta(hours=1) for e in events]
        assert [h - hours[0] for h in hours] == [0, 1, 2, 3]


class TestWallTimes:
    @pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
    def test_seconds_and_microseconds(self, zone: str) -> None:
        """A wall time's seconds and microseconds reach the instant, through tables or not."""
        at = time(8, 0, 30, 250_000)
        plan = Plan(
            "p",
            timezone=zone,
            start="2027-01-01",
            end="2027-01-03",
            entries=[
                Entry(kratom(), Schedule.daily(at)),
                Entry(kratom(), Schedule.rrule("FREQ=YEARLY", at)),
            ],
        )
        tz = ZoneInfo(zone)
        assert [e.at for e in plan.timeline()] == [
            datetime.combine(date(2027, 1, d), at, tz) for d in (1, 1, 2, 3)
        ]

    def test_a_shifted_chain(self) -> None:
        """An every-h-hours chain's instants take the schedule's offset too."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-01",
            entries=[
                Entry(kratom(), Schedule.every_hours(8, first="06:00").shifted("1 h"))
            ],
        )
        assert [e.at.hour for e in plan.timeline()] == [7, 15, 23]


def _tabled(schedule: Schedule, end: str, stays: list[Stay] | None = None) -> bool:
    """Return whether expanding one entry of *schedule* from 2027-01-01 asks for New York's table."""
    plan = Plan(
        "p",
        timezone="America/New_York",
        start="2027-01-01",
        end=end,
        entries=[Entry(kratom(), schedule)],
        stays=stays or [],
    )
    with mock.patch.object(_expand_columns, "zone_table", wraps=zone_table) as spy:
        events = plan.timeline().events
    first, last = date(2027, 1, 1), date.fromisoformat(end)
    tz = ZoneInfo("America/New_York")
    slow = [
        localize(day, at, tz)
        for day in schedule.dates(first, last, anchor=first)
        for at in schedule.times
    ]
    if not stays:
        assert sorted(e.at for e in events) == sorted(slow)
    zones = [c.args[0] for c in spy.call_args_list]
    if stays:  # on local clock: each run of days in its own zone's table
        assert zones in ([], [tz, ZoneInfo("Asia/Tokyo"), tz])
    else:
        assert zones in ([], [tz])
    return bool(zones)


class TestDense:
    """Entries with at least 12 doses a year over their span are localized through a table."""

    FOUR = ("01:00", "02:00", "03:00", "04:00")
    SIX = ("01:00", "02:00", "03:00", "04:00", "05:00", "06:00")

    def test_twelve_doses_over_365_days(self) -> None:
        # Days 1, 183 and 365 of 2027, four times each: 12 doses over 365 days.
        assert _tabled(Schedule.every(182, *self.FOUR), "2027-12-31")

    def test_twelve_doses_over_366_days(self) -> None:
        # 2027-01-01 and 2028-01-01, six times each: 12 doses over 366 days.
        assert not _tabled(Schedule.every(365, *self.SIX), "2028-01-01")

    def test_daily(self) -> None:
        assert _tabled(Schedule.daily("08:00"), "2027-01-31")

    def test_local_clock_during_stays_is_tabled_per_stay(self) -> None:
        stay = Stay("2027-01-10", "2027-01-12", "Asia/Tokyo")
        assert _tabled(Schedule.daily("08:00"), "2027-01-31", [stay])


class TestFolds:
    def test_a_top_up_into_the_repeated_hour(self) -> None:
        """00:30 plus 2 h on the fall-back day is 01:30 EST, the second 01:30 (fold 1)."""
        plan = Plan(
            "p",
            timezone="America/New_York",
            start="2027-11-01",
            end="2027-11-30",
            entries=[Entry(kratom(), Schedule.daily("00:30").shifted("2 h"))],
        )
        events = plan.timeline("2027-11-06", "2027-11-08").events
        assert [(e.at.day, e.at.hour, e.at.fold) for e in events] == [
            (6, 2, 0),
            (7, 1, 1),
            (8, 2, 0),
        ]
        assert events[1].at.utcoffset() == timedelta(hours=-5)


class TestStays:
    def _plan(self, clock: str, schedule: Schedule) -> Plan:
        return Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-12-31",
            entries=[Entry(kratom(), schedule, clock=clock)],  # type: ignore[arg-type]
            stays=[Stay("2027-01-01", "2027-01-03", "Asia/Tokyo")],
        )

    def test_the_timeline_follows_the_stays(self) -> None:
        """On local clock, 08:00 during a stay is 08:00 in the stay's zone."""
        plan = self._plan("local", Schedule.daily("08:00"))
        events = plan.timeline("2027-01-01", "2027-01-04").events
        assert [e.at.isoformat() for e in events] == [
            "2027-01-01T08:00:00+09:00",
            "2027-01-02T08:00:00+09:00",
            "2027-01-03T08:00:00+09:00",
            "2027-01-04T08:00:00+00:00",
        ]

    @pytest.mark.parametrize(
        ("schedule", "count"),
        [(Schedule.daily("08:00"), 365), (Schedule.every(60, "08:00"), 7)],
    )
    def test_home_clock_keeps_the_plan_zone(
        self, schedule: Schedule, count: int
    ) -> None:
        """On home clock a stay changes nothing, dense or sparse (one day at a time)."""
        events = self._plan("home", schedule).timeline().events
        assert len(events) == count
        assert all(e.at.utcoffset() == timedelta(0) and e.at.hour == 8 for e in events)
