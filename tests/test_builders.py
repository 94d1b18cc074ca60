"""Tests for the ramp, rotate and top_ups builders."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from regimen import Plan, Quantity, Schedule, ramp, rotate, top_ups

from .helpers import GREEN_MALAY, MAENG_DA, RED_BALI

DAILY = Schedule.daily("09:00")
WEEK = timedelta(days=7)
D0 = date(2027, 1, 4)

grams = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(20), places=2)
resolutions = st.sampled_from(
    [Decimal("0.05"), Decimal("0.1"), Decimal("0.25"), Decimal("0.5")]
)


class TestRamp:
    def test_titration_up_by_step(self) -> None:
        """A titration adds the step each period and ends open at the target."""
        entries = ramp(
            MAENG_DA,
            start="1 g",
            until="2.5 g",
            step="0.5 g",
            every=WEEK,
            schedule=DAILY,
            first_day=D0,
        )
        assert [str(e.dose.amount) for e in entries] == ["1 g", "1.5 g", "2 g", "2.5 g"]
        assert entries[-1].end is None
        assert entries[0].end == D0 + timedelta(days=6)
        assert entries[1].start == D0 + WEEK

    def test_taper_by_percentage_rounded(self) -> None:
        """A 10 % taper rounded to 0.25 g never stalls and ends above zero."""
        entries = ramp(
            MAENG_DA,
            start="5 g",
            until="0 g",
            factor=Decimal("0.9"),
            resolution="0.25 g",
            every=WEEK,
            schedule=DAILY,
            first_day=D0,
        )
        amounts = [e.dose.amount.amount for e in entries]
        assert amounts[0] == 5
        assert amounts[-1] == Decimal("0.25")
        assert all(a > b for a, b in itertools.pairwise(amounts))
        assert entries[-1].end is not None  # a taper to zero stops

    def test_units_are_those_of_start(self) -> None:
        """Step and until may be given in other units of the same dimension."""
        entries = ramp(
            MAENG_DA,
            start="1 g",
            until="1500 mg",
            step="250 mg",
            every=WEEK,
            schedule=DAILY,
            first_day=D0,
        )
        assert [repr(e.dose.amount) for e in entries] == [
            "Quantity('1', 'g')",
            "Quantity('1.25', 'g')",
            "Quantity('1.5', 'g')",
        ]

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"step": "1 g", "factor": 2}, "exactly one of step"),
            ({}, "exactly one of step"),
            ({"step": "0 g"}, "step must be above zero"),
            ({"factor": "0.5"}, "factor must be above 1 to go up"),
            ({"factor": "1"}, "factor must be above 1"),
            ({"step": "1 ml"}, "must be in a unit that converts to g"),
            ({"step": "1 g", "resolution": "0 g"}, "resolution must be above zero"),
            ({"step": "1 g", "every": timedelta(hours=12)}, "whole number of days"),
            ({"step": "1 g", "every": 7}, "timedelta of whole days"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], match: str) -> None:
        """Bad ramp arguments raise errors naming the argument."""
        args: dict[str, object] = {
            "start": "1 g",
            "until": "3 g",
            "every": WEEK,
            "schedule": DAILY,
            "first_day": D0,
        }
        args.update(kwargs)
        with pytest.raises((ValueError, TypeError), match=match):
            ramp(MAENG_DA, **args)  # type: ignore[arg-type]

    def test_factor_taper_to_zero_needs_resolution(self) -> None:
        """A factor taper to zero without a resolution would never end."""
        with pytest.raises(ValueError, match="needs a resolution"):
            ramp(
                MAENG_DA,
                start="4 g",
                until="0 g",
                factor="0.5",
                every=WEEK,
                schedule=DAILY,
                first_day=D0,
            )

    @given(
        start=grams,
        until=grams | st.just(Decimal(0)),
        resolution=resolutions,
        data=st.data(),
    )
    def test_amounts_monotone_multiples_never_past_until(
        self, start: Decimal, until: Decimal, resolution: Decimal, data: st.DataObject
    ) -> None:
        """Ramp amounts move monotonically toward until, on the resolution grid, never past it."""
        assume(start != until)
        start = (start / resolution).to_integral_value() * resolution
        assume(start > 0 and start != until)
        up = until > start
        if data.draw(st.booleans(), label="by factor"):
            factor = data.draw(
                st.decimals(min_value=Decimal("1.05"), max_value=Decimal(3), places=2)
                if up
                else st.decimals(
                    min_value=Decimal("0.1"), max_value=Decimal("0.95"), places=2
                ),
                label="factor",
            )
            kwargs: dict[str, object] = {"factor": factor}
        else:
            kwargs = {"step": Quantity(data.draw(grams, label="step"), "g")}
        entries = ramp(
            MAENG_DA,
            start=Quantity(start, "g"),
            until=Quantity(until, "g"),
            resolution=Quantity(resolution, "g"),
            every=WEEK,
            schedule=DAILY,
            first_day=D0,
            **kwargs,  # type: ignore[arg-type]
        )
        amounts = [e.dose.amount.amount for e in entries]
        pairs = list(itertools.pairwise(amounts))
        assert all((b > a) if up else (b < a) for a, b in pairs)
        assert all(a <= until if up else a >= until for a in amounts)
        assert all(a > 0 for a in amounts)
        for a in amounts[1:]:
            assert a % resolution == 0 or a == until
        days = [e.start for e in entries]
        assert days == [D0 + WEEK * i for i in range(len(entries))]
        if until > 0:
            assert amounts[-1] == until


class TestRotate:
    def test_rotation_cycles_in_order(self) -> None:
        """Strains follow each other in the given order, block by block."""
        entries = rotate(
            [MAENG_DA, GREEN_MALAY, RED_BALI],
            amount="2 g",
            schedule=DAILY,
            every=timedelta(days=2),
            first_day=D0,
            last_day=D0 + timedelta(days=13),
        )
        assert [e.dose.product.name for e in entries] == [
            "Maeng Da",
            "Green Malay",
            "Red Bali",
        ] * 2 + ["Maeng Da"]
        assert entries[-1].end == D0 + timedelta(days=13)

    @given(n=st.integers(1, 3), every=st.integers(1, 10), days=st.integers(1, 120))
    def test_each_day_has_the_strain_its_block_says(
        self, n: int, every: int, days: int
    ) -> None:
        """Expanding a rotation gives day k the product k // every (mod n), and every day is covered once."""
        products = [MAENG_DA, GREEN_MALAY, RED_BALI][:n]
        last = D0 + timedelta(days=days - 1)
        entries = rotate(
            products,
            amount="2 g",
            schedule=DAILY,
            every=timedelta(days=every),
            first_day=D0,
            last_day=last,
        )
        timeline = Plan(
            "r", timezone="UTC", start=D0, end=last, entries=entries
        ).timeline()
        assert len(timeline) == days
        for k, event in enumerate(timeline):
            assert event.product == products[(k // every) % n]

    def test_bad_arguments(self) -> None:
        """rotate() needs products and ordered days."""
        with pytest.raises(ValueError, match="at least one Product"):
            rotate(
                [], amount="2 g", schedule=DAILY, every=WEEK, first_day=D0, last_day=D0
            )
        with pytest.raises(ValueError, match="before first_day"):
            rotate(
                [MAENG_DA],
                amount="2 g",
                schedule=DAILY,
                every=WEEK,
                first_day=D0,
                last_day=D0 - WEEK,
            )


class TestTopUps:
    def test_session_from_the_source(self) -> None:
        """Start at 1.5 g, add 0.5 g every 45 min up to 3 g: three as-needed top-ups."""
        entries = top_ups(
            MAENG_DA,
            first="1.5 g",
            step="0.5 g",
            every=timedelta(minutes=45),
            up_to="3 g",
            schedule=Schedule.daily("18:00"),
        )
        plan = Plan("s", timezone="Europe/Berlin", start=D0, end=D0, entries=entries)
        times = [(e.at.strftime("%H:%M"), e.as_needed) for e in plan.timeline()]
        assert times == [
            ("18:00", False),
            ("18:45", True),
            ("19:30", True),
            ("20:15", True),
        ]

    def test_session_crossing_midnight_and_dst(self) -> None:
        """Top-ups are elapsed time: a session at 01:00 on a spring-forward day skips the gap."""
        entries = top_ups(
            MAENG_DA,
            first="1 g",
            step="0.5 g",
            every=timedelta(minutes=45),
            up_to="2 g",
            schedule=Schedule.daily("01:00", "23:30"),
        )
        day = date(2027, 3, 14)
        plan = Plan(
            "s",
            timezone="America/New_York",
            start=day,
            end=day + timedelta(days=1),
            entries=entries,
        )
        got = [e.at.strftime("%d %H:%M") for e in plan.timeline()]
        assert got[:3] == ["14 01:00", "14 01:45", "14 03:30"]
        assert got[3:6] == ["14 23:30", "15 00:15", "15 01:00"]

    @given(first=grams, step=grams, up_to=grams, minutes=st.integers(1, 180))
    def test_total_never_passes_up_to(
        self, first: Decimal, step: Decimal, up_to: Decimal, minutes: int
    ) -> None:
        """The session's total never passes up_to, and only the first dose is planned."""
        assume(first <= up_to)
        entries = top_ups(
            MAENG_DA,
            first=Quantity(first, "g"),
            step=Quantity(step, "g"),
            every=timedelta(minutes=minutes),
            up_to=Quantity(up_to, "g"),
            schedule=DAILY,
        )
        total = sum((e.dose.amount.amount for e in entries), Decimal(0))
        assert total <= up_to
        assert [e.as_needed for e in entries] == [False] + [True] * (len(entries) - 1)
        offsets = [e.schedule.offset for e in entries]
        assert offsets == [timedelta(minutes=minutes * k) for k in range(len(entries))]
        # Maximal: one more step would pass up_to (unless the 24 h session cap stopped it).
        if offsets[-1] + timedelta(minutes=minutes) <= timedelta(days=1):
            assert total + step > up_to

    def test_bad_arguments(self) -> None:
        """top_ups() checks its amounts and interval."""
        with pytest.raises(ValueError, match="more than up_to"):
            top_ups(
                MAENG_DA,
                first="4 g",
                step="0.5 g",
                every=timedelta(minutes=45),
                up_to="3 g",
                schedule=DAILY,
            )
        with pytest.raises(ValueError, match="every must be a timedelta above zero"):
            top_ups(
                MAENG_DA,
                first="1 g",
                step="0.5 g",
                every=timedelta(0),
                up_to="3 g",
                schedule=DAILY,
            )
        with pytest.raises(ValueError, match="above zero"):
            top_ups(
                MAENG_DA,
                first="1 g",
                step="0 g",
                every=timedelta(minutes=45),
                up_to="3 g",
                schedule=DAILY,
            )
