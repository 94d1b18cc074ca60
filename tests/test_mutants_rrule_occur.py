"""Tests that pin regimen._rrule_occur exactly enough to kill its mutants (issue 10).

What the checks of a file's rules charge to the file's budget is part of
the contract that bounds loading: one period per period scanned, the
never-matches scan over exactly the years 2000 to 2028 from 1 January
2000 (every shape of year, month and week occurs in them), and a budget
of exactly the periods needed is enough. The never-matches verdict is kept
per rule, in a cache of bounded size. An UNTIL on the window's last day
scans no day past the window. The over-budget message is pinned in full.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from regimen import _rrule_occur as occur
from regimen._rrule_set import RecurrenceSet


def charged(text: str) -> int:
    """Return the periods the checks of *text* charge to a file's budget."""
    with occur.file_budget():
        if "BYMONTHDAY=30" in text:  # 30 February: refused, after its scan
            with pytest.raises(ValueError, match="can never match"):
                RecurrenceSet.parse(text, times_given=True)
        else:
            RecurrenceSet.parse(text, times_given=True)
        left = occur._FILE_LEFT.get()
        assert left is not None
        return occur.FILE_PERIODS - left[0]


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        # 1 January of a leap year: 1 January 2000 is the first period's
        ("FREQ=YEARLY;BYYEARDAY=-366", 1),
        ("FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=SA", 1),
        # ... on a Saturday, which 1 January 2000 and 2028 are
        ("FREQ=DAILY;BYYEARDAY=-366;BYDAY=SA", 1),
        ("FREQ=WEEKLY;BYMONTH=1;BYDAY=SA", 1),
        # 31 December on a Monday in a leap year: first in 2012
        ("FREQ=YEARLY;BYYEARDAY=366;BYDAY=MO", 13),
        # never: every year 2000-2028 (29), every month of them (348)
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", 29),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", 29 * 12),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", 29),
    ],
)
def test_the_never_matches_scan_charges_each_period(text: str, periods: int) -> None:
    """The scan from 1 January 2000 stops at the first match, or after 2028."""
    assert charged(text) == periods


def test_a_rule_that_fills_in_its_day_is_not_scanned() -> None:
    """Without a BYxxx day part the entry's first day matches: nothing to charge."""
    assert charged("FREQ=MONTHLY;BYMONTH=2") == 0


def test_a_budget_of_exactly_the_periods_needed_is_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file's last period may be spent; one fewer refuses the rule."""
    text = "FREQ=YEARLY;BYYEARDAY=366;BYDAY=MO"
    needed = charged(text)
    assert needed == 13
    occur._EVER.clear()
    monkeypatch.setattr(occur, "FILE_PERIODS", needed)
    with occur.file_budget():
        RecurrenceSet.parse(text, times_given=True)
        assert occur._FILE_LEFT.get() == [0]
    occur._EVER.clear()
    monkeypatch.setattr(occur, "FILE_PERIODS", needed - 1)
    with occur.file_budget(), pytest.raises(ValueError, match="too many") as info:
        RecurrenceSet.parse(text, times_given=True)
    assert str(info.value) == (
        f"recurrence rule {text!r}: is one rule too many to check: this file's "
        f"recurrence rules have already been scanned over {needed - 1} periods "
        "(months, weeks or years) in all; give fewer or simpler rules (entries "
        "can share one), or split the plan into several files"
    )


def test_each_rule_gets_its_own_verdict() -> None:
    """A rule that never matches is refused even after one that does was checked."""
    RecurrenceSet.parse("FREQ=YEARLY;BYYEARDAY=366;BYDAY=MO", times_given=True)
    with pytest.raises(ValueError, match="can never match"):
        RecurrenceSet.parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", times_given=True)
    RecurrenceSet.parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", times_given=True)


def test_the_verdict_cache_holds_at_most_max_ever() -> None:
    """The verdicts are forgotten all at once when one more would pass the bound."""
    for n in range(occur._MAX_EVER):
        assert occur._ever(("rule", n), lambda: True)
    assert len(occur._EVER) == occur._MAX_EVER
    assert not occur._ever(("rule", "new"), lambda: False)
    assert occur._EVER == {("rule", "new"): False}


def test_until_on_the_windows_last_day_scans_no_further() -> None:
    """An UNTIL on the window's last day charges no period after the window."""
    rs = RecurrenceSet.parse(
        "DTSTART:20270101T090000\nRRULE:FREQ=DAILY;UNTIL=20271231T090000"
    )
    spent: list[int] = []
    got = list(
        rs.occurrences(
            date(2027, 1, 1),
            date(2027, 12, 31),
            anchor=date(2027, 1, 1),
            spend=spent.append,
        )
    )
    assert len(got) == 365
    assert got[-1] == (date(2027, 12, 31), (time(9),))
    assert spent == [365]
