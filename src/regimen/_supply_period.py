"""The supply section of a summary: :func:`period_supply`."""

from __future__ import annotations

from datetime import date, datetime, time

from ._plan import Plan
from ._stock import Refill
from ._supply import Stock, Supply, supply
from ._timeline import Timeline
from ._timezone import localize, zone

__all__ = ["period_supply"]


def period_supply(
    subject: Plan | Timeline,
    *,
    log: Timeline | None,
    at: datetime | None,
    stock: Stock | None,
    refills: tuple[Refill, ...],
    first: date | None,
    last: date | None,
) -> Supply | None:
    """Return the supply of a summary's plan as of *at* (default: the start of *first*)."""
    if not isinstance(subject, Plan):
        msg = (
            "summarize() stock is counted against a plan, but the subject is a "
            "Timeline: pass the Plan as the subject and the log as log="
        )
        raise ValueError(msg)
    if first is None or last is None:
        return None
    if at is None:
        at = localize(first, time(0), zone(subject.timezone))
    return supply(
        subject,
        stock=() if stock is None else stock,
        log=log,
        refills=refills,
        at=at,
        until=last,
    )
