"""The dates regimen supports, and the check every layer uses for them.

Plans, entries, breaks, timelines and windows must lie within
:data:`MIN_DATE` .. :data:`MAX_DATE` (years 2 to 9998). The margin of a year
at each end of Python's range leaves room for time zone offsets, a
``day_start`` and week or rolling windows, so no computation near the edges
overflows; anything outside is refused with a ``ValueError`` naming the field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

__all__ = [
    "MAX_DATE",
    "MAX_EXPANSION_WORK",
    "MAX_FINDINGS",
    "MAX_MOMENT",
    "MAX_VALIDATION_WORK",
    "MIN_DATE",
    "MIN_MOMENT",
    "check_date",
    "check_moment",
]

#: The first date a plan, entry, break or window may use.
MIN_DATE: Final = date(2, 1, 1)
#: The last date a plan, entry, break or window may use.
MAX_DATE: Final = date(9998, 12, 31)
#: The first moment (UTC) regimen computes with.
MIN_MOMENT: Final = datetime(2, 1, 1, tzinfo=UTC)
#: The last moment (UTC) regimen computes with.
MAX_MOMENT: Final = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)

#: How much scanning one expansion (:meth:`Plan.timeline`) may do besides
#: building its events: recurrence-rule candidate days considered plus breaks
#: applied to entries. A ten-year plan with a dozen RRULE entries needs about
#: 50,000; exhausting the budget takes a fraction of a second, after which
#: expansion raises :class:`~regimen.ExpansionError` naming the entry. The
#: events themselves are bounded by ``max_events`` (counted before any is
#: built); other schedules are expanded in time proportional to their dates.
MAX_EXPANSION_WORK: Final = 250_000

#: Most (rule or interaction note) x (dose event) pairs one validation may
#: weigh: a ten-year plan of six doses a day (22,000 events) checked against
#: ninety rules, or a century of it against nine; beyond that
#: :func:`~regimen.validate` raises :class:`~regimen.ExpansionError` before
#: checking anything, asking for a shorter window or fewer rules.
MAX_VALIDATION_WORK: Final = 2_000_000

#: Most findings one validation may report before it stops with
#: :class:`~regimen.ExpansionError` (a plan breaking a daily limit every day
#: for ten years has 3,650; a century of it with four rules, 36,000).
MAX_FINDINGS: Final = 100_000

_RANGE: Final = f"{MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"


def check_date(value: date, field: str) -> date:
    """Return *value* if it is within the supported range; else raise ValueError.

    >>> check_date(date(2027, 1, 4), "Plan.start")
    datetime.date(2027, 1, 4)
    >>> check_date(date(9999, 12, 31), "Plan.end")
    Traceback (most recent call last):
    ValueError: Plan.end must be between 0002-01-01 and 9998-12-31 (got 9999-12-31)
    """
    if not MIN_DATE <= value <= MAX_DATE:
        msg = f"{field} must be between {_RANGE} (got {value.isoformat()})"
        raise ValueError(msg)
    return value


def check_moment(value: datetime, field: str) -> datetime:
    """Return aware *value* if it is within the supported range; else raise ValueError.

    The range is of instants, from the start of 0002-01-01 to the end of
    9998-12-31 in UTC, so a moment late on 9998-12-31 west of UTC is past it;
    the message says so.

    >>> check_moment(datetime(9999, 12, 31, tzinfo=UTC), "at")
    Traceback (most recent call last):
    ValueError: at must be between 0002-01-01 and 9998-12-31 (got 9999-12-31T00:00:00+00:00)
    >>> from datetime import timedelta, timezone
    >>> check_moment(datetime(9998, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))), "--at")
    Traceback (most recent call last):
    ValueError: --at must be between 0002-01-01 and 9998-12-31 in UTC (got 9998-12-31T23:59:00-05:00, which is 9999-01-01T04:59:00 in UTC)
    """
    if not MIN_MOMENT <= value <= MAX_MOMENT:
        shown = value.isoformat()
        offset = value.utcoffset()
        if offset:  # not UTC: the range is one of UTC instants
            try:
                utc = (value.replace(tzinfo=None) - offset).isoformat()
            except OverflowError:
                utc = "past year 9999" if offset < timedelta(0) else "before year 1"
            else:
                utc = f"{utc} in UTC"
            msg = (
                f"{field} must be between {_RANGE} in UTC (got {shown}, which is {utc})"
            )
        else:
            msg = f"{field} must be between {_RANGE} (got {shown})"
        raise ValueError(msg)
    return value
