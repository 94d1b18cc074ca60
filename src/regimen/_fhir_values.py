"""Reading FHIR JSON leaf values exactly, each problem with its path.

The small reader used by ``_fhir_read``: FHIR decimals, whole numbers,
units of time, days, EventTiming codes, times and dateTimes, each checked
and turned into regimen's types; a problem is recorded with the path of the
value and reading goes on, so one :class:`~regimen.LoadError` lists them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Final, TypeVar

import attrs

from ._fhir_codes import (
    DAY_OF_WEEK,
    EVENT_TIMING,
    PERIOD_TYPOS,
    PERIOD_UNITS,
    TIMING_ABBREVIATIONS,
    UCUM_UNITS,
)
from ._units import Unit
from ._weekday import Weekday

__all__ = [
    "Amount",
    "ProblemError",
    "Reader",
    "abbreviation",
    "amount",
    "boolean",
    "concept_text",
    "decimal",
    "duration",
    "integer",
    "moment",
    "positive_int",
    "ratio",
    "show",
    "text",
    "time_of_day",
    "unit_of_time",
    "unsigned_int",
    "weekday",
    "when",
]

T = TypeVar("T")

_MAX_ITEMS: Final = 1440
_DATE: Final = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_DATETIME: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)
_TIME: Final = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?")


class ProblemError(Exception):
    """A value's problem; the reader adds the path."""


class Reader:
    """Collects problems with their paths while reading one input."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def get(
        self,
        obj: Mapping[str, object],
        key: str,
        path: str,
        read: Callable[[object], T],
    ) -> T | None:
        if key not in obj:
            return None
        try:
            return read(obj[key])
        except ProblemError as exc:
            self.fail(f"{path}.{key}", str(exc))
            return None

    def items(
        self,
        obj: Mapping[str, object],
        key: str,
        path: str,
        read: Callable[[object], T],
    ) -> tuple[T, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", f"expected a list (got {show(value)})")
            return ()
        if len(value) > _MAX_ITEMS:
            self.fail(
                f"{path}.{key}", f"{len(value)} items; at most {_MAX_ITEMS} are read"
            )
            return ()
        out: list[T] = []
        for i, item in enumerate(value):
            try:
                out.append(read(item))
            except ProblemError as exc:
                self.fail(f"{path}.{key}[{i}]", str(exc))
        return tuple(out)

    def table(self, value: object, path: str) -> Mapping[str, object] | None:
        if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
            return value
        self.fail(path, f"expected a JSON object (got {show(value)})")
        return None


def show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- leaf values -------------------------------------------------------------------


def decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ProblemError(f"expected a number (got {show(value)})")
    if isinstance(value, str) and (len(value) > 40 or not value.strip()):
        raise ProblemError(f"expected a number (got {show(value)})")
    try:
        out = Decimal(repr(value) if isinstance(value, float) else value)
    except (InvalidOperation, ValueError):
        raise ProblemError(f"expected a number (got {show(value)})") from None
    if not out.is_finite() or abs(out.adjusted()) > 30:
        raise ProblemError(
            f"expected a finite number of sensible size (got {show(value)})"
        )
    return out


def positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**9:
        raise ProblemError(f"expected a positive whole number (got {show(value)})")
    return value


def unsigned_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
        raise ProblemError(f"expected a whole number, 0 or more (got {show(value)})")
    return value


def integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 10**9:
        raise ProblemError(f"expected a whole number (got {show(value)})")
    return value


def text(value: object) -> str:
    if not isinstance(value, str) or len(value) > 10_000:
        raise ProblemError(f"expected text (got {show(value)})")
    return value


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ProblemError(f"expected true or false (got {show(value)})")
    return value


def unit_of_time(value: object) -> str:
    if not isinstance(value, str):
        raise ProblemError(f"expected a unit of time (got {show(value)})")
    if value in PERIOD_UNITS:
        return value
    fix = PERIOD_TYPOS.get(value.strip().lower())
    hint = f" — FHIR uses {fix!r}" if fix else f"; use one of {', '.join(PERIOD_UNITS)}"
    raise ProblemError(f"unknown unit {value!r}{hint}")


def weekday(value: object) -> Weekday:
    if isinstance(value, str) and value in DAY_OF_WEEK:
        return DAY_OF_WEEK[value]
    raise ProblemError(
        f"unknown day {show(value)}; use one of {', '.join(DAY_OF_WEEK)}"
    )


def when(value: object) -> str:
    if isinstance(value, str) and value in EVENT_TIMING:
        return value
    raise ProblemError(
        f"unknown EventTiming code {show(value)}; regimen reads "
        f"{', '.join(EVENT_TIMING)}"
    )


def time_of_day(value: object) -> time:
    if isinstance(value, str):
        m = _TIME.fullmatch(value)
        if m and int(m[1]) < 24 and int(m[2]) < 60 and int(m[3]) < 60:
            micro = int((m[4] or ".0")[1:7].ljust(6, "0"))
            return time(int(m[1]), int(m[2]), int(m[3]), micro)
    raise ProblemError(f"expected a FHIR time like '08:00:00' (got {show(value)})")


def moment(value: object) -> datetime | date:
    """Read a FHIR dateTime: a date, or a date-time with its UTC offset."""
    if isinstance(value, str):
        m = _DATETIME.fullmatch(value)
        if m:
            text = value if m[8] != "Z" else value[:-1] + "+00:00"
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                pass
            else:
                if 2 <= moment.year <= 9998:
                    return moment
        m = _DATE.fullmatch(value)
        if m and m[3] is not None:
            try:
                day = date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
            else:
                if 2 <= day.year <= 9998:
                    return day
        elif m:
            raise ProblemError(
                f"{value!r} gives no day; regimen needs a full date like "
                "'2027-03-01' to place doses in time"
            )
    raise ProblemError(
        "expected a FHIR dateTime like '2027-03-01' or '2027-03-01T08:00:00+01:00' "
        f"between years 0002 and 9998 (got {show(value)})"
    )


@attrs.frozen
class Amount:
    """A FHIR Quantity read as an exact value in a regimen unit."""

    value: Decimal
    unit: Unit


def abbreviation(value: object, path: str, reader: Reader) -> str | None:
    table = reader.table(value, path)
    if table is None:
        return None
    codings = reader.items(table, "coding", path, lambda c: c)
    for i, coding in enumerate(codings):
        if isinstance(coding, Mapping) and coding.get("code") in TIMING_ABBREVIATIONS:
            return str(coding["code"])
        if isinstance(coding, Mapping) and isinstance(coding.get("code"), str):
            reader.fail(
                f"{path}.coding[{i}].code",
                f"unknown timing code {coding['code']!r}; regimen reads "
                f"{', '.join(TIMING_ABBREVIATIONS)}, or give timing.repeat instead",
            )
            return None
    if not codings:
        reader.fail(path, "a timing code needs a coding with a TimingAbbreviation code")
    return None


def amount(value: object, path: str, reader: Reader) -> Amount | None:
    """Read a FHIR Quantity (SimpleQuantity): a value and a UCUM code or unit word."""
    table = reader.table(value, path)
    if table is None:
        return None
    number = reader.get(table, "value", path, decimal)
    if "comparator" in table:
        reader.fail(
            f"{path}.comparator", "a dose with a comparator (<, >) is not exact"
        )
    code = table.get("code", table.get("unit"))
    key = "code" if "code" in table else "unit"
    unit: Unit | None = None
    if not isinstance(code, str):
        reader.fail(f"{path}.{key}" if code is not None else path, "a unit is needed")
    elif code in UCUM_UNITS:
        unit = UCUM_UNITS[code]
    else:
        try:
            unit = Unit(code.strip().lower().strip("{}"))
        except ValueError:
            reader.fail(
                f"{path}.{key}",
                f"unknown unit {code!r}; use a UCUM code such as "
                "'mg', 'mL', '[tsp_us]', '{tablet}' or '[drp]'",
            )
    if number is None:
        if "value" not in table:
            reader.fail(path, "a dose quantity needs a value")
        return None
    if number <= 0:
        reader.fail(f"{path}.value", f"must be more than 0 (got {number})")
        return None
    return None if unit is None else Amount(number, unit)


def duration(value: object, path: str, reader: Reader) -> tuple[Decimal, str] | None:
    table = reader.table(value, path)
    if table is None:
        return None
    number = reader.get(table, "value", path, decimal)
    unit = reader.get(table, "code", path, unit_of_time)
    if unit is None and "code" not in table:
        unit = reader.get(table, "unit", path, unit_of_time)
    if number is None or unit is None:
        if "value" not in table or ("code" not in table and "unit" not in table):
            reader.fail(
                path,
                "a Duration needs a value and a unit code (s, min, h, d, wk, mo, a)",
            )
        return None
    if number <= 0:
        reader.fail(f"{path}.value", f"must be more than 0 (got {number})")
        return None
    return number, unit


def concept_text(value: object) -> str:
    """Read the words of a CodeableConcept: its text, else a display or code."""
    if isinstance(value, Mapping):
        if isinstance(value.get("text"), str):
            return str(value["text"])
        for coding in value.get("coding") or ():
            if isinstance(coding, Mapping):
                for key in ("display", "code"):
                    if isinstance(coding.get(key), str):
                        return str(coding[key])
    raise ProblemError(
        f"expected a CodeableConcept with text or a coding (got {show(value)})"
    )


#: Numerator codes that count administrations rather than an amount.
DOSE_COUNT_CODES: Final = frozenset({"1", "{dose}", "{doses}", "{administration}"})


def ratio(
    value: object, path: str, reader: Reader
) -> tuple[Amount | int, Decimal, str] | None:
    """Read a maximum per period: an amount, or a count of doses, per a duration."""
    table = reader.table(value, path)
    if table is None:
        return None
    if "numerator" not in table or "denominator" not in table:
        reader.fail(path, "a maximum per period needs a numerator and a denominator")
        return None
    top = table["numerator"]
    numerator: Amount | int | None
    if isinstance(top, Mapping) and top.get("code", top.get("unit", "1")) in (
        DOSE_COUNT_CODES
    ):
        count = reader.get(top, "value", f"{path}.numerator", positive_int)
        numerator = count
        if count is None and "value" not in top:
            reader.fail(f"{path}.numerator", "a count of doses needs a value")
    else:
        numerator = amount(top, f"{path}.numerator", reader)
    period = duration(table["denominator"], f"{path}.denominator", reader)
    if numerator is None or period is None:
        return None
    return numerator, period[0], period[1]
