"""The strategy for every public class, for ``st.from_type`` (see :mod:`regimen._hypothesis_hook`).

Results (reports, summaries, allowances, adherence) are drawn by running
the library on drawn inputs, with profiles whose rules name what the input
holds, so that they are the answers a real caller gets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from ._adherence import Adherence, DoseRecord, adherence
from ._allowance import Allowance, allowance
from ._bundle import Bundle
from ._dose import Dose
from ._dose_classes import DoseClasses
from ._exposure import Exposure, ExposurePoint, exposure
from ._finding import Finding, Severity
from ._ics import to_ics
from ._ics_read import CalendarEvent, CalendarImport, SkippedEvent, from_ics
from ._interaction import Interaction
from ._kinetics import Kinetics
from ._meals import MealTimes
from ._plan import Break, Entry, Plan
from ._product import Product
from ._profile import Profile
from ._quantity import Quantity
from ._report import Report
from ._rules import (
    AvoidTags,
    BreakCadence,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
)
from ._rules_classes import DoseClassLimit
from ._rules_exposure import MaxExposure
from ._schedule import Schedule
from ._stay import Stay
from ._stock import Refill, StockCount
from ._strategies_base import mass, positive, terms_of
from ._substance import Substance
from ._summary import DailyTotals, ScheduleRow, SubstanceSummary, Summary, summarize
from ._supply import ProductSupply, Supply, supply
from ._timeline import DoseEvent, Timeline
from ._timezone import zone
from ._validate import validate
from .strategies import (
    avoid_tags,
    break_cadences,
    breaks,
    bundles,
    dose_class_limits,
    dose_classes,
    doses,
    entries,
    interactions,
    kinetics,
    max_amounts,
    max_consecutive_days,
    max_doses,
    max_exposures,
    meal_times,
    min_intervals,
    plans,
    products,
    profiles,
    quantities,
    refills,
    rotations,
    schedules,
    stays,
    stock_counts,
    substances,
    timelines,
)

__all__ = ["registry"]

_BASE = datetime(2027, 3, 13, tzinfo=zone("UTC"))


def _profile_for(subject: Plan | Timeline) -> st.SearchStrategy[Profile]:
    """Profiles whose rules name a substance of *subject* (or only AvoidTags)."""
    known = terms_of(subject.substances)
    return profiles(terms=st.sampled_from(known) if known else st.nothing())


def _findings() -> st.SearchStrategy[Finding]:
    return st.builds(
        Finding,
        st.sampled_from(["max-amount", "interaction", "my-own-rule"]),
        st.sampled_from(list(Severity)),
        st.just("a fact about the plan"),
    )


def _reports() -> st.SearchStrategy[Report]:
    return timelines().flatmap(lambda t: _profile_for(t).map(lambda p: validate(t, p)))


def _summaries() -> st.SearchStrategy[Summary]:
    return plans(max_days=10).flatmap(
        lambda plan: (st.none() | _profile_for(plan)).map(lambda p: summarize(plan, p))
    )


@st.composite
def _exposures(draw: st.DrawFn) -> Exposure:
    timeline = draw(timelines().filter(len))
    asked = draw(st.sampled_from(timeline.substances))
    term = asked.name.casefold()

    def matching(event: DoseEvent) -> list[Quantity]:
        return [q for s, q in event.contents.items() if term in s._terms]

    unit = next(q.unit for e in timeline for q in matching(e))
    start = timeline[0].at
    hours = draw(st.integers(0, 72))
    held = [e for e in timeline if all(q.unit.converts_to(unit) for q in matching(e))]
    return exposure(
        Timeline(held),
        asked,
        kinetics=draw(kinetics()),
        unit=unit,
        start=start,
        end=start + timedelta(hours=hours),
        step=timedelta(minutes=draw(st.sampled_from([15, 60, 240]))),
    )


@st.composite
def _allowances(draw: st.DrawFn) -> Allowance:
    timeline = draw(timelines())
    profile = draw(_profile_for(timeline))
    held = timeline.substances
    # A name must match a substance at hand; a Substance itself need not.
    asked = draw(st.sampled_from(held)) if held else Substance("kratom")
    when = _BASE + timedelta(minutes=draw(st.integers(0, 20 * 1440)))
    return allowance(timeline, profile, asked, at=when)


@st.composite
def _adherences(draw: st.DrawFn) -> Adherence:
    """Compare a plan with a log drawn from it: some doses taken, early or late, some not."""
    plan = draw(plans(max_days=10, max_entries=2))
    planned = list(plan.timeline())
    log: list[DoseEvent] = []
    for event in planned[:60]:
        if draw(st.integers(0, 3)) == 0:
            continue  # missed
        shift = timedelta(minutes=draw(st.sampled_from([0, 0, -45, 20, 150])))
        log.append(DoseEvent(event.at + shift, event.dose, note=event.note))
    if draw(st.booleans()) and planned:
        extra = planned[0]
        log.append(DoseEvent(extra.at + timedelta(hours=5), extra.dose))
    first = (
        planned[0].at
        if planned
        else datetime(
            plan.start.year,
            plan.start.month,
            plan.start.day,
            tzinfo=zone(plan.timezone),
        )
    )
    at = first + timedelta(hours=draw(st.integers(0, 24 * 10)))
    return adherence(
        plan,
        Timeline(log),
        at=at,
        match_by=draw(st.sampled_from(["product", "substance"])),
    )


@st.composite
def _supplies(draw: st.DrawFn) -> Supply:
    """Supply of a plan with stock for some of its products, at a moment in its first days."""
    plan = draw(plans(max_days=10, max_entries=2))
    made = list(dict.fromkeys(e.dose.product for e in plan.entries))
    stock = {
        p: Quantity(draw(st.integers(0, 200)), p.per.unit)
        for p in made
        if draw(st.booleans())
    }
    start = datetime(
        plan.start.year, plan.start.month, plan.start.day, tzinfo=zone(plan.timezone)
    )
    at = start + timedelta(minutes=draw(st.integers(-1440, 4 * 1440)))
    lead = draw(st.none() | st.integers(0, 14).map(lambda d: timedelta(days=d)))
    return supply(plan, stock=stock, at=at, lead_time=lead)


@st.composite
def _calendar_imports(draw: st.DrawFn) -> CalendarImport:
    """Read back a drawn plan's calendar, mapping events to doses by their X- properties."""
    plan = draw(plans(max_days=10, max_entries=2).filter(lambda p: bool(p.timeline())))
    text = to_ics(plan, stamp=_BASE, recurring=draw(st.booleans()))
    doses = {(e.dose.product.name, str(e.dose.amount)): e.dose for e in plan.entries}

    def dose_of(event: CalendarEvent) -> Dose | None:
        product = event.properties.get("X-REGIMEN-PRODUCT", "")
        return doses.get((product, event.properties.get("X-REGIMEN-AMOUNT", "")))

    return from_ics(text, doses=dose_of)


_WORDS = st.text("abcdefghij @-", min_size=1, max_size=20)


def registry() -> dict[type, st.SearchStrategy[Any]]:
    """Return the strategy for every public class, by class."""
    summaries = _summaries()
    return {
        Quantity: quantities(),
        Substance: substances(),
        Product: products(),
        Dose: doses(),
        Schedule: schedules(),
        MealTimes: meal_times(),
        Entry: entries(),
        Break: breaks(start=date(2027, 1, 1), end=date(2027, 3, 31)),
        Plan: plans(),
        Stay: stays(start=date(2027, 3, 1), end=date(2027, 11, 30)),
        DoseEvent: timelines().filter(len).map(lambda t: t[0]),
        Timeline: timelines(),
        MaxAmount: max_amounts(),
        MaxDoses: max_doses(),
        MaxExposure: max_exposures(),
        Kinetics: kinetics(),
        Exposure: _exposures(),
        ExposurePoint: _exposures().flatmap(lambda e: st.sampled_from(e.points)),
        MinInterval: min_intervals(),
        MaxConsecutiveDays: max_consecutive_days(),
        BreakCadence: break_cadences(),
        Rotation: rotations(),
        AvoidTags: avoid_tags(),
        Interaction: interactions(),
        Profile: profiles(),
        Bundle: bundles(),
        Finding: _findings(),
        Report: _reports(),
        Summary: summaries,
        ScheduleRow: summaries.filter(lambda s: bool(s.rows)).map(lambda s: s.rows[0]),
        SubstanceSummary: summaries.filter(lambda s: bool(s.substances)).map(
            lambda s: s.substances[0]
        ),
        DailyTotals: st.builds(
            lambda q: DailyTotals(min=q, mean=q, max=q), positive(mass())
        ),
        Allowance: _allowances(),
        Adherence: _adherences(),
        DoseClasses: dose_classes(),
        DoseClassLimit: dose_class_limits(),
        Refill: refills(),
        StockCount: stock_counts(),
        Supply: _supplies(),
        ProductSupply: _supplies()
        .filter(lambda s: bool(s.products))
        .flatmap(lambda s: st.sampled_from(list(s.products.values()))),
        CalendarImport: _calendar_imports(),
        CalendarEvent: st.builds(
            CalendarEvent,
            _WORDS,
            _WORDS,
            st.just(""),
            st.datetimes(timezones=st.just(UTC)),
            st.dictionaries(_WORDS, _WORDS, max_size=3),
        ),
        SkippedEvent: st.builds(SkippedEvent, _WORDS, _WORDS, _WORDS),
        DoseRecord: _adherences()
        .filter(lambda a: bool(a.doses))
        .flatmap(lambda a: st.sampled_from(a.doses)),
    }
