"""Structuring parsed data into the documents of :mod:`._docs`, every problem with its path.

A small reader driven by the documents' fields and their annotations:
tables become document classes (unknown keys refused, required keys
checked), lists and tables of values are read item by item, and leaf values
(text, whole numbers, amounts, dates, times, durations, zone names, ...) by
one function each. Readers are built once per type, on first use, in a few
microseconds; no code is generated. Every problem is collected with its
path (``plan.entries[2].dose.amount: ...``) and all of them end in one
:class:`~regimen.LoadError`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final, TypeVar

from .._dose import Meal, dose_range, parse_amount
from .._errors import LoadError
from .._finding import Severity
from .._format import parse_duration
from .._limits import MAX_DATE, MAX_MOMENT, MIN_DATE, MIN_MOMENT
from .._plan import parse_date
from .._quantity import Quantity
from .._schedule import parse_time
from .._timezone import check_zone
from .._weekday import Weekday
from . import _docs
from ._docs import Document
from ._text import ValueProblemError, show

__all__ = ["structure"]

T = TypeVar("T")

#: Reads one value at a path; appends problems to the list, returns the value.
Reader = Callable[[object, str, list[str]], Any]

#: Returned by a reader whose value had a problem (already recorded).
_BAD: Final = object()

_RANGE: Final = f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def _at(where: str, message: str) -> str:
    return f"{where or '(top level)'}: {message}"


# -- leaf values: each raises ValueProblemError with the message to show ----------


def _strict(kind: type[T], word: str) -> Callable[[object], T]:
    def read(value: object) -> T:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueProblemError(f"expected {word} (got {show(value)})")
        return value

    return read


def _text(parse: Callable[[str], T], word: str) -> Callable[[object], T]:
    def read(value: object) -> T:
        if not isinstance(value, str):
            raise ValueProblemError(f"expected {word} (got {show(value)})")
        try:
            return parse(value)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ValueProblemError(str(exc)) from None

    return read


def _dose_amount(text: str) -> Quantity | tuple[Quantity, Quantity]:
    """Read a dose's amount: a range's two ends, else one quantity (Dose checks it)."""
    if not dose_range(text):
        return Quantity.parse(text)
    try:
        return parse_amount(text)
    except ValueError as exc:
        # The path names the field already.
        message = str(exc).removeprefix("Dose.amount: ").removeprefix("Dose.amount ")
        raise ValueProblemError(message) from None


def _outside(shown: str) -> ValueProblemError:
    return ValueProblemError(f"{shown} is outside the dates regimen supports, {_RANGE}")


def _date(value: object) -> date:
    if isinstance(value, date | str) and not isinstance(value, datetime):
        try:
            day = (
                value if isinstance(value, date) else date.fromisoformat(value.strip())
            )
        except ValueError:
            day = None
        if day is not None and not MIN_DATE <= day <= MAX_DATE:
            raise _outside(day.isoformat())
        try:
            return parse_date(value, field="date")
        except (TypeError, ValueError):
            pass
    msg = f"expected a date like 2027-01-31 (got {show(value)})"
    raise ValueProblemError(msg)


def _time(value: object) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str):
        try:
            return parse_time(value)
        except ValueError as exc:
            raise ValueProblemError(str(exc)) from None
    raise ValueProblemError(f'expected a time like "08:30" (got {show(value)})')


def _datetime(value: object) -> datetime:
    moment = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(value.strip())
    if moment is None:
        raise ValueProblemError(
            "expected a date and time like 2027-01-03T08:30:00-05:00 "
            f"(got {show(value)})"
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        inside = MIN_DATE <= moment.date() <= MAX_DATE
    else:
        inside = MIN_MOMENT <= moment <= MAX_MOMENT
    if not inside:
        raise _outside(moment.isoformat())
    return moment


def _enum(kind: Any, word: str) -> Callable[[object], Any]:
    def read(value: object) -> Any:
        if isinstance(value, str):
            try:
                return kind(value.strip().lower() if kind is Meal else value)
            except (ValueError, KeyError):
                pass
        raise ValueProblemError(f"expected {word} (got {show(value)})")

    return read


def _severity(value: object) -> Severity:
    if isinstance(value, str):
        try:
            return Severity.parse(value)
        except ValueError as exc:
            raise ValueProblemError(str(exc)) from None
    raise ValueProblemError(
        f"expected 'error', 'warning' or 'info' (got {show(value)})"
    )


def _zone(value: object) -> str:
    try:
        return check_zone(value, field="")
    except (TypeError, ValueError) as exc:
        raise ValueProblemError(str(exc).lstrip(": ")) from None


#: Readers of leaf values, by the name a document's annotation gives.
_LEAVES: Final[dict[str, Callable[[object], Any]]] = {
    "str": _strict(str, "text"),
    "int": _strict(int, "a whole number"),
    "bool": _strict(bool, "true or false"),
    "Quantity": _text(Quantity.parse, 'an amount like "2.5 g"'),
    "DoseAmount": _text(_dose_amount, 'an amount like "2.5 g" or a range like "2-3 g"'),
    "timedelta": _text(parse_duration, 'a duration like "45 min"'),
    "Decimal": _text(Decimal, "a decimal number as text"),
    "date": _date,
    "time": _time,
    "datetime": _datetime,
    "Meal": _enum(Meal, "one of " + ", ".join(m.value for m in Meal)),
    "Weekday": _enum(Weekday, 'a weekday like "MO"'),
    "Severity": _severity,
    "ZoneName": _zone,
}


# -- readers by type -------------------------------------------------------------------

_READERS: dict[str, Reader] = {}


def _reader(kind: str) -> Reader:
    """Return (and remember) the reader for a document field's annotation.

    The annotations are text (``"list[str] | None"``); the few forms the
    documents use are read here directly, which is much cheaper than
    evaluating them with :func:`typing.get_type_hints`.
    """
    found = _READERS.get(kind)
    if found is None:
        found = _READERS[kind] = _make_reader(kind)
    return found


def _make_reader(kind: str) -> Reader:
    if kind in _LEAVES:
        return _leaf(_LEAVES[kind])
    if kind.endswith(" | None"):
        return _optional(_reader(kind.removesuffix(" | None")))
    if kind.startswith("list[") and kind.endswith("]"):
        return _list(_reader(kind[5:-1]))
    if kind.startswith("dict[str, ") and kind.endswith("]"):
        return _table(_reader("str"), _reader(kind[10:-1]))
    cls = getattr(_docs, kind)
    assert isinstance(cls, type)
    assert issubclass(cls, _docs.Doc)
    return _document(cls)


def _leaf(read: Callable[[object], Any]) -> Reader:
    def run(value: object, where: str, problems: list[str]) -> Any:
        try:
            return read(value)
        except ValueProblemError as exc:
            problems.append(_at(where, str(exc)))
            return _BAD

    return run


def _optional(inner: Reader) -> Reader:
    def run(value: object, where: str, problems: list[str]) -> Any:
        return None if value is None else inner(value, where, problems)

    return run


def _list(item: Reader) -> Reader:
    def run(value: object, where: str, problems: list[str]) -> Any:
        if not isinstance(value, list):
            problems.append(_at(where, f"expected a list (got {show(value)})"))
            return _BAD
        out = [item(v, f"{where}[{i}]", problems) for i, v in enumerate(value)]
        return _BAD if any(v is _BAD for v in out) else out

    return run


def _table(key: Reader, item: Reader) -> Reader:
    def run(value: object, where: str, problems: list[str]) -> Any:
        if not isinstance(value, dict):
            problems.append(_at(where, "expected a table"))
            return _BAD
        out = {}
        for k, v in value.items():
            here = f"{where}[{k!r}]"
            out[key(k, here, problems)] = item(v, here, problems)
        bad = any(k is _BAD or v is _BAD for k, v in out.items())
        return _BAD if bad else out

    return run


def _document(cls: type[_docs.Doc]) -> Reader:
    """Read a table into the document class *cls*: every key known, every required one given."""
    fields = [
        (name, _reader(kind), default is _docs.REQUIRED)
        for name, kind, default in cls.fields
    ]
    known = frozenset(name for name, _, _ in fields)
    allowed = ", ".join(name for name, _, _ in fields)

    def run(value: object, where: str, problems: list[str]) -> Any:
        if not isinstance(value, dict):
            problems.append(_at(where, "expected a table"))
            return _BAD
        given: dict[str, Any] = {}
        ok = True
        for name, read, required in fields:
            here = f"{where}.{name}" if where else name
            if name in value:
                given[name] = read(value[name], here, problems)
                ok = ok and given[name] is not _BAD
            elif required:
                problems.append(_at(here, "required key missing"))
                ok = False
        extra = [k for k in value if k not in known]
        if extra:
            keys = ", ".join(repr(k) for k in sorted(extra))
            problems.append(
                _at(where, f"unknown key {keys}; the keys here are {allowed}")
            )
            ok = False
        return cls(**given) if ok else _BAD

    return run


def structure(data: dict[str, Any]) -> Document:
    """Read a parsed file into a :class:`Document`, or raise LoadError with every problem.

    >>> structure({"version": 1, "plan": {"name": "p", "start": "someday"}}).plan
    Traceback (most recent call last):
    regimen.LoadError: 2 problems in the plan file:
      plan.timezone: required key missing
      plan.start: expected a date like 2027-01-31 (got 'someday')
    """
    problems: list[str] = []
    doc = _reader("Document")(data, "", problems)
    if problems or doc is _BAD:
        raise LoadError(problems or ["(top level): expected a table of sections"])
    assert isinstance(doc, Document)
    return doc
