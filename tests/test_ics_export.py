"""Tests for the calendar file itself: escaped names, CRLF, DTSTAMP, never empty (issue 9 item 6)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    Entry,
    Plan,
    Product,
    RegimenError,
    Schedule,
    Timeline,
    to_ics,
)

from .helpers import KRATOM, kratom

FIXED = datetime(2027, 1, 1, 12, tzinfo=UTC)
_ESCAPES = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}


def physical_lines(text: str) -> list[str]:
    """Split an iCalendar text at CRLF, asserting that no other line break occurs."""
    assert text.endswith("\r\n"), "the last line must end in CRLF"
    lines = text[:-2].split("\r\n")
    for line in lines:
        assert "\r" not in line, f"bare CR in {line!r}"
        assert "\n" not in line, f"bare LF in {line!r}"
    return lines


def content_lines(text: str) -> list[tuple[str, str]]:
    """Unfold an iCalendar text into (NAME, raw value) pairs (RFC 5545 §3.1)."""
    logical: list[str] = []
    for line in physical_lines(text):
        if line[:1] in (" ", "\t"):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    pairs = []
    for line in logical:
        # The value starts after the first colon outside a quoted parameter value.
        match = re.match(r'([A-Za-z0-9-]+)((?:;[^:;"]+=(?:"[^"]*"|[^:;,"]*))*):', line)
        assert match is not None, f"not a content line: {line!r}"
        pairs.append((match.group(1).upper(), line[match.end() :]))
    return pairs


def text_values(raw: str) -> list[str]:
    """Read an RFC 5545 TEXT value (§3.3.11): unescape, split at unescaped commas."""
    values, current, chars = [], [], iter(raw)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            assert following in _ESCAPES, f"invalid escape \\{following} in {raw!r}"
            current.append(_ESCAPES[following])
        elif char == ",":
            values.append("".join(current))
            current = []
        else:
            assert char != ";", f"unescaped ; in {raw!r}"
            current.append(char)
    values.append("".join(current))
    return values


def read_text(text: str, name: str) -> list[list[str]]:
    """Return every value of property *name*, each as its list of TEXT values."""
    return [text_values(raw) for key, raw in content_lines(text) if key == name]


def icalendar_reads(text: str, key: str) -> str:
    """Read calendar property *key* with icalendar's parser, as the TEXT it reads SUMMARY as.

    icalendar knows neither NAME nor X-WR-CALNAME and would return the raw
    value, so the line is renamed before parsing.
    """
    renamed = text.replace(f"\r\n{key}:", "\r\nSUMMARY:", 1)
    assert renamed != text
    return str(icalendar.Calendar.from_ical(renamed)["SUMMARY"])


def plan_named(name: str, product: str = "Maeng Da") -> Plan:
    """Return a two-day plan with one daily dose, named *name*."""
    powder = Product(product, contents={KRATOM: "1 g"}, per="1 g")
    return Plan(
        name,
        timezone="Europe/Berlin",
        start="2027-01-04",
        end="2027-01-05",
        entries=[Entry(Dose(powder, "2 g"), Schedule.daily("08:00"))],
    )


def expected(name: str) -> str:
    """Return what a calendar can hold of *name*: line breaks as LF, other controls as U+FFFD."""
    name = re.sub("\r\n?", "\n", name)
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", name)


class TestCalendarName:
    @pytest.mark.parametrize(
        "name", ["Tea, with milk", "a;b", "back\\slash", "two\nlines", "x,,;\\n"]
    )
    def test_name_reads_back_whole(self, name: str) -> None:
        """NAME and X-WR-CALNAME are escaped TEXT: one value, equal to the plan's name."""
        text = to_ics(plan_named(name), stamp=FIXED)
        assert read_text(text, "NAME") == [[name]]
        assert read_text(text, "X-WR-CALNAME") == [[name]]
        assert icalendar_reads(text, "NAME") == name
        assert icalendar_reads(text, "X-WR-CALNAME") == name

    @given(
        name=st.text(
            st.sampled_from(list(',;:\\"\n\r\t\x00\x1b\x7f aZé€😀\u2028\x85')),
            min_size=1,
            max_size=90,
        ).filter(str.strip),
        product=st.text(st.sampled_from(list(",;\\\r\n x€")), min_size=1).filter(
            str.strip
        ),
    )
    def test_any_name_reads_back(self, name: str, product: str) -> None:
        """Any plan or product name survives: escaped, folded, no stray line break."""
        plan = plan_named(name, product)
        text = to_ics(plan, stamp=FIXED, reminder=timedelta(minutes=5), recurring=False)
        assert read_text(text, "X-WR-CALNAME") == [[expected(plan.name)]]
        summary = f"2 g {expected(plan.entries[0].dose.product.name)}"
        assert read_text(text, "SUMMARY") == [[summary], [summary]]
        assert all(len(line.encode()) <= 75 for line in physical_lines(text))


class TestLineEndings:
    def test_every_line_ends_in_crlf(self) -> None:
        """Notes with CR, LF and CRLF still give CRLF-only lines (RFC 5545 §3.1)."""
        log = Timeline(
            [
                DoseEvent(
                    datetime(2027, 1, 4, 8, tzinfo=UTC),
                    Dose(kratom().product, "2 g", note="a\rb\r\nc\nd"),
                    note="e\rf",
                )
            ]
        )
        text = to_ics(log, stamp=FIXED)
        physical_lines(text)
        assert read_text(text, "DESCRIPTION") == [["a\nb\nc\nd\ne\nf"]]


class TestStamp:
    def test_default_stamp_is_the_time_of_writing(self) -> None:
        """Without stamp=, DTSTAMP is now in UTC, not each dose's (future) time."""
        plan = plan_named("p")
        before = datetime.now(UTC).replace(microsecond=0)
        text = to_ics(plan)
        after = datetime.now(UTC)
        stamps = {raw for key, raw in content_lines(text) if key == "DTSTAMP"}
        assert len(stamps) == 1
        (stamp,) = stamps
        assert stamp.endswith("Z")
        written = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert before <= written <= after

    def test_fixed_stamp_is_reproducible(self) -> None:
        """A fixed stamp (any zone) is written in UTC on every event; output is stable."""
        berlin = datetime(2027, 1, 1, 13, 0, 30, 999, tzinfo=ZoneInfo("Europe/Berlin"))
        plan = plan_named("p")
        text = to_ics(plan, stamp=berlin)
        assert text == to_ics(plan, stamp=berlin)
        stamps = [raw for key, raw in content_lines(text) if key == "DTSTAMP"]
        assert stamps == ["20270101T120030Z"]
        per_dose = to_ics(plan, stamp=berlin, recurring=False)
        stamps = [raw for key, raw in content_lines(per_dose) if key == "DTSTAMP"]
        assert stamps == ["20270101T120030Z", "20270101T120030Z"]

    @pytest.mark.parametrize(
        ("stamp", "error", "words"),
        [
            (datetime(2027, 1, 1), ValueError, "must be aware"),
            (date(2027, 1, 1), TypeError, "aware datetime"),
            ("2027-01-01T00:00Z", TypeError, "aware datetime"),
            (datetime(9999, 12, 31, tzinfo=UTC), ValueError, "9998-12-31"),
        ],
    )
    def test_bad_stamp(self, stamp: object, error: type[Exception], words: str) -> None:
        """A naive, non-datetime or out-of-range stamp is refused naming the argument."""
        with pytest.raises(error, match="stamp") as caught:
            to_ics(plan_named("p"), stamp=stamp)  # type: ignore[arg-type]
        assert words in str(caught.value)


class TestNeverEmpty:
    def test_plan_without_events(self) -> None:
        """A plan with no dose in the window raises instead of writing an empty VCALENDAR."""
        empty = Plan("p", timezone="UTC", start="2027-01-04", end="2027-01-05")
        with pytest.raises(RegimenError, match="RFC 5545") as caught:
            to_ics(empty)
        assert "no dose events from 2027-01-04 to 2027-01-05" in str(caught.value)

    def test_window_without_events(self) -> None:
        """A window that misses the plan's doses names the window asked for."""
        with pytest.raises(RegimenError) as caught:
            to_ics(plan_named("p"), start="2026-01-01", end="2026-01-03")
        assert "no dose events from 2026-01-01 to 2026-01-03" in str(caught.value)

    def test_empty_log(self) -> None:
        """An empty log raises too."""
        with pytest.raises(RegimenError, match="no dose events to export"):
            to_ics(Timeline([]))

    def test_one_event_is_a_valid_calendar(self) -> None:
        """The smallest export holds exactly one VEVENT inside its VCALENDAR."""
        text = to_ics(plan_named("p"), end="2027-01-04", stamp=FIXED, recurring=False)
        names = [(k, v) for k, v in content_lines(text) if k in ("BEGIN", "END")]
        assert names == [
            ("BEGIN", "VCALENDAR"),
            ("BEGIN", "VEVENT"),
            ("END", "VEVENT"),
            ("END", "VCALENDAR"),
        ]
