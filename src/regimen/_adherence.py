"""The plan against the log: :func:`adherence`, :class:`Adherence`, :class:`DoseStatus`.

Every planned dose up to a moment is matched to at most one logged dose of
the same product (or, with ``match="substance"``, of a product with the same
substances), then given a status: taken on time, early, late, missed, due or
upcoming. Logged doses that match no planned dose are *extra*.
"""

from __future__ import annotations

import bisect
import collections
import itertools
from array import array
from collections.abc import Hashable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import attrs

from ._adherence_rebase import rebased_rows
from ._adherence_records import (
    CODES,
    STATUSES,
    DoseRecord,
    DoseRecords,
    DoseStatus,
    Rows,
    statuses,
)
from ._adherence_render import (
    render_csv,
    render_markdown,
    render_text,
    to_dict,
)
from ._convert import to_optional_date
from ._dose import Dose
from ._limits import MAX_DATE, MAX_MOMENT, check_moment
from ._matching import partners
from ._matching_np import hits
from ._plan import Plan
from ._stay import latest_date
from ._timeline import DoseEvent, Timeline

if TYPE_CHECKING:
    from ._tables import AdherenceDict
    from ._timeline_index import TimelineIndex

__all__ = ["Adherence", "DoseRecord", "DoseStatus", "adherence"]

_US = timedelta(microseconds=1)

#: How far from its planned time a logged dose still counts as that dose.
DEFAULT_TOLERANCE = timedelta(hours=2)
#: How far from its planned time a matched dose still counts as on time.
DEFAULT_ON_TIME = timedelta(minutes=30)


def _as_records(value: Iterable[DoseRecord]) -> DoseRecords:
    return value if isinstance(value, DoseRecords) else DoseRecords(value)


_MISSED, _DUE, _UPCOMING = (
    CODES[DoseStatus.MISSED],
    CODES[DoseStatus.DUE],
    CODES[DoseStatus.UPCOMING],
)


@attrs.frozen(kw_only=True)
class Adherence:
    """What was taken, missed, late or extra, compared with the plan, as of *at*.

    *doses* holds one :class:`DoseRecord` per planned dose, in time order (a
    read-only sequence whose records are built when first read; it compares
    like the tuple of its records); *extra* the logged doses that match no
    planned dose. *tolerance* and *on_time* are the windows used (see
    :func:`adherence`).
    """

    at: datetime
    doses: Sequence[DoseRecord] = attrs.field(converter=_as_records)
    extra: tuple[DoseEvent, ...]
    tolerance: timedelta
    on_time: timedelta
    day_start: time = time(0)

    @property
    def _records(self) -> DoseRecords:
        doses = self.doses
        assert isinstance(doses, DoseRecords)
        return doses

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
        wanted = None if product is None else product.strip().casefold()

        def keep(dose: Dose) -> bool:
            return (term is None or any(s.matches(term) for s in dose.contents)) and (
                wanted is None or dose.product.name.casefold() == wanted
            )

        taken, due = self._records.tally(keep)
        return None if not due else Fraction(taken, due)

    def rates(self) -> dict[str, Fraction | None]:
        """Return the rate per product name, in the order products first appear."""
        return {name: self.rate(product=name) for name in self._records.product_names()}

    @property
    def next_due(self) -> tuple[DoseRecord, ...]:
        """The planned doses still to take (due or upcoming) at the earliest time.

        Several doses at the same moment come together; as-needed doses are
        left out, except the next dose of an as-needed every-h-hours entry
        counted from the last one taken (``rebase=True``). Empty when
        nothing is left.
        """
        rows = self._records.rows
        starts = [i for i in map(rows.status.find, (_DUE, _UPCOMING)) if i >= 0]
        first: int | None = None
        found: list[int] = []
        for i in range(min(starts, default=len(rows.us)), len(rows.us)):
            if first is not None and rows.us[i] != first:
                break
            if rows.status[i] in (_DUE, _UPCOMING) and (
                (rows.rebased and rows.rebased[i]) or not rows.kinds[rows.kind[i]][1]
            ):
                first = rows.us[i]
                found.append(i)
        return tuple(self.doses[i] for i in found)

    def counts(self) -> dict[DoseStatus, int]:
        """Return how many planned doses have each status (every status listed)."""
        out = dict.fromkeys(DoseStatus, 0)
        for code, n in collections.Counter(self._records.rows.status).items():
            out[STATUSES[code]] = n
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
    rebase: bool = False,
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

    *rebase* counts each :meth:`Schedule.every_hours <regimen.Schedule.every_hours>`
    entry's next doses from the last dose of it actually taken (the last
    logged dose at or before *at*, from the entry's first day): its
    unmatched planned doses after that one are replaced by that dose plus
    one, two, ... intervals, marked ``rebased``. For an as-needed entry
    (a dose at most every *h* hours) only the first is kept, the moment
    another dose may be taken: DUE once reached, never missed, and part of
    :attr:`Adherence.next_due`.

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
    planned = planned_timeline._idx
    taken = log._idx
    n = bisect.bisect_right(planned.us, horizon_us)
    m = bisect.bisect_right(taken.us, at_us)
    hit = _match(planned, taken, n=n, m=m, by=match_by, tol=tolerance // _US)
    if rebase:
        rows = rebased_rows(
            plan,
            planned_timeline[:n],
            hit,
            log[:m],
            key=lambda e: _key(e.dose, match_by),
            days=(first_day or plan.start, last_day),
            horizon_us=horizon_us,
        )
    else:
        p_kinds = planned.kinds
        rows = Rows(
            planned=planned_timeline,
            us=planned.us[:n],
            kind=planned.kind[:n],
            kinds=[(planned.table.doses[k.dose], k.as_needed) for k in p_kinds],
            taken=log,
            taken_us=taken.us,
            hit=hit,
            status=b"",
        )
    status = statuses(rows, at_us, tolerance // _US, on_time // _US)
    used = set(hit)  # rebasing never changes the matches
    return Adherence(
        at=at,
        doses=DoseRecords.of_rows(attrs.evolve(rows, status=status)),
        extra=taken.events_at(itertools.filterfalse(used.__contains__, range(m))),
        tolerance=tolerance,
        on_time=on_time,
        day_start=day_start,
    )


def _key(dose: Dose, by: str) -> Hashable:
    if by == "product":
        return dose.product
    return frozenset(dose.contents)


def _match(
    planned: TimelineIndex, taken: TimelineIndex, *, n: int, m: int, by: str, tol: int
) -> array[int]:
    """Return, per planned dose of the first *n*, its logged dose's index or -1.

    Doses are matched within groups of the same product (or the same
    substances): each group's kind ids are worked out once, not per dose.
    """
    groups: dict[Hashable, int] = {}
    p_group = [
        groups.setdefault(_key(planned.table.doses[k.dose], by), len(groups))
        for k in planned.kinds
    ]
    l_group = [
        groups.setdefault(_key(taken.table.doses[k.dose], by), len(groups))
        for k in taken.kinds
    ]
    p_us, l_us = planned.us[:n], taken.us[:m]
    p_kind, l_kind = planned.kind[:n], taken.kind[:m]
    fast = hits(
        (planned.us, planned.kind, p_group),
        (taken.us, taken.kind, l_group),
        n=n,
        m=m,
        groups=len(groups),
        tolerance=tol,
    )
    if fast is not None:
        return fast
    if len(groups) == 1:  # one product: no grouping needed
        return array("q", partners(p_us, l_us, tol))
    hit = array("q", [-1]) * n
    for g in range(len(groups)):
        p_mask = list(
            map({k for k, h in enumerate(p_group) if h == g}.__contains__, p_kind)
        )
        l_mask = list(
            map({k for k, h in enumerate(l_group) if h == g}.__contains__, l_kind)
        )
        ps = list(itertools.compress(range(n), p_mask))
        ls = list(itertools.compress(range(m), l_mask))
        if ps and ls:
            found = partners(
                list(itertools.compress(p_us, p_mask)),
                list(itertools.compress(l_us, l_mask)),
                tol,
            )
            partner = [-1 if j < 0 else ls[j] for j in found]
            collections.deque(map(hit.__setitem__, ps, partner), maxlen=0)
    return hit
