"""Reading HL7 FHIR R4 (and R5) ``Dosage`` JSON into checked plain records.

This layer only reads and checks: every element regimen understands is
turned into a typed value, every problem is collected with its path
(``dosage[0].timing.repeat.periodUnit: ...``) and the Timing invariants
tim-1 to tim-10 are checked (tim-3 was withdrawn before R4). What the
records *mean* as a plan is decided in ``_fhir_map``.

Numbers are read exactly: a JSON number that arrives as a float is taken
through its shortest repr, like everywhere in regimen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final

import attrs

from ._errors import LoadError
from ._fhir_values import (
    Amount,
    Reader,
    abbreviation,
    amount,
    boolean,
    concept_text,
    decimal,
    duration,
    integer,
    moment,
    positive_int,
    ratio,
    show,
    text,
    time_of_day,
    unit_of_time,
    unsigned_int,
    weekday,
    when,
)
from ._weekday import Weekday

__all__ = ["Dosage", "Repeat", "read_dosages"]

_MAX_DOSAGES: Final = 1000


@attrs.frozen(kw_only=True)
class Repeat:
    """``Timing.repeat`` with every element regimen reads, checked."""

    bounds_duration: tuple[Decimal, str] | None = None
    bounds_start: datetime | date | None = None
    bounds_end: datetime | date | None = None
    count: int | None = None
    count_max: int | None = None
    duration: Decimal | None = None
    duration_max: Decimal | None = None
    duration_unit: str | None = None
    frequency: int | None = None
    frequency_max: int | None = None
    period: Decimal | None = None
    period_max: Decimal | None = None
    period_unit: str | None = None
    day_of_week: tuple[Weekday, ...] = ()
    time_of_day: tuple[time, ...] = ()
    when: tuple[str, ...] = ()
    offset: int | None = None


@attrs.frozen(kw_only=True)
class Dosage:
    """One FHIR ``Dosage``, read and checked; *path* locates it in the input."""

    path: str
    sequence: int | None = None
    text: str | None = None
    events: tuple[datetime | date, ...] = ()
    repeat: Repeat | None = None
    code: str | None = None
    as_needed: bool = False
    as_needed_for: str | None = None
    dose_low: Amount | None = None
    dose_high: Amount | None = None
    max_per_period: tuple[tuple[Amount | int, Decimal, str], ...] = ()
    max_per_administration: Amount | None = None
    max_per_lifetime: Amount | None = None


_REPEAT_KEYS: Final = frozenset(
    {
        "id", "extension", "boundsDuration", "boundsRange", "boundsPeriod",
        "count", "countMax", "duration", "durationMax", "durationUnit",
        "frequency", "frequencyMax", "period", "periodMax", "periodUnit",
        "dayOfWeek", "timeOfDay", "when", "offset",
    }
)  # fmt: skip


def _repeat(value: object, path: str, reader: Reader) -> Repeat | None:
    table = reader.table(value, path)
    if table is None:
        return None
    for key in table:
        if key not in _REPEAT_KEYS and not key.startswith("_"):
            reader.fail(f"{path}.{key}", "not an element of Timing.repeat")
    if "boundsRange" in table:
        reader.fail(
            f"{path}.boundsRange",
            "a range of lengths cannot be placed in time; give boundsDuration or boundsPeriod",
        )
    bounds = None
    if "boundsDuration" in table:
        bounds = duration(table["boundsDuration"], f"{path}.boundsDuration", reader)
    start = end = None
    if "boundsPeriod" in table:
        period = reader.table(table["boundsPeriod"], f"{path}.boundsPeriod")
        if period is not None:
            start = reader.get(period, "start", f"{path}.boundsPeriod", moment)
            end = reader.get(period, "end", f"{path}.boundsPeriod", moment)
    get = reader.get
    repeat = Repeat(
        bounds_duration=bounds,
        bounds_start=start,
        bounds_end=end,
        count=get(table, "count", path, positive_int),
        count_max=get(table, "countMax", path, positive_int),
        duration=get(table, "duration", path, decimal),
        duration_max=get(table, "durationMax", path, decimal),
        duration_unit=get(table, "durationUnit", path, unit_of_time),
        frequency=get(table, "frequency", path, positive_int),
        frequency_max=get(table, "frequencyMax", path, positive_int),
        period=get(table, "period", path, decimal),
        period_max=get(table, "periodMax", path, decimal),
        period_unit=get(table, "periodUnit", path, unit_of_time),
        day_of_week=reader.items(table, "dayOfWeek", path, weekday),
        time_of_day=reader.items(table, "timeOfDay", path, time_of_day),
        when=reader.items(table, "when", path, when),
        offset=get(table, "offset", path, unsigned_int),
    )
    _invariants(table, repeat, path, reader)
    return repeat


def _invariants(
    table: Mapping[str, object], r: Repeat, path: str, reader: Reader
) -> None:
    """Check the Timing.repeat invariants of FHIR R4 (tim-3 no longer exists)."""
    checks = (
        ("tim-1", "duration" in table and "durationUnit" not in table,
         "a duration needs a durationUnit"),
        ("tim-2", "period" in table and "periodUnit" not in table,
         "a period needs a periodUnit"),
        ("tim-4", r.duration is not None and r.duration < 0,
         "duration must not be negative"),
        ("tim-5", r.period is not None and r.period < 0,
         "period must not be negative"),
        ("tim-6", "periodMax" in table and "period" not in table,
         "periodMax needs a period"),
        ("tim-7", "durationMax" in table and "duration" not in table,
         "durationMax needs a duration"),
        ("tim-8", "countMax" in table and "count" not in table,
         "countMax needs a count"),
        ("tim-9", "offset" in table
         and (not r.when or any(w in {"C", "CM", "CD", "CV"} for w in r.when)),
         "an offset needs a when that is not C, CM, CD or CV"),
        ("tim-10", "timeOfDay" in table and "when" in table,
         "timeOfDay and when cannot both be given"),
    )  # fmt: skip
    for rule, broken, message in checks:
        if broken:
            reader.fail(path, f"{message} (FHIR invariant {rule})")
    if r.period == 0:
        reader.fail(f"{path}.period", "must be more than 0 to place doses in time")
    if r.period_max is not None and r.period is not None and r.period_max < r.period:
        reader.fail(f"{path}.periodMax", f"is less than period ({r.period})")
    if (
        r.frequency_max is not None
        and r.frequency is not None
        and r.frequency_max < r.frequency
    ):
        reader.fail(f"{path}.frequencyMax", f"is less than frequency ({r.frequency})")
    if r.count_max is not None and r.count is not None and r.count_max < r.count:
        reader.fail(f"{path}.countMax", f"is less than count ({r.count})")


_DOSAGE_KEYS: Final = frozenset(
    {
        "id", "extension", "modifierExtension", "sequence", "text",
        "additionalInstruction", "patientInstruction", "timing", "asNeeded",
        "asNeededBoolean", "asNeededCodeableConcept", "asNeededFor", "site",
        "route", "method", "doseAndRate", "maxDosePerPeriod",
        "maxDosePerAdministration", "maxDosePerLifetime",
    }
)  # fmt: skip


def _timing(
    value: object, path: str, reader: Reader
) -> tuple[tuple[datetime | date, ...], Repeat | None, str | None]:
    table = reader.table(value, path)
    if table is None:
        return (), None, None
    for key in table:
        if key not in {
            "id",
            "extension",
            "modifierExtension",
            "event",
            "repeat",
            "code",
        }:
            reader.fail(f"{path}.{key}", "not an element of Timing")
    if table.get("modifierExtension"):
        reader.fail(
            f"{path}.modifierExtension",
            "changes the meaning in a way regimen cannot read",
        )
    events = reader.items(table, "event", path, moment)
    repeat = (
        _repeat(table["repeat"], f"{path}.repeat", reader)
        if "repeat" in table
        else None
    )
    code = (
        abbreviation(table["code"], f"{path}.code", reader) if "code" in table else None
    )
    return events, repeat, code


def _dose_and_rate(
    value: object, path: str, reader: Reader
) -> tuple[Amount | None, Amount | None]:
    items = value if isinstance(value, list) else None
    if items is None:
        reader.fail(path, f"expected a list (got {show(value)})")
        return None, None
    if len(items) > 1:
        reader.fail(
            path, "regimen reads one doseAndRate per Dosage; give one Dosage for each"
        )
    low = high = None
    for i, item in enumerate(items[:1]):
        where = f"{path}[{i}]"
        table = reader.table(item, where)
        if table is None:
            continue
        for key in table:
            if key.startswith("rate"):
                reader.fail(
                    f"{where}.{key}",
                    "a rate (an infusion) cannot be read as doses at moments; "
                    "give doseQuantity or doseRange",
                )
        if "doseQuantity" in table:
            low = high = amount(table["doseQuantity"], f"{where}.doseQuantity", reader)
        elif "doseRange" in table:
            rng = reader.table(table["doseRange"], f"{where}.doseRange")
            if rng is not None:
                if "low" not in rng or "high" not in rng:
                    reader.fail(
                        f"{where}.doseRange", "a dose range needs both low and high"
                    )
                else:
                    low = amount(rng["low"], f"{where}.doseRange.low", reader)
                    high = amount(rng["high"], f"{where}.doseRange.high", reader)
    return low, high


def _dosage(value: object, path: str, reader: Reader) -> Dosage | None:
    table = reader.table(value, path)
    if table is None:
        return None
    for key in table:
        if key not in _DOSAGE_KEYS and not key.startswith("_"):
            reader.fail(f"{path}.{key}", "not an element of Dosage")
    if table.get("modifierExtension"):
        reader.fail(
            f"{path}.modifierExtension",
            "changes the meaning in a way regimen cannot read",
        )
    events: tuple[datetime | date, ...] = ()
    repeat = code = None
    if "timing" in table:
        events, repeat, code = _timing(table["timing"], f"{path}.timing", reader)
    as_needed = bool(reader.get(table, "asNeededBoolean", path, boolean))
    as_needed = as_needed or bool(reader.get(table, "asNeeded", path, boolean))  # R5
    reason = reader.get(table, "asNeededCodeableConcept", path, concept_text)
    reasons = reader.items(table, "asNeededFor", path, concept_text)  # R5
    if reason is not None or reasons:
        as_needed = True
        reason = "; ".join([*([reason] if reason else []), *reasons])
    low = high = None
    if "doseAndRate" in table:
        low, high = _dose_and_rate(table["doseAndRate"], f"{path}.doseAndRate", reader)
    per_period = table.get("maxDosePerPeriod")
    ratios = per_period if isinstance(per_period, list) else [per_period]  # R5: a list
    maxima = tuple(
        r
        for i, item in enumerate(ratios if per_period is not None else [])
        if (
            r := ratio(
                item,
                f"{path}.maxDosePerPeriod"
                + (f"[{i}]" if isinstance(per_period, list) else ""),
                reader,
            )
        )
        is not None
    )
    per_admin = per_life = None
    if "maxDosePerAdministration" in table:
        per_admin = amount(
            table["maxDosePerAdministration"],
            f"{path}.maxDosePerAdministration",
            reader,
        )
    if "maxDosePerLifetime" in table:
        per_life = amount(
            table["maxDosePerLifetime"], f"{path}.maxDosePerLifetime", reader
        )
    return Dosage(
        path=path,
        sequence=reader.get(table, "sequence", path, integer),
        text=reader.get(table, "text", path, text),
        events=events,
        repeat=repeat,
        code=code,
        as_needed=as_needed,
        as_needed_for=reason,
        dose_low=low,
        dose_high=high,
        max_per_period=maxima,
        max_per_administration=per_admin,
        max_per_lifetime=per_life,
    )


def read_dosages(value: object, *, path: str = "dosage") -> tuple[Dosage, ...]:
    """Read one Dosage, a list of them, or a MedicationRequest; raise LoadError listing every problem."""
    reader = Reader()
    items: Sequence[object]
    if isinstance(value, Mapping) and value.get("resourceType") == "MedicationRequest":
        path = "dosageInstruction"
        found = value.get("dosageInstruction")
        items = found if isinstance(found, list) else []
        if not items:
            reader.fail(path, "the MedicationRequest has no dosageInstruction to read")
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    if len(items) > _MAX_DOSAGES:
        raise LoadError(
            [f"{path}: {len(items)} dosages; at most {_MAX_DOSAGES} are read"],
            "the FHIR dosage",
        )
    several = isinstance(value, list) or path == "dosageInstruction"
    out = []
    for i, item in enumerate(items):
        dosage = _dosage(item, f"{path}[{i}]" if several else path, reader)
        if dosage is not None:
            out.append(dosage)
    if reader.problems:
        raise LoadError(reader.problems, "the FHIR dosage")
    return tuple(out)
