"""Tests that pin regimen._zone_table exactly enough to kill its mutants (issue 10).

``localize_days`` refuses wall times the table cannot answer for: it
needs two days of room before the first wall time (an offset of up to a
day either way) and three after the last (the offset plus a top-up of up
to a day). These tests pin those edges to the microsecond.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

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
