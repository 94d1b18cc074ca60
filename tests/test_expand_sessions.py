"""A session belongs to the day it starts: breaks, entry and plan dates, windows."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from regimen import Break, Entry, Plan, Schedule, top_ups

from .helpers import MAENG_DA, kratom

SAT, SUN = date(2027, 1, 9), date(2027, 1, 10)


def late_session(**plan: object) -> Plan:
    """Return a plan with a 23:30 session and three top-ups after midnight, daily for a week."""
    entries = top_ups(
        MAENG_DA,
        first="1 g",
        step="0.5 g",
        every=timedelta(minutes=45),
        up_to="2.5 g",
        schedule=Schedule.daily("23:30"),
    )
    options: dict[str, object] = {
        "timezone": "Europe/Berlin",
        "start": "2027-01-04",
        "end": "2027-01-10",
        "entries": entries,
    }
    options.update(plan)
    return Plan("late", **options)  # type: ignore[arg-type]


def stamps(plan: Plan, *window: date) -> list[str]:
    return [e.at.strftime("%d %H:%M") for e in plan.timeline(*window)]


class TestBreaks:
    def test_break_on_the_start_day_removes_the_whole_session(self) -> None:
        """A Saturday break removes Saturday's 23:30 dose and its top-ups on Sunday morning."""
        got = stamps(late_session(breaks=[Break(SAT, SAT)]))
        assert "09 23:30" not in got
        assert not [s for s in got if s.startswith("10 0")]  # no orphan top-ups

    def test_break_on_the_next_day_removes_none_of_it(self) -> None:
        """A Sunday break keeps Saturday's session whole, top-ups after midnight included."""
        got = stamps(late_session(breaks=[Break(SUN, SUN)]))
        assert got[-4:] == ["09 23:30", "10 00:15", "10 01:00", "10 01:45"]
        assert "10 23:30" not in got

    def test_break_for_another_substance_changes_nothing(self) -> None:
        """A kefir break leaves the kratom sessions alone."""
        plan = late_session(breaks=[Break(SAT, SUN, substances=["kefir"])])
        assert len(plan.timeline()) == 7 * 4


class TestDates:
    def test_plan_end_keeps_the_last_session_whole(self) -> None:
        """The session on the plan's last day keeps its top-ups after midnight."""
        got = stamps(late_session())
        assert got[-4:] == ["10 23:30", "11 00:15", "11 01:00", "11 01:45"]
        assert len(got) == 7 * 4

    def test_plan_start_takes_nothing_from_the_day_before(self) -> None:
        """The first day holds its own session only, not the previous evening's top-ups."""
        assert stamps(late_session())[:4] == [
            "04 23:30",
            "05 00:15",
            "05 01:00",
            "05 01:45",
        ]

    def test_entry_dates_select_whole_sessions(self) -> None:
        """An entry ending on Friday keeps Friday's session whole and has none of Saturday's."""
        base = late_session()
        entries = [
            Entry(
                e.dose,
                e.schedule,
                start=date(2027, 1, 6),
                end=date(2027, 1, 8),
                as_needed=e.as_needed,
            )
            for e in base.entries
        ]
        got = stamps(late_session(entries=entries))
        assert got[0] == "06 23:30"
        assert got[-4:] == ["08 23:30", "09 00:15", "09 01:00", "09 01:45"]
        assert len(got) == 3 * 4


class TestWindows:
    def test_one_day_window_is_that_days_sessions(self) -> None:
        """timeline(d, d) is day d's session, top-ups after midnight included, and nothing of d - 1."""
        day = date(2027, 1, 6)
        assert stamps(late_session(), day, day) == [
            "06 23:30",
            "07 00:15",
            "07 01:00",
            "07 01:45",
        ]

    def test_events_dated_after_the_window_belong_to_its_last_day(self) -> None:
        """Every event of timeline(d, d) dated d + 1 is a top-up of a session that began on d."""
        day = date(2027, 1, 6)
        timeline = late_session().timeline(day, day)
        spill = [e for e in timeline if e.at.date() > day]
        assert spill
        assert all(e.as_needed for e in spill)
        assert timeline.start == timeline.end == day

    def test_offset_schedule_without_top_ups(self) -> None:
        """A schedule shifted past midnight belongs to the day it is scheduled on."""
        entry = Entry(kratom(), Schedule.daily("22:00").shifted(timedelta(hours=3)))
        plan = Plan(
            "p", timezone="UTC", start="2027-01-01", end="2027-01-03", entries=[entry]
        )
        assert stamps(plan, date(2027, 1, 2), date(2027, 1, 2)) == ["03 01:00"]
        assert stamps(plan, date(2027, 1, 1), date(2027, 1, 1)) == ["02 01:00"]

    @given(
        zone=st.sampled_from(
            ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]
        ),
        start=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
        days=st.integers(1, 30),
        splits=st.lists(st.integers(0, 30), max_size=3),
        session=st.tuples(st.times(time(18), time(23, 59)), st.integers(20, 200)),
    )
    def test_windows_partition_the_sessions(
        self,
        zone: str,
        start: date,
        days: int,
        splits: list[int],
        session: tuple[time, int],
    ) -> None:
        """Adjacent windows hold every event exactly once, each in the window of its session's day."""
        at, minutes = session
        entries = top_ups(
            MAENG_DA,
            first="1 g",
            step="0.5 g",
            every=timedelta(minutes=minutes),
            up_to="3 g",
            schedule=Schedule.daily(at),
        )
        end = start + timedelta(days=days - 1)
        plan = Plan("p", timezone=zone, start=start, end=end, entries=entries)
        whole = plan.timeline()
        cuts = sorted(
            {start, *(start + timedelta(days=min(s, days - 1)) for s in splits)}
        )
        bounds = [(a, b - timedelta(days=1)) for a, b in itertools.pairwise(cuts)]
        bounds.append((cuts[-1], end))
        pieces = [plan.timeline(a, b) for a, b in bounds if a <= b]
        merged = sorted((e for p in pieces for e in p), key=lambda e: e.timestamp_us)
        assert [e.timestamp_us for e in merged] == [e.timestamp_us for e in whole]
        assert len(whole) == days * len(entries)
        for piece in pieces:
            # A session's first dose is on its own day; its top-ups follow within a day.
            firsts = [e for e in piece if not e.as_needed]
            assert all(piece.start <= e.at.date() <= piece.end for e in firsts)  # type: ignore[operator]
