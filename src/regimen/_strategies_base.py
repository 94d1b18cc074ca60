"""The parts :mod:`regimen.strategies` builds plans from: sample names, checks, quantities to schedules.

Private: users import from :mod:`regimen.strategies`, which re-exports
:func:`quantities`, :func:`substances`, :func:`products`, :func:`doses`
and :func:`schedules`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import time, timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._dose import Dose, Meal
from ._kinetics import Kinetics
from ._product import Product
from ._quantity import Quantity
from ._schedule import Schedule
from ._substance import Substance
from ._units import Dimension, Unit
from ._weekday import Weekday

__all__ = [
    "CLASSES",
    "DST_ZONES",
    "NAMES",
    "TAGS",
    "check",
    "check_strategy",
    "doses",
    "kinetics",
    "mass",
    "positive",
    "products",
    "quantities",
    "schedules",
    "substances",
    "terms_of",
]

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

NAMES = (
    "kratom",
    "kefir",
    "sugar",
    "caffeine",
    "ethanol",
    "magnesium",
    "ashwagandha",
    "sertraline",
)
CLASSES = (
    "botanical",
    "probiotic",
    "alcohol",
    "stimulant",
    "ssri",
    "opioid",
    "mineral",
)
ALIASES = ("alias one", "alias two")
TAGS = ("lactose", "added sugar", "vegan", "gluten")
#: What a break names when no terms are given.
BREAK_TERMS = st.sampled_from(NAMES + CLASSES)


def check(condition: bool, message: str) -> None:
    """Raise ``InvalidArgument`` with *message* unless *condition* holds."""
    if not condition:
        raise InvalidArgument(message)


def check_strategy(value: object, name: str) -> None:
    """Raise ``InvalidArgument`` unless *value* (the argument *name*) is a strategy."""
    check(
        isinstance(value, st.SearchStrategy),
        f"{name} must be a Hypothesis strategy, such as st.sampled_from([...]) "
        f"(got {value!r})",
    )


def terms_of(substances: Iterable[Substance | str]) -> list[str]:
    """Return the terms (names, aliases, classes) *substances* answer to, sorted.

    A medication given by name answers to that name. Terms are compared
    case-insensitively; each appears once, spelled as first seen.
    """
    seen: dict[str, str] = {}
    for item in substances:
        words = (
            [item]
            if isinstance(item, str)
            else [item.name, *item.aliases, *sorted(item.classes)]
        )
        for word in words:
            seen.setdefault(word.strip().casefold(), word.strip())
    return sorted(seen.values(), key=str.casefold)


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
    check(low <= high, f"min_value={low} must not be above max_value={high}")
    check(0 <= places <= 12, f"places must be from 0 to 12 (got {places})")
    if units is not None:
        check_strategy(units, "units")
    unit = draw(units if units is not None else _ALL_UNITS)
    return Quantity(draw(_decimals(low, high, places)), unit)


_ALL_UNITS = st.sampled_from(list(Unit))


@functools.cache
def _decimals(low: Decimal, high: Decimal, places: int) -> st.SearchStrategy[Decimal]:
    """Build each decimals strategy once (building one per draw is slow)."""
    return st.decimals(
        min_value=low,
        max_value=high,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


@functools.cache
def positive(
    units: tuple[Unit, ...], *, max_value: int = 50
) -> st.SearchStrategy[Quantity]:
    """Quantities above zero (from 0.001) in one of *units*."""
    return quantities(
        units=st.sampled_from(units), min_value=Decimal("0.001"), max_value=max_value
    )


def mass() -> tuple[Unit, ...]:
    """Return the mass units, grams first (so amounts shrink to grams)."""
    return (Unit.G, Unit.MG, Unit.MCG, Unit.KG)


@st.composite
def substances(
    draw: st.DrawFn, *, names: st.SearchStrategy[str] | None = None
) -> Substance:
    """Substances with classes, aliases, an onset and model parameters now and then."""
    if names is not None:
        check_strategy(names, "names")
    name = draw(names if names is not None else _NAMES)
    return Substance(
        name,
        classes=draw(_CLASS_SETS),
        aliases=draw(_ALIAS_LISTS),
        onset=draw(_ONSETS),
        source=draw(_SOURCES),
        kinetics=draw(st.none() | kinetics()),
    )


def kinetics() -> st.SearchStrategy[Kinetics]:
    """Model parameters: half-lives from a minute to a week, absorption now and then.

    Shrinks toward a one-hour half-life with no absorption and
    bioavailability 1.
    """
    return _KINETICS


_HALF_LIVES = st.integers(60, 7 * 24 * 60).map(lambda m: timedelta(minutes=m))
_KINETICS = st.builds(
    Kinetics,
    half_life=st.just(timedelta(hours=1)) | _HALF_LIVES,
    absorption_half_life=st.none() | _HALF_LIVES.map(lambda d: d / 24),
    bioavailability=st.just(Decimal(1))
    | st.integers(1, 100).map(lambda n: Decimal(n) / 100),
    source=st.just("test data"),
)


_NAMES = st.sampled_from(NAMES)
_CLASS_SETS = st.frozensets(st.sampled_from(CLASSES), max_size=2)
_ALIAS_LISTS = st.lists(st.sampled_from(ALIASES), max_size=1)
_ONSETS = st.none() | st.integers(1, 120).map(lambda m: timedelta(minutes=m))
_SOURCES = st.none() | st.just("test data")


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
    check(
        1 <= min_substances <= max_substances,
        "need 1 <= min_substances <= max_substances",
    )
    if substances is not None:
        check_strategy(substances, "substances")
    pool = substances if substances is not None else _default_substances()
    contents = draw(
        st.lists(
            pool,
            min_size=min_substances,
            max_size=max_substances,
            unique_by=lambda s: s.name.casefold(),
        )
    )
    per_unit = draw(_PER_UNITS)
    equivalents: list[tuple[Quantity, Quantity]] = []
    if per_unit.dimension is Dimension.MASS and draw(st.booleans()):
        equivalents.append((Quantity(1, "tsp"), draw(positive((Unit.G,), max_value=5))))
    return Product(
        draw(_PRODUCT_NAMES),
        contents={s: draw(positive((*mass(), Unit.ML))) for s in contents},
        per=Quantity(draw(_PER_AMOUNTS), per_unit),
        variant=draw(_VARIANTS),
        tags=draw(_TAG_SETS),
        equivalents=equivalents,
        lab_tested=draw(_LAB_TESTED),
    )


_PER_UNITS = st.sampled_from([Unit.G, Unit.SERVING, Unit.ML, Unit.CAPSULE, Unit.FL_OZ])
_PRODUCT_NAMES = st.sampled_from(
    ["Maeng Da", "Green Malay", "Red Bali", "milk kefir", "water kefir", "capsules"]
)
_PER_AMOUNTS = st.sampled_from([1, 1, 2, 5])
_VARIANTS = st.none() | st.sampled_from(["white", "green", "red", "milk"])
_TAG_SETS = st.frozensets(st.sampled_from(TAGS), max_size=2)
_LAB_TESTED = st.none() | st.booleans()


@st.composite
def doses(
    draw: st.DrawFn, *, products: st.SearchStrategy[Product] | None = None
) -> Dose:
    """Doses measured in the product's own unit or through its equivalents.

    About one in four is a range (``"2-3 g"``): its other end is drawn in
    the same unit (a draw of two equal ends gives a fixed dose).
    """
    if products is not None:
        check_strategy(products, "products")
    product = draw(products if products is not None else _default_products())
    units = tuple(u for u in Unit if product.measures(Quantity(1, u)))
    amount = draw(positive(units, max_value=20))
    span: Quantity | tuple[Quantity, Quantity] = amount
    if draw(st.integers(0, 3)) == 3:  # never when shrunk
        other = draw(positive((amount.unit,), max_value=20))
        span = (min(amount, other), max(amount, other))
    return Dose(product, span, meal=draw(_MEALS), note=draw(_DOSE_NOTES))


_MEALS = st.none() | st.sampled_from(list(Meal))
_DOSE_NOTES = st.sampled_from(["", "with water"])


_TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 0, 15, 30, 45]))
_RULES_TEXT = (
    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=DAILY;COUNT=10",
    "FREQ=WEEKLY;BYDAY=TU;UNTIL=20280101T120000Z",
    "DTSTART:20270301\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=20",
    "RRULE:FREQ=DAILY;INTERVAL=2\nEXDATE;VALUE=DATE:20270105\nRDATE;VALUE=DATE:20270106",
)
# Rules that give their own times of day (the schedule is given none).
_TIMED_RULES_TEXT = (
    "FREQ=DAILY;BYHOUR=8,20",
    "DTSTART:20270101T073000\nRRULE:FREQ=DAILY;COUNT=30",
    "FREQ=HOURLY;INTERVAL=8;BYMINUTE=30",
)


@st.composite
def schedules(draw: st.DrawFn, *, max_times: int = 3) -> Schedule:
    """Schedules of every kind, including RRULEs (one rarely matches, some with COUNT, UNTIL, DTSTART or their own times)."""
    check(max_times >= 1, f"max_times must be at least 1 (got {max_times})")
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
    elif draw(st.booleans()):
        schedule = Schedule.rrule(draw(st.sampled_from(_RULES_TEXT)), *times)
    else:
        schedule = Schedule.rrule(draw(st.sampled_from(_TIMED_RULES_TEXT)))
    if draw(st.integers(0, 4)) == 4:  # rarely, and never when shrunk
        schedule = schedule.shifted(timedelta(minutes=draw(st.sampled_from([45, 90]))))
    return schedule


_default_products = functools.cache(products)
_default_substances = functools.cache(substances)
