"""Tests that pin how RecurrenceSet.parse reads its text, enough to kill its mutants (issue 10).

A schedule's ``rule`` is a :class:`~regimen._rrule_set.RecurrenceSet`, so
its fields are what a caller sees: ``interval``, the clock parts (empty
tuples when not given) and the date rule's own text. Besides those: the
exact messages for text that is not a string, is too long, has two
DTSTART lines or an unreadable RRULE; a bare rule in lower case; TZIDs on
some lines and not on others.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from regimen._rrule_set import _MAX_TEXT, RecurrenceSet


def test_text_that_is_not_a_string() -> None:
    """A number (or any non-string) is refused with a TypeError saying what to give."""
    with pytest.raises(TypeError) as info:
        RecurrenceSet.parse(5)  # type: ignore[arg-type]
    assert str(info.value) == (
        "a recurrence rule must be text like 'FREQ=WEEKLY;BYDAY=MO' (got 5)"
    )


def test_text_up_to_the_limit_is_read() -> None:
    """Exactly the limit is read; one character more is refused, quoting 40 of them."""
    head = "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=2"
    text = head + "\n" * (_MAX_TEXT - len(head))
    assert len(text) == _MAX_TEXT
    assert RecurrenceSet.parse(text).count == 2
    longer = text + "\n"
    with pytest.raises(ValueError, match="longer than") as info:
        RecurrenceSet.parse(longer)
    assert str(info.value) == (
        f"recurrence rule {longer[:40] + '...'!r}: is longer than 100,000 characters"
    )


def test_a_bare_rule_in_lower_case() -> None:
    """``freq=daily;count=2`` is a bare RRULE value, like its upper-case spelling."""
    rs = RecurrenceSet.parse("freq=daily;count=2", times_given=True)
    assert (rs.freq, rs.count) == ("DAILY", 2)
    assert rs.text == "freq=daily;count=2"


def test_two_dtstart_lines() -> None:
    """Two DTSTART lines are refused, naming the text."""
    text = "DTSTART:20270301T090000\nDTSTART:20270302T090000\nRRULE:FREQ=DAILY"
    with pytest.raises(ValueError, match="DTSTART") as info:
        RecurrenceSet.parse(text)
    assert str(info.value) == (
        f"recurrence rule {text!r}: has more than one DTSTART line"
    )


@pytest.mark.parametrize(
    "text",
    [
        "DTSTART;TZID=Europe/Dublin:20270301T090000\nRRULE:FREQ=DAILY\n"
        "EXDATE:20270302T090000",
        "DTSTART:20270301T090000\nRRULE:FREQ=DAILY\n"
        "EXDATE;TZID=Europe/Dublin:20270302T090000\nRDATE:20270401T120000",
    ],
)
def test_a_tzid_on_some_lines_only(text: str) -> None:
    """Lines without TZID are in the zone the others name."""
    rs = RecurrenceSet.parse(text)
    assert rs.zone == "Europe/Dublin"
    assert datetime(2027, 3, 2, 9) in rs.exdates


def test_an_unreadable_rrule_names_the_whole_text() -> None:
    """A part that is not KEY=VALUE is reported with the text as given."""
    text = "DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT"
    with pytest.raises(ValueError, match="KEY=VALUE") as info:
        RecurrenceSet.parse(text)
    assert str(info.value) == f"recurrence rule {text!r}: 'COUNT' is not KEY=VALUE"


@pytest.mark.parametrize(
    ("text", "freq", "interval"),
    [
        ("FREQ=DAILY;INTERVAL=3", "DAILY", 3),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "WEEKLY", 2),
        ("FREQ=MONTHLY;INTERVAL=12", "MONTHLY", 12),
        ("FREQ=YEARLY", "YEARLY", 1),
        ("FREQ=HOURLY;INTERVAL=5", "HOURLY", 5),
        ("FREQ=MINUTELY;INTERVAL=90", "MINUTELY", 90),
    ],
)
def test_the_fields_a_schedule_shows(text: str, freq: str, interval: int) -> None:
    """``freq`` and ``interval`` are the rule's, whatever its frequency."""
    start = "DTSTART:20270301T090000\nRRULE:"
    rs = RecurrenceSet.parse(start + text)
    assert (rs.freq, rs.interval) == (freq, interval)
    assert (rs.byhour, rs.byminute, rs.bysecond) == ((), (), ())
    assert rs.rule.interval == (1 if freq in {"HOURLY", "MINUTELY"} else interval)


def test_the_date_rule_keeps_its_own_parts_as_text() -> None:
    """The date rule's text is its parts joined by ';', clock parts and bounds left out."""
    rs = RecurrenceSet.parse(
        "DTSTART:20270301\nRRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8,20;BYMINUTE=30;COUNT=4"
    )
    assert rs.rule.text == "FREQ=WEEKLY;BYDAY=MO"
    assert (rs.byhour, rs.byminute, rs.bysecond) == ((8, 20), (30,), ())
    hourly = RecurrenceSet.parse(
        "DTSTART:20270301T090000\nRRULE:FREQ=HOURLY;INTERVAL=6"
    )
    assert hourly.rule.text == "FREQ=DAILY"
    days = list(
        rs.occurrences(date(2027, 3, 1), date(2027, 3, 31), anchor=date(2027, 3, 1))
    )
    # COUNT=4 counts doses: two Mondays of two doses each
    assert days == [(date(2027, 3, d), (time(8, 30), time(20, 30))) for d in (1, 8)]
