"""Hypothesis strategies for breaks and stays (re-exported by :mod:`regimen.strategies`)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from ._plan import Break
from ._stay import Stay
from ._strategies_base import BREAK_TERMS, check, check_strategy
from ._weekday import Weekday

__all__ = ["TRAVEL_ZONES", "breaks", "stays"]


@st.composite
def breaks(
    draw: st.DrawFn,
    *,
    start: date,
    end: date,
    terms: st.SearchStrategy[str] | None = None,
    repeating: bool | None = None,
) -> Break:
    """Draw breaks inside *start*..*end*, naming some of *terms* (or everything).

    *terms* are the substance names, aliases or classes a break may name
    (default: those :func:`substances` draws); ``st.nothing()`` draws only
    breaks from every substance. A break is one run of days or repeats
    (weekly, by a recurrence rule, or as a cycle; some leave their end
    open); *repeating* ``False`` draws only one-off breaks, ``True`` only
    repeating ones, ``None`` both (shrinking toward a one-off break).
    """
    check(
        isinstance(start, date) and isinstance(end, date) and start <= end,
        f"need dates start <= end (got start={start!r}, end={end!r})",
    )
    check(
        repeating is None or isinstance(repeating, bool),
        f"repeating must be True, False or None (got {repeating!r})",
    )
    if terms is not None:
        check_strategy(terms, "terms")
    span = (end - start).days
    first = start + timedelta(days=draw(st.integers(0, span)))
    last = first + timedelta(days=draw(st.integers(0, (end - first).days)))
    pick = terms if terms is not None else BREAK_TERMS
    names = draw(
        st.none()
        if pick.is_empty
        else st.none() | st.lists(pick, min_size=1, max_size=2)
    )
    reason = draw(_REASONS)
    kinds = {None: _KINDS, False: _KINDS[:1], True: _KINDS[1:]}[repeating]
    kind = draw(st.sampled_from(kinds))
    if kind == "once":
        return Break(first, last, substances=names, reason=reason)
    until = draw(st.none() | st.just(last))
    if kind == "weekly":
        days = draw(st.sets(st.sampled_from(list(Weekday)), min_size=1, max_size=7))
        return Break.weekly(
            days, start=first, end=until, substances=names, reason=reason
        )
    if kind == "rrule":
        return Break.rrule(
            draw(st.sampled_from(_BREAK_RULES)),
            start=first,
            end=until,
            substances=names,
            reason=reason,
        )
    return Break.cycle(
        on_days=draw(st.integers(1, 6)),
        off_days=draw(st.integers(1, 40)),
        start=first,
        end=until,
        substances=names,
        reason=reason,
    )


#: Zones to travel to: across the date line, DST in either hemisphere, half hours.
TRAVEL_ZONES = (
    "Asia/Tokyo",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "Pacific/Apia",
    "Europe/London",
    "America/Los_Angeles",
    "Australia/Sydney",
    "America/St_Johns",
)


@st.composite
def stays(
    draw: st.DrawFn,
    *,
    start: date,
    end: date,
    timezones: st.SearchStrategy[str] | None = None,
) -> Stay:
    """Draw a stay inside *start*..*end* in one of *timezones*.

    *timezones* defaults to :data:`TRAVEL_ZONES`: zones across the date
    line, with daylight-saving changes in either hemisphere.
    """
    check(
        isinstance(start, date) and isinstance(end, date) and start <= end,
        f"need dates start <= end (got start={start!r}, end={end!r})",
    )
    if timezones is not None:
        check_strategy(timezones, "timezones")
    span = (end - start).days
    first = start + timedelta(days=draw(st.integers(0, span)))
    last = first + timedelta(days=draw(st.integers(0, (end - first).days)))
    where = draw(timezones if timezones is not None else _TRAVEL)
    return Stay(first, last, where, name=draw(st.sampled_from(["", "trip"])))


_TRAVEL = st.sampled_from(TRAVEL_ZONES)
_KINDS = ("once", "weekly", "rrule", "cycle")
_BREAK_RULES = (
    "FREQ=MONTHLY;BYMONTHDAY=1,2,3",
    "FREQ=WEEKLY;BYDAY=SA,SU",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR,SA,SU",
    "FREQ=MONTHLY;BYDAY=-1FR,-1SA,-1SU",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
)
_REASONS = st.sampled_from(["", "monthly break"])
