"""Grouping an entry's runs of instants by local wall time, for the calendar fitter.

Expansion hands the export *runs*: instants at one local wall time, whole
days apart, with one UTC offset and fold in the plan's zone (most of them
``range`` objects). :func:`groups` sorts them into groups by (wall time,
fold, layer), each a list of *pieces* (local days, instants), without
looking at single instants wherever it can: a group of a decade's daily
dose is a few ranges. Two things are decided dose by dose, as before:
doses just after a DST gap (a dose whose time fell in the gap was moved
forward there and joins its nominal time's group when that is one of the
schedule's times), and days holding several doses at one local time
(layers 0, 1, ...).
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter

from ._ics_zone import DAY_US, ZoneSpan
from ._zone_table import Days

__all__ = ["Group", "LocalRun", "groups"]

#: Instants (UTC µs, increasing, all at one local wall time: whole days
#: apart), with their UTC offset and fold in the plan's zone.
LocalRun = tuple[Days, int, int]
#: Pieces of one group: (local days, instants), disjoint in days.
Group = list[tuple[Days, Days]]


def _windows(span: ZoneSpan) -> list[tuple[int, int]]:
    """Return the local times [start, end) just after each DST gap, where moved doses land."""
    return sorted((t + y, t + 2 * y - x) for t, x, y, *_ in span.transitions if y > x)


def _first(values: Days, limit: int) -> int:
    """Return the first index of increasing *values* at or above *limit*."""
    if isinstance(values, range):
        return min(max(-((values.start - limit) // values.step), 0), len(values))
    return bisect.bisect_left(values, limit)


def _days(us: Days, offset: int) -> Days:
    """Return the local days of instants *us* (all at one wall time) at *offset*."""
    if isinstance(us, range):
        first = (us.start + offset) // DAY_US
        step = us.step // DAY_US
        return range(first, first + len(us) * step, step)
    return [(u + offset) // DAY_US for u in us]


def _split(
    runs: list[LocalRun], windows: list[tuple[int, int]]
) -> tuple[dict[tuple[int, int], Group], list[tuple[int, int, int]]]:
    """Split runs into (wall, fold) -> pieces, and the doses just after a gap.

    Those (as (UTC µs, local µs, fold)) are grouped one at a time; no other
    dose shares a local time with them.
    """
    bulk: dict[tuple[int, int], Group] = {}
    near: list[tuple[int, int, int]] = []
    starts = [a for a, _b in windows]
    for us, offset, fold in runs:
        if not us:
            continue
        cut: list[int] = []
        if fold == 0 and windows:
            top = us[-1] + offset
            k = max(bisect.bisect_right(starts, us[0] + offset) - 1, 0)
            while k < len(windows) and windows[k][0] <= top:
                a, b = windows[k]
                i = _first(us, a - offset)
                if i < len(us) and us[i] + offset < b and (not cut or cut[-1] < i):
                    cut.append(i)
                k += 1
        lo = 0
        for i in [*cut, len(us)]:
            if i > lo:
                part = us[lo:i]
                key = ((part[0] + offset) % DAY_US, fold)
                bulk.setdefault(key, []).append((_days(part, offset), part))
            if i < len(us):
                near.append((us[i], us[i] + offset, fold))
            lo = i + 1
    return bulk, near


def _layers(
    wall: int, fold: int, pieces: Group, out: dict[tuple[int, int, int], Group]
) -> None:
    """Add a (wall, fold) group's pieces to *out*, by layer (layer 0 if no day repeats)."""
    pieces.sort(key=lambda piece: piece[0][0])
    if all(p[0][-1] < q[0][0] for p, q in itertools.pairwise(pieces)):
        out[wall, fold, 0] = pieces
        return
    days = list(itertools.chain.from_iterable(d for d, _u in pieces))
    us = list(itertools.chain.from_iterable(u for _d, u in pieces))
    if len(set(days)) == len(days):
        out[wall, fold, 0] = [(days, us)]
        return
    layers = Counter[int]()
    found: dict[int, tuple[list[int], list[int]]] = {}
    for day, u in sorted(zip(days, us, strict=True)):
        into = found.setdefault(layers[day], ([], []))
        into[0].append(day)
        into[1].append(u)
        layers[day] += 1
    for layer, piece in found.items():
        out[wall, fold, layer] = [piece]


def groups(
    runs: list[LocalRun], span: ZoneSpan, hints: frozenset[int]
) -> dict[tuple[int, int, int], Group]:
    """Group instants by (wall time, fold, layer) -> pieces; gap doses join their nominal time.

    A dose just after a DST gap (its time moved forward out of the gap)
    joins the group of its nominal time when that is one of the schedule's
    *hints* and the moved time is not (or is taken already that day).
    Doses at the same local time on the same day (the same instant) go to
    layers 0, 1, ... of their wall time. The pieces of a group are disjoint
    in days but not always in order.
    """
    bulk, near = _split(runs, _windows(span) if hints else [])
    out: dict[tuple[int, int, int], Group] = {}
    for (wall, fold), pieces in bulk.items():
        _layers(wall, fold, pieces, out)
    shadows = sorted((t + y, y - x) for t, x, y, *_ in span.transitions if y > x)
    ends = [end for end, _size in shadows]
    seen: dict[tuple[int, int, int], int] = {}
    for us, local, fold in sorted(near):
        day, wall = divmod(local, DAY_US)
        k = bisect.bisect_right(ends, local) - 1
        if k >= 0 and local < shadows[k][0] + shadows[k][1]:
            nday, nwall = divmod(local - shadows[k][1], DAY_US)
            if (
                nwall in hints
                and not seen.get((nwall, 0, nday))
                and (wall not in hints or seen.get((wall, 0, day)))
            ):
                day, wall = nday, nwall
        key = (wall, fold, day)
        layer = seen.get(key, 0)
        seen[key] = layer + 1
        out.setdefault((wall, fold, layer), []).append(
            (range(day, day + 1), range(us, us + 1))
        )
    return out
