"""iCalendar export: :func:`to_ics` (needs the ``icalendar`` package, extra ``regimen[ics]``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from ._errors import RegimenError
from ._format import duration
from ._limits import check_moment
from ._plan import Plan, parse_date
from ._timeline import Timeline
from ._validate import window

__all__ = ["to_ics"]


#: Characters RFC 5545 TEXT cannot hold (CONTROL but tab and line breaks).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    """Return *value* as RFC 5545 TEXT can hold it: other control characters become U+FFFD."""
    return _CONTROL.sub("\ufffd", value)


def _stamp(stamp: datetime | None) -> datetime:
    """Return the DTSTAMP to write: *stamp* (aware) in UTC, else now; whole seconds."""
    if stamp is None:
        return datetime.now(UTC).replace(microsecond=0)
    if not isinstance(stamp, datetime):
        msg = f"to_ics() stamp must be an aware datetime or None (got {stamp!r})"
        raise TypeError(msg)
    if stamp.utcoffset() is None:
        msg = (
            f"to_ics() stamp must be aware (got the naive {stamp.isoformat()}); "
            "add a time zone, e.g. tzinfo=datetime.UTC"
        )
        raise ValueError(msg)
    check_moment(stamp, "to_ics() stamp")
    return stamp.astimezone(UTC).replace(microsecond=0)


def _span(
    subject: Plan | Timeline,
    start: date | str | None,
    end: date | str | None,
    timeline: Timeline,
) -> str:
    """Describe the window that was asked for, like `` from 2027-01-01 to 2027-01-03``."""
    first = timeline.first_day or (
        None if start is None else parse_date(start, field="start")
    )
    last = timeline.last_day or (None if end is None else parse_date(end, field="end"))
    if isinstance(subject, Plan):
        first = first or subject.start
        last = last or subject.end
    if first is None or last is None:
        return ""
    return f" from {first} to {last}"


def to_ics(
    subject: Plan | Timeline,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    reminder: timedelta | None = None,
    stamp: datetime | None = None,
) -> str:
    r"""Export the dose events of a plan (or log) as an iCalendar (RFC 5545) text.

    Each event becomes one ``VEVENT`` at its exact instant (written in UTC,
    so calendar apps show it in their own zone), with a UID derived from the
    plan's name, the product, the amount and the instant: importing an
    updated plan updates the unchanged events instead of duplicating them.
    *reminder* adds a display alarm that long before each dose. The lines
    end in CRLF, as RFC 5545 requires: write the text as bytes (or with
    ``newline=""``) so that no newline translation happens.

    Every event's ``DTSTAMP`` is *stamp*, the moment the file is written:
    the current time (UTC) by default; pass a fixed aware datetime for
    reproducible output. The calendar's name (``NAME`` and
    ``X-WR-CALNAME``) is the plan's name, escaped as RFC 5545 text.

    A calendar must hold at least one component (RFC 5545 §3.6), so a
    window without any dose event raises :class:`~regimen.RegimenError`
    instead of writing an invalid file. Needs the ``icalendar`` package
    (``pip install 'regimen[ics]'``); raises :class:`~regimen.RegimenError`
    saying so when it is missing.

    >>> from datetime import UTC, datetime
    >>> from regimen import Dose, Entry, Product, Schedule, Substance
    >>> tea = Product("green tea", contents={Substance("caffeine"): "30 mg"})
    >>> plan = Plan("Tea, with milk", timezone="Europe/Berlin", start="2027-01-04",
    ...             entries=[Entry(Dose(tea, "1 serving"), Schedule.daily("08:00"))])
    >>> text = to_ics(plan, end="2027-01-04", stamp=datetime(2027, 1, 1, tzinfo=UTC))
    >>> [line for line in text.splitlines() if line[:4] in ("NAME", "DTST")]
    ['NAME:Tea\\, with milk', 'DTSTART:20270104T070000Z', 'DTSTAMP:20270101T000000Z']
    >>> to_ics(plan, start="2027-01-01", end="2027-01-03")
    Traceback (most recent call last):
    regimen.RegimenError: no dose events from 2027-01-01 to 2027-01-03 to export: ...
    """
    import hashlib  # noqa: PLC0415 - only exports need it

    try:
        import icalendar  # noqa: PLC0415 - an optional extra, imported on use
    except ImportError:  # pragma: no cover - the dev environment has it
        msg = "to_ics() needs the icalendar package: pip install 'regimen[ics]'"
        raise RegimenError(msg) from None
    if reminder is not None and (
        not isinstance(reminder, timedelta) or reminder < timedelta(0)
    ):
        msg = f"reminder must be a timedelta of zero or more (got {reminder!r})"
        raise ValueError(msg)
    written = _stamp(stamp)
    timeline = window(subject, start, end)
    if not timeline:
        span = _span(subject, start, end, timeline)
        msg = (
            f"no dose events{span} to export: an iCalendar file must hold at "
            "least one event (RFC 5545 section 3.6); choose dates with doses"
        )
        raise RegimenError(msg)
    title = subject.name if isinstance(subject, Plan) else "intake log"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//regimen//regimen plan export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # icalendar does not know these two as TEXT and would write them raw:
    # a comma or semicolon in the name would cut it short in other readers.
    calendar.add("name", icalendar.vText(_text(title)))
    calendar.add("x-wr-calname", icalendar.vText(_text(title)))
    seen: dict[str, int] = {}
    for event in timeline:
        at = event.at.astimezone(UTC)
        base = f"{title}|{event.product.name}|{event.amount}|{at.isoformat()}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        digest = hashlib.sha256(f"{base}|{n}".encode()).hexdigest()[:32]
        item = icalendar.Event()
        item.add("uid", f"{digest}@regimen")
        item.add("dtstamp", written)
        item.add("dtstart", at)
        summary = f"{event.amount} {event.product.name}"
        as_needed = " (as needed)" if event.as_needed else ""
        item.add("summary", _text(summary + as_needed))
        lines = [n for n in (event.dose.note, event.note) if n]
        if event.as_needed:
            lines.append("as needed")
        if lines:
            item.add("description", _text("\n".join(lines)))
        if reminder is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -reminder)
            alarm.add("description", _text(f"in {duration(reminder)}: {summary}"))
            item.add_component(alarm)
        calendar.add_component(item)
    return str(calendar.to_ical().decode("utf-8"))
