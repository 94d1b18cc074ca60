"""Bounded expansion: max_events before building, a work budget, the supported dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

import pytest

import regimen._expand
import regimen._expand_columns
from regimen import (
    Break,
    Dose,
    Entry,
    ExpansionError,
    Plan,
    Product,
    Schedule,
    Substance,
    Timeline,
)
from regimen._limits import MAX_EXPANSION_WORK

from .helpers import kratom

EVERY_MINUTE = [time(h, m) for h in range(24) for m in range(60)]


def plan_of(
    *entries: Entry, start: str = "0002-01-01", end: str = "9998-12-31", **kw: object
) -> Plan:
    return Plan("p", timezone="UTC", start=start, end=end, entries=entries, **kw)  # type: ignore[arg-type]


class TestMaxEvents:
    def test_counted_before_any_event_is_built(self) -> None:
        """A plan from 0002 to 9998 raises without building or localizing a single event."""
        plan = plan_of(Entry(kratom(), Schedule.daily("08:00")))
        with (
            mock.patch.object(regimen._expand_columns, "localize") as localize,
            mock.patch.object(regimen._expand_columns, "localize_days") as by_run,
            pytest.raises(
                ExpansionError, match=r"more than max_events=1000000 events"
            ) as info,
        ):
            plan.timeline()
        assert localize.call_count == 0
        assert by_run.call_count == 0
        assert "entry 0" in str(info.value)
        assert "'Maeng Da'" in str(info.value)

    def test_every_minute_for_millennia(self) -> None:
        """1,440 times a day over millennia is refused by counting, naming what to change."""
        plan = plan_of(Entry(kratom(), Schedule.daily(*EVERY_MINUTE)))
        with pytest.raises(ExpansionError, match=r"timeline\(start, end\)") as info:
            plan.timeline()
        assert len(str(info.value)) < 400  # the schedule is shortened in the message

    def test_the_exact_limit_is_allowed(self) -> None:
        """max_events is the largest number of events allowed, summed over entries."""
        plan = plan_of(
            Entry(kratom(), Schedule.daily("08:00")),
            Entry(
                kratom("1 g"), Schedule.rrule("FREQ=WEEKLY;BYDAY=MO", "09:00", "10:00")
            ),
            start="2027-01-04",
            end="2027-01-10",
        )
        assert len(plan.timeline(max_events=9)) == 9
        with pytest.raises(ExpansionError, match=r"max_events=8 .*entry 1"):
            plan.timeline(max_events=8)

    def test_max_events_must_be_a_whole_number(self) -> None:
        """max_events is checked like any other argument."""
        plan = plan_of(Entry(kratom(), Schedule.daily("08:00")), end="0002-01-31")
        with pytest.raises(TypeError, match="max_events must be a whole number"):
            plan.timeline(max_events=1.5)  # type: ignore[arg-type]


class TestWorkBudget:
    def test_entry_covered_by_a_break_costs_nothing(self) -> None:
        """An entry with every minute of every day under a break gives no events, at once."""
        plan = plan_of(
            Entry(kratom(), Schedule.daily(*EVERY_MINUTE)),
            breaks=[Break("0002-01-01", "9998-12-31")],
        )
        with (
            mock.patch.object(regimen._expand_columns, "localize") as localize,
            mock.patch.object(regimen._expand_columns, "localize_days") as by_run,
        ):
            assert len(plan.timeline()) == 0
        assert localize.call_count == 0
        assert by_run.call_count == 0

    @pytest.mark.parametrize(
        "rule",
        [
            "FREQ=WEEKLY;BYMONTH=2;BYDAY=SU;BYSETPOS=-1",
            "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
            "FREQ=DAILY",
        ],
    )
    def test_rarely_matching_rule_over_millennia_stops(self, rule: str) -> None:
        """A rule scanned over 0002-9998 stops at the budget, naming the entry and the fix."""
        plan = plan_of(
            Entry(kratom(), Schedule.daily("08:00"), end="0002-01-02"),
            Entry(kratom("1 g"), Schedule.rrule(rule, "08:00")),
        )
        with pytest.raises(
            ExpansionError, match=r"stopped at entry 1 \('Maeng Da', per FREQ="
        ) as info:
            plan.timeline()
        assert f"{MAX_EXPANSION_WORK:,} steps" in str(info.value)
        assert "pass start and end to timeline()" in str(info.value)

    def test_many_entries_share_one_budget(self) -> None:
        """4,000 rule entries over millennia stop at the budget, not after 4,000 scans."""
        days = ["MO", "TU"]
        rules = [
            f"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY={days[i % 2]}"
            for i in range(4000)
        ]
        plan = plan_of(*(Entry(kratom(), Schedule.rrule(r, "08:00")) for r in rules))
        with pytest.raises(ExpansionError, match=r"stopped at entry \d \("):
            plan.timeline()

    def test_many_breaks_times_many_entries_stop(self) -> None:
        """Breaks applied to entries count too: 4,000 x 4,000 stops early."""
        subs = [Substance(f"s{i}", classes={"botanical"}) for i in range(4000)]
        entries = [
            Entry(
                Dose(Product(f"p{i}", contents={s: "1 g"}, per="1 g"), "1 g"),
                Schedule.daily("08:00"),
            )
            for i, s in enumerate(subs)
        ]
        breaks = [
            Break(
                date(2027, 1, 1) + timedelta(days=i),
                date(2027, 1, 1) + timedelta(days=i),
                substances=["botanical"],
            )
            for i in range(4000)
        ]
        plan = plan_of(*entries, start="2027-01-01", end="2036-12-31", breaks=breaks)
        with pytest.raises(ExpansionError, match=r"use fewer breaks"):
            plan.timeline()

    def test_a_ten_year_plan_needs_a_small_part_of_the_budget(self) -> None:
        """Six daily entries, four RRULE entries and monthly breaks for ten years fit a tenth of the budget."""
        entries = [Entry(kratom(), Schedule.daily(f"{8 + h}:00")) for h in range(6)]
        entries += [
            Entry(kratom("1 g"), Schedule.rrule(r, "21:00"))
            for r in (
                "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                "FREQ=MONTHLY;BYDAY=-1FR",
                "FREQ=YEARLY;BYWEEKNO=1,53",
                "FREQ=DAILY;INTERVAL=2;BYMONTH=1,7",
            )
        ]
        breaks = [
            Break(
                date(2027 + m // 12, m % 12 + 1, 1),
                date(2027 + m // 12, m % 12 + 1, 3),
                substances=["kratom"],
            )
            for m in range(120)
        ]
        plan = plan_of(*entries, start="2027-01-01", end="2036-12-31", breaks=breaks)
        timeline = regimen._expand.expand(
            plan, start=None, end=None, max_events=10**6, work=MAX_EXPANSION_WORK // 10
        )
        assert len(timeline) > 20_000

    def test_budget_is_per_call(self) -> None:
        """A budget spent by one call does not limit the next."""
        plan = plan_of(
            Entry(kratom(), Schedule.rrule("FREQ=DAILY", "08:00")),
            start="2027-01-01",
            end="2036-12-31",
        )
        for _ in range(3):
            assert (
                len(
                    regimen._expand.expand(
                        plan, start=None, end=None, max_events=10**6, work=4000
                    )
                )
                == 3653
            )
        with pytest.raises(ExpansionError, match="needs more than 3,000 steps"):
            regimen._expand.expand(
                plan, start=None, end=None, max_events=10**6, work=3000
            )


class TestSupportedDates:
    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: Plan("p", timezone="UTC", start="0001-01-01"), "Plan.start"),
            (
                lambda: Plan("p", timezone="UTC", start="2027-01-01", end="9999-12-31"),
                "Plan.end",
            ),
            (
                lambda: Entry(kratom(), Schedule.daily("08:00"), start=date(1, 6, 1)),
                "Entry.start",
            ),
            (
                lambda: Entry(kratom(), Schedule.daily("08:00"), end="9999-01-01"),
                "Entry.end",
            ),
            (lambda: Break("0001-12-31", "0002-01-05"), "Break.start"),
            (lambda: Break("9998-12-01", date.max), "Break.end"),
            (lambda: Timeline(start="0001-01-01"), "Timeline.start"),
            (lambda: Timeline(end=date(9999, 1, 1)), "Timeline.end"),
        ],
    )
    def test_constructors_refuse_dates_outside_the_range(
        self, build: object, field: str
    ) -> None:
        """Dates outside 0002-01-01 .. 9998-12-31 raise ValueError naming the field."""
        with pytest.raises(
            ValueError, match=rf"{field} must be between 0002-01-01 and 9998-12-31"
        ):
            build()  # type: ignore[operator]

    def test_timeline_windows_refuse_dates_outside_the_range(self) -> None:
        """timeline(start, end) and Timeline.between name the argument that is out of range."""
        plan = plan_of(
            Entry(kratom(), Schedule.daily("08:00")),
            start="2027-01-01",
            end="2027-01-31",
        )
        with pytest.raises(ValueError, match=r"timeline\(\) start must be between"):
            plan.timeline(date(1, 1, 1))
        with pytest.raises(ValueError, match=r"timeline\(\) end must be between"):
            plan.timeline(end="9999-12-31")
        log = plan.timeline()
        with pytest.raises(
            ValueError, match=r"Timeline.between\(\) end must be between"
        ):
            log.between(
                datetime(2027, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)
            )
        with pytest.raises(
            ValueError, match=r"Timeline.between\(\) start must be between"
        ):
            log.between(datetime(1, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    @pytest.mark.parametrize(
        "zone", ["America/Los_Angeles", "Pacific/Pago_Pago", "Etc/GMT+12"]
    )
    def test_last_day_west_of_utc_with_an_offset(self, zone: str) -> None:
        """9998-12-31 at 23:59 plus a day's offset west of UTC expands without OverflowError."""
        entry = Entry(kratom(), Schedule.daily("23:59").shifted(timedelta(hours=24)))
        plan = Plan(
            "p", timezone=zone, start="9998-12-30", end="9998-12-31", entries=[entry]
        )
        got = plan.timeline()
        assert [e.at.date() for e in got] == [date(9998, 12, 31), date(9999, 1, 1)]

    def test_first_day_east_of_utc(self) -> None:
        """0002-01-01 at midnight far east of UTC expands without OverflowError."""
        plan = Plan(
            "p",
            timezone="Etc/GMT-14",
            start="0002-01-01",
            end="0002-01-01",
            entries=[Entry(kratom(), Schedule.daily("00:00"))],
        )
        (event,) = plan.timeline()
        assert event.at.astimezone(UTC) == datetime(1, 12, 31, 10, tzinfo=UTC)
