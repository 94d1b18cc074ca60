"""adherence(..., rebase=True): every-h-hours entries counted from the last dose taken."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Break,
    Dose,
    DoseEvent,
    DoseStatus,
    Entry,
    Plan,
    Product,
    Schedule,
    Substance,
    Timeline,
    adherence,
)

NY = ZoneInfo("America/New_York")
PILL = Product(
    "amoxicillin", contents={Substance("amoxicillin"): "1 capsule"}, per="1 capsule"
)
PRN = Product(
    "ibuprofen", contents={Substance("ibuprofen"): "1 tablet"}, per="1 tablet"
)


def taken(product: Product, *moments: datetime) -> list[DoseEvent]:
    amount = "1 capsule" if product is PILL else "1 tablet"
    return [DoseEvent(m, Dose(product, amount)) for m in moments]


def plan_of(*entries: Entry, breaks: tuple[Break, ...] = ()) -> Plan:
    return Plan(
        "p",
        timezone="America/New_York",
        start="2027-03-13",
        end="2027-03-16",
        entries=entries,
        breaks=breaks,
    )


class TestRebase:
    def test_next_dose_counts_from_the_last_taken(self) -> None:
        """An 8-hourly dose taken at 13:00 instead of 14:00: the next is due at 21:00, not 22:00."""
        plan = plan_of(Entry(Dose(PILL, "1 capsule"), Schedule.every_hours(8)))
        log = Timeline(
            taken(
                PILL,
                datetime(2027, 3, 13, 6, 5, tzinfo=NY),
                datetime(2027, 3, 13, 13, tzinfo=NY),
            )
        )
        at = datetime(2027, 3, 13, 15, tzinfo=NY)
        plain = adherence(plan, log, at=at)
        assert plain.next_due[0].planned.at == datetime(2027, 3, 13, 22, tzinfo=NY)
        rebased = adherence(plan, log, at=at, rebase=True)
        assert rebased.next_due[0].planned.at == datetime(2027, 3, 13, 21, tzinfo=NY)
        assert rebased.next_due[0].rebased
        # The dose taken early still counts for the 14:00 dose it matched.
        assert [r.status for r in rebased.doses[:2]] == [
            DoseStatus.TAKEN,
            DoseStatus.EARLY,
        ]
        assert rebased.extra == plain.extra == ()

    def test_across_spring_forward_the_chain_stays_in_utc(self) -> None:
        """Rebased doses are whole intervals of elapsed time after the last dose, across DST."""
        plan = plan_of(Entry(Dose(PILL, "1 capsule"), Schedule.every_hours(8)))
        last = datetime(2027, 3, 13, 23, 30, tzinfo=NY)
        result = adherence(
            plan,
            Timeline(taken(PILL, last)),
            at=datetime(2027, 3, 14, 0, 0, tzinfo=NY),
            rebase=True,
        )
        chain = [r.planned.at for r in result.doses if r.rebased]
        assert [c.astimezone(UTC) - last.astimezone(UTC) for c in chain[:2]] == [
            timedelta(hours=8),
            timedelta(hours=16),
        ]
        assert chain[0].strftime("%H:%M %Z") == "08:30 EDT"

    def test_as_needed_next_allowed(self) -> None:
        """An as-needed dose at most every 4 h: the next may be taken 4 h after the last, and is then due."""
        plan = plan_of(
            Entry(Dose(PRN, "1 tablet"), Schedule.every_hours(4), as_needed=True)
        )
        log = Timeline(taken(PRN, datetime(2027, 3, 13, 9, tzinfo=NY)))
        soon = adherence(
            plan, log, at=datetime(2027, 3, 13, 11, tzinfo=NY), rebase=True
        )
        assert [(r.planned.at.hour, r.status) for r in soon.next_due] == [
            (13, DoseStatus.UPCOMING)
        ]
        later = adherence(
            plan, log, at=datetime(2027, 3, 13, 20, tzinfo=NY), rebase=True
        )
        assert [(r.planned.at.hour, r.status) for r in later.next_due] == [
            (13, DoseStatus.DUE)
        ]
        exactly = adherence(
            plan, log, at=datetime(2027, 3, 13, 13, tzinfo=NY), rebase=True
        )  # due from the very moment it may be taken
        assert [r.status for r in exactly.next_due] == [DoseStatus.DUE]
        assert (
            adherence(plan, log, at=datetime(2027, 3, 13, 11, tzinfo=NY)).next_due == ()
        )

    def test_nothing_taken_changes_nothing(self) -> None:
        """With no dose of the entry taken, rebasing leaves the plan's doses as they are."""
        plan = plan_of(Entry(Dose(PILL, "1 capsule"), Schedule.every_hours(8)))
        log = Timeline(taken(PRN, datetime(2027, 3, 13, 9, tzinfo=NY)))
        at = datetime(2027, 3, 14, 9, tzinfo=NY)
        assert adherence(plan, log, at=at, rebase=True) == adherence(plan, log, at=at)

    def test_wall_clock_entries_are_not_rebased(self) -> None:
        """Only every-h-hours entries are counted from the last dose."""
        plan = plan_of(Entry(Dose(PILL, "1 capsule"), Schedule.daily("08:00", "20:00")))
        log = Timeline(taken(PILL, datetime(2027, 3, 13, 10, tzinfo=NY)))
        at = datetime(2027, 3, 13, 12, tzinfo=NY)
        assert adherence(plan, log, at=at, rebase=True) == adherence(plan, log, at=at)

    @given(
        hours=st.sampled_from([4, 6, 8, 12]),
        offsets=st.lists(st.integers(0, 60 * 60), min_size=1, max_size=4),
        at_minutes=st.integers(0, 60 * 70),
        pause=st.sampled_from([None, "once", "weekly"]),
    )
    def test_against_a_slow_oracle(
        self, hours: int, offsets: list[int], at_minutes: int, pause: str | None
    ) -> None:
        """Records: the plain ones up to the last dose (and all matched), then a UTC chain from it."""
        period = timedelta(hours=hours)
        # Both kinds of break take Monday 2027-03-15 off, the one Monday in the plan.
        breaks = {
            None: (),
            "once": (Break("2027-03-15", "2027-03-15"),),
            "weekly": (Break.weekly("MO", start="2027-03-13"),),
        }[pause]
        plan = plan_of(
            Entry(Dose(PILL, "1 capsule"), Schedule.every_hours(period)), breaks=breaks
        )
        base = datetime(2027, 3, 13, 0, 0, tzinfo=NY).astimezone(UTC)
        log = Timeline(taken(PILL, *(base + timedelta(minutes=m) for m in offsets)))
        at = base + timedelta(minutes=at_minutes)
        upcoming = timedelta(hours=24)
        got = adherence(plan, log, at=at, rebase=True, upcoming=upcoming)
        plain = adherence(plan, log, at=at, upcoming=upcoming)
        mine = [e.at for e in log if e.at <= at]
        if not mine:
            assert got == plain
            return
        last = max(mine)
        want = [
            (r.planned.at, r.status)
            for r in plain.doses
            if r.taken is not None or r.planned.at <= last
        ]
        horizon = at + upcoming
        end = min(horizon.astimezone(NY).date(), date(2027, 3, 16))
        tol = timedelta(hours=2)
        t = last + period
        while t <= horizon and t.astimezone(NY).date() <= end:
            if t.astimezone(NY).date() != date(2027, 3, 15) or not pause:
                if t - tol > at:
                    status = DoseStatus.UPCOMING
                elif t + tol < at:
                    status = DoseStatus.MISSED
                else:
                    status = DoseStatus.DUE
                want.append((t, status))
            t += period
        want.sort(key=lambda pair: pair[0])
        assert [(r.planned.at, r.status) for r in got.doses] == want
        assert got.extra == plain.extra


@pytest.mark.parametrize("rebase", [False, True])
def test_rebase_keeps_the_default_records_comparable(rebase: bool) -> None:
    """Records carry rebased=False unless counted from the last dose."""
    plan = plan_of(Entry(Dose(PILL, "1 capsule"), Schedule.every_hours(8)))
    log = Timeline(taken(PILL, datetime(2027, 3, 13, 6, tzinfo=NY)))
    result = adherence(plan, log, at=datetime(2027, 3, 13, 7, tzinfo=NY), rebase=rebase)
    assert result.doses[0].rebased is False
    assert any(r.rebased for r in result.doses) is rebase


def test_cli_rebase(tmp_path: Path) -> None:
    """Regimen adherence --rebase counts the next dose from the last one taken."""
    import io

    from regimen._cli import main

    text = """
[[substances]]
name = "amoxicillin"

[[products]]
name = "amoxicillin"
per = "1 capsule"
contents = { amoxicillin = "1 capsule" }

[plan]
name = "course"
timezone = "America/New_York"
start = 2027-01-04
end = 2027-01-10

[[plan.entries]]
dose = { product = "amoxicillin", amount = "1 capsule" }
schedule = { kind = "hours", every = "8 h" }

[[log]]
at = "2027-01-04T06:05:00"
dose = { product = "amoxicillin", amount = "1 capsule" }

[[log]]
at = "2027-01-04T13:00:00"
dose = { product = "amoxicillin", amount = "1 capsule" }
"""
    path = tmp_path / "course.toml"
    path.write_text(text, encoding="utf-8")

    def next_due(*extra: str) -> str:
        out = io.StringIO()
        args = ["adherence", str(path), "--at", "2027-01-04T15:00", "--format", "json"]
        assert main([*args, *extra], stdout=out, stderr=io.StringIO()) == 0
        return str(json.loads(out.getvalue())["next_due"][0]["planned"])

    assert next_due().startswith("2027-01-04T22:00")
    assert next_due("--rebase").startswith("2027-01-04T21:00")
