"""Hypothesis strategies for every public regimen type (extra ``regimen[hypothesis]``).

Use them to property-test code that works with plans::

    from hypothesis import given
    from regimen import strategies as rst

    @given(rst.plans(max_days=14))
    def test_my_app_handles_any_plan(plan): ...

Every strategy builds only valid objects, covers the hard corners (time
zones with DST and odd offsets, dates on transition days, as-needed doses,
products with several substances, doses measured through a product's
equivalents, breaks) and shrinks toward the simplest plan: one entry, one
day, UTC. Arguments are keyword-only; bounds are ``min_*``/``max_*``; where a
strategy takes another strategy it is named for what it draws. Bad arguments
raise :class:`hypothesis.errors.InvalidArgument` when a value is drawn.

Names must match something: a rule's or a break's substance term that
matches no substance at hand is an ``unknown-term`` error. :func:`plans`
draws its breaks' terms from the plan's own substances and :func:`bundles`
its profile's rule terms from the substances and medications of the bundle;
:func:`profiles` and the rule strategies take ``terms=`` for the same
purpose in a test of your own.

Importing this module imports Hypothesis; ``import regimen`` never does.
The package registers these strategies with Hypothesis (entry point in the
``hypothesis`` group, :mod:`regimen._hypothesis_hook`), so
``st.from_type(Plan)`` works once both are installed.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from ._bundle import Bundle
from ._dose import Dose
from ._plan import Entry, Plan
from ._product import Product
from ._schedule import Schedule
from ._stay import Stay
from ._strategies_base import (
    DST_ZONES,
    check,
    check_strategy,
    doses,
    kinetics,
    meal_times,
    products,
    quantities,
    schedules,
    substances,
    terms_of,
)
from ._strategies_breaks import TRAVEL_ZONES, breaks, stays
from ._strategies_classes import dose_class_limits, dose_classes
from ._strategies_rules import (
    avoid_tags,
    break_cadences,
    interactions,
    max_amounts,
    max_consecutive_days,
    max_doses,
    max_exposures,
    min_intervals,
    profiles,
    rotations,
    rules,
)
from ._strategies_supply import refills, stock_counts
from ._substance import Substance
from ._timeline import DoseEvent, Timeline
from ._timezone import zone

__all__ = [
    "DST_ZONES",
    "TRAVEL_ZONES",
    "avoid_tags",
    "break_cadences",
    "breaks",
    "bundles",
    "dose_class_limits",
    "dose_classes",
    "doses",
    "entries",
    "interactions",
    "kinetics",
    "max_amounts",
    "max_consecutive_days",
    "max_doses",
    "max_exposures",
    "meal_times",
    "min_intervals",
    "plans",
    "products",
    "profiles",
    "quantities",
    "refills",
    "rotations",
    "rules",
    "schedules",
    "stays",
    "stock_counts",
    "substances",
    "timelines",
]

#: Dates around DST changes in those zones, to start plans on.
_EDGE_DATES = (
    date(2027, 3, 13),
    date(2027, 3, 27),
    date(2027, 4, 3),
    date(2027, 10, 2),
    date(2027, 10, 30),
    date(2027, 11, 6),
)


@st.composite
def entries(
    draw: st.DrawFn,
    *,
    doses: st.SearchStrategy[Dose] | None = None,
    schedules: st.SearchStrategy[Schedule] | None = None,
) -> Entry:
    """Entries, as-needed now and then, on home clock now and then (dates are left to the plan)."""
    for value, what in ((doses, "doses"), (schedules, "schedules")):
        if value is not None:
            check_strategy(value, what)
    dose = draw(doses if doses is not None else _default_doses())
    schedule = draw(schedules if schedules is not None else _default_schedules())
    needed = draw(st.integers(0, 3)) == 3
    if draw(st.integers(0, 4)) == 4:
        return Entry(dose, schedule, as_needed=needed, clock="home")
    return Entry(dose, schedule, as_needed=needed)


def _days(min_days: int, max_days: int) -> None:
    check(
        1 <= min_days <= max_days,
        f"need 1 <= min_days ({min_days}) <= max_days ({max_days})",
    )
    check(max_days <= 3660, f"max_days is at most 3660 (got {max_days})")


_STARTS = st.sampled_from([date(2027, 1, 1), *_EDGE_DATES]) | st.dates(
    date(2026, 1, 1), date(2045, 12, 31)
)
_ZONES = st.sampled_from(DST_ZONES)


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    timezones: st.SearchStrategy[str] | None = None,
    entries: st.SearchStrategy[Entry] | None = None,
    min_entries: int = 1,
    max_entries: int = 4,
    min_days: int = 1,
    max_days: int = 30,
    terms: st.SearchStrategy[str] | None = None,
) -> Plan:
    """Plans in DST-affected zones, often near a DST change, with breaks, stays and meal times.

    A break names every substance, or some of *terms* (default: the names,
    aliases and classes of the plan's own substances, so that no break is
    an ``unknown-term``). Now and then the plan has one or two
    :func:`stays` abroad (they never share a date).
    """
    _days(min_days, max_days)
    check(0 <= min_entries <= max_entries, "need 0 <= min_entries <= max_entries")
    for value, what in (
        (timezones, "timezones"),
        (entries, "entries"),
        (terms, "terms"),
    ):
        if value is not None:
            check_strategy(value, what)
    name = draw(timezones if timezones is not None else _ZONES)
    start = draw(_STARTS)
    length = draw(st.integers(min_days, max_days))
    end = start + timedelta(days=length - 1)
    pool = entries if entries is not None else _default_entries()
    items = draw(st.lists(pool, min_size=min_entries, max_size=max_entries))
    items = [
        attrs.evolve(e, start=start + timedelta(days=draw(st.integers(0, length - 1))))
        if draw(st.integers(0, 3)) == 3
        else e
        for e in items
    ]
    if terms is None:
        own = terms_of(s for e in items for s in e.dose.contents)
        terms = st.sampled_from(own) if own else st.nothing()
    pauses = draw(st.lists(breaks(start=start, end=end, terms=terms), max_size=2))
    trips: list[Stay] = []
    if draw(st.integers(0, 3)) == 3:
        # A second stay lies after the first, so that no two share a date.
        split = start + timedelta(days=draw(st.integers(0, length - 1)))
        trips.append(draw(stays(start=start, end=split)))
        if split < end and draw(st.booleans()):
            trips.append(draw(stays(start=split + timedelta(days=1), end=end)))
    return Plan(
        "generated plan",
        timezone=name,
        start=start,
        end=end,
        entries=items,
        breaks=pauses,
        stays=trips,
        meal_times=draw(meal_times()),
    )


@st.composite
def timelines(
    draw: st.DrawFn,
    *,
    plans: st.SearchStrategy[Plan] | None = None,
    max_events: int = 2000,
) -> Timeline:
    """Timelines: expanded plans, or logs of events in several zones at once."""
    check(max_events >= 1, f"max_events must be at least 1 (got {max_events})")
    if plans is not None:
        check_strategy(plans, "plans")
    if draw(st.booleans()):
        plan = draw(plans if plans is not None else _default_plans())
        timeline = plan.timeline()
        return timeline if len(timeline) <= max_events else timeline[:max_events]
    pool = draw(st.lists(doses(), min_size=1, max_size=3))
    event = _log_events(st.sampled_from(pool), days=20, as_needed=st.booleans())
    return Timeline(draw(st.lists(event, max_size=min(max_events, 40))))


def _log_events(
    doses: st.SearchStrategy[Dose], *, days: int, as_needed: st.SearchStrategy[bool]
) -> st.SearchStrategy[DoseEvent]:
    """Draw logged events within *days* of a DST weekend, in any of :data:`DST_ZONES`."""
    base = datetime(2027, 3, 13, tzinfo=zone("UTC"))
    return st.builds(
        lambda minutes, where, dose, needed, note: DoseEvent(
            (base + timedelta(minutes=minutes)).astimezone(zone(where)),
            dose,
            as_needed=needed,
            note=note,
        ),
        st.integers(0, days * 1440),
        st.sampled_from(DST_ZONES),
        doses,
        as_needed,
        st.sampled_from(["", "felt fine"]),
    )


@st.composite
def bundles(draw: st.DrawFn, *, with_log: bool | None = None) -> Bundle:
    """Bundles a plan file could hold: names unique, every reference resolvable.

    Every name matches something: the profile's rules name a term (name,
    alias or class) of a substance that the plan and the log both hold, or
    of a medication; the plan's breaks name its own substances. So
    ``loads(dumps(bundle)) == bundle`` holds for every bundle drawn (TOML
    and JSON), and validating its plan or its log finds no ``unknown-term``.
    *with_log* ``None`` draws a log now and then; ``True`` always, ``False``
    never; refills and stock counts come now and then, unless *with_log* is
    ``False``.
    """
    check(
        with_log is None or isinstance(with_log, bool),
        f"with_log must be None, True or False (got {with_log!r})",
    )
    pool = draw(
        st.lists(
            substances(), min_size=1, max_size=4, unique_by=lambda s: s.name.casefold()
        )
    )
    if draw(st.integers(0, 3)) == 0:  # now and then, sourced dose classes
        tables = draw(st.lists(dose_classes(), min_size=1, max_size=2))
        pool[0] = attrs.evolve(pool[0], dose_classes=tables)
    made = draw(
        st.lists(
            products(substances=st.sampled_from(pool)),
            min_size=1,
            max_size=3,
            unique_by=lambda p: p.name.casefold(),
        )
    )
    plan = draw(
        st.none() | plans(entries=entries(doses=doses(products=st.sampled_from(made))))
    )
    log = (
        draw(_logs(made))
        if with_log or (with_log is None and draw(st.booleans()))
        else None
    )
    # A medication is a substance of the file, or a name no substance has
    # (a name that matches one is read back as that substance).
    taken = {s.name.casefold() for s in pool}
    other = [n for n in ("sertraline", "warfarin") if n not in taken]
    meds: list[Substance | str] = draw(
        st.lists(
            st.sampled_from(pool) | (st.sampled_from(other) if other else st.nothing()),
            max_size=2,
        )
    )
    # Rules name what every subject checked against them holds.
    subjects = [s for s in (plan, log) if s is not None]
    held = [set(terms_of(subject.substances)) for subject in subjects] or [
        set(terms_of(s for p in made for s in p.contents))
    ]
    known = sorted(set.intersection(*held) | set(terms_of(meds)), key=str.casefold)
    profile = draw(
        st.none()
        | profiles(
            medications=st.just(meds),
            terms=st.sampled_from(known) if known else st.nothing(),
        )
    )
    used: dict[Substance, None] = {}
    for product in made:
        for substance in product.contents:
            used.setdefault(substance)
    for med in profile.medications if profile else ():
        if isinstance(med, Substance):
            used.setdefault(med)
    stocked = st.sampled_from(made)
    records = with_log is not False and draw(st.booleans())
    return Bundle(
        plan,
        profile,
        substances=tuple(used),
        products=tuple(made),
        log=log,
        refills=draw(st.lists(refills(products=stocked), max_size=2))
        if records
        else (),
        stock_counts=(
            draw(st.lists(stock_counts(products=stocked), max_size=2))
            if records
            else ()
        ),
    )


def _logs(made: list[Product]) -> st.SearchStrategy[Timeline]:
    event = _log_events(
        doses(products=st.sampled_from(made)), days=10, as_needed=st.just(False)
    )
    return st.lists(event, min_size=1, max_size=10).map(Timeline)


# The defaults, built once: a strategy built per draw is validated per draw.
_default_doses = functools.cache(doses)
_default_entries = functools.cache(entries)
_default_plans = functools.cache(plans)
_default_schedules = functools.cache(schedules)


def _registry() -> dict[type, st.SearchStrategy[Any]]:
    """Return the strategy for every public class (see :mod:`regimen._hypothesis_hook`)."""
    from ._strategies_registry import registry  # noqa: PLC0415 - it imports this module

    return registry()
