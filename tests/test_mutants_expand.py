"""Tests that pin regimen._expand exactly enough to kill its mutants (issue 10)."""

from __future__ import annotations

import re
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    Break,
    Entry,
    ExpansionError,
    Plan,
    Schedule,
    Timeline,
    _expand_breaks,
)
from regimen._expand import expand

from .helpers import MAENG_DA, kefir, kratom

NY = ZoneInfo("America/New_York")
DAILY = Schedule.daily("08:00")


def plan(*entries: Entry, end: str | None = "2027-01-10", **kw: object) -> Plan:
    return Plan(
        "p",
        timezone=str(kw.pop("timezone", "UTC")),
        start="2027-01-01",
        end=end,
        entries=entries,
        **kw,  # type: ignore[arg-type]
    )


def days(timeline: Timeline) -> list[int]:
    return [e.at.day for e in timeline.events]


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


def run(p: Plan, *, work: int | None = None, max_events: int = 10**6) -> Timeline:
    return expand(p, start=None, end=None, max_events=max_events, work=work)


class TestOffsetSessions:
    @pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
    def test_single_day_window_keeps_the_late_top_up(self, zone: str) -> None:
        """timeline(d, d) of a 23:30 session + 45 min holds d's top-up after midnight only."""
        late = Entry(kratom(), Schedule.daily("23:30").shifted("45 min"))
        tl = plan(late, timezone=zone).timeline("2027-01-03", "2027-01-03")
        assert [e.at for e in tl.events] == [
            datetime(2027, 1, 4, 0, 15, tzinfo=ZoneInfo(zone))
        ]
        assert (tl.first_day, tl.last_day) == (date(2027, 1, 3), date(2027, 1, 3))

    def test_offset_is_elapsed_time_across_dst(self) -> None:
        """The offset is added in UTC: 01:30 + 1 h on the spring-forward night is 03:30."""
        entry = Entry(kratom(), Schedule.daily("01:30").shifted("1 h"))
        tl = Plan(
            "p",
            timezone="America/New_York",
            start="2027-03-14",
            end="2027-03-14",
            entries=[entry],
        ).timeline()
        assert [e.at.isoformat() for e in tl.events] == ["2027-03-14T03:30:00-04:00"]


class TestWindows:
    def test_open_plan_needs_an_end(self) -> None:
        """An open plan expanded without an end raises ExpansionError with the fix."""
        with pytest.raises(
            ExpansionError,
            match=exactly(
                "plan 'p' has no end date; pass an end, e.g. "
                "plan.timeline(end=date(2027, 12, 31)), or give the plan an end"
            ),
        ):
            plan(Entry(kratom(), DAILY), end=None).timeline()

    def test_window_narrows_both_ends(self) -> None:
        """Window start and end narrow the plan's dates; the plan's dates bound them."""
        p = plan(Entry(kratom(), DAILY))
        assert days(p.timeline("2026-01-01", "2027-01-03")) == [1, 2, 3]
        assert days(p.timeline("2027-01-08", "2030-01-01")) == [8, 9, 10]
        tl = p.timeline("2026-01-01", "2030-01-01")
        assert (tl.first_day, tl.last_day) == (date(2027, 1, 1), date(2027, 1, 10))
        assert days(
            plan(Entry(kratom(), DAILY), end=None).timeline(end="2027-01-02")
        ) == [1, 2]

    def test_empty_window(self) -> None:
        """A window that ends before it starts is an empty timeline."""
        tl = plan(Entry(kratom(), DAILY)).timeline("2027-01-05", "2027-01-04")
        assert (tl.events, tl.first_day, tl.last_day) == ((), None, None)
        one = plan(Entry(kratom(), DAILY)).timeline("2027-01-05", "2027-01-05")
        assert days(one) == [5]

    def test_entry_dates(self) -> None:
        """An entry's own dates bound its events; as_needed is kept on them."""
        p = plan(
            Entry(kratom(), DAILY, start="2027-01-03", end="2027-01-04"),
            Entry(kefir(), Schedule.daily("09:00"), start="2027-01-09", as_needed=True),
            Entry(kratom(), DAILY, start="2027-02-01"),
            Entry(kratom(), DAILY, start="2027-01-10", end="2027-01-10"),
        )
        tl = p.timeline()
        assert [(e.at.day, e.product.name, e.as_needed) for e in tl.events] == [
            (3, "Maeng Da", False),
            (4, "Maeng Da", False),
            (9, "milk kefir", True),
            (10, "Maeng Da", False),
            (10, "milk kefir", True),
        ]

    def test_entry_start_anchors_its_schedule(self) -> None:
        """An every-n-days schedule counts from the entry's start, not the window's."""
        p = plan(Entry(kratom(), Schedule.every(3, "08:00"), start="2027-01-02"))
        assert days(p.timeline("2027-01-04")) == [5, 8]
        r = plan(
            Entry(
                kratom(),
                Schedule.rrule("FREQ=DAILY;INTERVAL=3", "08:00"),
                start="2027-01-02",
            )
        )
        assert days(r.timeline("2027-01-04")) == [5, 8]


class TestBreaks:
    def test_breaks_by_substance_class_and_all(self) -> None:
        """A break applies to every substance, or to those it names by name or class."""
        breaks = [
            Break("2027-01-02", "2027-01-03"),
            Break("2027-01-04", "2027-01-05", substances=["kefir"]),
            Break("2027-01-05", "2027-01-06", substances=[" Botanical "]),
        ]
        p = plan(
            Entry(kratom(), DAILY),
            Entry(kefir(), Schedule.daily("09:00")),
            breaks=breaks,
            end="2027-01-08",
        )
        assert [(e.at.day, e.product.name) for e in p.timeline().events] == [
            (1, "Maeng Da"),
            (1, "milk kefir"),
            (4, "Maeng Da"),
            (6, "milk kefir"),
            (7, "Maeng Da"),
            (7, "milk kefir"),
            (8, "Maeng Da"),
            (8, "milk kefir"),
        ]

    def test_nested_and_touching_breaks(self) -> None:
        """A break inside a longer one does not shorten it; touching breaks join."""
        p = plan(
            Entry(kratom(), DAILY),
            breaks=[
                Break("2027-01-02", "2027-01-09"),
                Break("2027-01-03", "2027-01-04"),
            ],
        )
        assert days(p.timeline()) == [1, 10]
        q = plan(
            Entry(kratom(), DAILY),
            breaks=[
                Break("2027-01-05", "2027-01-06"),
                Break("2027-01-02", "2027-01-04"),
            ],
        )
        assert days(q.timeline()) == [1, 7, 8, 9, 10]

    def test_break_to_the_end_and_from_the_start(self) -> None:
        """Breaks covering the window's ends leave only the days between."""
        p = plan(
            Entry(kratom(), DAILY),
            breaks=[
                Break("2026-12-01", "2027-01-02"),
                Break("2027-01-09", "2027-02-01"),
            ],
        )
        assert days(p.timeline()) == [3, 4, 5, 6, 7, 8]
        assert days(p.timeline("2027-01-10", "2027-01-10")) == []
        everything = plan(
            Entry(kratom(), DAILY), breaks=[Break("2027-01-01", "2027-01-10")]
        )
        assert days(everything.timeline()) == []

    def test_breaks_with_a_recurrence_rule(self) -> None:
        """A recurrence rule's days inside breaks are removed, the others kept."""
        rule = Schedule.rrule("FREQ=DAILY;INTERVAL=2", "08:00")
        p = plan(
            Entry(kratom(), rule),
            breaks=[
                Break("2027-01-03", "2027-01-03"),
                Break("2027-01-07", "2027-01-08"),
            ],
        )
        assert days(p.timeline()) == [1, 5, 9]
        q = plan(
            Entry(kratom(), rule),
            breaks=[
                Break("2027-01-01", "2027-01-01"),
                Break("2027-01-09", "2027-01-10"),
            ],
        )
        assert days(q.timeline()) == [3, 5, 7]

    def test_breaks_shared_by_entries(self) -> None:
        """Entries of different substances each get the breaks that apply to them."""
        p = plan(
            Entry(kefir(), DAILY),
            Entry(kratom(), Schedule.daily("09:00")),
            Entry(kefir(), Schedule.daily("10:00")),
            breaks=[Break("2027-01-02", "2027-01-09", substances=["kratom"])],
        )
        kratom_days = [e.at.day for e in p.timeline().events if e.product is MAENG_DA]
        assert kratom_days == [1, 10]
        assert len(p.timeline().events) == 22


class TestOrder:
    def test_same_instant_sorted_by_product_then_amount(self) -> None:
        """Events at one instant are ordered by product name, then amount text."""
        p = plan(
            Entry(kefir(), DAILY),
            Entry(kratom("2 g"), DAILY),
            Entry(kratom("10 g"), DAILY),
            end="2027-01-01",
        )
        assert [(e.product.name, str(e.dose.amount)) for e in p.timeline().events] == [
            ("Maeng Da", "10 g"),
            ("Maeng Da", "2 g"),
            ("milk kefir", "6 fl oz"),
        ]

    def test_times_in_order(self) -> None:
        """Events come in time order across entries and days."""
        p = plan(
            Entry(kratom(), Schedule.daily("20:00", "08:00")),
            Entry(kefir(), Schedule.daily("12:00")),
            end="2027-01-02",
        )
        assert [(e.at.day, e.at.hour) for e in p.timeline().events] == [
            (1, 8),
            (1, 12),
            (1, 20),
            (2, 8),
            (2, 12),
            (2, 20),
        ]


class TestMaxEvents:
    def test_exact_limit_allowed_one_less_refused(self) -> None:
        """max_events is inclusive and counts every time of every day."""
        p = plan(Entry(kratom(), Schedule.daily("08:00", "09:00")))
        assert len(p.timeline(max_events=20).events) == 20
        with pytest.raises(
            ExpansionError,
            match=exactly(
                "expanding plan 'p' from 2027-01-01 to 2027-01-10 gives more than "
                "max_events=19 events (reached at entry 0, 'Maeng Da', daily at 08:00, "
                "09:00); expand fewer days (timeline(start, end)), narrow the entry's "
                "dates or raise max_events"
            ),
        ):
            p.timeline(max_events=19)

    def test_summed_over_entries(self) -> None:
        """The count is summed over entries and the entry that passes it is named."""
        p = plan(
            Entry(kefir(), DAILY),
            Entry(kratom(), Schedule.rrule("FREQ=DAILY", "08:00")),
        )
        assert len(p.timeline(max_events=20).events) == 20
        with pytest.raises(
            ExpansionError,
            match=r"max_events=19 events \(reached at entry 1, 'Maeng Da', per FREQ=DAILY at 08:00\)",
        ):
            p.timeline(max_events=19)
        with pytest.raises(
            ExpansionError,
            match=r"max_events=9 events \(reached at entry 0, 'milk kefir'",
        ):
            p.timeline(max_events=9)

    def test_zero(self) -> None:
        """max_events=0 allows an empty expansion and refuses any event."""
        assert (
            plan(Entry(kratom(), DAILY), breaks=[Break("2027-01-01", "2027-01-10")])
            .timeline(max_events=0)
            .events
            == ()
        )
        with pytest.raises(ExpansionError, match="max_events=0 events"):
            plan(Entry(kratom(), DAILY)).timeline(max_events=0)

    @pytest.mark.parametrize(
        ("bad", "kind", "message"),
        [
            (-1, ValueError, "max_events must be zero or more (got -1)"),
            (True, TypeError, "max_events must be a whole number (got True)"),
            (1.5, TypeError, "max_events must be a whole number (got 1.5)"),
        ],
    )
    def test_bad_values(self, bad: object, kind: type[Exception], message: str) -> None:
        """max_events must be a whole number of zero or more."""
        with pytest.raises(kind, match=exactly(message)):
            plan(Entry(kratom(), DAILY)).timeline(max_events=bad)  # type: ignore[arg-type]


class TestBudget:
    def test_message_names_the_entry_and_the_fix(self) -> None:
        """Running out of work names the plan, window, limit, entry and what to change."""
        rule = "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(str(n) for n in range(1, 23))
        p = plan(
            Entry(kefir(), DAILY),
            Entry(
                kratom(),
                Schedule.rrule(rule, "08:00", "09:00", "10:00", "11:00", "12:00"),
            ),
        )
        with pytest.raises(
            ExpansionError,
            match=exactly(
                "expanding plan 'p' from 2027-01-01 to 2027-01-10 needs more than 1 steps "
                "of scanning; stopped at entry 1 ('Maeng Da', per FREQ=MONTHLY;"
                "BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13...): narrow the plan's or the "
                "entry's dates, pass start and end to timeline(), use fewer breaks, or a "
                "recurrence rule that matches more often"
            ),
        ):
            run(p, work=1)

    def test_thousands_separator(self) -> None:
        """The limit is written with thousands separators."""
        breaks = [
            Break(f"2027-01-{d:02d}", f"2027-01-{d:02d}") for d in range(2, 10, 2)
        ]
        with pytest.raises(ExpansionError, match="needs more than 1,000 steps"):
            expand(
                plan(Entry(kratom(), DAILY), breaks=breaks * 300),
                start=None,
                end=None,
                max_events=100,
                work=1000,
            )

    def test_counting_days_costs_no_work(self) -> None:
        """A daily schedule without breaks needs no work at all."""
        assert days(run(plan(Entry(kratom(), DAILY)), work=0)) == list(range(1, 11))

    def test_breaks_cost_work_exactly(self) -> None:
        """Applying breaks charges the budget per break looked up and per span cut."""
        br = [
            Break("2027-01-03", "2027-01-03"),
            Break("2027-01-07", "2027-01-08", substances=["kratom"]),
        ]
        one = plan(Entry(kratom(), DAILY), breaks=br)
        assert days(run(one, work=5)) == [1, 2, 4, 5, 6, 9, 10]
        with pytest.raises(ExpansionError, match="needs more than 4 steps"):
            run(one, work=4)
        two = plan(
            Entry(kratom(), DAILY), Entry(kratom(), Schedule.daily("09:00")), breaks=br
        )
        assert len(run(two, work=8).events) == 14
        with pytest.raises(ExpansionError, match="needs more than 7 steps"):
            run(two, work=7)
        nested = plan(
            Entry(kratom(), DAILY),
            breaks=[
                Break("2027-01-02", "2027-01-10"),
                Break("2027-01-03", "2027-01-04"),
            ],
        )
        assert days(run(nested, work=3)) == [1]
        with pytest.raises(ExpansionError, match="needs more than 2 steps"):
            run(nested, work=2)

    def test_default_budget_is_used(self) -> None:
        """Without *work* the module's budget applies (a normal plan fits easily)."""
        assert (
            len(
                run(plan(Entry(kratom(), Schedule.rrule("FREQ=DAILY", "08:00")))).events
            )
            == 10
        )


class TestNames:
    def test_sixty_characters_are_quoted_whole(self) -> None:
        """A schedule description of 60 characters is quoted whole, 61 are cut to 57 + '...'."""
        sixty = Schedule.rrule("FREQ=DAILY;BYMONTH=12" + ",1" * 13, "08:00")
        with pytest.raises(
            ExpansionError,
            match=re.escape(
                "(reached at entry 0, 'Maeng Da', per FREQ=DAILY;BYMONTH=12,1,1,1,1,1,"
                "1,1,1,1,1,1,1,1 at 08:00); "
            ),
        ):
            plan(Entry(kratom(), sixty)).timeline(max_events=1)
        sixty_one = Schedule.rrule("FREQ=DAILY;BYMONTH=1" + ",1" * 14, "08:00")
        with pytest.raises(
            ExpansionError,
            match=re.escape(
                "(reached at entry 0, 'Maeng Da', per FREQ=DAILY;BYMONTH=1,1,1,1,1,1,1,"
                "1,1,1,1,1,1,1,1 at 0...); "
            ),
        ):
            plan(Entry(kratom(), sixty_one)).timeline(max_events=1)


def _least_work(p: Plan) -> int:
    """Return the smallest budget *p* expands with (it expands with 10,000)."""
    lo, hi = 0, 10_000
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            run(p, work=mid)
        except ExpansionError:
            lo = mid + 1
        else:
            hi = mid
    return lo


class TestSharedWork:
    RULE = Schedule.rrule("FREQ=MONTHLY;BYDAY=-1FR", "08:00")

    def test_entries_with_one_schedule_scan_once(self) -> None:
        """A second entry with the same rule reuses the first one's days: no more work."""
        one = plan(Entry(kratom(), self.RULE), end="2027-12-31")
        two = plan(
            Entry(kratom(), self.RULE), Entry(kefir(), self.RULE), end="2027-12-31"
        )
        need = _least_work(one)
        assert need > 0
        assert _least_work(two) == need
        assert len(run(two, work=need).events) == 24

    def test_listing_stops_past_max_events(self) -> None:
        """A rule's days are listed only until max_events is passed, not to the plan's end."""
        daily = plan(
            Entry(kratom(), Schedule.rrule("FREQ=DAILY", "08:00", "20:00")),
            end="2999-12-31",
        )
        with pytest.raises(ExpansionError, match="max_events=5 events"):
            run(daily, work=1000, max_events=5)


def test_adjacent_one_off_breaks_cost_one_span() -> None:
    """Touching one-off breaks are merged: two breaks looked up, one span cut."""
    p = plan(
        Entry(kratom(), DAILY),
        breaks=[Break("2027-01-03", "2027-01-04"), Break("2027-01-05", "2027-01-06")],
    )
    assert days(run(p, work=3)) == [1, 2, 7, 8, 9, 10]
    with pytest.raises(ExpansionError, match="needs more than 2 steps"):
        run(p, work=2)


def test_a_rule_break_is_scanned_once_for_all_entries() -> None:
    """A rule break's runs are scanned once: a second entry under the same breaks costs nothing more."""
    pause = Break.rrule("FREQ=MONTHLY;BYDAY=-1FR", start="2027-01-01")
    one = plan(Entry(kratom(), DAILY), breaks=[pause], end="2027-12-31")
    two = plan(
        Entry(kratom(), DAILY), Entry(kefir(), DAILY), breaks=[pause], end="2027-12-31"
    )
    need = _least_work(one)
    assert need > 2
    assert _least_work(two) == need
    assert len(run(two, work=need).events) == 2 * (365 - 12)


def test_breaks_before_the_entry_cost_nothing() -> None:
    """Only the one-off spans reaching into an entry's days are charged (none here)."""
    late = Entry(kratom(), DAILY, start="2027-01-05")
    p = plan(late, breaks=[Break("2027-01-02", "2027-01-03")])
    assert days(run(p, work=1)) == [5, 6, 7, 8, 9, 10]
    with pytest.raises(ExpansionError, match="needs more than 0 steps"):
        run(p, work=0)


def test_a_chain_asking_breaks_day_by_day_is_charged() -> None:
    """With too many runs to list, a chain asks its breaks dose by dose, charging each run."""
    p = plan(
        Entry(kratom(), Schedule.every_hours(12, first="08:00")),
        breaks=[Break.weekly("SU", start="2027-01-01")],  # 2027-01-03 and 01-10
    )
    with mock.patch.object(_expand_breaks, "MAX_RUNS", 0):
        assert days(run(p, work=3)) == [
            d for d in range(1, 11) if d not in (3, 10) for _ in (0, 1)
        ]
        with pytest.raises(ExpansionError, match="needs more than 2 steps"):
            run(p, work=2)


def test_a_chain_is_listed_only_one_dose_past_max_events() -> None:
    """A chain stops one dose past the room max_events leaves, before any later break run is charged."""
    chain = Entry(kratom(), Schedule.every_hours(12, first="08:00"))
    sundays = [Break.weekly("SU", start="2027-01-01")]  # the first is 2027-01-03
    with mock.patch.object(_expand_breaks, "MAX_RUNS", 0):
        # Room for 3 doses: 4 are listed (01-01 and 01-02), no Sunday is reached.
        with pytest.raises(ExpansionError, match="max_events=3 events"):
            run(plan(chain, breaks=sundays), work=1, max_events=3)
        # After the 8 doses of a daily entry (charged its two Sundays), the
        # room left is 3 as well.
        with pytest.raises(ExpansionError, match="max_events=11 events"):
            run(
                plan(Entry(kefir(), DAILY), chain, breaks=sundays),
                work=3,
                max_events=11,
            )
