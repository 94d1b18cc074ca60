"""Tests for DoseEvent and Timeline (intake logs included)."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import DoseEvent, Timeline

from .helpers import KEFIR, KRATOM, kefir, kratom

NY = ZoneInfo("America/New_York")
T0 = datetime(2027, 1, 3, 8, 0, tzinfo=NY)


class TestDoseEvent:
    def test_naive_datetime_rejected(self) -> None:
        """A naive datetime is refused with the fix in the message."""
        with pytest.raises(ValueError, match=r"aware datetime .* attach its zone"):
            DoseEvent(datetime(2027, 1, 1, 8), kratom())
        with pytest.raises(TypeError, match=r"DoseEvent\.at must be an aware datetime"):
            DoseEvent("2027-01-01T08:00", kratom())  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"DoseEvent\.dose must be a Dose"):
            DoseEvent(T0, "2 g")  # type: ignore[arg-type]

    def test_properties(self) -> None:
        """An event exposes product, amount, contents and its instant."""
        event = DoseEvent(T0, kefir(), note="with breakfast")
        assert event.product.name == "milk kefir"
        assert str(event.amount) == "6 fl oz"
        assert set(event.contents) == {KEFIR, event.product.substances[1]}
        assert event.local_date == date(2027, 1, 3)
        assert event.timestamp_us == int(T0.timestamp()) * 1_000_000
        assert event.involves("probiotic")
        assert not event.involves("kratom")

    def test_equality_is_by_instant_and_zone(self) -> None:
        """01:30 EDT and 01:30 EST (fold) are different events; equal ones hash alike."""
        first = datetime(2027, 11, 7, 1, 30, tzinfo=NY)
        second = first.replace(fold=1)
        a, b = DoseEvent(first, kratom()), DoseEvent(second, kratom())
        assert a != b
        assert DoseEvent(first, kratom()) == a
        assert hash(DoseEvent(first, kratom())) == hash(a)
        assert pickle.loads(pickle.dumps(a)) == a


class TestTimeline:
    def test_sorts_what_it_is_given_by_instant(self) -> None:
        """A log is sorted by real time, even across zones and folds."""
        later = DoseEvent(datetime(2027, 11, 7, 1, 30, fold=1, tzinfo=NY), kratom())
        earlier = DoseEvent(datetime(2027, 11, 7, 1, 45, tzinfo=NY), kratom())
        tokyo = DoseEvent(
            datetime(2027, 11, 7, 16, 0, tzinfo=ZoneInfo("Asia/Tokyo")), kefir()
        )
        log = Timeline([later, tokyo, earlier])
        assert list(log) == [earlier, later, tokyo]

    def test_sequence_behaviour(self) -> None:
        """Indexing gives events, slicing gives a timeline, and it is immutable."""
        events = [DoseEvent(T0 + timedelta(hours=h), kratom()) for h in range(5)]
        log = Timeline(events)
        assert len(log) == 5
        assert log[0] == events[0]
        assert log[-1] == events[-1]
        assert isinstance(log[1:3], Timeline)
        assert list(log[1:3]) == events[1:3]
        assert events[2] in log
        assert log.index(events[3]) == 3
        with pytest.raises(ValueError, match="positive step"):
            log[::-1]
        with pytest.raises(AttributeError):
            log.events = ()  # type: ignore[misc]
        assert log == Timeline(reversed(events))
        assert hash(log) == hash(Timeline(reversed(events)))
        assert list(log + Timeline(events[:1])) == [events[0], *events]

    def test_rejects_non_events(self) -> None:
        """Only DoseEvents go in a timeline."""
        with pytest.raises(TypeError, match=r"events\[1\] must be a DoseEvent"):
            Timeline([DoseEvent(T0, kratom()), "x"])  # type: ignore[list-item]

    def test_lookups(self) -> None:
        """between() is half-open; of() matches names, aliases and classes; on() is the local date."""
        events = [
            DoseEvent(T0, kefir()),
            DoseEvent(T0 + timedelta(hours=1), kratom()),
            DoseEvent(T0 + timedelta(days=1), kratom()),
        ]
        log = Timeline(events)
        assert list(log.between(T0, T0 + timedelta(hours=1))) == events[:1]
        assert (
            list(log.between(T0.astimezone(UTC), T0 + timedelta(days=1, seconds=1)))
            == events
        )
        assert list(log.of("Mitragyna speciosa")) == events[1:]
        assert list(log.of("added sugar")) == events[:1]
        assert list(log.on(date(2027, 1, 4))) == events[2:]
        assert log.substances[0] == KEFIR
        assert KRATOM in log.substances

    def test_without_as_needed(self) -> None:
        """As-needed events can be set aside."""
        log = Timeline(
            [DoseEvent(T0, kratom()), DoseEvent(T0, kratom("1 g"), as_needed=True)]
        )
        assert len(log.without_as_needed()) == 1

    @given(st.lists(st.integers(-10_000, 10_000), max_size=40), st.randoms())
    def test_order_of_input_does_not_matter(
        self, minutes: list[int], rnd: object
    ) -> None:
        """Any permutation of the same events gives the same, sorted timeline."""
        events = [DoseEvent(T0 + timedelta(minutes=m), kratom()) for m in minutes]
        shuffled = list(events)
        rnd.shuffle(shuffled)  # type: ignore[attr-defined]
        a, b = Timeline(events), Timeline(shuffled)
        assert a == b
        keys = [e.timestamp_us for e in a]
        assert keys == sorted(keys)


def test_first_day_is_the_earliest_own_date() -> None:
    """Events at one instant in two zones: the first day is the western one's earlier date."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from regimen import Dose, DoseEvent, Product, Substance, Timeline

    dose = Dose(Product("p", contents={Substance("s"): "1 g"}, per="1 g"), "1 g")
    utc = DoseEvent(datetime(2027, 3, 13, tzinfo=ZoneInfo("UTC")), dose)
    ny = DoseEvent(datetime(2027, 3, 12, 19, tzinfo=ZoneInfo("America/New_York")), dose)
    timeline = Timeline([utc, ny])
    assert (timeline.first_day, timeline.last_day) == (
        ny.at.date(),
        utc.at.date(),
    )
    indexed = Timeline([utc, ny])
    assert len(indexed._idx) == 2  # read through the index
    assert indexed[0:2].first_day == ny.at.date()
