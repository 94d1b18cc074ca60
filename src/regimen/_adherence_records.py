"""What became of each planned dose: :class:`DoseStatus`, :class:`DoseRecord`, and the records.

:func:`regimen.adherence` works on columns (instants, matches, status
codes); :class:`DoseRecords` keeps them and builds each
:class:`DoseRecord` (and its events) only when it is first read, so a
ten-year plan is compared with its log without building forty thousand
objects nobody looks at.
"""

from __future__ import annotations

import bisect
import collections
import enum
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Final, overload

import attrs

from ._dose import Dose
from ._errors import UnitError
from ._quantity import Quantity
from ._timeline import DoseEvent

__all__ = [
    "CODES",
    "STATUSES",
    "DoseRecord",
    "DoseRecords",
    "DoseStatus",
    "Rows",
    "event_rows",
    "statuses",
]


class DoseStatus(enum.Enum):
    """What became of a planned dose, as of the moment asked about.

    >>> DoseStatus.LATE.label
    'late'
    """

    TAKEN = "taken"
    """Taken within the on-time window of its planned time."""
    EARLY = "early"
    """Taken before its planned time, outside the on-time window."""
    LATE = "late"
    """Taken after its planned time, outside the on-time window."""
    MISSED = "missed"
    """Not taken, and its tolerance has passed."""
    DUE = "due"
    """Not taken yet, and the moment asked about is within its tolerance."""
    UPCOMING = "upcoming"
    """Planned after the moment asked about (and before its tolerance opens)."""
    SKIPPED = "skipped"
    """An as-needed dose that was not taken: never missed, never counted in rates."""

    @property
    def label(self) -> str:
        """The lower-case name used in dicts and CSV (``"late"``)."""
        return self.value

    @property
    def taken(self) -> bool:
        """True for TAKEN, EARLY and LATE."""
        return self in _TAKEN


_TAKEN = frozenset({DoseStatus.TAKEN, DoseStatus.EARLY, DoseStatus.LATE})
#: The statuses by their one-byte code, and the codes by status.
STATUSES: Final = tuple(DoseStatus)
CODES: Final = {status: code for code, status in enumerate(STATUSES)}
_ON_TIME, _EARLY, _LATE, _MISSED, _DUE, _UPCOMING, _SKIPPED = range(len(STATUSES))
_TAKEN_CODES = frozenset((_ON_TIME, _EARLY, _LATE))


@attrs.frozen(kw_only=True)
class DoseRecord:
    """One planned dose and what became of it.

    *planned* is the planned :class:`~regimen.DoseEvent`, *taken* the logged
    one matched to it (``None`` if none), *delay* how much later it was
    taken (negative when early; elapsed time, measured in UTC), and
    *amount_difference* taken minus planned amount, in the planned unit
    (``None`` when not taken, equal, or not comparable); for a planned dose
    range (``"2-3 g"``) an amount inside it, ends included, is on target
    (``None``), and one outside it differs from the nearest end. *rebased* is
    true for a dose counted from the last dose taken
    (``adherence(..., rebase=True)``).
    """

    planned: DoseEvent
    taken: DoseEvent | None
    status: DoseStatus
    delay: timedelta | None
    amount_difference: Quantity | None
    rebased: bool = False


def difference(planned: Dose, taken: Quantity) -> Quantity | None:
    """Return taken minus the nearest end of the planned amount, in the planned unit.

    None if the taken amount is on target (equal to a fixed dose, inside a
    range, ends included) or not comparable.
    """
    high = planned.high
    try:
        amount = taken.to(high.unit)
        low = planned.low.to(high.unit)
        if amount > high:
            return amount - high
        if amount < low:
            return amount - low
    except UnitError:
        return None
    return None


@attrs.frozen(eq=False)
class Rows:
    """The columns of an adherence: one row per planned dose, in time order.

    *kind* gives each row's index into *kinds*: (planned dose, as-needed)
    pairs, few per plan. *hit* is the index of the matched logged dose in
    *taken* (-1 for none); *status* holds :data:`CODES`; *rebased* is empty
    when no row is rebased.
    """

    planned: Sequence[DoseEvent]
    us: Sequence[int]
    kind: Sequence[int]
    kinds: Sequence[tuple[Dose, bool]]
    taken: Sequence[DoseEvent]
    taken_us: Sequence[int]
    hit: Sequence[int]
    status: bytes
    rebased: bytes = b""


def event_rows(
    planned: Sequence[DoseEvent],
    taken: Sequence[DoseEvent],
    hit: Sequence[int],
    *,
    status: bytes = b"",
    rebased: bytes = b"",
) -> Rows:
    """Return the rows of planned events given one by one, their kinds worked out here."""
    kinds: dict[tuple[Dose, bool], int] = {}
    return Rows(
        planned=tuple(planned),
        us=[e.timestamp_us for e in planned],
        kind=[kinds.setdefault((e.dose, e.as_needed), len(kinds)) for e in planned],
        kinds=list(kinds),
        taken=tuple(taken),
        taken_us=[e.timestamp_us for e in taken],
        hit=list(hit),
        status=status,
        rebased=rebased,
    )


def _rows_of(records: tuple[DoseRecord, ...]) -> Rows:
    taken: list[DoseEvent] = []
    hit: list[int] = []
    for record in records:
        if record.taken is None:
            hit.append(-1)
        else:
            hit.append(len(taken))
            taken.append(record.taken)
    return event_rows(
        [r.planned for r in records],
        taken,
        hit,
        status=bytes(CODES[r.status] for r in records),
        rebased=bytes(r.rebased for r in records),
    )


class DoseRecords(Sequence[DoseRecord]):
    """The records of an :class:`~regimen.Adherence`: one per planned dose, in time order.

    A read-only sequence that compares (also with a tuple), hashes and
    pickles like the tuple of its records; each record is built when first
    read. Slicing gives a tuple.

    >>> DoseRecords([]) == DoseRecords(()) == ()
    True
    """

    __slots__ = ("_built", "_differences", "rows")

    def __init__(self, records: Iterable[DoseRecord] = ()) -> None:
        items = tuple(records)
        for i, item in enumerate(items):
            if not isinstance(item, DoseRecord):
                msg = f"Adherence doses[{i}] must be a DoseRecord (got {item!r})"
                raise TypeError(msg)
        self.rows = _rows_of(items)
        self._built: list[DoseRecord | None] = list(items)
        self._differences: dict[tuple[int, Quantity], Quantity | None] = {}

    @classmethod
    def of_rows(cls, rows: Rows) -> DoseRecords:
        """Wrap columns worked out by :func:`regimen.adherence` (records built on access)."""
        records = object.__new__(cls)
        records.rows = rows
        records._built = [None] * len(rows.us)
        records._differences = {}
        return records

    def __len__(self) -> int:
        return len(self._built)

    @overload
    def __getitem__(self, index: int) -> DoseRecord: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[DoseRecord, ...]: ...

    def __getitem__(self, index: int | slice) -> DoseRecord | tuple[DoseRecord, ...]:
        if isinstance(index, slice):
            return tuple(self._record(i) for i in range(len(self))[index])
        n = len(self._built)
        if not -n <= index < n:
            msg = "DoseRecords index out of range"
            raise IndexError(msg)
        return self._record(index % n)

    def __iter__(self) -> Iterator[DoseRecord]:
        return (self._record(i) for i in range(len(self._built)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple):  # like the tuple it stands for (same hash too)
            return tuple(self) == other
        if not isinstance(other, DoseRecords):
            return NotImplemented
        return self is other or tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"DoseRecords({list(self)!r})"

    def __reduce__(self) -> tuple[Callable[..., DoseRecords], tuple[object, ...]]:
        return (DoseRecords, (tuple(self),))

    def tally(self, keep: Callable[[Dose], bool]) -> tuple[int, int]:
        """Return (taken, due) of the planned doses whose dose *keep* accepts.

        A dose is due once it was taken or missed; as-needed doses never
        count. *keep* is asked once per kind of dose, not per record.
        """
        rows = self.rows
        kept = [not as_needed and keep(dose) for dose, as_needed in rows.kinds]
        taken = due = 0
        for (k, code), n in collections.Counter(
            zip(rows.kind, rows.status, strict=True)
        ).items():
            if kept[k]:
                if code in _TAKEN_CODES:
                    taken += n
                    due += n
                elif code == _MISSED:
                    due += n
        return taken, due

    def product_names(self) -> list[str]:
        """Return the planned products' names, in the order they first appear."""
        rows = self.rows
        return list(
            dict.fromkeys(
                rows.kinds[k][0].product.name for k in dict.fromkeys(rows.kind)
            )
        )

    def _record(self, i: int) -> DoseRecord:
        found = self._built[i]
        if found is not None:
            return found
        rows = self.rows
        planned = rows.planned[i]
        h = rows.hit[i]
        if h < 0:
            record = DoseRecord(
                planned=planned,
                taken=None,
                status=STATUSES[rows.status[i]],
                delay=None,
                amount_difference=None,
                rebased=bool(rows.rebased) and bool(rows.rebased[i]),
            )
        else:
            taken = rows.taken[h]
            key = (rows.kind[i], taken.amount)
            if key not in self._differences:
                self._differences[key] = difference(planned.dose, taken.amount)
            record = DoseRecord(
                planned=planned,
                taken=taken,
                status=STATUSES[rows.status[i]],
                delay=timedelta(microseconds=rows.taken_us[h] - rows.us[i]),
                amount_difference=self._differences[key],
                rebased=bool(rows.rebased) and bool(rows.rebased[i]),
            )
        self._built[i] = record
        return record


def statuses(rows: Rows, at_us: int, tol_us: int, on_us: int) -> bytes:
    """Return each row's status code as of *at_us* (see :func:`adherence`).

    Rows are in time order, so an unmatched dose's status follows from two
    cut points; as-needed and matched rows are then set one by one.
    """
    us, kind, hit, taken_us = rows.us, rows.kind, rows.hit, rows.taken_us
    n = len(hit)
    missed_end = bisect.bisect_left(us, at_us - tol_us)  # u + tol < at
    up_start = bisect.bisect_right(us, at_us + tol_us)  # u - tol > at
    out = (
        bytearray([_MISSED]) * missed_end
        + bytearray([_DUE]) * (up_start - missed_end)
        + bytearray([_UPCOMING]) * (n - up_start)
    )
    needed = {k for k, (_, as_needed) in enumerate(rows.kinds) if as_needed}
    if needed:
        rebased = rows.rebased
        for i in itertools.compress(range(n), map(needed.__contains__, kind)):
            if rebased and rebased[i]:  # when another dose may be taken
                out[i] = _UPCOMING if us[i] > at_us else _DUE
            elif i < up_start:  # never missed
                out[i] = _SKIPPED
    matched = list(itertools.compress(range(n), map((-1).__lt__, hit)))
    delays = map(
        operator.sub,
        map(taken_us.__getitem__, map(hit.__getitem__, matched)),
        map(us.__getitem__, matched),
    )
    codes = [
        _ON_TIME if -on_us <= d <= on_us else _EARLY if d < 0 else _LATE for d in delays
    ]
    collections.deque(map(out.__setitem__, matched, codes), maxlen=0)
    return bytes(out)
