"""Plans: :class:`Entry`, :class:`Break` and :class:`Plan`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Final

import attrs

from ._break import Break, check_order
from ._convert import to_date, to_optional_date
from ._dose import Dose
from ._expand import expand
from ._schedule import Schedule
from ._stay import Clock, Stay, check_clock, check_stays, zone_on
from ._substance import Substance
from ._timezone import check_zone
from ._validators import check_name, instance_of, optional_text, to_tuple

if TYPE_CHECKING:
    from ._timeline import Timeline

__all__ = ["DEFAULT_MAX_EVENTS", "Break", "Entry", "Plan", "parse_date"]

#: How many events :meth:`Plan.timeline` produces at most unless told otherwise.
DEFAULT_MAX_EVENTS: Final = 1_000_000


def parse_date(value: date | str, *, field: str) -> date:
    """Return a :class:`~datetime.date` from a date or ISO text (``"2027-01-31"``).

    The date must lie within the supported range (0002-01-01 to
    9998-12-31); see :func:`regimen._convert.to_date`.
    """
    return to_date(value, field=field)


def _entry_start(value: date | str | None) -> date | None:
    return to_optional_date(value, field="Entry.start")


def _entry_end(value: date | str | None) -> date | None:
    return to_optional_date(value, field="Entry.end")


@attrs.frozen
class Entry:
    """A dose on a schedule, optionally between two dates (both inclusive).

    *as_needed* marks doses taken only when wanted (top-ups); validation
    reports what happens if all of them are taken. *source* says where the
    amount and timing come from. *clock* says how wall-clock times follow
    the plan's :class:`~regimen.Stay` objects: ``"local"`` (the default) reads
    them in the zone in force that day, ``"home"`` always in the plan's
    zone (a pill that must stay 24 h apart keeps home time).

    >>> from regimen import Dose, Product, Schedule, Substance
    >>> kefir = Product("kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
    >>> Entry(Dose(kefir, "6 fl oz"), Schedule.daily("08:00"), start="2027-01-01").start
    datetime.date(2027, 1, 1)
    """

    dose: Dose = attrs.field(validator=instance_of(Dose))
    schedule: Schedule = attrs.field(validator=instance_of(Schedule))
    start: date | None = attrs.field(default=None, kw_only=True, converter=_entry_start)
    end: date | None = attrs.field(default=None, kw_only=True, converter=_entry_end)
    as_needed: bool = attrs.field(
        default=False, kw_only=True, validator=instance_of(bool)
    )
    source: str | None = attrs.field(
        default=None, kw_only=True, converter=optional_text
    )
    clock: Clock = attrs.field(default="local", kw_only=True)

    @end.validator
    def _check_end(self, _attribute: object, value: date | None) -> None:
        check_order(self.start, value, "Entry")

    @clock.validator
    def _check_clock(self, _attribute: object, value: object) -> None:
        check_clock(value)


def _plan_start(value: date | str) -> date:
    return to_date(value, field="Plan.start")


def _plan_end(value: date | str | None) -> date | None:
    return to_optional_date(value, field="Plan.end")


def _zone(value: str) -> str:
    return check_zone(value, field="Plan.timezone")


def _plan_name(value: str) -> str:
    return check_name(value, "Plan.name")


def _entries(value: Iterable[Entry]) -> tuple[Entry, ...]:
    out = to_tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, Entry):
            msg = f"Plan.entries[{i}] must be an Entry (got {item!r})"
            raise TypeError(msg)
    return out


def _breaks(value: Iterable[Break]) -> tuple[Break, ...]:
    out = to_tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, Break):
            msg = f"Plan.breaks[{i}] must be a Break (got {item!r})"
            raise TypeError(msg)
    return out


@attrs.frozen
class Plan:
    """An intake plan: entries on schedules in one IANA time zone, with breaks.

    *timezone* is an IANA name (``"America/New_York"``), checked against the
    database. *start* and *end* are dates, both inclusive; an open plan
    (``end=None``) needs an explicit end when expanded. Dates may be given
    as ISO text. *stays* are :class:`~regimen.Stay` objects in other zones
    (sorted by date; two that share a date raise ``ValueError``): on a
    stay's dates wall-clock times are read in its zone (see
    :meth:`zone_on`).

    >>> from regimen import Dose, Product, Schedule, Substance
    >>> kefir = Product("kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
    >>> plan = Plan("mornings", timezone="Europe/Berlin", start="2027-03-27",
    ...             end="2027-03-28",
    ...             entries=[Entry(Dose(kefir, "6 fl oz"), Schedule.daily("02:30"))])
    >>> [e.at.isoformat() for e in plan.timeline()]
    ['2027-03-27T02:30:00+01:00', '2027-03-28T03:30:00+02:00']
    """

    name: str = attrs.field(converter=_plan_name)
    timezone: str = attrs.field(kw_only=True, converter=_zone)
    start: date = attrs.field(kw_only=True, converter=_plan_start)
    end: date | None = attrs.field(default=None, kw_only=True, converter=_plan_end)
    entries: tuple[Entry, ...] = attrs.field(
        default=(), kw_only=True, converter=_entries
    )
    breaks: tuple[Break, ...] = attrs.field(default=(), kw_only=True, converter=_breaks)
    stays: tuple[Stay, ...] = attrs.field(
        default=(), kw_only=True, converter=check_stays
    )

    @end.validator
    def _check_end(self, _attribute: object, value: date | None) -> None:
        check_order(self.start, value, "Plan")

    @entries.validator
    def _check_rule_zones(self, _attribute: object, value: tuple[Entry, ...]) -> None:
        for i, entry in enumerate(value):
            rule = entry.schedule.rule
            if rule is not None:
                rule.check_zone(self.timezone, field=f"Plan.entries[{i}].schedule")

    def zone_on(self, day: date | str) -> str:
        """Return the IANA zone wall-clock times are read in on *day*.

        The zone of the stay whose dates (inclusive) hold *day*, else the
        plan's own: each date has one zone, so each (day, time) of a
        schedule gives exactly one dose.

        >>> plan = Plan("trip", timezone="America/New_York", start="2027-03-01",
        ...             stays=[Stay("2027-03-20", "2027-03-27", "Europe/London")])
        >>> plan.zone_on("2027-03-27"), plan.zone_on("2027-03-28")
        ('Europe/London', 'America/New_York')
        """
        return zone_on(self.stays, self.timezone, to_date(day, field="zone_on() day"))

    @property
    def substances(self) -> tuple[Substance, ...]:
        """Every substance the plan's products contain, in first-seen order."""
        seen: dict[Substance, None] = {}
        for entry in self.entries:
            for substance in entry.dose.contents:
                seen.setdefault(substance)
        return tuple(seen)

    def timeline(
        self,
        start: date | str | None = None,
        end: date | str | None = None,
        *,
        max_events: int = DEFAULT_MAX_EVENTS,
    ) -> Timeline:
        """Expand the plan into a :class:`~regimen.Timeline` of dose events.

        *start* and *end* (inclusive dates or ISO text) narrow the plan's
        own dates. Every event belongs to the day its session is scheduled
        on (the date of the schedule's wall time, before any top-up offset):
        a 23:30 session with top-ups at 00:15 and 01:00 belongs wholly to
        the day it starts, for the plan's and entries' dates, for breaks
        and for these windows, so ``timeline(d, d)`` holds day *d*'s
        sessions, including top-ups after midnight, and nothing of *d* - 1.
        Times in a DST gap move forward by the gap; ambiguous times are
        taken at their first occurrence.

        Raises :class:`~regimen.ExpansionError` for an open plan without
        *end*, when more than *max_events* events would be produced
        (counted before any is built), and when expansion would need more
        than :data:`regimen._limits.MAX_EXPANSION_WORK` steps (days and
        recurrence candidates scanned, breaks applied), naming the entry and
        what to change. Dates outside 0002-01-01 .. 9998-12-31 raise
        ``ValueError``.

        >>> from regimen import Dose, Product, Schedule, Substance, top_ups
        >>> from datetime import timedelta
        >>> powder = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g")
        >>> session = top_ups(powder, first="1 g", step="0.5 g", every=timedelta(minutes=45),
        ...                   up_to="2 g", schedule=Schedule.daily("23:30"))
        >>> plan = Plan("late", timezone="UTC", start="2027-01-01", end="2027-01-03",
        ...             entries=session)
        >>> [e.at.strftime("%d %H:%M") for e in plan.timeline("2027-01-02", "2027-01-02")]
        ['02 23:30', '03 00:15', '03 01:00']
        """
        return expand(
            self,
            start=to_optional_date(start, field="timeline() start"),
            end=to_optional_date(end, field="timeline() end"),
            max_events=max_events,
        )
