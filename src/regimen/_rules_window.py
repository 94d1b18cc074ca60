"""Rules over windows of time: :class:`MaxAmount`, :class:`MaxDoses`, :class:`MinInterval`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar, TypeAlias

import attrs

from . import _format
from ._finding import Finding, Rule, Severity, trusted_finding
from ._quantity import Quantity
from ._rules_base import (
    US,
    BuiltinRule,
    Per,
    day_label,
    per_text,
    to_limit,
    to_per,
    to_positive_int,
    to_positive_time,
    to_term,
)
from ._series import Context, Series, pick, scaled, unscaled

if TYPE_CHECKING:
    from ._tables import RuleTable

__all__ = ["MaxAmount", "MaxDoses", "MinInterval", "gaps"]

_Row: TypeAlias = tuple[int, "Sequence[int]", int, int]


def _mismatch(rule: MaxAmount, series: Series) -> Iterator[Finding]:
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


def _worst_windows(
    series: Series, values: list[int], per: Per, limit: int
) -> list[_Row]:
    """Each group's worst window whose total passes *limit*.

    Rows are (key, event indices, total, index of the window's last event).
    For "day"/"week" a group is a local day or an ISO week (key: day number
    or year*100+week); for a rolling window the window ending at each
    event's instant counts for that event's day; for "dose" each event is
    its own window. A row's events are every event of a window over the
    limit in its group (so a dose that takes part in any violation is in a
    finding); its total and last event are those of the worst window.
    Only windows over the limit are kept, so the sweep allocates nothing
    per event within the limit.
    """
    best: dict[int, _Row] = {}
    n = len(values)
    if per == "dose":
        over: dict[int, list[int]] = {}
        for i in range(n):
            if values[i] > limit:
                day = series.days[i]
                over.setdefault(day, []).append(i)
                if day not in best or values[i] > best[day][2]:
                    best[day] = (day, (), values[i], i)
        return [(d, over[d], total, last) for d, (_, _, total, last) in best.items()]
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
                indices: Sequence[int] = range(a, b + 1)
                if any(days[k] != day for k in indices):
                    indices = [k for k in indices if days[k] == day]
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
    width = per // US
    times, days = series.times, series.days
    spans: dict[int, list[list[int]]] = {}  # day -> merged [lo, hi) ranges
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
                merged = spans.setdefault(day, [])
                if merged and lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], j)
                else:
                    merged.append([lo, j])
                if day not in best or total > best[day][2]:
                    best[day] = (day, (), total, j - 1)
        i = j
    return [
        (day, [k for a, b in spans[day] for k in range(a, b)], total, last)
        for day, (_, _, total, last) in best.items()
    ]


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
    measured: Quantity | int,
    limit: Quantity | int,
) -> Finding:
    """Report one group's worst window: what was taken, where, and the limit."""
    key, indices, _, last = row
    events = series.events
    listed = pick(events, indices)
    return trusted_finding(
        rule.code,
        rule.severity,
        f"{what} {_window_words(rule.per, ctx, series, key, last)}; limit {limit}",
        at=events[last].at,
        events=listed,
        rule=rule,
        key=key,
        measured=measured,
        limit=limit,
        count_unit="doses" if isinstance(measured, int) else "count",
    )


def _window_words(per: Per, ctx: Context, series: Series, key: int, last: int) -> str:
    if per == "dose":
        return f"in one dose at {_format.moment(series.events[last].at)}"
    if per == "day":
        return f"on {day_label(ctx, key)}"
    if per == "week":
        return f"in ISO week {key // 100}-W{key % 100:02d}"
    assert isinstance(per, timedelta)
    return f"in the {_format.duration(per)} ending {_format.moment(series.events[last].at)}"


@attrs.frozen(cache_hash=True, repr=False)
class MaxAmount(BuiltinRule):
    """At most *amount* of *substance* per dose, day, ISO week or rolling window.

    *substance* is a name, alias or class; the matching substances'
    contents of every event are summed (a product can contain several).
    *per* is ``"dose"``, ``"day"`` (local calendar day from *day_start*),
    ``"week"`` (ISO week) or a :class:`~datetime.timedelta` (rolling window
    ``(t - per, t]``). A total equal to the limit is fine. One finding per
    day (or week) at most, with the worst total, summed exactly however
    many digits it needs.

    >>> MaxAmount("kratom", "8 g", per=timedelta(hours=24))
    MaxAmount(substance='kratom', amount=Quantity('8', 'g'), per=datetime.timedelta(days=1), severity=<Severity.ERROR: 3>, day_start=None, source=None)
    >>> MaxAmount("kratom", "8 g", per="24 h").to_table()
    {'type': 'max-amount', 'substance': 'kratom', 'amount': '8 g', 'per': '24 h'}
    """

    code: ClassVar[str] = "max-amount"

    substance: str = attrs.field(converter=to_term)
    amount: Quantity = attrs.field(converter=to_limit)
    per: Per = attrs.field(kw_only=True, converter=to_per)

    def _table(self) -> RuleTable:
        return {
            "type": self.code,
            "substance": self.substance,
            "amount": str(self.amount),
            "per": per_text(self.per),
        }

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance, self.amount.unit)
        findings = list(_mismatch(self, series))
        exponent = self.amount.amount.as_tuple().exponent
        assert isinstance(exponent, int)
        scale = max(series.scale, -exponent)
        factor = 10 ** (scale - series.scale)
        values = [v * factor for v in series.amounts]
        most = scaled(self.amount.amount, scale)
        said: dict[int, tuple[Quantity, str]] = {}  # most days repeat a total
        for row in _worst_windows(series, values, self.per, most):
            known = said.get(row[2])
            if known is None:
                quantity = Quantity(unscaled(row[2], scale), self.amount.unit)
                text = _format.amount(quantity.amount, quantity.unit)
                known = said[row[2]] = (quantity, text)
            measured, amount = known
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
class MaxDoses(BuiltinRule):
    """At most *count* doses containing *substance* per day, ISO week or rolling window.

    *per* is ``"day"``, ``"week"`` or a :class:`~datetime.timedelta`
    (``"dose"`` would always be one dose and is refused).

    >>> MaxDoses("kratom", 3, per="day", severity="warning").to_table()
    {'type': 'max-doses', 'substance': 'kratom', 'count': 3, 'per': 'day', 'severity': 'warning'}
    """

    code: ClassVar[str] = "max-doses"

    substance: str = attrs.field(converter=to_term)
    count: int = attrs.field(converter=to_positive_int)
    per: Per = attrs.field(kw_only=True, converter=to_per)

    @per.validator
    def _check_per(self, _attribute: object, value: Per) -> None:
        if value == "dose":
            msg = "MaxDoses per='dose' always counts one dose; use 'day', 'week' or a window"
            raise ValueError(msg)

    def _table(self) -> RuleTable:
        return {
            "type": self.code,
            "substance": self.substance,
            "count": self.count,
            "per": per_text(self.per),
        }

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
class MinInterval(BuiltinRule):
    """At least *interval* of elapsed time between doses containing *substance*.

    One finding per day at most, for the shortest gap that day; its events
    are every dose of that day's gaps that are too short (each one taken
    too soon and the one before it).

    >>> MinInterval("kratom", "4 h", day_start="04:00").to_table()
    {'type': 'min-interval', 'substance': 'kratom', 'interval': '4 h', 'day_start': '04:00'}
    """

    code: ClassVar[str] = "min-interval"

    substance: str = attrs.field(converter=to_term)
    interval: timedelta = attrs.field(converter=to_positive_time)

    def _table(self) -> RuleTable:
        return {
            "type": self.code,
            "substance": self.substance,
            "interval": _format.duration(self.interval),
        }

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
    rule: Rule | None,
    ctx: Context,
    series: Series,
    interval: timedelta,
    code: str,
    severity: Severity,
    *,
    what: str,
) -> list[Finding]:
    """Report consecutive events of *series* closer than *interval*.

    One finding per day (the day of each pair's later dose), stating the
    shortest gap; its events are every dose of that day's short gaps.
    """
    need = interval // US
    worst: dict[int, int] = {}
    involved: dict[int, dict[int, None]] = {}
    times = series.times
    for i in range(1, len(times)):
        gap = times[i] - times[i - 1]
        if gap < need:
            day = series.days[i]
            pair = involved.setdefault(day, {})
            pair[i - 1] = pair[i] = None
            if day not in worst or gap < times[worst[day]] - times[worst[day] - 1]:
                worst[day] = i
    findings = []
    for day, i in worst.items():
        gap_td = (times[i] - times[i - 1]) * US
        event = series.events[i]
        findings.append(
            Finding(
                code,
                severity,
                f"{name} taken {_format.duration(gap_td)} after the previous dose, "
                f"at {_format.moment(event.at)}; {what} {_format.duration(interval)}",
                at=event.at,
                events=pick(series.events, involved[day]),
                rule=rule,
                key=day,
                measured=gap_td,
                limit=interval,
            )
        )
    return findings
