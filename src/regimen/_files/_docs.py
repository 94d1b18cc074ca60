"""The documents: what a plan file holds, field for field, before names are resolved."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Final, NewType

from .._dose import Meal
from .._finding import Severity
from .._quantity import Quantity
from .._rules import (
    AvoidTags,
    BreakCadence,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
)
from .._rules_exposure import MaxExposure
from .._terms import unknown_term_message
from .._weekday import Weekday

__all__ = [
    "EMPTY",
    "REQUIRED",
    "RULES",
    "RULE_OPTIONS",
    "BreakDoc",
    "Doc",
    "Document",
    "DoseAmount",
    "DoseDoc",
    "EntryDoc",
    "InteractionDoc",
    "KineticsDoc",
    "LogDoc",
    "PlanDoc",
    "ProductDoc",
    "ProfileDoc",
    "RuleDoc",
    "ScheduleDoc",
    "StayDoc",
    "SubstanceDoc",
    "ZoneName",
    "term_problems",
]


ZoneName = NewType("ZoneName", str)
#: A dose's amount: a quantity, or a range's (low, high) ends.
DoseAmount = Quantity | tuple[Quantity, Quantity]


class _Marker:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


#: The default of a list field: a new empty list for each document.
EMPTY: Any = _Marker("EMPTY")
#: Stands for "no default": the key is required.
REQUIRED: Any = _Marker("REQUIRED")


class Doc:
    """A table of the file, field for field: the base of the document classes.

    A document class declares its keys as annotated class attributes, in
    file order; the annotation (text, as written) says what the value is
    and the class attribute, if any, is the default (:data:`EMPTY` for a
    new list). Documents are plain objects, cheap to define: reading the
    first file of a process builds none of the machinery that attrs or
    dataclasses generate per class.

    >>> doc = DoseDoc(product="Maeng Da", amount=Quantity(2, "g"))
    >>> doc.note, [name for name, _, _ in DoseDoc.fields]
    ('', ['product', 'amount', 'meal', 'note'])
    """

    #: (key, annotation text, default or :data:`REQUIRED`), in file order.
    fields: ClassVar[tuple[tuple[str, str, Any], ...]] = ()

    def __init_subclass__(cls) -> None:
        cls.fields = tuple(
            (name, text, cls.__dict__.get(name, REQUIRED))
            for name, text in inspect.get_annotations(cls).items()
        )

    def __init__(self, **values: Any) -> None:
        for name, _, default in self.fields:
            if name in values:
                value = values.pop(name)
            elif default is REQUIRED:
                msg = f"{type(self).__name__} needs {name}"
                raise TypeError(msg)
            else:
                value = [] if default is EMPTY else default
            setattr(self, name, value)
        if values:
            msg = f"{type(self).__name__} has no key {sorted(values)[0]!r}"
            raise TypeError(msg)


class KineticsDoc(Doc):
    half_life: timedelta
    absorption_half_life: timedelta | None = None
    bioavailability: Decimal = Decimal(1)
    source: str


class SubstanceDoc(Doc):
    name: str
    classes: list[str] = EMPTY
    aliases: list[str] = EMPTY
    onset: timedelta | None = None
    duration: timedelta | None = None
    notes: str = ""
    source: str | None = None
    kinetics: KineticsDoc | None = None


class ProductDoc(Doc):
    name: str
    contents: dict[str, Quantity]
    per: Quantity = Quantity(1, "serving")
    variant: str | None = None
    form: str | None = None
    tags: list[str] = EMPTY
    equivalents: list[list[Quantity]] = EMPTY
    lab_tested: bool | None = None
    notes: str = ""
    source: str | None = None


class ScheduleDoc(Doc):
    kind: str
    times: list[time] = EMPTY
    days: list[Weekday] = EMPTY
    n_days: int | None = None
    on_days: int | None = None
    off_days: int | None = None
    rule: str | None = None
    offset: timedelta | None = None


class DoseDoc(Doc):
    product: str
    amount: DoseAmount
    meal: Meal | None = None
    note: str = ""


class EntryDoc(Doc):
    dose: DoseDoc
    schedule: ScheduleDoc
    start: date | None = None
    end: date | None = None
    as_needed: bool = False
    source: str | None = None
    clock: str = "local"


class BreakDoc(Doc):
    start: date
    end: date | None = None
    weekdays: list[Weekday] = EMPTY
    rule: str | None = None
    on_days: int | None = None
    off_days: int | None = None
    substances: list[str] | None = None
    reason: str = ""


class StayDoc(Doc):
    start: date
    end: date
    timezone: ZoneName
    name: str = ""


class PlanDoc(Doc):
    name: str
    timezone: ZoneName
    start: date
    end: date | None = None
    entries: list[EntryDoc] = EMPTY
    breaks: list[BreakDoc] = EMPTY
    stays: list[StayDoc] = EMPTY


class RuleDoc(Doc):
    type: str
    substance: str | None = None
    amount: Quantity | None = None
    count: int | None = None
    per: str | None = None
    interval: timedelta | None = None
    days: int | None = None
    every: int | None = None
    max_days: int | None = None
    tags: list[str] | None = None
    kinetics: KineticsDoc | None = None
    severity: Severity = Severity.ERROR
    day_start: time | None = None
    source: str | None = None


class InteractionDoc(Doc):
    a: str
    b: str
    severity: Severity
    within: timedelta
    note: str
    source: str | None = None


class ProfileDoc(Doc):
    rules: list[RuleDoc] = EMPTY
    medications: list[str] = EMPTY
    avoid_tags: list[str] = EMPTY
    day_start: time = time(0)


class LogDoc(Doc):
    at: datetime
    timezone: ZoneName | None = None
    dose: DoseDoc
    note: str = ""
    as_needed: bool = False


class Document(Doc):
    version: int = 1
    substances: list[SubstanceDoc] = EMPTY
    products: list[ProductDoc] = EMPTY
    interactions: list[InteractionDoc] = EMPTY
    plan: PlanDoc | None = None
    profile: ProfileDoc | None = None
    log: list[LogDoc] = EMPTY


def term_problems(terms: Iterable[tuple[str, str]], known: frozenset[str]) -> list[str]:
    """Return a problem for each ``(path, term)`` that names nothing *known*.

    A rule's substance and a break's ``substances`` must name a substance,
    alias or class known to the file (see :func:`regimen._terms.known_terms`);
    a file that knows none (a profile on its own) has nothing to check them
    against, so nothing is reported.

    >>> term_problems([("profile.rules[0].substance", "kratum")], frozenset({"kratom"}))
    ["profile.rules[0].substance: 'kratum' names no known substance, alias or class; did you mean 'kratom'?"]
    """
    if not known:
        return []
    return [
        f"{where}: {unknown_term_message(term, known)}"
        for where, term in terms
        if term.strip() and term.strip().casefold() not in known
    ]


#: Rule types in a file: type -> (class, positional fields, keyword fields).
RULES: Final[dict[str, tuple[Any, tuple[str, ...], tuple[str, ...]]]] = {
    "max-amount": (MaxAmount, ("substance", "amount"), ("per",)),
    "max-doses": (MaxDoses, ("substance", "count"), ("per",)),
    "min-interval": (MinInterval, ("substance", "interval"), ()),
    "max-consecutive-days": (MaxConsecutiveDays, ("substance", "days"), ()),
    "break-cadence": (BreakCadence, ("substance",), ("days", "every")),
    "rotation": (Rotation, ("substance",), ("max_days",)),
    "avoid-tag": (AvoidTags, ("tags",), ()),
    "max-exposure": (MaxExposure, ("substance", "amount"), ("kinetics",)),
}
RULE_OPTIONS: Final = ("type", "severity", "day_start", "source")
