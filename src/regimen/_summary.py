"""Summaries other programs consume: :func:`summarize`.

The result classes live in :mod:`regimen._summary_types` and are re-exported
here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from ._adherence import Adherence, adherence
from ._limits import check_moment
from ._plan import Plan
from ._profile import Profile
from ._series import Context
from ._stay import latest_date, local_date, travel
from ._stock import Refill
from ._summary_rows import Period, columns, item_label, rows
from ._summary_totals import substance_summaries
from ._summary_types import DailyTotals, ScheduleRow, SubstanceSummary, Summary
from ._supply import Stock
from ._supply_period import period_supply
from ._timeline import Timeline
from ._validate import checked, window

#: How far past *at* planned doses are shown (upcoming), as adherence() does.
_UPCOMING: Final = timedelta(hours=24)


__all__ = ["DailyTotals", "ScheduleRow", "SubstanceSummary", "Summary", "summarize"]


def _checked_log(
    subject: Plan | Timeline, log: Timeline | None, at: datetime | None
) -> tuple[Timeline, datetime] | None:
    """Check *log* and *at* before any work: both or neither, with a Plan subject."""
    if log is None:
        if at is not None:
            msg = (
                f"summarize() at={at!r} is the moment adherence is worked out as "
                "of, and needs a log to compare with the plan: pass log= too, "
                "or leave at out"
            )
            raise ValueError(msg)
        return None
    if not isinstance(log, Timeline):
        msg = f"summarize() log must be a Timeline of logged doses (got {log!r})"
        raise TypeError(msg)
    if isinstance(subject, Timeline):
        msg = (
            "summarize() log is compared with a plan, but the subject is a "
            "Timeline (a log itself), with nothing planned to compare: pass the "
            "Plan as the subject and the log as log=, or leave log out"
        )
        raise ValueError(msg)
    if at is None:
        msg = (
            "summarize() at is needed with a log: the aware moment to work "
            "adherence out as of, like datetime(2027, 1, 6, 21, 0, "
            "tzinfo=ZoneInfo('America/New_York'))"
        )
        raise ValueError(msg)
    if not isinstance(at, datetime) or at.utcoffset() is None:
        msg = f"summarize() at must be an aware datetime (got {at!r}); add a tzinfo"
        raise ValueError(msg)
    check_moment(at, "summarize() at")
    return log, at


def _adherence(
    plan: Plan, log: Timeline, at: datetime, period: Period, day_start: time
) -> Adherence:
    """Return the adherence of *plan*'s doses on the period's days, as of *at*.

    The plan is cut to the period (as :func:`adherence` reads its ``start``,
    and with the period's last day as its end); extra doses are those logged
    on the period's dates, in the plan's time zone (or the zone in force
    during a stay, see :func:`regimen._stay.zone_at`).
    """
    first, last = period.first, period.last
    if (
        first is None
        or last is None
        or latest_date(plan.stays, plan.timezone, at + _UPCOMING) < first
    ):
        # No day, or none before the horizon: nothing planned, nothing extra.
        empty = attrs.evolve(plan, entries=(), breaks=())
        return adherence(
            empty, Timeline(), at=at, upcoming=_UPCOMING, day_start=day_start
        )
    if plan.end != last:
        plan = attrs.evolve(plan, end=last)
    result = adherence(
        plan, log, at=at, start=first, upcoming=_UPCOMING, day_start=day_start
    )
    extra = tuple(
        e
        for e in result.extra
        if first <= local_date(plan.stays, plan.timezone, e.at) <= last
    )
    return result if extra == result.extra else attrs.evolve(result, extra=extra)


def summarize(
    subject: Plan | Timeline,
    profile: Profile | None = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    log: Timeline | None = None,
    at: datetime | None = None,
    stock: Stock | None = None,
    refills: Iterable[Refill] = (),
) -> Summary:
    """Summarize a plan (expanded between *start* and *end*) or a log.

    The summary has the typical-day rows (time, item, amount, note), daily
    totals per substance on days of use (min / mean / max, planned and with
    every as-needed dose), use days and free days per substance, and — when
    a *profile* is given — the :class:`~regimen.Report` of
    :func:`~regimen.validate`. Days are local calendar days starting at the
    profile's ``day_start``.

    With a *log* (a :class:`~regimen.Timeline` of what was taken) and the
    aware moment *at*, the summary of a plan also carries
    :attr:`Summary.adherence`: :func:`~regimen.adherence` of the plan's
    doses on the summary's days as of *at* (the plan cut to *start* and
    *end*; extra doses are those logged on those dates, in the plan's time
    zone or a stay's), with the profile's ``day_start``. ``at`` is required with a log
    (no default: the result would change with the clock). A log alone has
    nothing planned to compare with: summarizing a Timeline leaves
    ``adherence`` ``None``, and passing *log* with a Timeline raises
    ``ValueError``, as does *at* without *log*.

    >>> from regimen import Dose, Entry, Plan, Product, Schedule, Substance
    >>> kefir = Product("milk kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
    >>> plan = Plan("mornings", timezone="Europe/Berlin", start="2027-01-01", end="2027-01-07",
    ...             entries=[Entry(Dose(kefir, "6 fl oz", meal="with"), Schedule.daily("08:00"))])
    >>> print(summarize(plan).to_text())
    mornings: Europe/Berlin, 2027-01-01 to 2027-01-07 (7 days, 7 doses)
    <BLANKLINE>
    Typical day
      time   item        amount   note
      08:00  milk kefir  6 fl oz  with a meal
    <BLANKLINE>
    Daily totals on days of use
      substance  min      mean     max      max with as-needed  use days  free days
      kefir      6 fl oz  6 fl oz  6 fl oz                      7         0
    <BLANKLINE>

    With what was logged, as of a moment:

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import DoseEvent, Timeline
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> log = Timeline([DoseEvent(datetime(2027, 1, 1, 8, 5, tzinfo=berlin), Dose(kefir, "6 fl oz"))])
    >>> summary = summarize(plan, log=log, at=datetime(2027, 1, 2, 12, 0, tzinfo=berlin))
    >>> summary.adherence.rate()
    Fraction(1, 2)
    >>> text = summary.to_text()
    >>> print(text[text.index("Adherence"):])
    Adherence as of 2027-01-02 12:00 CET
      overall: 1 of 2 due doses taken (50.0%)
      by status: 1 taken on time, 1 missed, 1 upcoming
      next due: 2027-01-03 08:00 CET: 6 fl oz milk kefir (upcoming)
      product     taken  due  rate
      milk kefir  1      2    50.0%
    <BLANKLINE>
    """
    refills = tuple(refills)
    stocked = stock is not None or bool(refills)
    logged = _checked_log(subject, log, at if log is not None or not stocked else None)
    timeline = window(subject, start, end)
    day_start = profile.day_start if profile is not None else time(0)
    first, last = timeline.first_day, timeline.last_day
    period = Period(first, last)
    days_of = Context(timeline, day_start).days  # the day each event counts for
    title = subject.name if isinstance(subject, Plan) else "intake log"
    zone = subject.timezone if isinstance(subject, Plan) else _zone_of(timeline)
    report = None
    if profile is not None:
        report = checked(subject, timeline, profile)
    stays, home_clock = (
        travel(subject, first, last, item_label)
        if isinstance(subject, Plan)
        else ((), ())
    )
    result = None
    if logged is not None and isinstance(subject, Plan):
        result = _adherence(subject, *logged, period, day_start)
    stocked_at = None
    if stocked:
        stocked_at = period_supply(
            subject,
            log=log,
            at=at,
            stock=stock,
            refills=refills,
            first=period.first,
            last=period.last,
        )
    return Summary(
        title=title,
        timezone=zone,
        start=first,
        end=last,
        events=len(timeline),
        rows=rows(timeline, days_of, period),
        substances=substance_summaries(timeline.substances, timeline, days_of, period),
        report=report,
        adherence=result,
        stays=stays,
        home_clock=home_clock,
        supply=stocked_at,
    )


def _zone_of(timeline: Timeline) -> str | None:
    zones = {str(k.zone.tz) for k in columns(timeline)[2]}
    return zones.pop() if len(zones) == 1 else None
