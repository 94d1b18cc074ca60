"""Tests for summarize() and its renderings."""

from __future__ import annotations

import json
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Entry,
    MaxAmount,
    Plan,
    Profile,
    Quantity,
    Schedule,
    load,
    summarize,
    top_ups,
)

from .helpers import MAENG_DA, kefir, kratom

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def plan(*entries: Entry, days: int = 7) -> Plan:
    end = f"2027-01-{days:02d}"
    return Plan(
        "p", timezone="America/New_York", start="2027-01-01", end=end, entries=entries
    )


class TestSummary:
    def test_typical_day_rows_are_the_protocol_table(self) -> None:
        """Rows list time, item, amount and note, sorted by time, with day counts."""
        summary = summarize(load(EXAMPLES / "wellness.toml").plan)  # type: ignore[arg-type]
        rows = [(r.time.strftime("%H:%M"), r.item, str(r.amount)) for r in summary.rows]
        assert rows == [
            ("08:00", "milk kefir (milk)", "6 fl oz"),
            ("08:30", "Maeng Da (white)", "2.5 g"),
            ("13:00", "milk kefir (milk)", "6 fl oz"),
            ("14:00", "Green Malay (green)", "2 g"),
            ("20:00", "Red Bali (red)", "2 g"),
            ("20:30", "water kefir (water)", "4 fl oz"),
        ]
        assert summary.rows[1].days == summary.days - 4  # the four-day break
        assert (
            summary.rows[1].note
            == "white strain; the table gives 2-3 g; on an empty stomach"
        )

    def test_daily_totals_planned_and_with_as_needed(self) -> None:
        """Totals per substance per day: planned doses, and with every as-needed one."""
        session = top_ups(
            MAENG_DA,
            first="1.5 g",
            step="0.5 g",
            every=timedelta(minutes=45),
            up_to="3 g",
            schedule=Schedule.daily("18:00"),
        )
        summary = summarize(
            plan(*session, Entry(kratom("1 g"), Schedule.every(2, "08:00")))
        )
        (s,) = summary.substances
        assert s.planned is not None
        assert s.with_as_needed is not None
        assert (s.planned.min, s.planned.max) == (
            Quantity("1.5", "g"),
            Quantity("2.5", "g"),
        )
        # Seven days of 1.5 g, plus 1 g on four of them: 14.5 g over 7 days.
        assert s.planned.mean.amount == Decimal("14.5") / 7
        assert (s.with_as_needed.min, s.with_as_needed.max) == (
            Quantity(3, "g"),
            Quantity(4, "g"),
        )
        assert (s.use_days, s.free_days) == (7, 0)

    def test_use_and_free_days_and_day_start(self) -> None:
        """Free days are days of the period without a planned dose; day_start moves late doses."""
        summary = summarize(
            plan(Entry(kratom(), Schedule.every(3, "00:30")), days=9),
            Profile(day_start=time(4)),
        )
        (s,) = summary.substances
        # The 00:30 dose of the first day counts for the day before the plan.
        assert (s.use_days, s.free_days, s.outside) == (2, 7, 1)

    def test_report_is_included_with_a_profile(self) -> None:
        """A profile adds the validation report to the summary and its renderings."""
        profile = Profile(rules=[MaxAmount("kratom", "1 g", per="day")])
        summary = summarize(plan(Entry(kratom(), Schedule.daily("08:00"))), profile)
        assert summary.report is not None
        assert len(summary.report.errors) == 7
        assert "## Findings" in summary.to_markdown()
        assert "2 g of kratom on 2027-01-01; limit 1 g" in summary.to_text()
        assert summarize(plan(Entry(kratom(), Schedule.daily("08:00")))).report is None

    def test_to_dict_is_json_ready_with_stable_keys(self) -> None:
        """to_dict() has the documented keys and round-trips through JSON."""
        bundle = load(EXAMPLES / "wellness.toml")
        assert bundle.plan is not None
        data = json.loads(json.dumps(summarize(bundle.plan, bundle.profile).to_dict()))
        assert list(data) == [
            "title",
            "period",
            "schedule",
            "substances",
            "report",
            "adherence",
        ]
        assert data["period"] == {
            "start": "2027-01-04",
            "end": "2027-02-28",
            "days": 56,
            "timezone": "America/New_York",
            "events": 324,
            "stays": [],
            "home_clock": [],
        }
        assert data["schedule"][0] == {
            "time": "08:00",
            "item": "milk kefir (milk)",
            "amount": "6 fl oz",
            "low": "6 fl oz",
            "high": "6 fl oz",
            "note": "before breakfast",
            "days": 56,
            "first": "2027-01-04",
            "last": "2027-02-28",
            "count": 56,
            "as_needed": False,
        }
        kratom_row = next(s for s in data["substances"] if s["name"] == "kratom")
        assert kratom_row == {
            "name": "kratom",
            "unit": "g",
            "use_days": 52,
            "free_days": 4,
            "daily": {"min": "6.5 g", "mean": "6.5 g", "max": "6.5 g"},
            "daily_with_as_needed": {"min": "6.5 g", "mean": "6.5 g", "max": "6.5 g"},
            "unconverted_events": 0,
            "events_outside_period": 0,
        }
        assert data["report"]["ok"] is False

    def test_renderings_align_and_escape(self) -> None:
        """Text columns line up; Markdown escapes pipes."""
        text = summarize(load(EXAMPLES / "wellness.toml").plan).to_text()  # type: ignore[arg-type]
        table = text.split("Typical day\n")[1].split("\n\n")[0].splitlines()
        header = table[0]
        starts = [header.index(word) for word in ("time", "item", "amount", "note")]
        for line in table[1:]:
            for start in starts[1:]:
                if len(line) > start:  # an empty last cell is trimmed away
                    assert line[start - 1] == " "
                    assert line[start] != " "
        piped = summarize(plan(Entry(kefir(), Schedule.daily("08:00")))).to_markdown()
        assert piped.startswith("# p\n")
        empty = summarize(
            Plan("empty", timezone="UTC", start="2027-01-01", end="2027-01-02")
        )
        assert "Nothing in this period." in empty.to_markdown()
        assert empty.to_text().startswith(
            "empty: UTC, 2027-01-01 to 2027-01-02 (2 days, 0 doses)"
        )

    @given(
        st.lists(
            st.sampled_from(["07:00", "12:00", "19:00", "23:30"]),
            min_size=1,
            max_size=3,
            unique=True,
        ),
        st.integers(1, 20),
    )
    def test_rows_account_for_every_event(self, times: list[str], days: int) -> None:
        """Each event is counted in exactly one row (rows x days add up to the events)."""
        summary = summarize(
            plan(
                Entry(kratom(), Schedule.daily(*times)),
                Entry(kefir(), Schedule.every(2, "09:00")),
                days=days,
            )
        )
        assert sum(r.count for r in summary.rows) == summary.events
