"""Tests that pin regimen._expand_breaks exactly enough to kill its mutants (issue 10).

Repeating breaks are listed as spans unless they would be more than
``MAX_RUNS`` runs; the estimate that decides it (``_runs_at_most``) must
never be below the true number of runs (else a weekly break over
millennia would be listed after all) and is at most two partial periods
above it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from unittest import mock

from regimen import Break, Entry, Plan, Schedule, _expand_breaks
from regimen._break_days import runs
from regimen._expand_breaks import Breaks, _runs_at_most, minus, without_runs

from .helpers import kratom

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
START = date(2027, 1, 4)  # a Monday


def _true_runs(pause: Break, first: date, last: date) -> int:
    return sum(1 for _run in runs(pause, first, last, None))


class TestRunsAtMost:
    def test_weekly_bound(self) -> None:
        """A weekly break's estimate is a whole number of runs, at least the true one."""
        for weekdays in itertools.chain.from_iterable(
            itertools.combinations(range(7), n) for n in (1, 2, 3)
        ):
            pause = Break.weekly([CODES[w] for w in weekdays], start="2020-01-01")
            # No two chosen weekdays adjacent: every chosen day is a run of its own.
            apart = all(
                (b - a) % 7 not in (1, 6)
                for a, b in itertools.combinations(weekdays, 2)
            )
            longest = 120 if len(weekdays) == 1 else 24
            for shift, length in itertools.product(range(7), range(1, longest)):
                first = START + timedelta(days=shift)
                last = first + timedelta(days=length - 1)
                bound = _runs_at_most(pause, first, last)
                true = _true_runs(pause, first, last)
                assert isinstance(bound, int)
                assert bound >= true, (weekdays, first, last)
                if apart:
                    assert bound <= true + 2 * len(weekdays), (weekdays, first, last)

    def test_cycle_bound(self) -> None:
        """A cycle break's estimate is at least its true number of runs, at most two more."""
        for on, off in itertools.product(range(1, 4), range(1, 4)):
            pause = Break.cycle(on_days=on, off_days=off, start="2027-01-01")
            for shift, length in itertools.product(range(on + off), range(1, 60)):
                first = date(2027, 1, 1) + timedelta(days=shift)
                last = first + timedelta(days=length - 1)
                bound = _runs_at_most(pause, first, last)
                true = _true_runs(pause, first, last)
                assert isinstance(bound, int)
                assert true <= bound <= true + 2, (on, off, first, last)


class TestRuleBreaksAsSpans:
    def test_a_run_starting_on_the_last_day(self) -> None:
        """A rule break's run that starts on the entry's last day takes that day too."""
        plan = Plan(
            "p",
            timezone="UTC",
            start="2027-01-01",
            end="2027-01-10",  # a Sunday
            entries=[Entry(kratom(), Schedule.daily("08:00"))],
            breaks=[Break.rrule("FREQ=WEEKLY;BYDAY=SU", start="2027-01-01")],
        )
        assert [e.at.day for e in plan.timeline()] == [1, 2, 4, 5, 6, 7, 8, 9]
        assert [e.at.day for e in plan.timeline("2027-01-03", "2027-01-09")] == [
            4,
            5,
            6,
            7,
            8,
            9,
        ]


def _listed(
    pauses: list[Break], most: int, first: str, last: str
) -> list[tuple[int, int]] | None:
    """Return repeating_spans over [first, last] with MAX_RUNS = *most*, as day-of-month pairs."""
    plan = Plan(
        "p",
        timezone="UTC",
        start="2027-01-01",
        end="2027-01-31",
        entries=[Entry(kratom(), Schedule.daily("08:00"))],
        breaks=pauses,
    )
    breaks = Breaks(plan, plan.start, plan.end or plan.start)
    chosen = frozenset(range(len(pauses)))
    breaks.recurring(chosen, lambda _n: None)  # scans the rule breaks' runs
    with mock.patch.object(_expand_breaks, "MAX_RUNS", most):
        found = breaks.repeating_spans(
            chosen, date.fromisoformat(first), date.fromisoformat(last)
        )
    return None if found is None else [(a.day, b.day) for a, b in found]


class TestMaxRuns:
    """Up to MAX_RUNS runs are listed; beyond, the breaks are asked day by day (None)."""

    SUNDAYS = Break.weekly("SU", start="2027-01-01")
    WEDNESDAYS = Break.weekly("WE", start="2027-01-01")

    def test_a_weekly_estimate_of_exactly_max_runs_is_listed(self) -> None:
        # 14 days: at most 14 // 7 + 2 = 4 runs (there are 2).
        assert _listed([self.SUNDAYS], 4, "2027-01-04", "2027-01-17") == [
            (10, 10),
            (17, 17),
        ]
        assert _listed([self.SUNDAYS], 3, "2027-01-04", "2027-01-17") is None

    def test_the_room_left_shrinks_with_the_runs_listed(self) -> None:
        """A second break's estimate must fit in MAX_RUNS less the runs already listed."""
        pauses = [self.SUNDAYS, self.WEDNESDAYS]
        assert _listed(pauses, 6, "2027-01-04", "2027-01-17") == [
            (6, 6),
            (10, 10),
            (13, 13),
            (17, 17),
        ]
        assert _listed(pauses, 5, "2027-01-04", "2027-01-17") is None

    def test_exactly_max_runs_of_a_rule_are_listed(self) -> None:
        rule = Break.rrule("FREQ=WEEKLY;BYDAY=SU", start="2027-01-01")
        assert _listed([rule], 3, "2027-01-01", "2027-01-20") == [
            (3, 3),
            (10, 10),
            (17, 17),
        ]
        assert _listed([rule], 2, "2027-01-01", "2027-01-20") is None


def _days_from(last: date) -> Callable[[date], list[date]]:
    """Return the candidate days from a day to *last*, all of them."""

    def days_from(day: date) -> list[date]:
        return [day + timedelta(days=n) for n in range((last - day).days + 1)]

    return days_from


class TestWithoutRuns:
    """Candidate days against run-end lookups: one step per break day, one per long run."""

    FIRST = date(2027, 1, 1)

    def _left(self, run_days: int) -> tuple[list[date], list[int]]:
        """Return the days left around a run of *run_days* from 01-05, and the steps charged."""
        lo = self.FIRST + timedelta(days=4)
        hi = lo + timedelta(days=run_days - 1)

        def ask(day: date) -> date | None:
            return hi if lo <= day <= hi else None

        charged: list[int] = []
        last = hi + timedelta(days=3)
        days = list(without_runs(_days_from(last), self.FIRST, [ask], charged.append))
        want = [self.FIRST + timedelta(days=n) for n in range(4)]
        want += [hi + timedelta(days=n) for n in (1, 2, 3)]
        assert days == want
        return days, charged

    def test_a_run_of_32_days_is_walked(self) -> None:
        """A run of a month or less costs a step per day (32 days: the last is 31 after the first)."""
        assert self._left(32)[1] == [1] * 32

    def test_a_run_of_33_days_is_jumped(self) -> None:
        """A longer run costs one step: the candidates restart the day after it."""
        assert self._left(33)[1] == [1]
        assert self._left(400)[1] == [1]


def test_a_restart_day_that_ends_a_free_span() -> None:
    """After a long break run, the candidates restart on a day that is the last of a free span."""
    plan = Plan(
        "p",
        timezone="UTC",
        start="2027-01-01",
        end="2027-02-20",
        entries=[Entry(kratom(), Schedule.daily("08:00"))],
        breaks=[
            # Off 2027-01-03 to 02-11 (40 days), then on 02-12 and 02-13.
            Break.cycle(on_days=2, off_days=40, start="2027-01-01"),
            Break("2027-02-13", "2027-02-13"),
        ],
    )
    with mock.patch.object(
        _expand_breaks, "MAX_RUNS", 0
    ):  # the breaks asked day by day
        days = [(e.at.month, e.at.day) for e in plan.timeline()]
    assert days == [(1, 1), (1, 2), (2, 12)]


def _spans(mask: int, width: int) -> list[tuple[date, date]]:
    """Return the maximal runs of set bits of *mask* as spans of days from 2027-01-01."""
    out: list[tuple[date, date]] = []
    for n in range(width):
        if mask >> n & 1:
            day = date(2027, 1, 1) + timedelta(days=n)
            if out and out[-1][1] == day - timedelta(days=1):
                out[-1] = (out[-1][0], day)
            else:
                out.append((day, day))
    return out


def test_minus_is_set_difference() -> None:
    """Every pair of span lists over seven days: minus is the difference of their days."""
    width = 7
    for free, taken in itertools.product(range(1 << width), repeat=2):
        assert minus(_spans(free, width), _spans(taken, width)) == _spans(
            free & ~taken, width
        )
