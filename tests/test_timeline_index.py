"""The timeline index against slow oracles: days, lookups, lazily built events, pickling."""

from __future__ import annotations

import pickle
from array import array
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regimen import DoseEvent, Plan, Timeline, _day_numbers, _series
from regimen import strategies as rst
from regimen._series import Context, local_day
from regimen._timeline import _sort_key
from regimen._timezone import utc_us
from regimen._units import Unit
from regimen._windows_np import numpy_or_none

from .helpers import kefir, kratom

DAY_STARTS = st.sampled_from([time(0), time(4), time(23, 59, 59, 999_999), time(12)])
TERMS = st.sampled_from(
    ["kratom", "Botanical", " kefir ", "probiotic", "sugar", "none"]
)


def fresh(timeline: Timeline) -> Timeline:
    """Return the same events as a timeline built from a list (events first, index later)."""
    return Timeline(list(timeline), start=timeline.start, end=timeline.end)


def expanded_or_log() -> st.SearchStrategy[Timeline]:
    return rst.timelines(max_events=300)


class TestDays:
    @pytest.mark.parametrize("numpy", [True, False])
    @settings(max_examples=60, deadline=None)
    @given(expanded_or_log(), DAY_STARTS)
    def test_day_numbers_match_local_day(
        self, numpy: bool, timeline: Timeline, day_start: time
    ) -> None:
        """Every event's index day is local_day(at, day_start), without utcoffset per event.

        Worked out on numpy arrays (from one event on, here; from 2,048 in
        use) and in pure Python alike.
        """
        with (
            mock.patch.object(_day_numbers, "MIN_EVENTS", 1),
            mock.patch.object(
                _day_numbers,
                "numpy_or_none",
                numpy_or_none if numpy else lambda: None,
            ),
        ):
            ctx = Context(fresh(timeline), day_start)
            days = ctx.days
        want = [local_day(e.at, day_start).toordinal() for e in timeline]
        assert isinstance(days, array)
        assert days.typecode == "q"
        assert list(days) == want
        assert [ctx.day_number(e) for e in timeline] == want

    @settings(max_examples=40, deadline=None)
    @given(expanded_or_log())
    def test_first_and_last_day(self, timeline: Timeline) -> None:
        """first_day and last_day are the earliest and latest of the events' own dates."""
        bare = Timeline._sorted(tuple(timeline))
        dates = [e.at.date() for e in timeline]
        assert bare.first_day == (min(dates) if dates else None)
        assert bare.last_day == (max(dates) if dates else None)
        lazy = Timeline._from_index(timeline._idx)
        assert lazy.first_day == (min(dates) if dates else None)
        assert lazy.last_day == (max(dates) if dates else None)


class TestLookups:
    @settings(max_examples=60, deadline=None)
    @given(expanded_or_log(), st.data())
    def test_on_of_between_like_a_scan(
        self, timeline: Timeline, data: st.DataObject
    ) -> None:
        """on, of, between, without_as_needed and slices equal list comprehensions."""
        for subject in (timeline, fresh(timeline)):
            events = list(subject)
            days = sorted({e.at.date() for e in events}) or [date(2027, 3, 14)]
            day = data.draw(
                st.sampled_from(days) | st.just(days[0] - timedelta(days=1))
            )
            assert list(subject.on(day)) == [e for e in events if e.at.date() == day]
            term = data.draw(TERMS)
            assert list(subject.of(term)) == [e for e in events if e.involves(term)]
            moments = [e.at for e in events] or [datetime(2027, 3, 14, tzinfo=UTC)]
            a = data.draw(st.sampled_from(moments))
            b = data.draw(st.sampled_from(moments)) + timedelta(
                minutes=data.draw(st.integers(-1, 1))
            )
            assert list(subject.between(a, b)) == [e for e in events if a <= e.at < b]
            assert list(subject.without_as_needed()) == [
                e for e in events if not e.as_needed
            ]
            lo, hi = data.draw(st.integers(-3, 5)), data.draw(st.integers(-3, 400))
            assert list(subject[lo:hi:2]) == events[lo:hi:2]
            assert subject.substances == fresh(subject).substances

    def test_on_a_datetime_finds_nothing(self) -> None:
        """A datetime never equals an event's date, as before the index."""
        at = datetime(2027, 1, 1, 8, tzinfo=UTC)
        timeline = Timeline([DoseEvent(at, kratom())])
        assert list(timeline.on(at.date())) == list(timeline)
        assert list(timeline.on(at)) == []


class TestLazyEvents:
    @settings(max_examples=40, deadline=None)
    @given(rst.plans(max_days=20))
    def test_built_events_are_what_localizing_gives(self, plan: Plan) -> None:
        """Events built from the index are canonical aware datetimes at the index's instants."""
        timeline = plan.timeline()
        index = timeline._idx
        for i, event in enumerate(timeline):
            assert utc_us(event.at) == index.us[i] == event.timestamp_us
            canonical = event.at.astimezone(UTC).astimezone(event.at.tzinfo)
            assert (event.at.replace(tzinfo=None), event.at.fold) == (
                canonical.replace(tzinfo=None),
                canonical.fold,
            )
        assert list(timeline) == sorted(timeline, key=_sort_key)

    @settings(max_examples=30, deadline=None)
    @given(rst.plans(max_days=10), st.data())
    def test_one_object_per_event(self, plan: Plan, data: st.DataObject) -> None:
        """Indexing, series and the full tuple all hand out the same event objects."""
        timeline = plan.timeline()
        if not len(timeline):
            return
        i = data.draw(st.integers(0, len(timeline) - 1))
        first = timeline[i]
        series = Context(timeline).series("kratom")
        seen = [(p, series.events[k]) for k, p in enumerate(series.positions)]
        assert timeline[i] is first
        assert timeline.events[i] is first
        assert all(timeline.events[p] is e for p, e in seen)

    @settings(max_examples=30, deadline=None)
    @given(expanded_or_log())
    def test_pickling_keeps_equality_and_hash(self, timeline: Timeline) -> None:
        """A lazy timeline pickles to an equal one with the same hash, as a rebuilt one does."""
        lazy = Timeline._from_index(timeline._idx, timeline.start, timeline.end)
        again = pickle.loads(pickle.dumps(lazy))
        assert again == lazy == fresh(timeline)
        assert hash(again) == hash(lazy) == hash(fresh(timeline))
        assert repr(lazy) == repr(fresh(timeline))


class TestSeries:
    @pytest.mark.parametrize("numpy", [True, False])
    @settings(max_examples=50, deadline=None)
    @given(expanded_or_log(), TERMS, DAY_STARTS)
    def test_series_like_a_scan(
        self, numpy: bool, timeline: Timeline, term: str, day_start: time
    ) -> None:
        """A series has the involved events, their instants and days, and is cached.

        Its columns picked on numpy (from one event on, here; from 2,048 in
        use) and in pure Python alike.
        """
        timeline = fresh(timeline)
        ctx = Context(timeline, day_start)
        with (
            mock.patch.object(_series, "MIN_EVENTS", 1),
            mock.patch.object(
                _series, "numpy_or_none", numpy_or_none if numpy else lambda: None
            ),
        ):
            series = ctx.series(term, Unit.G)
        events = list(timeline)
        involved = [i for i, e in enumerate(events) if e.involves(term)]
        counted = [
            i
            for i in involved
            if all(
                q.unit.converts_to(Unit.G)
                for s, q in events[i].contents.items()
                if s.matches(term)
            )
        ]
        assert list(series.positions) == counted
        assert list(series.events) == [events[i] for i in counted]
        assert list(series.mismatched) == [
            events[i] for i in involved if i not in counted
        ]
        assert list(series.times) == [e.timestamp_us for e in series.events]
        assert list(series.days) == [
            local_day(e.at, day_start).toordinal() for e in series.events
        ]
        assert len(series.amounts) == len(series.events)
        assert Context(timeline, day_start).series(term.upper(), Unit.G) is series
        if events and len(counted) == len(events):
            # A series of every event reads the index's own columns.
            assert series.times is timeline._idx.us
            assert series.days is ctx.days
            assert series.positions == range(len(events))
        # Another unit counting the same events shares the columns.
        every = ctx.series(term)
        if counted and list(every.positions) == counted:
            assert every.times is series.times
            assert every.days is series.days

    def test_amounts_keep_the_scale_of_this_timeline(self) -> None:
        """A slice's series scale counts only the doses in the slice."""
        at = datetime(2027, 1, 1, 8, tzinfo=UTC)
        timeline = Timeline(
            [
                DoseEvent(at, kratom("2 g")),
                DoseEvent(at + timedelta(hours=1), kratom("2.25 g")),
            ]
        )
        assert Context(timeline).series("kratom", Unit.G).scale == 2
        assert Context(timeline[:1]).series("kratom", Unit.G).scale == 0
        assert Context(timeline[:1]).series("kratom", Unit.G).amounts == [2]

    def test_mismatched_units(self) -> None:
        """Contents that do not convert are listed, not counted."""
        at = datetime(2027, 1, 1, 8, tzinfo=UTC)
        timeline = Timeline([DoseEvent(at, kefir()), DoseEvent(at, kratom())])
        series = Context(timeline).series("kefir", Unit.G)
        assert list(series.mismatched) == [timeline[1]]
        assert list(series.events) == []
