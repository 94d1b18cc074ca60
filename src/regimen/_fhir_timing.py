"""What a FHIR ``Timing`` means as a regimen schedule, with every assumption said.

``pattern`` turns the checked ``Repeat`` (or a ``timing.code``) into a
:class:`Pattern`: wall-clock times or meal anchors, an elapsed interval,
weekdays, days between dose days, or a calendar rule. Where FHIR leaves a
choice to "institution specified times" the caller's ``code_times`` (else
the documented defaults) decide, and each such choice is written into the
assumptions, so nothing is assumed silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time, timedelta
from decimal import Decimal
from typing import Final

import attrs

from ._dose import Meal
from ._fhir_codes import (
    DEFAULT_CODE_TIMES,
    DEFAULT_MEAL_TIMES,
    EVENT_MOMENTS,
    FIXED_PERIOD,
)
from ._fhir_read import Repeat
from ._meals import FHIR_WHEN
from ._weekday import Weekday

__all__ = ["CALENDAR", "Pattern", "TimingProblemError", "length", "pattern"]

_CODE_REPEAT: Final[dict[str, tuple[int, Decimal, str]]] = {
    "QD": (1, Decimal(1), "d"),
    "QOD": (1, Decimal(2), "d"),
    "BID": (2, Decimal(1), "d"),
    "TID": (3, Decimal(1), "d"),
    "QID": (4, Decimal(1), "d"),
    "AM": (1, Decimal(1), "d"),
    "PM": (1, Decimal(1), "d"),
    "BED": (1, Decimal(1), "d"),
    "WK": (1, Decimal(1), "wk"),
    "MO": (1, Decimal(1), "mo"),
    "Q1H": (1, Decimal(1), "h"),
    "Q2H": (1, Decimal(2), "h"),
    "Q3H": (1, Decimal(3), "h"),
    "Q4H": (1, Decimal(4), "h"),
    "Q6H": (1, Decimal(6), "h"),
    "Q8H": (1, Decimal(8), "h"),
}
_DAILY_CODE: Final = {1: "QD", 2: "BID", 3: "TID", 4: "QID"}
#: The EventTiming moment FHIR R4's Timing page gives for AM and PM ("AFT or
#: EVE" for PM: regimen takes AFT, the code's own "every afternoon").
_CODE_MOMENT: Final = {"AM": "MORN", "PM": "AFT"}
_SECOND: Final = timedelta(seconds=1)
#: Weekdays regimen assumes for "n times a week" without ``dayOfWeek``.
_WEEK_SPREAD: Final[dict[int, frozenset[Weekday]]] = {
    n: frozenset(Weekday(code) for code in codes.split())
    for n, codes in {
        2: "MO TH",
        3: "MO WE FR",
        4: "MO TU TH FR",
        5: "MO TU WE TH FR",
        6: "MO TU WE TH FR SA",
        7: "MO TU WE TH FR SA SU",
    }.items()
}


class TimingProblemError(Exception):
    """A Timing that cannot be placed in time; the caller adds the path."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


@attrs.frozen(kw_only=True)
class Pattern:
    """A FHIR Timing read as one of regimen's schedule shapes.

    Exactly one of *times*, *meals* or *every* says when in the day;
    *days* (weekdays), *every_days* or *rule* (an RRULE for months and
    years) says which days.
    """

    times: tuple[time, ...] = ()
    meals: tuple[tuple[str, timedelta, Meal | None], ...] = ()
    every: timedelta | None = None
    first: time | None = None
    days: frozenset[Weekday] = frozenset()
    every_days: int = 1
    rule: str | None = None


#: How long regimen takes a calendar month and year to be where a fixed
#: length is needed (a maximum per period); each use is an assumption.
CALENDAR: Final = {"mo": timedelta(days=30), "a": timedelta(days=365)}


def length(value: Decimal, unit: str, where: str = "period") -> timedelta:
    """Return *value* units of time exactly (``mo`` as 30 d, ``a`` as 365 d)."""
    size = FIXED_PERIOD[unit] if unit in FIXED_PERIOD else CALENDAR[unit]
    micro = value * (size // timedelta(microseconds=1))
    if micro != micro.to_integral_value() or micro > 10**17:
        raise TimingProblemError(
            where, f"{value} {unit} is not a usable length of time"
        )
    return timedelta(microseconds=int(micro))


def _clock(name: str, meal_times: Mapping[str, time], said: list[str]) -> time:
    if name in meal_times:
        return meal_times[name]
    value = DEFAULT_MEAL_TIMES[name]
    said.append(
        f"{name} read as {value.isoformat('minutes')} (pass meal_times to change it)"
    )
    return value


def _code_moment(code: str, meal_times: Mapping[str, time], said: list[str]) -> time:
    """Read AM or PM as the moment of day the R4 Timing page maps it to."""
    when = _CODE_MOMENT[code]
    name = EVENT_MOMENTS[when]
    at = meal_times.get(name, DEFAULT_MEAL_TIMES[name])
    source = "meal_times" if name in meal_times else "the default"
    said.append(
        f"timing.code {code} read as when {when} ({name}), {at.isoformat('minutes')} "
        f"from {source} (pass meal_times={{'{name}': ...}} or "
        f"code_times={{'{code}': ...}} to change it)"
    )
    return at


def _code_times(
    code: str, code_times: Mapping[str, tuple[time, ...]], said: list[str], why: str
) -> tuple[time, ...]:
    if code in code_times:
        return code_times[code]
    value = DEFAULT_CODE_TIMES[code]
    clocks = [t.isoformat("minutes") for t in value]
    shown = " and ".join(
        [", ".join(clocks[:-1]), clocks[-1]] if len(clocks) > 1 else clocks
    )
    what = (
        f"{why} read as"
        if why.startswith("timing.code")
        else f"{why} read as {code} at"
    )
    said.append(f"{what} {shown} (pass code_times={{'{code}': ...}} to change it)")
    return value


def _when(
    r: Repeat, meal_times: Mapping[str, time], said: list[str]
) -> tuple[tuple[time, ...], tuple[tuple[str, timedelta, Meal | None], ...]]:
    """Meal anchors (for ``Schedule.at_meals``) and fixed clock times of ``when``.

    FHIR's offset is "before" for the AC codes and HS (before sleep) and
    "after" for every other code.
    """
    times: list[time] = []
    meals: list[tuple[str, timedelta, Meal | None]] = []
    minutes = timedelta(minutes=r.offset or 0)
    for code in r.when:
        if code in FHIR_WHEN:
            anchors, meal = FHIR_WHEN[code]
            before = meal is Meal.BEFORE or code == "HS"
            if meal is Meal.BEFORE and not r.offset:
                said.append(
                    f"{code} without an offset read as at the meal's time, before eating"
                )
            meals += [(name, -minutes if before else minutes, meal) for name in anchors]
            continue
        at = _clock(EVENT_MOMENTS[code], meal_times, said)
        moved = at.hour * 3600 + at.minute * 60 + at.second + minutes // _SECOND
        if not 0 <= moved < 86400:
            raise TimingProblemError("offset", f"{code} plus the offset leaves the day")
        times.append(time(moved // 3600, moved // 60 % 60, moved % 60))
    return tuple(sorted(set(times))), tuple(dict.fromkeys(meals))


def pattern(
    r: Repeat | None,
    code: str | None,
    *,
    meal_times: Mapping[str, time],
    code_times: Mapping[str, tuple[time, ...]],
    first: time | None,
    said: list[str],
) -> Pattern:
    """Read *r* (or, without one, *code*) as a :class:`Pattern`; raise TimingProblemError."""
    if r is not None and r.frequency_max is not None:
        said.append(
            f"frequencyMax {r.frequency_max}: {r.frequency or 1} doses per period are "
            "planned; the others are up to the person"
        )
    if r is not None and r.period_max is not None:
        said.append(
            f"periodMax {r.period_max}: doses are planned every {r.period} {r.period_unit}"
        )
    if r is not None and r.duration is not None:
        said.append(
            f"each administration lasts {r.duration} {r.duration_unit}; "
            "regimen places the dose at its start"
        )
    if r is None or (
        r.frequency is None and r.period is None and not r.when and not r.time_of_day
    ):
        if code is None and r is not None and r.count is not None:
            said.append(f"count {r.count} without a frequency read as once a day")
            return Pattern(
                times=(first,)
                if first is not None
                else _code_times("QD", code_times, said, "the dose time")
            )
        if code is None:
            raise TimingProblemError(
                "timing",
                "no repeat or code says when doses are taken; give timing.repeat",
            )
        frequency, period, unit = _CODE_REPEAT[code]
        origin = f"timing.code {code}"
        r = attrs.evolve(
            r or Repeat(), frequency=frequency, period=period, period_unit=unit
        )
        if code in _CODE_MOMENT and code not in code_times:
            return Pattern(times=(_code_moment(code, meal_times, said),))
        if code in {"AM", "PM", "BED"}:
            times = _code_times(code, code_times, said, origin)
            return Pattern(times=times)
    else:
        origin = None
    if code is not None and origin is None:
        said.append(
            f"timing.code {code} is given with timing.repeat; the repeat is followed"
        )
    frequency = r.frequency or 1
    days = frozenset(r.day_of_week)
    if r.when or r.time_of_day:
        times, meals = _when(r, meal_times, said) if r.when else (r.time_of_day, ())
        unit, period = (
            r.period_unit or "d",
            r.period if r.period is not None else Decimal(1),
        )
        whole = period == period.to_integral_value()
        moments = len(times) + len(meals)
        if unit == "d" and whole:
            _one_per_moment(r.frequency, moments, f"{period} d", said)
            return Pattern(times=times, meals=meals, days=days, every_days=int(period))
        if unit == "wk" and whole and not days:
            days, every = _week_days(r.frequency, moments, int(period), said)
            return Pattern(times=times, meals=meals, days=days, every_days=every)
        if unit == "wk" and whole:
            _one_per_moment(
                r.frequency,
                moments * len(days),
                f"{period} wk on {len(days)} days",
                said,
            )
        if unit == "wk" and whole and period == 1:
            return Pattern(times=times, meals=meals, days=days)
        if unit == "wk" and whole and not meals:
            return Pattern(
                times=times, days=days, rule=f"FREQ=WEEKLY;INTERVAL={int(period)}"
            )
        raise TimingProblemError(
            "period",
            "times of day (timeOfDay or when) go with a period of whole days or weeks",
        )
    unit = r.period_unit or "d"
    period = r.period if r.period is not None else Decimal(1)
    if unit in {"s", "min", "h"} or (unit == "d" and frequency > 1 and period != 1):
        step = length(period, unit) / frequency
        if step < timedelta(minutes=1) or step % timedelta(minutes=1):
            raise TimingProblemError(
                "period",
                f"doses every {step} are not whole minutes apart, at least 1 minute",
            )
        if first is None:
            first = _code_times("QD", code_times, said, "the first dose of the day")[0]
        return Pattern(every=step, first=first, days=days)
    if unit == "d":
        if period != period.to_integral_value():
            raise TimingProblemError(
                "period", f"{period} d is not a whole number of days"
            )
        if frequency <= 4:
            name = (
                _DAILY_CODE[frequency]
                if period == 1
                else "QOD"
                if period == 2
                else "QD"
            )
            times = (
                (first,)
                if first is not None and frequency == 1
                else _code_times(
                    name, code_times, said, origin or f"{frequency} per {period} d"
                )
            )
            return Pattern(times=times, every_days=int(period), days=days)
        step = timedelta(days=1) / frequency
        start = _code_times("QD", code_times, said, "the first dose of the day")[0]
        base = timedelta(hours=start.hour, minutes=start.minute)
        spread = sorted(
            {((base + k * step) % timedelta(days=1)) for k in range(frequency)}
        )
        said.append(f"{frequency} per day read as every {step} of wall-clock time")
        return Pattern(
            times=tuple(time(s.seconds // 3600, s.seconds // 60 % 60) for s in spread)
        )
    times = (
        (first,)
        if first is not None
        else _code_times("QD", code_times, said, "the dose time")
    )
    if unit == "wk":
        if not period == period.to_integral_value():
            raise TimingProblemError(
                "period", f"{period} wk is not a whole number of weeks"
            )
        every = 1
        if not days:
            days, every = _week_days(frequency, 1, int(period), said)
        if every > 1:
            return Pattern(times=times, every_days=every)
        if period == 1:
            return Pattern(times=times, days=days)
        return Pattern(
            times=times, rule=f"FREQ=WEEKLY;INTERVAL={int(period)}", days=days
        )
    if frequency > 1 or period != period.to_integral_value():
        raise TimingProblemError(
            "frequency",
            f"{frequency} per {period} {unit} cannot be placed on days; give timing.event",
        )
    freq = "MONTHLY" if unit == "mo" else "YEARLY"
    return Pattern(times=times, rule=f"FREQ={freq};INTERVAL={int(period)}")


def _one_per_moment(
    frequency: int | None, moments: int, period: str, said: list[str]
) -> None:
    """Say so when ``frequency`` disagrees with the moments ``when``/``timeOfDay`` name."""
    if frequency is not None and frequency != moments:
        said.append(
            f"frequency {frequency} per {period}, but when/timeOfDay name {moments} "
            f"moments: one dose is planned at each of the {moments} (the named "
            "moments are followed, the count is not)"
        )


def _week_days(
    frequency: int | None, per_day: int, weeks: int, said: list[str]
) -> tuple[frozenset[Weekday], int]:
    """Dose days for *frequency* doses every *weeks* weeks without ``dayOfWeek``.

    Return ``(weekdays, every_days)``: one dose day is every ``7 * weeks``
    days from the start day; more (in a one-week period) are spread over
    the week as :data:`_WEEK_SPREAD` says. Each choice is said.
    """
    total = per_day if frequency is None else frequency
    if total % per_day:
        raise TimingProblemError(
            "frequency",
            f"{total} doses at {per_day} moments a day do not make whole dose days; "
            "give dayOfWeek",
        )
    dose_days = total // per_day
    if dose_days == 1:
        said.append(
            f"once per {weeks} wk without dayOfWeek read as every {7 * weeks} days "
            "from the start day (give dayOfWeek to choose the day)"
        )
        return frozenset(), 7 * weeks
    if weeks != 1 or dose_days > 7:
        raise TimingProblemError(
            "frequency",
            f"{total} doses per {weeks} wk need dayOfWeek (or timeOfDay and a period "
            "in days)",
        )
    days = _WEEK_SPREAD[dose_days]
    shown = ", ".join(d.value for d in sorted(days, key=lambda d: d.index))
    said.append(
        f"{dose_days} times a week without dayOfWeek read as {shown} "
        "(give dayOfWeek to choose the days)"
    )
    return days, 1
