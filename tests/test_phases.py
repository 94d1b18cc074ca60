"""Plans in phases: bounded builders (ramp, top_ups) and summary rows with their dates."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, time, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regimen import (
    Dose,
    Entry,
    Plan,
    Product,
    Quantity,
    Schedule,
    Substance,
    Timeline,
    load,
    ramp,
    summarize,
    top_ups,
    validate,
)
from regimen._series import local_day

POWDER = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DAY = timedelta(days=1)


def _round(value: Fraction, resolution: Fraction) -> Fraction:
    """Round to a multiple of *resolution*, half to even (what ``round`` does to a Fraction)."""
    return round(value / resolution) * resolution


def _oracle_amounts(
    start: Fraction,
    until: Fraction,
    step: Fraction | None,
    factor: Fraction | None,
    resolution: Fraction | None,
) -> list[Fraction]:
    """Return the amounts one step after another, worked out with fractions (no Decimal contexts)."""
    up = until > start
    out = [start]
    while out[-1] != until:
        current = out[-1]
        if step is not None:
            nxt = current + step if up else current - step
        else:
            assert factor is not None
            nxt = current * factor
        if resolution is not None:
            nxt = _round(nxt, resolution)
            if nxt == current:
                nxt = current + resolution if up else current - resolution
        if (up and nxt >= until) or (not up and nxt <= until):
            nxt = until
        out.append(nxt)
    if out[-1] == 0:
        out.pop()
    return out


@st.composite
def _ramps(draw: st.DrawFn) -> dict[str, Any]:
    quarter = Fraction(1, 4)
    start = draw(st.integers(1, 24)) * quarter
    until = draw(st.integers(0, 24)) * quarter
    if until == start:
        until = start + quarter
    by_factor = draw(st.booleans())
    args: dict[str, Any] = {
        "start": Quantity(Decimal(start.numerator) / start.denominator, "g"),
        "until": Quantity(Decimal(until.numerator) / until.denominator, "g"),
        "resolution": Quantity("0.25", "g"),
        "every": timedelta(days=draw(st.integers(1, 10))),
        "first_day": draw(st.dates(date(2027, 1, 1), date(2027, 12, 31))),
    }
    if by_factor:
        args["factor"] = Decimal(
            draw(
                st.sampled_from(["0.5", "0.75", "0.9"])
                if until < start
                else st.sampled_from(["1.1", "1.25", "1.5"])
            )
        )
    else:
        args["step"] = Quantity(Decimal(draw(st.integers(1, 8))) / 4, "g")
    args["last_day"] = (
        args["first_day"] + timedelta(days=draw(st.integers(0, 120)))
        if draw(st.booleans())
        else None
    )
    args["hold_until"] = (
        args["first_day"] + timedelta(days=draw(st.integers(0, 200)))
        if draw(st.booleans())
        else None
    )
    return args


def _steps(args: dict[str, Any]) -> list[Fraction]:
    """Return the oracle's amounts for the ramp *args* describe."""
    step = args.get("step")
    return _oracle_amounts(
        Fraction(args["start"].amount),
        Fraction(args["until"].amount),
        None if step is None else Fraction(step.amount),
        Fraction(args["factor"]) if "factor" in args else None,
        Fraction(args["resolution"].amount),
    )


def _oracle_days(args: dict[str, Any]) -> tuple[dict[date, Fraction], bool]:
    """Return day -> amount, day by day from first_day, and whether the last amount is open-ended."""
    amounts = _steps(args)
    every = args["every"].days
    first, last, hold = args["first_day"], args["last_day"], args["hold_until"]
    final = first + (len(amounts) - 1) * every * DAY
    open_ended = hold is None and amounts[-1] == Fraction(args["until"].amount)
    if hold is not None:
        stop = hold
    elif open_ended:
        stop = last if last is not None else final + 400 * DAY
    else:
        stop = final + (every - 1) * DAY
    if last is not None:
        stop = min(stop, last)
    days: dict[date, Fraction] = {}
    day = first
    while day <= stop:
        k = (day - first).days // every
        days[day] = amounts[min(k, len(amounts) - 1)]
        day += DAY
    return days, open_ended and last is None


class TestRamp:
    @settings(max_examples=150)
    @given(_ramps())
    def test_phase_entries_partition_the_days_and_follow_the_arithmetic(
        self, args: dict[str, Any]
    ) -> None:
        """Entries follow each other without gap or overlap from first_day; each day's amount is the oracle's."""
        hold, first = args["hold_until"], args["first_day"]
        steps = _steps(args)
        final = first + (len(steps) - 1) * args["every"].days * DAY
        given_args = {k: v for k, v in args.items() if v is not None}
        if hold is not None and hold < final:
            with pytest.raises(
                ValueError, match=r"hold_until .* is before the final amount begins"
            ):
                ramp(POWDER, schedule=Schedule.daily("09:00"), **given_args)
            return
        entries = ramp(POWDER, schedule=Schedule.daily("09:00"), **given_args)
        expected, open_ended = _oracle_days(args)
        assert entries[0].start == first
        for a, b in itertools.pairwise(entries):
            assert a.end is not None
            assert b.start == a.end + DAY
        got: dict[date, Fraction] = {}
        for e in entries:
            assert e.start is not None
            end = e.end if e.end is not None else max(expected)
            day = e.start
            while day <= end:
                got[day] = Fraction(e.dose.amount.amount)
                day += DAY
        assert got == expected
        assert (entries[-1].end is None) == open_ended
        if args["last_day"] is not None:
            assert all(e.end is not None and e.end <= args["last_day"] for e in entries)

    def test_two_weeks_up_then_held(self) -> None:
        """1 g up by 0.5 g a week to 2 g, held to the end of the month: three entries, dates inclusive."""
        entries = ramp(
            POWDER,
            start="1 g",
            until="2 g",
            step="0.5 g",
            every="7 d",
            schedule=Schedule.daily("18:00"),
            first_day="2027-03-01",
            hold_until="2027-03-31",
        )
        assert [(str(e.dose.amount), e.start, e.end) for e in entries] == [
            ("1 g", date(2027, 3, 1), date(2027, 3, 7)),
            ("1.5 g", date(2027, 3, 8), date(2027, 3, 14)),
            ("2 g", date(2027, 3, 15), date(2027, 3, 31)),
        ]

    def test_hold_until_before_the_final_amount_is_refused(self) -> None:
        """Holding until a day before the final amount begins says when that is and the fix."""
        with pytest.raises(
            ValueError,
            match=r"hold_until \(2027-03-10\) is before the final amount begins \(2027-03-15, 2 g\)",
        ):
            ramp(
                POWDER,
                start="1 g",
                until="2 g",
                step="0.5 g",
                every="7 d",
                schedule=Schedule.daily("18:00"),
                first_day="2027-03-01",
                hold_until="2027-03-10",
            )

    def test_last_day_before_first_day_is_refused(self) -> None:
        """last_day before first_day is an error naming both."""
        with pytest.raises(
            ValueError,
            match=r"ramp\(\) last_day \(2027-02-01\) is before first_day \(2027-03-01\)",
        ):
            ramp(
                POWDER,
                start="1 g",
                until="2 g",
                step="0.5 g",
                every="7 d",
                schedule=Schedule.daily("18:00"),
                first_day="2027-03-01",
                last_day="2027-02-01",
            )


class TestTopUps:
    @given(st.dates(date(2027, 1, 1), date(2027, 12, 31)), st.integers(0, 30))
    def test_every_entry_is_bounded(self, first: date, length: int) -> None:
        """The first dose and each top-up run from first_day to last_day; the session still counts for its day."""
        last = first + timedelta(days=length)
        entries = top_ups(
            POWDER,
            first="1 g",
            step="0.5 g",
            every="45 min",
            up_to="2 g",
            schedule=Schedule.daily("23:00"),
            first_day=first,
            last_day=last,
        )
        assert [(e.start, e.end) for e in entries] == [(first, last)] * 3
        plan = Plan(
            "p", timezone="UTC", start=first - DAY, end=last + DAY, entries=entries
        )
        timeline = plan.timeline()
        sessions = Counter(e.at.date() for e in timeline if e.at.time() == time(23))
        assert sorted(sessions) == [first + k * DAY for k in range(length + 1)]
        assert len(timeline) == 3 * (length + 1)


def _phase_oracle(
    timeline: Timeline, start: date, end: date
) -> Counter[tuple[Any, ...]]:
    """Rows as a day-by-day scan finds them: for each time slot, runs of days with one amount.

    A run of an amount ends where, on a day between two of its days, the
    slot has another amount and not this one.
    """
    slots: dict[tuple[Any, ...], dict[date, set[str]]] = {}
    for e in timeline:
        day = local_day(e.at, time(0))
        item = e.product.name
        slot = (e.at.time(), item, e.as_needed)
        slots.setdefault(slot, {}).setdefault(day, set()).add(e.dose.amount_text)
    rows: Counter[tuple[Any, ...]] = Counter()
    for slot, by_day in slots.items():
        amounts = {a for found in by_day.values() for a in found}
        for amount in amounts:
            run: list[date] = []
            day = min(by_day)
            while day <= max(by_day):
                here = by_day.get(day, set())
                if amount in here:
                    run.append(day)
                elif here and run:
                    rows[(*slot, amount, run[0], run[-1], len(run))] += 1
                    run = []
                day += DAY
            if run:
                rows[(*slot, amount, run[0], run[-1], len(run))] += 1
    assert all(start <= key[4] and key[5] <= end for key in rows)
    return rows


@st.composite
def _phased_plans(draw: st.DrawFn) -> Plan:
    first = draw(st.dates(date(2027, 1, 1), date(2027, 12, 31)))
    titration_days = draw(st.integers(1, 14))
    titration = top_ups(
        POWDER,
        first=draw(st.sampled_from(["1 g", "1.5 g"])),
        step="0.5 g",
        every="45 min",
        up_to="3 g",
        schedule=Schedule.daily("18:00"),
        first_day=first,
        last_day=first + (titration_days - 1) * DAY,
    )
    taper_start = first + titration_days * DAY
    taper_end = taper_start + draw(st.integers(0, 40)) * DAY
    taper = ramp(
        POWDER,
        start="3 g",
        until="1 g",
        factor=draw(st.sampled_from(["0.75", "0.9"])),
        resolution="0.25 g",
        every=timedelta(days=draw(st.integers(1, 7))),
        schedule=Schedule.daily("18:00"),
        first_day=taper_start,
        last_day=taper_end,
    )
    maintenance = Entry(
        Dose(POWDER, draw(st.sampled_from(["1 g", "0.75-1 g", "1.5 g"]))),
        draw(
            st.sampled_from(
                [Schedule.daily("18:00"), Schedule.weekly(["MO", "TH"], "18:00")]
            )
        ),
        start=taper_end + DAY,
    )
    return Plan(
        "phases",
        timezone=draw(st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"])),
        start=first,
        end=taper_end + draw(st.integers(1, 30)) * DAY,
        entries=[*titration, *taper, maintenance],
    )


class TestSummaryRows:
    @settings(max_examples=60)
    @given(_phased_plans())
    def test_row_dates_match_a_day_by_day_scan(self, plan: Plan) -> None:
        """Each row's first day, last day and day count are a run the day-by-day scan finds."""
        summary = summarize(plan)
        assert plan.end is not None
        got = Counter(
            (r.time, r.item, r.as_needed, r.amount_text, r.first, r.last, r.days)
            for r in summary.rows
        )
        assert got == _phase_oracle(plan.timeline(), plan.start, plan.end)
        firsts = [(r.first, r.time) for r in summary.rows]
        assert firsts == sorted(firsts)

    def test_the_phased_example_reads_as_phases(self) -> None:
        """examples/phased.toml: titration with top-ups, an eight-week taper, maintenance, each row with its dates."""
        bundle = load(EXAMPLES / "phased.toml")
        assert bundle.plan is not None
        summary = summarize(bundle.plan, bundle.profile)
        text = summary.to_text()
        assert "  dates " in text
        rows = [
            (str(r.first), str(r.last), r.amount_text, r.as_needed)
            for r in summary.rows
        ]
        assert rows[0] == ("2027-03-01", "2027-03-14", "1.5 g", False)
        taper = [r for r in rows if r[0] >= "2027-03-15" and r[1] <= "2027-05-09"]
        assert [r[2] for r in taper] == [
            "3 g",
            "2.75 g",
            "2.5 g",
            "2.25 g",
            "2 g",
            "1.75 g",
            "1.5 g",
            "1.25 g",
        ]
        assert all(
            (date.fromisoformat(r[1]) - date.fromisoformat(r[0])).days == 6
            for r in taper
        )
        assert rows[-1][:3] == ("2027-05-10", "2027-07-04", "0.75-1 g")
        markdown = summary.to_markdown()
        assert "| dates | time | item | amount | note |" in markdown
        assert (
            "| 2027-03-15 to 2027-03-21 | 18:00 | Maeng Da (white) | 3 g |" in markdown
        )
        assert validate(bundle.plan, bundle.profile).ok

    def test_a_plan_without_phases_has_no_dates_column(self) -> None:
        """A weekly row that runs the whole period shows no dates (as before)."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-31",
            entries=[Entry(Dose(POWDER, "1 g"), Schedule.weekly(["MO"], "08:00"))],
        )
        text = summarize(plan).to_text()
        assert "dates" not in text
        assert "on 4 of 31 days" in text
