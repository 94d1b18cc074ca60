"""What may still be taken: :func:`allowance` and :class:`Allowance`."""

from __future__ import annotations

import bisect
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

import attrs

from . import _decimal
from ._profile import Profile
from ._quantity import Quantity
from ._rules import MaxAmount, MaxConsecutiveDays, MaxDoses, MinInterval
from ._series import Context, Series
from ._substance import Substance
from ._timeline import Timeline
from ._timezone import EPOCH, localize, utc_us

__all__ = ["Allowance", "allowance"]

_US = timedelta(microseconds=1)


@attrs.frozen(kw_only=True)
class Allowance:
    """What may still be taken of a substance at a moment.

    *amount* is how much more may be taken at that moment without passing
    any amount limit (``None`` when no amount limit applies; zero when a
    limit is reached or a dose is not allowed then); *earliest* is the first
    moment, at or after the one asked about, when a dose is allowed at all;
    *limited_by* is the rule that binds (``None`` when nothing does).
    """

    amount: Quantity | None
    earliest: datetime
    limited_by: object | None

    @property
    def allowed_now(self) -> bool:
        """True when a dose is allowed at the moment asked about."""
        return self.limited_by is None or (
            self.amount is not None and self.amount.amount > 0
        )


def _substance(timeline: Timeline, substance: Substance | str) -> Substance:
    if isinstance(substance, Substance):
        return substance
    if not isinstance(substance, str) or not substance.strip():
        msg = f"allowance() needs a Substance or a substance name (got {substance!r})"
        raise TypeError(msg)
    for known in timeline.substances:
        if known.name.casefold() == substance.strip().casefold():
            return known
    for known in timeline.substances:
        if known.matches(substance):
            return known
    return Substance(substance)


class _Check:
    """Evaluates one rule's constraint at candidate moments."""

    def __init__(self, rule: Any, ctx: Context, series: Series) -> None:
        self.rule = rule
        self.ctx = ctx
        self.series = series
        self.prefix = [0, *accumulate(series.amounts)]
        self.counts = list(range(len(series.times) + 1))

    def _window_max(self, t: int, width: int, values: list[int]) -> int:
        times = self.series.times
        best = 0
        ends = [
            t,
            *times[
                bisect.bisect_right(times, t) : bisect.bisect_left(times, t + width)
            ],
        ]
        for s in ends:
            lo = bisect.bisect_right(times, s - width)
            hi = bisect.bisect_right(times, s)
            best = max(best, values[hi] - values[lo])
        return best

    def _group_total(self, day: int, per: str, prefix: list[int]) -> int:
        if per == "day":
            indices = self.series.by_day.get(day, [])
        else:
            monday = day - (day - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
            indices = self.series.indices_between(monday, monday + 6)
        return sum(prefix[i + 1] - prefix[i] for i in indices)

    def used(self, t: int, day: int, values: list[int]) -> int:
        per = self.rule.per
        if per == "dose":
            return 0
        if isinstance(per, timedelta):
            return self._window_max(t, per // _US, values)
        return self._group_total(day, per, values)

    def remaining(self, t: int, day: int) -> Quantity | None:
        """For MaxAmount: how much more fits; None for other rules."""
        if not isinstance(self.rule, MaxAmount):
            return None
        limit = self.rule.amount.amount
        scale = self.series.scale
        used = Decimal(self.used(t, day, self.prefix)).scaleb(-scale, _decimal.EXACT)
        left = _decimal.EXACT.subtract(limit, used)
        return Quantity(max(left, Decimal(0)), self.rule.amount.unit)

    def blocks(self, t: int, day: int) -> bool:
        """Whether any dose at instant *t* (local day *day*) breaks the rule."""
        rule, times = self.rule, self.series.times
        if isinstance(rule, MaxAmount):
            left = self.remaining(t, day)
            return left is not None and left.amount <= 0
        if isinstance(rule, MaxDoses):
            return self.used(t, day, self.counts) >= rule.count
        if isinstance(rule, MinInterval):
            need = rule.interval // _US
            i = bisect.bisect_right(times, t) - 1
            j = bisect.bisect_left(times, t)
            return (i >= 0 and t - times[i] < need) or (
                j < len(times) and times[j] - t < need
            )
        assert isinstance(rule, MaxConsecutiveDays)
        used_days = set(self.series.days)
        if day in used_days:
            return False
        before = after = 0
        while day - before - 1 in used_days:
            before += 1
        while day + after + 1 in used_days:
            after += 1
        return before + 1 + after > rule.days

    def frees_at(self) -> list[int]:
        """Instants (µs) at which this rule's constraint can loosen."""
        rule, times = self.rule, self.series.times
        width = None
        if isinstance(rule, MaxAmount | MaxDoses) and isinstance(rule.per, timedelta):
            width = rule.per // _US
        elif isinstance(rule, MinInterval):
            width = rule.interval // _US
        return [x + width for x in times] if width is not None else []


def allowance(
    timeline: Timeline,
    profile: Profile,
    substance: Substance | str,
    *,
    at: datetime,
) -> Allowance:
    """Tell what may still be taken of *substance* at *at* without breaking a rule.

    The profile's :class:`~regimen.MaxAmount`, :class:`~regimen.MaxDoses`,
    :class:`~regimen.MinInterval` and :class:`~regimen.MaxConsecutiveDays`
    rules that match the substance are considered, counting every event of
    *timeline* (past doses and later planned ones alike). Other rules and
    interaction notes are reported by :func:`~regimen.validate`. *at* must be
    aware; day boundaries are taken in its time zone.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import (Dose, DoseEvent, MaxAmount, MinInterval, Product, Profile,
    ...                      Substance, Timeline)
    >>> kratom = Substance("kratom")
    >>> powder = Product("Maeng Da", contents={kratom: "1 g"}, per="1 g")
    >>> ny = ZoneInfo("America/New_York")
    >>> log = Timeline([DoseEvent(datetime(2027, 1, 3, 8, tzinfo=ny), Dose(powder, "3 g")),
    ...                 DoseEvent(datetime(2027, 1, 3, 14, tzinfo=ny), Dose(powder, "3 g"))])
    >>> profile = Profile(rules=[MaxAmount("kratom", "8 g", per="day"),
    ...                          MinInterval("kratom", timedelta(hours=4))])
    >>> a = allowance(log, profile, "kratom", at=datetime(2027, 1, 3, 16, tzinfo=ny))
    >>> a.amount, a.earliest.strftime("%H:%M"), type(a.limited_by).__name__
    (Quantity('0', 'g'), '18:00', 'MinInterval')
    """
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        msg = f"allowance() at must be an aware datetime (got {at!r})"
        raise ValueError(msg)
    if not isinstance(profile, Profile):
        msg = f"allowance() needs a Profile (got {profile!r})"
        raise TypeError(msg)
    target = _substance(timeline, substance)
    checks: list[_Check] = []
    contexts: dict[time, Context] = {}
    for rule in profile.rules:
        if not isinstance(
            rule, MaxAmount | MaxDoses | MinInterval | MaxConsecutiveDays
        ):
            continue
        if not target.matches(rule.substance):
            continue
        start = rule.day_start if rule.day_start is not None else profile.day_start
        ctx = contexts.setdefault(start, Context(timeline, start))
        unit = rule.amount.unit if isinstance(rule, MaxAmount) else None
        checks.append(_Check(rule, ctx, ctx.series(rule.substance, unit)))
    tz = at.tzinfo

    def evaluate(moment: datetime) -> tuple[Quantity | None, object | None, bool]:
        t = utc_us(moment)
        amount: Quantity | None = None
        binding: object | None = None
        blocked = False
        for check in checks:
            day = check.ctx.day_of(moment, t)
            left = check.remaining(t, day)
            if left is not None and (amount is None or _less(left, amount)):
                amount = left
                if not blocked:
                    binding = check.rule
            if check.blocks(t, day) and not blocked:
                blocked, binding = True, check.rule
        if blocked and amount is not None:
            amount = Quantity(0, amount.unit)
        return amount, binding, blocked

    amount, binding, blocked = evaluate(at)
    if not blocked:
        return Allowance(amount=amount, earliest=at, limited_by=binding)
    earliest = _earliest(at, checks, evaluate, tz)
    return Allowance(amount=amount, earliest=earliest, limited_by=binding)


def _less(a: Quantity, b: Quantity) -> bool:
    try:
        return a < b
    except ValueError:
        return False


def _earliest(at: datetime, checks: list[_Check], evaluate: Any, tz: Any) -> datetime:
    """Find the first moment after *at* when no check blocks a dose."""
    t0 = utc_us(at)
    candidates: set[datetime] = set()
    for check in checks:
        for x in check.frees_at():
            if x > t0:  # elapsed time: add in UTC, not on the wall clock
                candidates.add((EPOCH + x * _US).astimezone(tz))
        # Day and week boundaries, up to a day past the last event.
        last_day = max([*check.series.days, 0])
        day = at.date()
        start = check.ctx.day_start
        horizon = max(last_day + 2, day.toordinal() + 8)
        for n in range(day.toordinal() + 1, horizon + 1):
            candidates.add(localize(type(day).fromordinal(n), start, tz))
    for moment in sorted(candidates, key=utc_us):
        _, _, blocked = evaluate(moment)
        if not blocked:
            return moment.astimezone(tz)
    return max(candidates, key=utc_us).astimezone(tz)  # pragma: no cover - unreachable
