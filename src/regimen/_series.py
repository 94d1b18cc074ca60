"""Per-substance event series shared by the rules of one validation run.

A :class:`Context` holds a timeline and the day start: the events involving
a substance term, their instants (µs since the epoch, UTC), their local day
numbers and their amounts as exact integers in a common scale are computed
once, from the timeline's index (:mod:`regimen._timeline_index`), and cached
there, so every rule, and every later validation of the same timeline,
reuses them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, overload

from . import _decimal
from ._dose import Dose
from ._timeline import DoseEvent, Timeline
from ._timezone import utc_us
from ._units import Unit
from ._windows_np import MIN_EVENTS, kind_ids, numpy_or_none

if TYPE_CHECKING:
    from ._timeline_index import TimelineIndex

__all__ = [
    "Context",
    "Series",
    "as_list",
    "local_day",
    "pick",
    "places",
    "scaled",
    "unscaled",
]

_DAY_US: Final = 86_400_000_000
_US: Final = timedelta(microseconds=1)


def scaled(value: Decimal, scale: int) -> int:
    """Return the finite *value* times ``10 ** scale`` as an int, exactly.

    *scale* must be at least the number of *value*'s fractional digits. No
    decimal context is involved, so no total is ever rounded or trapped,
    however many digits it has.

    >>> scaled(Decimal("2.5"), 3)
    2500
    """
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    shift: int = exponent + scale
    assert shift >= 0, f"scale {scale} is too small for {value}"
    n = int("".join(map(str, digits)) or "0") * int(10**shift)
    return -n if sign else n


def places(value: Decimal) -> int:
    """Return the number of fractional digits of the finite *value* (0 for a whole one).

    >>> places(Decimal("2.50")), places(Decimal("3")), places(Decimal("1E+3"))
    (2, 0, 0)
    """
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def unscaled(number: int, scale: int) -> Decimal:
    """Return ``number / 10 ** scale`` as an exact Decimal (the inverse of :func:`scaled`).

    >>> unscaled(2500, 3)
    Decimal('2.500')
    """
    digits = tuple(int(c) for c in str(abs(number)))
    return Decimal((1 if number < 0 else 0, digits, -scale))


def local_day(at: datetime, day_start: time) -> date:
    """Return the calendar day *at* counts for, when days begin at *day_start*."""
    shift = timedelta(
        hours=day_start.hour,
        minutes=day_start.minute,
        seconds=day_start.second,
        microseconds=day_start.microsecond,
    )
    return (at.replace(tzinfo=None) - shift).date()


class Series:
    """The events involving one substance term, with what rules need of them.

    Events are in time order; their local *days* need not be (events in
    several time zones), so :attr:`by_day` maps each day to its events'
    indices (built on first use). *amounts* are exact integers: the events'
    matching contents in *unit* times ``10 ** scale`` (empty when no unit
    was asked for). *mismatched* lists the events whose contents could not
    be expressed in *unit*. *positions* are the events' places in the
    timeline. A series made by :meth:`Context.series` is cached on the
    timeline and shared: read it, never change its lists.
    """

    __slots__ = (
        "_by_day",
        "_events",
        "_mismatched",
        "amounts",
        "cache",
        "days",
        "positions",
        "scale",
        "times",
        "unit",
    )

    def __init__(
        self,
        *,
        events: Sequence[DoseEvent],
        times: Sequence[int],
        days: Sequence[int],
        amounts: list[int],
        unit: Unit | None,
        scale: int,
        mismatched: Sequence[DoseEvent],
        positions: Sequence[int] = (),
    ) -> None:
        self._events = events
        self.times = times
        self.days = days
        self.amounts = amounts
        self.unit = unit
        self.scale = scale
        self._mismatched = mismatched
        self.positions = positions
        self._by_day: dict[int, list[int]] | None = None
        #: What sweeps keep of this series between runs (numpy arrays).
        self.cache: dict[str, Any] = {}

    @property
    def events(self) -> Sequence[DoseEvent]:
        """The events, in time order (each built when first read)."""
        return self._events

    @property
    def mismatched(self) -> Sequence[DoseEvent]:
        """The events whose matching contents do not convert to :attr:`unit`."""
        return self._mismatched

    @property
    def by_day(self) -> dict[int, list[int]]:
        """Day number -> indices of that day's events, in time order."""
        if self._by_day is None:
            by_day: dict[int, list[int]] = {}
            for i, day in enumerate(self.days):
                by_day.setdefault(day, []).append(i)
            self._by_day = by_day
        return self._by_day

    def indices_between(self, first_day: int, last_day: int) -> list[int]:
        """Return the indices of the events on local days *first_day* to *last_day*, in time order."""
        out: list[int] = []
        by_day = self.by_day
        for day in range(first_day, last_day + 1):
            out.extend(by_day.get(day, ()))
        return sorted(out)


def as_list(values: Sequence[int]) -> list[int]:
    """Return *values* as a list (itself if it is one): a sweep reading each of them.

    A series of every event holds the index's arrays, whose items are made
    into ints on each read; a loop reading each once or more is faster on a
    list.
    """
    return values if isinstance(values, list) else list(values)


def pick(events: Sequence[DoseEvent], ks: Iterable[int]) -> tuple[DoseEvent, ...]:
    """Return ``tuple(events[k] for k in ks)``, quickly for a series' lazy events."""
    if isinstance(events, _Events):
        return events.pick(ks)
    return tuple(events[k] for k in ks)


class _Events(Sequence[DoseEvent]):
    """The events at some positions of an index, each built when first read."""

    __slots__ = ("_index", "_positions")

    def __init__(self, index: TimelineIndex, positions: Sequence[int]) -> None:
        self._index = index
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, i: int) -> DoseEvent: ...

    @overload
    def __getitem__(self, i: slice) -> list[DoseEvent]: ...

    def __getitem__(self, i: int | slice) -> DoseEvent | list[DoseEvent]:
        if isinstance(i, slice):
            return [self._index.event(p) for p in self._positions[i]]
        p = self._positions[i]
        return self._index.event(p)

    def pick(self, ks: Iterable[int]) -> tuple[DoseEvent, ...]:
        """Return the events at places *ks* of this sequence, as a tuple."""
        positions = self._positions
        return self._index.events_at(positions[k] for k in ks)

    def __iter__(self) -> Iterator[DoseEvent]:
        index = self._index
        if index.built:
            events = index.events()
            return (events[p] for p in self._positions)
        return (index.event(p) for p in self._positions)


class Context:
    """A timeline being validated, with the caches rules share.

    Series and day numbers are cached on the timeline's index, so a second
    context on the same timeline (a second validation) reuses them.
    """

    def __init__(self, timeline: Timeline, day_start: time = time(0)) -> None:
        self.timeline = timeline
        self.day_start = day_start
        self._shift_us = (
            day_start.hour * 3600 + day_start.minute * 60 + day_start.second
        ) * 1_000_000 + day_start.microsecond

    @property
    def index(self) -> TimelineIndex:
        """The timeline's index (built on first use, then kept by the timeline)."""
        return self.timeline._idx

    @property
    def days(self) -> Sequence[int]:
        """Every event's local day number, in timeline order (shared: do not change it)."""
        return self.index.days(self._shift_us)

    def day_number(self, event: DoseEvent) -> int:
        """Return the local day (a proleptic ordinal) *event* counts for."""
        return self.day_of(event.at, event._us)

    def day_of(self, at: datetime, us: int | None = None) -> int:
        """Return the local day (a proleptic ordinal) the aware *at* counts for.

        *us* is *at* in microseconds since the epoch, when already known.
        """
        offset = at.utcoffset()
        assert offset is not None
        instant = utc_us(at) if us is None else us
        return (instant + offset // _US - self._shift_us) // _DAY_US + _EPOCH_ORDINAL

    def series(self, term: str, unit: Unit | None = None) -> Series:
        """Return (and cache, on the timeline) the series of events involving *term*."""
        folded = term.strip().casefold()
        index = self.index
        key = ("series", folded, unit, self._shift_us)
        cached: Series | None = index.cache.get(key)
        if cached is None:
            cached = index.cache[key] = _series(index, folded, unit, self._shift_us)
        return cached

    def product_names(self, positions: Iterable[int]) -> list[str]:
        """Return the product name of the events at *positions*, without building them."""
        index = self.index
        doses = index.table.doses
        names = [doses[k.dose].product.name for k in index.kinds]
        kind = index.kind
        return [names[kind[p]] for p in positions]

    def day_to_date(self, number: int) -> date:
        """Turn a day number back into a date."""
        return date.fromordinal(number)


def _series(index: TimelineIndex, term: str, unit: Unit | None, shift: int) -> Series:
    """Build the series of *term* from the index: facts per dose, then one pass of positions."""
    if not len(index):
        return Series(
            events=[], times=[], days=[], amounts=[], unit=unit, scale=0, mismatched=[]
        )
    kinds = index.kinds  # first: the table is filled with the kinds
    table = index.table
    involves = table.involves(term)
    values: list[Decimal | None] = [None] * len(table.doses)
    if unit is not None:
        values = table.facts.get(("amount", term, unit)) or []
        if len(values) < len(table.doses):
            values = [
                _amount(d, term, unit) if hit else None
                for d, hit in zip(table.doses, involves, strict=True)
            ]
            table.facts["amount", term, unit] = values
    present = index.firsts()
    # The scale of the doses this timeline has, as before (not of the whole table).
    scale = 0
    for k in present:
        value = values[kinds[k].dose]
        if involves[kinds[k].dose] and value is not None:
            scale = max(scale, places(value))
    counted = [
        involves[k.dose] and (unit is None or values[k.dose] is not None) for k in kinds
    ]
    odd = [involves[k.dose] and not c for k, c in zip(kinds, counted, strict=True)]
    positions, times, days = _columns(index, counted, shift)
    missed = index.where(odd) if any(odd[k] for k in present) else []
    kind = index.kind
    amounts: list[int] = []
    if unit is not None:
        per_kind = [0] * len(kinds)
        for k in present:  # kinds of a shared table that this timeline lacks stay 0
            value = values[kinds[k].dose]
            if counted[k] and value is not None:
                per_kind[k] = scaled(value, scale)
        amounts = [per_kind[kind[i]] for i in positions]
    return Series(
        events=_Events(index, positions),
        times=times,
        days=days,
        amounts=amounts,
        unit=unit,
        scale=scale,
        mismatched=_Events(index, missed),
        positions=positions,
    )


def _columns(
    index: TimelineIndex, counted: list[bool], shift: int
) -> tuple[Sequence[int], Sequence[int], Sequence[int]]:
    """Return the positions, instants and local days of the events of the *counted* kinds.

    Cached on the index by the kinds counted: the series of one substance
    in two units (an amount limit in g, an onset check in none) share
    them, and a series of every event has a range for its positions.
    """
    key = ("columns", tuple(counted), shift)
    found: tuple[Sequence[int], Sequence[int], Sequence[int]] | None = index.cache.get(
        key
    )
    if found is None:
        us, all_days = index.us, index.days(shift)
        if all(counted[k] for k in index.firsts()):  # every event (one substance, say)
            # The index's own arrays: no int object per event.
            found = (range(len(us)), us, all_days)
        elif (np := numpy_or_none() if len(us) >= MIN_EVENTS else None) is not None:
            # 8-byte arrays, picked on numpy: no int object per event.
            ids = kind_ids(np, index.kind)
            where = np.flatnonzero(np.array(counted, dtype=bool)[ids])
            found = (
                array("q", where.astype(np.int64).tobytes()),
                array("q", np.frombuffer(us, dtype=np.int64)[where].tobytes()),
                array("q", np.frombuffer(all_days, dtype=np.int64)[where].tobytes()),
            )
        else:
            positions = index.where(counted)
            found = (
                positions,
                [us[i] for i in positions],
                [all_days[i] for i in positions],
            )
        index.cache[key] = found
    return found


_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()


def _amount(dose: Dose, term: str, unit: Unit) -> Decimal | None:
    """Sum *dose*'s contents matching *term* in *unit*, exactly (``None``: no conversion).

    Each content is converted the way :meth:`Quantity.to` does (exact when
    the result terminates, else 28 digits), then summed as fractions, so no
    decimal context limits the digits of the total.
    """
    total = Fraction(0)
    for substance, quantity in dose.contents.items():
        if term not in substance._terms:
            continue
        if not quantity.unit.converts_to(unit):
            return None
        if quantity.unit is unit:
            total += Fraction(quantity.amount)
        else:
            ratio = Fraction(quantity.unit.factor) / Fraction(unit.factor)
            total += Fraction(_decimal.from_fraction(Fraction(quantity.amount) * ratio))
    return _exact(total)


def _exact(value: Fraction) -> Decimal:
    """Return a terminating fraction as an exact Decimal, with no context."""
    num, den = value.numerator, value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    assert den == 1
    scale = max(twos, fives)
    return unscaled(num * 10**scale // value.denominator, scale)
