"""The columns behind a :class:`~regimen.Timeline`, built once and cached on it.

A :class:`TimelineIndex` holds a timeline as a few arrays: every event's
instant (µs since the epoch, UTC) and the id of its *kind* (which dose,
whether as-needed, its note, its zone and UTC offset). Kinds are few (an
expanded plan has one per entry and offset), so what depends only on the
dose or the offset is worked out once per kind: which substances a dose
matches (:class:`DoseTable`), local day numbers, sort labels. Events
themselves are built from the columns only when asked for (an expanded
plan's index is made directly by expansion), each once, so every access
returns the same object.

>>> from datetime import date, datetime, timezone
>>> from regimen import Dose, DoseEvent, Product, Substance, Timeline
>>> kefir = Product("kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
>>> at = datetime(2027, 1, 2, 0, 30, tzinfo=timezone.utc)
>>> index = Timeline([DoseEvent(at, Dose(kefir, "4 fl oz"))])._idx
>>> [date.fromordinal(n) for n in index.days(0) + index.days(4 * 3_600_000_000)]
[datetime.date(2027, 1, 2), datetime.date(2027, 1, 1)]
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ._day_numbers import DAY_US, EPOCH_ORDINAL, day_numbers

if TYPE_CHECKING:
    from ._dose import Dose
    from ._substance import Substance
    from ._timeline import DoseEvent

__all__ = [
    "DAY_US",
    "EPOCH_ORDINAL",
    "DoseTable",
    "Kind",
    "TimelineIndex",
    "Zone",
    "make_zone",
    "typecode",
]

_US: Final = timedelta(microseconds=1)
_LOCK: Final = threading.Lock()


def typecode(count: int) -> str:
    """Return the smallest unsigned array typecode that holds ids below *count*.

    >>> typecode(6), typecode(300), typecode(70_000)
    ('B', 'H', 'L')
    """
    if count <= 1 << 8:
        return "B"
    return "H" if count <= 1 << 16 else "L"


class Zone(NamedTuple):
    """A time zone at one UTC offset: what turns an instant into its local wall time."""

    tz: tzinfo
    offset: int  # µs east of UTC
    fold: int
    base: datetime  # the epoch's instant on this offset's wall clock, in tz


def make_zone(tz: tzinfo, offset: int, fold: int) -> Zone:
    """Return the :class:`Zone` of *tz* at *offset* µs (and *fold*)."""
    return Zone(tz, offset, fold, datetime(1970, 1, 1, tzinfo=tz) + offset * _US)


class Kind(NamedTuple):
    """What events of one kind share: dose (an id in the table), as-needed, note, zone."""

    dose: int
    as_needed: bool
    note: str
    zone: Zone


class DoseTable:
    """The distinct doses of a timeline (equal doses share an id), with facts about each.

    Facts (which doses involve a term, their sort labels, and whatever
    :mod:`regimen._series` caches in :attr:`facts`) are computed once per
    dose; indexes derived from one another share their table.
    """

    __slots__ = ("_by_id", "_by_value", "_involves", "_keep", "doses", "facts")

    def __init__(self) -> None:
        self.doses: list[Dose] = []
        self._by_id: dict[int, int] = {}
        self._by_value: dict[Dose, int] = {}
        self._keep: list[Dose] = []  # keeps every id in _by_id alive
        self._involves: dict[str, list[bool]] = {}
        self.facts: dict[Hashable, Any] = {}

    def add(self, dose: Dose) -> int:
        """Return the id of *dose*, adding it if no equal dose is in the table yet."""
        found = self._by_id.get(id(dose))
        if found is not None:
            return found
        found = self._by_value.get(dose)
        if found is None:
            found = self._by_value[dose] = len(self.doses)
            self.doses.append(dose)
        self._by_id[id(dose)] = found
        self._keep.append(dose)
        return found

    def involves(self, term: str) -> list[bool]:
        """Return, per dose id, whether a substance matches the casefolded *term*."""
        found = self._involves.setdefault(term, [])
        if len(found) < len(self.doses):  # doses added since: extend, never recompute
            found.extend(
                any(term in s._terms for s in d.contents)
                for d in self.doses[len(found) :]
            )
        return found


class TimelineIndex:
    """A timeline's instants and kind ids, with per-kind facts and lazily built events.

    Built by expansion (no events until asked) or from events already
    sorted (:meth:`of_events`; the kinds are then worked out on first use).
    Nothing here is mutated once computed, except caches filled on demand.
    """

    __slots__ = (
        "_built",
        "_days",
        "_event_type",
        "_events",
        "_first",
        "_kind",
        "_kinds",
        "_make",
        "cache",
        "table",
        "us",
    )

    def __init__(
        self,
        us: array[int],
        kind: array[int] | None,
        *,
        kinds: Sequence[Kind],
        table: DoseTable,
        event_type: type[DoseEvent],
        events: tuple[DoseEvent, ...] | None = None,
    ) -> None:
        self.us = us
        self._kind = kind
        self._kinds = kinds
        self.table = table
        self._event_type = event_type
        self._events = events
        self._built: list[DoseEvent | None] | None = None
        self._days: dict[int, array[int]] = {}
        self._first: dict[int, int] | None = None
        self._make: Callable[[int, Kind], DoseEvent] | None = None
        #: Free for callers (series, derived timelines), keyed by what they compute.
        self.cache: dict[Hashable, Any] = {}

    @classmethod
    def of_events(
        cls, events: tuple[DoseEvent, ...], event_type: type[DoseEvent]
    ) -> TimelineIndex:
        """Index events already in timeline order (kinds are worked out on first use)."""
        us = array("q", [e._us for e in events])
        return cls(
            us, None, kinds=(), table=DoseTable(), event_type=event_type, events=events
        )

    def __len__(self) -> int:
        return len(self.us)

    @property
    def kind(self) -> array[int]:
        """Each event's kind id."""
        if self._kind is None:
            self._index_kinds()
        assert self._kind is not None
        return self._kind

    @property
    def kinds(self) -> Sequence[Kind]:
        """The kinds, by id."""
        if self._kind is None:
            self._index_kinds()
        return self._kinds

    def _index_kinds(self) -> None:
        events = self._events
        assert events is not None
        table = self.table
        seen: dict[tuple[Any, ...], int] = {}
        kinds: list[Kind] = []
        zones: dict[tuple[int, timedelta | None, int], Zone] = {}
        ids: list[int] = []
        for event in events:
            at = event.at
            tz = at.tzinfo
            assert tz is not None
            offset = at.utcoffset()
            key = (id(event.dose), event.as_needed, event.note, id(tz), offset, at.fold)
            k = seen.get(key)
            if k is None:
                assert offset is not None
                z = zones.get(key[3:])
                if z is None:
                    z = zones[key[3:]] = make_zone(tz, offset // _US, at.fold)
                k = seen[key] = len(kinds)
                kinds.append(
                    Kind(table.add(event.dose), event.as_needed, event.note, z)
                )
            ids.append(k)
        self._kinds = tuple(kinds)
        self._kind = array(typecode(len(kinds)), ids)

    def offsets(self, shift: int = 0) -> list[int]:
        """Per kind, its UTC offset minus *shift* (µs)."""
        return [k.zone.offset - shift for k in self.kinds]

    def days(self, shift: int) -> array[int]:
        """Each event's local day (a proleptic ordinal) when days begin *shift* µs after midnight.

        An array of 8-byte integers (not a list of int objects, 36 bytes
        each): a plan of a million doses holds 8 MB of day numbers, not 36.
        """
        found = self._days.get(shift)
        if found is None:
            found = self._days[shift] = day_numbers(
                self.us, self.kind, self.offsets(shift)
            )
        return found

    def day_of(self, i: int, shift: int = 0) -> int:
        """Return the local day of event *i* (as :meth:`days` does, for one event)."""
        offset = self.kinds[self.kind[i]].zone.offset
        return (self.us[i] + offset - shift) // DAY_US + EPOCH_ORDINAL

    def on_days(self, first: int, last: int) -> list[int]:
        """Return the positions of the events whose own local date is *first* .. *last* (ordinals)."""
        if not self.us:
            return []
        offsets = self.offsets()
        lo = bisect.bisect_left(
            self.us, (first - EPOCH_ORDINAL) * DAY_US - max(offsets)
        )
        hi = bisect.bisect_left(
            self.us, (last + 1 - EPOCH_ORDINAL) * DAY_US - min(offsets)
        )
        us, kind = self.us, self.kind
        return [
            i
            for i in range(lo, hi)
            if first <= (us[i] + offsets[kind[i]]) // DAY_US + EPOCH_ORDINAL <= last
        ]

    def first_date_ordinal(self) -> int:
        """Return the earliest own local date (ordinal) of any event; the index must not be empty.

        Not always the first event's: an event at the same instant (or just
        after) in a zone further west can fall on the day before.
        """
        offsets = self.offsets()
        bottom = self.us[0]
        hi = bisect.bisect_right(self.us, bottom + (max(offsets) - min(offsets)))
        return min(self.day_of(i) for i in range(hi))

    def last_date_ordinal(self) -> int:
        """Return the latest own local date (ordinal) of any event; the index must not be empty."""
        offsets = self.offsets()
        top = self.us[-1]
        lo = bisect.bisect_left(self.us, top - (max(offsets) - min(offsets)))
        return max(self.day_of(i) for i in range(lo, len(self.us)))

    def firsts(self) -> dict[int, int]:
        """Kind id -> the position of its first event, in order of first appearance."""
        if self._first is None:
            kind = self.kind
            present = dict.fromkeys(kind)
            if len(present) <= 64:  # a scan in C per kind
                self._first = {k: kind.index(k) for k in present}
            else:
                first: dict[int, int] = {}
                for i, k in enumerate(kind):
                    first.setdefault(k, i)
                self._first = first
        return self._first

    def where(self, flags: Sequence[bool]) -> list[int]:
        """Return the positions of the events whose kind's flag is true."""
        present = self.firsts()
        if all(flags[k] for k in present):
            return list(range(len(self.us)))
        if not any(flags[k] for k in present):
            return []
        return [i for i, k in enumerate(self.kind) if flags[k]]

    def substances(self) -> tuple[Substance, ...]:
        """Every substance, in order of first appearance."""
        kinds, doses = self.kinds, self.table.doses
        seen: dict[Substance, None] = {}
        for k in self.firsts():
            for substance in doses[kinds[k].dose].contents:
                seen.setdefault(substance)
        return tuple(seen)

    def take(self, positions: Sequence[int] | slice) -> TimelineIndex:
        """Return the index of the events at *positions* (a slice or increasing positions)."""
        if isinstance(positions, slice):
            events = None if self._events is None else self._events[positions]
            us = self.us[positions]
            kind = None if self._kind is None else self._kind[positions]
        else:
            events = None
            if self._events is not None:
                all_events = self._events
                events = tuple(all_events[i] for i in positions)
            us = array("q", [self.us[i] for i in positions])
            kind = None
            if self._kind is not None:
                kind_of = self._kind
                kind = array(kind_of.typecode, [kind_of[i] for i in positions])
        if kind is None:
            assert events is not None
            return TimelineIndex(
                us,
                None,
                kinds=(),
                table=DoseTable(),
                event_type=self._event_type,
                events=events,
            )
        return TimelineIndex(
            us,
            kind,
            kinds=self._kinds,
            table=self.table,
            event_type=self._event_type,
            events=events,
        )

    @property
    def event_type(self) -> type[DoseEvent]:
        """The class of the events built from this index."""
        return self._event_type

    @property
    def built(self) -> bool:
        """Whether every event exists already."""
        return self._events is not None

    def events(self) -> tuple[DoseEvent, ...]:
        """Return every event (built now if need be, reusing any built before)."""
        events = self._events
        if events is None:
            with _LOCK:
                events = self._events
                if events is None:
                    events = self._build_all()
                    self._events = events
                    self._built = None
        return events

    def events_at(self, positions: Iterable[int]) -> tuple[DoseEvent, ...]:
        """Return the events at *positions*, each built once (many at a time)."""
        if self._events is not None:
            events = self._events
            return tuple(events[p] for p in positions)
        out: list[DoseEvent] = []
        built = self._built
        for p in positions:
            found = built[p] if built is not None else None
            if found is None:
                found = self.event(p)
                built = self._built
            out.append(found)
        return tuple(out)

    def event(self, i: int) -> DoseEvent:
        """Return event *i* (>= 0), built once: the same object every time."""
        if self._events is not None:
            return self._events[i]
        built = self._built
        if built is not None:
            found = built[i]
            if found is not None:
                return found
        with _LOCK:
            built = self._built
            if built is None:
                empty: list[DoseEvent | None] = [None] * len(self.us)
                built = self._built = empty
            event = built[i]
            if event is None:
                event = built[i] = self._maker()(self.us[i], self.kinds[self.kind[i]])
            return event

    def _maker(self) -> Callable[[int, Kind], DoseEvent]:
        if self._make is None:
            self._make = self._new_maker()
        return self._make

    def _new_maker(self) -> Callable[[int, Kind], DoseEvent]:
        cls, doses = self._event_type, self.table.doses
        new = object.__new__
        slots = cls.__dict__
        set_at, set_dose = slots["at"].__set__, slots["dose"].__set__
        set_needed, set_note = slots["as_needed"].__set__, slots["note"].__set__

        def make(u: int, k: Kind) -> DoseEvent:
            at = k.zone.base + timedelta(0, 0, u)
            if k.zone.fold:
                at = at.replace(fold=1)
            event: DoseEvent = new(cls)
            set_at(event, at)
            set_dose(event, doses[k.dose])
            set_needed(event, k.as_needed)
            set_note(event, k.note)
            return event

        return make

    def _build_all(self) -> tuple[DoseEvent, ...]:
        built = self._built
        if built is None:
            make = self._maker()
            kinds = self.kinds
            return tuple(
                [make(u, kinds[k]) for u, k in zip(self.us, self.kind, strict=True)]
            )
        make, kinds = self._maker(), self.kinds
        return tuple(
            [
                e if e is not None else make(u, kinds[k])
                for e, u, k in zip(built, self.us, self.kind, strict=True)
            ]
        )
