"""Dose events in real time: :class:`DoseEvent` and :class:`Timeline`."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, overload

import attrs

from ._convert import to_aware, to_optional_date
from ._dose import Dose
from ._product import Product
from ._quantity import Quantity
from ._substance import Substance
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
    return (event._us, event.dose.product.name, str(event.dose.amount), event.note)


def _events(value: Iterable[DoseEvent]) -> tuple[DoseEvent, ...]:
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, DoseEvent):
            msg = f"Timeline events[{i}] must be a DoseEvent (got {item!r})"
            raise TypeError(msg)
    return tuple(sorted(items, key=_sort_key))


def _keys(self: Timeline) -> tuple[int, ...]:
    return tuple(e._us for e in self.events)


@attrs.frozen
class Timeline(Sequence[DoseEvent]):
    r"""A sorted, immutable sequence of :class:`DoseEvent`\\ s.

    ``Timeline(events)`` sorts what it is given (by instant, then product),
    so it is also how a log of what was actually taken is built. Indexing
    gives events; slicing gives a timeline. *start* and *end* (dates, both
    inclusive) say which days the timeline covers, so that days without
    events count as free days; they default to the first and last event's
    dates; they may be given as ISO text (``start="2027-01-01"``) and must
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
    _keys: tuple[int, ...] = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_keys, takes_self=True)
    )

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
        object.__setattr__(timeline, "_keys", tuple(e._us for e in events))
        return timeline

    @property
    def first_day(self) -> date | None:
        """The first day the timeline covers: *start*, else its first event's date."""
        if self.start is not None:
            return self.start
        return self.events[0].at.date() if self.events else None

    @property
    def last_day(self) -> date | None:
        """The last day the timeline covers: *end*, else its last event's date."""
        if self.end is not None:
            return self.end
        return max(e.at.date() for e in self.events) if self.events else None

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[DoseEvent]:
        return iter(self.events)

    @overload
    def __getitem__(self, index: int) -> DoseEvent: ...

    @overload
    def __getitem__(self, index: slice) -> Timeline: ...

    def __getitem__(self, index: int | slice) -> DoseEvent | Timeline:
        if isinstance(index, slice):
            step = index.step
            if step is not None and step < 0:
                msg = "a Timeline stays sorted; slice it with a positive step"
                raise ValueError(msg)
            return Timeline._sorted(self.events[index])
        return self.events[index]

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
        lo = bisect.bisect_left(self._keys, utc_us(start))
        hi = bisect.bisect_left(self._keys, utc_us(end))
        return Timeline._sorted(self.events[lo:hi])

    def of(self, term: str) -> Timeline:
        """Return the events whose dose contains a substance matching *term*.

        *term* is a substance's name, alias or class, case-insensitively.
        """
        return Timeline._sorted(
            tuple(e for e in self.events if e.involves(term)), self.start, self.end
        )

    def on(self, day: date) -> Timeline:
        """Return the events on calendar *day* in their own time zones."""
        return Timeline._sorted(tuple(e for e in self.events if e.at.date() == day))

    def without_as_needed(self) -> Timeline:
        """Return the events that are not as-needed."""
        return Timeline._sorted(
            tuple(e for e in self.events if not e.as_needed), self.start, self.end
        )

    @property
    def substances(self) -> tuple[Substance, ...]:
        """Every substance in the timeline, in order of first appearance."""
        doses = {id(e.dose): e.dose for e in self.events}  # few distinct doses
        seen: dict[Substance, None] = {}
        for dose in doses.values():
            for substance in dose.contents:
                seen.setdefault(substance)
        return tuple(seen)
