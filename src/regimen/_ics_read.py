"""iCalendar import: :func:`from_ics` reads VEVENTs back into a plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Final

import attrs

from ._dose import Dose
from ._errors import RegimenError
from ._ics_entries import entries_for
from ._ics_expand import Spans, Unreadable, event_instants, read_moment
from ._ics_text import Component, digest, parse_calendar, unescape
from ._plan import DEFAULT_MAX_EVENTS, Entry, Plan
from ._timezone import check_zone, zone

__all__ = ["CalendarEvent", "CalendarImport", "SkippedEvent", "from_ics"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)
_MAX_EVENTS_IN_FILE: Final = 100_000


@attrs.frozen
class CalendarEvent:
    """One VEVENT of a calendar being imported, as a ``doses=`` function sees it.

    *properties* holds every property's value by upper-case name (the
    first of each, TEXT unescaped), e.g. ``properties["LOCATION"]``.
    """

    uid: str
    summary: str
    description: str
    start: datetime
    properties: Mapping[str, str] = attrs.field(factory=dict, repr=False)


@attrs.frozen
class SkippedEvent:
    """A VEVENT :func:`from_ics` did not turn into entries, with its UID and why."""

    uid: str
    summary: str
    reason: str

    def __str__(self) -> str:
        """Say which event was skipped and why."""
        return f"{self.uid} ({self.summary or 'no summary'}): {self.reason}"


@attrs.frozen
class CalendarImport:
    """What :func:`from_ics` read: the plan, and every event it could not read."""

    plan: Plan
    skipped: tuple[SkippedEvent, ...] = ()

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The plan's entries."""
        return self.plan.entries


DoseMap = Mapping[str, Dose] | Callable[[CalendarEvent], Dose | None]


def _text_of(event: Component, name: str) -> str:
    line = event.first(name)
    return "" if line is None else unescape(line.value)


def _embedded(calendar: Component) -> tuple[Plan | None, str]:
    """Return the plan regimen embedded (X-REGIMEN-PLAN), or ``None`` and why not."""
    line = calendar.first("X-REGIMEN-PLAN")
    if line is None:
        return None, "it was not written by regimen with its plan"
    from ._files._load import loads  # noqa: PLC0415 - only regimen's own files need it

    try:
        return loads(unescape(line.value), format="json").plan, ""
    except (RegimenError, ValueError, TypeError) as error:
        return (
            None,
            f"the calendar's X-REGIMEN-PLAN cannot be read ({str(error)[:200]})",
        )


def _iana(name: str) -> str | None:
    """Return the IANA zone a TZID names, also as the tail of a path (``/mozilla.org/.../Europe/Berlin``)."""
    parts = [p for p in name.strip().split("/") if p]
    for n in (3, 2, 1):
        if len(parts) >= n:
            try:
                return check_zone("/".join(parts[-n:]), field="TZID")
            except (ValueError, TypeError):
                continue
    return None


def _rename_zones(calendars: list[Component], events: list[Component]) -> None:
    """Give each TZID its IANA name, from its VTIMEZONE's X-LIC-LOCATION or its own path."""
    names: dict[str, str] = {}
    for calendar in calendars:
        for vtimezone in calendar.components:
            if vtimezone.name != "VTIMEZONE":
                continue
            tzid = _text_of(vtimezone, "TZID")
            found = _iana(_text_of(vtimezone, "X-LIC-LOCATION")) or _iana(tzid)
            if found is not None and found != tzid:
                names[tzid] = found
    for event in events:
        for line in event.properties:
            given = line.params.get("TZID")
            if given is None:
                continue
            renamed = names.get(given) or _iana(given)
            if renamed is not None:
                line.params["TZID"] = renamed


def _zone_name(timezone: str | None, plan: Plan | None, events: list[Component]) -> str:
    if timezone is not None:
        return check_zone(timezone, field="from_ics() timezone")
    if plan is not None:
        return plan.timezone
    for event in events:
        start = event.first("DTSTART")
        tzid = None if start is None else start.params.get("TZID")
        if tzid is not None:
            try:
                return check_zone(tzid.strip().strip("/"), field="TZID")
            except ValueError:
                continue
    return "UTC"


class _Reader:
    def __init__(
        self,
        doses: DoseMap | None,
        plan: Plan | None,
        default: str,
        end: date | None,
        limit: int,
    ) -> None:
        self.doses = doses
        self.plan = plan
        self.default = zone(default)
        self.end = end
        self.limit = limit
        self.why_not = ""

    def dose(self, event: Component, start: datetime) -> tuple[Dose, bool, int | None]:
        """Return the event's dose, whether it is as-needed, and its regimen entry index."""
        as_needed = _text_of(event, "X-REGIMEN-AS-NEEDED").strip().upper() == "TRUE"
        summary = _text_of(event, "SUMMARY")
        if self.doses is None:
            return self._own(event, as_needed)
        if isinstance(self.doses, Mapping):
            found = self.doses.get(summary)
            if found is None:
                folded = {k.strip().casefold(): v for k, v in self.doses.items()}
                found = folded.get(summary.strip().casefold())
        else:
            properties = {p.name: unescape(p.value) for p in reversed(event.properties)}
            found = self.doses(
                CalendarEvent(
                    _text_of(event, "UID"),
                    summary,
                    _text_of(event, "DESCRIPTION"),
                    start,
                    properties,
                )
            )
        if found is None:
            msg = f"no dose for its summary {summary[:60]!r}: add it to doses= (import-ics: to [map])"
            raise Unreadable(msg)
        if not isinstance(found, Dose):
            msg = f"doses= gave {found!r} for {summary[:60]!r}; it must give a Dose"
            raise TypeError(msg)
        return found, as_needed, None

    def _own(self, event: Component, as_needed: bool) -> tuple[Dose, bool, int | None]:
        """Read a dose regimen wrote (X-REGIMEN-*), with the products of the embedded plan."""
        product = _text_of(event, "X-REGIMEN-PRODUCT")
        amount = _text_of(event, "X-REGIMEN-AMOUNT")
        if self.plan is None or not product:
            why = self.why_not or "it has no X-REGIMEN-PRODUCT"
            msg = (
                f"no dose: {why}; pass doses= "
                "(a table from SUMMARY to Dose, or a function of the event)"
            )
            raise Unreadable(msg)
        raw = _text_of(event, "X-REGIMEN-ENTRY").strip()
        if raw.isascii() and raw.isdigit() and int(raw[:9]) < len(self.plan.entries):
            entry = self.plan.entries[int(raw)]
            if entry.dose.product.name == product and str(entry.dose.amount) == amount:
                return entry.dose, entry.as_needed, int(raw)
        for entry in self.plan.entries:
            if entry.dose.product.name == product and str(entry.dose.amount) == amount:
                return entry.dose, as_needed, None
        for entry in self.plan.entries:
            if entry.dose.product.name == product:
                try:
                    return Dose(entry.dose.product, amount), as_needed, None
                except (ValueError, TypeError, RegimenError) as error:
                    raise Unreadable(f"its amount {amount[:30]!r}: {error}") from None
        msg = f"its product {product[:60]!r} is not in the embedded plan"
        raise Unreadable(msg)


def from_ics(
    text: str,
    *,
    doses: DoseMap | None = None,
    timezone: str | None = None,
    name: str | None = None,
    end: date | None = None,
    max_events: int = DEFAULT_MAX_EVENTS,
) -> CalendarImport:
    r"""Read the VEVENTs of an iCalendar text into a plan of entries.

    A file written by :func:`~regimen.to_ics` from a whole plan comes back
    as that very plan when its events still agree with it; when they were
    edited, their instants become entries with the plan's products. For a
    calendar from another app, *doses* maps each event to a dose: a table
    from SUMMARY to :class:`~regimen.Dose`, or a function of a
    :class:`CalendarEvent` returning a dose or ``None`` (skip it).

    ``RRULE`` (with ``COUNT``, ``UNTIL``, ``INTERVAL`` and the date
    ``BY*`` parts), ``RDATE``, ``EXDATE`` and ``RECURRENCE-ID`` overrides
    are read; a ``TZID`` must name an IANA zone (itself, as the end of a
    path, or through its ``VTIMEZONE``'s ``X-LIC-LOCATION``). *timezone* is the plan's zone (default: the embedded
    plan's, else the first event's ``TZID``, else UTC); entries are in its
    wall time. A rule without an end is read up to *end* (a date).

    Events that cannot be read (all-day events, unknown zones, no dose, a
    rule that repeats forever without *end*, more than *max_events*
    instances) are listed in :attr:`CalendarImport.skipped` with their UID
    and the reason; none is dropped silently. Malformed text, or no
    readable event at all, raises :class:`~regimen.RegimenError`; the work
    is bounded by the text's length and *max_events*.

    >>> from regimen import Dose, Product, Substance
    >>> tea = Product("green tea", contents={Substance("caffeine"): "30 mg"})
    >>> text = ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Tea\r\n"
    ...         "DTSTART;TZID=Europe/Berlin:20270104T080000\r\n"
    ...         "RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    >>> read = from_ics(text, doses={"Tea": Dose(tea, "1 serving")})
    >>> [e.at.isoformat() for e in read.plan.timeline()]
    ['2027-01-04T08:00:00+01:00', '2027-01-05T08:00:00+01:00', '2027-01-06T08:00:00+01:00']
    """
    if (
        not isinstance(max_events, int)
        or isinstance(max_events, bool)
        or max_events < 1
    ):
        msg = f"max_events must be a whole number of 1 or more (got {max_events!r})"
        raise ValueError(msg)
    calendars = [c for c in parse_calendar(text) if c.name == "VCALENDAR"]
    if not calendars:
        msg = "no VCALENDAR in the text: is it an iCalendar (.ics) file?"
        raise RegimenError(msg)
    events = [e for c in calendars for e in c.components if e.name == "VEVENT"]
    if len(events) > _MAX_EVENTS_IN_FILE:
        msg = f"the calendar has {len(events):,} events; at most {_MAX_EVENTS_IN_FILE:,} are read"
        raise RegimenError(msg)
    _rename_zones(calendars, events)
    embedded, why_not = _embedded(calendars[0]) if doses is None else (None, "")
    zone_name = _zone_name(timezone, embedded, events)
    reader = _Reader(doses, embedded, zone_name, end, max_events)
    reader.why_not = why_not
    skipped: list[SkippedEvent] = []
    removed: dict[str, set[int]] = {}
    for event in events:
        if event.first("RECURRENCE-ID") is None:
            continue
        line = event.first("RECURRENCE-ID")
        assert line is not None
        try:
            moment = read_moment(
                line.value, line.params.get("TZID"), reader.default, "RECURRENCE-ID"
            )
        except Unreadable as why:
            skipped.append(
                SkippedEvent(
                    _text_of(event, "UID"), _text_of(event, "SUMMARY"), str(why)
                )
            )
            continue
        removed.setdefault(_text_of(event, "UID"), set()).add((moment - _EPOCH) // _US)
    if embedded is not None and _as_written(calendars[0], events):
        return CalendarImport(embedded, ())
    span_zone = zone_name
    read: list[tuple[Component, set[int]]] = []
    spans = Spans()
    total = 0
    for event in events:
        uid, summary = _text_of(event, "UID"), _text_of(event, "SUMMARY")
        if _text_of(event, "STATUS").strip().upper() == "CANCELLED":
            if event.first("RECURRENCE-ID") is None:
                skipped.append(
                    SkippedEvent(uid, summary, "it is cancelled (STATUS:CANCELLED)")
                )
            continue
        try:
            moments = event_instants(
                event, reader.default, end=end, limit=max_events, spans=spans
            )
        except Unreadable as why:
            skipped.append(SkippedEvent(uid, summary, str(why)))
            continue
        instants = {(m - _EPOCH) // _US for m in moments}
        if event.first("RECURRENCE-ID") is None:
            instants -= removed.get(uid, set())
        if not instants:
            skipped.append(SkippedEvent(uid, summary, "every instance is excluded"))
            continue
        total += len(instants)
        if total > max_events:
            msg = f"the calendar has more than max_events={max_events:,} dose instants; pass end= or raise max_events"
            raise RegimenError(msg)
        read.append((event, instants))
    if not read:
        reasons = "; ".join(str(s) for s in skipped[:20]) or "it has no VEVENT"
        msg = f"no event of the calendar could be read: {reasons}"
        raise RegimenError(msg)
    lo = min(min(i) for _e, i in read)
    hi = max(max(i) for _e, i in read)
    span = spans.get(span_zone, lo, hi)
    entries: list[Entry] = []
    for event, instants in read:
        uid, summary = _text_of(event, "UID"), _text_of(event, "SUMMARY")
        first = _EPOCH + min(instants) * _US
        try:
            dose, as_needed, _index = reader.dose(event, first)
        except Unreadable as why:
            skipped.append(SkippedEvent(uid, summary, str(why)))
            continue
        entries.extend(entries_for(instants, span, dose, as_needed=as_needed))
    if not entries:
        reasons = "; ".join(str(s) for s in skipped[:20])
        msg = f"no event of the calendar could be read: {reasons}"
        raise RegimenError(msg)
    starts = [e.start for e in entries if e.start is not None]
    ends = [e.end for e in entries if e.end is not None]
    title = (
        name or _text_of(calendars[0], "NAME") or _text_of(calendars[0], "X-WR-CALNAME")
    )
    plan = Plan(
        title.strip() or "imported calendar",
        timezone=zone_name,
        start=min(starts),
        end=max(ends),
        entries=entries,
    )
    return CalendarImport(plan, tuple(skipped))


def _as_written(calendar: Component, events: list[Component]) -> bool:
    """Tell whether the events' timing and doses are exactly as regimen wrote them.

    regimen writes ``X-REGIMEN-DIGEST``, a digest of every event's DTSTART,
    RRULE, EXDATE, RDATE and X-REGIMEN lines; an event edited, added or
    removed in a calendar app changes it.
    """
    line = calendar.first("X-REGIMEN-DIGEST")
    if line is None:
        return False
    if any(_text_of(e, "STATUS").strip().upper() == "CANCELLED" for e in events):
        return False
    found = digest([p.raw for p in e.properties] for e in events)
    return found == line.value.strip()
