"""What may still be taken: :func:`allowance` and :class:`Allowance`."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import accumulate
from typing import Any, TypeAlias

import attrs

from . import _decimal
from ._limits import MAX_DATE, MAX_MOMENT, check_moment
from ._profile import Profile
from ._quantity import Quantity
from ._rules import MaxAmount, MaxConsecutiveDays, MaxDoses, MinInterval, Rule
from ._series import Context, Series
from ._substance import Substance
from ._terms import known_terms, nearest, unknown_term_message
from ._timeline import Timeline
from ._timezone import EPOCH, localize, utc_us
from ._validators import instance_of

__all__ = ["Allowance", "allowance"]

_US = timedelta(microseconds=1)
_MAX_US = utc_us(MAX_MOMENT)
_LimitRule: TypeAlias = MaxAmount | MaxDoses | MinInterval | MaxConsecutiveDays


def _optional(cls: type) -> Any:
    return attrs.validators.optional(instance_of(cls))


def _aware_or_none(_inst: object, _attribute: object, value: datetime | None) -> None:
    if value is None:
        return
    if not isinstance(value, datetime) or value.utcoffset() is None:  # untyped callers
        msg = f"Allowance.earliest must be an aware datetime or None (got {value!r})"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Allowance:
    """What may still be taken of a substance at a moment, and when more may.

    * *amount* — how much more may be taken at the moment asked about
      without passing an amount limit: ``None`` when no
      :class:`~regimen.MaxAmount` rule applies, zero when a limit is reached
      or any rule forbids a dose then.
    * *limited_by* — the rule that binds *now*: the first rule (in profile
      order) that forbids a dose at the moment asked about, else the amount
      rule with the least room left; ``None`` when nothing limits.
    * *earliest* — the first moment, at or after the one asked about, when a
      dose is allowed at all (the moment itself when one is allowed now);
      ``None`` when no such moment exists before the end of the supported
      range (:data:`regimen._limits.MAX_MOMENT`, the end of 9998).
    * *earliest_limited_by* — the rule that sets *earliest*: the one still
      forbidding a dose just before it (or, when *earliest* is ``None``,
      at the end of the range); ``None`` when a dose is allowed now.
    * *amount_at_earliest* — how much may be taken at *earliest* (``None``
      when no amount limit applies there, or when *earliest* is ``None``).

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import MaxDoses, MinInterval, Quantity
    >>> ny = ZoneInfo("America/New_York")
    >>> a = Allowance(amount=Quantity(0, "g"),
    ...               earliest=datetime(2027, 1, 4, tzinfo=ny),
    ...               limited_by=MinInterval("kratom", timedelta(hours=4)),
    ...               earliest_limited_by=MaxDoses("kratom", 2, per="day"),
    ...               amount_at_earliest=Quantity(8, "g"))
    >>> a.allowed_now, type(a.earliest_limited_by).__name__
    (False, 'MaxDoses')
    """

    amount: Quantity | None = attrs.field(validator=_optional(Quantity))
    earliest: datetime | None = attrs.field(validator=_aware_or_none)
    limited_by: Rule | None = attrs.field(default=None, validator=_optional(Rule))
    earliest_limited_by: Rule | None = attrs.field(
        default=None, validator=_optional(Rule)
    )
    amount_at_earliest: Quantity | None = attrs.field(
        default=None, validator=_optional(Quantity)
    )

    @property
    def allowed_now(self) -> bool:
        """True when a dose is allowed at the moment asked about."""
        return self.limited_by is None or (
            self.amount is not None and self.amount.amount > 0
        )


def _known(
    timeline: Timeline, medications: Iterable[Substance | str]
) -> tuple[list[Substance], set[str]]:
    """Return the substances at hand (log, medications) and every term they answer to."""
    substances = list(timeline.substances)
    terms: set[str] = set()
    for med in medications:
        if isinstance(med, Substance):
            substances.append(med)
        else:
            terms.add(med.strip().casefold())
    terms.update(known_terms(substances))
    return substances, terms


def _substance(
    substance: Substance | str, substances: list[Substance], terms: set[str]
) -> Substance:
    """Resolve the substance asked about; an unknown name is a ValueError."""
    if isinstance(substance, Substance):
        return substance
    if not isinstance(substance, str) or not substance.strip():
        msg = f"allowance() needs a Substance or a substance name (got {substance!r})"
        raise TypeError(msg)
    folded = substance.strip().casefold()
    for known in substances:
        if known.name.casefold() == folded:
            return known
    for known in substances:
        if known.matches(folded):
            return known
    if folded in terms:  # a medication given by name only
        return Substance(substance.strip())
    msg = f"allowance() substance: {unknown_term_message(substance, terms)}"
    if not nearest(folded, terms):  # not a typo: perhaps not logged yet
        msg += " (pass the Substance itself to ask about one the log does not hold)"
    raise ValueError(msg)


def _check_rule_terms(
    rules: Iterable[Rule], target: Substance, terms: set[str]
) -> None:
    """Refuse a rule whose term matches nothing known but looks like the target.

    A rule naming a substance absent from the log (kefir limits in a log of
    kratom) is fine; one whose term is close to a name, alias or class of
    the substance asked about is a typo that would silently drop a limit.
    """
    own = target._terms
    for rule in rules:
        term = getattr(rule, "substance", None)
        if not isinstance(term, str):
            continue
        folded = term.strip().casefold()
        if folded in terms or folded in own or not nearest(folded, own):
            continue
        message = unknown_term_message(term, terms | own)
        msg = f"{type(rule).__name__} in the profile: {message}"
        raise ValueError(msg)


class _Check:
    """Evaluates one rule's constraint at candidate moments."""

    def __init__(self, rule: _LimitRule, ctx: Context, series: Series) -> None:
        self.rule = rule
        self.ctx = ctx
        self.series = series
        self.prefix = [0, *accumulate(series.amounts)]
        self.counts = list(range(len(series.times) + 1))
        self.used_days = set(series.days)
        self.limit = (
            rule.amount.amount.scaleb(series.scale, _decimal.EXACT)
            if isinstance(rule, MaxAmount)
            else None
        )

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

    def _used(self, t: int, day: int, values: list[int]) -> int:
        assert isinstance(self.rule, MaxAmount | MaxDoses)
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
        used = Decimal(self._used(t, day, self.prefix)).scaleb(-scale, _decimal.EXACT)
        left = _decimal.EXACT.subtract(limit, used)
        return Quantity(max(left, Decimal(0)), self.rule.amount.unit)

    def blocks(self, t: int, day: int) -> bool:
        """Whether any dose at instant *t* (local day *day*) breaks the rule."""
        rule, times = self.rule, self.series.times
        if isinstance(rule, MaxAmount):
            assert self.limit is not None
            return self._used(t, day, self.prefix) >= self.limit
        if isinstance(rule, MaxDoses):
            return self._used(t, day, self.counts) >= rule.count
        if isinstance(rule, MinInterval):
            need = rule.interval // _US
            i = bisect.bisect_right(times, t) - 1
            j = bisect.bisect_left(times, t)
            return (i >= 0 and t - times[i] < need) or (
                j < len(times) and times[j] - t < need
            )
        used_days = self.used_days
        if day in used_days:
            return False
        before = after = 0
        while day - before - 1 in used_days:
            before += 1
        while day + after + 1 in used_days:
            after += 1
        return before + 1 + after > rule.days

    def frees_at(self, after: int, day: int, tz: tzinfo) -> set[int]:
        """Instants (µs) in (*after*, end of range] at which this rule can loosen.

        Rolling windows and intervals loosen when a dose leaves them; day,
        week and day-run rules at a day start, searched from the day after
        local day *day* to a week past the last event.
        """
        rule, times = self.rule, self.series.times
        width = None
        if isinstance(rule, MaxAmount | MaxDoses) and isinstance(rule.per, timedelta):
            width = rule.per // _US
        elif isinstance(rule, MinInterval):
            width = rule.interval // _US
        if width is not None:
            return {x + width for x in times if after < x + width <= _MAX_US}
        last = max([*self.series.days, day])
        horizon = min(last + 8, MAX_DATE.toordinal() + 1)
        out: set[int] = set()
        for n in range(day + 1, horizon + 1):
            x = utc_us(localize(date.fromordinal(n), self.ctx.day_start, tz))
            if after < x <= _MAX_US:
                out.add(x)
        return out


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
    aware and within the supported range (years 2 to 9998); day boundaries
    are taken in its time zone. See :class:`Allowance` for what the answer
    holds; its ``earliest`` is ``None`` when nothing is allowed before the
    end of that range.

    *substance* is a :class:`~regimen.Substance`, or a name, alias or class
    of a substance in *timeline* or among the profile's medications; a
    name that matches none of them raises ``ValueError`` with the nearest
    known names, and so does a rule whose term matches nothing known but is
    close to the substance's own name, alias or class (a typo would drop
    the limit silently).

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
    >>> a.amount_at_earliest, type(a.earliest_limited_by).__name__
    (Quantity('2', 'g'), 'MinInterval')
    >>> allowance(log, profile, "kratum", at=datetime(2027, 1, 3, 16, tzinfo=ny))
    Traceback (most recent call last):
    ValueError: allowance() substance: 'kratum' names no known substance, alias or class; did you mean 'kratom'?
    """
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        msg = f"allowance() at must be an aware datetime (got {at!r})"
        raise ValueError(msg)
    check_moment(at, "allowance() at")
    if not isinstance(profile, Profile):
        msg = f"allowance() needs a Profile (got {profile!r})"
        raise TypeError(msg)
    substances, terms = _known(timeline, profile.medications)
    target = _substance(substance, substances, terms)
    _check_rule_terms(profile.rules, target, terms)
    checks: list[_Check] = []
    contexts: dict[time, Context] = {}
    for rule in profile.rules:
        if not isinstance(rule, _LimitRule) or not target.matches(rule.substance):
            continue
        start = rule.day_start if rule.day_start is not None else profile.day_start
        ctx = contexts.setdefault(start, Context(timeline, start))
        unit = rule.amount.unit if isinstance(rule, MaxAmount) else None
        checks.append(_Check(rule, ctx, ctx.series(rule.substance, unit)))
    return _answer(at, checks)


def _evaluate(
    checks: list[_Check], moment: datetime
) -> tuple[Quantity | None, Rule | None, bool]:
    """Return the room left at *moment*, the rule that binds and whether a dose is forbidden."""
    t = utc_us(moment)
    amount: Quantity | None = None
    tightest: Rule | None = None
    blocking: Rule | None = None
    for check in checks:
        day = check.ctx.day_of(moment, t)
        left = check.remaining(t, day)
        if left is not None and (amount is None or _less(left, amount)):
            amount, tightest = left, check.rule
        if blocking is None and check.blocks(t, day):
            blocking = check.rule
    if blocking is None:
        return amount, tightest, False
    if amount is not None:
        amount = Quantity(0, amount.unit)
    return amount, blocking, True


def _answer(at: datetime, checks: list[_Check]) -> Allowance:
    amount, binding, blocked = _evaluate(checks, at)
    if not blocked:
        return Allowance(
            amount=amount, earliest=at, limited_by=binding, amount_at_earliest=amount
        )
    tz = at.tzinfo
    assert tz is not None
    earliest = _earliest(at, checks, tz)
    last = _moment(earliest - 1 if earliest is not None else _MAX_US, tz)
    _, setter, _ = _evaluate(checks, last)
    if earliest is None:
        return Allowance(
            amount=amount, earliest=None, limited_by=binding, earliest_limited_by=setter
        )
    when = _moment(earliest, tz)
    return Allowance(
        amount=amount,
        earliest=when,
        limited_by=binding,
        earliest_limited_by=setter,
        amount_at_earliest=_evaluate(checks, when)[0],
    )


def _moment(us: int, tz: tzinfo) -> datetime:
    return (EPOCH + us * _US).astimezone(tz)


def _less(a: Quantity, b: Quantity) -> bool:
    try:
        return a < b
    except ValueError:
        return False


def _earliest(at: datetime, checks: list[_Check], tz: tzinfo) -> int | None:
    """Return the first instant (µs) after *at* when no check forbids a dose.

    A dose is forbidden on a union of intervals, each ending where some
    rule loosens, so the first allowed moment is one of those instants.
    ``None`` when every one up to the end of the supported range is forbidden.
    """
    t0 = utc_us(at)
    candidates: set[int] = set()
    for check in checks:
        candidates |= check.frees_at(t0, check.ctx.day_of(at, t0), tz)
    for x in sorted(candidates):
        moment = _moment(x, tz)
        if not any(c.blocks(x, c.ctx.day_of(moment, x)) for c in checks):
            return x
    return None
