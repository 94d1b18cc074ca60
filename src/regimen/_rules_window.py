"""Rules over windows of time: :class:`MaxAmount`, :class:`MaxDoses`, :class:`MinInterval`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

import attrs

from . import _format
from ._finding import Finding, Measure, Rule, Severity
from ._finding_lazy import Detail, Picked, Run
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
from ._series import Context, Series, as_list, places, scaled, unscaled
from ._windows import Involved, worst_windows
from ._windows_np import arrays, gap_rows, ones

if TYPE_CHECKING:
    from ._tables import RuleTable

__all__ = ["MaxAmount", "MaxDoses", "MinInterval", "gaps"]


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


def _window_findings(  # noqa: PLR0917 - one private helper of two rules
    rule: MaxAmount | MaxDoses,
    ctx: Context,
    series: Series,
    values: list[int],
    limit_scaled: int,
    measure: Callable[[int], Measure],
) -> list[Finding]:
    """One finding per group's worst window: what was taken, where, and the limit.

    *measure* turns a window's total into the finding's measure. Message,
    moment and events are worked out when first read.
    """
    involved = Involved(series, values, rule.per, limit_scaled)
    limit: Measure = rule.amount if isinstance(rule, MaxAmount) else rule.count
    count_unit = "count" if isinstance(rule, MaxAmount) else "doses"
    times, events = series.times, series.events

    def fill(finding: Finding, last: int) -> Detail:
        key = finding.key
        assert isinstance(key, int)
        measured = finding.measured
        if isinstance(measured, Quantity):
            what = (
                f"{_format.amount(measured.amount, measured.unit)} of {rule.substance}"
            )
        else:
            what = f"{measured} doses of {rule.substance}"
        words = _window_words(rule.per, ctx, series, key, last)
        return (
            f"{what} {words}; limit {limit}",
            events[last].at,
            Picked(events, involved(key)),
        )

    run = Run(
        fill,
        code=rule.code,
        severity=rule.severity,
        rule=rule,
        limit=limit,
        count_unit=count_unit,
    )
    keys, totals, lasts = worst_windows(series, values, rule.per, limit_scaled)
    if not keys:
        return []
    measures = {total: measure(total) for total in set(totals)}
    return run.findings(
        keys, map(measures.__getitem__, totals), map(times.__getitem__, lasts), lasts
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
        scale = max(series.scale, places(self.amount.amount))
        factor = 10 ** (scale - series.scale)
        values = series.amounts if factor == 1 else [v * factor for v in series.amounts]
        most = scaled(self.amount.amount, scale)
        unit = self.amount.unit
        findings.extend(
            _window_findings(
                self,
                ctx,
                series,
                values,
                most,
                lambda total: Quantity(unscaled(total, scale), unit),
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
        return _window_findings(
            self,
            ctx,
            series,
            ones(series),
            self.count,
            int,
        )


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
    times = series.times
    data = arrays(series, None)
    rows = None if data is None else gap_rows(data, need)
    keys, later = _shortest_gaps(series, need) if rows is None else rows
    events = series.events

    def fill(finding: Finding, i: int) -> Detail:
        day, gap = finding.key, finding.measured
        assert isinstance(day, int)
        assert isinstance(gap, timedelta)
        event = events[i]
        involved: set[int] = set()
        for k in series.by_day[day]:
            if k and times[k] - times[k - 1] < need:
                involved.update((k - 1, k))
        return (
            f"{name} taken {_format.duration(gap)} after the previous dose, "
            f"at {_format.moment(event.at)}; {what} {_format.duration(interval)}",
            event.at,
            Picked(events, sorted(involved)),
        )

    run = Run(fill, code=code, severity=severity, rule=rule, limit=interval)
    return run.findings(
        keys,
        [(times[i] - times[i - 1]) * US for i in later],
        map(times.__getitem__, later),
        later,
    )


def _shortest_gaps(series: Series, need: int) -> tuple[list[int], list[int]]:
    """Each day's shortest gap under *need* µs, first of equals: days and later doses."""
    worst: dict[int, int] = {}
    times, days = as_list(series.times), as_list(series.days)
    for i in range(1, len(times)):
        gap = times[i] - times[i - 1]
        if gap < need:
            day = days[i]
            if day not in worst or gap < times[worst[day]] - times[worst[day] - 1]:
                worst[day] = i
    return list(worst), list(worst.values())
