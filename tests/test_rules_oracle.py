"""Every rule agrees with its brute-force oracle on generated timelines.

Timelines mix time zones (equal instants in different zones), DST days,
equal timestamps, events exactly one window apart and totals exactly at the
limit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    BreakCadence,
    Dose,
    DoseEvent,
    Interaction,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Product,
    Quantity,
    Rotation,
    Substance,
    Timeline,
    Unit,
)
from regimen._series import Context

from . import oracles
from .helpers import GREEN_MALAY, KRATOM, MAENG_DA, MILK_KEFIR, RED_BALI

ALCOHOL = Substance("ethanol", classes={"alcohol"})
CAPSULES = Product("kratom capsules", contents={KRATOM: "500 mg"}, per="1 capsule")
TINCTURE = Product("tincture", contents={KRATOM: "1 g", ALCOHOL: "0.5 ml"}, per="1 ml")
BEER = Product("beer", contents={ALCOHOL: "0.05 fl oz"}, per="1 fl oz")

ZONES = [
    ZoneInfo(z) for z in ("America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC")
]
#: Midnight before the 2027 spring-forward day in New York and a quiet week.
BASES = [
    datetime(2027, 3, 13, tzinfo=UTC),
    datetime(2027, 10, 30, tzinfo=UTC),
    datetime(2027, 6, 1, tzinfo=UTC),
]

doses = st.one_of(
    st.builds(
        Dose,
        st.sampled_from([MAENG_DA, GREEN_MALAY, RED_BALI]),
        st.sampled_from(["0.5 g", "1 g", "2 g", "2.5 g", "4 g"]),
    ),
    st.builds(
        Dose,
        st.just(CAPSULES),
        st.sampled_from(["1 capsule", "2 capsules", "4 capsules"]),
    ),
    st.builds(Dose, st.just(TINCTURE), st.sampled_from(["1 ml", "2 ml"])),
    st.builds(Dose, st.just(BEER), st.sampled_from(["12 fl oz"])),
    st.builds(Dose, st.just(MILK_KEFIR), st.sampled_from(["6 fl oz"])),
)
#: Gaps between consecutive events: ties, the rules' own intervals and
#: windows exactly, and anything up to a day and a half.
gaps = st.one_of(
    st.sampled_from([0, 45, 90, 240, 360, 1440, 10080]),
    st.integers(0, 36 * 60),
)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    base = draw(st.sampled_from(BASES))
    items = draw(
        st.lists(
            st.tuples(gaps, st.sampled_from(ZONES), doses, st.booleans()), max_size=40
        )
    )
    events, minutes = [], 0
    for gap, zone, dose, as_needed in items:
        minutes += gap
        events.append(
            DoseEvent(
                (base + timedelta(minutes=minutes)).astimezone(zone),
                dose,
                as_needed=as_needed,
            )
        )
    span = draw(st.integers(0, 14))
    start = base.date()
    if draw(st.booleans()):
        end = max([start + timedelta(days=span), *(e.at.date() for e in events)])
        return Timeline(events, start=start, end=end)
    return Timeline(events)


day_starts = st.sampled_from([time(0), time(4)])
pers = st.sampled_from(
    [
        "dose",
        "day",
        "week",
        timedelta(hours=24),
        timedelta(hours=6),
        timedelta(minutes=90),
    ]
)
limits = st.sampled_from(["1 g", "2 g", "2.5 g", "4 g", "6 g", "8 g", "1500 mg"])


def g(event: DoseEvent) -> Decimal:
    return oracles.amount_of(event, "kratom", Unit.G)


def one(_event: DoseEvent) -> Decimal:
    return Decimal(1)


class TestOracles:
    @given(timelines(), limits, pers, day_starts)
    def test_max_amount(
        self, timeline: Timeline, limit: str, per: str | timedelta, day_start: time
    ) -> None:
        """MaxAmount reports exactly the groups whose worst total passes the limit."""
        rule = MaxAmount("kratom", limit, per=per, day_start=day_start)
        got = {
            f.key: f.measured.to("g").amount
            for f in rule.check(timeline)
            if isinstance(f.measured, Quantity)
        }
        totals = oracles.window_totals(timeline, "kratom", per, g, day_start)
        want = oracles.violations(totals, rule.amount.to("g").amount)
        assert got == want

    @given(
        timelines(), st.integers(1, 4), pers.filter(lambda p: p != "dose"), day_starts
    )
    def test_max_doses(
        self, timeline: Timeline, count: int, per: str | timedelta, day_start: time
    ) -> None:
        """MaxDoses counts doses per group exactly as the oracle does."""
        rule = MaxDoses("kratom", count, per=per, day_start=day_start)
        got = {f.key: f.measured for f in rule.check(timeline)}
        want = oracles.violations(
            oracles.window_totals(timeline, "kratom", per, one, day_start),
            Decimal(count),
        )
        assert got == want

    @given(
        timelines(),
        st.sampled_from(
            [timedelta(minutes=45), timedelta(hours=4), timedelta(hours=24)]
        ),
        day_starts,
    )
    def test_min_interval(
        self, timeline: Timeline, interval: timedelta, day_start: time
    ) -> None:
        """MinInterval reports each day's shortest too-short gap."""
        rule = MinInterval("botanical", interval, day_start=day_start)
        got = {f.key: f.measured for f in rule.check(timeline)}
        want = {
            d: gap
            for d, gap in oracles.min_gaps(timeline, "botanical", day_start).items()
            if gap < interval
        }
        assert got == want

    @given(timelines(), st.integers(1, 5), day_starts)
    def test_max_consecutive_days(
        self, timeline: Timeline, days: int, day_start: time
    ) -> None:
        """MaxConsecutiveDays reports each run longer than allowed, by its first day."""
        rule = MaxConsecutiveDays("kratom", days, day_start=day_start)
        got = {f.key: f.measured for f in rule.check(timeline)}
        used = {
            oracles.day_of(e, day_start) for e in oracles.involved(timeline, "kratom")
        }
        want = {start: n for start, n in oracles.runs(used).items() if n > days}
        assert got == want

    @given(timelines(), st.integers(1, 3), st.integers(3, 8), day_starts)
    def test_break_cadence(
        self, timeline: Timeline, days: int, every: int, day_start: time
    ) -> None:
        """BreakCadence fails exactly the spans without `days` free days in a row."""
        rule = BreakCadence(
            "kratom", days=days, every=max(every, days), day_start=day_start
        )
        ctx = Context(timeline, day_start)
        got = {s for lo, hi in rule.failing_spans(ctx) for s in range(lo, hi + 1)}
        used = {
            oracles.day_of(e, day_start) for e in oracles.involved(timeline, "kratom")
        }
        first, last = timeline.first_day, timeline.last_day
        want = (
            set()
            if first is None or last is None
            else oracles.failing_span_starts(
                used, first.toordinal(), last.toordinal(), days, rule.every
            )
        )
        assert got == want
        findings = list(rule.check(timeline))
        assert len(findings) == len(rule.failing_spans(ctx))
        for finding in findings:
            lo = finding.key
            assert isinstance(lo, int)
            span = range(lo, lo + rule.every)
            longest = max(
                (
                    n
                    for start in span
                    for n in range(len(span) + 1)
                    if all(d in span and d not in used for d in range(start, start + n))
                ),
            )
            assert finding.measured == longest < days
            assert finding.limit == days

    @given(timelines(), st.integers(1, 4), day_starts)
    def test_rotation(self, timeline: Timeline, max_days: int, day_start: time) -> None:
        """Rotation reports each product's runs longer than max_days."""
        rule = Rotation("kratom", max_days=max_days, day_start=day_start)
        got = {f.key: f.measured for f in rule.check(timeline)}
        want = {}
        events = oracles.involved(timeline, "kratom")
        for name in {e.product.name for e in events}:
            used = {
                oracles.day_of(e, day_start) for e in events if e.product.name == name
            }
            want.update(
                {(name, s): n for s, n in oracles.runs(used).items() if n > max_days}
            )
        assert got == want

    @given(
        timelines(),
        st.sampled_from(
            [
                timedelta(0),
                timedelta(minutes=90),
                timedelta(hours=6),
                timedelta(hours=24),
            ]
        ),
        day_starts,
    )
    def test_interaction_pairs(
        self, timeline: Timeline, within: timedelta, day_start: time
    ) -> None:
        """Interactions report each day's closest pair, by a sweep, like the all-pairs oracle."""
        note = Interaction(
            "kratom", "alcohol", severity="error", within=within, note="test note"
        )
        findings = note._check(Context(timeline, day_start), ())
        got = {f.key[1]: f.measured for f in findings}  # type: ignore[index]
        assert got == oracles.closest_pairs(
            timeline, "kratom", "alcohol", within, day_start
        )


def test_oracle_sees_equal_instants_in_two_zones() -> None:
    """A pair at one instant in two zones counts for both local days (guards the oracle too)."""
    at = datetime(2027, 1, 1, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    timeline = Timeline(
        [
            DoseEvent(at, Dose(MAENG_DA, "1 g")),
            DoseEvent(at.astimezone(ZoneInfo("Asia/Tokyo")), Dose(BEER, "12 fl oz")),
        ]
    )
    note = Interaction(
        "kratom", "alcohol", severity="error", within=timedelta(0), note="n"
    )
    days = {f.key[1] for f in note.check(timeline)}  # type: ignore[index]
    assert days == {date(2027, 1, 1).toordinal(), date(2027, 1, 2).toordinal()}
