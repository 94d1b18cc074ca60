"""The plan file format: structuring untrusted TOML/JSON into a Bundle, and back.

Reading has three steps. The text is parsed (size and nesting capped,
duplicate JSON keys rejected); a cattrs converter structures it into plain
"document" classes that mirror the file, with hooks that read quantities,
dates, times, durations and zone names and reject unknown keys; then the
documents are turned into domain objects, resolving names. Every problem
of a step is collected with its path; any problem ends in one
:class:`~regimen.LoadError` listing them all.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import tomllib
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, NewType, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import ForbiddenExtraKeysError

from ._bundle import Bundle
from ._dose import Dose, Meal
from ._errors import LoadError
from ._finding import Severity
from ._format import duration, parse_duration
from ._interaction import Interaction
from ._io import MAX_BYTES
from ._plan import Break, Entry, Plan, parse_date
from ._product import Product
from ._profile import Profile
from ._quantity import Quantity
from ._rules import (
    AvoidTags,
    BreakCadence,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
)
from ._schedule import Schedule, _Kind, parse_time
from ._substance import Substance
from ._timeline import DoseEvent, Timeline
from ._timezone import check_zone, zone
from ._weekday import Weekday

__all__ = ["dumps", "load", "loads"]

MAX_DEPTH: Final = 32
MAX_ITEMS: Final = 10_000
T = TypeVar("T")


# -- the documents: what a file holds, field for field -------------------------


@attrs.define(kw_only=True)
class SubstanceDoc:
    name: str
    classes: list[str] = attrs.Factory(list)
    aliases: list[str] = attrs.Factory(list)
    onset: timedelta | None = None
    duration: timedelta | None = None
    notes: str = ""
    source: str | None = None


@attrs.define(kw_only=True)
class ProductDoc:
    name: str
    contents: dict[str, Quantity]
    per: Quantity = attrs.field(factory=lambda: Quantity(1, "serving"))
    variant: str | None = None
    form: str | None = None
    tags: list[str] = attrs.Factory(list)
    equivalents: list[list[Quantity]] = attrs.Factory(list)
    lab_tested: bool | None = None
    notes: str = ""
    source: str | None = None


@attrs.define(kw_only=True)
class ScheduleDoc:
    kind: str
    times: list[time]
    days: list[Weekday] = attrs.Factory(list)
    n_days: int | None = None
    on_days: int | None = None
    off_days: int | None = None
    rule: str | None = None
    offset: timedelta | None = None


@attrs.define(kw_only=True)
class DoseDoc:
    product: str
    amount: Quantity
    meal: Meal | None = None
    note: str = ""


@attrs.define(kw_only=True)
class EntryDoc:
    dose: DoseDoc
    schedule: ScheduleDoc
    start: date | None = None
    end: date | None = None
    as_needed: bool = False
    source: str | None = None


@attrs.define(kw_only=True)
class BreakDoc:
    start: date
    end: date
    substances: list[str] | None = None
    reason: str = ""


ZoneName = NewType("ZoneName", str)


@attrs.define(kw_only=True)
class PlanDoc:
    name: str
    timezone: ZoneName
    start: date
    end: date | None = None
    entries: list[EntryDoc] = attrs.Factory(list)
    breaks: list[BreakDoc] = attrs.Factory(list)


@attrs.define(kw_only=True)
class RuleDoc:
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
    severity: Severity = Severity.ERROR
    day_start: time | None = None
    source: str | None = None


@attrs.define(kw_only=True)
class InteractionDoc:
    a: str
    b: str
    severity: Severity
    within: timedelta
    note: str
    source: str | None = None


@attrs.define(kw_only=True)
class ProfileDoc:
    rules: list[RuleDoc] = attrs.Factory(list)
    medications: list[str] = attrs.Factory(list)
    avoid_tags: list[str] = attrs.Factory(list)
    day_start: time = time(0)


@attrs.define(kw_only=True)
class LogDoc:
    at: datetime
    timezone: ZoneName | None = None
    dose: DoseDoc
    note: str = ""
    as_needed: bool = False


@attrs.define(kw_only=True)
class Document:
    version: int = 1
    substances: list[SubstanceDoc] = attrs.Factory(list)
    products: list[ProductDoc] = attrs.Factory(list)
    interactions: list[InteractionDoc] = attrs.Factory(list)
    plan: PlanDoc | None = None
    profile: ProfileDoc | None = None
    log: list[LogDoc] = attrs.Factory(list)


# -- the converter ---------------------------------------------------------------


class ValueProblemError(ValueError):
    """A value that does not fit, with the message to show for it."""


def _strict(kind: type[T], word: str) -> Callable[[object, type], T]:
    def hook(value: object, _type: type) -> T:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueProblemError(f"expected {word} (got {_show(value)})")
        return value

    return hook


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text_hook(parse: Callable[[str], T], word: str) -> Callable[[object, type], T]:
    def hook(value: object, _type: type) -> T:
        if not isinstance(value, str):
            raise ValueProblemError(f"expected {word} (got {_show(value)})")
        try:
            return parse(value)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ValueProblemError(str(exc)) from None

    return hook


def _date(value: object, _type: type) -> date:
    if isinstance(value, date | str):
        try:
            return parse_date(value, field="date")
        except (TypeError, ValueError):
            pass
    msg = f"expected a date like 2027-01-31 (got {_show(value)})"
    raise ValueProblemError(msg)


def _time(value: object, _type: type) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str):
        try:
            return parse_time(value)
        except ValueError as exc:
            raise ValueProblemError(str(exc)) from None
    raise ValueProblemError(f'expected a time like "08:30" (got {_show(value)})')


def _datetime(value: object, _type: type) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueProblemError(
        f"expected a date and time like 2027-01-03T08:30:00-05:00 (got {_show(value)})"
    )


def _enum_hook(kind: Any, word: str) -> Callable[[object, type], Any]:
    def hook(value: object, _type: type) -> Any:
        if isinstance(value, str):
            try:
                return kind(value.strip().lower() if kind is Meal else value)
            except (ValueError, KeyError):
                pass
        raise ValueProblemError(f"expected {word} (got {_show(value)})")

    return hook


def _severity(value: object, _type: type) -> Severity:
    if isinstance(value, str):
        try:
            return Severity.parse(value)
        except ValueError as exc:
            raise ValueProblemError(str(exc)) from None
    raise ValueProblemError(
        f"expected 'error', 'warning' or 'info' (got {_show(value)})"
    )


def _zone(value: object, _type: type) -> str:
    try:
        return check_zone(value, field="")
    except (TypeError, ValueError) as exc:
        raise ValueProblemError(str(exc).lstrip(": ")) from None


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "text"))
    conv.register_structure_hook(int, _strict(int, "a whole number"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(
        Quantity, _text_hook(Quantity.parse, 'an amount like "2.5 g"')
    )
    conv.register_structure_hook(
        timedelta, _text_hook(parse_duration, 'a duration like "45 min"')
    )
    conv.register_structure_hook(
        Decimal, _text_hook(Decimal, "a decimal number as text")
    )
    conv.register_structure_hook(date, _date)
    conv.register_structure_hook(time, _time)
    conv.register_structure_hook(datetime, _datetime)
    conv.register_structure_hook(
        Meal, _enum_hook(Meal, "one of " + ", ".join(m.value for m in Meal))
    )
    conv.register_structure_hook(Weekday, _enum_hook(Weekday, 'a weekday like "MO"'))
    conv.register_structure_hook(Severity, _severity)
    conv.register_structure_hook(ZoneName, _zone)
    conv.register_structure_hook_factory(_is_list, _strict_list)
    return conv


def _is_list(kind: Any) -> bool:
    return get_origin(kind) is list


def _strict_list(kind: Any, conv: cattrs.Converter) -> Any:
    """Structure lists only from lists (cattrs would take a table's keys)."""
    inner = list_structure_factory(kind, conv)

    def hook(value: object, _type: type) -> Any:
        if not isinstance(value, list):
            msg = f"expected a list (got {_show(value)})"
            raise ValueProblemError(msg)
        return inner(value, _type)

    return hook


def _message(exc: BaseException, _type: object) -> str:
    """Say what was wrong with a value, for :func:`cattrs.transform_error`."""
    if isinstance(exc, ValueProblemError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        allowed = ", ".join(f.name for f in attrs.fields(exc.cl))
        return f"unknown key {keys}; the keys here are {allowed}"
    if isinstance(exc, KeyError):
        return "required key missing"
    text = str(_type)
    for prefix, word in (
        ("dict", "a table"),
        ("list", "a list"),
        ("tuple", "a pair of values"),
    ):
        if text.startswith(prefix):
            return f"expected {word}"
    kinds = [_type, *get_args(_type)]
    if any(isinstance(k, type) and attrs.has(k) for k in kinds):
        return "expected a table"
    return f"expected {getattr(_type, '__name__', text)}"


def _path(raw: str) -> str:
    """Turn cattrs' ``msg @ $.a.b[2]`` into ``a.b[2]: msg``."""
    message, _, where = raw.rpartition(" @ ")
    where = where.removeprefix("$").removeprefix(".")
    return f"{where or '(top level)'}: {message}"


# -- parsing text --------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            msg = f"key {key!r} appears twice in one object"
            raise ValueProblemError(msg)
        out[key] = value
    return out


def _no_constants(text: str) -> float:
    msg = f'{text} is not a number regimen accepts; write amounts as text like "2.5 g"'
    raise ValueProblemError(msg)


def _parse(text: str | bytes, fmt: str) -> Any:
    if fmt not in {"toml", "json"}:
        msg = f"format must be 'toml' or 'json' (got {fmt!r})"
        raise ValueError(msg)
    if isinstance(text, str):
        raw = text.encode("utf-8", "surrogatepass")
    elif isinstance(text, bytes):
        raw = text
    else:
        raise LoadError(
            [f"(input): expected text or bytes (got {type(text).__name__})"]
        )
    if len(raw) > MAX_BYTES:
        raise LoadError(
            [
                f"(input): {len(raw)} bytes is over the {MAX_BYTES}-byte limit for a plan file"
            ]
        )
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(
            [f"(input): not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None
    try:
        if fmt == "toml":
            return tomllib.loads(decoded)
        return json.loads(
            decoded, object_pairs_hook=_no_duplicates, parse_constant=_no_constants
        )
    except RecursionError:
        raise LoadError(
            [f"(input): nested more than {MAX_DEPTH} levels deep"]
        ) from None
    except ValueProblemError as exc:
        raise LoadError([f"(input): {exc}"]) from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise LoadError([f"(input): not valid {fmt.upper()}: {exc}"]) from None


def _check_shape(data: Any) -> list[str]:
    """Depth, size and float checks on the parsed tree, before structuring."""
    problems: list[str] = []
    count = 0
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            return [
                f"{where or '(top level)'}: nested more than {MAX_DEPTH} levels deep"
            ]
        if count > MAX_ITEMS * 10:
            return [
                f"(input): more than {MAX_ITEMS * 10} values; a plan file is smaller"
            ]
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((item, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                problems.append(
                    f"{where}: {len(value)} items is over the limit of {MAX_ITEMS}"
                )
                continue
            for i, item in enumerate(value):
                stack.append((item, f"{where}[{i}]", depth + 1))
        elif isinstance(value, float):
            what = (
                "not a number"
                if math.isnan(value)
                else "infinite"
                if math.isinf(value)
                else "a bare number"
            )
            problems.append(
                f'{where}: {value!r} is {what}; write amounts as text like "2.5 g"'
            )
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) > 10**9
        ):
            problems.append(f"{where}: {value} is out of range")
    return sorted(problems)


# -- building domain objects ----------------------------------------------------


class _Builder:
    """Collects problems with their paths while domain objects are built."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        #: Names defined in the file whose definitions had problems: a
        #: reference to one is not reported again as unknown.
        self.broken: set[str] = set()

    def attempt(self, where: str, build: Callable[[], T]) -> T | None:
        try:
            return build()
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.problems.append(f"{where}: {exc}")
            return None

    def register(self, known: dict[str, Any], where: str, name: str, made: Any) -> None:
        """Add a definition by name; note a failed one (see :attr:`broken`) or a twin."""
        key = name.strip().casefold()
        if made is None:
            self.broken.add(key)
        elif key in known:
            self.problems.append(f"{where}.name: {made.name!r} is defined twice")
        else:
            known[key] = made

    def lookup(self, where: str, name: str, known: dict[str, T], what: str) -> T | None:
        found = known.get(name.strip().casefold())
        if found is not None or name.strip().casefold() in self.broken:
            return found
        names = {key: getattr(value, "name", key) for key, value in known.items()}
        close = difflib.get_close_matches(name.strip().casefold(), list(names), n=1)
        hint = f"; did you mean {names[close[0]]!r}?" if close else ""
        listed = ", ".join(repr(n) for n in list(names.values())[:8]) or "none defined"
        self.problems.append(
            f"{where}: unknown {what} {name!r}{hint} (known: {listed})"
        )
        return None


def _schedule(doc: ScheduleDoc) -> Schedule:
    kinds = sorted(k.value for k in _Kind)
    if doc.kind not in kinds:
        msg = f"kind must be one of {', '.join(kinds)} (got {doc.kind!r})"
        raise ValueError(msg)
    uses = {
        "daily": (),
        "weekly": ("days",),
        "every": ("n_days",),
        "cycle": ("on_days", "off_days"),
        "rrule": ("rule",),
    }[doc.kind]
    for key in ("days", "n_days", "on_days", "off_days", "rule"):
        given = getattr(doc, key) not in (None, [])
        if given and key not in uses:
            msg = f"{key} does not apply to kind {doc.kind!r}"
            raise ValueError(msg)
        if not given and key in uses:
            msg = f"kind {doc.kind!r} needs {key}"
            raise ValueError(msg)
    if doc.kind == "daily":
        schedule = Schedule.daily(*doc.times)
    elif doc.kind == "weekly":
        schedule = Schedule.weekly(doc.days, *doc.times)
    elif doc.kind == "every":
        assert doc.n_days is not None
        schedule = Schedule.every(doc.n_days, *doc.times)
    elif doc.kind == "cycle":
        assert doc.on_days is not None
        assert doc.off_days is not None
        schedule = Schedule.cycle(doc.on_days, doc.off_days, *doc.times)
    else:
        assert doc.rule is not None
        schedule = Schedule.rrule(doc.rule, *doc.times)
    return schedule.shifted(doc.offset) if doc.offset else schedule


_RULES: Final[dict[str, tuple[Any, tuple[str, ...], tuple[str, ...]]]] = {
    "max-amount": (MaxAmount, ("substance", "amount"), ("per",)),
    "max-doses": (MaxDoses, ("substance", "count"), ("per",)),
    "min-interval": (MinInterval, ("substance", "interval"), ()),
    "max-consecutive-days": (MaxConsecutiveDays, ("substance", "days"), ()),
    "break-cadence": (BreakCadence, ("substance",), ("days", "every")),
    "rotation": (Rotation, ("substance",), ("max_days",)),
    "avoid-tag": (AvoidTags, ("tags",), ()),
}
_RULE_OPTIONS: Final = ("type", "severity", "day_start", "source")


def _rule(doc: RuleDoc) -> Any:
    if doc.type not in _RULES:
        msg = f"type must be one of {', '.join(_RULES)} (got {doc.type!r})"
        raise ValueError(msg)
    cls, positional, keywords = _RULES[doc.type]
    allowed = {*positional, *keywords, *_RULE_OPTIONS}
    for field in attrs.fields(RuleDoc):
        if field.name not in allowed and getattr(doc, field.name) is not None:
            msg = f"{field.name} does not apply to a {doc.type!r} rule"
            raise ValueError(msg)
    for name in (*positional, *keywords):
        if getattr(doc, name) is None:
            msg = f"a {doc.type!r} rule needs {name}"
            raise ValueError(msg)
    args = [getattr(doc, n) for n in positional]
    kwargs = {n: getattr(doc, n) for n in keywords}
    return cls(
        *args,
        **kwargs,
        severity=doc.severity,
        day_start=doc.day_start,
        source=doc.source,
    )


def _substances(b: _Builder, docs: list[SubstanceDoc]) -> dict[str, Substance]:
    out: dict[str, Substance] = {}
    for i, s in enumerate(docs):
        made = b.attempt(
            f"substances[{i}]",
            lambda s=s: Substance(  # type: ignore[misc]
                s.name,
                classes=s.classes,
                aliases=s.aliases,
                onset=s.onset,
                duration=s.duration,
                notes=s.notes,
                source=s.source,
            ),
        )
        b.register(out, f"substances[{i}]", s.name, made)
    return out


def _products(
    b: _Builder, docs: list[ProductDoc], substances: dict[str, Substance]
) -> dict[str, Product]:
    out: dict[str, Product] = {}
    for i, p in enumerate(docs):
        contents = {}
        for name, amount in p.contents.items():
            found = b.lookup(
                f"products[{i}].contents.{name}", name, substances, "substance"
            )
            if found is not None:
                contents[found] = amount
        if len(contents) != len(p.contents):
            b.broken.add(p.name.strip().casefold())
            continue
        made = b.attempt(
            f"products[{i}]",
            lambda p=p, contents=contents: Product(  # type: ignore[misc]
                p.name,
                contents=contents,
                per=p.per,
                variant=p.variant,
                form=p.form,
                tags=p.tags,
                equivalents=[tuple(pair) for pair in p.equivalents],
                lab_tested=p.lab_tested,
                notes=p.notes,
                source=p.source,
            ),
        )
        b.register(out, f"products[{i}]", p.name, made)
    return out


def _plan(b: _Builder, doc: PlanDoc, products: dict[str, Product]) -> Plan | None:
    entries: list[Entry | None] = []
    for i, e in enumerate(doc.entries):
        where = f"plan.entries[{i}]"
        product = b.lookup(f"{where}.dose.product", e.dose.product, products, "product")
        schedule = b.attempt(f"{where}.schedule", lambda e=e: _schedule(e.schedule))  # type: ignore[misc]
        if product is None or schedule is None:
            entries.append(None)
            continue
        dose = b.attempt(
            f"{where}.dose",
            lambda e=e, product=product: Dose(  # type: ignore[misc]
                product, e.dose.amount, meal=e.dose.meal, note=e.dose.note
            ),
        )
        entries.append(
            None
            if dose is None
            else b.attempt(
                where,
                lambda e=e, dose=dose, schedule=schedule: Entry(  # type: ignore[misc]
                    dose,
                    schedule,
                    start=e.start,
                    end=e.end,
                    as_needed=e.as_needed,
                    source=e.source,
                ),
            )
        )
    breaks = [
        b.attempt(
            f"plan.breaks[{i}]",
            lambda k=k: Break(k.start, k.end, substances=k.substances, reason=k.reason),  # type: ignore[misc]
        )
        for i, k in enumerate(doc.breaks)
    ]
    if any(x is None for x in entries) or any(x is None for x in breaks):
        return None
    return b.attempt(
        "plan",
        lambda: Plan(
            doc.name,
            timezone=doc.timezone,
            start=doc.start,
            end=doc.end,
            entries=[e for e in entries if e is not None],
            breaks=[k for k in breaks if k is not None],
        ),
    )


def _profile(
    b: _Builder,
    doc: ProfileDoc,
    interactions: list[Interaction],
    substances: dict[str, Substance],
) -> Profile | None:
    rules = [
        b.attempt(f"profile.rules[{i}]", lambda r=r: _rule(r))  # type: ignore[misc]
        for i, r in enumerate(doc.rules)
    ]
    medications: list[Substance | str] = [
        substances.get(m.strip().casefold(), m) for m in doc.medications
    ]
    return b.attempt(
        "profile",
        lambda: Profile(
            rules=[r for r in rules if r is not None],
            interactions=interactions,
            medications=medications,
            avoid_tags=doc.avoid_tags,
            day_start=doc.day_start,
        ),
    )


def _log(
    b: _Builder, docs: list[LogDoc], products: dict[str, Product], plan: Plan | None
) -> Timeline:
    events = []
    tz = zone(plan.timezone) if plan is not None else None
    for i, item in enumerate(docs):
        where = f"log[{i}]"
        product = b.lookup(
            f"{where}.dose.product", item.dose.product, products, "product"
        )
        at = item.at
        if item.timezone is not None:
            local = zone(item.timezone)
            at = at.replace(tzinfo=local) if at.tzinfo is None else at.astimezone(local)
        elif at.tzinfo is None:
            if tz is None:
                b.problems.append(
                    f"{where}.at: give a UTC offset (like 2027-01-03T08:30-05:00), or a plan "
                    "whose time zone applies"
                )
                continue
            at = at.replace(tzinfo=tz)
        if product is None:
            continue
        event = b.attempt(
            where,
            lambda at=at, product=product, item=item: DoseEvent(  # type: ignore[misc]
                at,
                Dose(
                    product, item.dose.amount, meal=item.dose.meal, note=item.dose.note
                ),
                as_needed=item.as_needed,
                note=item.note,
            ),
        )
        if event is not None:
            events.append(event)
    return Timeline(events)


def _build(doc: Document) -> Bundle:
    b = _Builder()
    if doc.version != 1:
        b.problems.append(
            f"version: this reader knows format version 1 (got {doc.version})"
        )
    substances = _substances(b, doc.substances)
    products = _products(b, doc.products, substances)
    interactions = [
        b.attempt(
            f"interactions[{i}]",
            lambda n=n: Interaction(  # type: ignore[misc]
                n.a,
                n.b,
                severity=n.severity,
                within=n.within,
                note=n.note,
                source=n.source,
            ),
        )
        for i, n in enumerate(doc.interactions)
    ]
    plan = None if doc.plan is None else _plan(b, doc.plan, products)
    profile = None
    if doc.profile is not None or doc.interactions:
        profile = _profile(
            b,
            doc.profile or ProfileDoc(),
            [n for n in interactions if n is not None],
            substances,
        )
    log = _log(b, doc.log, products, plan) if doc.log else None
    if b.problems:
        raise LoadError(b.problems)
    return Bundle(
        plan=plan,
        profile=profile,
        substances=tuple(substances.values()),
        products=tuple(products.values()),
        log=log,
    )


# -- public functions -----------------------------------------------------------

_CONVERTER: list[cattrs.Converter] = []


def _conv() -> cattrs.Converter:
    if not _CONVERTER:
        _CONVERTER.append(_converter())
    return _CONVERTER[0]


def loads(text: str | bytes, *, format: str = "toml") -> Bundle:
    """Read text into a Bundle; see :func:`regimen.loads`."""
    data = _parse(text, format)
    if not isinstance(data, dict):
        raise LoadError(
            [f"(top level): expected a table of sections (got {type(data).__name__})"]
        )
    problems = _check_shape(data)
    if problems:
        raise LoadError(problems)
    try:
        doc = _conv().structure(data, Document)
    except cattrs.BaseValidationError as exc:
        messages = cattrs.transform_error(exc, path="$", format_exception=_message)
        raise LoadError([_path(m) for m in messages]) from None
    return _build(doc)


def load(path: str | os.PathLike[str]) -> Bundle:
    """Read a file into a Bundle; see :func:`regimen.load`."""
    where = Path(path)
    try:
        size = where.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(
                [
                    f"{where}: {size} bytes is over the {MAX_BYTES}-byte limit for a plan file"
                ]
            )
        raw = where.read_bytes()
    except OSError as exc:
        raise LoadError(
            [f"{where}: cannot read the file ({exc.strerror or exc})"]
        ) from None
    return loads(raw, format="json" if where.suffix.lower() == ".json" else "toml")


# -- writing ----------------------------------------------------------------------


def _drop_defaults(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in data.items()
        if v is not None and v not in ("", []) and v is not False
    }


def _time_text(t: time) -> str:
    if t.microsecond:
        return t.isoformat()
    return t.isoformat("seconds" if t.second else "minutes")


def _plain(value: Any) -> Any:
    if isinstance(value, Quantity):
        return str(value)
    if isinstance(value, timedelta):
        return duration(value)
    if isinstance(value, time):
        return _time_text(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Severity):
        return value.label
    return value


def _substance_dict(s: Substance) -> dict[str, Any]:
    return _drop_defaults(
        {
            "name": s.name,
            "classes": sorted(s.classes),
            "aliases": list(s.aliases),
            "onset": _plain(s.onset),
            "duration": _plain(s.duration),
            "notes": s.notes,
            "source": s.source,
        }
    )


def _product_dict(p: Product) -> dict[str, Any]:
    out = _drop_defaults(
        {
            "name": p.name,
            "variant": p.variant,
            "form": p.form,
            "per": str(p.per),
            "contents": {s.name: str(q) for s, q in p.contents.items()},
            "equivalents": [[str(a), str(b)] for a, b in p.equivalents],
            "tags": sorted(p.tags),
            "lab_tested": p.lab_tested,
            "notes": p.notes,
            "source": p.source,
        }
    )
    if p.lab_tested is False:
        out["lab_tested"] = False
    return out


def _schedule_dict(s: Schedule) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": s.kind.value}
    if s.kind is _Kind.WEEKLY:
        data["days"] = [d.value for d in sorted(s.days, key=lambda d: d.index)]
    elif s.kind is _Kind.EVERY:
        data["n_days"] = s.interval
    elif s.kind is _Kind.CYCLE:
        data["on_days"], data["off_days"] = s.on_days, s.off_days
    elif s.kind is _Kind.RRULE:
        assert s.rule is not None
        data["rule"] = s.rule.text
    data["times"] = [_time_text(t) for t in s.times]
    if s.offset:
        data["offset"] = duration(s.offset)
    return data


def _dose_dict(dose: Dose) -> dict[str, Any]:
    return _drop_defaults(
        {
            "product": dose.product.name,
            "amount": str(dose.amount),
            "meal": None if dose.meal is None else dose.meal.value,
            "note": dose.note,
        }
    )


def _plan_dict(plan: Plan) -> dict[str, Any]:
    entries = [
        _drop_defaults(
            {
                "dose": _dose_dict(e.dose),
                "start": e.start,
                "end": e.end,
                "as_needed": e.as_needed,
                "source": e.source,
                "schedule": _schedule_dict(e.schedule),
            }
        )
        for e in plan.entries
    ]
    breaks = [
        _drop_defaults(
            {
                "start": k.start,
                "end": k.end,
                "substances": None if k.substances is None else list(k.substances),
                "reason": k.reason,
            }
        )
        for k in plan.breaks
    ]
    return _drop_defaults(
        {
            "name": plan.name,
            "timezone": plan.timezone,
            "start": plan.start,
            "end": plan.end,
            "entries": entries,
            "breaks": breaks,
        }
    )


def _rule_dict(rule: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": rule.code}
    shared = ("severity", "day_start", "source")
    fields = attrs.fields(type(rule))
    for field in [
        *(f for f in fields if f.name not in shared),
        *(f for f in fields if f.name in shared),
    ]:
        if field.init:
            value = getattr(rule, field.name)
            if field.name == "severity" and value is Severity.ERROR:
                continue
            data[field.name] = _plain(value)
    return _drop_defaults(data)


def _interaction_dict(n: Interaction) -> dict[str, Any]:
    return _drop_defaults(
        {
            "a": n.a,
            "b": n.b,
            "severity": n.severity.label,
            "within": duration(n.within),
            "note": n.note,
            "source": n.source,
        }
    )


def _profile_dict(p: Profile) -> dict[str, Any]:
    return _drop_defaults(
        {
            "day_start": None if p.day_start == time(0) else _time_text(p.day_start),
            "medications": [
                m.name if isinstance(m, Substance) else m for m in p.medications
            ],
            "avoid_tags": sorted(p.avoid_tags),
            "rules": [_rule_dict(r) for r in p.rules],
        }
    )


def _unstructure(bundle: Bundle) -> dict[str, Any]:
    substances: dict[Substance, None] = dict.fromkeys(bundle.substances)
    products: dict[Product, None] = dict.fromkeys(bundle.products)
    for entry in bundle.plan.entries if bundle.plan else ():
        products.setdefault(entry.dose.product)
    for event in bundle.log or ():
        products.setdefault(event.product)
    for product in products:
        for substance in product.contents:
            substances.setdefault(substance)
    for med in bundle.profile.medications if bundle.profile else ():
        if isinstance(med, Substance):
            substances.setdefault(med)
    out: dict[str, Any] = {"version": 1}
    out["substances"] = [_substance_dict(s) for s in substances]
    out["products"] = [_product_dict(p) for p in products]
    if bundle.profile and bundle.profile.interactions:
        out["interactions"] = [
            _interaction_dict(n) for n in bundle.profile.interactions
        ]
    if bundle.plan is not None:
        out["plan"] = _plan_dict(bundle.plan)
    if bundle.profile is not None:
        out["profile"] = _profile_dict(bundle.profile)
    if bundle.log is not None and len(bundle.log):
        out["log"] = [
            _drop_defaults(
                {
                    "at": e.at.isoformat(),
                    "timezone": getattr(e.at.tzinfo, "key", None),
                    "dose": _dose_dict(e.dose),
                    "note": e.note,
                    "as_needed": e.as_needed,
                }
            )
            for e in bundle.log
        ]
    return _drop_defaults(out)


def dumps(bundle: Bundle, *, format: str = "toml") -> str:
    """Write a Bundle as text; see :func:`regimen.dumps`."""
    if not isinstance(bundle, Bundle):
        msg = f"dumps() writes a Bundle (got {bundle!r})"
        raise TypeError(msg)
    builtin = {entry[0] for entry in _RULES.values()}
    for rule in bundle.profile.rules if bundle.profile else ():
        if type(rule) not in builtin:
            msg = (
                f"cannot write the rule {rule!r}: only built-in rules have a file form"
            )
            raise ValueError(msg)
    data = _unstructure(bundle)
    if format == "json":
        return (
            json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
        )
    if format == "toml":
        return "".join(_toml(data)).lstrip("\n")
    msg = f"format must be 'toml' or 'json' (got {format!r})"
    raise ValueError(msg)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    msg = f"cannot write {value!r}"  # pragma: no cover - only dates reach here
    raise TypeError(msg)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()
        )
        return "{ " + inner + " }"
    msg = f"cannot write {value!r} as TOML"  # pragma: no cover - the format has no other types
    raise TypeError(msg)


def _toml_key(key: str) -> str:
    if key and key.isascii() and all(c.isalnum() or c in "-_" for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)


#: Keys whose tables are written inline (they read better on one line).
_INLINE: Final = frozenset({"contents", "dose", "schedule"})


def _toml(data: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Write tables as a person would: plain keys first, then sub-tables in order."""

    def is_table(key: str, value: Any) -> bool:
        return isinstance(value, dict) and key not in _INLINE

    def is_array(value: Any) -> bool:
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(x, dict) for x in value)
        )

    for key, value in data.items():
        if not is_table(key, value) and not is_array(value):
            yield f"{_toml_key(key)} = {_toml_value(value)}\n"
    for key, value in data.items():
        name = f"{prefix}{_toml_key(key)}"
        if is_table(key, value):
            only_tables = value and all(
                is_table(k, v) or is_array(v) for k, v in value.items()
            )
            if not only_tables:  # an empty table is written too: it is there
                yield f"\n[{name}]\n"
            yield from _toml(value, name + ".")
        elif is_array(value):
            for item in value:
                yield f"\n[[{name}]]\n"
                yield from _toml(item, name + ".")
