"""The plan against the log: :func:`adherence`, :class:`Adherence`, :class:`DoseStatus`.

Every planned dose up to a moment is matched to at most one logged dose of
the same product (or, with ``match="substance"``, of a product with the same
substances), then given a status: taken on time, early, late, missed, due or
upcoming. Logged doses that match no planned dose are *extra*.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Hashable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import attrs

from ._adherence_render import (
    render_csv,
    render_markdown,
    render_text,
    tally,
    to_dict,
)
from ._convert import to_optional_date
from ._dose import Dose
from ._errors import UnitError
from ._limits import MAX_DATE, MAX_MOMENT, check_moment
from ._matching import match
from ._plan import Plan
from ._quantity import Quantity
from ._stay import latest_date
from ._timeline import DoseEvent, Timeline

if TYPE_CHECKING:
    from ._tables import AdherenceDict

__all__ = ["Adherence", "DoseRecord", "DoseStatus", "adherence"]

_US = timedelta(microseconds=1)

#: How far from its planned time a logged dose still counts as that dose.
DEFAULT_TOLERANCE = timedelta(hours=2)
#: How far from its planned time a matched dose still counts as on time.
DEFAULT_ON_TIME = timedelta(minutes=30)


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


@attrs.frozen(kw_only=True)
class DoseRecord:
    """One planned dose and what became of it.

    *planned* is the planned :class:`~regimen.DoseEvent`, *taken* the logged
    one matched to it (``None`` if none), *delay* how much later it was
    taken (negative when early; elapsed time, measured in UTC), and
    *amount_difference* taken minus planned amount, in the planned unit
    (``None`` when not taken, equal, or not comparable); for a planned dose
    range (``"2-3 g"``) an amount inside it, ends included, is on target
    (``None``), and one outside it differs from the nearest end.
    """

    planned: DoseEvent
    taken: DoseEvent | None
    status: DoseStatus
    delay: timedelta | None
    amount_difference: Quantity | None


def _rate(records: Iterable[DoseRecord]) -> Fraction | None:
    taken, due = tally(records)
    return None if not due else Fraction(taken, due)


@attrs.frozen(kw_only=True)
class Adherence:
    """What was taken, missed, late or extra, compared with the plan, as of *at*.

    *doses* holds one :class:`DoseRecord` per planned dose, in time order;
    *extra* the logged doses that match no planned dose. *tolerance* and
    *on_time* are the windows used (see :func:`adherence`).
    """

    at: datetime
    doses: tuple[DoseRecord, ...]
    extra: tuple[DoseEvent, ...]
    tolerance: timedelta
    on_time: timedelta
    day_start: time = time(0)

    def rate(
        self, term: str | None = None, *, product: str | None = None
    ) -> Fraction | None:
        """Return the share of due planned doses that were taken (exact), or None.

        A dose is due once its tolerance has passed or it was taken; as-needed
        doses never count. *term* keeps doses containing a substance with that
        name, alias or class; *product* keeps one product by name.

        >>> Adherence(at=datetime(2027, 1, 1, tzinfo=UTC), doses=(), extra=(),
        ...           tolerance=DEFAULT_TOLERANCE, on_time=DEFAULT_ON_TIME).rate() is None
        True
        """
        records: Iterable[DoseRecord] = self.doses
        if term is not None:
            records = [r for r in records if r.planned.involves(term)]
        if product is not None:
            wanted = product.strip().casefold()
            records = [
                r for r in records if r.planned.product.name.casefold() == wanted
            ]
        return _rate(records)

    def rates(self) -> dict[str, Fraction | None]:
        """Return the rate per product name, in the order products first appear."""
        names = dict.fromkeys(r.planned.product.name for r in self.doses)
        return {name: self.rate(product=name) for name in names}

    @property
    def next_due(self) -> tuple[DoseRecord, ...]:
        """The planned doses still to take (due or upcoming) at the earliest time.

        Several doses at the same moment come together; as-needed doses are
        left out. Empty when nothing is left.
        """
        waiting = [
            r
            for r in self.doses
            if r.status in (DoseStatus.DUE, DoseStatus.UPCOMING)
            and not r.planned.as_needed
        ]
        if not waiting:
            return ()
        first = min(r.planned.timestamp_us for r in waiting)
        return tuple(r for r in waiting if r.planned.timestamp_us == first)

    def counts(self) -> dict[DoseStatus, int]:
        """Return how many planned doses have each status (every status listed)."""
        out = dict.fromkeys(DoseStatus, 0)
        for r in self.doses:
            out[r.status] += 1
        return out

    def to_dict(self) -> AdherenceDict:
        """Return a JSON-ready dict (see :class:`AdherenceDict`)."""
        return to_dict(self)

    def to_text(self) -> str:
        """Render for a terminal: counts, rates, what is next, and every dose not on time."""
        return render_text(self)

    def to_markdown(self) -> str:
        """Render as Markdown, with the same content as :meth:`to_text`."""
        return render_markdown(self)

    def to_csv(self) -> str:
        """Return CSV, a row per planned dose and per extra dose (the clinician's export).

        Columns: scheduled, actual, status, product, planned amount, taken
        amount, delay in minutes; times in ISO 8601 with their offsets.
        """
        return render_csv(self)


def _key(event: DoseEvent, by: str) -> Hashable:
    if by == "product":
        return event.product
    return frozenset(event.contents)


def _difference(planned: Dose, taken: Quantity) -> Quantity | None:
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


def _cached_difference(
    cache: dict[tuple[object, ...], Quantity | None],
    planned: Dose,
    taken: Quantity,
) -> Quantity | None:
    """Work out each distinct pair of amounts once (a log has few of them)."""
    low, high = planned.low, planned.high
    key = (low.amount, low.unit, high.amount, high.unit, taken.amount, taken.unit)
    if key not in cache:
        cache[key] = _difference(planned, taken)
    return cache[key]


def adherence(
    plan: Plan,
    log: Timeline,
    *,
    at: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
    on_time: timedelta = DEFAULT_ON_TIME,
    match_by: Literal["product", "substance"] = "product",
    start: date | str | None = None,
    upcoming: timedelta = timedelta(hours=24),
    day_start: time = time(0),
) -> Adherence:
    """Compare the *plan* with the *log* as of the aware moment *at*.

    Planned doses from the plan's start (or *start*) until *at* plus
    *upcoming* are matched to logged doses taken at or before *at*: a logged
    dose matches a planned one of the same product (``match_by="substance"``:
    of a product with the same substances, to accept a strain swap) taken
    within *tolerance* of its planned time. The matching has the most
    matched doses, then the least total time between planned and taken.
    Planned doses are the plan's timeline: on a stay's dates they are at
    their wall-clock times in the stay's zone (see :class:`~regimen.Stay`).
    Statuses: TAKEN within *on_time*, else EARLY or LATE; unmatched doses
    are MISSED once *at* is past their tolerance, DUE while *at* is inside
    it, UPCOMING before; as-needed doses are never missed (SKIPPED).

    The default tolerance is 2 h: wide enough for a dose taken a little
    late, narrow enough that doses planned 4 h or more apart never compete
    for one logged dose. The on-time window defaults to 30 min either side.
    Elapsed time is measured in UTC. *day_start* is when a day begins for
    the per-day view of the renderings.

    Raises ``ValueError`` for a naive *at*, a tolerance that is not positive
    or an on-time window wider than the tolerance.

    >>> from regimen import Dose, Entry, Product, Schedule, Substance
    >>> from zoneinfo import ZoneInfo
    >>> pill = Product("vitamin D", contents={Substance("vitamin D"): "1 capsule"}, per="1 capsule")
    >>> plan = Plan("d", timezone="Europe/Berlin", start="2027-01-01", end="2027-01-31",
    ...             entries=[Entry(Dose(pill, "1 capsule"), Schedule.daily("08:00"))])
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> log = Timeline([DoseEvent(datetime(2027, 1, 1, 8, 10, tzinfo=berlin), Dose(pill, "1 capsule")),
    ...                 DoseEvent(datetime(2027, 1, 2, 9, 30, tzinfo=berlin), Dose(pill, "1 capsule"))])
    >>> result = adherence(plan, log, at=datetime(2027, 1, 3, 12, 0, tzinfo=berlin))
    >>> [r.status.label for r in result.doses]
    ['taken', 'late', 'missed', 'upcoming']
    >>> result.rate()
    Fraction(2, 3)
    >>> result.next_due[0].planned.at.isoformat()
    '2027-01-04T08:00:00+01:00'
    """
    if not isinstance(plan, Plan):
        msg = f"adherence() needs a Plan (got {plan!r})"
        raise TypeError(msg)
    if not isinstance(log, Timeline):
        msg = f"adherence() needs the log as a Timeline (got {log!r})"
        raise TypeError(msg)
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        msg = f"adherence() at must be an aware datetime (got {at!r}); add a tzinfo"
        raise ValueError(msg)
    check_moment(at, "adherence() at")
    for name, value in (("tolerance", tolerance), ("upcoming", upcoming)):
        if not isinstance(value, timedelta) or value <= timedelta(0):
            msg = f"adherence() {name} must be a positive timedelta (got {value!r})"
            raise ValueError(msg)
    if not isinstance(on_time, timedelta) or not timedelta(0) <= on_time <= tolerance:
        msg = (
            f"adherence() on_time must be a timedelta from 0 to the tolerance "
            f"{tolerance} (got {on_time!r})"
        )
        raise ValueError(msg)
    if match_by not in ("product", "substance"):
        msg = (
            f"adherence() match_by must be 'product' or 'substance' (got {match_by!r})"
        )
        raise ValueError(msg)
    try:
        horizon = min(at.astimezone(UTC) + upcoming, MAX_MOMENT)
    except OverflowError:  # an upcoming of millennia: as far as dates go
        horizon = MAX_MOMENT
    # The last date a planned dose before the horizon can fall on: the
    # horizon's date in the plan's zone, or in a stay's zone further east.
    last_day = min(latest_date(plan.stays, plan.timezone, horizon), MAX_DATE)
    if plan.end is not None:
        last_day = min(last_day, plan.end)
    first_day = to_optional_date(start, field="adherence() start")
    planned_timeline = (
        plan.timeline(first_day, last_day)
        if first_day is None or first_day <= last_day
        else Timeline()
    )
    at_us = (at - datetime(1970, 1, 1, tzinfo=UTC)) // _US
    horizon_us = (horizon - datetime(1970, 1, 1, tzinfo=UTC)) // _US
    planned = list(
        planned_timeline[: bisect.bisect_right(planned_timeline._idx.us, horizon_us)]
    )
    taken = [e for e in log if e.timestamp_us <= at_us]
    tol_us, on_us = tolerance // _US, on_time // _US
    groups: dict[Hashable, tuple[list[int], list[int]]] = {}
    for i, event in enumerate(planned):
        groups.setdefault(_key(event, match_by), ([], []))[0].append(i)
    for j, event in enumerate(taken):
        groups.setdefault(_key(event, match_by), ([], []))[1].append(j)
    matched: dict[int, int] = {}
    for p_idx, l_idx in groups.values():
        pairs = match(
            [planned[i].timestamp_us for i in p_idx],
            [taken[j].timestamp_us for j in l_idx],
            tol_us,
        )
        for a, b in pairs:
            matched[p_idx[a]] = l_idx[b]
    records = []
    differences: dict[tuple[object, ...], Quantity | None] = {}
    for i, event in enumerate(planned):
        hit = matched.get(i)
        if hit is not None:
            log_event = taken[hit]
            delay_us = log_event.timestamp_us - event.timestamp_us
            if abs(delay_us) <= on_us:
                status = DoseStatus.TAKEN
            else:
                status = DoseStatus.EARLY if delay_us < 0 else DoseStatus.LATE
            records.append(
                DoseRecord(
                    planned=event,
                    taken=log_event,
                    status=status,
                    delay=delay_us * _US,
                    amount_difference=_cached_difference(
                        differences, event.dose, log_event.amount
                    ),
                )
            )
            continue
        if event.timestamp_us - tol_us > at_us:
            status = DoseStatus.UPCOMING
        elif event.as_needed:
            status = DoseStatus.SKIPPED
        elif event.timestamp_us + tol_us < at_us:
            status = DoseStatus.MISSED
        else:
            status = DoseStatus.DUE
        records.append(
            DoseRecord(
                planned=event,
                taken=None,
                status=status,
                delay=None,
                amount_difference=None,
            )
        )
    used = set(matched.values())
    return Adherence(
        at=at,
        doses=tuple(records),
        extra=tuple(e for j, e in enumerate(taken) if j not in used),
        tolerance=tolerance,
        on_time=on_time,
        day_start=day_start,
    )
