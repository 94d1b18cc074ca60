"""Writing plans as HL7 FHIR R4 (or R5) ``Dosage`` JSON: :func:`to_dosage`.

Each entry becomes one Dosage: its schedule as ``timing.repeat``, its
dates as ``boundsPeriod``, its amount as ``doseQuantity`` or ``doseRange``
(UCUM codes), ``asNeededBoolean`` (R5: ``asNeeded``) for as-needed
entries, and the profile's limits on the entry's substances as
``maxDosePerPeriod`` (R5: a list) and ``maxDosePerAdministration``. What FHIR cannot say (a cycle of on and off
days, a recurrence rule, breaks, stays in other zones, top-up offsets, a
limit per calendar day) is refused with :class:`~regimen.RegimenError`
naming the entry and the reason, never written approximately.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any, Final, Literal

from . import _decimal
from ._errors import RegimenError
from ._fhir_codes import DAY_OF_WEEK, UNIT_TO_UCUM
from ._meals import fhir_when
from ._plan import Entry, Plan
from ._profile import Profile
from ._quantity import Quantity
from ._rules_window import MaxAmount, MaxDoses
from ._timezone import localize, zone

__all__ = ["FhirExportError", "to_dosage"]

_UCUM: Final = "http://unitsofmeasure.org"
_WEEKDAY_CODE: Final = {day: code for code, day in DAY_OF_WEEK.items()}
_UNITS: Final = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


class FhirExportError(RegimenError, ValueError):
    """A plan or profile holds something FHIR Dosage cannot express."""


def _number(value: Decimal) -> int | float:
    """Return *value* as a JSON number: an int when whole, else the shortest float."""
    trimmed = _decimal.trim(value)
    if trimmed == trimmed.to_integral_value():
        return int(trimmed)
    as_float = float(trimmed)
    if Decimal(repr(as_float)) != trimmed:
        msg = f"{trimmed} cannot be written as a JSON number exactly"
        raise FhirExportError(msg)
    return as_float


def _quantity(q: Quantity) -> dict[str, Any]:
    return {
        "value": _number(q.amount),
        "unit": q.unit.value,
        "system": _UCUM,
        "code": UNIT_TO_UCUM[q.unit],
    }


def _length(value: timedelta, *, elapsed: bool = False) -> tuple[int, str]:
    """Return *value* as a whole number of the largest UCUM unit of time that fits.

    *elapsed* keeps to h, min and s: a reader takes ``period`` in days as
    calendar days (the same wall time), in hours as elapsed time.
    """
    seconds, rest = divmod(value, timedelta(seconds=1))
    if rest:
        msg = f"{value} is not a whole number of seconds"
        raise FhirExportError(msg)
    for code, size in _UNITS[1:] if elapsed else _UNITS:
        if seconds % size == 0:
            return seconds // size, code
    raise AssertionError  # pragma: no cover - seconds always divide


def _clock(at: time) -> str:
    return at.isoformat("seconds")


def _repeat(entry: Entry, tz: str, first_day: date) -> dict[str, Any]:
    schedule = entry.schedule
    kind = schedule.kind.value
    where = f"entry {entry.dose.product.name} ({schedule.describe()})"
    if schedule.offset:
        msg = f"{where}: FHIR cannot express a top-up offset after the dose time"
        raise FhirExportError(msg)
    repeat: dict[str, Any] = {}
    if kind == "hours":
        assert schedule.period is not None
        value, unit = _length(schedule.period, elapsed=True)
        first = localize(first_day, schedule.times[0], zone(tz))
        repeat.update(frequency=1, period=value, periodUnit=unit)
        repeat["boundsPeriod"] = {"start": first.isoformat()}
        return repeat
    if kind in {"cycle", "rrule"}:
        msg = (
            f"{where}: FHIR Timing cannot express a "
            + ("cycle of on and off days" if kind == "cycle" else "recurrence rule")
            + "; write the days out as entries or use a daily or weekly schedule"
        )
        raise FhirExportError(msg)
    if schedule.meals:
        codes = [fhir_when(meal, schedule.meal_offset) for meal in schedule.meals]
        if any(c is None for c in codes):
            msg = f"{where}: FHIR cannot say this time relative to a meal or sleep"
            raise FhirExportError(msg)
        repeat["when"] = [c[0] for c in codes if c is not None]
        minutes = {c[1] for c in codes if c is not None}
        if len(minutes) > 1 or (
            minutes - {0} and set(repeat["when"]) & {"C", "CM", "CD", "CV"}
        ):
            msg = f"{where}: FHIR cannot give this offset with these meal codes"
            raise FhirExportError(msg)
        if minutes - {0}:
            repeat["offset"] = minutes.pop()
    else:
        repeat["timeOfDay"] = [_clock(t) for t in schedule.times]
    count = len(repeat.get("when", repeat.get("timeOfDay", ())))
    if kind == "weekly":
        repeat["dayOfWeek"] = [
            _WEEKDAY_CODE[d] for d in sorted(schedule.days, key=lambda d: d.index)
        ]
        repeat.update(frequency=count, period=1, periodUnit="wk")
        repeat["frequency"] = count * len(schedule.days)
    elif kind == "every":
        repeat.update(frequency=count, period=schedule.interval, periodUnit="d")
    else:
        repeat.update(frequency=count, period=1, periodUnit="d")
    return repeat


def _limits(entry: Entry, profile: Profile | None, version: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if profile is None:
        return out
    per_period: list[dict[str, Any]] = []
    substances = list(entry.dose.contents)
    for rule in profile.rules:
        if not isinstance(rule, MaxAmount | MaxDoses):
            continue
        if not any(s.matches(rule.substance) for s in substances):
            continue
        if isinstance(rule, MaxAmount) and rule.per == "dose":
            out["maxDosePerAdministration"] = _quantity(rule.amount)
            continue
        if not isinstance(rule.per, timedelta):
            msg = (
                f"{rule!r}: a limit per calendar {rule.per} cannot be written as FHIR "
                "maxDosePerPeriod, which is a rolling period; give per as a duration"
            )
            raise FhirExportError(msg)
        value, unit = _length(rule.per)
        top = (
            _quantity(rule.amount)
            if isinstance(rule, MaxAmount)
            else {
                "value": rule.count,
                "unit": "doses",
                "system": _UCUM,
                "code": "{dose}",
            }
        )
        per_period.append(
            {
                "numerator": top,
                "denominator": {
                    "value": value,
                    "unit": unit,
                    "system": _UCUM,
                    "code": unit,
                },
            }
        )
    if version == "R5" and per_period:
        out["maxDosePerPeriod"] = per_period
    elif len(per_period) > 1:
        msg = (
            f"entry {entry.dose.product.name}: FHIR R4 Dosage holds one maxDosePerPeriod "
            f"but the profile limits it {len(per_period)} ways; write R5 "
            "(version='R5'), which holds a list"
        )
        raise FhirExportError(msg)
    elif per_period:
        out["maxDosePerPeriod"] = per_period[0]
    return out


def _dosage(
    entry: Entry,
    *,
    timezone: str,
    start: date,
    end: date | None,
    profile: Profile | None,
    version: str,
) -> dict[str, Any]:
    first = entry.start or start
    last = entry.end or end
    repeat = _repeat(entry, timezone, first)
    bounds = repeat.setdefault("boundsPeriod", {})
    bounds.setdefault("start", first.isoformat())
    if last is not None:
        bounds["end"] = last.isoformat()
    dose = entry.dose
    amount: dict[str, Any] = (
        {"doseQuantity": _quantity(dose.high)}
        if dose.low == dose.high
        else {"doseRange": {"low": _quantity(dose.low), "high": _quantity(dose.high)}}
    )
    text = (
        f"{dose.amount_text if hasattr(dose, 'amount_text') else dose.amount} "
        f"{dose.product.name} {entry.schedule.describe()}"
    )
    out: dict[str, Any] = {"text": text, "timing": {"repeat": repeat}}
    if entry.as_needed:
        out["asNeeded" if version == "R5" else "asNeededBoolean"] = True
    out["doseAndRate"] = [amount]
    out.update(_limits(entry, profile, version))
    return out


def to_dosage(
    subject: Plan | Entry,
    *,
    profile: Profile | None = None,
    timezone: str | None = None,
    start: date | None = None,
    version: Literal["R4", "R5"] = "R4",
) -> list[dict[str, Any]]:
    """Write a plan's entries (or one entry) as FHIR ``Dosage`` JSON objects.

    *version* ``"R4"`` (the default) writes ``asNeededBoolean`` and one
    ``maxDosePerPeriod``; ``"R5"`` writes ``asNeeded`` and
    ``maxDosePerPeriod`` as a list (so several limits fit).

    For a lone :class:`~regimen.Entry` give *timezone* and, unless the entry
    has its own start, *start*. The profile's :class:`~regimen.MaxAmount` and
    :class:`~regimen.MaxDoses` limits over a duration (and per dose) go
    with each entry whose product holds the limited substance. Raises
    :class:`FhirExportError` (a :class:`~regimen.RegimenError`) naming what
    FHIR cannot express: cycles, recurrence rules, top-up offsets, breaks,
    stays, limits per calendar day, and (R4) more than one limit per period.

    >>> from regimen import Dose, Entry, Product, Schedule, Substance
    >>> pill = Product("ibuprofen 200 mg", contents={Substance("ibuprofen"): "200 mg"},
    ...                per="1 tablet")
    >>> entry = Entry(Dose(pill, "1 tablet"), Schedule.daily("09:00"), as_needed=True)
    >>> to_dosage(entry, timezone="UTC", start=date(2027, 3, 1), version="R5")[0]["asNeeded"]
    True
    """
    if version not in {"R4", "R5"}:
        msg = f"to_dosage version must be 'R4' or 'R5' (got {version!r})"
        raise FhirExportError(msg)
    if isinstance(subject, Plan):
        if subject.breaks:
            msg = "FHIR Dosage cannot express breaks; remove them or write the days as entries"
            raise FhirExportError(msg)
        if getattr(subject, "stays", ()):
            msg = "FHIR Dosage cannot express stays in other time zones"
            raise FhirExportError(msg)
        return [
            _dosage(
                e,
                timezone=subject.timezone,
                start=subject.start,
                end=subject.end,
                profile=profile,
                version=version,
            )
            for e in subject.entries
        ]
    if timezone is None or (subject.start is None and start is None):
        msg = (
            "to_dosage(entry) needs timezone= and, for an entry without a start, start="
        )
        raise TypeError(msg)
    first = subject.start or start
    assert first is not None
    return [
        _dosage(
            subject,
            timezone=timezone,
            start=first,
            end=subject.end,
            profile=profile,
            version=version,
        )
    ]
