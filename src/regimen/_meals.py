"""Times of day anchored to a person's day: :class:`MealTimes` and their FHIR codes.

A plan carries the person's meal times (:class:`MealTimes`, with defaults);
:meth:`regimen.Schedule.at_meals` names meals and a signed offset. A dose
anchored to a meal takes its time from the plan (meal time plus offset, in
local wall time) and its meal relation from the offset's sign: ``BEFORE``
for a negative offset, ``WITH`` for zero, ``AFTER`` for a positive one.
Waking and bedtime are not meals: doses anchored to them have no relation.

The anchors map onto FHIR R4 ``Timing.repeat.when`` (the EventTiming value
set) plus ``Timing.repeat.offset`` (whole minutes, before or after the
event as the code says): see :data:`FHIR_WHEN` and :func:`fhir_when`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from ._dose import Meal
from ._format import clock, duration, parse_duration
from ._schedule_times import parse_time

__all__ = [
    "DEFAULT_MEAL_TIMES",
    "FHIR_WHEN",
    "MAX_MEAL_OFFSET",
    "MEALS",
    "MealTimes",
    "anchored",
    "fhir_when",
    "meal_names",
    "relation",
    "signed_offset",
]

#: The anchors a schedule may name, in the order of a day.
MEALS: Final = ("wake", "breakfast", "lunch", "dinner", "bedtime")
#: The anchors that are meals (the others give a dose no meal relation).
_EATING: Final = frozenset({"breakfast", "lunch", "dinner"})
#: Meal times a plan uses unless told otherwise (local wall time).
DEFAULT_MEAL_TIMES: Final = {
    "wake": time(7, 0),
    "breakfast": time(7, 30),
    "lunch": time(12, 30),
    "dinner": time(18, 30),
    "bedtime": time(22, 30),
}
#: The largest offset from a meal, either way.
MAX_MEAL_OFFSET: Final = timedelta(hours=12)

#: FHIR R4 EventTiming codes -> (anchors, meal relation). ``AC``/``PC``/``C``
#: name "a meal" (breakfast, lunch and dinner alike). ``HS`` means
#: [offset] before sleep, ``WAKE`` [offset] after waking.
FHIR_WHEN: Final[dict[str, tuple[tuple[str, ...], Meal | None]]] = {
    "WAKE": (("wake",), None),
    "HS": (("bedtime",), None),
    "AC": (("breakfast", "lunch", "dinner"), Meal.BEFORE),
    "ACM": (("breakfast",), Meal.BEFORE),
    "ACD": (("lunch",), Meal.BEFORE),
    "ACV": (("dinner",), Meal.BEFORE),
    "C": (("breakfast", "lunch", "dinner"), Meal.WITH),
    "CM": (("breakfast",), Meal.WITH),
    "CD": (("lunch",), Meal.WITH),
    "CV": (("dinner",), Meal.WITH),
    "PC": (("breakfast", "lunch", "dinner"), Meal.AFTER),
    "PCM": (("breakfast",), Meal.AFTER),
    "PCD": (("lunch",), Meal.AFTER),
    "PCV": (("dinner",), Meal.AFTER),
}

_SIGNED: Final = re.compile(r"\s*([+-]?)\s*(.*)", re.DOTALL)


def meal_names(values: Iterable[str] | str, *, field: str) -> tuple[str, ...]:
    """Return anchor names (any case) in the order of a day, each once; else raise.

    >>> meal_names(["Dinner", "breakfast"], field="Schedule.meals")
    ('breakfast', 'dinner')
    """
    if isinstance(values, str):
        values = [values]
    chosen = set()
    for value in values:
        if not isinstance(value, str):
            msg = f"{field} must be meal names like 'breakfast' (got {value!r})"
            raise TypeError(msg)
        key = value.strip().lower()
        if key not in MEALS:
            msg = f"{field}: {value!r} is not a meal; use {', '.join(MEALS)}"
            raise ValueError(msg)
        chosen.add(key)
    return tuple(m for m in MEALS if m in chosen)


def signed_offset(value: timedelta | str, *, field: str) -> timedelta:
    """Return an offset from a meal: a timedelta or text like ``"-30 min"``, ``"+1 h"``.

    Negative is before the meal. At most :data:`MAX_MEAL_OFFSET` either way.

    >>> signed_offset("-30 min", field="offset")
    datetime.timedelta(days=-1, seconds=84600)
    """
    if isinstance(value, str):
        m = _SIGNED.fullmatch(value)
        assert m is not None
        sign = -1 if m[1] == "-" else 1
        value = sign * parse_duration(m[2], field=field)
    if not isinstance(value, timedelta):
        msg = f"{field} must be a timedelta or text like '-30 min' (got {value!r})"
        raise TypeError(msg)
    if abs(value) > MAX_MEAL_OFFSET:
        msg = f"{field} must be within 12 h before or after the meal (got {value})"
        raise ValueError(msg)
    return value


def relation(meal: str, offset: timedelta) -> Meal | None:
    """Return a dose's meal relation: before, with or after a meal; none for wake/bedtime.

    >>> relation("breakfast", timedelta(minutes=-30)), relation("bedtime", timedelta(0))
    (<Meal.BEFORE: 'before'>, None)
    """
    if meal not in _EATING:
        return None
    if offset < timedelta(0):
        return Meal.BEFORE
    return Meal.AFTER if offset > timedelta(0) else Meal.WITH


def fhir_when(meal: str, offset: timedelta) -> tuple[str, int] | None:
    """Return the FHIR ``when`` code and ``offset`` minutes for an anchor, or ``None``.

    ``None`` when FHIR cannot say it: a time after bedtime, before waking,
    or an offset that is not whole minutes.

    >>> fhir_when("breakfast", timedelta(minutes=-30)), fhir_when("dinner", timedelta(0))
    (('ACM', 30), ('CV', 0))
    """
    minutes, rest = divmod(abs(offset), timedelta(minutes=1))
    if rest:
        return None
    if meal == "bedtime":
        return ("HS", minutes) if offset <= timedelta(0) else None
    if meal == "wake":
        return ("WAKE", minutes) if offset >= timedelta(0) else None
    want = relation(meal, offset)
    for code, (meals, rel) in FHIR_WHEN.items():
        if meals == (meal,) and rel is want:
            return code, minutes
    return None  # pragma: no cover - every meal and relation has a code


def anchored(meal_time: time, offset: timedelta) -> time | None:
    """Return *meal_time* plus *offset* in wall time, or ``None`` if it leaves the day.

    >>> anchored(time(7, 30), timedelta(minutes=-30)), anchored(time(0, 10), timedelta(hours=-1))
    (datetime.time(7, 0), None)
    """
    day = date(2000, 1, 2)
    at = datetime.combine(day, meal_time) + offset
    return at.time() if at.date() == day else None


def _wake(value: time | str) -> time:
    return parse_time_field(value, "MealTimes.wake")


def _breakfast(value: time | str) -> time:
    return parse_time_field(value, "MealTimes.breakfast")


def _lunch(value: time | str) -> time:
    return parse_time_field(value, "MealTimes.lunch")


def _dinner(value: time | str) -> time:
    return parse_time_field(value, "MealTimes.dinner")


def _bedtime(value: time | str) -> time:
    return parse_time_field(value, "MealTimes.bedtime")


@attrs.frozen
class MealTimes:
    """When a person wakes, eats and goes to bed, in local wall time.

    Defaults: wake 07:00, breakfast 07:30, lunch 12:30, dinner 18:30,
    bedtime 22:30. :class:`~regimen.Plan` takes a mapping with any of these
    keys (``meal_times={"breakfast": "06:45"}``); the others keep their
    defaults.

    >>> MealTimes.of({"breakfast": "06:45"}).breakfast
    datetime.time(6, 45)
    """

    wake: time = attrs.field(default=DEFAULT_MEAL_TIMES["wake"], converter=_wake)
    breakfast: time = attrs.field(
        default=DEFAULT_MEAL_TIMES["breakfast"], converter=_breakfast
    )
    lunch: time = attrs.field(default=DEFAULT_MEAL_TIMES["lunch"], converter=_lunch)
    dinner: time = attrs.field(default=DEFAULT_MEAL_TIMES["dinner"], converter=_dinner)
    bedtime: time = attrs.field(
        default=DEFAULT_MEAL_TIMES["bedtime"], converter=_bedtime
    )

    @classmethod
    def of(
        cls,
        value: MealTimes | Mapping[str, time | str] | None,
        *,
        field: str = "Plan.meal_times",
    ) -> MealTimes:
        """Return meal times from a mapping (missing keys keep their defaults), or as given."""
        if value is None:
            return cls()
        if isinstance(value, MealTimes):
            return value
        if not isinstance(value, Mapping):
            msg = f"{field} must be a mapping like {{'breakfast': '07:30'}} (got {value!r})"
            raise TypeError(msg)
        out: dict[str, time] = {}
        for key, when in value.items():
            name = meal_names([key], field=field)[0] if isinstance(key, str) else key
            if not isinstance(name, str):
                msg = f"{field} keys must be meal names (got {key!r})"
                raise TypeError(msg)
            out[name] = parse_time_field(when, f"{field}.{name}")
        return cls(**out)

    def at(self, meal: str) -> time:
        """Return the wall time of an anchor named in :data:`MEALS`."""
        value: time = getattr(self, meal)
        return value

    def changed(self) -> dict[str, str]:
        """Return the times that differ from the defaults, as plan files write them.

        >>> MealTimes(dinner="19:00").changed()
        {'dinner': '19:00'}
        """
        return {
            m: clock(self.at(m)) for m in MEALS if self.at(m) != DEFAULT_MEAL_TIMES[m]
        }


def parse_time_field(value: time | str, field: str) -> time:
    """Read a wall-clock time for *field* (see :func:`regimen._schedule.parse_time`)."""
    return parse_time(value, field=field)


def describe_offset(meal: str, offset: timedelta) -> str:
    """Say an anchor in words: ``30 min before breakfast``, ``with dinner``, ``at bedtime``.

    >>> describe_offset("breakfast", timedelta(minutes=-30)), describe_offset("dinner", timedelta(0))
    ('30 min before breakfast', 'with dinner')
    """
    if not offset:
        return (
            f"with {meal}"
            if meal in _EATING
            else f"at {'waking' if meal == 'wake' else meal}"
        )
    where = "before" if offset < timedelta(0) else "after"
    what = "waking" if meal == "wake" else meal
    return f"{duration(abs(offset))} {where} {what}"
