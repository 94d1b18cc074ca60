"""Builders that return ordinary entries: :func:`ramp`, :func:`rotate`, :func:`top_ups`."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from . import _decimal
from ._dose import Dose
from ._format import parse_duration
from ._plan import Entry, parse_date
from ._product import Product
from ._quantity import Quantity
from ._schedule import Schedule

__all__ = ["ramp", "rotate", "top_ups"]

_MAX_STEPS: Final = 10_000


def _quantity(value: Quantity | str, field: str) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, str):
        return Quantity.parse(value)
    msg = f"{field} must be a Quantity or text like '2 g' (got {value!r})"
    raise TypeError(msg)


def _whole_days(every: timedelta | str, field: str) -> int:
    if isinstance(every, str):
        every = parse_duration(every, field=field)
    if not isinstance(every, timedelta):
        msg = f"{field} must be a timedelta of whole days or text like '7 d' (got {every!r})"
        raise TypeError(msg)
    if every < timedelta(days=1) or every % timedelta(days=1):
        msg = f"{field} must be a whole number of days, at least one (got {every})"
        raise ValueError(msg)
    return every.days


def _in_unit(q: Quantity, unit_of: Quantity, field: str) -> Decimal:
    if not q.unit.converts_to(unit_of.unit):
        msg = f"{field} ({q}) must be in a unit that converts to {unit_of.unit.value}"
        raise ValueError(msg)
    return q.to(unit_of.unit).amount


def _round(value: Decimal, resolution: Decimal) -> Decimal:
    steps = _decimal.DIV.divide(value, resolution).quantize(
        Decimal(1), rounding=decimal.ROUND_HALF_EVEN, context=_decimal.DIV
    )
    return _decimal.trim(_decimal.EXACT.multiply(steps, resolution))


def ramp_amounts(
    start: Decimal,
    until: Decimal,
    *,
    step: Decimal | None,
    factor: Decimal | None,
    resolution: Decimal | None,
) -> list[Decimal]:
    """Return the amounts of a ramp from *start* to *until* (see :func:`ramp`)."""
    up = until > start
    amounts = [start]
    current = start
    while current != until:
        if len(amounts) > _MAX_STEPS:
            msg = f"the ramp needs more than {_MAX_STEPS} steps; take larger steps"
            raise ValueError(msg)
        if step is not None:
            nxt = current + step if up else current - step
        else:
            assert factor is not None
            nxt = _decimal.DIV.multiply(current, factor)
        if resolution is not None:
            nxt = _round(nxt, resolution)
            if nxt == current:  # rounding stalled: move one resolution step
                nxt = current + resolution if up else current - resolution
        if (up and nxt >= until) or (not up and nxt <= until):
            nxt = until
        current = _decimal.trim(nxt)
        amounts.append(current)
    return amounts


def ramp(
    product: Product,
    *,
    start: Quantity | str,
    until: Quantity | str,
    step: Quantity | str | None = None,
    factor: Decimal | int | str | float | None = None,
    every: timedelta | str,
    schedule: Schedule,
    first_day: date | str,
    resolution: Quantity | str | None = None,
    hold_until: date | str | None = None,
    last_day: date | str | None = None,
) -> tuple[Entry, ...]:
    """Titrate up or taper down from *start* to *until*, one amount per *every* days.

    Give exactly one of *step* (a fixed amount added or taken away) or
    *factor* (each amount is the previous one times *factor*: ``0.9`` tapers
    by 10 %). Each amount is rounded to a multiple of *resolution* (what a
    scale can measure); when rounding would repeat an amount, the ramp moves
    one *resolution* on, so it always ends. No amount passes *until*. The
    last entry (at *until*) is open-ended; a taper to zero ends with the last
    amount above zero. *every* is a whole number of days; amounts are in the
    unit of *start*. Durations may be given as text (``every="7 d"``) and
    dates as ISO text, as in a plan file.

    A ramp is one phase of a plan: the first amount starts on *first_day*;
    *hold_until* (a date, inclusive) keeps the final amount until then
    instead of open-ended (it must not be before the day the final amount
    begins); *last_day* (inclusive, as for :func:`rotate`) bounds the
    entries: none starts after it and the one running on it ends there.
    The next phase then starts the day after.

    >>> from regimen import Product, Schedule, Substance
    >>> powder = Product("Green Malay", contents={Substance("kratom"): "1 g"}, per="1 g")
    >>> taper = ramp(powder, start="4 g", until="0 g", factor="0.75", resolution="0.25 g",
    ...              every=timedelta(days=7), schedule=Schedule.daily("09:00"),
    ...              first_day=date(2027, 1, 4))
    >>> [str(e.dose.amount) for e in taper]
    ['4 g', '3 g', '2.25 g', '1.75 g', '1.25 g', '1 g', '0.75 g', '0.5 g', '0.25 g']
    >>> taper[1].start, taper[1].end
    (datetime.date(2027, 1, 11), datetime.date(2027, 1, 17))

    Two weeks up by 0.5 g a week, holding 2 g until the end of February:

    >>> up = ramp(powder, start="1.5 g", until="2 g", step="0.5 g", every="7 d",
    ...           schedule=Schedule.daily("09:00"), first_day="2027-02-01",
    ...           hold_until="2027-02-28")
    >>> [(str(e.dose.amount), str(e.start), str(e.end)) for e in up]
    [('1.5 g', '2027-02-01', '2027-02-07'), ('2 g', '2027-02-08', '2027-02-28')]
    """
    q_start = _quantity(start, "ramp() start")
    q_until = _quantity(until, "ramp() until")
    days = _whole_days(every, "ramp() every")
    first = parse_date(first_day, field="ramp() first_day")
    hold = (
        None
        if hold_until is None
        else parse_date(hold_until, field="ramp() hold_until")
    )
    last = _last_day(last_day, first, "ramp()")
    if (step is None) == (factor is None):
        msg = "ramp() needs exactly one of step (an amount) or factor (a ratio)"
        raise ValueError(msg)
    a_start = q_start.amount
    a_until = _in_unit(q_until, q_start, "ramp() until")
    if a_start <= 0 or a_until < 0:
        msg = f"ramp() start must be above zero and until zero or more (got {q_start}, {q_until})"
        raise ValueError(msg)
    a_step = a_factor = a_resolution = None
    if resolution is not None:
        a_resolution = _in_unit(
            _quantity(resolution, "ramp() resolution"), q_start, "ramp() resolution"
        )
        if a_resolution <= 0:
            msg = f"ramp() resolution must be above zero (got {resolution})"
            raise ValueError(msg)
    if step is not None:
        a_step = _in_unit(_quantity(step, "ramp() step"), q_start, "ramp() step")
        if a_step <= 0:
            msg = f"ramp() step must be above zero; the direction comes from start and until (got {step})"
            raise ValueError(msg)
    else:
        a_factor = _decimal.to_decimal(factor, field="ramp() factor")
        up = a_until > a_start
        if a_factor <= 0 or a_factor == 1 or (a_factor > 1) != up:
            want = "above 1 to go up" if up else "between 0 and 1 to go down"
            msg = f"ramp() factor must be {want} from {q_start} to {q_until} (got {factor})"
            raise ValueError(msg)
        if a_until == 0 and a_resolution is None:
            msg = (
                "ramp() with a factor down to zero needs a resolution, or it never ends"
            )
            raise ValueError(msg)
    amounts = ramp_amounts(
        a_start, a_until, step=a_step, factor=a_factor, resolution=a_resolution
    )
    if amounts[-1] == 0:
        amounts.pop()
    final = first + timedelta(days=(len(amounts) - 1) * days)
    if hold is not None and hold < final:
        msg = (
            f"ramp() hold_until ({hold}) is before the final amount begins "
            f"({final}, {_decimal.brief(amounts[-1])} {q_start.unit.value}); give a "
            "later date, or last_day to cut the ramp short"
        )
        raise ValueError(msg)
    entries = []
    for i, amount in enumerate(amounts):
        begin = first + timedelta(days=i * days)
        if last is not None and begin > last:
            break
        is_last = i == len(amounts) - 1
        end: date | None = begin + timedelta(days=days - 1)
        if is_last and hold is not None:
            end = hold
        elif is_last and amount == a_until:
            end = None
        if last is not None and (end is None or end > last):
            end = last
        dose = Dose(product, Quantity(amount, q_start.unit))
        entries.append(Entry(dose, schedule, start=begin, end=end))
    return tuple(entries)


def _last_day(value: date | str | None, first: date, name: str) -> date | None:
    """Read a builder's *last_day* (inclusive), which must not be before *first*."""
    if value is None:
        return None
    last = parse_date(value, field=f"{name} last_day")
    if last < first:
        msg = f"{name} last_day ({last}) is before first_day ({first})"
        raise ValueError(msg)
    return last


def rotate(
    products: Sequence[Product],
    *,
    amount: Quantity | str,
    schedule: Schedule,
    every: timedelta | str,
    first_day: date | str,
    last_day: date | str,
) -> tuple[Entry, ...]:
    """Cycle through *products* (strains), switching every *every* days.

    Block *k* (days ``first_day + k*every`` onwards) uses
    ``products[k % len(products)]``; the last block ends on *last_day*.

    >>> from regimen import Product, Schedule, Substance
    >>> k = Substance("kratom")
    >>> strains = [Product(n, contents={k: "1 g"}, per="1 g") for n in ("white", "green", "red")]
    >>> plan = rotate(strains, amount="2 g", schedule=Schedule.daily("09:00"),
    ...               every=timedelta(days=3), first_day="2027-01-01", last_day="2027-01-10")
    >>> [(e.dose.product.name, e.start.day, e.end.day) for e in plan]
    [('white', 1, 3), ('green', 4, 6), ('red', 7, 9), ('white', 10, 10)]
    """
    items = tuple(products)
    if not items or not all(isinstance(p, Product) for p in items):
        msg = f"rotate() needs at least one Product (got {products!r})"
        raise ValueError(msg)
    days = _whole_days(every, "rotate() every")
    first = parse_date(first_day, field="rotate() first_day")
    last = _last_day(last_day, first, "rotate()")
    assert last is not None
    q = _quantity(amount, "rotate() amount")
    doses = [Dose(p, q) for p in items]
    entries = []
    begin, k = first, 0
    while begin <= last:
        end = min(last, begin + timedelta(days=days - 1))
        entries.append(Entry(doses[k % len(doses)], schedule, start=begin, end=end))
        begin, k = end + timedelta(days=1), k + 1
    return tuple(entries)


def top_ups(
    product: Product,
    *,
    first: Quantity | str,
    step: Quantity | str,
    every: timedelta | str,
    up_to: Quantity | str,
    schedule: Schedule,
    first_day: date | str | None = None,
    last_day: date | str | None = None,
) -> tuple[Entry, ...]:
    """Build a "start low, add a little" session at each of *schedule*'s times.

    The first dose (*first*) is planned; then a top-up of *step* every
    *every* (elapsed time), each ``as_needed``, for as long as the session's
    total stays within *up_to*. The total never passes *up_to*. With
    *first_day* and *last_day* (dates, inclusive) the sessions are one
    phase of a plan: every entry starts and ends on those days (a session
    that starts on *last_day* still has its top-ups after midnight).

    >>> from regimen import Product, Schedule, Substance
    >>> powder = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g")
    >>> session = top_ups(powder, first="1.5 g", step="0.5 g", every=timedelta(minutes=45),
    ...                   up_to="3 g", schedule=Schedule.daily("18:00"))
    >>> [(str(e.dose.amount), str(e.schedule.offset), e.as_needed) for e in session]
    [('1.5 g', '0:00:00', False), ('0.5 g', '0:45:00', True), ('0.5 g', '1:30:00', True), ('0.5 g', '2:15:00', True)]
    """
    begin = (
        None
        if first_day is None
        else parse_date(first_day, field="top_ups() first_day")
    )
    end = _last_day(last_day, begin or date.min, "top_ups()")
    q_first = _quantity(first, "top_ups() first")
    q_step = _quantity(step, "top_ups() step")
    q_up_to = _quantity(up_to, "top_ups() up_to")
    if isinstance(every, str):
        every = parse_duration(every, field="top_ups() every")
    if not isinstance(every, timedelta) or every <= timedelta(0):
        msg = f"top_ups() every must be a timedelta above zero (got {every!r})"
        raise ValueError(msg)
    if q_first.amount <= 0 or q_step.amount <= 0:
        msg = f"top_ups() first and step must be above zero (got {q_first}, {q_step})"
        raise ValueError(msg)
    if q_first > q_up_to:
        msg = f"top_ups() first ({q_first}) is more than up_to ({q_up_to})"
        raise ValueError(msg)
    entries = [Entry(Dose(product, q_first), schedule, start=begin, end=end)]
    total, k = q_first, 0
    step_dose = Dose(product, q_step)
    while total + q_step <= q_up_to:
        k += 1
        offset = every * k
        if schedule.offset + offset > timedelta(days=1):
            break
        if k > _MAX_STEPS:  # pragma: no cover - bounded by the 24 h offset above
            break
        entries.append(
            Entry(
                step_dose,
                schedule.shifted(offset),
                as_needed=True,
                start=begin,
                end=end,
            )
        )
        total = total + q_step
    return tuple(entries)
