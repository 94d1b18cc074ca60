"""Per-substance event series shared by the rules of one validation run.

A :class:`Context` holds a timeline, the day start and a cache: the events
involving a substance term, their instants (µs since the epoch, UTC), their
local day numbers and their amounts as exact integers in a common scale are
computed once and reused by every rule that asks.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Final

from . import _decimal
from ._dose import Dose
from ._timeline import DoseEvent, Timeline
from ._timezone import utc_us
from ._units import Unit

__all__ = ["Context", "Series", "local_day", "scaled", "unscaled"]

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
    be expressed in *unit*.
    """

    __slots__ = (
        "_by_day",
        "amounts",
        "days",
        "events",
        "mismatched",
        "scale",
        "times",
        "unit",
    )

    def __init__(
        self,
        *,
        events: list[DoseEvent],
        times: list[int],
        days: list[int],
        amounts: list[int],
        unit: Unit | None,
        scale: int,
        mismatched: list[DoseEvent],
    ) -> None:
        self.events = events
        self.times = times
        self.days = days
        self.amounts = amounts
        self.unit = unit
        self.scale = scale
        self.mismatched = mismatched
        self._by_day: dict[int, list[int]] | None = None

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


class Context:
    """A timeline being validated, with the caches rules share."""

    def __init__(self, timeline: Timeline, day_start: time = time(0)) -> None:
        self.timeline = timeline
        self.day_start = day_start
        self._shift_us = (
            day_start.hour * 3600 + day_start.minute * 60 + day_start.second
        ) * 1_000_000 + day_start.microsecond
        self._series: dict[tuple[str, Unit | None], Series] = {}
        self._day_of: dict[int, int] = {}

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
        """Return (and cache) the series of events involving *term*."""
        key = (term.strip().casefold(), unit)
        cached = self._series.get(key)
        if cached is not None:
            return cached
        events: list[DoseEvent] = []
        mismatched: list[DoseEvent] = []
        # Keyed by identity: events of one entry share one Dose object, so
        # each distinct dose is looked at once.
        per_dose: dict[int, tuple[bool, Decimal | None]] = {}
        keys: list[int] = []
        for event in self.timeline.events:
            dose = event.dose
            known = per_dose.get(id(dose))
            if known is None:
                involved = _involves(dose, key[0])
                value = _amount(dose, key[0], unit) if involved and unit else Decimal(0)
                known = per_dose[id(dose)] = (involved, value)
            if not known[0]:
                continue
            if known[1] is None:
                mismatched.append(event)
                continue
            events.append(event)
            keys.append(id(dose))
        scale = 0
        for involved, value in per_dose.values():
            if involved and value is not None:
                exponent = value.as_tuple().exponent
                assert isinstance(exponent, int)
                scale = max(scale, -exponent)
        as_ints = {
            k: scaled(v, scale)
            for k, (involved, v) in per_dose.items()
            if involved and v is not None
        }
        amounts = [as_ints[k] for k in keys] if unit else []
        result = Series(
            events=events,
            times=[e._us for e in events],
            days=[self.day_number(e) for e in events],
            amounts=amounts,
            unit=unit,
            scale=scale,
            mismatched=mismatched,
        )
        self._series[key] = result
        return result

    def day_to_date(self, number: int) -> date:
        """Turn a day number back into a date."""
        return date.fromordinal(number)


_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()


def _involves(dose: Dose, term: str) -> bool:
    return any(term in s._terms for s in dose.contents)


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
