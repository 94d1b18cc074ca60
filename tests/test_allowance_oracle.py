"""allowance() agrees with a brute-force check of every window around the new dose.

The oracle looks at each rule on its own, event by event, with no bisects or
caches: which rules forbid a dose at a moment, how much room each amount
rule leaves, and (probing every moment where some rule's answer can change)
that nothing is allowed between the moment asked about and ``earliest``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Profile,
    Timeline,
    allowance,
)
from regimen._rules import Rule

from .helpers import KRATOM, MAENG_DA

NY = ZoneInfo("America/New_York")
BASE = datetime(2027, 3, 12, 12, tzinfo=NY)  # two days before a DST change
TINY = Decimal("0.001")
US = timedelta(microseconds=1)


def elapsed(a: datetime, b: datetime) -> timedelta:
    return b.astimezone(UTC) - a.astimezone(UTC)


def day_start_of(rule: Rule, profile: Profile) -> time:
    own = getattr(rule, "day_start", None)
    return own if own is not None else profile.day_start


def day_of(at: datetime, start: time) -> int:
    """Return the local day *at* counts for: its wall time less the day start."""
    wall = at.astimezone(NY).replace(tzinfo=None)
    return (wall - timedelta(hours=start.hour, minutes=start.minute)).date().toordinal()


def week_of(day: int) -> tuple[int, int]:
    iso = date.fromordinal(day).isocalendar()
    return iso.year, iso.week


def sharing(
    rule: MaxAmount | MaxDoses, profile: Profile, events: list[datetime], at: datetime
) -> list[list[datetime]]:
    """Every window of *rule* that a dose at *at* would fall in, as the other doses in it."""
    start = day_start_of(rule, profile)
    if rule.per == "dose":
        return [[]]
    if rule.per == "day":
        return [[e for e in events if day_of(e, start) == day_of(at, start)]]
    if rule.per == "week":
        week = week_of(day_of(at, start))
        return [[e for e in events if week_of(day_of(e, start)) == week]]
    assert isinstance(rule.per, timedelta)
    width = rule.per
    ends = [at, *(e for e in events if timedelta(0) <= elapsed(at, e) < width)]
    return [
        [x for x in events if timedelta(0) <= elapsed(x, end) < width] for end in ends
    ]


def room(
    rule: MaxAmount, profile: Profile, timeline: Timeline, at: datetime
) -> Decimal:
    """How many grams a MaxAmount rule leaves at *at* (never below zero)."""
    events = [e.at for e in timeline]
    worst = Decimal(0)
    for window in sharing(rule, profile, events, at):
        # One entry per event, even when two share an instant.
        total = sum(
            (e.amount.to("g").amount for e in timeline if e.at in window),
            start=Decimal(0),
        )
        worst = max(worst, total)
    return max(rule.amount.to("g").amount - worst, Decimal(0))


def forbids(rule: Rule, profile: Profile, timeline: Timeline, at: datetime) -> bool:
    """Brute force: whether any dose at *at* breaks *rule* where it held before."""
    events = [e.at for e in timeline]
    if isinstance(rule, MinInterval):
        return any(abs(elapsed(e, at)) < rule.interval for e in events)
    if isinstance(rule, MaxConsecutiveDays):
        start = day_start_of(rule, profile)
        used = {day_of(e, start) for e in events}
        day = day_of(at, start)
        first = last = day
        while first - 1 in used:
            first -= 1
        if day in used:  # a day already used: the dose joins its run past the limit?
            return day - first >= rule.days
        while last + 1 in used:
            last += 1
        return last - first + 1 > rule.days
    if isinstance(rule, MaxAmount):
        return room(rule, profile, timeline, at) <= 0
    assert isinstance(rule, MaxDoses)
    windows = sharing(rule, profile, events, at)
    return any(len(w) + 1 > rule.count for w in windows)


def expected(
    timeline: Timeline, profile: Profile, at: datetime
) -> tuple[Decimal | None, Rule | None, bool]:
    """Return the oracle's amount (grams), binding rule and whether a dose is forbidden at *at*."""
    blockers = [r for r in profile.rules if forbids(r, profile, timeline, at)]
    rooms = [
        (room(r, profile, timeline, at), r)
        for r in profile.rules
        if isinstance(r, MaxAmount)
    ]
    amount = min((g for g, _ in rooms), default=None)
    if blockers:
        return Decimal(0), blockers[0], True
    tightest = next((r for g, r in rooms if g == amount), None)
    return amount, tightest, False


def grams(value: object) -> Decimal | None:
    if value is None:
        return None
    return value.to("g").amount  # type: ignore[attr-defined, no-any-return]


def probes(
    timeline: Timeline, profile: Profile, at: datetime, end: datetime
) -> list[datetime]:
    """Every moment in [at, end) where some rule's answer can change, and one between each pair."""
    marks = {at.astimezone(UTC)}
    for rule in profile.rules:
        width = getattr(rule, "interval", None) or getattr(rule, "per", None)
        for e in timeline:
            utc = e.at.astimezone(UTC)
            marks.add(utc)
            if isinstance(width, timedelta):
                marks.update({utc - width, utc + width})
        start = day_start_of(rule, profile)
        first = day_of(at, start)
        for n in range(first, day_of(end, start) + 2):
            wall = datetime.combine(date.fromordinal(n), start, tzinfo=NY)
            marks.add(wall.astimezone(UTC).astimezone(NY).astimezone(UTC))
    inside = sorted(m.astimezone(UTC) for m in marks if at <= m < end)
    points = list(inside)
    for a, b in zip(inside, [*inside[1:], end.astimezone(UTC)], strict=True):
        points.append(a + (b - a) / 2)
    return points


@st.composite
def cases(draw: st.DrawFn) -> tuple[Timeline, Profile, datetime]:
    minutes = draw(
        st.lists(
            st.sampled_from([0, 30, 60, 240, 600, 1440]) | st.integers(0, 3000),
            max_size=8,
        )
    )
    amounts = draw(
        st.lists(
            st.sampled_from(["0.5", "1", "2", "3"]),
            min_size=len(minutes),
            max_size=len(minutes),
        )
    )
    t, events = BASE.astimezone(UTC), []
    for m, g in zip(minutes, amounts, strict=True):
        t += timedelta(minutes=m)  # elapsed time: add in UTC, show in New York
        events.append(DoseEvent(t.astimezone(NY), Dose(MAENG_DA, f"{g} g")))
    own_start = st.sampled_from([None, None, time(2)])
    rules = draw(
        st.lists(
            st.one_of(
                st.builds(
                    MaxAmount,
                    st.just("kratom"),
                    st.sampled_from(["2 g", "4 g", "5.5 g"]),
                    per=st.sampled_from(
                        ["day", "week", "dose", timedelta(hours=24), timedelta(hours=6)]
                    ),
                    day_start=own_start,
                ),
                st.builds(
                    MaxDoses,
                    st.just("kratom"),
                    st.integers(1, 3),
                    per=st.sampled_from(["day", "week", timedelta(hours=24)]),
                    day_start=own_start,
                ),
                st.builds(
                    MinInterval,
                    st.just("kratom"),
                    st.sampled_from(
                        [
                            timedelta(minutes=30),
                            timedelta(minutes=45),
                            timedelta(hours=4),
                        ]
                    ),
                ),
                st.builds(
                    MaxConsecutiveDays,
                    st.just("botanical"),  # a class of kratom
                    st.integers(1, 3),
                    day_start=own_start,
                ),
            ),
            min_size=1,
            max_size=3,
        )
    )
    day_start = draw(st.sampled_from([time(0), time(4)]))
    # Often exactly at an event, or an interval or a day start away from one.
    offsets = [0, 30, 45, 240, -30, -240]
    near_event = draw(st.booleans())
    if events and near_event:
        anchor = draw(st.sampled_from(events)).at
        at = anchor.astimezone(UTC) + timedelta(minutes=draw(st.sampled_from(offsets)))
    else:
        at = BASE.astimezone(UTC) + timedelta(minutes=draw(st.integers(-600, 6000)))
    profile = Profile(rules=rules, day_start=day_start)
    return Timeline(events), profile, at.astimezone(NY)


@given(cases())
def test_allowance_matches_brute_force(
    case: tuple[Timeline, Profile, datetime],
) -> None:
    """Amount, limited_by, earliest, earliest_limited_by and amount_at_earliest match the oracle."""
    timeline, profile, at = case
    got = allowance(timeline, profile, KRATOM, at=at)
    amount, binding, blocked = expected(timeline, profile, at)
    assert grams(got.amount) == amount
    assert got.limited_by == binding
    assert got.allowed_now is not blocked
    if not blocked:
        assert got.earliest == at
        assert got.earliest_limited_by is None
        assert got.amount_at_earliest == got.amount
        return
    earliest = got.earliest
    assert earliest is not None  # every case frees up within weeks
    assert earliest.tzinfo is at.tzinfo
    assert earliest.astimezone(UTC) > at.astimezone(UTC)
    assert not expected(timeline, profile, earliest)[2]
    just_before = (earliest.astimezone(UTC) - US).astimezone(NY)
    setter = [r for r in profile.rules if forbids(r, profile, timeline, just_before)]
    assert setter
    assert got.earliest_limited_by == setter[0]
    assert grams(got.amount_at_earliest) == expected(timeline, profile, earliest)[0]
    for moment in probes(timeline, profile, at, earliest):
        assert expected(timeline, profile, moment)[2], moment
