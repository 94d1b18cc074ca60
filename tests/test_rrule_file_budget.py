"""One file's recurrence rules share a work budget while it loads (issue 10).

A plan file of thousands of distinct rules that never match from their
DTSTART (``INTERVAL=12`` from January with ``BYMONTH=2``, say) made loading
scan for 35 s of CPU: each rule's own budget was generous, and nothing
bounded their sum. The checks of one file now share
:data:`~regimen._rrule_occur.FILE_PERIODS` periods; past it each further rule
is refused with a message that says why and what to change, so a file of any
size loads or fails in bounded time. The same rule repeated is checked once.
"""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest

from regimen import LoadError, Schedule, loads
from regimen import _rrule_occur as occur
from regimen._rrule import RecurrenceRule

from .test_files_hostile import MINIMAL

HEAD = MINIMAL  # a plan with one daily entry: the entries below come after it


def _entry(rule: str) -> str:
    return (
        '\n[[plan.entries]]\ndose = { product = "Maeng Da", amount = "1 g" }\n'
        f'schedule = {{ kind = "rrule", rule = "{rule}", times = ["08:00"] }}\n'
    )


def _unreachable(i: int) -> str:
    """From January every 12 months never reaches February: scanned to 9998."""
    return f"DTSTART:{2001 + i:04d}0101\\nRRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTH=2"


def _problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as info:
        loads(text)
    return list(info.value.problems)


def test_distinct_rules_share_one_budget() -> None:
    """Once the file's budget is spent, each further rule is refused, saying why."""
    # Each rule scans about 8,000 periods (2001..9998): three fit in 25,000.
    with mock.patch.object(occur, "FILE_PERIODS", 25_000):
        found = _problems(HEAD + "".join(_entry(_unreachable(i)) for i in range(6)))
    assert len(found) == 6
    assert all("selects no day from DTSTART" in p for p in found[:3])
    for problem in found[3:]:
        assert "is one rule too many to check" in problem
        assert "25000 periods" in problem
        assert "split the plan into several files" in problem
    assert found[5].startswith("plan.entries[6].schedule")


def test_the_budget_is_per_file() -> None:
    """Loading a second file starts afresh; outside a file load there is no shared budget."""
    text = HEAD + _entry(_unreachable(0))
    with mock.patch.object(occur, "FILE_PERIODS", 9_000):
        for _ in range(3):
            (problem,) = _problems(text)
            assert "selects no day from DTSTART" in problem
    with (
        mock.patch.object(occur, "FILE_PERIODS", 0),
        pytest.raises(ValueError, match="selects no day from DTSTART"),
    ):
        Schedule.rrule(_unreachable(0).replace("\\n", "\n"), "08:00")


def test_a_repeated_impossible_rule_is_scanned_once() -> None:
    """The never-matches verdict is kept per rule: a thousand copies cost one scan."""
    rule = "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"
    calls = []
    real = RecurrenceRule.dates

    def counted(self: RecurrenceRule, *args: object, **kwargs: object) -> object:
        calls.append(self)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(RecurrenceRule, "dates", counted):
        found = _problems(HEAD + _entry(rule) * 50)
    assert len(found) == 50
    assert all("can never match" in p for p in found)
    assert len(calls) == 1


def test_a_real_rule_costs_a_few_periods() -> None:
    """A rule that matches stops its checks within its first periods."""
    spent: list[int] = []
    with occur.file_budget():
        Schedule.rrule("DTSTART:20270101\nRRULE:FREQ=MONTHLY;BYDAY=1MO", "08:00")
        left = occur._FILE_LEFT.get()
        assert left is not None
        spent.append(occur.FILE_PERIODS - left[0])
    assert 0 < spent[0] <= 4
    assert occur._FILE_LEFT.get() is None
    first = next(
        RecurrenceRule.parse("FREQ=MONTHLY;BYDAY=1MO").dates(
            date(2027, 1, 1), date(2027, 12, 31), anchor=date(2027, 1, 1)
        )
    )
    assert first == date(2027, 1, 4)
