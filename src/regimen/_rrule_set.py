"""Recurrence rules as calendars write them: ``DTSTART``, ``RRULE``, ``EXDATE``, ``RDATE``.

:class:`RecurrenceSet` reads the content lines of RFC 5545 (unfolded or
folded, LF or CRLF, indented as in a TOML multi-line string) or a bare
``RRULE`` value, checks every part, and keeps what
:mod:`regimen._rrule_occur` needs to list the occurrences: the
date-selecting :class:`~regimen._rrule.RecurrenceRule`, the times of day
(``BYHOUR``/``BYMINUTE``/``BYSECOND``, ``DTSTART``'s time, or ``HOURLY``
and ``MINUTELY`` steps), ``COUNT`` or ``UNTIL``, and the dates added and
removed. Values are kept as written: naive ones are wall times in the
plan's zone, ones ending in ``Z`` are instants converted at expansion.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, tzinfo
from typing import Final

import attrs

from ._rrule import _MAX_INTERVAL, RecurrenceRule, _fail
from ._rrule_lines import (
    CLOCK,
    LINE_NAMES,
    Value,
    clock_values,
    content_lines,
    split_line,
    value,
    zone_of,
)
from ._rrule_occur import check_matches, occurrences

__all__ = ["RecurrenceSet"]

_PER_DAY: Final = {"HOURLY": 24, "MINUTELY": 1440}
_MAX_TEXT: Final = 100_000
_MAX_COUNT: Final = 1_000_000
_MAX_TIMES: Final = 1440
_UTC: Final = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "UCT", "Zulu"})


@attrs.frozen
class RecurrenceSet:
    """A parsed recurrence: a date rule, times of day, bounds, added and removed dates.

    Naive values are wall times in the plan's zone (or the ``TZID`` they
    name, which must be the plan's); aware ones are UTC instants.
    """

    text: str
    rule: RecurrenceRule
    freq: str
    interval: int = 1
    count: int | None = None
    until: Value | None = None
    dtstart: Value | None = None
    zone: str | None = None
    byhour: tuple[int, ...] = ()
    byminute: tuple[int, ...] = ()
    bysecond: tuple[int, ...] = ()
    exdates: frozenset[Value] = frozenset()
    rdates: frozenset[Value] = frozenset()
    times_given: bool = False

    @classmethod
    def parse(cls, text: str, *, times_given: bool = False) -> RecurrenceSet:
        """Read *text* (content lines or a bare RRULE); raise ``ValueError`` saying why not."""
        if not isinstance(text, str):
            msg = f"a recurrence rule must be text like 'FREQ=WEEKLY;BYDAY=MO' (got {text!r})"
            raise TypeError(msg)
        if len(text) > _MAX_TEXT:
            raise _fail(text[:40] + "...", f"is longer than {_MAX_TEXT:,} characters")
        lines = content_lines(text)
        if not lines:
            raise _fail(text, "give a rule such as 'FREQ=WEEKLY;BYDAY=MO,WE,FR'")
        written = "\n".join(lines)
        if len(lines) == 1 and re.match(r"[A-Za-z]+\s*=", lines[0]):
            lines = ["RRULE:" + lines[0]]
        found: dict[str, list[tuple[dict[str, str], str]]] = {}
        for line in lines:
            name, params, value = split_line(text, line)
            found.setdefault(name, []).append((params, value))
        return attrs.evolve(_build(text, found, times_given=times_given), text=written)

    def check_zone(self, name: str, *, field: str) -> None:
        """Raise ``ValueError`` naming *field* if the rule's TZID is not the zone *name*.

        The rule repeats in the plan's wall-clock time; a DTSTART in another
        zone (or in UTC) would repeat in that zone's, which a plan cannot
        follow, so it is refused rather than converted.
        """
        if self.zone is None or self.zone == name or {self.zone, name} <= _UTC:
            return
        msg = (
            f"{field}: the rule's DTSTART/EXDATE/RDATE are in {self.zone}, the "
            f"plan's zone is {name}; write them in {name} (or without TZID), or "
            f"give the plan timezone={self.zone!r}"
        )
        raise ValueError(msg)

    # -- what expansion asks -------------------------------------------------

    @property
    def gives_times(self) -> bool:
        """Tell whether the rule itself says the times of day."""
        return bool(
            self.freq in _PER_DAY
            or self.byhour
            or self.byminute
            or self.bysecond
            or isinstance(self.dtstart, datetime)
        )

    def start_time(self) -> time:
        """Return DTSTART's time of day (midnight without one)."""
        return self.dtstart.time() if isinstance(self.dtstart, datetime) else time(0)

    def day_times(self) -> tuple[time, ...]:
        """Return the times of a day the rule selects (for ``DAILY`` and longer)."""
        t = self.start_time()
        return tuple(
            time(h, m, s)
            for h in self.byhour or (t.hour,)
            for m in self.byminute or (t.minute,)
            for s in self.bysecond or (t.second,)
        )

    def walls(self, offset: int) -> tuple[time, ...]:
        """Return the times an ``HOURLY``/``MINUTELY`` rule selects *offset* days after DTSTART's."""
        per_day, n, base = self._steps()
        return self._at(range((base - offset * per_day) % n, per_day, n))

    def times_of_day(self) -> tuple[time, ...]:
        """Return every time of day the rule can select (empty if it says none)."""
        if self.freq not in _PER_DAY:
            return self.day_times() if self.gives_times else ()
        per_day, n, base = self._steps()
        step = math.gcd(n, per_day)
        return tuple(sorted(set(self._at(range(base % step, per_day, step)))))

    def _steps(self) -> tuple[int, int, int]:
        """Return the units per day, INTERVAL, and DTSTART's unit of its day."""
        per_day, t = _PER_DAY[self.freq], self.start_time()
        return (
            per_day,
            self.interval,
            t.hour if per_day == 24 else t.hour * 60 + t.minute,
        )

    def _at(self, units: range) -> tuple[time, ...]:
        """Return the times of day at *units* (hours or minutes of the day) that match."""
        t = self.start_time()
        out: list[time] = []
        for unit in units:
            hour, minute = (unit, None) if self.freq == "HOURLY" else divmod(unit, 60)
            if self.byhour and hour not in self.byhour:
                continue
            if minute is not None and self.byminute and minute not in self.byminute:
                continue
            minutes = (minute,) if minute is not None else self.byminute or (t.minute,)
            out.extend(
                time(hour, m, s) for m in minutes for s in self.bysecond or (t.second,)
            )
        return tuple(out)

    def occurrences(
        self,
        first: date,
        last: date,
        *,
        anchor: date,
        tz: tzinfo = UTC,
        times: tuple[time, ...] = (),
        spend: Callable[[int], None] | None = None,
    ) -> Iterator[tuple[date, tuple[time, ...]]]:
        """Yield each day in [first, last] with its times (see :mod:`regimen._rrule_occur`)."""
        return occurrences(self, (first, last, anchor), tz, times, spend)


def _build(
    text: str,
    found: dict[str, list[tuple[dict[str, str], str]]],
    *,
    times_given: bool,
) -> RecurrenceSet:
    for name in found:
        if name == "EXRULE":
            raise _fail(
                text,
                "EXRULE is obsolete in RFC 5545 and not read; list the dates "
                "to leave out in an EXDATE line",
            )
        if name not in LINE_NAMES:
            raise _fail(
                text,
                f"a {name} line is not part of a recurrence; give only DTSTART, "
                "RRULE, EXDATE and RDATE lines",
            )
    rules = found.get("RRULE", [])
    if len(rules) != 1:
        raise _fail(
            text,
            "give one RRULE line, such as 'RRULE:FREQ=WEEKLY;BYDAY=MO'"
            if not rules
            else "has several RRULE lines; a schedule follows one rule, so "
            "use one entry per rule",
        )
    if len(found.get("DTSTART", [])) > 1:
        raise _fail(text, "has more than one DTSTART line")
    zones: set[str] = set()
    dtstart: Value | None = None
    for params, raw in found.get("DTSTART", []):
        dtstart = value(text, "DTSTART", raw, params.get("VALUE", "").upper() or None)
        zone = zone_of(text, "DTSTART", params, raw)
        if isinstance(dtstart, datetime) and dtstart.tzinfo is not None:
            zone, dtstart = "UTC", dtstart.replace(tzinfo=None)
        zones.update([zone] if zone else [])
    lists: dict[str, set[Value]] = {"EXDATE": set(), "RDATE": set()}
    for name, values in lists.items():
        for params, raw in found.get(name, []):
            kind = params.get("VALUE", "").upper() or None
            if kind == "PERIOD":
                raise _fail(
                    text,
                    "RDATE;VALUE=PERIOD is not read; give the period's start as "
                    "a DATE-TIME (RDATE:20270301T090000)",
                )
            zone = zone_of(text, name, params, raw)
            zones.update([zone] if zone else [])
            values.update(value(text, name, item, kind) for item in raw.split(","))
    if len(zones) > 1:
        raise _fail(
            text,
            f"names the zones {', '.join(sorted(zones))}; all its TZIDs must be "
            "the plan's zone",
        )
    [(params, body)] = rules
    parts = RecurrenceRule.split(text, body)
    return _with_rule(
        text,
        parts,
        RecurrenceSet(
            text=text.strip(),
            rule=RecurrenceRule(text="", freq="DAILY"),
            freq="DAILY",
            dtstart=dtstart,
            zone=zones.pop() if zones else None,
            exdates=frozenset(lists["EXDATE"]),
            rdates=frozenset(lists["RDATE"]),
            times_given=times_given,
        ),
    )


def _with_rule(text: str, parts: dict[str, str], base: RecurrenceSet) -> RecurrenceSet:
    """Read the RRULE *parts* into *base*: bounds and times here, dates in RecurrenceRule."""
    if "DTSTART" in parts:
        raise _fail(
            text,
            "DTSTART is not a part of the RRULE; put it on a line of its own: "
            "'DTSTART:20270301T090000\\nRRULE:FREQ=DAILY'",
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise _fail(text, "has both COUNT and UNTIL; RFC 5545 allows one of them")
    count: int | None = None
    until: Value | None = None
    clock: dict[str, tuple[int, ...]] = {}
    if "COUNT" in parts:
        raw = parts.pop("COUNT")
        if not re.fullmatch(r"[0-9]{1,7}", raw) or not 1 <= int(raw) <= _MAX_COUNT:
            raise _fail(
                text,
                f"COUNT must be a whole number from 1 to {_MAX_COUNT:,} (got {raw!r})",
            )
        count = int(raw)
    if "UNTIL" in parts:
        until = value(text, "UNTIL", parts.pop("UNTIL"), None, bound=True)
    for key in CLOCK:
        if key in parts:
            clock[key] = clock_values(text, key, parts.pop(key))
    if clock and "BYSETPOS" in parts:
        raise _fail(
            text,
            "BYSETPOS with BYHOUR/BYMINUTE/BYSECOND is not read; list only the "
            "times wanted in BYHOUR/BYMINUTE",
        )
    freq = parts.get("FREQ", "")
    if freq == "SECONDLY":
        raise _fail(
            text,
            "FREQ=SECONDLY is not read: doses seconds apart are not a plan; "
            "use FREQ=MINUTELY or FREQ=HOURLY",
        )
    interval = 1
    if freq in _PER_DAY:
        if "BYSETPOS" in parts:
            raise _fail(
                text,
                f"BYSETPOS with FREQ={freq} is not read; list the times in "
                "BYHOUR/BYMINUTE with FREQ=DAILY instead",
            )
        raw = parts.pop("INTERVAL", "1")
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= _MAX_INTERVAL:
            raise _fail(
                text,
                f"INTERVAL must be a whole number from 1 to {_MAX_INTERVAL} (got {raw!r})",
            )
        interval = int(raw)
        parts["FREQ"] = "DAILY"
    rule = RecurrenceRule._from_parts(text, parts)
    rule = attrs.evolve(rule, text=";".join(f"{k}={v}" for k, v in parts.items()))
    out = attrs.evolve(
        base,
        rule=rule,
        freq=freq if freq in _PER_DAY else rule.freq,
        interval=interval if freq in _PER_DAY else rule.interval,
        count=count,
        until=until,
        byhour=clock.get("BYHOUR", ()),
        byminute=clock.get("BYMINUTE", ()),
        bysecond=clock.get("BYSECOND", ()),
    )
    return _checked(text, out)


def _checked(text: str, out: RecurrenceSet) -> RecurrenceSet:
    clock = out.byhour or out.byminute or out.bysecond or out.freq in _PER_DAY
    if out.times_given and clock:
        what = (
            f"FREQ={out.freq}" if out.freq in _PER_DAY else "BYHOUR/BYMINUTE/BYSECOND"
        )
        raise _fail(
            text,
            f"gives the times of day itself ({what}); leave out the schedule's "
            "times, or drop them from the rule",
        )
    if len(out.times_of_day()) > _MAX_TIMES:
        raise _fail(text, f"gives more than {_MAX_TIMES} times a day")
    check_matches(text, out)
    if not out.times_given and not out.gives_times:
        raise _fail(
            text,
            "says no time of day; give the schedule's times, BYHOUR (and "
            "BYMINUTE), or a DTSTART with a time",
        )
    return out
