"""Chains of every-h-hours doses localized by offset segment, against zoneinfo dose by dose (issue 10).

A plan of a dose every minute for six months (260,000 doses) took seconds
to expand and to export, because each dose was localized on its own.
:func:`regimen._expand_columns.chain_runs` groups the instants into runs
(whole days apart, one offset and fold each) through the zone's table; the
oracle is ``zoneinfo`` asked once per instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from regimen import Dose, Entry, Plan, Product, Schedule, Substance, to_ics
from regimen._expand_columns import _one, chain_runs
from regimen._zone_table import DAY_US, zone_table

from .test_zone_table import YEARS, ZONES

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@given(
    zone=ZONES,
    year=YEARS,
    start=st.integers(0, DAY_US * 366),
    steps=st.lists(
        st.one_of(
            st.sampled_from([60, 3600, 4 * 3600, 8 * 3600, 86_400, 7 * 86_400]),
            st.integers(1, 40 * 86_400),
        ).map(lambda s: s * 1_000_000),
        min_size=1,
        max_size=60,
    ),
    near=st.lists(st.integers(-2 * 3_600_000_000, 2 * 3_600_000_000), max_size=8),
    exact=st.lists(st.integers(-1, 1), max_size=8),
)
def test_runs_hold_every_instant_with_zoneinfo_offset_and_fold(
    *,
    zone: str,
    year: int,
    start: int,
    steps: list[int],
    near: list[int],
    exact: list[int],
) -> None:
    """Each instant is in one run, with its own offset and fold; runs are whole days apart.

    Besides a walk of steps, instants are taken on and around the zone's
    changes of offset (where a fold or a gap is).
    """
    tz = ZoneInfo(zone)
    first = (datetime(year, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
    walk = [first + start]
    for step in steps:
        walk.append(walk[-1] + step)
    day = first // DAY_US
    table = zone_table(tz, day, day + 400)
    changes = [] if table is None else table.utc_at[1:]
    edges = [c + d for c in changes[:4] for d in (*near, *exact)]
    lo = (datetime(2, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
    hi = (datetime(9998, 12, 31, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
    us = sorted({u for u in (*walk, *edges) if lo <= u <= hi})
    runs = chain_runs(us, tz)
    seen: dict[int, tuple[int, int]] = {}
    for run in runs:
        assert run.zone is tz
        assert list(run.us) == sorted(run.us)
        assert all(
            (b - a) % DAY_US == 0 for a, b in zip(run.us, run.us[1:], strict=False)
        )
        for u in run.us:
            assert u not in seen
            seen[u] = (run.offset, run.fold)
    oracle = {u: (_one(u, tz).offset, _one(u, tz).fold) for u in us}
    assert seen == oracle


def test_a_dose_every_minute_is_a_run_per_minute_of_the_day() -> None:
    """Six months of a dose a minute: 1,440 runs per offset, each a daily series."""
    kefir = Product("kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
    plan = Plan(
        "every minute",
        timezone="Europe/Berlin",
        start="2027-01-01",
        end="2027-06-30",
        entries=[
            Entry(Dose(kefir, "1 fl oz"), Schedule.every_hours("1 min", first="00:00"))
        ],
    )
    timeline = plan.timeline()
    assert len(timeline) == 181 * 1440 - 60  # the hour the clocks skip in March
    us = list(timeline._idx.us)
    runs = chain_runs(us, ZoneInfo("Europe/Berlin"))
    assert len(runs) == 2 * 1440  # winter and summer time
    berlin = ZoneInfo("Europe/Berlin")
    for i in (0, 1, 100_000, len(timeline) - 1):
        assert timeline[i].at == (EPOCH + us[i] * timedelta(microseconds=1)).astimezone(
            berlin
        )
    text = to_ics(plan)
    assert text.count("BEGIN:VEVENT") <= 2 * 1440


@given(
    zone=ZONES,
    year=YEARS,
    minutes=st.one_of(
        st.sampled_from([1, 7, 60, 240, 480, 1440, 10080]), st.integers(1, 10080)
    ),
    first=st.sampled_from(["00:00", "00:30", "01:30", "02:30", "23:59", "06:00"]),
    spans=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 30)), max_size=4),
)
def test_chain_instants_through_the_table_are_those_of_zoneinfo(
    *, zone: str, year: int, minutes: int, first: str, spans: list[tuple[int, int]]
) -> None:
    """A chain's instants on free spans, through the zone table, equal the day-by-day scan."""
    from datetime import date
    from unittest import mock

    from regimen import _expand_times

    tz = ZoneInfo(zone)
    year = min(year, 9997)
    anchor = date(year, 1, 1)
    free: list[tuple[date, date]] = []
    for offset, length in sorted(spans):
        a = anchor + timedelta(days=offset)
        b = a + timedelta(days=length)
        if free and a <= free[-1][1]:
            continue
        free.append((a, b))
    schedule = Schedule.every_hours(f"{minutes} min", first=first)

    def instants() -> list[int]:
        return list(
            _expand_times.chain_instants(
                schedule, anchor, free, tz, pauses=[], spend=lambda _n: None
            )
        )

    fast = instants()
    with mock.patch.object(_expand_times, "zone_table", return_value=None):
        slow = instants()
    assert fast == slow
