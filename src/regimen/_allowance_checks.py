"""One built-in rule, asked about a single extra dose: what :func:`~regimen.allowance` weighs.

Each check answers, for a dose of a given product at an instant, how much of
the product may be in it before the rule reports an error-severity finding
that it would not report without the dose (:meth:`room`: ``None`` for no
bound, ``0`` for none at all), and at which later instants its answer can
change (:meth:`frees`). The answers follow the findings the rules make in
:func:`~regimen.validate`: every finding lists all the events that take part
in what it reports, so a dose changes (or makes) a finding exactly when it
takes part in a violation.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from functools import partial
from itertools import accumulate
from typing import Final

from . import _decimal
from ._dose import Dose
from ._finding import Rule
from ._interaction import Interaction
from ._plan import Break
from ._product import Product
from ._quantity import Quantity
from ._rules import (
    AvoidTags,
    BreakCadence,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
)
from ._series import Context, Series, places, scaled
from ._substance import Substance
from ._timezone import EPOCH, localize, utc_us
from ._units import Unit

__all__ = ["NONE", "Check", "content_per_unit", "day_starts", "moment_of"]

_US: Final = timedelta(microseconds=1)
#: The room a rule leaves when it forbids any dose.
NONE: Final = Fraction(0)
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY_US: Final = 86_400_000_000


def content_per_unit(
    product: Product, unit: Unit, term: str, per: Unit
) -> Fraction | None:
    """How much of *term* (in *per*) one *unit* of *product* contains, exactly.

    ``None`` when some matching content does not convert to *per*; ``0``
    when the product contains nothing matching *term*.
    """
    ratio = product._ratio(Quantity(1, unit))
    assert ratio is not None, "the dose unit is the product's own"
    folded = term.strip().casefold()
    total = Fraction(0)
    for substance, quantity in product.contents.items():
        if folded not in substance._terms:
            continue
        if not quantity.unit.converts_to(per):
            return None
        factor = Fraction(quantity.unit.factor) / Fraction(per.factor)
        total += Fraction(quantity.amount) * ratio * factor
    return total


def day_starts(first: int, last: int, start: time, tz: tzinfo) -> Iterator[int]:
    """Yield the instants (µs) at which local days *first* to *last* begin, in *tz*, in order.

    A day counts from its wall time *start* (as validation counts days:
    the wall time less *start*). Where *start* falls in a DST gap the day
    begins when the clock jumps past it; where it falls in a repeated hour,
    the day begins at its first occurrence and, the clock going back, again
    at its second.
    """
    shift = (start.hour * 3600 + start.minute * 60 + start.second) * 1_000_000
    shift += start.microsecond
    for n in range(first, last + 1):
        day = date.fromordinal(n)
        x = utc_us(localize(day, start, tz))
        later = utc_us(datetime.combine(day, start, tzinfo=tz).replace(fold=1))
        if later == x and moment_of(x, tz).time() == start:
            yield x
            continue
        # A gap or a fold: the first instant counted as day *n*, found by
        # bisection, and in a fold the instant the clock goes back (a moment
        # of the day before again) and the second occurrence of *start*.
        found = {
            x,
            later,
            _first(x - _DAY_US // 4, x, partial(operator.le, n), shift, tz),
        }
        if later > x:
            found.add(_first(x, later, partial(operator.gt, n), shift, tz))
        yield from sorted(found)


def _first(
    lo: int, hi: int, test: Callable[[int], bool], shift: int, tz: tzinfo
) -> int:
    """Return the first instant in (lo, hi] whose local day passes *test* (hi if none)."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if test(_day(mid, shift, tz)):
            hi = mid
        else:
            lo = mid
    return hi


def _day(us: int, shift: int, tz: tzinfo) -> int:
    offset = moment_of(us, tz).utcoffset()
    assert offset is not None
    return (us + offset // _US - shift) // _DAY_US + _EPOCH_ORDINAL


def moment_of(us: int, tz: tzinfo) -> datetime:
    """Return the instant *us* (µs since the epoch) as an aware datetime in *tz*."""
    return (EPOCH + us * _US).astimezone(tz)


class Check:
    """A rule's answer about one more dose of *product* (see the module docstring)."""

    #: Whether the rule's answer changes only at day boundaries.
    daily: bool = False
    #: Whether the rule forbids every dose, at any moment.
    forever: bool = False

    def __init__(self, rule: Rule, ctx: Context) -> None:
        self.rule = rule
        self.ctx = ctx

    def room(self, t: int, day: int) -> Fraction | None:
        """Return the most product a dose at *t* (local day *day*) may hold; ``None``: no bound."""
        raise NotImplementedError

    def frees(self, after: int, until: int) -> Iterable[int]:
        """Instants in (*after*, *until*] at which :meth:`room` may grow."""
        return ()


def _shifted(times: Sequence[int], width: int, after: int, until: int) -> Iterator[int]:
    lo = bisect.bisect_right(times, after - width)
    hi = bisect.bisect_right(times, until - width)
    for x in times[lo:hi]:
        yield x + width


class AmountCheck(Check):
    """:class:`~regimen.MaxAmount` and :class:`~regimen.MaxDoses` (``per`` window, day or week)."""

    def __init__(
        self, rule: MaxAmount | MaxDoses, ctx: Context, per_unit: Fraction | None
    ) -> None:
        super().__init__(rule, ctx)
        self.per = rule.per
        self.daily = not isinstance(rule.per, timedelta)
        if isinstance(rule, MaxAmount):
            series = ctx.series(rule.substance, rule.amount.unit)
            scale = max(series.scale, places(rule.amount.amount))
            factor = 10 ** (scale - series.scale)
            self.values = [0, *accumulate(v * factor for v in series.amounts)]
            self.limit = scaled(rule.amount.amount, scale)
            self.scale = scale
            self.per_unit = per_unit  # product content per unit, in the rule's unit
            assert per_unit is not None
            # room = left / 10**scale / per_unit, as one fraction
            self.per_num = per_unit.numerator * 10**scale
            self.per_den = per_unit.denominator
        else:
            series = ctx.series(rule.substance)
            self.values = list(range(len(series.times) + 1))
            self.limit = rule.count
            self.scale = 0
            self.per_unit = None
            self.per_num = self.per_den = 1
        self.series = series
        self.counts = isinstance(rule, MaxDoses)
        self.totals: dict[int, int] | None = None

    def _used(self, t: int, day: int) -> int:
        per, values, series = self.per, self.values, self.series
        if per == "dose":
            return 0
        if isinstance(per, timedelta):
            width = per // _US
            times = series.times
            best = 0
            ends = bisect.bisect_left(times, t + width)
            for s in [t, *times[bisect.bisect_right(times, t) : ends]]:
                lo = bisect.bisect_right(times, s - width)
                hi = bisect.bisect_right(times, s)
                best = max(best, values[hi] - values[lo])
            return best
        if self.totals is None:  # per day or ISO week, worked out once
            totals: dict[int, int] = {}
            week = per == "week"
            for i, d in enumerate(series.days):
                key = d - (d - 1) % 7 if week else d  # ordinal 1 is a Monday
                totals[key] = totals.get(key, 0) + values[i + 1] - values[i]
            self.totals = totals
        return self.totals.get(day - (day - 1) % 7 if per == "week" else day, 0)

    def room(self, t: int, day: int) -> Fraction | None:
        left = self.limit - self._used(t, day)
        if self.counts:
            return NONE if left < 1 else None
        if left <= 0:
            return NONE
        return Fraction(left * self.per_den, self.per_num)

    def frees(self, after: int, until: int) -> Iterable[int]:
        if isinstance(self.per, timedelta):
            return _shifted(self.series.times, self.per // _US, after, until)
        return ()


class GapCheck(Check):
    """:class:`~regimen.MinInterval`, and a substance's onset (``early-redose``)."""

    def __init__(
        self, rule: Rule, ctx: Context, series: Series, need: timedelta
    ) -> None:
        super().__init__(rule, ctx)
        self.times = series.times
        self.need = need // _US

    def room(self, t: int, day: int) -> Fraction | None:
        times, need = self.times, self.need
        i = bisect.bisect_right(times, t) - 1
        j = bisect.bisect_left(times, t)
        if (i >= 0 and t - times[i] < need) or (j < len(times) and times[j] - t < need):
            return NONE
        return None

    def frees(self, after: int, until: int) -> Iterable[int]:
        return _shifted(self.times, self.need, after, until)


class NoteCheck(Check):
    """An :class:`~regimen.Interaction` note, against other doses and the medications."""

    def __init__(
        self,
        rule: Interaction,
        ctx: Context,
        product: Product,
        medications: Iterable[Substance],
    ) -> None:
        super().__init__(rule, ctx)
        self.width = rule.within // _US
        subs = list(product.contents)
        in_a = [s for s in subs if s.matches(rule.a)]
        in_b = [s for s in subs if s.matches(rule.b)]
        self.always = any(x is not y for x in in_a for y in in_b) or any(
            (in_b and m.matches(rule.a)) or (in_a and m.matches(rule.b))
            for m in medications
        )
        partners: list[int] = []
        if in_a:
            partners += ctx.series(rule.b).times
        if in_b:
            partners += ctx.series(rule.a).times
        self.times = sorted(partners)
        self.forever = self.always

    def room(self, t: int, day: int) -> Fraction | None:
        if self.always:
            return NONE
        times, width = self.times, self.width
        i = bisect.bisect_left(times, t - width)
        return NONE if i < len(times) and times[i] <= t + width else None

    def frees(self, after: int, until: int) -> Iterable[int]:
        if self.always:
            return ()
        return _shifted(self.times, self.width + 1, after, until)


class RunCheck(Check):
    """:class:`~regimen.MaxConsecutiveDays` and :class:`~regimen.Rotation` (days in a row)."""

    daily = True

    def __init__(
        self, rule: Rule, ctx: Context, days: Iterable[int], most: int
    ) -> None:
        super().__init__(rule, ctx)
        self.used = set(days)
        self.most = most

    def room(self, t: int, day: int) -> Fraction | None:
        used = self.used
        before = after = 0
        while day - before - 1 in used:
            before += 1
        if day in used:  # the dose joins a day already used: is it past the limit?
            return NONE if before >= self.most else None
        while day + after + 1 in used:
            after += 1
        return NONE if before + 1 + after > self.most else None


class CadenceCheck(Check):
    """:class:`~regimen.BreakCadence`: a dose in a span left without its free days."""

    daily = True

    def __init__(self, rule: BreakCadence, ctx: Context, first: int, last: int) -> None:
        super().__init__(rule, ctx)
        self.used = set(ctx.series(rule.substance).days)
        self.first, self.last = first, last
        self.days, self.every = rule.days, rule.every

    def room(self, t: int, day: int) -> Fraction | None:
        every, need = self.every, self.days
        lo = max(self.first, day - every + 1)
        hi = min(day, self.last - every + 1)
        if lo > hi:
            return None
        # The span starts each free run satisfies (as in BreakCadence), the
        # dose's day counted as used; a span start left over fails.
        used = self.used
        covered: list[tuple[int, int]] = []
        start = None
        for n in range(lo, hi + every + 1):
            free = n < hi + every and n != day and n not in used
            if free and start is None:
                start = n
            elif not free and start is not None:
                if n - start >= need:
                    covered.append((start + need - every, n - need))
                start = None
        cursor = lo
        for a, b in covered:
            if a > cursor:
                break
            cursor = max(cursor, b + 1)
        return NONE if cursor <= hi else None


class TagCheck(Check):
    """:class:`~regimen.AvoidTags`: a product carrying an avoided tag is never allowed."""

    def __init__(self, rule: AvoidTags, ctx: Context, product: Product) -> None:
        super().__init__(rule, ctx)
        self.hit = bool(rule.tags & product.tags)
        self.forever = self.hit

    def room(self, t: int, day: int) -> Fraction | None:
        return NONE if self.hit else None


class BreakCheck(Check):
    """A plan's :class:`~regimen.Break`: no dose of its substances on its days."""

    daily = True

    def __init__(self, rule: Break, ctx: Context) -> None:
        super().__init__(rule, ctx)
        self.pause = rule
        self.known: dict[int, bool] = {}  # day ordinal -> a day of the break

    def room(self, t: int, day: int) -> Fraction | None:
        hit = self.known.get(day)
        if hit is None:
            hit = self.known[day] = self.pause.includes(date.fromordinal(day))
        return NONE if hit else None


def build(
    rule: Rule,
    ctx: Context,
    *,
    target: Substance,
    product: Product,
    unit: Unit,
    period: tuple[int, int],
    own_product: bool,
    medications: Iterable[Substance],
) -> Check | None:
    """Return the check for a built-in *rule* about a dose of *product*, or None if it cannot bind."""
    if isinstance(rule, Interaction):
        return NoteCheck(rule, ctx, product, medications)
    if isinstance(rule, AvoidTags):
        return TagCheck(rule, ctx, product) if own_product else None
    if isinstance(rule, Break):
        return BreakCheck(rule, ctx) if _involves(product, rule) else None
    term = getattr(rule, "substance", None)
    if not isinstance(term, str) or not any(s.matches(term) for s in product.contents):
        return None
    if isinstance(rule, MaxAmount):
        per_unit = content_per_unit(product, unit, term, rule.amount.unit)
        if not per_unit:  # nothing to count, or in units the limit cannot count
            return None
        return AmountCheck(rule, ctx, per_unit)
    if isinstance(rule, MaxDoses):
        return AmountCheck(rule, ctx, None)
    if isinstance(rule, MinInterval):
        return GapCheck(rule, ctx, ctx.series(term), rule.interval)
    if isinstance(rule, MaxConsecutiveDays):
        return RunCheck(rule, ctx, ctx.series(term).days, rule.days)
    if isinstance(rule, Rotation):
        if not own_product:
            return None
        series = ctx.series(term)
        days = (
            d
            for e, d in zip(series.events, series.days, strict=True)
            if e.product.name == product.name
        )
        return RunCheck(rule, ctx, days, rule.max_days)
    if isinstance(rule, BreakCadence):
        return CadenceCheck(rule, ctx, *period)
    del target
    return None


def _involves(product: Product, pause: Break) -> bool:
    return any(pause.covers(s) for s in product.contents)


def dose_of(product: Product, amount: Fraction, unit: Unit) -> Dose:
    """Return a dose of *amount* (a terminating fraction) of *product* in *unit*."""
    return Dose(product, Quantity(_decimal.from_fraction(amount), unit))
