"""allowance() agrees with a brute-force check of every window around the new dose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Profile,
    Timeline,
    allowance,
)

from . import oracles
from .helpers import MAENG_DA

NY = ZoneInfo("America/New_York")
BASE = datetime(2027, 3, 12, 12, tzinfo=NY)
TINY = Decimal("0.001")


def fits(timeline: Timeline, profile: Profile, at: datetime, grams: Decimal) -> bool:
    """Brute force: adding *grams* at *at* puts no window of any rule over its limit."""
    new = DoseEvent(at, Dose(MAENG_DA, f"{grams} g"))
    events = [*timeline, new]
    for rule in profile.rules:
        if isinstance(rule, MinInterval):
            for e in timeline:
                if abs(oracles.elapsed(e, new)) < rule.interval:
                    return False
            continue
        assert isinstance(rule, MaxAmount | MaxDoses)

        counts = isinstance(rule, MaxDoses)

        def value(e: DoseEvent, counts: bool = counts) -> Decimal:
            return Decimal(1) if counts else e.amount.to("g").amount

        limit = (
            rule.amount.to("g").amount
            if isinstance(rule, MaxAmount)
            else Decimal(rule.count)
        )
        if rule.per == "day":
            windows = [[e for e in events if oracles.day_of(e) == oracles.day_of(new)]]
        else:
            assert isinstance(rule.per, timedelta)
            width = rule.per
            ends = [
                e for e in events if timedelta(0) <= oracles.elapsed(new, e) < width
            ]
            windows = [
                [x for x in events if timedelta(0) <= oracles.elapsed(x, end) < width]
                for end in ends
            ]
        if any(sum((value(x) for x in w), start=Decimal(0)) > limit for w in windows):
            return False
    return True


@st.composite
def cases(draw: st.DrawFn) -> tuple[Timeline, Profile, datetime]:
    minutes = draw(
        st.lists(
            st.sampled_from([0, 30, 60, 240, 600, 1440]) | st.integers(0, 3000),
            max_size=8,
        )
    )
    grams = draw(
        st.lists(
            st.sampled_from(["0.5", "1", "2", "3"]),
            min_size=len(minutes),
            max_size=len(minutes),
        )
    )
    t, events = BASE, []
    for m, g in zip(minutes, grams, strict=True):
        t += timedelta(minutes=m)
        events.append(DoseEvent(t, Dose(MAENG_DA, f"{g} g")))
    rules = draw(
        st.lists(
            st.one_of(
                st.builds(
                    MaxAmount,
                    st.just("kratom"),
                    st.sampled_from(["2 g", "4 g", "5.5 g"]),
                    per=st.sampled_from(
                        ["day", timedelta(hours=24), timedelta(hours=6)]
                    ),
                ),
                st.builds(
                    MaxDoses,
                    st.just("kratom"),
                    st.integers(1, 3),
                    per=st.sampled_from(["day", timedelta(hours=24)]),
                ),
                st.builds(
                    MinInterval,
                    st.just("kratom"),
                    st.sampled_from([timedelta(minutes=45), timedelta(hours=4)]),
                ),
            ),
            min_size=1,
            max_size=3,
        )
    )
    at = BASE + timedelta(minutes=draw(st.integers(-600, 6000)))
    return Timeline(events), Profile(rules=rules), at


@given(cases())
def test_allowance_matches_brute_force(
    case: tuple[Timeline, Profile, datetime],
) -> None:
    """The amount fits exactly; nothing fits before `earliest`; something fits at it."""
    timeline, profile, at = case
    got = allowance(timeline, profile, "kratom", at=at)
    if got.allowed_now:
        assert got.earliest == at
        room = got.amount.to("g").amount if got.amount is not None else None
        assert fits(timeline, profile, at, room if room is not None else TINY)
        if room is not None:
            assert not fits(timeline, profile, at, room + Decimal("0.5"))
        return
    assert not fits(timeline, profile, at, TINY)
    assert got.earliest > at
    assert fits(timeline, profile, got.earliest, TINY)
    just_before = got.earliest - timedelta(minutes=1)
    if just_before > at:
        assert not fits(timeline, profile, just_before, TINY)
    assert got.earliest.tzinfo is not None
    assert got.earliest.astimezone(UTC) > at.astimezone(UTC)
