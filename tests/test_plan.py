"""Tests for Plan, Entry, Break and expansion into timelines (DST included)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import Break, Entry, ExpansionError, Plan, Schedule

from .helpers import GREEN_MALAY, KEFIR, KRATOM, MILK_KEFIR, kefir, kratom


def one_day(zone: str, day: date, *times: str) -> list[datetime]:
    plan = Plan(
        "p",
        timezone=zone,
        start=day,
        end=day,
        entries=[Entry(kratom(), Schedule.daily(*times))],
    )
    return [e.at for e in plan.timeline()]


def hm(moment: datetime) -> str:
    return moment.strftime("%H:%M %Z")


class TestTimeZones:
    @pytest.mark.parametrize(
        "bad",
        [
            "",
            "   ",
            "../etc/passwd",
            "/etc/localtime",
            "Not/AZone",
            "Europe/../UTC",
            "a" * 100,
        ],
    )
    def test_bad_zone_names_are_errors_naming_the_value(self, bad: str) -> None:
        """Empty names, paths and unknown zones raise ValueError naming the value."""
        with pytest.raises(ValueError, match=r"Plan\.timezone"):
            Plan("p", timezone=bad, start="2027-01-01")

    def test_zone_must_be_text(self) -> None:
        """A ZoneInfo object is not accepted in place of its name."""
        with pytest.raises(TypeError, match="IANA time zone name"):
            Plan("p", timezone=ZoneInfo("UTC"), start="2027-01-01")  # type: ignore[arg-type]

    def test_new_york_spring_forward_moves_by_the_gap(self) -> None:
        """02:30 on the spring-forward day becomes 03:30 EDT; other times are unchanged."""
        got = one_day("America/New_York", date(2027, 3, 14), "01:30", "02:30", "03:30")
        assert [hm(m) for m in got] == ["01:30 EST", "03:30 EDT", "03:30 EDT"]
        # Elapsed time is measured in UTC; same-zone subtraction would say 2 h.
        assert got[1].astimezone(UTC) - got[0].astimezone(UTC) == timedelta(hours=1)
        assert got[1].timestamp() - got[0].timestamp() == 3600

    def test_new_york_fall_back_takes_first_occurrence(self) -> None:
        """01:30 on the fall-back day happens once, at its first (EDT) occurrence."""
        got = one_day("America/New_York", date(2027, 11, 7), "01:30")
        assert [hm(m) for m in got] == ["01:30 EDT"]
        assert got[0].astimezone(UTC).hour == 5

    def test_berlin(self) -> None:
        """Berlin's gap (02:00-03:00 on the last Sunday of March) and overlap."""
        assert [
            hm(m) for m in one_day("Europe/Berlin", date(2027, 3, 28), "02:15")
        ] == ["03:15 CEST"]
        assert [
            hm(m) for m in one_day("Europe/Berlin", date(2027, 10, 31), "02:15")
        ] == ["02:15 CEST"]

    def test_lord_howe_half_hour_shift(self) -> None:
        """Lord Howe moves by 30 minutes: 02:10 in the gap becomes 02:40."""
        got = one_day("Australia/Lord_Howe", date(2027, 10, 3), "02:10")
        assert got[0].strftime("%H:%M") == "02:40"
        assert got[0].utcoffset() == timedelta(hours=11)
        back = one_day("Australia/Lord_Howe", date(2027, 4, 4), "01:45")
        assert back[0].utcoffset() == timedelta(hours=11)  # first occurrence

    def test_dublin_negative_dst(self) -> None:
        """Dublin (whose winter time is the 'DST' in tzdata) still gets the right offsets."""
        got = one_day("Europe/Dublin", date(2027, 3, 28), "01:30")
        assert got[0].strftime("%H:%M") == "02:30"
        assert got[0].utcoffset() == timedelta(hours=1)
        winter = one_day("Europe/Dublin", date(2027, 1, 10), "12:00")
        assert winter[0].utcoffset() == timedelta(0)

    def test_transition_at_midnight(self) -> None:
        """Havana springs forward at midnight: 00:30 becomes 01:30 on the same date."""
        got = one_day("America/Havana", date(2027, 3, 14), "00:30", "12:00")
        assert [m.strftime("%Y-%m-%d %H:%M") for m in got] == [
            "2027-03-14 01:30",
            "2027-03-14 12:00",
        ]

    def test_after_2038(self) -> None:
        """Offsets after 2038 follow the zone's rules (second Sunday of March 2041)."""
        got = one_day("America/New_York", date(2041, 3, 10), "02:30", "12:00")
        assert [hm(m) for m in got] == ["03:30 EDT", "12:00 EDT"]
        assert one_day("America/New_York", date(2045, 1, 15), "12:00")[
            0
        ].utcoffset() == timedelta(hours=-5)


class TestBounds:
    def test_dates_are_inclusive(self) -> None:
        """Plan, entry and timeline() dates include both ends."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-10",
            entries=[
                Entry(
                    kratom(),
                    Schedule.daily("08:00"),
                    start="2027-01-03",
                    end="2027-01-08",
                )
            ],
        )
        assert [e.at.day for e in plan.timeline()] == [3, 4, 5, 6, 7, 8]
        assert [e.at.day for e in plan.timeline("2027-01-05", "2027-01-06")] == [5, 6]
        assert len(plan.timeline("2027-01-09", "2027-01-20")) == 0
        assert len(plan.timeline("2027-01-06", "2027-01-05")) == 0

    def test_open_plan_needs_an_end(self) -> None:
        """Expanding an open plan without an end raises ExpansionError saying how to fix it."""
        plan = Plan(
            "open",
            timezone="UTC",
            start="2027-01-01",
            entries=[Entry(kratom(), Schedule.daily("08:00"))],
        )
        with pytest.raises(ExpansionError, match=r"no end date; pass an end"):
            plan.timeline()
        assert len(plan.timeline(end=date(2027, 1, 31))) == 31

    def test_max_events(self) -> None:
        """More events than max_events raises instead of eating memory."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-12-31",
            entries=[Entry(kratom(), Schedule.daily("08:00", "20:00"))],
        )
        assert len(plan.timeline(max_events=730)) == 730
        with pytest.raises(ExpansionError, match="more than max_events=729"):
            plan.timeline(max_events=729)
        with pytest.raises(ValueError, match="max_events must be zero or more"):
            plan.timeline(max_events=-1)

    def test_invalid_plans_cannot_be_built(self) -> None:
        """End before start, bad dates and wrong element types are refused, naming the field."""
        with pytest.raises(
            ValueError, match=r"Plan\.end \(2026-12-31\) is before Plan\.start"
        ):
            Plan("p", timezone="UTC", start="2027-01-01", end="2026-12-31")
        with pytest.raises(ValueError, match=r"Plan\.start must be a date like"):
            Plan("p", timezone="UTC", start="2027-02-30")
        with pytest.raises(TypeError, match=r"Plan\.start must be a datetime\.date"):
            Plan("p", timezone="UTC", start=20270101)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"Plan\.start must be a datetime\.date"):
            Plan("p", timezone="UTC", start=datetime(2027, 1, 1))
        with pytest.raises(TypeError, match=r"Plan\.entries\[0\] must be an Entry"):
            Plan("p", timezone="UTC", start="2027-01-01", entries=["x"])  # type: ignore[list-item]
        with pytest.raises(TypeError, match=r"Plan\.breaks\[0\] must be a Break"):
            Plan("p", timezone="UTC", start="2027-01-01", breaks=["x"])  # type: ignore[list-item]
        with pytest.raises(ValueError, match=r"Entry\.end .* is before Entry\.start"):
            Entry(
                kratom(), Schedule.daily("08:00"), start="2027-01-02", end="2027-01-01"
            )
        with pytest.raises(ValueError, match=r"Break\.substances must name"):
            Break("2027-01-01", "2027-01-02", substances=[" "])
        with pytest.raises(ValueError, match=r"Plan\.name must not be empty"):
            Plan(" ", timezone="UTC", start="2027-01-01")

    def test_plan_lists_its_substances(self) -> None:
        """A plan knows every substance its products contain."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            entries=[
                Entry(kefir(), Schedule.daily("08:00")),
                Entry(kratom(), Schedule.daily("09:00")),
            ],
        )
        assert [s.name for s in plan.substances] == ["kefir", "sugar", "kratom"]


class TestBreaks:
    def plan(self, *breaks: Break) -> Plan:
        return Plan(
            "p",
            timezone="Europe/Berlin",
            start="2027-01-01",
            end="2027-01-10",
            entries=[
                Entry(kratom(), Schedule.daily("08:00")),
                Entry(kefir(), Schedule.daily("09:00")),
            ],
            breaks=breaks,
        )

    def test_break_removes_only_named_substances_on_its_dates(self) -> None:
        """A kratom break removes kratom events on its dates and nothing else."""
        timeline = self.plan(
            Break("2027-01-03", "2027-01-05", substances=["Kratom"])
        ).timeline()
        kratom_days = [e.at.day for e in timeline if e.involves("kratom")]
        kefir_days = [e.at.day for e in timeline if e.involves("kefir")]
        assert kratom_days == [1, 2, 6, 7, 8, 9, 10]
        assert kefir_days == list(range(1, 11))

    def test_break_by_class_and_alias(self) -> None:
        """Breaks name substances by class or alias too."""
        by_class = self.plan(
            Break("2027-01-01", "2027-01-10", substances="botanical")
        ).timeline()
        by_alias = self.plan(
            Break("2027-01-01", "2027-01-10", substances="mitragyna speciosa")
        ).timeline()
        assert not by_class.of("kratom")
        assert not by_alias.of("kratom")
        assert len(by_class) == 10

    def test_break_of_one_substance_removes_products_containing_it(self) -> None:
        """A sugar break removes the kefir that contains sugar."""
        timeline = self.plan(
            Break("2027-01-01", "2027-01-10", substances=["sugar"])
        ).timeline()
        assert not timeline.of("kefir")
        assert len(timeline) == 10

    def test_break_without_substances_removes_everything(self) -> None:
        """``substances=None`` is a break from every substance."""
        assert len(self.plan(Break("2027-01-01", "2027-01-10")).timeline()) == 0
        assert Break("2027-01-01", "2027-01-02").covers(KEFIR)
        assert not Break("2027-01-01", "2027-01-02", substances=["kratom"]).covers(
            KEFIR
        )


def _days(start: date, days: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(days)]


ZONES = st.sampled_from(
    [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "Europe/Dublin",
        "America/Havana",
        "Asia/Kolkata",
    ]
)
TIMES = st.lists(st.times(), min_size=1, max_size=4, unique=True)


class TestProperties:
    @given(
        zone=ZONES,
        start=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
        days=st.integers(1, 60),
        times=TIMES,
        breaks=st.lists(
            st.tuples(st.integers(0, 70), st.integers(0, 10), st.booleans()), max_size=3
        ),
    )
    def test_daily_count_sorted_aware_in_bounds(
        self,
        zone: str,
        start: date,
        days: int,
        times: list[time],
        breaks: list[tuple[int, int, bool]],
    ) -> None:
        """Events are sorted, aware and in bounds; count = days x times - break removals."""
        end = start + timedelta(days=days - 1)
        plan_breaks = [
            Break(
                start + timedelta(days=a),
                start + timedelta(days=a + n),
                substances=["kratom"] if k else ["kefir"],
            )
            for a, n, k in breaks
        ]
        plan = Plan(
            "p",
            timezone=zone,
            start=start,
            end=end,
            entries=[Entry(kratom(), Schedule.daily(*times))],
            breaks=plan_breaks,
        )
        timeline = plan.timeline()
        instants = [e.at.astimezone(UTC) for e in timeline]
        assert instants == sorted(instants)
        assert all(
            e.at.tzinfo is not None and e.at.utcoffset() is not None for e in timeline
        )
        assert all(start <= e.at.date() <= end + timedelta(days=1) for e in timeline)
        removed_days = {
            start + timedelta(days=i)
            for i in range(days)
            if any(
                b.covers(KRATOM) and b.includes(start + timedelta(days=i))
                for b in plan_breaks
            )
        }
        # Every (day, time) gives one event, belonging to its day even when a
        # DST gap moves it past midnight.
        expected = (days - len(removed_days & set(_days(start, days)))) * len(times)
        assert len(timeline) == expected

    @given(
        zone=ZONES,
        start=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
        days=st.integers(1, 40),
        split=st.integers(0, 40),
    )
    def test_window_expansion_is_a_slice(
        self, zone: str, start: date, days: int, split: int
    ) -> None:
        """Expanding two adjacent windows gives the whole timeline, in order."""
        end = start + timedelta(days=days - 1)
        plan = Plan(
            "p",
            timezone=zone,
            start=start,
            end=end,
            entries=[
                Entry(kratom(), Schedule.every(2, "23:45", "00:15")),
                Entry(kefir(), Schedule.weekly(["MO", "TH"], "08:00")),
            ],
        )
        middle = start + timedelta(days=split)
        left = (
            plan.timeline(end=middle - timedelta(days=1))
            if middle > start
            else plan.timeline(end=start)[:0]
        )
        right = plan.timeline(start=middle)
        assert list(left) + list(right) == list(plan.timeline())


def test_products_of_a_plan_are_kept() -> None:
    """Events carry the entry's dose (product, amount) unchanged."""
    plan = Plan(
        "p",
        timezone="UTC",
        start="2027-01-01",
        end="2027-01-01",
        entries=[Entry(kefir("4 fl oz"), Schedule.daily("20:30"))],
    )
    (event,) = plan.timeline()
    assert event.product is MILK_KEFIR
    assert str(event.amount) == "4 fl oz"
    assert event.dose.product is not GREEN_MALAY


def test_a_time_with_fold_1_in_a_midnight_gap_stays_on_its_day() -> None:
    """Havana skips 00:00-01:00 on 2026-03-08: 00:00 (fold=1 or not) is 01:00 that day."""
    plan = Plan(
        "p",
        timezone="America/Havana",
        start=date(2026, 3, 8),
        end=date(2026, 3, 8),
        entries=[Entry(kratom(), Schedule.daily(time(0, 0, fold=1)))],
    )
    (event,) = plan.timeline()
    assert event.at.date() == date(2026, 3, 8)
    assert event.at.hour == 1
