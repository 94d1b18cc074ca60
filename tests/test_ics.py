"""Tests for to_ics(): what a calendar app shows is exactly the timeline."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import icalendar
import recurring_ical_events
from hypothesis import given
from hypothesis import strategies as st

from regimen import Entry, Plan, Schedule, to_ics, top_ups

from .helpers import MAENG_DA, kefir, kratom

ZONES = st.sampled_from(
    ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"]
)


def instants(text: str) -> list[object]:
    """Expand a calendar with an independent reader and return the UTC start times."""
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between((2000, 1, 1), (2100, 1, 1))
    return sorted(e["DTSTART"].dt.astimezone(UTC) for e in events)


@given(
    zone=ZONES,
    start=st.dates(date(2027, 1, 1), date(2045, 12, 31)),
    days=st.integers(1, 20),
)
def test_calendar_shows_exactly_the_timeline(zone: str, start: date, days: int) -> None:
    """An independent iCalendar reader finds exactly the timeline's instants."""
    entries = [
        Entry(kratom(), Schedule.daily("02:30", "20:00")),
        Entry(kefir(), Schedule.weekly(["MO", "TH"], "08:00")),
        *top_ups(
            MAENG_DA,
            first="1 g",
            step="0.5 g",
            every=timedelta(minutes=45),
            up_to="2 g",
            schedule=Schedule.daily("23:30"),
        ),
    ]
    plan = Plan(
        "p",
        timezone=zone,
        start=start,
        end=start + timedelta(days=days - 1),
        entries=entries,
    )
    want = sorted(e.at.astimezone(UTC) for e in plan.timeline())
    assert instants(to_ics(plan)) == want


def test_uids_are_stable_and_unique() -> None:
    """Per dose: re-exporting gives the same UIDs; extending the plan keeps the old ones."""
    short = Plan(
        "p",
        timezone="UTC",
        start="2027-01-01",
        end="2027-01-05",
        entries=[Entry(kratom(), Schedule.daily("08:00"))],
    )
    longer = Plan(
        "p", timezone="UTC", start="2027-01-01", end="2027-01-09", entries=short.entries
    )

    def uids(text: str) -> list[str]:
        return [
            str(c["UID"]) for c in icalendar.Calendar.from_ical(text).walk("VEVENT")
        ]

    first, again, extended = (
        uids(to_ics(short, recurring=False)),
        uids(to_ics(short, recurring=False)),
        uids(to_ics(longer, recurring=False)),
    )
    assert first == again
    assert len(set(first)) == len(first) == 5
    assert set(first) <= set(extended)


def test_reminders_and_text() -> None:
    """A reminder adds a display alarm before each dose; as-needed doses say so."""
    entries = top_ups(
        MAENG_DA,
        first="1 g",
        step="0.5 g",
        every=timedelta(minutes=45),
        up_to="1.5 g",
        schedule=Schedule.daily("18:00"),
    )
    plan = Plan(
        "session",
        timezone="Europe/Berlin",
        start="2027-01-01",
        end="2027-01-01",
        entries=entries,
    )
    calendar = icalendar.Calendar.from_ical(
        to_ics(plan, reminder=timedelta(minutes=10))
    )
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        "1 g Maeng Da",
        "0.5 g Maeng Da (as needed)",
    ]
    alarms = list(calendar.walk("VALARM"))
    assert len(alarms) == 2
    assert alarms[0]["TRIGGER"].to_ical() == b"-PT10M"
    assert str(calendar["X-WR-CALNAME"]) == "session"
