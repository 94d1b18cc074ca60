"""A day_start with microseconds is honoured to the microsecond everywhere."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from regimen import DoseEvent, MaxDoses, Profile, Timeline, allowance, validate
from regimen._series import local_day

from .helpers import kratom

UTC = ZoneInfo("UTC")
LAST = time(23, 59, 59, 999_999)


class TestMicrosecondDayStart:
    def test_local_day_counts_microseconds(self) -> None:
        """One microsecond before the day start belongs to the day before."""
        start = datetime(2027, 1, 3, 23, 59, 59, 999_999, tzinfo=UTC)
        assert local_day(start, LAST) == date(2027, 1, 3)
        assert local_day(start - timedelta(microseconds=1), LAST) == date(2027, 1, 2)

    def test_allowance_waits_for_the_exact_day_start(self) -> None:
        """A full day stays full until the day start's very microsecond."""
        rule = MaxDoses("kratom", 1, per="day", day_start=LAST)
        log = Timeline([DoseEvent(datetime(2027, 1, 3, 8, tzinfo=UTC), kratom())])
        before = datetime(2027, 1, 3, 23, 59, 59, 999_998, tzinfo=UTC)
        a = allowance(log, Profile(rules=[rule]), "kratom", at=before)
        assert not a.allowed_now
        assert a.earliest == before + timedelta(microseconds=1)
        assert a.earliest_limited_by == rule

    def test_validation_splits_days_at_the_microsecond(self) -> None:
        """Two doses either side of the day start are on two days, not one."""
        first = datetime(2027, 1, 3, 23, 59, 59, 999_998, tzinfo=UTC)
        log = Timeline(
            [
                DoseEvent(first, kratom()),
                DoseEvent(first + timedelta(microseconds=1), kratom()),
            ]
        )
        rule = MaxDoses("kratom", 1, per="day", day_start=LAST)
        assert validate(log, Profile(rules=[rule])).ok
