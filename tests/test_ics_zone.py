"""ZoneSpan (the transitions behind VTIMEZONE and the export's arithmetic) against zoneinfo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from regimen._ics_zone import DAY_US, ZoneSpan
from regimen._timezone import localize

ZONES = st.sampled_from(
    [
        "America/New_York",
        "Europe/Dublin",
        "Australia/Lord_Howe",
        "UTC",
        "America/Santiago",
    ]
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
LO = (datetime(2026, 1, 1, tzinfo=UTC) - EPOCH) // US
HI = (datetime(2030, 1, 1, tzinfo=UTC) - EPOCH) // US


@given(zone=ZONES, instants=st.lists(st.integers(LO, HI), min_size=1, max_size=50))
def test_local_times_and_folds(zone: str, instants: list[int]) -> None:
    """An instant's local time and fold are zoneinfo's, one by one and in one pass."""
    span = ZoneSpan(zone, LO, HI)
    tz = ZoneInfo(zone)
    instants.sort()
    for us in instants:
        at = (EPOCH + us * US).astimezone(tz)
        local = (at.replace(tzinfo=None) - datetime(1970, 1, 1)) // US
        assert span.local(us) == (local, at.fold)
    assert span.locals(instants) == [(us, *span.local(us)) for us in instants]


@given(zone=ZONES, local=st.integers(LO + DAY_US, HI - DAY_US))
def test_instants_of_local_times(zone: str, local: int) -> None:
    """A local time means what regimen's localize gives: gaps forward, overlaps first."""
    span = ZoneSpan(zone, LO, HI)
    wall = datetime(1970, 1, 1) + local * US
    want = (localize(wall.date(), wall.time(), ZoneInfo(zone)) - EPOCH) // US
    assert span.instant(local) == want
