"""Tests that pin how RecurrenceRule reads a rule's parts, enough to kill its mutants (issue 10).

A rule's body may be up to 1,000 characters; a part is split at its first
``=``; numbered weekdays keep whole numbers; a BYSETPOS with nothing to
pick from is refused with a message that quotes the rule.
"""

from __future__ import annotations

import pytest

from regimen._rrule import RecurrenceRule


def test_a_body_of_1000_characters_is_read() -> None:
    """Exactly 1,000 characters are read; one more is refused."""
    body = "FREQ=YEARLY;BYYEARDAY=1,01" + ",1" * 487
    assert len(body) == 1000
    assert RecurrenceRule.parse(body).byyearday == frozenset({1})
    longer = body + "1"
    with pytest.raises(ValueError, match="give a rule such as") as info:
        RecurrenceRule.parse(longer)
    assert str(info.value) == (
        f"recurrence rule {longer!r}: give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "FREQ=DAILY;BYDAY=MO=TU",
            "BYDAY value 'MO=TU' is not like MO, 2TU or -1FR",
        ),
        (
            "FREQ=WEEKLY=DAILY",
            "FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY (got 'WEEKLY=DAILY')",
        ),
    ],
)
def test_a_part_is_split_at_its_first_equals_sign(text: str, why: str) -> None:
    """The key is what comes before the first ``=``; the rest is its value."""
    with pytest.raises(ValueError, match="recurrence rule") as info:
        RecurrenceRule.parse(text)
    assert str(info.value) == f"recurrence rule {text!r}: {why}"


def test_numbered_weekdays_are_whole_numbers() -> None:
    """``2TU`` and ``-1FR`` are kept as the whole numbers 2 and -1."""
    rule = RecurrenceRule.parse("FREQ=MONTHLY;BYDAY=2TU,-1FR,+3MO")
    assert rule.bynthday == frozenset({(2, 1), (-1, 4), (3, 0)})
    assert all(type(n) is int for n, _ in rule.bynthday)


@pytest.mark.parametrize(
    "text", ["FREQ=MONTHLY;BYSETPOS=1", "RRULE:FREQ=YEARLY;BYSETPOS=-1,2"]
)
def test_bysetpos_alone_is_refused_naming_the_rule(text: str) -> None:
    """BYSETPOS with nothing to pick from: the message quotes the rule as given."""
    with pytest.raises(ValueError, match="BYSETPOS") as info:
        RecurrenceRule.parse(text)
    assert str(info.value) == (
        f"recurrence rule {text!r}: BYSETPOS needs another BYxxx part to pick from"
    )
