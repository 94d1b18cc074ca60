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

Importing this module imports Hypothesis; ``import regimen`` never does.
The package registers these strategies with Hypothesis (entry point in the
``hypothesis`` group, :mod:`regimen._hypothesis_hook`), so
``st.from_type(Plan)`` works once both are installed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._allowance import Allowance, allowance
from ._bundle import Bundle
from ._dose import Dose, Meal
from ._finding import Finding, Severity
from ._interaction import Interaction
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
from ._schedule import Schedule
from ._substance import Substance
from ._summary import DailyTotals, ScheduleRow, SubstanceSummary, Summary, summarize
from ._timeline import DoseEvent, Timeline
from ._timezone import zone
from ._units import Dimension, Unit
from ._validate import validate
from ._weekday import Weekday

__all__ = [
    "DST_ZONES",
    "avoid_tags",
    "break_cadences",
    "breaks",
    "bundles",
    "doses",
    "entries",
    "interactions",
    "max_amounts",
    "max_consecutive_days",
    "max_doses",
    "min_intervals",
    "plans",
    "products",
    "profiles",
    "quantities",
    "rotations",
    "rules",
    "schedules",
    "substances",
    "timelines",
]

T = TypeVar("T")

#: Zones with the awkward cases: US and EU DST, a 30-minute shift (Lord
#: Howe), negative DST (Dublin), a change at midnight (Havana), no DST and a
#: half-hour offset (Kolkata). UTC comes first so plans shrink to it.
DST_ZONES = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Europe/Dublin",
    "America/Havana",
    "Asia/Kolkata",
)

#: Dates around DST changes in those zones, to start plans on.
_EDGE_DATES = (
    date(2027, 3, 13),
    date(2027, 3, 27),
    date(2027, 4, 3),
    date(2027, 10, 2),
    date(2027, 10, 30),
    date(2027, 11, 6),
)

_NAMES = (
    "kratom",
    "kefir",
    "sugar",
    "caffeine",
    "ethanol",
    "magnesium",
    "ashwagandha",
    "sertraline",
)
_CLASSES = (
    "botanical",
    "probiotic",
    "alcohol",
    "stimulant",
    "ssri",
    "opioid",
    "mineral",
)
_TAGS = ("lactose", "added sugar", "vegan", "gluten")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


@st.composite
def quantities(
    draw: st.DrawFn,
    *,
    units: st.SearchStrategy[Unit] | None = None,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = 1000,
    places: int = 3,
) -> Quantity:
    """Quantities in *units* (default: every unit) between the bounds, with *places* decimals."""
    low, high = Decimal(min_value), Decimal(max_value)
    _check(low <= high, f"min_value={low} must not be above max_value={high}")
    _check(0 <= places <= 12, f"places must be from 0 to 12 (got {places})")
    unit = draw(units if units is not None else st.sampled_from(list(Unit)))
    amount = draw(
        st.decimals(
            min_value=low,
            max_value=high,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return Quantity(amount, unit)


def _positive(units: list[Unit], *, max_value: int = 50) -> st.SearchStrategy[Quantity]:
    return quantities(
        units=st.sampled_from(units), min_value=Decimal("0.001"), max_value=max_value
    )


def _mass() -> list[Unit]:
    return [Unit.G, Unit.MG, Unit.MCG, Unit.KG]


@st.composite
def substances(
    draw: st.DrawFn, *, names: st.SearchStrategy[str] | None = None
) -> Substance:
    """Substances with classes, aliases and an onset now and then."""
    name = draw(names if names is not None else st.sampled_from(_NAMES))
    return Substance(
        name,
        classes=draw(st.frozensets(st.sampled_from(_CLASSES), max_size=2)),
        aliases=draw(st.lists(st.sampled_from(["alias one", "alias two"]), max_size=1)),
        onset=draw(st.none() | st.integers(1, 120).map(lambda m: timedelta(minutes=m))),
        source=draw(st.none() | st.just("test data")),
    )


@st.composite
def products(
    draw: st.DrawFn,
    *,
    substances: st.SearchStrategy[Substance] | None = None,
    min_substances: int = 1,
    max_substances: int = 3,
) -> Product:
    """Products of one or more substances, measured per a mass, volume or count.

    Products given per a mass carry a volume equivalent now and then (a
    teaspoon weighs so much), so doses can be measured in teaspoons.
    """
    _check(
        1 <= min_substances <= max_substances,
        "need 1 <= min_substances <= max_substances",
    )
    pool = substances if substances is not None else _default_substances()
    contents = draw(
        st.lists(
            pool,
            min_size=min_substances,
            max_size=max_substances,
            unique_by=lambda s: s.name.casefold(),
        )
    )
    per_unit = draw(
        st.sampled_from([Unit.G, Unit.SERVING, Unit.ML, Unit.CAPSULE, Unit.FL_OZ])
    )
    equivalents: list[tuple[Quantity, Quantity]] = []
    if per_unit.dimension is Dimension.MASS and draw(st.booleans()):
        equivalents.append((Quantity(1, "tsp"), draw(_positive([Unit.G], max_value=5))))
    return Product(
        draw(
            st.sampled_from(
                [
                    "Maeng Da",
                    "Green Malay",
                    "Red Bali",
                    "milk kefir",
                    "water kefir",
                    "capsules",
                ]
            )
        ),
        contents={s: draw(_positive([*_mass(), Unit.ML])) for s in contents},
        per=Quantity(draw(st.sampled_from([1, 1, 2, 5])), per_unit),
        variant=draw(st.none() | st.sampled_from(["white", "green", "red", "milk"])),
        tags=draw(st.frozensets(st.sampled_from(_TAGS), max_size=2)),
        equivalents=equivalents,
        lab_tested=draw(st.none() | st.booleans()),
    )


@st.composite
def doses(
    draw: st.DrawFn, *, products: st.SearchStrategy[Product] | None = None
) -> Dose:
    """Doses measured in the product's own unit or through its equivalents."""
    product = draw(products if products is not None else _default_products())
    units = [u for u in Unit if product.measures(Quantity(1, u))]
    amount = draw(_positive(units, max_value=20))
    return Dose(
        product,
        amount,
        meal=draw(st.none() | st.sampled_from(list(Meal))),
        note=draw(st.sampled_from(["", "with water"])),
    )


_TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 0, 15, 30, 45]))
_RULES_TEXT = (
    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
)


@st.composite
def schedules(draw: st.DrawFn, *, max_times: int = 3) -> Schedule:
    """Schedules of every kind, including RRULEs (one never matches)."""
    _check(max_times >= 1, f"max_times must be at least 1 (got {max_times})")
    times = draw(st.lists(_TIMES, min_size=1, max_size=max_times, unique=True))
    kind = draw(st.sampled_from(["daily", "weekly", "every", "cycle", "rrule"]))
    if kind == "daily":
        schedule = Schedule.daily(*times)
    elif kind == "weekly":
        schedule = Schedule.weekly(
            draw(st.sets(st.sampled_from(list(Weekday)), min_size=1)), *times
        )
    elif kind == "every":
        schedule = Schedule.every(draw(st.integers(1, 5)), *times)
    elif kind == "cycle":
        schedule = Schedule.cycle(
            draw(st.integers(1, 6)), draw(st.integers(0, 3)), *times
        )
    else:
        schedule = Schedule.rrule(draw(st.sampled_from(_RULES_TEXT)), *times)
    if draw(st.integers(0, 4)) == 4:  # rarely, and never when shrunk
        schedule = schedule.shifted(timedelta(minutes=draw(st.sampled_from([45, 90]))))
    return schedule


@st.composite
def entries(
    draw: st.DrawFn,
    *,
    doses: st.SearchStrategy[Dose] | None = None,
    schedules: st.SearchStrategy[Schedule] | None = None,
) -> Entry:
    """Entries, as-needed now and then (dates are left to the plan)."""
    dose = draw(doses if doses is not None else _default_doses())
    schedule = draw(schedules if schedules is not None else _default_schedules())
    return Entry(dose, schedule, as_needed=draw(st.integers(0, 3)) == 3)


def _days(min_days: int, max_days: int) -> None:
    _check(
        1 <= min_days <= max_days,
        f"need 1 <= min_days ({min_days}) <= max_days ({max_days})",
    )
    _check(max_days <= 3660, f"max_days is at most 3660 (got {max_days})")


@st.composite
def breaks(
    draw: st.DrawFn,
    *,
    start: date,
    end: date,
    terms: st.SearchStrategy[str] | None = None,
) -> Break:
    """Draw breaks inside *start*..*end*, naming a substance or class (or everything)."""
    _check(start <= end, "start must not be after end")
    span = (end - start).days
    first = start + timedelta(days=draw(st.integers(0, span)))
    last = first + timedelta(days=draw(st.integers(0, (end - first).days)))
    names = draw(
        st.none()
        | st.lists(
            terms if terms is not None else st.sampled_from(_NAMES + _CLASSES),
            min_size=1,
            max_size=2,
        )
    )
    return Break(
        first,
        last,
        substances=names,
        reason=draw(st.sampled_from(["", "monthly break"])),
    )


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
) -> Plan:
    """Plans in DST-affected zones, often starting near a DST change, with breaks."""
    _days(min_days, max_days)
    _check(0 <= min_entries <= max_entries, "need 0 <= min_entries <= max_entries")
    name = draw(timezones if timezones is not None else st.sampled_from(DST_ZONES))
    start = draw(
        st.sampled_from([date(2027, 1, 1), *_EDGE_DATES])
        | st.dates(date(2026, 1, 1), date(2045, 12, 31))
    )
    length = draw(st.integers(min_days, max_days))
    end = start + timedelta(days=length - 1)
    pool = entries if entries is not None else _default_entries()
    items = draw(st.lists(pool, min_size=min_entries, max_size=max_entries))
    items = [
        Entry(
            e.dose,
            e.schedule,
            start=start + timedelta(days=draw(st.integers(0, length - 1))),
            as_needed=e.as_needed,
        )
        if draw(st.integers(0, 3)) == 3
        else e
        for e in items
    ]
    pauses = draw(st.lists(breaks(start=start, end=end), max_size=2))
    return Plan(
        "generated plan",
        timezone=name,
        start=start,
        end=end,
        entries=items,
        breaks=pauses,
    )


@st.composite
def timelines(
    draw: st.DrawFn,
    *,
    plans: st.SearchStrategy[Plan] | None = None,
    max_events: int = 2000,
) -> Timeline:
    """Timelines: expanded plans, or logs of events in several zones at once."""
    _check(max_events >= 1, f"max_events must be at least 1 (got {max_events})")
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


def _term() -> st.SearchStrategy[str]:
    return st.sampled_from(_NAMES + _CLASSES)


def _options() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "severity": st.sampled_from(list(Severity)),
        "day_start": st.none() | st.sampled_from([time(0), time(4)]),
        "source": st.none() | st.just("the user's own limit"),
    }


def _per() -> st.SearchStrategy[Any]:
    return st.sampled_from(["dose", "day", "week"]) | st.sampled_from(
        [timedelta(hours=24), timedelta(hours=6), timedelta(minutes=90)]
    )


def max_amounts() -> st.SearchStrategy[MaxAmount]:
    """MaxAmount rules over every kind of window."""
    return st.builds(
        MaxAmount, _term(), _positive(_mass(), max_value=20), per=_per(), **_options()
    )


def max_doses() -> st.SearchStrategy[MaxDoses]:
    """MaxDoses rules per day, week or rolling window."""
    return st.builds(
        MaxDoses,
        _term(),
        st.integers(1, 6),
        per=_per().filter(lambda p: p != "dose"),
        **_options(),
    )


def min_intervals() -> st.SearchStrategy[MinInterval]:
    """MinInterval rules."""
    return st.builds(
        MinInterval,
        _term(),
        st.integers(1, 24 * 60).map(lambda m: timedelta(minutes=m)),
        **_options(),
    )


def max_consecutive_days() -> st.SearchStrategy[MaxConsecutiveDays]:
    """MaxConsecutiveDays rules."""
    return st.builds(MaxConsecutiveDays, _term(), st.integers(1, 14), **_options())


@st.composite
def break_cadences(draw: st.DrawFn) -> BreakCadence:
    """BreakCadence rules (every >= days)."""
    days = draw(st.integers(1, 7))
    every = draw(st.integers(days, 40))
    return BreakCadence(
        draw(_term()),
        days=days,
        every=every,
        **{k: draw(v) for k, v in _options().items()},
    )


def rotations() -> st.SearchStrategy[Rotation]:
    """Rotation rules."""
    return st.builds(Rotation, _term(), max_days=st.integers(1, 14), **_options())


def avoid_tags() -> st.SearchStrategy[AvoidTags]:
    """AvoidTags rules."""
    return st.builds(
        AvoidTags, st.frozensets(st.sampled_from(_TAGS), min_size=1), **_options()
    )


def rules() -> st.SearchStrategy[Any]:
    """Any built-in rule."""
    return st.one_of(
        max_amounts(),
        max_doses(),
        min_intervals(),
        max_consecutive_days(),
        break_cadences(),
        rotations(),
        avoid_tags(),
    )


def interactions() -> st.SearchStrategy[Interaction]:
    """Interaction notes between names or classes."""
    return st.builds(
        Interaction,
        _term(),
        _term(),
        severity=st.sampled_from(list(Severity)),
        within=st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(hours=12)]),
        note=st.just("listed as a combination to avoid (test data)"),
        source=st.none() | st.just("test data"),
    )


@st.composite
def profiles(
    draw: st.DrawFn,
    *,
    max_rules: int = 4,
    medications: st.SearchStrategy[list[Substance | str]] | None = None,
) -> Profile:
    """Profiles with rules, interaction notes, medications and a day start."""
    _check(max_rules >= 0, f"max_rules must be 0 or more (got {max_rules})")
    meds = (
        medications
        if medications is not None
        else st.lists(
            st.sampled_from(["sertraline", "warfarin"]) | substances(), max_size=2
        )
    )
    return Profile(
        rules=draw(st.lists(rules(), max_size=max_rules)),
        interactions=draw(st.lists(interactions(), max_size=2)),
        medications=draw(meds),
        avoid_tags=draw(st.frozensets(st.sampled_from(_TAGS), max_size=1)),
        day_start=draw(st.sampled_from([time(0), time(4)])),
    )


@st.composite
def bundles(draw: st.DrawFn, *, with_log: bool | None = None) -> Bundle:
    """Bundles a plan file could hold: names unique, every reference resolvable.

    ``loads(dumps(bundle)) == bundle`` holds for every bundle drawn.
    """
    pool = draw(
        st.lists(
            substances(), min_size=1, max_size=4, unique_by=lambda s: s.name.casefold()
        )
    )
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
    # A medication is a substance of the file, or a name no substance has
    # (a name that matches one is read back as that substance).
    taken = {s.name.casefold() for s in pool}
    other = [n for n in ("sertraline", "warfarin") if n not in taken]
    meds = st.lists(
        st.sampled_from(pool) | (st.sampled_from(other) if other else st.nothing()),
        max_size=2,
    )
    profile = draw(st.none() | profiles(medications=meds))
    log = (
        draw(_logs(made))
        if with_log or (with_log is None and draw(st.booleans()))
        else None
    )
    used: dict[Substance, None] = {}
    for product in made:
        for substance in product.contents:
            used.setdefault(substance)
    for med in profile.medications if profile else ():
        if isinstance(med, Substance):
            used.setdefault(med)
    return Bundle(plan, profile, substances=tuple(used), products=tuple(made), log=log)


def _logs(made: list[Product]) -> st.SearchStrategy[Timeline]:
    event = _log_events(
        doses(products=st.sampled_from(made)), days=10, as_needed=st.just(False)
    )
    return st.lists(event, min_size=1, max_size=10).map(Timeline)


def _findings() -> st.SearchStrategy[Finding]:
    return st.builds(
        Finding,
        st.sampled_from(["max-amount", "interaction", "my-own-rule"]),
        st.sampled_from(list(Severity)),
        st.just("a fact about the plan"),
    )


def _reports() -> st.SearchStrategy[Report]:
    return st.builds(validate, timelines(), profiles())


def _summaries() -> st.SearchStrategy[Summary]:
    return st.builds(summarize, plans(max_days=10), st.none() | profiles())


def _allowances() -> st.SearchStrategy[Allowance]:
    return st.builds(
        lambda t, p, when: allowance(
            t,
            p,
            "kratom",
            at=datetime(2027, 3, 13, tzinfo=zone("UTC")) + timedelta(minutes=when),
        ),
        timelines(),
        profiles(),
        st.integers(0, 20 * 1440),
    )


_default_doses = doses
_default_entries = entries
_default_plans = plans
_default_products = products
_default_schedules = schedules
_default_substances = substances


def _registry() -> dict[type, st.SearchStrategy[Any]]:
    """Return the strategy for every public class (see :mod:`regimen._hypothesis_hook`)."""
    table: dict[type, st.SearchStrategy[Any]] = {
        Quantity: quantities(),
        Substance: substances(),
        Product: products(),
        Dose: doses(),
        Schedule: schedules(),
        Entry: entries(),
        Break: breaks(start=date(2027, 1, 1), end=date(2027, 3, 31)),
        Plan: plans(),
        DoseEvent: timelines().filter(len).map(lambda t: t[0]),
        Timeline: timelines(),
        MaxAmount: max_amounts(),
        MaxDoses: max_doses(),
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
        Summary: _summaries(),
        ScheduleRow: _summaries()
        .filter(lambda s: bool(s.rows))
        .map(lambda s: s.rows[0]),
        SubstanceSummary: _summaries()
        .filter(lambda s: bool(s.substances))
        .map(lambda s: s.substances[0]),
        DailyTotals: st.builds(
            lambda q: DailyTotals(min=q, mean=q, max=q), _positive(_mass())
        ),
        Allowance: _allowances(),
    }
    return table
