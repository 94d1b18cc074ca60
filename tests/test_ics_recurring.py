"""Recurring export (issue 13): what calendar apps expand is exactly the timeline, once each."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import Break, Entry, Plan, Schedule, load, to_ics, top_ups
from regimen.strategies import plans

from .helpers import MAENG_DA, kefir, kratom
from .ics_readers import (
    expand_dateutil,
    expand_recurring,
    far,
    utc_starts,
    with_own_zone,
)

EXAMPLES = [
    path
    for path in sorted(
        (Path(__file__).resolve().parent.parent / "examples").glob("*.toml")
    )
    if "[plan]" in path.read_text()
]
ZONES = ["America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "UTC"]
STAMP = datetime(2027, 1, 1, tzinfo=UTC)


def assert_exact(plan: Plan, start: date | None = None, end: date | None = None) -> str:
    """Export *plan*; every reader must expand exactly its timeline's instants."""
    text = to_ics(plan, stamp=STAMP, start=start, end=end)
    want = utc_starts(plan.timeline(start, end))
    assert expand_recurring(text) == want
    assert expand_dateutil(text) == want
    if plan.timezone != "UTC":
        own = with_own_zone(text, plan.timezone)
        assert expand_recurring(own) == want
        assert expand_dateutil(own) == want
    return text


def vevents(text: str) -> list[Any]:
    """Return the file's VEVENTs, parsed by icalendar."""
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_expand_exactly(path: Path) -> None:
    """Every example plan's calendar expands to its timeline in both readers."""
    plan = load(path).plan
    assert plan is not None
    if plan.end is None:
        plan = attrs.evolve(plan, end=far(plan.start))
    assert_exact(plan)


@given(plan=plans(timezones=st.sampled_from(ZONES), max_days=60))
def test_generated_plans_expand_exactly(plan: Plan) -> None:
    """Any generated plan (every schedule kind, breaks, offsets, DST edges) comes out exact."""
    if not plan.timeline():
        return
    assert_exact(plan)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("times", [("01:30", "02:15", "02:45"), ("02:30", "03:30")])
def test_dst_gaps_and_overlaps(zone: str, times: tuple[str, ...]) -> None:
    """Times in gaps (moved forward), in overlaps (taken once) and colliding ones, over years."""
    plan = Plan(
        "dst",
        timezone=zone,
        start="2027-03-01",
        end="2028-11-30",
        entries=[Entry(kratom(), Schedule.daily(*times))],
    )
    text = assert_exact(plan)
    # The daily series stay rules: a gap adds a line or two, not a VEVENT per day.
    assert len(vevents(text)) <= len(times) + 2


@pytest.mark.parametrize("zone", ZONES)
def test_elapsed_time_sessions(zone: str) -> None:
    """Top-ups 45 min apart across midnight and DST changes keep their elapsed spacing."""
    entries = top_ups(
        MAENG_DA,
        first="1 g",
        step="0.5 g",
        every=timedelta(minutes=45),
        up_to="2.5 g",
        schedule=Schedule.daily("00:45", "23:30"),
    )
    plan = Plan(
        "late", timezone=zone, start="2027-03-01", end="2027-11-30", entries=entries
    )
    assert_exact(plan)


def test_every_kind_with_breaks() -> None:
    """Weekly, every-n-days, cycles and RRULEs with breaks come out exact and compact."""
    entries = [
        Entry(kefir(), Schedule.weekly(["MO", "TH"], "08:00")),
        Entry(kratom(), Schedule.every(3, "09:00"), start="2027-01-02"),
        Entry(kratom(), Schedule.cycle(5, 2, "13:00")),
        Entry(kratom(), Schedule.cycle(3, 4, "14:00")),
        Entry(kefir(), Schedule.rrule("FREQ=MONTHLY;BYDAY=-1FR", "18:00")),
        Entry(kefir(), Schedule.rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "19:00")),
    ]
    plan = Plan(
        "kinds",
        timezone="Europe/Dublin",
        start="2027-01-01",
        end="2028-12-31",
        entries=entries,
        breaks=[
            Break("2027-02-01", "2027-02-07", substances=["kratom"]),
            Break("2027-08-01", "2027-08-03"),
        ],
    )
    text = assert_exact(plan)
    rules = [
        line.split(";UNTIL=")[0]
        for line in text.replace("\r\n ", "").splitlines()
        if line.startswith("RRULE:")
    ]
    # Every entry is one rule (a 5-on-2-off cycle is a weekly rule, every
    # second Tuesday a 14-day step); breaks are EXDATEs.
    assert rules == [
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
        "RRULE:FREQ=DAILY;INTERVAL=3",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,FR,SA,SU",
        "RRULE:FREQ=WEEKLY;BYDAY=FR,SA,SU",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "RRULE:FREQ=DAILY;INTERVAL=14",
    ]
    assert len(text.encode()) < 8_000


def test_window_and_two_products_at_one_time() -> None:
    """A window of a plan, and two entries at the same instant, each appear once."""
    plan = Plan(
        "two",
        timezone="America/New_York",
        start="2027-01-01",
        end="2027-12-31",
        entries=[
            Entry(kratom(), Schedule.daily("08:00")),
            Entry(kratom(), Schedule.daily("08:00")),
            Entry(kefir(), Schedule.daily("08:00")),
        ],
    )
    assert_exact(plan, start=date(2027, 3, 1), end=date(2027, 3, 31))


class TestIdentity:
    def plan(self, at: str) -> Plan:
        return Plan(
            "ids",
            timezone="Europe/Berlin",
            start="2027-01-01",
            end="2027-03-31",
            entries=[
                Entry(kratom(), Schedule.daily(at)),
                Entry(kefir(), Schedule.daily("20:00")),
            ],
        )

    def test_uid_survives_an_edit_of_the_time(self) -> None:
        """Moving an entry from 08:00 to 08:15 keeps its UID, so the new series replaces the old."""
        before = [str(e["UID"]) for e in vevents(to_ics(self.plan("08:00")))]
        after = [str(e["UID"]) for e in vevents(to_ics(self.plan("08:15")))]
        assert before == after
        assert len(set(before)) == 2

    def test_sequence_rises_with_the_export_time(self) -> None:
        """A later export has a higher SEQUENCE and its time as DTSTAMP and LAST-MODIFIED."""
        plan = self.plan("08:00")
        early = vevents(to_ics(plan, stamp=STAMP))[0]
        late = vevents(to_ics(plan, stamp=STAMP + timedelta(minutes=1)))[0]
        assert int(late["SEQUENCE"]) == int(early["SEQUENCE"]) + 1
        assert (
            late["DTSTAMP"].dt
            == late["LAST-MODIFIED"].dt
            == STAMP + timedelta(minutes=1)
        )

    def test_properties_name_the_dose(self) -> None:
        """SUMMARY, DURATION and the X- properties carry the dose and the entry."""
        event = vevents(to_ics(self.plan("08:00"), duration=timedelta(minutes=10)))[0]
        assert str(event["SUMMARY"]) == "2 g Maeng Da"
        assert event["DURATION"].dt == timedelta(minutes=10)
        assert str(event["X-REGIMEN-PRODUCT"]) == "Maeng Da"
        assert str(event["X-REGIMEN-AMOUNT"]) == "2 g"
        assert str(event["X-REGIMEN-ENTRY"]) == "0"


@pytest.mark.parametrize("zone", ZONES)
def test_vtimezone_offsets_match_the_zone_database(zone: str) -> None:
    """The VTIMEZONE's offsets agree with zoneinfo, every 6 hours and each minute near a change.

    Instants whose local time repeats (the overlap) are left out: dateutil's
    reading of a VTIMEZONE sets ``fold`` wrongly there for a 30-minute shift
    (Lord Howe); the expansion tests cover those times through the readers.
    """
    plan = Plan(
        "tz",
        timezone=zone,
        start="2027-01-01",
        end="2029-12-31",
        entries=[Entry(kratom(), Schedule.daily("12:00"))],
    )
    text = with_own_zone(to_ics(plan), zone)
    calendar = icalendar.Calendar.from_ical(text)
    vtimezone: Any
    (vtimezone,) = calendar.walk("VTIMEZONE")
    theirs = vtimezone.to_tz()
    ours = ZoneInfo(zone)
    step = timedelta(hours=6)
    moments = [datetime(2027, 1, 1, tzinfo=UTC) + k * step for k in range(4 * 365 * 3)]
    near = [
        m + timedelta(minutes=k)
        for m, n in itertools.pairwise(moments)
        if m.astimezone(ours).utcoffset() != n.astimezone(ours).utcoffset()
        for k in range(6 * 60)
    ]
    assert len(near) == (0 if zone == "UTC" else 6 * 360)
    for moment in moments + near:
        local = moment.astimezone(ours)
        if local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
            assert moment.astimezone(theirs).utcoffset() == local.utcoffset(), moment


def test_lines_are_folded_and_crlf() -> None:
    """No physical line passes 75 octets; every line ends in CRLF."""
    plan = Plan(
        "ä" * 80,
        timezone="Australia/Lord_Howe",
        start="2027-01-01",
        end="2027-12-31",
        entries=[Entry(kratom(), Schedule.weekly(["MO"], "02:15"))],
        breaks=[Break("2027-03-01", "2027-06-30")],
    )
    data = to_ics(plan).encode()
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert len(line) <= 75
        assert b"\n" not in line
        assert b"\r" not in line
