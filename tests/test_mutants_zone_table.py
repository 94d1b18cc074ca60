"""Tests that pin regimen._zone_table exactly enough to kill its mutants (issue 10).

``localize_days`` refuses wall times the table cannot answer for: it
needs two days of room before the first wall time (an offset of up to a
day either way) and three after the last (the offset plus a top-up of up
to a day). These tests pin those edges to the microsecond. Each piece it returns holds at least one day, with
the offset and fold ``localize`` gives that day's instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from regimen import _zone_table
from regimen._timezone import localize
from regimen._zone_table import DAY_US, ZoneTable, localize_days, zone_table

ORDINAL = date(1970, 1, 1).toordinal()


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal() - ORDINAL


@pytest.fixture
def table() -> ZoneTable:
    """Return a table of UTC for the days of 2027: it runs from 2027-01-01 to 2028-01-01."""
    found = zone_table(ZoneInfo("UTC"), day("2027-06-01"), day("2027-06-01"))
    assert found is not None
    assert (found.lo, found.hi) == (
        day("2027-01-01") * DAY_US,
        day("2028-01-01") * DAY_US,
    )
    return found


@pytest.mark.parametrize(
    ("first", "last", "lo", "hi"),
    [
        ("2027-01-04", "2027-12-28", "2027-01-01", "2028-01-01"),
        ("2027-01-03", "2027-12-28", "2026-01-01", "2028-01-01"),
        ("2027-01-04", "2027-12-29", "2027-01-01", "2029-01-01"),
    ],
)
def test_tables_cover_whole_years_three_days_beyond(
    first: str, last: str, lo: str, hi: str
) -> None:
    """A table spans the whole years of the days three days before and after them."""
    found = zone_table(ZoneInfo("UTC"), day(first), day(last))
    assert found is not None
    assert (found.lo, found.hi) == (day(lo) * DAY_US, day(hi) * DAY_US)


def test_tables_hold_whole_microseconds(table: ZoneTable) -> None:
    """Segment starts and candidate instants are ints (µs), like the instants made from them."""
    ny = zone_table(ZoneInfo("America/New_York"), day("2027-03-01"), day("2027-11-30"))
    assert ny is not None
    for found in (table, ny):
        fields = (
            found.wall_at,
            found.wall_off,
            found.utc_at,
            found.utc_off,
            found.candidates,
        )
        assert all(type(x) is int for field in fields for x in field)
    assert len(ny.candidates) >= 2  # the two changes of 2027, at least


class TestEdges:
    @pytest.mark.parametrize(
        ("first", "wall"),
        [
            ("2027-01-03", 0),
            ("2027-01-03", DAY_US - 1),
            ("2027-12-28", 0),
            ("2027-12-28", DAY_US - 1),
        ],
    )
    def test_inside(self, table: ZoneTable, first: str, wall: int) -> None:
        """Two days after the table's start and up to three before its end are answered."""
        n = day(first)
        pieces = localize_days(table, [n], wall, 0)
        assert [(list(days), list(us)) for days, us, _o, _f in pieces] == [
            ([n], [n * DAY_US + wall])
        ]

    @pytest.mark.parametrize(
        ("days", "wall"),
        [
            (["2027-01-02"], 0),
            (["2027-01-02"], DAY_US - 1),
            (["2027-01-02", "2027-06-01"], 0),
            (["2027-12-29"], 0),
            (["2027-12-29"], 1),
            (["2027-06-01", "2027-12-29"], 0),
        ],
    )
    def test_outside(self, table: ZoneTable, days: list[str], wall: int) -> None:
        """A day less before, or a microsecond less after, raises ValueError."""
        with pytest.raises(ValueError, match=r"^wall times outside the zone table$"):
            localize_days(table, [day(d) for d in days], wall, 0)


def _oracle(
    name: str, days: list[int], wall: int, delta: int
) -> list[tuple[int, int, int]]:
    """Return (instant, offset, fold) of each day's *wall* plus *delta*, from localize."""
    tz = ZoneInfo(name)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    us = timedelta(microseconds=1)
    out = []
    for n in days:
        at = localize(
            date.fromordinal(n + ORDINAL), (datetime.min + wall * us).time(), tz
        )
        at = (at.astimezone(UTC) + delta * us).astimezone(tz)
        offset = at.utcoffset()
        assert offset is not None
        out.append(((at - epoch) // us, offset // us, at.fold))
    return out


class TestPieces:
    @pytest.mark.parametrize(
        ("name", "days", "wall", "delta"),
        [
            # Two UTC boundaries (06:00 into the repeated hour, 07:00 out of
            # it) lie between the two instants: no empty piece between them.
            ("America/New_York", ["2027-11-06", "2027-11-07"], 90, 90),
            # East of UTC the instant is the day before its date in UTC:
            # Sydney's DST ends at 16:00 UTC on the Saturday.
            ("Australia/Sydney", ["2027-04-03", "2027-04-04", "2027-04-05"], 0, 0),
            ("Australia/Sydney", ["2027-04-04"], 30, 0),
            ("Europe/Berlin", ["2027-03-27", "2027-03-28"], 0, 0),
        ],
    )
    def test_pieces_match_localize(
        self, name: str, days: list[str], wall: int, delta: int
    ) -> None:
        """Pieces are non-empty, in order, with localize's instants, offsets and folds."""
        numbers = [day(d) for d in days]
        wall_us, delta_us = wall * 60_000_000, delta * 60_000_000
        table = zone_table(ZoneInfo(name), numbers[0], numbers[-1])
        assert table is not None
        for seq in (numbers, range(numbers[0], numbers[-1] + 1)):
            pieces = localize_days(table, seq, wall_us, delta_us)
            assert all(len(piece) > 0 for piece, _us, _o, _f in pieces)
            got = [(u, o, f) for _p, us, o, f in pieces for u in us]
            assert got == _oracle(name, list(seq), wall_us, delta_us)


class TestData:
    """Tables come from the data zoneinfo reads: the system's files or the tzdata package."""

    def _table_agrees(
        self,
        name: str,
        first: str,
        last: str,
        walls: tuple[int, ...] = (0, 8 * 60, 23 * 60 + 59),
        deltas: tuple[int, ...] = (0,),
    ) -> None:
        """Check a table of *name* against localize: *walls* and *deltas* in minutes."""
        numbers = list(range(day(first), day(last) + 1))
        table = zone_table(ZoneInfo(name), numbers[0], numbers[-1])
        assert table is not None
        for wall, delta in (
            (w * 60_000_000, d * 60_000_000) for w in walls for d in deltas
        ):
            pieces = localize_days(table, numbers, wall, delta)
            got = [(u, o, f) for _p, us, o, f in pieces for u in us]
            assert got == _oracle(name, numbers, wall, delta)

    def test_from_a_file(self) -> None:
        """A zone file on the search path is read itself (here the tzdata package's copy)."""
        tzpath = import_module("zoneinfo._tzpath")
        common = import_module("zoneinfo._common")
        path = (
            Path(import_module("tzdata").__file__ or "").parent
            / "zoneinfo/America/New_York"
        )
        assert path.is_file()
        with (
            mock.patch.object(tzpath, "find_tzfile", return_value=str(path)),
            mock.patch.object(common, "load_tzdata", side_effect=AssertionError),
        ):
            self._table_agrees("America/New_York", "2027-03-10", "2027-03-20")

    def test_from_the_tzdata_package(self) -> None:
        tzpath = import_module("zoneinfo._tzpath")
        with mock.patch.object(tzpath, "find_tzfile", return_value=None):
            self._table_agrees("America/New_York", "2027-03-10", "2027-03-20")

    def test_the_zones_first_transition(self) -> None:
        """New York's first transition (local mean time to EST, 1883) is in its table."""
        self._table_agrees("America/New_York", "1883-11-10", "1883-11-25")

    def test_a_transition_just_before_the_first_year(self) -> None:
        """Kathmandu moved to +05:45 at 1986-01-01 00:15 local (18:30 UTC the day before)."""
        assert _zone_table._year_start(1986) == day("1986-01-01") * 86_400
        self._table_agrees("Asia/Kathmandu", "1986-01-04", "1986-01-12")

    def test_the_zones_last_transition(self) -> None:
        """The last transition in New York's data (2037 in a full file) is in its table too."""
        self._table_agrees("America/New_York", "2037-10-25", "2037-11-08")


class TestRuleYears:
    """Past a zone's last transition, zoneinfo follows its POSIX TZ rule: so do the tables."""

    SMALL_HOURS = tuple(range(0, 4 * 60, 15))

    @pytest.mark.parametrize(
        ("name", "spring", "autumn"),
        [
            ("America/New_York", "2040-03-11", "2040-11-04"),
            ("Europe/Dublin", "2040-03-25", "2040-10-28"),  # negative DST in its rule
            ("Australia/Sydney", "2040-10-07", "2040-04-01"),
            ("Australia/Lord_Howe", "2040-10-07", "2040-04-01"),  # 30 minutes
        ],
    )
    def test_both_changes(self, name: str, spring: str, autumn: str) -> None:
        """Gaps and folds of a rule year, walls in the small hours, top-ups up to a day."""
        for change in (spring, autumn):
            first = date.fromisoformat(change) - timedelta(days=1)
            last = date.fromisoformat(change) + timedelta(days=1)
            TestData()._table_agrees(
                name, str(first), str(last), self.SMALL_HOURS, (0, 30, 60, 24 * 60)
            )

    def test_the_last_years(self) -> None:
        """A table reaching into 9999 follows the rule there."""
        TestData()._table_agrees("America/New_York", "9998-11-01", "9998-12-29")
