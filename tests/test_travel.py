"""Travel: stays in other time zones, entries on home clock, in every layer."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimen.strategies as rst
from regimen import (
    Bundle,
    DoseEvent,
    DoseStatus,
    Entry,
    LoadError,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Plan,
    Profile,
    Schedule,
    Stay,
    Timeline,
    adherence,
    allowance,
    dumps,
    load,
    loads,
    summarize,
    validate,
)
from regimen._schema import instance, schema

from .helpers import kratom

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "travel.toml"

#: Homes and destinations: across the date line, DST in both hemispheres.
HOMES = ("America/Los_Angeles", "America/New_York", "Australia/Sydney", "Europe/London")
AWAY = (
    "Asia/Tokyo",
    "Pacific/Auckland",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "America/Los_Angeles",
)
#: First days of plans: a week or two before DST changes in these zones
#: (US March 14 and November 7, EU March 28 and October 31, Sydney April 4
#: and October 3, Auckland April 4 and September 26, 2027).
STARTS = (
    date(2027, 3, 7),
    date(2027, 3, 21),
    date(2027, 3, 28),
    date(2027, 9, 20),
    date(2027, 9, 28),
    date(2027, 10, 25),
    date(2027, 11, 1),
)
#: Wall times including those in DST gaps and folds (01:30, 02:30) and near midnight.
TIMES = st.sampled_from(
    [time(0), time(1, 30), time(2), time(2, 30), time(3), time(8), time(23, 30)]
) | st.times().map(lambda t: t.replace(second=0, microsecond=0))


def instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of *wall* on *day* in *zone*, found by search.

    Every offset the zone uses within a day and a half is tried; the wall
    times that read back unchanged are the candidates, and the earliest is
    taken (a fold's first occurrence). With none (a DST gap), the time is
    moved forward by the gap: the earliest instant whose wall time lies
    after the one asked for.
    """
    naive = datetime.combine(day, wall)
    around = naive.replace(tzinfo=UTC)
    offsets = {
        (around + timedelta(hours=h)).astimezone(zone).utcoffset()
        for h in range(-36, 37, 3)
    }
    tried = []
    for offset in offsets:
        assert offset is not None
        u = around - offset
        tried.append((u, u.astimezone(zone).replace(tzinfo=None)))
    exact = [u for u, w in tried if w == naive]
    if exact:
        return min(exact)
    later = [(u, w) for u, w in tried if w > naive]
    u, w = min(later)
    # Moved forward by exactly the gap: the change in offset at the transition.
    gap = (u + timedelta(hours=1)).astimezone(zone).utcoffset()
    before = (u - timedelta(hours=3)).astimezone(zone).utcoffset()
    assert gap is not None
    assert before is not None
    assert w - naive == gap - before
    return u


@st.composite
def trips(draw: st.DrawFn) -> Plan:
    """Draw a plan at home with one or two stays abroad, near DST changes."""
    home = draw(st.sampled_from(HOMES))
    start = draw(st.sampled_from(STARTS))
    length = draw(st.integers(1, 21))
    end = start + timedelta(days=length - 1)
    stays = []
    a = start + timedelta(days=draw(st.integers(0, length - 1)))
    b = a + timedelta(days=draw(st.integers(0, (end - a).days)))
    stays.append(Stay(a, b, draw(st.sampled_from(AWAY))))
    if b < end and draw(st.booleans()):
        c = b + timedelta(days=draw(st.integers(1, (end - b).days)))
        stays.append(Stay(c, end, draw(st.sampled_from(AWAY))))
    entries = [
        Entry(
            kratom(f"{i + 1} g"),
            Schedule.daily(*draw(st.lists(TIMES, min_size=1, max_size=3, unique=True))),
            clock=draw(st.sampled_from(["local", "home"])),
        )
        for i in range(draw(st.integers(1, 2)))
    ]
    return Plan(
        "trip", timezone=home, start=start, end=end, entries=entries, stays=stays
    )


def expected(plan: Plan) -> list[tuple[datetime, str, str]]:
    """Return what the plan's timeline must hold: (UTC instant, zone, amount), one per (day, time).

    For each date, the zone in force is the stay's covering it (else home),
    or home for an entry on home clock.
    """
    out = []
    assert plan.end is not None
    for entry in plan.entries:
        day = plan.start
        while day <= plan.end:
            name = plan.timezone
            if entry.clock == "local":
                name = next(
                    (s.timezone for s in plan.stays if s.start <= day <= s.end), name
                )
            for wall in entry.schedule.times:
                out.append(
                    (instant(day, wall, ZoneInfo(name)), name, str(entry.dose.amount))
                )
            day += timedelta(days=1)
    return sorted(out)


def got(timeline: Timeline) -> list[tuple[datetime, str, str]]:
    return sorted(
        (e.at.astimezone(UTC), str(e.at.tzinfo), str(e.amount)) for e in timeline
    )


class TestExpansion:
    @settings(max_examples=80, deadline=None)
    @given(trips())
    def test_one_event_per_day_and_time_at_the_right_offset(self, plan: Plan) -> None:
        """Each (day, time) gives exactly one event, at the instant and offset of the zone in force."""
        timeline = plan.timeline()
        assert got(timeline) == expected(plan)
        for event in timeline:
            # The offset an event carries is its zone's offset at its instant.
            assert (
                event.at.utcoffset()
                == event.at.astimezone(UTC).astimezone(event.at.tzinfo).utcoffset()
            )

    @settings(max_examples=40, deadline=None)
    @given(trips())
    def test_home_clock_keeps_the_home_instants(self, plan: Plan) -> None:
        """Entries on home clock have exactly the instants and zone of the plan without stays."""
        home = [attrs.evolve(e, clock="home") for e in plan.entries]
        travelling = attrs.evolve(plan, entries=home)
        staying = attrs.evolve(plan, entries=home, stays=())
        assert [(e.at, str(e.at.tzinfo), e.at.fold) for e in travelling.timeline()] == [
            (e.at, str(e.at.tzinfo), e.at.fold) for e in staying.timeline()
        ]

    def test_stay_dates_are_inclusive_and_cross_the_date_line(self) -> None:
        """Home Los Angeles, Tokyo on the 20th and 21st: those dates' 08:00 is Tokyo's."""
        plan = Plan(
            "t",
            timezone="America/Los_Angeles",
            start="2027-03-19",
            end="2027-03-22",
            entries=[Entry(kratom(), Schedule.daily("08:00"))],
            stays=[Stay("2027-03-20", "2027-03-21", "Asia/Tokyo")],
        )
        # 08:00 in Tokyo (UTC+9) on the 20th is 23:00 UTC on the 19th, 8 h after
        # the 19th's dose in Los Angeles (UTC-7); flying home, the 22nd's dose
        # comes 40 h after the 21st's.
        assert [e.at.isoformat() for e in plan.timeline()] == [
            "2027-03-19T08:00:00-07:00",
            "2027-03-20T08:00:00+09:00",
            "2027-03-21T08:00:00+09:00",
            "2027-03-22T08:00:00-07:00",
        ]
        assert [
            plan.zone_on(d)
            for d in ("2027-03-19", "2027-03-20", "2027-03-21", "2027-03-22")
        ] == [
            "America/Los_Angeles",
            "Asia/Tokyo",
            "Asia/Tokyo",
            "America/Los_Angeles",
        ]

    def test_overlapping_stays_are_refused(self) -> None:
        """Two stays that share a date raise ValueError naming both."""
        with pytest.raises(
            ValueError, match=r"Plan.stays\[1\].*overlaps Plan.stays\[0\].*2027-03-05"
        ):
            Plan(
                "t",
                timezone="UTC",
                start="2027-03-01",
                stays=[
                    Stay("2027-03-01", "2027-03-05", "Asia/Tokyo"),
                    Stay("2027-03-05", "2027-03-09", "Asia/Seoul"),
                ],
            )
        back_to_back = Plan(
            "t",
            timezone="UTC",
            start="2027-03-01",
            stays=[
                Stay("2027-03-06", "2027-03-09", "Asia/Seoul"),
                Stay("2027-03-01", "2027-03-05", "Asia/Tokyo"),
            ],
        )
        assert [s.timezone for s in back_to_back.stays] == ["Asia/Tokyo", "Asia/Seoul"]

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda: Stay("2027-03-01", "2027-03-02", "Tokio"), "Stay.timezone"),
            (lambda: Stay("2027-03-02", "2027-03-01", "Asia/Tokyo"), "Stay.end"),
            (lambda: Stay("2027-03-01", "later", "Asia/Tokyo"), "Stay.end"),
            (
                lambda: Entry(kratom(), Schedule.daily("08:00"), clock="away"),  # type: ignore[arg-type]
                "Entry.clock",
            ),
            (
                lambda: Plan("t", timezone="UTC", start="2027-03-01", stays=["x"]),  # type: ignore[list-item]
                r"Plan.stays\[0\]",
            ),
        ],
    )
    def test_invalid_arguments_name_the_field(self, make: object, message: str) -> None:
        """Bad stays and clocks raise ValueError or TypeError naming the field."""
        assert callable(make)
        with pytest.raises((ValueError, TypeError), match=message):
            make()


def new_york_to_london(clock: str = "local") -> Plan:
    """Home New York (UTC-5 in January), 08:00 and 20:00; in London (UTC+0) from the 10th."""
    return Plan(
        "trip",
        timezone="America/New_York",
        start="2027-01-08",
        end="2027-01-14",
        entries=[Entry(kratom(), Schedule.daily("08:00", "20:00"), clock=clock)],  # type: ignore[arg-type]
        stays=[Stay("2027-01-10", "2027-01-12", "Europe/London")],
    )


class TestValidation:
    def test_flying_east_brings_two_doses_closer(self) -> None:
        """20:00 in New York on the 9th (01:00 UTC) and 08:00 in London on the 10th are 7 h apart."""
        profile = Profile(rules=[MinInterval("kratom", timedelta(hours=10))])
        found = list(validate(new_york_to_london(), profile).findings)
        assert [f.code for f in found] == ["min-interval"]
        assert [e.at.isoformat() for e in found[0].events] == [
            "2027-01-09T20:00:00-05:00",
            "2027-01-10T08:00:00+00:00",
        ]
        # Flying back west, the doses move apart (20:00 London on the 12th,
        # 08:00 New York on the 13th: 17 h), and at home 12 h apart: no finding.
        assert validate(new_york_to_london("home"), profile).ok

    def test_a_day_during_a_stay_is_the_stays_calendar_day(self) -> None:
        """Per-day limits count each dose for the day it is scheduled on, in the zone in force."""
        profile = Profile(rules=[MaxDoses("kratom", 2, per="day")])
        plan = new_york_to_london()
        # By UTC days the 10th would hold three doses (01:00, 08:00, 20:00);
        # by the days the doses are scheduled on, every day holds two.
        assert validate(plan, profile).ok
        utc_days = [e.at.astimezone(UTC).date() for e in plan.timeline()]
        assert utc_days.count(date(2027, 1, 10)) == 3


class TestAdherenceAndAllowance:
    def test_doses_abroad_are_due_in_the_stays_zone(self) -> None:
        """A dose taken at 08:10 Tokyo time on a stay's date is on time, and the next is upcoming."""
        tokyo = ZoneInfo("Asia/Tokyo")
        plan = Plan(
            "t",
            timezone="America/Los_Angeles",
            start="2027-03-19",
            end="2027-03-25",
            entries=[Entry(kratom(), Schedule.daily("08:00"))],
            stays=[Stay("2027-03-20", "2027-03-25", "Asia/Tokyo")],
        )
        log = Timeline(
            [DoseEvent(datetime(2027, 3, 21, 8, 10, tzinfo=tokyo), kratom())]
        )
        # 05:00 in Tokyo on the 22nd is 13:00 on the 21st in Los Angeles: the
        # horizon (4 h on) reaches the 22nd's dose though home is still on the 21st.
        at = datetime(2027, 3, 22, 5, 0, tzinfo=tokyo)
        result = adherence(plan, log, at=at, upcoming=timedelta(hours=4))
        by_day = {r.planned.at.date(): r.status for r in result.doses}
        assert by_day[date(2027, 3, 21)] is DoseStatus.TAKEN
        assert by_day[date(2027, 3, 22)] is DoseStatus.UPCOMING
        assert result.doses[-1].planned.at == datetime(2027, 3, 22, 8, tzinfo=tokyo)

    def test_allowance_counts_days_in_the_zone_in_force(self) -> None:
        """At 01:00 on the 22nd in Tokyo a new day has begun, though in Los Angeles it is the 21st."""
        tokyo = ZoneInfo("Asia/Tokyo")
        profile = Profile(rules=[MaxAmount("kratom", "4 g", per="day")])
        log = Timeline(
            [DoseEvent(datetime(2027, 3, 21, 9, tzinfo=tokyo), kratom("3 g"))]
        )
        at = datetime(2027, 3, 22, 1, 0, tzinfo=tokyo)
        plan = Plan(
            "t",
            timezone="America/Los_Angeles",
            start="2027-03-19",
            end="2027-03-25",
            stays=[Stay("2027-03-20", "2027-03-25", "Asia/Tokyo")],
        )
        home = attrs.evolve(plan, stays=())
        assert str(allowance(log, profile, "kratom", at=at, plan=plan).amount) == "4 g"
        # At home the same moment is 09:00 on the 21st, the day of the 3 g dose.
        assert str(allowance(log, profile, "kratom", at=at, plan=home).amount) == "1 g"

    def test_allowance_sees_home_clock_doses_still_to_come(self) -> None:
        """At 09:00 in Tokyo, the home-clock dose of the day before (21:00 in Los Angeles) is 4 h away."""
        tokyo = ZoneInfo("Asia/Tokyo")
        profile = Profile(rules=[MinInterval("kratom", timedelta(hours=6))])
        plan = Plan(
            "t",
            timezone="America/Los_Angeles",
            start="2027-03-19",
            end="2027-03-25",
            entries=[Entry(kratom(), Schedule.daily("21:00"), clock="home")],
            stays=[Stay("2027-03-20", "2027-03-25", "Asia/Tokyo")],
        )
        # 09:00 on the 22nd in Tokyo is 17:00 on the 21st in Los Angeles.
        at = datetime(2027, 3, 22, 9, tzinfo=tokyo)
        answer = allowance(Timeline(), profile, "kratom", at=at, plan=plan)
        assert not answer.allowed_now
        # Allowed again 6 h after that dose (21:00 + 6 h in Los Angeles).
        assert answer.earliest == datetime(2027, 3, 22, 19, tzinfo=tokyo)


class TestSummary:
    def test_adherence_in_a_summary_reads_the_stays_dates(self) -> None:
        """The summary's adherence sees doses and extras on a stay's dates by the stay's clock."""
        tokyo = ZoneInfo("Asia/Tokyo")
        plan = Plan(
            "t",
            timezone="America/Los_Angeles",
            start="2027-03-19",
            end="2027-03-25",
            entries=[Entry(kratom(), Schedule.daily("08:00"))],
            stays=[Stay("2027-03-20", "2027-03-25", "Asia/Tokyo")],
        )
        # 09:00 on the 22nd in Tokyo is 17:00 on the 21st in Los Angeles; a
        # day on (the summary's horizon) it is the 23rd in Tokyo, past 08:00.
        at = datetime(2027, 3, 22, 9, tzinfo=tokyo)
        ahead = summarize(
            plan, start="2027-03-23", end="2027-03-23", log=Timeline(), at=at
        )
        assert ahead.adherence is not None
        assert [(r.planned.at, r.status) for r in ahead.adherence.doses] == [
            (datetime(2027, 3, 23, 8, tzinfo=tokyo), DoseStatus.UPCOMING)
        ]
        # A dose logged at 00:30 on the 22nd in Tokyo (the 21st at home) is
        # an extra of the 22nd.
        extra = DoseEvent(datetime(2027, 3, 22, 0, 30, tzinfo=tokyo), kratom("1 g"))
        late = datetime(2027, 3, 22, 20, tzinfo=tokyo)
        day = summarize(
            plan, start="2027-03-22", end="2027-03-22", log=Timeline([extra]), at=late
        )
        assert day.adherence is not None
        assert day.adherence.extra == (extra,)

    def test_summary_lists_the_stays_and_keeps_wall_clock_rows(self) -> None:
        """The summary names the stays; the typical day is 08:00 and 20:00 abroad too."""
        summary = summarize(new_york_to_london())
        text = summary.to_text()
        assert "Stays: 2027-01-10 to 2027-01-12 in Europe/London" in text
        assert (
            "Stays: 2027-01-10 to 2027-01-12 in Europe/London" in summary.to_markdown()
        )
        assert [(r.time, r.days) for r in summary.rows] == [(time(8), 7), (time(20), 7)]
        assert summary.to_dict()["period"]["stays"] == [
            {"start": "2027-01-10", "end": "2027-01-12", "timezone": "Europe/London"}
        ]
        assert summary.home_clock == ()
        # A period that misses the stay lists none.
        assert summarize(new_york_to_london(), end="2027-01-09").stays == ()
        # Entries on home clock are named, with the zone their times are in.
        home = summarize(new_york_to_london("home"))
        assert home.home_clock == ("Maeng Da (white)",)
        assert "; on America/New_York time: Maeng Da (white)" in home.to_text()
        assert home.to_dict()["period"]["home_clock"] == ["Maeng Da (white)"]
        assert summarize(new_york_to_london("home"), end="2027-01-09").home_clock == ()


VALIDATOR = jsonschema.Draft202012Validator(schema())

PLAN = """
[[substances]]
name = "kratom"

[[products]]
name = "powder"
per = "1 g"
contents = { kratom = "1 g" }

[plan]
name = "trip"
timezone = "America/Los_Angeles"
start = 2027-03-01
end = 2027-03-31

[[plan.entries]]
dose = { product = "powder", amount = "2 g" }
schedule = { kind = "daily", times = ["08:00"] }
"""


def schema_accepts(text: str) -> bool:
    return VALIDATOR.is_valid(instance(tomllib.loads(text)))


class TestFiles:
    def test_example_loads_round_trips_and_follows_the_schema(self) -> None:
        """examples/travel.toml loads, is written back equal, and the schema accepts it."""
        bundle = load(EXAMPLE)
        assert bundle.plan is not None
        assert bundle.plan.stays
        assert {e.clock for e in bundle.plan.entries} == {"local", "home"}
        for fmt in ("toml", "json"):
            assert loads(dumps(bundle, format=fmt), format=fmt) == bundle
        assert schema_accepts(EXAMPLE.read_text(encoding="utf-8"))
        assert VALIDATOR.is_valid(json.loads(dumps(bundle, format="json")))

    @settings(max_examples=30, deadline=None)
    @given(rst.bundles(with_log=False), st.data())
    def test_drawn_plans_with_stays_round_trip(
        self, bundle: Bundle, data: st.DataObject
    ) -> None:
        """A drawn plan, given a stay and home-clock entries, is written and read back equal."""
        plan = bundle.plan
        if plan is None:
            plan = Plan("p", timezone="UTC", start="2027-01-01", end="2027-01-31")
        assert plan.end is not None
        stay = data.draw(rst.stays(start=plan.start, end=plan.end))
        entries = [
            attrs.evolve(e, clock=data.draw(st.sampled_from(["local", "home"])))
            for e in plan.entries
        ]
        bundle = attrs.evolve(
            bundle, plan=attrs.evolve(plan, stays=[stay], entries=entries)
        )
        for fmt in ("toml", "json"):
            assert loads(dumps(bundle, format=fmt), format=fmt) == bundle

    def test_problems_have_their_paths(self) -> None:
        """A bad clock, a stay without zone, an unknown zone and overlapping stays each name their path."""
        text = PLAN.replace(
            'times = ["08:00"] }', 'times = ["08:00"] }\nclock = "away"'
        ) + (
            '\n[[plan.stays]]\nstart = 2027-03-05\nend = 2027-03-09\ntimezone = "Asia/Tokio"\n'
            "\n[[plan.stays]]\nstart = 2027-03-10\nend = 2027-03-12\n"
        )
        with pytest.raises(LoadError) as caught:
            loads(text)
        assert caught.value.problems == (
            "plan.stays[0].timezone: unknown time zone 'Asia/Tokio'; did you mean 'Asia/Tokyo' or 'Asia/Tomsk'?",
            "plan.stays[1].timezone: required key missing",
        )
        assert not schema_accepts(text)
        text = PLAN.replace(
            'times = ["08:00"] }', 'times = ["08:00"] }\nclock = "away"'
        )
        with pytest.raises(LoadError) as caught:
            loads(text)
        assert caught.value.problems == (
            "plan.entries[0].clock: clock must be 'local' (follow the plan's stays) or "
            "'home' (keep the plan's time zone while travelling) (got 'away')",
        )
        assert not schema_accepts(text)

    def test_overlap_is_for_the_loader_alone(self) -> None:
        """Overlapping stays pass the schema (it cannot compare dates) and the loader refuses them."""
        text = PLAN + (
            '\n[[plan.stays]]\nstart = 2027-03-05\nend = 2027-03-09\ntimezone = "Asia/Tokyo"\n'
            '\n[[plan.stays]]\nstart = 2027-03-09\nend = 2027-03-12\ntimezone = "Asia/Seoul"\n'
        )
        assert schema_accepts(text)
        with pytest.raises(LoadError, match=r"plan: Plan.stays\[1\] .* overlaps"):
            loads(text)
        assert schema_accepts(
            text.replace("2027-03-09\nend = 2027-03-12", "2027-03-10\nend = 2027-03-12")
        )
        assert (
            loads(
                text.replace(
                    "2027-03-09\nend = 2027-03-12", "2027-03-10\nend = 2027-03-12"
                )
            ).plan
            is not None
        )


def test_zones_by_day_splits_a_span_into_runs_of_one_zone() -> None:
    """pieces() covers the span exactly, each run in the zone in force on its days."""
    from regimen._stay import zones_by_day

    def n(day: int) -> int:
        return date(2027, 3, day).toordinal() - date(1970, 1, 1).toordinal()

    stays = [
        Stay("2027-03-05", "2027-03-09", "Asia/Tokyo"),
        Stay("2027-03-12", "2027-03-12", "Asia/Seoul"),
    ]
    by_day = zones_by_day(stays, "Europe/Berlin")
    berlin, tokyo, seoul = (
        ZoneInfo(z) for z in ("Europe/Berlin", "Asia/Tokyo", "Asia/Seoul")
    )
    assert by_day.pieces(n(1), n(20)) == [
        (n(1), n(4), berlin),
        (n(5), n(9), tokyo),
        (n(10), n(11), berlin),
        (n(12), n(12), seoul),
        (n(13), n(20), berlin),
    ]
    assert by_day.pieces(n(7), n(12)) == [
        (n(7), n(9), tokyo),
        (n(10), n(11), berlin),
        (n(12), n(12), seoul),
    ]
    assert by_day.pieces(n(6), n(8)) == [(n(6), n(8), tokyo)]
    assert by_day.pieces(n(13), n(14)) == [(n(13), n(14), berlin)]
    assert by_day.pieces(n(1), n(3)) == [(n(1), n(3), berlin)]
