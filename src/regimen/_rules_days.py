"""Rules that count local days, and tags.

:class:`MaxConsecutiveDays`, :class:`BreakCadence`, :class:`Rotation` and
:class:`AvoidTags`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

import attrs

from . import _format
from ._finding import Finding
from ._finding_lazy import NO_MOMENT, Detail, Picked, Run
from ._rules_base import BuiltinRule, to_positive_int, to_term
from ._series import Context, pick

if TYPE_CHECKING:
    from ._tables import RuleTable

__all__ = ["AvoidTags", "BreakCadence", "MaxConsecutiveDays", "Rotation"]


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive integers in sorted, distinct *numbers*."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def longest_free_run(used: Iterable[int], first: int, last: int) -> int:
    """Return the longest run of days in *first*..*last* not among *used*.

    >>> longest_free_run([3, 7], 1, 10)
    3
    """
    longest, cursor = 0, first
    for day in sorted({d for d in used if first <= d <= last}):
        longest = max(longest, day - cursor)
        cursor = day + 1
    return max(longest, last - cursor + 1)


@attrs.frozen(cache_hash=True, repr=False)
class MaxConsecutiveDays(BuiltinRule):
    """*substance* on at most *days* local days in a row (one finding per run).

    >>> MaxConsecutiveDays("kratom", 7).to_table()
    {'type': 'max-consecutive-days', 'substance': 'kratom', 'days': 7}
    """

    code: ClassVar[str] = "max-consecutive-days"

    substance: str = attrs.field(converter=to_term)
    days: int = attrs.field(converter=to_positive_int)

    def _table(self) -> RuleTable:
        return {"type": self.code, "substance": self.substance, "days": self.days}

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
                    count_unit="days",
                )
            )
        return findings


@attrs.frozen(cache_hash=True, repr=False)
class BreakCadence(BuiltinRule):
    """At least *days* consecutive free days of *substance* in every *every*-day span.

    Spans are taken over the checked period (the timeline's
    :attr:`~regimen.Timeline.first_day` to :attr:`~regimen.Timeline.last_day`);
    a period shorter than *every* has no span to check. One finding per
    stretch of failing spans, for the first span of the stretch: its
    ``measured`` is the longest run of free days in that span (0 when there
    is none) and its ``limit`` is *days*, both counts of days; its events
    are every dose in the stretch's failing spans.

    >>> BreakCadence("kratom", days=3, every=30).to_table()
    {'type': 'break-cadence', 'substance': 'kratom', 'days': 3, 'every': 30}
    """

    code: ClassVar[str] = "break-cadence"

    substance: str = attrs.field(converter=to_term)
    days: int = attrs.field(kw_only=True, converter=to_positive_int)
    every: int = attrs.field(kw_only=True, converter=to_positive_int)

    @every.validator
    def _check_every(self, _attribute: object, value: int) -> None:
        if value < self.days:
            msg = f"BreakCadence every ({value}) must be at least days ({self.days})"
            raise ValueError(msg)

    def _table(self) -> RuleTable:
        return {
            "type": self.code,
            "substance": self.substance,
            "days": self.days,
            "every": self.every,
        }

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
        spans = dict(self.failing_spans(ctx))

        def fill(finding: Finding, last: int) -> Detail:
            lo = finding.key
            assert isinstance(lo, int)
            hi = spans[lo]
            more = (
                ""
                if hi == lo
                else f" (nor in any such span starting up to {ctx.day_to_date(hi)})"
            )
            # Every dose of the stretch's failing spans, so that a dose in
            # any of them is in the finding.
            involved = series.indices_between(lo, hi + self.every - 1)
            return (
                f"no {self.days} consecutive free days of {self.substance} in the "
                f"{self.every} days {ctx.day_to_date(lo)} to "
                f"{ctx.day_to_date(lo + self.every - 1)}"
                f"{more}; cadence: {self.days} free days in every {self.every}",
                series.events[last].at if last >= 0 else None,
                Picked(series.events, involved),
            )

        run = Run(
            fill,
            code=self.code,
            severity=self.severity,
            rule=self,
            limit=self.days,
            count_unit="days",
        )
        keys, measured, instants, lasts = [], [], [], []
        for lo in spans:
            span_end = lo + self.every - 1
            indices = series.indices_between(lo, span_end)
            keys.append(lo)
            measured.append(
                longest_free_run((series.days[i] for i in indices), lo, span_end)
            )
            instants.append(series.times[indices[-1]] if indices else NO_MOMENT)
            lasts.append(indices[-1] if indices else -1)
        return run.findings(keys, measured, instants, lasts)


@attrs.frozen(cache_hash=True, repr=False)
class Rotation(BuiltinRule):
    """The same product containing *substance* on at most *max_days* days in a row.

    One finding per product per run; its events are that product's doses
    on the days past *max_days*.

    >>> Rotation("kratom", max_days=7).to_table()
    {'type': 'rotation', 'substance': 'kratom', 'max_days': 7}
    """

    code: ClassVar[str] = "rotation"

    substance: str = attrs.field(converter=to_term)
    max_days: int = attrs.field(kw_only=True, converter=to_positive_int)

    def _table(self) -> RuleTable:
        return {
            "type": self.code,
            "substance": self.substance,
            "max_days": self.max_days,
        }

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance)
        names = ctx.product_names(series.positions)
        by_product: dict[str, list[int]] = {}
        for name, day in zip(names, series.days, strict=True):
            by_product.setdefault(name, []).append(day)
        findings = []
        for name, days in by_product.items():
            for first, last in _runs(sorted(set(days))):
                length = last - first + 1
                if length <= self.max_days:
                    continue
                over = first + self.max_days
                events = pick(
                    series.events,
                    (
                        i
                        for i, (n, d) in enumerate(zip(names, series.days, strict=True))
                        if n == name and over <= d <= last
                    ),
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
                        count_unit="days",
                    )
                )
        return findings


def to_tags(
    value: Iterable[str] | str, *, field: str = "AvoidTags.tags"
) -> frozenset[str]:
    """Convert tags to a frozenset of stripped, lower-case, non-empty strings.

    Raises ``ValueError`` naming *field* for an empty tag.

    >>> sorted(to_tags(["Lactose", " added sugar "]))
    ['added sugar', 'lactose']
    """
    items = (value,) if isinstance(value, str) else tuple(value)
    out = frozenset(str(v).strip().lower() for v in items)
    if "" in out:
        msg = f"{field} must not contain an empty tag (got {value!r}); remove it"
        raise ValueError(msg)
    return out


def _tags(value: Iterable[str] | str) -> frozenset[str]:
    out = to_tags(value)
    if not out:
        msg = f"AvoidTags needs at least one non-empty tag (got {value!r})"
        raise ValueError(msg)
    return out


@attrs.frozen(cache_hash=True, repr=False)
class AvoidTags(BuiltinRule):
    """No product tagged with any of *tags* (``"lactose"``, ``"added sugar"``).

    One finding per product per day.

    >>> AvoidTags({"Lactose"}).to_table()
    {'type': 'avoid-tag', 'tags': ['lactose']}
    """

    code: ClassVar[str] = "avoid-tag"

    tags: frozenset[str] = attrs.field(converter=_tags)

    def _table(self) -> RuleTable:
        return {"type": self.code, "tags": sorted(self.tags)}

    def _check(self, ctx: Context) -> list[Finding]:
        index = ctx.index
        doses = index.table.doses
        hit = [bool(self.tags & doses[k.dose].product.tags) for k in index.kinds]
        positions = index.where(hit)
        groups: dict[tuple[str, int], list[int]] = {}
        days = ctx.days
        for p, name in zip(positions, ctx.product_names(positions), strict=True):
            groups.setdefault((name, days[p]), []).append(p)
        findings = []
        for (name, day), places in groups.items():
            events = index.events_at(places)
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
