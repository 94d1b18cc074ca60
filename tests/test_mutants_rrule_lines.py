"""Tests that pin regimen._rrule_lines exactly enough to kill its mutants (issue 10).

The content lines of a recurrence are unfolded from every line ending a
calendar writes (LF, CRLF, a lone CR) and from folds that start with a tab
as well as a space, onto whichever line is last; parameters keep their
values as written apart from the quotes around them, whatever the case of
their names; a TZID is the zone it names (a leading ``/`` aside) and no
other; a parse error quotes the first 40 characters of a line it cannot read.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from regimen._rrule_lines import content_lines, split_line
from regimen._rrule_set import RecurrenceSet

LINES = [
    "DTSTART:20270301T090000",
    "EXDATE:20270302T090000",
    "RRULE:FREQ=DAILY;COUNT=4",
]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_every_line_ending_splits_lines(end: str) -> None:
    """LF, CRLF and a lone CR (old Mac files) all end a content line."""
    assert content_lines(end.join(LINES) + end) == LINES
    rs = RecurrenceSet.parse(end.join(LINES))
    assert rs.dtstart == datetime(2027, 3, 1, 9)
    assert rs.exdates == frozenset({datetime(2027, 3, 2, 9)})
    assert rs.count == 4


@pytest.mark.parametrize("fold", [" ", "\t"])
@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_folds_join_the_line_they_follow(fold: str, end: str) -> None:
    """A fold (space or tab) continues the last line, whichever line that is."""
    text = end.join(
        [
            "DTSTART:2027030",
            f"{fold}1T090000",
            "EXDATE:20270302T09",
            f"{fold}0000",
            "RRULE:FREQ=DAILY;",
            f"{fold}COUNT=4",
        ]
    )
    assert content_lines(text) == LINES


def test_a_fold_on_the_third_line_joins_the_third() -> None:
    """Folds after the first two lines still join the line just before them."""
    text = "A:1\nB:2\nC:3\n 4\n\t5\nD:6"
    assert content_lines(text) == ["A:1", "B:2", "C:345", "D:6"]


def test_parameter_names_in_any_case() -> None:
    """Parameter names are read in lower or mixed case and kept upper-cased."""
    name, params, raw = split_line("t", "DTSTART;tzid=Europe/Dublin;vAlue=DATE-TIME:x")
    assert (name, params, raw) == (
        "DTSTART",
        {"TZID": "Europe/Dublin", "VALUE": "DATE-TIME"},
        "x",
    )
    rs = RecurrenceSet.parse(
        "DTSTART;tzid=Europe/Dublin:20270301T090000\nRRULE:FREQ=DAILY"
    )
    assert rs.zone == "Europe/Dublin"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('"Europe/Dublin"', "Europe/Dublin"),
        ('" XMAS "', " XMAS "),
        ("XMAS", "XMAS"),
        ('"X"', "X"),
        ("  X-Y  ", "  X-Y  "),
    ],
)
def test_parameter_values_lose_only_their_quotes(written: str, kept: str) -> None:
    """Only the double quotes around a value go; its letters and spaces stay."""
    _, params, _ = split_line("t", f"RDATE;X-NOTE={written}:20270301")
    assert params == {"X-NOTE": kept}


def test_quoted_tzid_is_read() -> None:
    """``TZID="Europe/Dublin"`` names Europe/Dublin."""
    rs = RecurrenceSet.parse(
        'DTSTART;TZID="Europe/Dublin":20270301T090000\nRRULE:FREQ=DAILY'
    )
    assert rs.zone == "Europe/Dublin"
    assert rs.dtstart == datetime(2027, 3, 1, 9)


def test_tzid_names_exactly_its_zone() -> None:
    """A leading ``/`` is dropped; any other character makes the name unknown."""
    ok = RecurrenceSet.parse("DTSTART;TZID=/UTC:20270301T090000\nRRULE:FREQ=DAILY")
    assert ok.zone == "UTC"
    for wrong in ("XUTC", "XX/UTC", "X/Europe/Dublin"):
        with pytest.raises(ValueError, match="DTSTART;TZID"):
            RecurrenceSet.parse(
                f"DTSTART;TZID={wrong}:20270301T090000\nRRULE:FREQ=DAILY"
            )


def test_an_unreadable_line_is_quoted_to_40_characters() -> None:
    """The message shows the line's first 40 characters, no more."""
    line = "DTSTART" + "0123456789" * 6
    text = f"{line}\nRRULE:FREQ=DAILY"
    with pytest.raises(ValueError, match="is not a line like") as info:
        RecurrenceSet.parse(text)
    assert str(info.value) == (
        f"recurrence rule {text!r}: {line[:40]!r} is not a line like 'RRULE:FREQ=DAILY'"
    )


@pytest.mark.parametrize("kind", ["DATE", "DATE-TIME", None])
def test_date_and_date_time_values(kind: str | None) -> None:
    """VALUE=DATE takes only dates, VALUE=DATE-TIME only date-times."""
    param = f";VALUE={kind}" if kind else ""
    for raw, want in (("20270301", date(2027, 3, 1)), ("20270301T090000", None)):
        text = f"DTSTART{param}:{raw}\nRRULE:FREQ=DAILY;BYHOUR=9"
        refused = (kind == "DATE" and want is None) or (
            kind == "DATE-TIME" and want is not None
        )
        if refused:
            with pytest.raises(ValueError, match="VALUE=DATE"):
                RecurrenceSet.parse(text)
        else:
            got = RecurrenceSet.parse(text).dtstart
            assert got == (want or datetime(2027, 3, 1, 9))
