"""A plan's breaks as expansion applies them: one-off spans and repeating days.

One-off breaks are spans: an entry's days minus them are worked out by
interval arithmetic (:meth:`Breaks.free`). Repeating breaks (weekly, by
rule, cycles) are never turned into lists of spans over the whole plan: each
candidate day of an entry asks them whether it is a break day and, if so,
where that run of break days ends (constant work for weekly and cycle
breaks; a rule's runs are scanned once per expansion, within its window,
charged to the budget). A long run is skipped by restarting the entry's
days after it, so a break of many days off costs one step, not one per day.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Final

from ._break_days import run_end, runs

if TYPE_CHECKING:
    from ._break import Break
    from ._plan import Entry, Plan

__all__ = ["MAX_RUNS", "Breaks", "minus", "without_runs"]

_DAY: Final = timedelta(days=1)
#: A run of break days longer than this restarts an entry's days after it.
_SKIP: Final = 31
_Span = tuple[date, date]
RunEnd = Callable[[date], "date | None"]


def merge(spans: list[_Span]) -> tuple[_Span, ...]:
    """Merge inclusive date spans into sorted, disjoint, non-adjacent ones."""
    out: list[_Span] = []
    for a, b in sorted(spans):
        if out and (a - out[-1][1]).days <= 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return tuple(out)


class _RuleRuns:
    """A rule break's runs of days within the expansion window, for lookups."""

    __slots__ = ("ends", "starts")

    def __init__(
        self, pause: Break, lo: date, hi: date, spend: Callable[[int], None]
    ) -> None:
        runs = list(pause.runs(lo, hi, spend=spend))
        self.starts = [a for a, _ in runs]
        self.ends = [b for _, b in runs]

    def run_end(self, day: date) -> date | None:
        k = bisect.bisect_right(self.starts, day) - 1
        return self.ends[k] if k >= 0 and self.ends[k] >= day else None


class Breaks:
    """The plan's breaks, indexed by the terms they name (casefolded)."""

    def __init__(self, plan: Plan, lo: date, hi: date) -> None:
        self.breaks = plan.breaks
        self.window = (lo, hi)
        self.everything = [i for i, b in enumerate(plan.breaks) if b.substances is None]
        self.by_term: dict[str, list[int]] = {}
        for i, b in enumerate(plan.breaks):
            for term in b.substances or ():
                self.by_term.setdefault(term.strip().casefold(), []).append(i)
        self._merged: dict[frozenset[int], tuple[_Span, ...]] = {}
        self._ends: dict[frozenset[int], list[date]] = {}
        self._starts: dict[frozenset[int], list[date]] = {}
        self._rules: dict[int, _RuleRuns] = {}
        self._spans: dict[tuple[frozenset[int], date, date], list[_Span] | None] = {}

    def chosen(self, entry: Entry, spend: Callable[[int], None]) -> frozenset[int]:
        """Return the indexes of the breaks that apply to *entry*."""
        chosen: set[int] = set(self.everything)
        for substance in entry.dose.contents:
            for term in substance._terms:
                hits = self.by_term.get(term)
                if hits:
                    spend(len(hits))
                    chosen.update(hits)
        return frozenset(chosen)

    def recurring(
        self, chosen: frozenset[int], spend: Callable[[int], None]
    ) -> list[RunEnd]:
        """Return a run-end lookup for each repeating break among *chosen*, in index order."""
        out: list[RunEnd] = []
        for i in sorted(chosen):
            pause = self.breaks[i]
            if pause.kind == "once":
                continue
            if pause.rule is None:
                out.append(partial(run_end, pause))
                continue
            runs = self._rules.get(i)
            if runs is None:
                runs = self._rules[i] = _RuleRuns(pause, *self.window, spend)
            out.append(runs.run_end)
        return out

    def free(
        self,
        chosen: frozenset[int],
        first: date,
        last: date,
        spend: Callable[[int], None],
    ) -> list[_Span]:
        """Return the spans of [first, last] no one-off break among *chosen* covers."""
        blocked = self._merged.get(chosen)
        if blocked is None:
            spend(len(chosen))
            blocked = merge(
                [
                    (p.start, p.end)
                    for i in chosen
                    if (p := self.breaks[i]).kind == "once" and p.end is not None
                ]
            )
            self._merged[chosen] = blocked
            self._ends[chosen] = [b for _a, b in blocked]
            self._starts[chosen] = [a for a, _b in blocked]
        # The spans that reach into [first, last]; each costs one step.
        k0 = bisect.bisect_left(self._ends[chosen], first)
        k1 = bisect.bisect_right(self._starts[chosen], last)
        spend(k1 - k0)
        return minus([(first, last)], list(blocked[k0:k1]))

    def repeating_spans(
        self, chosen: frozenset[int], first: date, last: date
    ) -> list[_Span] | None:
        """Return the merged runs of the repeating breaks among *chosen* within [first, last].

        ``None`` when they would be too many to list (more than
        :data:`MAX_RUNS`: a weekly break over millennia); the caller then
        asks the breaks day by day. A rule break's runs come from its scan
        (charged to the budget by :meth:`recurring`, which must come first).
        """
        key = (chosen, first, last)
        if key in self._spans:
            return self._spans[key]
        found = self._spans[key] = self._repeating_spans(chosen, first, last)
        return found

    def days_at_most(
        self, chosen: frozenset[int], first: date, last: date
    ) -> int | None:
        """Return at least the number of days the repeating breaks among *chosen* take in [first, last].

        Worked out in constant time per break, for weekly and cycle breaks;
        ``None`` when a date-rule break is among them.
        """
        days = (last - first).days + 1
        most = 0
        for i in chosen:
            pause = self.breaks[i]
            if pause.kind == "once":
                continue
            if pause.rule is not None:
                return None
            if pause.weekdays:
                most += (days // 7 + 1) * len(pause.weekdays)
            else:
                most += (days // (pause.on_days + pause.off_days) + 1) * pause.off_days
        return most

    def _repeating_spans(
        self, chosen: frozenset[int], first: date, last: date
    ) -> list[_Span] | None:
        spans: list[_Span] = []
        for i in sorted(chosen):
            pause = self.breaks[i]
            if pause.kind == "once":
                continue
            if pause.rule is not None:
                found = self._rules[i]
                k = max(0, bisect.bisect_left(found.ends, first))
                while k < len(found.starts) and found.starts[k] <= last:
                    spans.append(
                        (max(first, found.starts[k]), min(last, found.ends[k]))
                    )
                    k += 1
            else:
                if _runs_at_most(pause, first, last) > MAX_RUNS - len(spans):
                    return None
                spans.extend(runs(pause, first, last, None))
            if len(spans) > MAX_RUNS:
                return None
        return list(merge(spans))


#: Most runs of repeating breaks listed for one entry; beyond, days are asked one by one.
MAX_RUNS: Final = 100_000


def _runs_at_most(pause: Break, first: date, last: date) -> int:
    """Return at least the number of runs a weekly or cycle *pause* has in [first, last]."""
    days = (last - first).days + 1
    if pause.weekdays:
        return (days // 7 + 2) * len(pause.weekdays)
    return days // (pause.on_days + pause.off_days) + 2


def minus(free: list[_Span], taken: list[_Span]) -> list[_Span]:
    """Return the sorted, disjoint spans *free* less the sorted, disjoint spans *taken*.

    >>> d = date.fromisoformat
    >>> minus([(d("2027-01-01"), d("2027-01-10"))], [(d("2027-01-03"), d("2027-01-04"))])
    [(datetime.date(2027, 1, 1), datetime.date(2027, 1, 2)), (datetime.date(2027, 1, 5), datetime.date(2027, 1, 10))]
    """
    out: list[_Span] = []
    k = 0
    for a, b in free:
        while k < len(taken) and taken[k][1] < a:
            k += 1
        cursor = a
        j = k
        while j < len(taken) and taken[j][0] <= b:
            lo, hi = taken[j]
            if lo > cursor:
                out.append((cursor, lo - _DAY))
            cursor = max(cursor, hi + _DAY)
            if hi >= b:
                break
            j += 1
        if cursor <= b:
            out.append((cursor, b))
    return out


def without_runs(
    days_from: Callable[[date], Iterable[date]],
    first: date,
    pauses: list[RunEnd],
    spend: Callable[[int], None],
) -> Iterator[date]:
    """Yield the days ``days_from(first)`` yields that no repeating break takes.

    *days_from(day)* yields an entry's candidate days from *day* on, in
    order; each day some break takes costs one step of *spend*, and after a
    run of more than a month of break days the candidates restart past it.
    """
    stream = iter(days_from(first))
    while True:
        restart: date | None = None
        for day in stream:
            end: date | None = None
            for ask in pauses:
                found = ask(day)
                if found is not None and (end is None or found > end):
                    end = found
            if end is None:
                yield day
                continue
            spend(1)
            if (end - day).days > _SKIP:
                restart = end + _DAY
                break
        if restart is None:
            return
        stream = iter(days_from(restart))
