"""Dose events in real time: :class:`DoseEvent` and :class:`Timeline`."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, overload

import attrs

from ._convert import to_aware, to_optional_date
from ._dose import Dose
from ._product import Product
from ._quantity import Quantity
from ._substance import Substance
from ._timeline_index import TimelineIndex
from ._timezone import utc_us
from ._validators import instance_of

__all__ = ["DoseEvent", "Timeline"]


def _aware(_inst: object, _attribute: object, value: datetime) -> None:
    to_aware(value, field="DoseEvent.at")


def _window_start(value: date | str | None) -> date | None:
    return to_optional_date(value, field="Timeline.start")


def _window_end(value: date | str | None) -> date | None:
    return to_optional_date(value, field="Timeline.end")


def _instant_key(value: datetime) -> tuple[int, str, object]:
    # Aware datetimes that share a tzinfo compare by wall time and ignore
    # fold; compare (and hash) by the instant and the zone instead.
    return (utc_us(value), str(value.tzinfo), value.utcoffset())


def _us(self: DoseEvent) -> int:
    return utc_us(self.at) if isinstance(self.at, datetime) and self.at.tzinfo else 0


@attrs.frozen
class DoseEvent:
    """One dose at one moment: *at* is an aware datetime (naive is rejected).

    *as_needed* marks a dose taken only when wanted; *note* is free text (a
    log's "felt nauseous"). Two events are equal when they are the same dose
    at the same instant in the same zone.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import Dose, Product, Substance
    >>> kratom = Substance("kratom")
    >>> dose = Dose(Product("Red Bali", contents={kratom: "1 g"}, per="1 g"), "2 g")
    >>> event = DoseEvent(datetime(2027, 1, 3, 20, 0, tzinfo=ZoneInfo("America/New_York")), dose)
    >>> event.contents[kratom], event.product.name
    (Quantity('2', 'g'), 'Red Bali')
    """

    at: datetime = attrs.field(validator=_aware, eq=_instant_key)
    dose: Dose = attrs.field(validator=instance_of(Dose))
    as_needed: bool = attrs.field(
        default=False, kw_only=True, validator=instance_of(bool)
    )
    note: str = attrs.field(default="", kw_only=True, validator=instance_of(str))
    _us: int = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_us, takes_self=True)
    )

    @property
    def product(self) -> Product:
        """The product taken."""
        return self.dose.product

    @property
    def amount(self) -> Quantity:
        """How much of the product was taken."""
        return self.dose.amount

    @property
    def contents(self) -> Mapping[Substance, Quantity]:
        """Substance → amount in this dose (computed once, shared with the dose)."""
        return self.dose.contents

    @property
    def local_date(self) -> date:
        """The calendar date of :attr:`at` in its own time zone."""
        return self.at.date()

    @property
    def timestamp_us(self) -> int:
        """Microseconds since the Unix epoch (UTC): the event's instant as an int."""
        return self._us

    def involves(self, term: str) -> bool:
        """Tell whether the dose contains a substance named, aliased or classed *term*."""
        return any(s.matches(term) for s in self.dose.contents)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            # Events a timeline builds from its index leave _us unset until asked.
            if name == "_us":
                us = utc_us(self.at)
                object.__setattr__(self, "_us", us)
                return us
            msg = f"{type(self).__name__!r} object has no attribute {name!r}"
            raise AttributeError(msg)


def _make_event(at: datetime, dose: Dose, as_needed: bool, us: int) -> DoseEvent:
    """Build an event from values already known to be valid (expansion's fast path)."""
    event = object.__new__(DoseEvent)
    set_ = object.__setattr__
    set_(event, "at", at)
    set_(event, "dose", dose)
    set_(event, "as_needed", as_needed)
    set_(event, "note", "")
    set_(event, "_us", us)
    return event


def _sort_key(event: DoseEvent) -> tuple[Any, ...]:
    """Return the timeline order's key: instant, then product name, amount and note."""
    return (event._us, event.dose.product.name, event.dose.amount_text, event.note)


def _events(value: Iterable[DoseEvent]) -> tuple[DoseEvent, ...]:
    items = tuple(value)
    labels: dict[int, tuple[str, str]] = {}  # per distinct dose, not per event
    for i, item in enumerate(items):
        if not isinstance(item, DoseEvent):
            msg = f"Timeline events[{i}] must be a DoseEvent (got {item!r})"
            raise TypeError(msg)
        dose = item.dose
        if id(dose) not in labels:
            labels[id(dose)] = (dose.product.name, dose.amount_text)
    return tuple(sorted(items, key=lambda e: (e._us, *labels[id(e.dose)], e.note)))


class _Indexed:
    """Where a :class:`Timeline` keeps its index (a slot outside its attrs fields)."""

    __slots__ = ("_idx",)
    _idx: TimelineIndex


def _peek(slot: MemberDescriptorType, owner: object) -> Any:
    """Return what *slot* of *owner* holds, or None when it is not set yet."""
    try:
        return slot.__get__(owner)
    except AttributeError:
        return None


@attrs.frozen
class Timeline(_Indexed, Sequence[DoseEvent]):
    r"""A sorted, immutable sequence of :class:`DoseEvent`\\ s.

    ``Timeline(events)`` sorts what it is given (by instant, then product),
    so it is also how a log of what was actually taken is built. Indexing
    gives events; slicing gives a timeline. *start* and *end* (dates, both
    inclusive) say which days the timeline covers, so that days without
    events count as free days; they default to the earliest and latest of
    the events' own dates; they may be given as ISO text (``start="2027-01-01"``) and must
    lie within 0002-01-01 .. 9998-12-31. :meth:`Plan.timeline` sets them to
    the expanded window (whose sessions may spill past *end*: an event
    belongs to the day its session is scheduled on).

    >>> from datetime import datetime, timedelta, timezone
    >>> from regimen import Dose, Product, Substance
    >>> kefir = Product("kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
    >>> t0 = datetime(2027, 1, 1, 8, tzinfo=timezone.utc)
    >>> log = Timeline([DoseEvent(t0 + timedelta(hours=5), Dose(kefir, "4 fl oz")),
    ...                 DoseEvent(t0, Dose(kefir, "6 fl oz"), note="with breakfast")])
    >>> [str(e.amount) for e in log]
    ['6 fl oz', '4 fl oz']
    """

    events: tuple[DoseEvent, ...] = attrs.field(default=(), converter=_events)
    start: date | None = attrs.field(
        default=None, kw_only=True, converter=_window_start
    )
    end: date | None = attrs.field(default=None, kw_only=True, converter=_window_end)

    @end.validator
    def _check_end(self, _attribute: object, value: date | None) -> None:
        if value is not None and self.start is not None and value < self.start:
            msg = f"Timeline.end ({value}) is before Timeline.start ({self.start})"
            raise ValueError(msg)

    @classmethod
    def _sorted(
        cls,
        events: tuple[DoseEvent, ...],
        start: date | None = None,
        end: date | None = None,
    ) -> Timeline:
        """Wrap events already sorted by :func:`_sort_key` without re-checking."""
        timeline = object.__new__(cls)
        object.__setattr__(timeline, "events", events)
        object.__setattr__(timeline, "start", start)
        object.__setattr__(timeline, "end", end)
        return timeline

    @classmethod
    def _from_index(
        cls, index: TimelineIndex, start: date | None = None, end: date | None = None
    ) -> Timeline:
        """Wrap an index (events are built from it when first asked for)."""
        timeline = object.__new__(cls)
        object.__setattr__(timeline, "_idx", index)
        object.__setattr__(timeline, "start", start)
        object.__setattr__(timeline, "end", end)
        if index.built:
            object.__setattr__(timeline, "events", index.events())
        return timeline

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            # Exactly one of events and _idx may be unset: build it from the other.
            if name == "events":
                index = _peek(_IDX, self)
                if index is not None:
                    events = index.events()
                    object.__setattr__(self, "events", events)
                    return events
            elif name == "_idx":
                events = _peek(_EVENTS, self)
                if events is not None:
                    index = TimelineIndex.of_events(events, DoseEvent)
                    object.__setattr__(self, "_idx", index)
                    return index
            msg = f"{type(self).__name__!r} object has no attribute {name!r}"
            raise AttributeError(msg)

    @property
    def first_day(self) -> date | None:
        """The first day the timeline covers: *start*, else its earliest event's own date."""
        if self.start is not None:
            return self.start
        if not len(self):
            return None
        return date.fromordinal(self._idx.first_date_ordinal())

    @property
    def last_day(self) -> date | None:
        """The last day the timeline covers: *end*, else its last event's date."""
        if self.end is not None:
            return self.end
        if not len(self):
            return None
        if _peek(_IDX, self) is None:
            return max(e.at.date() for e in self.events)
        return date.fromordinal(self._idx.last_date_ordinal())

    def __len__(self) -> int:
        events = _peek(_EVENTS, self)
        return len(events) if events is not None else len(self._idx)

    def __iter__(self) -> Iterator[DoseEvent]:
        return iter(self.events)

    @overload
    def __getitem__(self, index: int) -> DoseEvent: ...

    @overload
    def __getitem__(self, index: slice) -> Timeline: ...

    def __getitem__(self, index: int | slice) -> DoseEvent | Timeline:
        events = _peek(_EVENTS, self)
        if isinstance(index, slice):
            step = index.step
            if step is not None and step < 0:
                msg = "a Timeline stays sorted; slice it with a positive step"
                raise ValueError(msg)
            if events is not None and _peek(_IDX, self) is None:
                return Timeline._sorted(events[index])
            return Timeline._from_index(self._idx.take(index))
        if events is not None:
            found: DoseEvent = events[index]
            return found
        n = len(self._idx)
        position = operator.index(index)
        if not -n <= position < n:
            msg = "Timeline index out of range"
            raise IndexError(msg)
        return self._idx.event(position % n)

    def __add__(self, other: Timeline) -> Timeline:
        if not isinstance(other, Timeline):
            return NotImplemented
        return Timeline(self.events + other.events)

    def between(self, start: datetime, end: datetime) -> Timeline:
        """Return the events with ``start <= at < end`` (both aware datetimes).

        A naive datetime, or a moment outside the supported range, raises
        ``ValueError`` naming the argument.
        """
        to_aware(start, field="Timeline.between() start", check_range=True)
        to_aware(end, field="Timeline.between() end", check_range=True)
        index = self._idx
        lo = bisect.bisect_left(index.us, utc_us(start))
        hi = bisect.bisect_left(index.us, utc_us(end))
        return Timeline._from_index(index.take(slice(lo, hi)))

    def of(self, term: str) -> Timeline:
        """Return the events whose dose contains a substance matching *term*.

        *term* is a substance's name, alias or class, case-insensitively.
        """
        if not len(self):
            return Timeline._sorted((), self.start, self.end)
        index = self._idx
        kinds = index.kinds  # first: the table is filled with the kinds
        involves = index.table.involves(term.strip().casefold())
        flags = [involves[k.dose] for k in kinds]
        return Timeline._from_index(
            index.take(index.where(flags)), self.start, self.end
        )

    def on(self, day: date) -> Timeline:
        """Return the events on calendar *day* in their own time zones."""
        # Anything but a date (a datetime, say) equals no event's date: scan as before.
        if type(day) is not date or not len(self):
            return Timeline._sorted(tuple(e for e in self.events if e.at.date() == day))
        return self._dates(day.toordinal(), day.toordinal(), None, None)

    def _dates(
        self, first: int, last: int, start: date | None, end: date | None
    ) -> Timeline:
        """Return the events whose own local dates are ordinals *first* to *last*."""
        index = self._idx
        return Timeline._from_index(index.take(index.on_days(first, last)), start, end)

    def _within(self, first: date | None, last: date | None) -> Timeline:
        """Return the events with ``first <= at.date() <= last`` (None: no bound), covering those days.

        What :func:`regimen._validate.window` does for a timeline, without a
        scan of every event.
        """
        lo = first if first is not None else self.first_day
        hi = last if last is not None else self.last_day
        if not len(self):
            return Timeline._sorted((), lo, hi)
        a = first.toordinal() if first is not None else 1
        b = last.toordinal() if last is not None else date.max.toordinal()
        return self._dates(a, b, lo, hi)

    def without_as_needed(self) -> Timeline:
        """Return the events that are not as-needed."""
        if not len(self):
            return Timeline._sorted((), self.start, self.end)
        index = self._idx
        key = ("without_as_needed", self.start, self.end)
        found: Timeline | None = index.cache.get(key)
        if found is None:
            flags = [not k.as_needed for k in index.kinds]
            found = Timeline._from_index(
                index.take(index.where(flags)), self.start, self.end
            )
            index.cache[key] = found
        return found

    @property
    def substances(self) -> tuple[Substance, ...]:
        """Every substance in the timeline, in order of first appearance."""
        if not len(self):
            return ()
        return self._idx.substances()

    @property
    def _any_as_needed(self) -> bool:
        """Whether any event is as-needed (without building the events)."""
        if not len(self):
            return False
        index = self._idx
        return any(index.kinds[k].as_needed for k in index.firsts())

    def _first_of_kinds(self) -> list[DoseEvent]:
        """Return the first event of each kind (dose, as-needed, note, UTC offset), in timeline order.

        Enough to find, say, each product's first event without building
        (or scanning) every event.
        """
        if not len(self):
            return []
        index = self._idx
        return [index.event(i) for i in index.firsts().values()]


_EVENTS: MemberDescriptorType = Timeline.__dict__["events"]
_IDX: MemberDescriptorType = _Indexed.__dict__["_idx"]
