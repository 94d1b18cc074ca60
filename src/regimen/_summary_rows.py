"""The figures of a summary: typical-day rows (with their dates) and daily totals.

:func:`~regimen.summarize` (in :mod:`regimen._summary`) calls these on the
timeline's columns, so each works per distinct dose and kind, not per event.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter
from collections.abc import Sequence
from datetime import date, time
from itertools import chain, islice, repeat
from typing import TYPE_CHECKING, Any, Final

from ._dose import Dose, Meal
from ._product import Product
from ._rules_classes import dose_label
from ._summary_types import ScheduleRow, _join
from ._timeline import Timeline
from ._windows_np import MIN_EVENTS, numpy_or_none

if TYPE_CHECKING:
    from ._timeline_index import Kind

__all__ = [
    "Period",
    "columns",
    "item_label",
    "rows",
]

_DAY_US: Final = 86_400_000_000

_MEALS = {
    Meal.BEFORE: "before a meal",
    Meal.WITH: "with a meal",
    Meal.AFTER: "after a meal",
    Meal.EMPTY_STOMACH: "on an empty stomach",
}


class Period:
    """The summary's days, first to last inclusive (none when both are None)."""

    __slots__ = ("first", "last")

    def __init__(self, first: date | None, last: date | None) -> None:
        self.first = first
        self.last = last

    @property
    def days(self) -> int:
        """How many days the period covers."""
        if self.first is None or self.last is None:
            return 0
        return (self.last - self.first).days + 1

    @property
    def ordinals(self) -> tuple[int, int]:
        """First and last day as ordinals (an empty range when there are none)."""
        if self.first is None or self.last is None:
            return (1, 0)
        return (self.first.toordinal(), self.last.toordinal())


def item_label(product: Product) -> str:
    """Return how a row names a product: its name, and its variant in brackets."""
    return f"{product.name} ({product.variant})" if product.variant else product.name


def _note(dose: Dose, *, as_needed: bool) -> str:
    return _join(
        dose.note,
        _MEALS.get(dose.meal, "") if dose.meal else "",
        "as needed" if as_needed else "",
    )


def columns(timeline: Timeline) -> tuple[Sequence[int], Sequence[int], Sequence[Kind]]:
    """Return the timeline's instants, kind ids and kinds, read without building events."""
    if not len(timeline):
        return (), (), ()
    index = timeline._idx
    return index.us, index.kind, index.kinds


def rows(
    timeline: Timeline, days_of: Sequence[int], period: Period
) -> tuple[ScheduleRow, ...]:
    """Return the typical-day rows: one per time of day, item, amount and note, and phase.

    A *phase* of a row is a run of days on which its time slot (time of
    day, item, as-needed, note) has its amount: the row is split where the
    slot has another amount on the days between (a taper that comes back to
    an amount gets a row for each time). A row's *first* and *last* are the
    first and last of the period's days (each beginning at the day start, as
    *days_of* counts them) of its phase; rows are in order of their first
    day, then time of day.
    """
    us, kind_ids, kinds = columns(timeline)
    doses = timeline._idx.table.doses if kinds else []
    # Labels are worked out once per kind (dose, as-needed, zone), not per event.
    labels = [
        (
            item_label(doses[k.dose].product),
            doses[k.dose].amount_text,
            _note(doses[k.dose], as_needed=k.as_needed),
            k.as_needed,
            k.zone.offset,
        )
        for k in kinds
    ]
    offsets = [k.zone.offset for k in kinds]
    days_by_slot = _days_by_slot(us, kind_ids, offsets, days_of)
    # Row key -> the days of its events, one list per slot of the key.
    lists: dict[tuple[Any, ...], list[list[int]]] = {}
    amounts: dict[tuple[Any, ...], Dose] = {}
    for slot, on in days_by_slot.items():
        k, of_day = divmod(slot, _DAY_US)
        item, amount, note, as_needed, _ = labels[k]
        key = (of_day, item, amount, as_needed, note)
        if key in lists:
            lists[key].append(on)
        else:
            lists[key] = [on]
            amounts[key] = doses[kinds[k].dose]
    del days_by_slot
    groups = {key: _day_counts(on) for key, on in lists.items()}
    del lists
    slots: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for key in groups:
        slots.setdefault(_slot(key), []).append(key)
    first, last = period.ordinals
    out = []
    for key, (days, counts) in groups.items():
        others = sorted(
            {d for other in slots[_slot(key)] if other != key for d in groups[other][0]}
        )
        at = 0
        for phase in _phases(days, others):
            inside = [d for d in phase if first <= d <= last]
            dose = amounts[key]
            out.append(
                ScheduleRow(
                    time=_clock(key[0]),
                    item=key[1],
                    amount=dose.amount,
                    note=key[4],
                    days=len(inside),
                    as_needed=key[3],
                    count=len(phase)
                    if counts is None
                    else sum(counts[at : at + len(phase)]),
                    low=dose.low,
                    dose_class=dose_label(dose.contents),
                    first=date.fromordinal(inside[0]) if inside else None,
                    last=date.fromordinal(inside[-1]) if inside else None,
                )
            )
            at += len(phase)
    return tuple(sorted(out, key=_order))


def _days_by_slot(
    us: Sequence[int],
    kind_ids: Sequence[int],
    offsets: list[int],
    days_of: Sequence[int],
) -> dict[int, list[int]]:
    """Return each slot's days, in time order; slots in the order they first come.

    An event's slot is its kind id * day + its time of day. On numpy arrays
    for long timelines when numpy is installed (a stable sort by slot keeps
    each slot's events in time order), in one pure-Python pass otherwise.
    """
    np = numpy_or_none() if len(us) >= MIN_EVENTS else None
    if np is not None:
        # In place where it can: a few arrays of the events at a time.
        kind = np.array(kind_ids, dtype=np.int64)
        slot = np.array(us, dtype=np.int64)
        slot += np.array(offsets, dtype=np.int64)[kind]
        slot %= _DAY_US
        kind *= _DAY_US
        slot += kind
        del kind
        order = np.argsort(slot, kind="stable")
        ordered = slot[order]
        del slot
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        slots = ordered[starts].tolist()
        del ordered
        days = np.array(days_of, dtype=np.int64)[order]
        bounds = [*starts.tolist(), len(order)]
        # By the first event of each slot: the order the pure pass meets them.
        return {
            slots[j]: days[bounds[j] : bounds[j + 1]].tolist()
            for j in np.argsort(order[starts], kind="stable").tolist()
        }
    slot_of = map(
        operator.add,
        map(operator.mul, kind_ids, repeat(_DAY_US)),
        map(
            operator.mod,
            map(operator.add, us, map(offsets.__getitem__, kind_ids)),
            repeat(_DAY_US),
        ),
    )
    days_by_slot: dict[int, list[int]] = {}
    for slot, day in zip(slot_of, days_of, strict=True):
        found = days_by_slot.get(slot)
        if found is None:
            days_by_slot[slot] = [day]
        else:
            found.append(day)
    return days_by_slot


def _day_counts(lists: list[list[int]]) -> tuple[list[int], list[int] | None]:
    """Return the distinct days of *lists* in order, and how often each comes.

    The counts are ``None`` when each day comes once (a plan's slot, day
    after day): no count per day is held for it.
    """
    days = lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))
    if all(map(operator.lt, days, islice(days, 1, None))):
        return days, None
    counted = Counter(days)
    distinct = sorted(counted)
    return distinct, [counted[d] for d in distinct]


def _slot(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return a row key without its amount: time of day, item, as-needed, note."""
    return (key[0], key[1], key[3], key[4])


def _phases(days: list[int], others: list[int]) -> list[list[int]]:
    """Split sorted *days* where one of the sorted *others* falls strictly between two of them."""
    if not others or others[-1] <= days[0] or others[0] >= days[-1]:
        return [days]  # nothing falls between two of them
    phases = [[days[0]]]
    for day in days[1:]:
        previous = phases[-1][-1]
        i = bisect.bisect_right(others, previous)
        if i < len(others) and others[i] < day:
            phases.append([day])
        else:
            phases[-1].append(day)
    return phases


def _order(row: ScheduleRow) -> tuple[Any, ...]:
    return (row.first or date.max, row.time, row.as_needed, row.item, row.last)


def _clock(us_of_day: int) -> time:
    seconds, micro = divmod(us_of_day, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)
