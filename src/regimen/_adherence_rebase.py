"""Adherence counted from the last dose taken: ``adherence(..., rebase=True)``.

For an entry on :meth:`regimen.Schedule.every_hours` (an antibiotic every
8 h, or an as-needed dose at most every 4 h) a reminder app counts the next
dose from the last one actually taken, not from the plan's first time. With
``rebase=True`` :func:`regimen.adherence` does so: for each such entry (with
no top-up offset), the last logged dose at or before ``at`` that matches it
(same product, or same substances with ``match_by="substance"``), taken on
or after the entry's first day, starts a new chain. The entry's planned
doses after that dose that no logged dose matched are replaced by that
dose plus one, two, ... intervals (up to the adherence horizon, within the
entry's and plan's dates, off the break days of its substances). An
as-needed entry gets only the first of them: the moment another dose may
be taken, which is DUE once reached (never missed) and counts for
``next_due``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Final

import attrs

from ._adherence_records import Rows, event_rows
from ._timeline import DoseEvent
from ._timezone import EPOCH, US, zone

if TYPE_CHECKING:
    from array import array

    from ._plan import Entry, Plan
    from ._timeline import Timeline

__all__ = ["Planned", "rebase", "rebased_rows"]

#: (planned event, index of the logged dose matched to it or None, rebased?).
Planned = tuple[DoseEvent, int | None, bool]
_MAX_STEPS: Final = 1_000_000


def _last_taken(
    entry: Entry,
    plan: Plan,
    taken: list[DoseEvent],
    key: Callable[[DoseEvent], Hashable],
) -> DoseEvent | None:
    want = key(DoseEvent(datetime(2000, 1, 1, tzinfo=UTC), entry.dose))
    first = entry.start or plan.start
    tz = zone(plan.timezone)
    best = None
    for event in taken:
        if (
            key(event) == want
            and event.at.astimezone(tz).date() >= first
            and (best is None or event.timestamp_us >= best.timestamp_us)
        ):
            best = event
    return best


def _chain(
    entry: Entry,
    plan: Plan,
    after: DoseEvent,
    days: tuple[date, date],
    horizon_us: int,
) -> list[DoseEvent]:
    """Return the new chain after the dose *after*, within *days* and the horizon."""
    assert entry.schedule.period is not None
    step = entry.schedule.period // US
    tz = zone(plan.timezone)
    lo = max(days[0], entry.start or plan.start)
    hi = days[1] if entry.end is None else min(days[1], entry.end)
    blocked = [b for b in plan.breaks if any(b.covers(s) for s in entry.dose.contents)]
    out: list[DoseEvent] = []
    u = after.timestamp_us
    for _ in range(_MAX_STEPS):
        u += step
        if u > horizon_us:
            break
        at = (EPOCH + u * US).astimezone(tz)
        day = at.date()
        if day > hi:
            break
        if day < lo or any(b.includes(day) for b in blocked):
            continue
        out.append(DoseEvent(at, entry.dose, as_needed=entry.as_needed))
        if entry.as_needed:
            break
    return out


def rebase(
    plan: Plan,
    planned: list[DoseEvent],
    matched: dict[int, int],
    taken: list[DoseEvent],
    *,
    key: Callable[[DoseEvent], Hashable],
    days: tuple[date, date],
    horizon_us: int,
) -> list[Planned]:
    """Return the planned doses with each every-h-hours chain counted from its last dose.

    *planned* are the plan's events in the adherence window (*days*, up to
    *horizon_us*), *matched* maps a planned index to its logged dose's index
    in *taken*. The result is sorted by time, each event with its match and
    whether it was rebased.
    """
    drop: set[int] = set()
    added: list[DoseEvent] = []
    for entry in plan.entries:
        schedule = entry.schedule
        if schedule.period is None or schedule.offset:
            continue
        last = _last_taken(entry, plan, taken, key)
        if last is None:
            continue
        own = collections.Counter(
            (e.timestamp_us, e.dose, e.as_needed)
            for e in attrs.evolve(plan, entries=(entry,)).timeline(*days)
            if e.timestamp_us > last.timestamp_us
        )
        for i, event in enumerate(planned):
            slot = (event.timestamp_us, event.dose, event.as_needed)
            if i not in matched and own[slot] > 0:
                own[slot] -= 1
                drop.add(i)
        added.extend(_chain(entry, plan, last, days, horizon_us))
    rows: list[tuple[int, int, Planned]] = [
        (e.timestamp_us, i, (e, matched.get(i), False))
        for i, e in enumerate(planned)
        if i not in drop
    ]
    rows.extend(
        (e.timestamp_us, len(planned) + k, (e, None, True)) for k, e in enumerate(added)
    )
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


def rebased_rows(
    plan: Plan,
    planned: Timeline,
    hit: array[int],
    log: Timeline,
    *,
    key: Callable[[DoseEvent], Hashable],
    days: tuple[date, date],
    horizon_us: int,
) -> Rows:
    """Return :func:`regimen.adherence`'s rows with each every-h-hours chain rebased.

    *planned* and *log* are the doses in the window and up to *at*, *hit*
    the match of each planned dose (-1 for none), as :func:`rebase` wants them.
    """
    events = list(planned)
    taken = list(log)
    matched = {i: h for i, h in enumerate(hit) if h >= 0}
    chains = rebase(
        plan,
        events,
        matched,
        taken,
        key=key,
        days=days,
        horizon_us=horizon_us,
    )
    return event_rows(
        [e for e, _, _ in chains],
        taken,
        [-1 if h is None else h for _, h, _ in chains],
        rebased=bytes(r for _, _, r in chains),
    )
