"""iCalendar export: :func:`to_ics`, recurring series by default, one event per dose on request."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Final

from ._errors import RegimenError
from ._expand import expand_runs
from ._expand_columns import Run
from ._format import duration as say_duration
from ._ics_fit import Series, fit
from ._ics_groups import LocalRun
from ._ics_text import digest, fold, text, utc_stamp, write_duration
from ._ics_zone import ZoneSpan, local_text
from ._limits import check_moment
from ._plan import DEFAULT_MAX_EVENTS, Entry, Plan, parse_date
from ._timeline import DoseEvent, Timeline
from ._timezone import zone as zone_of
from ._validate import window

__all__ = ["SEQUENCE_EPOCH", "to_ics"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)
#: SEQUENCE counts the minutes from this moment to the export (RFC 5545 §3.8.7.4).
SEQUENCE_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)
_MAX_SEQUENCE: Final = 2**31 - 1


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


def _check_delta(value: timedelta | None, field: str) -> None:
    if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
        msg = f"{field} must be a timedelta of zero or more (got {value!r})"
        raise ValueError(msg)


class _Writer:
    """What every VEVENT of one export shares: stamp, sequence, duration, alarm."""

    def __init__(
        self, written: datetime, reminder: timedelta | None, length: timedelta
    ) -> None:
        stamp = utc_stamp(written)
        minutes = (written - SEQUENCE_EPOCH) // timedelta(minutes=1)
        sequence = min(max(minutes, 0), _MAX_SEQUENCE)
        self.head = f"DTSTAMP:{stamp}\r\n"
        self.recurring_head = (
            f"DTSTAMP:{stamp}\r\nLAST-MODIFIED:{stamp}\r\nSEQUENCE:{sequence}\r\n"
        )
        self.duration = f"DURATION:{write_duration(length)}\r\n"
        self.reminder = reminder
        self._bodies: dict[tuple[object, ...], str] = {}

    def body(self, event: DoseEvent, entry: int | None) -> str:
        """Return the lines after DTSTART: duration, text, X- properties, alarm."""
        key = (event.dose, event.as_needed, event.note, entry)
        found = self._bodies.get(key)
        if found is not None:
            return found
        summary = f"{event.amount} {event.product.name}"
        as_needed = " (as needed)" if event.as_needed else ""
        lines = [f"SUMMARY:{text(summary + as_needed)}"]
        notes = [n for n in (event.dose.note, event.note) if n]
        if event.as_needed:
            notes.append("as needed")
        if notes:
            lines.append(f"DESCRIPTION:{text(chr(10).join(notes))}")
        if entry is not None:
            lines.append(f"X-REGIMEN-ENTRY:{entry}")
        lines.append(f"X-REGIMEN-PRODUCT:{text(event.product.name)}")
        lines.append(f"X-REGIMEN-AMOUNT:{text(str(event.amount))}")
        if event.as_needed:
            lines.append("X-REGIMEN-AS-NEEDED:TRUE")
        if self.reminder is not None:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"TRIGGER:-{write_duration(self.reminder)}",
                f"DESCRIPTION:{text(f'in {say_duration(self.reminder)}: {summary}')}",
                "END:VALARM",
            ]
        found = self.duration + "".join(map(fold, lines)) + "END:VEVENT\r\n"
        self._bodies[key] = found
        return found


def _calendar_head(title: str, zone: str | None) -> list[str]:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//regimen//regimen plan export//EN",
        "CALSCALE:GREGORIAN",
        f"NAME:{text(title)}",
        f"X-WR-CALNAME:{text(title)}",
    ]
    # No X-WR-TIMEZONE: readers that honour it (x-wr-timezone, used by
    # recurring-ical-events) move UTC times into that zone and lose the
    # second occurrence of an ambiguous time.
    del zone
    return lines


def _per_dose(timeline: Timeline, title: str, writer: _Writer) -> Iterator[str]:
    """Yield one VEVENT per dose event, at its instant in UTC."""
    seen: dict[str, int] = {}
    sha = hashlib.sha256
    for event in timeline:
        at = utc_stamp(event.at)
        base = f"{title}|{event.product.name}|{event.amount}|{event.at.astimezone(UTC).isoformat()}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        digest = sha(f"{base}|{n}".encode()).hexdigest()[:32]
        yield (
            f"BEGIN:VEVENT\r\nUID:{digest}@regimen\r\n{writer.head}"
            f"DTSTART:{at}\r\n{writer.body(event, None)}"
        )


def _utc_text(us: int) -> str:
    return (_EPOCH + us * _US).strftime("%Y%m%dT%H%M%SZ")


def _dates(
    name: str, values: list[int], zone: str, span: ZoneSpan, *, utc_only: bool
) -> list[str]:
    """Write instants as RDATE/EXDATE lines: local with TZID where exact, else UTC."""
    local: list[str] = []
    utc: list[str] = []
    for us in sorted(values):
        wall, folded = span.local(us)
        if folded or utc_only:
            utc.append(_utc_text(us))
        else:
            local.append(local_text(wall))
    out = [f"{name};TZID={zone}:{','.join(local)}"] if local else []
    if utc:
        out.append(f"{name}:{','.join(utc)}")
    return out


def _series_lines(one: Series, zone: str, span: ZoneSpan) -> str:
    lines = [
        f"DTSTART:{_utc_text(one.start)}"
        if one.start_utc
        else f"DTSTART;TZID={zone}:{local_text(one.start)}"
    ]
    if one.rule is not None:
        lines.append(f"RRULE:{one.rule}")
    if one.exdates:
        walls = ",".join(local_text(w) for w, _us in sorted(one.exdates))
        lines.append(f"EXDATE;TZID={zone}:{walls}")
    lines += _dates("RDATE", one.rdates, zone, span, utc_only=one.start_utc)
    return "".join(map(fold, lines))


def _embedded(plan: Plan) -> str | None:
    """Return the plan as compact JSON (the file form), or ``None`` if it has none."""
    from . import _bundle  # noqa: PLC0415 - only exports that embed the plan need it
    from ._files import _write  # noqa: PLC0415

    try:
        data = json.loads(_write.dumps(_bundle.Bundle(plan), format="json"))
    except (ValueError, TypeError):
        return None
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


_Part = tuple[int, int, list[LocalRun], DoseEvent]  # entry, sub-series, runs, an event


def _parts(
    plan: Plan, found: list[tuple[int, Entry, list[Run]]], span: ZoneSpan
) -> list[_Part]:
    """Split the plan's runs into series parts: one per entry, or per entry and dose.

    An entry is one part when each entry's dose (and as-needed mark) is its
    own and no other entry's; otherwise (an entry at meals, whose doses
    take each meal's relation, or two entries with equal doses) an entry's
    runs of each dose are a part (a sub-series), in order of first dose.
    Runs are read in the plan's zone: a run in a stay's zone becomes one
    run per instant.
    """
    owners = [(entry.dose, entry.as_needed) for entry in plan.entries]
    whole = len(set(owners)) == len(owners) and all(
        (entry.dose, entry.as_needed) == owners[index] for index, entry, _runs in found
    )
    here = zone_of(plan.timezone)
    keyed: dict[tuple[int, object, bool], tuple[list[LocalRun], list[int], Entry]] = {}
    for index, entry, runs in found:
        key = (index, None, False) if whole else (index, entry.dose, entry.as_needed)
        into, firsts, _entry = keyed.setdefault(key, ([], [], entry))
        for run in runs:
            if not run.us:
                continue
            firsts.append(run.us[0])
            if run.zone is here:
                into.append((run.us, run.offset, run.fold))
                continue
            for us in run.us:
                local, folded = span.local(us)
                into.append(([us], local - us, folded))
    # Sub-series of an entry in order of their first dose (then of expansion).
    ordered = sorted(
        (key[0], min(firsts), n, held, entry)
        for n, (key, (held, firsts, entry)) in enumerate(keyed.items())
        if firsts
    )
    parts: list[_Part] = []
    for index, group in itertools.groupby(ordered, key=lambda part: part[0]):
        for sub, (_index, start, _n, held, entry) in enumerate(group):
            at = (_EPOCH + start * _US).astimezone(here)
            event = DoseEvent(at, entry.dose, as_needed=entry.as_needed)
            parts.append((index, sub, held, event))
    return parts


def _recurring(
    plan: Plan,
    first: date | None,
    last: date | None,
    writer: _Writer,
    embed: bool,
) -> Iterator[str] | None:
    """Yield the VTIMEZONE and one VEVENT per series; ``None`` if there are no doses."""
    found = expand_runs(plan, start=first, end=last, max_events=DEFAULT_MAX_EVENTS)
    starts = [run.us[0] for _i, _e, runs in found for run in runs if run.us]
    if not starts:
        return None
    ends = [run.us[-1] for _i, _e, runs in found for run in runs if run.us]
    span = ZoneSpan(plan.timezone, min(starts), max(ends))
    return _vevents(plan, _parts(plan, found, span), span, writer, embed)


def _vevents(
    plan: Plan,
    parts: list[_Part],
    span: ZoneSpan,
    writer: _Writer,
    embed: bool,
) -> Iterator[str]:
    zone = plan.timezone
    events: list[str] = []
    for index, sub, runs, event in parts:
        entry = plan.entries[index]
        schedule = entry.schedule
        offset: timedelta = getattr(schedule, "offset", timedelta(0))
        hints = frozenset(
            (
                (t.hour * 3600 + t.minute * 60 + t.second) * 1_000_000
                + t.microsecond
                + offset // _US
            )
            % 86_400_000_000
            for t in getattr(schedule, "times", ())
        )
        rule = getattr(getattr(schedule, "rule", None), "text", None)
        body = writer.body(event, index)
        for n, one in enumerate(fit(runs, span, hints=hints, rule=rule)):
            key = f"{plan.name}|{index}|{sub}|{n}"
            uid = hashlib.sha256(key.encode()).hexdigest()[:32]
            events.append(
                f"BEGIN:VEVENT\r\nUID:{uid}@regimen\r\n{writer.recurring_head}"
                f"{_series_lines(one, zone, span)}{body}"
            )
    if embed:
        yield from _plan_lines(plan, events)
    yield "".join(map(fold, span.vtimezone()))
    yield from events


def _plan_lines(plan: Plan, events: list[str]) -> Iterator[str]:
    """Yield X-REGIMEN-PLAN (the plan's file form) and the digest of *events*."""
    data = _embedded(plan)
    if data is None:
        return
    yield fold(f"X-REGIMEN-PLAN:{text(data)}")
    logical = (e.replace("\r\n ", "").split("\r\n") for e in events)
    yield fold(f"X-REGIMEN-DIGEST:{digest(logical)}")


def to_ics(
    subject: Plan | Timeline,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    reminder: timedelta | None = None,
    stamp: datetime | None = None,
    recurring: bool = True,
    duration: timedelta = timedelta(minutes=5),
) -> str:
    r"""Export the dose events of a plan (or log) as an iCalendar (RFC 5545) text.

    A plan is written as **recurring** events (``recurring=True``, the
    default): each entry becomes one ``VEVENT`` per time of day, with a
    ``DTSTART`` in the plan's zone (``TZID`` and a ``VTIMEZONE`` built from
    the IANA data for the span covered), an ``RRULE``, and ``EXDATE``/
    ``RDATE`` for what the rule alone would get wrong (breaks, DST, stays,
    elapsed-time schedules), so a calendar app expands exactly the plan's
    dose events, once each. UIDs come from the plan's name and the entry's
    position, never from times: an edited entry replaces its old series
    when the file is imported again. ``SEQUENCE`` is the number of minutes
    from 2000-01-01 to *stamp*, so a later export always counts higher.
    ``X-REGIMEN-*`` properties (product, amount, entry, and the plan itself)
    let :func:`~regimen.from_ics` read the file back.

    ``recurring=False`` (and any :class:`~regimen.Timeline`, such as a log)
    writes one ``VEVENT`` per dose at its exact instant in UTC, with a UID
    from the plan's name, product, amount and instant.

    Each event lasts *duration* (5 minutes by default); *reminder* adds a
    display alarm that long before each dose. ``DTSTAMP`` (and
    ``LAST-MODIFIED``) is *stamp*, the moment the file is written: now by
    default; pass a fixed aware datetime for reproducible output. The
    calendar's name (``NAME`` and ``X-WR-CALNAME``) is the plan's name. The
    lines end in CRLF and are folded at 75 octets, as RFC 5545 requires:
    write the text as bytes (or with ``newline=""``).

    A calendar must hold at least one component (RFC 5545 §3.6), so a
    window without any dose event raises :class:`~regimen.RegimenError`.
    Needs no extra package.

    >>> from datetime import UTC, datetime
    >>> from regimen import Dose, Entry, Product, Schedule, Substance
    >>> tea = Product("green tea", contents={Substance("caffeine"): "30 mg"})
    >>> plan = Plan("Tea, with milk", timezone="Europe/Berlin", start="2027-01-04",
    ...             end="2027-01-31",
    ...             entries=[Entry(Dose(tea, "1 serving"), Schedule.daily("08:00"))])
    >>> text = to_ics(plan, stamp=datetime(2027, 1, 1, tzinfo=UTC))
    >>> [line for line in text.splitlines()
    ...  if line.startswith(("NAME:", "DTSTAMP", "DTSTART;", "RRULE"))]
    ['NAME:Tea\\, with milk', 'DTSTAMP:20270101T000000Z', 'DTSTART;TZID=Europe/Berlin:20270104T080000', 'RRULE:FREQ=DAILY;UNTIL=20270131T070000Z']
    >>> to_ics(plan, start="2026-01-01", end="2026-01-03")
    Traceback (most recent call last):
    regimen.RegimenError: no dose events from 2026-01-01 to 2026-01-03 to export: ...
    """
    _check_delta(reminder, "reminder")
    _check_delta(duration, "duration")
    if duration is None:
        msg = "duration must be a timedelta of zero or more (got None)"
        raise ValueError(msg)
    if not isinstance(recurring, bool):
        msg = f"recurring must be True or False (got {recurring!r})"
        raise TypeError(msg)
    writer = _Writer(_stamp(stamp), reminder, duration)
    first = None if start is None else parse_date(start, field="start")
    last = None if end is None else parse_date(end, field="end")
    body: Iterator[str] | None = None
    title = subject.name if isinstance(subject, Plan) else "intake log"
    zone = subject.timezone if isinstance(subject, Plan) else None
    if isinstance(subject, Plan) and recurring:
        whole = first is None and last is None and subject.end is not None
        body = _recurring(subject, first, last, writer, whole)
        timeline = Timeline([]) if body is None else None
    else:
        timeline = window(subject, start, end)
        if timeline:
            body = _per_dose(timeline, title, writer)
            if isinstance(subject, Plan) and start is None and end is None:
                events = list(body)
                body = itertools.chain(_plan_lines(subject, events), events)
    if body is None:
        empty = timeline if timeline is not None else Timeline([])
        span = _span(subject, start, end, empty)
        msg = (
            f"no dose events{span} to export: an iCalendar file must hold at "
            "least one event (RFC 5545 section 3.6); choose dates with doses"
        )
        raise RegimenError(msg)
    head = "".join(map(fold, _calendar_head(title, zone)))
    return head + "".join(body) + "END:VCALENDAR\r\n"
