"""How long the stock lasts: :func:`supply`.

The plan is expanded once and read through its columnar index: the amount
of each *distinct* dose is measured once (as an exact fraction of its
product's ``per``), scaled to integers, and the events are then summed as
plain ints in one pass. No ``Decimal`` is touched per event.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from fractions import Fraction

from . import _decimal
from ._convert import to_aware, to_optional_date
from ._dose import Dose
from ._plan import Plan
from ._product import Product
from ._quantity import Quantity
from ._stock import Refill, StockCount, measured
from ._supply_types import ProductSupply, Supply
from ._timeline import Timeline
from ._timezone import EPOCH, localize, utc_us, zone
from ._units import Unit
from ._validators import FrozenDict

__all__ = ["ProductSupply", "Stock", "Supply", "supply"]

Stock = Mapping[Product, Quantity | str] | Iterable[StockCount]

_DAY = timedelta(days=1)


def low(dose: Dose) -> Quantity:
    """Return the least a dose takes (the lower end of a range)."""
    return dose.low


def high(dose: Dose) -> Quantity:
    """Return the most a dose takes (the upper end of a range)."""
    return dose.high


def ratio(product: Product, amount: Quantity) -> Fraction:
    """How many of the product's ``per`` are in *amount* (exact)."""
    found = product._ratio(amount)
    if found is None:  # pragma: no cover - every amount here was checked measurable
        msg = f"cannot measure {amount} of {product.name!r}"
        raise ValueError(msg)
    return found


@dataclass
class _Track:
    """One product's stock: from *since* (µs, exclusive) on, *amount* in per."""

    product: Product
    unit: Unit
    since: int
    amount: Fraction
    refills: list[tuple[int, Fraction]] = field(default_factory=list)


def _check(
    plan: Plan, at: datetime, until: date | str | None, lead_time: timedelta | None
) -> date:
    if not isinstance(plan, Plan):
        msg = f"supply() plan must be a Plan (got {plan!r})"
        raise TypeError(msg)
    to_aware(at, field="supply() at", check_range=True)
    horizon = to_optional_date(until, field="supply() until") or plan.end
    if horizon is None:
        msg = (
            f"supply() of the open plan {plan.name!r} needs until=, the last day "
            "to count use and packages for (like until='2027-12-31')"
        )
        raise ValueError(msg)
    if lead_time is not None and (
        not isinstance(lead_time, timedelta) or lead_time < timedelta(0)
    ):
        msg = f"supply() lead_time must be a timedelta of zero or more (got {lead_time!r})"
        raise ValueError(msg)
    return horizon


def _tracks(
    plan: Plan, stock: Stock, refills: Iterable[Refill], at_us: int
) -> dict[Product, _Track]:
    """Work out, per product, the latest stock figure at or before *at_us*."""
    tracks: dict[Product, _Track] = {}
    start = utc_us(localize(plan.start, time(0), zone(plan.timezone))) - 1
    if isinstance(stock, Mapping):
        for product, amount in stock.items():
            if not isinstance(product, Product):
                msg = f"supply() stock keys must be Products (got {product!r})"
                raise TypeError(msg)
            q = measured(product, amount, field=f"supply() stock[{product.name!r}]")
            if q.amount < 0:
                msg = f"supply() stock[{product.name!r}] must be zero or more (got {q})"
                raise ValueError(msg)
            since = min(start, at_us)
            tracks[product] = _Track(product, q.unit, since, ratio(product, q))
    else:
        for count in stock:
            if not isinstance(count, StockCount):
                msg = (
                    "supply() stock must map products to amounts or hold "
                    f"StockCount records (got {count!r})"
                )
                raise TypeError(msg)
            us = count.timestamp_us
            found = tracks.get(count.product)
            if us <= at_us and (found is None or us >= found.since):
                amount = ratio(count.product, count.amount)
                tracks[count.product] = _Track(
                    count.product, count.amount.unit, us, amount
                )
    for refill in refills:
        if not isinstance(refill, Refill):
            msg = f"supply() refills must be Refill records (got {refill!r})"
            raise TypeError(msg)
        us = refill.timestamp_us
        if us > at_us:
            continue
        found = tracks.get(refill.product)
        if found is None:  # refills alone: the product started from nothing
            unit = refill.amount.unit
            found = tracks[refill.product] = _Track(
                refill.product, unit, -(1 << 62), Fraction(0)
            )
        found.refills.append((us, ratio(refill.product, refill.amount)))
    for track in tracks.values():
        track.amount += sum(
            (a for us, a in track.refills if us > track.since), Fraction(0)
        )
        if track.product.package is not None:
            track.unit = track.product.package.unit
    return tracks


def _logged(log: Timeline, tracks: dict[Product, _Track], at_us: int) -> None:
    """Take off what the log says was taken after each product's stock figure."""
    if not len(log):
        return
    index = log._idx
    kinds, doses = index.kinds, index.table.doses
    taken = [
        (
            doses[k.dose].product,
            ratio(doses[k.dose].product, high(doses[k.dose])),
        )
        for k in kinds
    ]
    top = bisect.bisect_right(index.us, at_us)
    lo = bisect.bisect_right(index.us, min(t.since for t in tracks.values()))
    us, kind = index.us, index.kind
    for i in range(lo, top):
        product, amount = taken[kind[i]]
        track = tracks.get(product)
        if track is not None and us[i] > track.since:
            track.amount -= amount


@dataclass
class _Run:
    """What one pass over the plan's events found for one product (amounts × scale)."""

    on_hand: int = 0
    per_day: int = 0
    needed: int = 0
    needed_worst: int = 0
    runs_out: int | None = None  # an event's position
    runs_out_worst: int | None = None


def _scale(values: Iterable[Fraction]) -> int:
    """Return a common denominator of *values* (every one times it is an int)."""
    out = 1
    for v in values:
        out = math.lcm(out, v.denominator)
    return out


def _project(
    timeline: Timeline,
    tracks: dict[Product, _Track],
    at_us: int,
    day_us: int,
    *,
    planned_before: bool,
) -> tuple[dict[Product, _Run], int]:
    """Sum every tracked product's planned and worst-case use in one pass of ints.

    Before *at_us* (only with *planned_before*: no log) the planned doses
    after each product's stock figure are taken off; from *day_us* on they
    count for the use per day; after *at_us* they are the projection.
    """
    slots = {p: i for i, p in enumerate(tracks)}
    runs = [_Run() for _ in slots]
    if not len(timeline):
        scale = _scale(t.amount for t in tracks.values())
        for run, t in zip(runs, tracks.values(), strict=True):
            run.on_hand = int(t.amount * scale)
        return dict(zip(tracks, runs, strict=True)), scale
    index = timeline._idx
    kinds = index.kinds
    measures: list[tuple[int, Fraction, Fraction]] = []
    for d in index.table.doses:  # once per distinct dose, not per event
        slot = slots.get(d.product, -1)
        if slot < 0:
            measures.append((slot, Fraction(0), Fraction(0)))
        else:
            measures.append((slot, ratio(d.product, low(d)), ratio(d.product, high(d))))
    scale = _scale(
        [*(m[1] for m in measures), *(m[2] for m in measures)]
        + [t.amount for t in tracks.values()]
    )
    info = []
    for k in kinds:
        slot, lo_, hi_ = measures[k.dose]
        info.append((slot, int(lo_ * scale), int(hi_ * scale), k.as_needed))
    hand = [int(t.amount * scale) for t in tracks.values()]
    since = [t.since for t in tracks.values()]
    plan_left = hand[:]
    worst_left = hand[:]
    us, kind = index.us, index.kind
    first = bisect.bisect_left(us, day_us)
    if planned_before:
        first = min(first, bisect.bisect_right(us, min(since)))
    for i in range(first, len(us)):
        u = us[i]
        slot, amount, most, as_needed = info[kind[i]]
        if slot < 0:
            continue
        run = runs[slot]
        if u <= at_us:
            if planned_before and not as_needed and u > since[slot]:
                hand[slot] -= amount
                plan_left[slot] -= amount
                worst_left[slot] -= amount
            if u >= day_us and not as_needed:
                run.per_day += amount
            continue
        worst_left[slot] -= most
        run.needed_worst += most
        if worst_left[slot] < 0 and run.runs_out_worst is None:
            run.runs_out_worst = i
        if not as_needed:
            plan_left[slot] -= amount
            run.needed += amount
            if u >= day_us:
                run.per_day += amount
            if plan_left[slot] < 0 and run.runs_out is None:
                run.runs_out = i
    for run, h in zip(runs, hand, strict=True):
        run.on_hand = h
    return dict(zip(tracks, runs, strict=True)), scale


def _result(
    track: _Track,
    run: _Run,
    scale: int,
    *,
    timeline: Timeline,
    days: int,
    lead_time: timedelta | None,
    tz: tzinfo,
) -> ProductSupply:
    product, unit = track.product, track.unit
    per_unit = ratio(product, Quantity(1, unit)) * scale

    def amount(value: int | Fraction) -> Quantity:
        return Quantity(_decimal.from_fraction(Fraction(value) / per_unit), unit)

    def moment(position: int | None) -> datetime | None:
        return None if position is None else timeline[position].at

    runs_out = moment(run.runs_out)
    order_by = None
    if runs_out is not None and lead_time is not None:
        order_by = (runs_out - lead_time).astimezone(tz).date()
    packages = packages_worst = None
    if product.package is not None:
        size = ratio(product, product.package) * scale
        packages = max(0, math.ceil((run.needed - run.on_hand) / size))
        packages_worst = max(0, math.ceil((run.needed_worst - run.on_hand) / size))
    return ProductSupply(
        product=product,
        unit=unit,
        on_hand=amount(run.on_hand),
        per_day=amount(Fraction(run.per_day, days) if days > 0 else 0),
        needed=amount(run.needed),
        needed_worst=amount(run.needed_worst),
        runs_out=runs_out,
        runs_out_worst=moment(run.runs_out_worst),
        order_by=order_by,
        packages_needed=packages,
        packages_needed_worst=packages_worst,
    )


def supply(
    plan: Plan,
    *,
    stock: Stock = (),
    log: Timeline | None = None,
    refills: Iterable[Refill] = (),
    at: datetime,
    until: date | str | None = None,
    lead_time: timedelta | None = None,
) -> Supply:
    """Work out, per product, what is on hand at *at* and when it runs out.

    *stock* is either a mapping product → amount on hand when the plan
    starts (at the start of its first day, or at *at* if that is earlier),
    or :class:`~regimen.StockCount` records. *refills* are
    :class:`~regimen.Refill` records. What is on hand at *at* is the latest
    stock figure at or before *at*, plus the refills after it, minus what
    was taken after it up to *at*: the doses of *log* (a
    :class:`~regimen.Timeline` of what was taken), or without a log the
    plan's own doses (the plan was followed; as-needed doses not taken).
    Records and logged doses after *at* are not counted. A product with
    refills but no stock figure starts from nothing.

    From *at* on, the plan's doses up to *until* (a date, inclusive;
    default the plan's end, required for an open plan) are what is
    planned (``per_day`` is their mean over the days from the day of *at*
    to *until* or the plan's end, whichever is first); the worst case also takes every as-needed dose and the upper
    end of every range. Amounts convert through each product's own
    equivalents (a bag of grams for a powder dosed in teaspoons); they are
    exact. *lead_time* (a timedelta) gives each product's ``order_by``.
    Amounts not measurable for their product raise
    :class:`~regimen.UnitError`; other bad arguments ``ValueError`` or
    ``TypeError`` naming the argument.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import Dose, Entry, Product, Schedule, Substance
    >>> powder = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g",
    ...                  equivalents=[("1 tsp", "2 g")], package="250 g")
    >>> plan = Plan("daily", timezone="Europe/Berlin", start="2027-01-01", end="2027-06-30",
    ...             entries=[Entry(Dose(powder, "1 tsp"), Schedule.daily("08:00", "20:00"))])
    >>> at = datetime(2027, 1, 20, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> s = supply(plan, stock={powder: "250 g"}, at=at, lead_time=timedelta(days=5))
    >>> p = s.products[powder]
    >>> str(p.on_hand), str(p.per_day), p.runs_out.isoformat(), p.order_by
    ('172 g', '4 g', '2027-03-04T20:00:00+01:00', datetime.date(2027, 2, 27))
    >>> p.packages_needed
    2
    """
    horizon = _check(plan, at, until, lead_time)
    if log is not None and not isinstance(log, Timeline):
        msg = f"supply() log must be a Timeline of the doses taken (got {log!r})"
        raise TypeError(msg)
    tz = zone(plan.timezone)
    at_us = utc_us(at)
    tracks = _tracks(plan, stock, refills, at_us)
    first_day = max(plan.start, at.astimezone(tz).date())
    last_day = horizon if plan.end is None else min(horizon, plan.end)
    # Without a log, the planned doses after the earliest stock figure count.
    earliest = first_day
    if log is None and tracks:
        since = min(t.since for t in tracks.values())
        earliest = (
            plan.start
            if since < utc_us(localize(plan.start, time(0), tz))
            else (EPOCH + timedelta(microseconds=since)).astimezone(tz).date()
        )
    expand_from = max(plan.start, min(earliest, first_day) - _DAY)
    timeline = Timeline()
    if tracks and expand_from <= last_day:
        timeline = plan.timeline(expand_from, last_day)
    if log is not None and tracks:
        _logged(log, tracks, at_us)
    day_us = utc_us(localize(first_day, time(0), tz))
    runs, scale = _project(timeline, tracks, at_us, day_us, planned_before=log is None)
    days = (last_day - first_day).days + 1
    order = [*dict.fromkeys(e.dose.product for e in plan.entries)]
    order += [p for p in tracks if p not in order]
    products = {
        p: _result(
            tracks[p],
            runs[p],
            scale,
            timeline=timeline,
            days=days,
            lead_time=lead_time,
            tz=tz,
        )
        for p in order
        if p in tracks
    }
    untracked = tuple(p for p in order if p not in tracks)
    return Supply(at, horizon, lead_time, FrozenDict(products), untracked)
