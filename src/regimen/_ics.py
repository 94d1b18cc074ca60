"""iCalendar export: :func:`to_ics` (needs the ``icalendar`` package, extra ``regimen[ics]``)."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from ._errors import RegimenError
from ._format import duration
from ._plan import Plan
from ._timeline import Timeline
from ._validate import window

__all__ = ["to_ics"]


def to_ics(
    subject: Plan | Timeline,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    reminder: timedelta | None = None,
) -> str:
    """Export the dose events of a plan (or log) as an iCalendar (RFC 5545) text.

    Each event becomes one ``VEVENT`` at its exact instant (written in UTC,
    so calendar apps show it in their own zone), with a UID derived from the
    plan's name, the product, the amount and the instant: importing an
    updated plan updates the unchanged events instead of duplicating them.
    *reminder* adds a display alarm that long before each dose. Needs the
    ``icalendar`` package (``pip install 'regimen[ics]'``); raises
    :class:`~regimen.RegimenError` saying so when it is missing.
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
    timeline = window(subject, start, end)
    title = subject.name if isinstance(subject, Plan) else "intake log"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//regimen//regimen plan export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    seen: dict[str, int] = {}
    for event in timeline:
        at = event.at.astimezone(UTC)
        base = f"{title}|{event.product.name}|{event.amount}|{at.isoformat()}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        digest = hashlib.sha256(f"{base}|{n}".encode()).hexdigest()[:32]
        item = icalendar.Event()
        item.add("uid", f"{digest}@regimen")
        item.add("dtstamp", at)
        item.add("dtstart", at)
        summary = f"{event.amount} {event.product.name}"
        item.add("summary", summary + (" (as needed)" if event.as_needed else ""))
        lines = [n for n in (event.dose.note, event.note) if n]
        if event.as_needed:
            lines.append("as needed")
        if lines:
            item.add("description", "\n".join(lines))
        if reminder is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -reminder)
            alarm.add("description", f"in {duration(reminder)}: {summary}")
            item.add_component(alarm)
        calendar.add_component(item)
    return str(calendar.to_ical().decode("utf-8"))
