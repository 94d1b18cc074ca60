"""The instants of expanded entries, as runs, and the timeline index built from them.

Expansion (:mod:`regimen._expand`) decides which days each entry is active
on; this module turns an entry's days and wall times into *runs*: instants
(UTC µs) that share their UTC offset and fold and lie whole days apart,
each run a ``range`` where the days are a progression (a schedule's days,
:mod:`regimen._expand_days`) and a list otherwise (an RRULE's days). Wall
times are localized per run through a :class:`~regimen._zone_table.ZoneTable`
(a run is split where the zone's offset changes), so a decade of a daily
dose costs a few ranges, not 3,650 calls to ``zoneinfo``. Where no table
can be made, and for entries on local clock during stays in other zones
and every-h-hours chains, instants are worked out one at a time, as
:func:`~regimen._timezone.localize` defines them (a DST gap's wall time
moves forward, an ambiguous one is its first occurrence).

:func:`columns` merges the runs of all entries into a
:class:`~regimen._timeline_index.TimelineIndex`; the calendar export takes
the runs themselves (:func:`entry_runs`), entry by entry.
"""

from __future__ import annotations

import bisect
import operator
from array import array
from collections.abc import Iterable
from datetime import date, time, timedelta, tzinfo
from itertools import repeat
from typing import TYPE_CHECKING, Final, NamedTuple

from ._expand_days import day_runs
from ._stay import ZonesByDay
from ._timeline import DoseEvent
from ._timeline_index import DoseTable, Kind, TimelineIndex, Zone, make_zone, typecode
from ._timezone import EPOCH, localize
from ._zone_table import DAY_US, Days, localize_days, zone_table

if TYPE_CHECKING:
    from ._plan import Entry

__all__ = ["Run", "Todo", "chain_runs", "columns", "entry_runs"]

_US: Final = timedelta(microseconds=1)
_ORDINAL: Final = date(1970, 1, 1).toordinal()
#: Doses a year from which an entry is localized through a zone table.
_DENSE: Final = 12
_Span = tuple[date, date]
#: An entry to expand: the entry, its anchor, free spans, and its active
#: days (with their times) or their number.
Todo = tuple["Entry", date, list[_Span], list[tuple[date, tuple[time, ...]]] | int]


class Run(NamedTuple):
    """Instants (UTC µs, increasing, whole days apart) with one UTC offset (µs) and fold in *zone*."""

    us: Days
    offset: int
    fold: int
    zone: tzinfo


def _wall_us(at: time) -> int:
    return ((at.hour * 60 + at.minute) * 60 + at.second) * 1_000_000 + at.microsecond


def _one(at_us: int, zone: tzinfo) -> Run:
    """Return the run of the single instant *at_us*, with its offset and fold in *zone*."""
    at = (EPOCH + at_us * _US).astimezone(zone)
    offset = at.utcoffset()
    assert offset is not None
    return Run([at_us], offset // _US, at.fold, zone)


def chain_runs(us: list[int], tz: tzinfo) -> list[Run]:
    """Return the instants *us* (increasing UTC µs) as runs: whole days apart, one offset each.

    Instants between two changes of *tz*'s offset that are whole days apart
    (a dose every 8 h is three such series) make one run, so a chain of
    every-*h*-hours doses is localized per offset segment, not per dose.
    A zone without a table is localized dose by dose.
    """
    if not us:
        return []
    table = zone_table(tz, us[0] // DAY_US, us[-1] // DAY_US)
    if table is None:
        return [_one(u, tz) for u in us]
    utc_at, utc_off, utc_fold = table.utc_at, table.utc_off, table.utc_fold
    out: list[Run] = []
    i, n = 0, len(us)
    segment = bisect.bisect_right(utc_at, us[0]) - 1
    while i < n:
        end = utc_at[segment + 1] if segment + 1 < len(utc_at) else table.hi
        j = bisect.bisect_left(us, end, i)
        series: dict[int, list[int]] = {}
        for u in us[i:j]:
            found = series.get(u % DAY_US)
            if found is None:
                series[u % DAY_US] = [u]
            else:
                found.append(u)
        out.extend(
            Run(found, utc_off[segment], utc_fold[segment], tz)
            for found in series.values()
        )
        i, segment = j, segment + 1
    return out


def _sources(todo: Todo) -> list[tuple[time, list[Days]]]:
    """Return each wall time of the entry with the days (progressions or lists) it falls on."""
    entry, anchor, free, days = todo
    times = entry.schedule.times
    if isinstance(days, list):
        if all(at is times for _day, at in days):  # no RRULE picking times day by day
            numbers = [day.toordinal() - _ORDINAL for day, _at in days]
            return [(wall, [numbers]) for wall in times]
        walls: dict[time, list[int]] = {}
        for day, at in days:
            n = day.toordinal() - _ORDINAL
            for wall in at:
                walls.setdefault(wall, []).append(n)
        return [(wall, [found]) for wall, found in walls.items()]
    runs = day_runs(entry.schedule, free, anchor)
    assert runs is not None  # an RRULE's days are always listed
    return [(wall, list(runs)) for wall in times]


def _runs(
    todo: Todo,
    tz: tzinfo,
    chain: list[int] | None,
    travel: ZonesByDay | None,
) -> list[Run]:
    """Return the runs of one entry's instants (see the module's docstring)."""
    entry = todo[0]
    delta = entry.schedule.offset // _US
    if chain is not None:
        return chain_runs([u + delta for u in chain], tz)
    sources = _sources(todo)
    local = travel is not None and entry.clock == "local"
    found = [
        d
        for _wall, seqs in sources
        for days in seqs
        for d in (days[0], days[-1])
        if days
    ]
    if not found:
        return []
    count = sum(len(days) for _wall, seqs in sources for days in seqs)
    first, last = min(found), max(found)
    # A table costs some 20 look-ups a year: a sparse entry over centuries
    # (a yearly rule from 0002 on) is localized day by day instead.
    dense = count * 365 >= _DENSE * (last - first + 1)
    # On local clock with stays, each run of days in one zone is read there.
    pieces = (
        travel.pieces(first, last)
        if local and travel is not None
        else [(first, last, tz)]
    )
    out: list[Run] = []
    for lo, hi, here in pieces:
        table = zone_table(here, lo, hi) if dense else None
        for wall, seqs in sources:
            for all_days in seqs:
                days = _within(all_days, lo, hi)
                if table is not None:
                    out.extend(
                        Run(us, offset, fold, here)
                        for _days, us, offset, fold in localize_days(
                            table, days, _wall_us(wall), delta
                        )
                    )
                    continue
                for n in days:
                    at = localize(date.fromordinal(n + _ORDINAL), wall, here)
                    out.append(_one((at - EPOCH) // _US + delta, here))
    return out


def _within(days: Days, lo: int, hi: int) -> Days:
    """Return the days of *days* (increasing) from *lo* to *hi*, a range staying a range."""
    if isinstance(days, range):
        start = max(0, -((days.start - lo) // days.step))
        stop = max(start, -((days.start - hi - 1) // days.step))
        return days[start:stop]
    return days[bisect.bisect_left(days, lo) : bisect.bisect_right(days, hi)]


def _ranked(todo: list[Todo]) -> list[int]:
    """Return the todo positions in timeline order of their entries (product, amount, position)."""
    labels = [
        (e.dose.product.name, e.dose.amount_text, i) for i, (e, *_) in enumerate(todo)
    ]
    return sorted(range(len(todo)), key=labels.__getitem__)


def entry_runs(
    todo: list[Todo],
    tz: tzinfo,
    chains: dict[int, list[int]],
    travel: ZonesByDay | None = None,
) -> list[tuple[int, list[Run]]]:
    """Return (todo position, runs) for each entry, in timeline order of the entries."""
    return [(r, _runs(todo[r], tz, chains.get(r), travel)) for r in _ranked(todo)]


def _keys(us: Days, step: int, low: int) -> Iterable[int]:
    if isinstance(us, range):
        return range(us.start * step + low, us.stop * step + low, us.step * step)
    return [u * step + low for u in us]


def columns(
    todo: list[Todo],
    tz: tzinfo,
    chains: dict[int, list[int]],
    travel: ZonesByDay | None = None,
) -> TimelineIndex:
    """Work out every event's instant and UTC offset, sorted, as an index.

    Wall times are read in *tz*, or, for entries on local clock when the
    plan has stays, in the zone *travel* gives for the session's day.

    The timeline order is instant, then product name and amount (then the
    entries' order): each entry gets a rank in that order once, and each
    event one integer key, (instant, rank, zone), so the sort compares
    ints instead of building a key per event; a run's keys are a range.
    """
    ranked = entry_runs(todo, tz, chains, travel)
    zones: dict[tuple[int, int, tzinfo], int] = {}
    for _r, runs in ranked:
        for run in runs:
            zones.setdefault((run.offset, run.fold, run.zone), len(zones))
    width = max(len(zones), 1)
    step = len(ranked) * width
    keys: list[int] = []
    for rank, (_r, runs) in enumerate(ranked):
        for run in runs:
            keys.extend(
                _keys(
                    run.us, step, rank * width + zones[run.offset, run.fold, run.zone]
                )
            )
    keys.sort()
    cells: list[Zone] = [make_zone(tz, 0, 0)] * width
    for (offset, fold, here), z in zones.items():
        cells[z] = make_zone(here, offset, fold)
    table = DoseTable()
    entries = [
        (table.add(todo[r][0].dose), todo[r][0].as_needed) for r, _runs in ranked
    ]
    # Kind id = rank * width + zone: the low part of each key.
    kinds = [Kind(dose, needed, "", z) for dose, needed in entries for z in cells]
    # Filled from iterators: no list of a million ints besides the keys.
    us = array("q", map(operator.floordiv, keys, repeat(step)))
    kind = array(typecode(step), map(operator.mod, keys, repeat(step)))
    return TimelineIndex(us, kind, kinds=kinds, table=table, event_type=DoseEvent)
