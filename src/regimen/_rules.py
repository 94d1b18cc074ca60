r"""User-set rules: limits over windows, intervals, cadence, rotation, tags.

Every rule is a small frozen object with ``check(timeline)`` that yields
:class:`~regimen.Finding`\\ s. Rules that count days use the local calendar
day of each event, starting at *day_start* (``None``: the profile's
``day_start``, midnight when checked on its own). Rolling windows are
right-closed, ``(t - window, t]``; "max" means at most, so a total equal to
the limit is fine. Elapsed time is measured in UTC. Every rule takes the
keyword options *severity* (default ``Severity.ERROR``), *day_start* and
*source* (where the limit comes from).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Final, Literal, Protocol, TypeAlias, runtime_checkable

import attrs

from . import _decimal, _format
from ._finding import Finding, Severity, to_severity
from ._quantity import Quantity
from ._series import Context, Series
from ._substance import Substance, term_of
from ._timeline import DoseEvent, Timeline
from ._validators import optional_text

__all__ = [
    "AvoidTags",
    "BreakCadence",
    "MaxAmount",
    "MaxConsecutiveDays",
    "MaxDoses",
    "MinInterval",
    "Per",
    "Rotation",
    "Rule",
]

Per: TypeAlias = Literal["dose", "day", "week"] | timedelta
_US: Final = timedelta(microseconds=1)


@runtime_checkable
class Rule(Protocol):
    """What a rule is: anything with ``check(timeline)`` returning findings.

    Write your own and put it in ``Profile.rules`` beside the built-in ones.
    """

    def check(self, timeline: Timeline) -> Iterable[Finding]:
        """Yield the findings this rule makes about *timeline*."""
        ...


def _term(value: str | Substance) -> str:
    return term_of(value, who="a rule")


def _limit(value: Quantity | str) -> Quantity:
    q = value if isinstance(value, Quantity) else Quantity.parse(value)
    if q.amount <= 0:
        msg = f"a limit must be above zero (got {q})"
        raise ValueError(msg)
    return q


def _per(value: Per | str) -> Per:
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            msg = f"per must be a window longer than zero (got {value})"
            raise ValueError(msg)
        return value
    if value == "dose":
        return "dose"
    if value == "day":
        return "day"
    if value == "week":
        return "week"
    if isinstance(value, str):
        try:
            return _per(_format.parse_duration(value, field="per"))
        except ValueError:
            pass
    msg = f"per must be 'dose', 'day', 'week' or a window like timedelta(hours=24) (got {value!r})"
    raise ValueError(msg)


def _positive_int(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        msg = f"must be a whole number of at least 1 (got {value!r})"
        raise ValueError(msg)
    return value


def _positive_time(value: timedelta | str) -> timedelta:
    d = _format.parse_duration(value, field="interval")
    if d <= timedelta(0):
        msg = f"must be longer than zero (got {value!r})"
        raise ValueError(msg)
    return d


def _day_start(value: time | None) -> time | None:
    if value is not None and (not isinstance(value, time) or value.tzinfo is not None):
        msg = f"day_start must be a naive datetime.time or None (got {value!r})"
        raise TypeError(msg)
    return value


def _context(timeline: Timeline, day_start: time | None) -> Context:
    if not isinstance(timeline, Timeline):
        msg = f"check() needs a Timeline (got {timeline!r}); expand a plan with plan.timeline()"
        raise TypeError(msg)
    return Context(timeline, day_start or time(0))


def _day_label(ctx: Context, number: int) -> str:
    day = ctx.day_to_date(number).isoformat()
    if ctx.day_start != time(0):
        return f"the day {day} (from {ctx.day_start.strftime('%H:%M')})"
    return day


@attrs.frozen(cache_hash=True, repr=False)
class _BuiltinRule:
    """What the built-in rules share: severity, day start, source and ``check``."""

    code: ClassVar[str]

    severity: Severity = attrs.field(
        default=Severity.ERROR, kw_only=True, converter=to_severity
    )
    day_start: time | None = attrs.field(
        default=None, kw_only=True, converter=_day_start
    )
    source: str | None = attrs.field(
        default=None, kw_only=True, converter=optional_text
    )

    def check(self, timeline: Timeline) -> Iterable[Finding]:
        """Yield the findings this rule makes about *timeline*."""
        return self._check(_context(timeline, self.day_start))

    def _check(self, ctx: Context) -> list[Finding]:
        raise NotImplementedError

    def __repr__(self) -> str:
        # The rule's own fields first, the shared keyword options last.
        fields = attrs.fields(type(self))
        shared = ("severity", "day_start", "source")
        ordered = [f for f in fields if f.name not in shared and f.init]
        ordered += [f for f in fields if f.name in shared]
        args = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in ordered)
        return f"{type(self).__name__}({args})"


def _mismatch(rule: Any, series: Series) -> Iterator[Finding]:
    seen: set[str] = set()
    for event in series.mismatched:
        if event.product.name in seen:
            continue
        seen.add(event.product.name)
        yield Finding(
            rule.code,
            Severity.WARNING,
            f"{event.product.name} gives {rule.substance} in units that do not convert to "
            f"{series.unit.value if series.unit else '?'}, so it is not counted against the "
            f"limit; give the product an equivalent",
            at=event.at,
            events=(event,),
            rule=rule,
            key=("mismatch", event.product.name),
        )


def _per_label(per: Per) -> str:
    if isinstance(per, timedelta):
        return f"per {_format.duration(per)}"
    return f"per {per}"


def _worst_windows(
    series: Series, values: list[int], per: Per, limit: int
) -> list[_Row]:
    """Each group's worst window whose total passes *limit*.

    Rows are (key, event indices, total, index of the window's last event).
    For "day"/"week" a group is a local day or an ISO week (key: day number
    or year*100+week); for a rolling window the window ending at each
    event's instant counts for that event's day; for "dose" each event is
    its own window. Only windows over the limit are kept, so the sweep
    allocates nothing per event.
    """
    best: dict[int, _Row] = {}
    n = len(values)
    if per == "dose":
        for i in range(n):
            day = series.days[i]
            if values[i] > limit and (day not in best or values[i] > best[day][2]):
                best[day] = (day, [i], values[i], i)
        return list(best.values())
    if per == "day":
        # Totals per day without a list per day: most days' events are
        # contiguous in time, so a violating day is usually a slice.
        days = series.days
        totals: dict[int, int] = {}
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for i in range(n):
            day = days[i]
            totals[day] = totals.get(day, 0) + values[i]
            first.setdefault(day, i)
            last[day] = i
        for day, total in totals.items():
            if total > limit:
                a, b = first[day], last[day]
                indices = range(a, b + 1)
                if any(days[k] != day for k in indices):
                    indices = [k for k in indices if days[k] == day]  # type: ignore[assignment]
                best[day] = (day, indices, total, b)
        return list(best.values())
    if per == "week":
        groups: dict[int, list[int]] = {}
        for day, day_indices in series.by_day.items():
            groups.setdefault(_week(day), []).extend(day_indices)
        for key, week_indices in groups.items():
            total = sum(values[i] for i in week_indices)
            if total > limit:
                ordered = sorted(week_indices)
                best[key] = (key, ordered, total, ordered[-1])
        return list(best.values())
    assert isinstance(per, timedelta)
    width = per // _US
    times, days = series.times, series.days
    lo = total = i = 0
    while i < n:
        now = times[i]
        j = i
        while j < n and times[j] == now:
            total += values[j]
            j += 1
        while times[lo] <= now - width:
            total -= values[lo]
            lo += 1
        if total > limit:
            for k in range(i, j):
                day = days[k]
                if day not in best or total > best[day][2]:
                    best[day] = (day, range(lo, j), total, j - 1)
        i = j
    return list(best.values())


_Row: TypeAlias = tuple[int, "Sequence[int]", int, int]


def _week(day_number: int) -> int:
    iso = date.fromordinal(day_number).isocalendar()
    return iso.year * 100 + iso.week


def _window_finding(
    rule: MaxAmount | MaxDoses,
    ctx: Context,
    series: Series,
    row: _Row,
    *,
    what: str,
    measured: object,
    limit: object,
) -> Finding:
    """Report one group's worst window: what was taken, where, and the limit."""
    key, indices, _, last = row
    return Finding(
        rule.code,
        rule.severity,
        f"{what} {_window_words(rule.per, ctx, series, key, last)}; limit {limit}",
        at=series.events[last].at,
        events=tuple(series.events[i] for i in indices),
        rule=rule,
        key=key,
        measured=measured,
        limit=limit,
    )


def _window_words(per: Per, ctx: Context, series: Series, key: int, last: int) -> str:
    if per == "dose":
        return f"in one dose at {_format.moment(series.events[last].at)}"
    if per == "day":
        return f"on {_day_label(ctx, key)}"
    if per == "week":
        return f"in ISO week {key // 100}-W{key % 100:02d}"
    assert isinstance(per, timedelta)
    return f"in the {_format.duration(per)} ending {_format.moment(series.events[last].at)}"


@attrs.frozen(cache_hash=True, repr=False)
class MaxAmount(_BuiltinRule):
    """At most *amount* of *substance* per dose, day, ISO week or rolling window.

    *substance* is a name, alias or class; the matching substances'
    contents of every event are summed (a product can contain several).
    *per* is ``"dose"``, ``"day"`` (local calendar day from *day_start*),
    ``"week"`` (ISO week) or a :class:`~datetime.timedelta` (rolling window
    ``(t - per, t]``). A total equal to the limit is fine. One finding per
    day (or week) at most, with the worst total.

    >>> MaxAmount("kratom", "8 g", per=timedelta(hours=24))
    MaxAmount(substance='kratom', amount=Quantity('8', 'g'), per=datetime.timedelta(days=1), severity=<Severity.ERROR: 3>, day_start=None, source=None)
    """

    code: ClassVar[str] = "max-amount"

    substance: str = attrs.field(converter=_term)
    amount: Quantity = attrs.field(converter=_limit)
    per: Per = attrs.field(kw_only=True, converter=_per)

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance, self.amount.unit)
        findings = list(_mismatch(self, series))
        limit_amount = self.amount.amount
        exponent = limit_amount.as_tuple().exponent
        assert isinstance(exponent, int)
        scale = max(series.scale, -exponent)
        factor = 10 ** (scale - series.scale)
        values = [v * factor for v in series.amounts]
        limit = int(limit_amount.scaleb(scale, _decimal.EXACT))
        for row in _worst_windows(series, values, self.per, limit):
            total = row[2]
            measured = Quantity(
                Decimal(total).scaleb(-scale, _decimal.EXACT), self.amount.unit
            )
            amount = _format.amount(measured.amount, measured.unit)
            findings.append(
                _window_finding(
                    self,
                    ctx,
                    series,
                    row,
                    what=f"{amount} of {self.substance}",
                    measured=measured,
                    limit=self.amount,
                )
            )
        return findings


@attrs.frozen(cache_hash=True, repr=False)
class MaxDoses(_BuiltinRule):
    """At most *count* doses containing *substance* per day, ISO week or rolling window.

    *per* is ``"day"``, ``"week"`` or a :class:`~datetime.timedelta`
    (``"dose"`` would always be one dose and is refused).
    """

    code: ClassVar[str] = "max-doses"

    substance: str = attrs.field(converter=_term)
    count: int = attrs.field(converter=_positive_int)
    per: Per = attrs.field(kw_only=True, converter=_per)

    @per.validator
    def _check_per(self, _attribute: object, value: Per) -> None:
        if value == "dose":
            msg = "MaxDoses per='dose' always counts one dose; use 'day', 'week' or a window"
            raise ValueError(msg)

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance)
        return [
            _window_finding(
                self,
                ctx,
                series,
                row,
                what=f"{row[2]} doses of {self.substance}",
                measured=row[2],
                limit=self.count,
            )
            for row in _worst_windows(
                series, [1] * len(series.events), self.per, self.count
            )
        ]


@attrs.frozen(cache_hash=True, repr=False)
class MinInterval(_BuiltinRule):
    """At least *interval* of elapsed time between doses containing *substance*.

    One finding per day at most, for the shortest gap that day.
    """

    code: ClassVar[str] = "min-interval"

    substance: str = attrs.field(converter=_term)
    interval: timedelta = attrs.field(converter=_positive_time)

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance)
        return gaps(
            self.substance,
            self,
            ctx,
            series,
            self.interval,
            self.code,
            self.severity,
            what="minimum interval",
        )


def gaps(  # noqa: PLR0917 - one private helper shared by two checks
    name: str,
    rule: object | None,
    ctx: Context,
    series: Series,
    interval: timedelta,
    code: str,
    severity: Severity,
    *,
    what: str,
) -> list[Finding]:
    """Report consecutive events of *series* closer than *interval* (worst per day)."""
    need = interval // _US
    worst: dict[int, int] = {}
    times = series.times
    for i in range(1, len(times)):
        gap = times[i] - times[i - 1]
        if gap < need:
            day = series.days[i]
            if day not in worst or gap < times[worst[day]] - times[worst[day] - 1]:
                worst[day] = i
    findings = []
    for day, i in worst.items():
        gap_td = (times[i] - times[i - 1]) * _US
        event, previous = series.events[i], series.events[i - 1]
        findings.append(
            Finding(
                code,
                severity,
                f"{name} taken {_format.duration(gap_td)} after the previous dose, "
                f"at {_format.moment(event.at)}; {what} {_format.duration(interval)}",
                at=event.at,
                events=(previous, event),
                rule=rule,
                key=day,
                measured=gap_td,
                limit=interval,
            )
        )
    return findings


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive integers in sorted, distinct *numbers*."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


@attrs.frozen(cache_hash=True, repr=False)
class MaxConsecutiveDays(_BuiltinRule):
    """*substance* on at most *days* local days in a row (one finding per run)."""

    code: ClassVar[str] = "max-consecutive-days"

    substance: str = attrs.field(converter=_term)
    days: int = attrs.field(converter=_positive_int)

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance)
        findings = []
        for first, last in _runs(sorted(set(series.days))):
            length = last - first + 1
            if length <= self.days:
                continue
            over = first + self.days  # the first day past the limit
            events = [series.events[i] for i in series.indices_between(over, last)]
            findings.append(
                Finding(
                    self.code,
                    self.severity,
                    f"{self.substance} used on {length} days in a row, "
                    f"{ctx.day_to_date(first)} to {ctx.day_to_date(last)}; limit {self.days}",
                    at=events[0].at,
                    events=events,
                    rule=self,
                    key=first,
                    measured=length,
                    limit=self.days,
                )
            )
        return findings


@attrs.frozen(cache_hash=True, repr=False)
class BreakCadence(_BuiltinRule):
    """At least *days* consecutive free days of *substance* in every *every*-day span.

    Spans are taken over the checked period (the timeline's
    :attr:`~regimen.Timeline.first_day` to :attr:`~regimen.Timeline.last_day`);
    a period shorter than *every* has no span to check. One finding per
    stretch of failing spans.
    """

    code: ClassVar[str] = "break-cadence"

    substance: str = attrs.field(converter=_term)
    days: int = attrs.field(kw_only=True, converter=_positive_int)
    every: int = attrs.field(kw_only=True, converter=_positive_int)

    @every.validator
    def _check_every(self, _attribute: object, value: int) -> None:
        if value < self.days:
            msg = f"BreakCadence every ({value}) must be at least days ({self.days})"
            raise ValueError(msg)

    def failing_spans(self, ctx: Context) -> list[tuple[int, int]]:
        """Return maximal ranges of span start days (day numbers) that fail."""
        first_day, last_day = ctx.timeline.first_day, ctx.timeline.last_day
        if first_day is None or last_day is None:
            return []
        p0, p1 = first_day.toordinal(), last_day.toordinal()
        if p1 - p0 + 1 < self.every:
            return []
        used = sorted({d for d in ctx.series(self.substance).days if p0 <= d <= p1})
        # Free runs inside the period, then the span starts each one satisfies.
        free: list[tuple[int, int]] = []
        cursor = p0
        for d in [*used, p1 + 1]:
            if d > cursor:
                free.append((cursor, d - 1))
            cursor = d + 1
        ok = sorted(
            (a + self.days - self.every, b - self.days + 1)
            for a, b in free
            if b - a + 1 >= self.days
        )
        failing: list[tuple[int, int]] = []
        start, stop = p0, p1 - self.every + 1
        for lo, hi in ok:
            if lo > start:
                failing.append((start, min(lo - 1, stop)))
            start = max(start, hi + 1)
            if start > stop:
                break
        if start <= stop:
            failing.append((start, stop))
        return [(a, b) for a, b in failing if a <= b]

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance)
        findings = []
        for lo, hi in self.failing_spans(ctx):
            span_end = lo + self.every - 1
            events = [series.events[i] for i in series.indices_between(lo, span_end)]
            more = (
                ""
                if hi == lo
                else f" (nor in any such span starting up to {ctx.day_to_date(hi)})"
            )
            findings.append(
                Finding(
                    self.code,
                    self.severity,
                    f"no {self.days} consecutive free days of {self.substance} in the "
                    f"{self.every} days {ctx.day_to_date(lo)} to {ctx.day_to_date(span_end)}"
                    f"{more}; cadence: {self.days} free days in every {self.every}",
                    at=events[-1].at if events else None,
                    events=events,
                    rule=self,
                    key=lo,
                    measured=hi - lo + 1,
                    limit=self.days,
                )
            )
        return findings


@attrs.frozen(cache_hash=True, repr=False)
class Rotation(_BuiltinRule):
    """The same product containing *substance* on at most *max_days* days in a row."""

    code: ClassVar[str] = "rotation"

    substance: str = attrs.field(converter=_term)
    max_days: int = attrs.field(kw_only=True, converter=_positive_int)

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance)
        by_product: dict[str, list[int]] = {}
        for event, day in zip(series.events, series.days, strict=True):
            by_product.setdefault(event.product.name, []).append(day)
        findings = []
        for name, days in by_product.items():
            for first, last in _runs(sorted(set(days))):
                length = last - first + 1
                if length <= self.max_days:
                    continue
                over = first + self.max_days
                events = tuple(
                    e
                    for e, d in zip(series.events, series.days, strict=True)
                    if e.product.name == name and over <= d <= last
                )
                findings.append(
                    Finding(
                        self.code,
                        self.severity,
                        f"{name} ({self.substance}) used on {length} days in a row, "
                        f"{ctx.day_to_date(first)} to {ctx.day_to_date(last)}; "
                        f"rotate after {self.max_days}",
                        at=events[0].at,
                        events=events,
                        rule=self,
                        key=(name, first),
                        measured=length,
                        limit=self.max_days,
                    )
                )
        return findings


def _tags(value: Iterable[str] | str) -> frozenset[str]:
    items = (value,) if isinstance(value, str) else tuple(value)
    out = frozenset(str(v).strip().lower() for v in items)
    if not out or "" in out:
        msg = f"AvoidTags needs at least one non-empty tag (got {value!r})"
        raise ValueError(msg)
    return out


@attrs.frozen(cache_hash=True, repr=False)
class AvoidTags(_BuiltinRule):
    """No product tagged with any of *tags* (``"lactose"``, ``"added sugar"``).

    One finding per product per day.
    """

    code: ClassVar[str] = "avoid-tag"

    tags: frozenset[str] = attrs.field(converter=_tags)

    def _check(self, ctx: Context) -> list[Finding]:
        groups: dict[tuple[str, int], list[DoseEvent]] = {}
        for event in ctx.timeline.events:
            hit = self.tags & event.product.tags
            if hit:
                groups.setdefault(
                    (event.product.name, ctx.day_number(event)), []
                ).append(event)
        findings = []
        for (name, day), events in groups.items():
            avoided = sorted(self.tags & events[0].product.tags)
            findings.append(
                Finding(
                    self.code,
                    self.severity,
                    f"{name} is tagged {', '.join(repr(t) for t in avoided)}, which you avoid "
                    f"({_format.moment(events[0].at)})",
                    at=events[0].at,
                    events=tuple(events),
                    rule=self,
                    key=(name, day),
                )
            )
        return findings


#: Every built-in rule class.
BUILTIN: Final = (
    MaxAmount,
    MaxDoses,
    MinInterval,
    MaxConsecutiveDays,
    BreakCadence,
    Rotation,
    AvoidTags,
)
