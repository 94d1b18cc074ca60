"""Building schedules, rules and kinetics from their documents."""

from __future__ import annotations

from datetime import time
from typing import Any

import attrs

from .._kinetics import Kinetics
from .._schedule import Schedule
from .._schedule_fields import KIND_KEYS, _Kind
from ._docs import (
    RULE_OPTIONAL,
    RULE_OPTIONS,
    RULES,
    KineticsDoc,
    RuleDoc,
    ScheduleDoc,
)

__all__ = ["kinetics", "rule", "schedule"]


def schedule(doc: ScheduleDoc) -> Schedule:
    kinds = sorted(k.value for k in _Kind)
    if doc.kind not in kinds:
        msg = f"kind must be one of {', '.join(kinds)} (got {doc.kind!r})"
        raise ValueError(msg)
    uses = KIND_KEYS[doc.kind]
    for key in ("days", "n_days", "on_days", "off_days", "rule", "every"):
        given = getattr(doc, key) not in (None, [])
        if given and key not in uses:
            msg = f"{key} does not apply to kind {doc.kind!r}"
            raise ValueError(msg)
        if not given and key in uses:
            msg = f"kind {doc.kind!r} needs {key}"
            raise ValueError(msg)
    if doc.kind == "hours":
        for key in ("times", "spread", "between", "meals", "meal_offset"):
            if getattr(doc, key) is not None:
                msg = f"{key} does not apply to kind 'hours'"
                raise ValueError(msg)
        assert doc.every is not None
        schedule = Schedule.every_hours(
            doc.every, first="06:00" if doc.first is None else doc.first
        )
        return schedule.shifted(doc.offset) if doc.offset else schedule
    schedule = _day_kind(doc, _times_of(doc))
    if doc.meals is not None:
        schedule = attrs.evolve(
            schedule,
            times=(),
            meals=doc.meals,
            meal_offset="0 min" if doc.meal_offset is None else doc.meal_offset,
        )
    return schedule.shifted(doc.offset) if doc.offset else schedule


def _times_of(doc: ScheduleDoc) -> list[time]:
    """Return a day kind's times: given, spread over a window, or a placeholder for meals."""
    if doc.first is not None:
        msg = f"first applies to kind 'hours' only (got kind {doc.kind!r})"
        raise ValueError(msg)
    given = [k for k in ("times", "spread", "meals") if getattr(doc, k) is not None]
    if doc.kind == "rrule" and not given:
        return []  # the rule says its own times (BYHOUR, DTSTART, HOURLY, ...)
    if len(given) != 1:
        msg = "give one of times, spread or meals" + (
            f" (got {' and '.join(given)})" if given else ""
        )
        raise ValueError(msg)
    if doc.between is not None and doc.spread is None:
        msg = "between applies with spread only"
        raise ValueError(msg)
    if doc.meal_offset is not None and doc.meals is None:
        msg = "meal_offset applies with meals only"
        raise ValueError(msg)
    if doc.spread is not None:
        window = ["08:00", "22:00"] if doc.between is None else doc.between
        return list(Schedule.spread(doc.spread, tuple(window)).times)  # type: ignore[arg-type]
    if doc.meals is not None:
        if not doc.meals:
            msg = "meals needs at least one meal, like ['breakfast']"
            raise ValueError(msg)
        return [time(0)]
    assert doc.times is not None
    return doc.times


def _day_kind(doc: ScheduleDoc, times: list[time]) -> Schedule:
    if doc.kind == "daily":
        schedule = Schedule.daily(*times)
    elif doc.kind == "weekly":
        schedule = Schedule.weekly(doc.days, *times)
    elif doc.kind == "every":
        assert doc.n_days is not None
        schedule = Schedule.every(doc.n_days, *times)
    elif doc.kind == "cycle":
        assert doc.on_days is not None
        assert doc.off_days is not None
        schedule = Schedule.cycle(doc.on_days, doc.off_days, *times)
    else:
        assert doc.rule is not None
        schedule = Schedule.rrule(doc.rule, *times)
    return schedule


def rule(doc: RuleDoc) -> Any:
    if doc.type not in RULES:
        msg = f"type must be one of {', '.join(RULES)} (got {doc.type!r})"
        raise ValueError(msg)
    cls, positional, keywords = RULES[doc.type]
    optional = RULE_OPTIONAL.get(doc.type, ())
    allowed = {*positional, *keywords, *optional, *RULE_OPTIONS}
    for name, _, _ in RuleDoc.fields:
        if name not in allowed and getattr(doc, name) is not None:
            msg = f"{name} does not apply to a {doc.type!r} rule"
            raise ValueError(msg)
    for name in (*positional, *keywords):
        if getattr(doc, name) is None:
            msg = f"a {doc.type!r} rule needs {name}"
            raise ValueError(msg)
    args = [getattr(doc, n) for n in positional]
    kwargs = {n: getattr(doc, n) for n in keywords}
    kwargs |= {n: getattr(doc, n) for n in optional if getattr(doc, n) is not None}
    if doc.kinetics is not None:
        kwargs["kinetics"] = kinetics(doc.kinetics)
    return cls(
        *args,
        **kwargs,
        severity=doc.severity,
        day_start=doc.day_start,
        source=doc.source,
    )


def kinetics(doc: KineticsDoc) -> Kinetics:
    """Build a model's parameters from their table."""
    return Kinetics(
        half_life=doc.half_life,
        absorption_half_life=doc.absorption_half_life,
        bioavailability=doc.bioavailability,
        source=doc.source,
    )
