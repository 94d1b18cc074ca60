"""Localizing runs of days through zone tables, against zoneinfo one wall time at a time.

The tables (:mod:`regimen._zone_table`) are what expansion and the calendar
export use; :func:`regimen._timezone.localize` (``zoneinfo``) is the oracle:
a DST gap's wall time moves forward, an ambiguous one is its first
occurrence, and the instant's own offset and fold are zoneinfo's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from unittest import mock
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

import regimen._expand_columns
from regimen import Dose, Entry, Plan, Product, Schedule, Substance
from regimen._expand_days import day_runs
from regimen._ics_zone import ZoneSpan
from regimen._timezone import localize
from regimen._zone_table import DAY_US, localize_days, zone_table

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
ORDINAL = date(1970, 1, 1).toordinal()
FIRST, LAST = date(2, 1, 1), date(9998, 12, 31)

#: Zones with odd histories: negative DST (Dublin), a 30-minute shift
#: (Lord_Howe), midnight transitions (Havana), a skipped day (Apia,
#: 2011-12-30), a 45-minute offset (Chatham), double summer time (London
#: in the 1940s), DST suspended for Ramadan (Casablanca), +2 h DST (Troll).
ODD = [
    "America/New_York",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "America/Havana",
    "Pacific/Apia",
    "Pacific/Chatham",
    "Europe/London",
    "Africa/Casablanca",
    "Antarctica/Troll",
    "America/Santiago",
    "America/St_Johns",
    "Asia/Tehran",
    "Pacific/Kiritimati",
    "UTC",
    "Etc/GMT+5",
]
ZONES = st.one_of(st.sampled_from(ODD), st.sampled_from(sorted(available_timezones())))
YEARS = st.one_of(
    st.integers(1880, 2045),
    st.integers(2, 9998),
    st.sampled_from([2, 3, 1883, 1916, 1940, 1945, 2011, 2037, 2038, 9997, 9998]),
)
#: Wall times, most of them in the small hours where transitions happen.
WALLS = st.one_of(
    st.integers(0, DAY_US - 1),
    st.builds(
        lambda h, m: (h * 60 + m) * 60_000_000,
        st.integers(0, 3),
        st.sampled_from([0, 15, 30, 45, 59]),
    ),
    st.sampled_from([0, 1, DAY_US - 1, 12 * 3_600_000_000, 23 * 3_600_000_000]),
)
DELTAS = st.one_of(
    st.just(0), st.integers(0, DAY_US), st.sampled_from([60_000_000, DAY_US])
)


@st.composite
def day_runs_of(draw: st.DrawFn) -> range | list[int]:
    """Draw a run of days: a progression (step 1-8) or a sorted list, up to 60 days long."""
    year = draw(YEARS)
    first = date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    lo, hi = FIRST.toordinal() - ORDINAL, LAST.toordinal() - ORDINAL
    start = first.toordinal() - ORDINAL
    if draw(st.booleans()):
        step = draw(st.integers(1, 8))
        n = draw(st.integers(1, 60))
        return range(start, min(start + n * step, hi + 1), step)
    offsets = draw(st.lists(st.integers(0, 400), min_size=1, max_size=40, unique=True))
    return sorted(d for d in (start + o for o in offsets) if lo <= d <= hi)


def _slow(
    days: range | list[int], wall: int, delta: int, tz: tzinfo
) -> list[tuple[int, int, int]]:
    """(instant, offset, fold) of each day's wall time plus *delta*, from localize."""
    at_time = (datetime.min + wall * US).time()
    out: list[tuple[int, int, int]] = []
    for n in days:
        at = localize(date.fromordinal(n + ORDINAL), at_time, tz)
        if delta:
            at = (at.astimezone(UTC) + delta * US).astimezone(tz)
        offset = at.utcoffset()
        assert offset is not None
        out.append(((at - EPOCH) // US, offset // US, at.fold))
    return out


def _fast(
    days: range | list[int], wall: int, delta: int, tz: tzinfo
) -> list[tuple[int, int, int]]:
    table = zone_table(tz, days[0], days[-1])
    assert table is not None
    out: list[tuple[int, int, int]] = []
    kept: list[int] = []
    for piece, us, offset, fold in localize_days(table, days, wall, delta):
        assert len(piece) == len(us)
        kept.extend(piece)
        out.extend((u, offset, fold) for u in us)
    assert kept == list(days)
    return out


@given(name=ZONES, days=day_runs_of(), wall=WALLS, delta=DELTAS)
def test_runs_agree_with_localize(
    name: str, days: range | list[int], wall: int, delta: int
) -> None:
    """Every day's instant, offset and fold are those of localize, gaps and folds included."""
    if not days:
        return
    tz = ZoneInfo(name)
    assert _fast(days, wall, delta, tz) == _slow(days, wall, delta, tz)


@pytest.mark.parametrize(
    ("name", "first", "wall"),
    [
        ("Pacific/Apia", date(2011, 12, 28), time(8)),  # 12-30 does not exist
        ("Pacific/Apia", date(2011, 12, 28), time(0)),
        ("America/Havana", date(2027, 3, 13), time(0, 30)),  # gap at midnight
        ("America/Havana", date(2027, 11, 6), time(0, 30)),  # fold at 01:00
        ("Australia/Lord_Howe", date(2027, 4, 3), time(1, 45)),  # 30-minute fold
        ("Australia/Lord_Howe", date(2027, 10, 2), time(2, 15)),  # 30-minute gap
        ("Europe/Dublin", date(2027, 3, 27), time(1, 30)),  # negative DST
        ("Europe/Dublin", date(2027, 10, 30), time(1, 30)),
        ("America/New_York", date(2, 1, 1), time(0)),
        ("Pacific/Kiritimati", date(9998, 12, 29), time(23, 59, 59, 999999)),
        ("America/New_York", date(9998, 3, 1), time(2, 30)),  # the TZ rule's years
    ],
)
def test_odd_days(name: str, first: date, wall: time) -> None:
    """Skipped days, midnight and 30-minute transitions, the edges of the supported range."""
    tz = ZoneInfo(name)
    start = first.toordinal() - ORDINAL
    days = range(start, min(start + 4, LAST.toordinal() - ORDINAL + 1))
    wall_us = (datetime.combine(date.min, wall) - datetime.min) // US
    for delta in (0, 45 * 60_000_000):
        assert _fast(days, wall_us, delta, tz) == _slow(days, wall_us, delta, tz)


def test_apia_skipped_day_moves_forward() -> None:
    """08:00 on Apia's missing 2011-12-30 is the instant of 08:00 on the 31st."""
    tz = ZoneInfo("Pacific/Apia")
    start = date(2011, 12, 29).toordinal() - ORDINAL
    us = [
        u
        for u, _offset, _fold in _fast(
            range(start, start + 3), 8 * 3_600_000_000, 0, tz
        )
    ]
    assert us[1] == us[2]
    assert (EPOCH + us[1] * US).astimezone(tz).date() == date(2011, 12, 31)


def test_zones_without_a_table() -> None:
    """A tzinfo that is not a named ZoneInfo gets no table; fixed offsets get a constant one."""

    class Odd(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta:
            return timedelta(hours=1)

        def dst(self, dt: datetime | None) -> timedelta:
            return timedelta(0)

        def tzname(self, dt: datetime | None) -> str:
            return "ODD"

    assert zone_table(Odd(), 20000, 20010) is None
    fixed = zone_table(UTC, 20000, 20010)
    assert fixed is not None
    assert fixed.utc_off == [0]
    assert fixed.wall_off == [0]


@given(name=ZONES, year=YEARS, years=st.integers(0, 3))
def test_zone_span_transitions_are_found_exactly(
    name: str, year: int, years: int
) -> None:
    """ZoneSpan's transitions from the table equal those found by probing day by day."""
    lo = (datetime(year, 1, 3, tzinfo=UTC) - EPOCH) // US
    hi = (datetime(min(year + years, 9998), 12, 28, tzinfo=UTC) - EPOCH) // US
    span = ZoneSpan(name, lo, hi)
    probed = ZoneSpan(name, lo, hi)
    probed.transitions = []
    probed._probe(
        lambda us: _state(ZoneInfo(name), us), lo - 2 * DAY_US, hi + 2 * DAY_US
    )
    assert span.transitions == probed.transitions


def _state(tz: tzinfo, us: int) -> tuple[int, int, str]:
    at = (EPOCH + us * US).astimezone(tz)
    offset, dst = at.utcoffset(), at.dst()
    assert offset is not None
    return offset // US, (dst or timedelta(0)) // US, at.tzname() or ""


SCHEDULES = st.one_of(
    st.builds(lambda: Schedule.daily("08:00")),
    st.builds(lambda n: Schedule.every(n, "08:00"), st.integers(1, 9)),
    st.builds(
        lambda a, b: Schedule.cycle(a, b, "08:00"), st.integers(1, 6), st.integers(0, 6)
    ),
    st.builds(
        lambda days: Schedule.weekly(days, "08:00"),
        st.lists(
            st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
            min_size=1,
            max_size=7,
            unique=True,
        ),
    ),
)


@given(
    schedule=SCHEDULES,
    anchor=st.dates(date(2026, 1, 1), date(2028, 1, 1)),
    cuts=st.lists(st.integers(-30, 120), min_size=2, max_size=8, unique=True),
)
def test_day_runs_are_the_schedule_dates(
    schedule: Schedule, anchor: date, cuts: list[int]
) -> None:
    """The ranges hold exactly the days Schedule.dates yields over the spans, each once."""
    cuts.sort()
    spans = [
        (anchor + timedelta(days=a), anchor + timedelta(days=b - 1))
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
        if b - 1 >= a
    ]
    runs = day_runs(schedule, spans, anchor)
    assert runs is not None
    got = sorted(d for run in runs for d in run)
    want = [
        d.toordinal() - ORDINAL
        for a, b in spans
        for d in schedule.dates(a, b, anchor=anchor)
    ]
    assert got == sorted(want)
    assert all(run.step > 0 for run in runs)


TIMES = st.sampled_from(["00:00", "00:30", "01:30", "02:00", "02:30", "08:00", "23:30"])


@given(
    name=st.sampled_from(ODD),
    start=st.dates(date(1995, 1, 1), date(2040, 1, 1)),
    length=st.integers(0, 400),
    schedules=st.lists(
        st.tuples(
            SCHEDULES, TIMES, st.sampled_from([timedelta(0), timedelta(minutes=45)])
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_expansion_with_and_without_tables(
    name: str,
    start: date,
    length: int,
    schedules: list[tuple[Schedule, str, timedelta]],
) -> None:
    """Plan.timeline() gives the same instants, offsets and folds with or without zone tables."""
    pill = Product("pill", contents={Substance("x"): "1 tablet"}, per="1 tablet")
    entries = [
        Entry(
            Dose(pill, f"{i + 1} tablet"),
            Schedule(
                kind=s.kind,
                times=(datetime.strptime(at, "%H:%M").time(),),
                days=s.days,
                interval=s.interval,
                on_days=s.on_days,
                off_days=s.off_days,
            ).shifted(offset),
        )
        for i, (s, at, offset) in enumerate(schedules)
    ]
    plan = Plan(
        "p",
        timezone=name,
        start=start,
        end=start + timedelta(days=length),
        entries=entries,
    )
    fast = [
        (e.timestamp_us, e.at.utcoffset(), e.at.fold, e.amount) for e in plan.timeline()
    ]
    with mock.patch.object(regimen._expand_columns, "zone_table", return_value=None):
        slow = [
            (e.timestamp_us, e.at.utcoffset(), e.at.fold, e.amount)
            for e in plan.timeline()
        ]
    assert fast == slow
