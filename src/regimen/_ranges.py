"""Timelines of dose ranges at their low end, for validation's second run.

A dose range (``Dose(product, "2-3 g")``) is checked at its high end, its
:attr:`~regimen.Dose.amount`; :func:`at_low_end` gives the same events with
every range at its low end, so validation can tell which findings only the
upper ends cause.
"""

from __future__ import annotations

from collections.abc import Callable

from ._dose import Dose
from ._timeline import Timeline
from ._timeline_index import DoseTable, TimelineIndex

__all__ = ["any_range", "at_low_end"]


def any_range(timeline: Timeline) -> bool:
    """Tell whether any event's dose is a range (per distinct dose, without building events)."""
    if not len(timeline):
        return False
    index = timeline._idx
    kinds, doses = index.kinds, index.table.doses
    return any(doses[kinds[k].dose].is_range for k in index.firsts())


def at_low_end(timeline: Timeline) -> Timeline:
    """Return *timeline* with every range dose at its low end (fixed doses as they are).

    The instants, order, as-needed flags, notes and zones stay; each
    distinct dose is replaced once (the result is cached on the index).
    """
    if not any_range(timeline):
        return timeline
    index = timeline._idx
    key = ("at_low_end", timeline.start, timeline.end)
    found: Timeline | None = index.cache.get(key)
    if found is None:
        found = Timeline._from_index(
            _with_doses(index, Dose.at_low_end), timeline.start, timeline.end
        )
        index.cache[key] = found
    return found


def _with_doses(index: TimelineIndex, change: Callable[[Dose], Dose]) -> TimelineIndex:
    """Return the index of the same instants with each distinct dose replaced by *change* of it."""
    kinds, doses = index.kinds, index.table.doses
    table = DoseTable()
    ids = [table.add(change(d)) for d in doses]
    return TimelineIndex(
        index.us,
        index.kind,
        kinds=tuple(k._replace(dose=ids[k.dose]) for k in kinds),
        table=table,
        event_type=index.event_type,
    )
