"""Turning documents into domain objects, resolving names, every problem with its path."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from .._bundle import Bundle
from .._dose import Dose
from .._errors import LoadError
from .._interaction import Interaction
from .._kinetics import Kinetics
from .._plan import Break, Entry, Plan
from .._product import Product
from .._profile import Profile
from .._rrule import RecurrenceRule
from .._schedule import KIND_KEYS, Schedule, _Kind
from .._stay import Stay, check_clock
from .._substance import Substance
from .._terms import close_matches, known_terms
from .._timeline import DoseEvent, Timeline
from .._timezone import zone
from ._docs import (
    RULE_OPTIONS,
    RULES,
    BreakDoc,
    Document,
    KineticsDoc,
    LogDoc,
    PlanDoc,
    ProductDoc,
    ProfileDoc,
    RuleDoc,
    ScheduleDoc,
    SubstanceDoc,
    term_problems,
)

__all__ = ["build"]

T = TypeVar("T")


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
        close = close_matches(name.strip().casefold(), names, n=1)
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
    uses = KIND_KEYS[doc.kind]
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


def _break(b: _Builder, where: str, doc: BreakDoc) -> Break | None:
    """Build a plan's break; a bad rule or cycle is reported at its own key."""
    rule = None
    if doc.rule is not None:
        rule = b.attempt(f"{where}.rule", lambda: RecurrenceRule.parse(doc.rule or ""))
        if rule is None:
            return None
    for key in ("on_days", "off_days"):
        value = getattr(doc, key)
        if value is not None and value < 1:
            b.problems.append(f"{where}.{key}: must be at least 1 day (got {value})")
            return None
    if doc.end is None and not (
        doc.weekdays or doc.rule or doc.on_days or doc.off_days
    ):
        b.problems.append(
            f"{where}.end: missing; a one-off break needs its last day "
            "(a break that repeats by weekdays, rule or on_days/off_days may leave it out)"
        )
        return None
    return b.attempt(
        where,
        lambda: Break(
            doc.start,
            doc.end,
            substances=doc.substances,
            reason=doc.reason,
            weekdays=doc.weekdays,
            rule=rule,
            on_days=doc.on_days or 0,
            off_days=doc.off_days or 0,
        ),
    )


def _rule(doc: RuleDoc) -> Any:
    if doc.type not in RULES:
        msg = f"type must be one of {', '.join(RULES)} (got {doc.type!r})"
        raise ValueError(msg)
    cls, positional, keywords = RULES[doc.type]
    allowed = {*positional, *keywords, *RULE_OPTIONS}
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
                kinetics=None if s.kinetics is None else kinetics(s.kinetics),
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
        clock = b.attempt(
            f"{where}.clock", partial(check_clock, e.clock, field="clock")
        )
        if product is None or schedule is None or clock is None:
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
                lambda e=e, dose=dose, schedule=schedule, clock=clock: Entry(  # type: ignore[misc]
                    dose,
                    schedule,
                    start=e.start,
                    end=e.end,
                    as_needed=e.as_needed,
                    source=e.source,
                    clock=clock,
                ),
            )
        )
    breaks = [_break(b, f"plan.breaks[{i}]", k) for i, k in enumerate(doc.breaks)]
    stays = [
        b.attempt(
            f"plan.stays[{i}]",
            lambda k=k: Stay(k.start, k.end, k.timezone, name=k.name),  # type: ignore[misc]
        )
        for i, k in enumerate(doc.stays)
    ]
    if any(x is None for x in (*entries, *breaks, *stays)):
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
            stays=[k for k in stays if k is not None],
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


def _check_terms(b: _Builder, doc: Document, substances: dict[str, Substance]) -> None:
    """Report each substance term of a rule or break that names nothing known.

    Known are the file's substances (names, aliases, classes) and the
    profile's medications. Interaction notes and avoided tags are exempt (a
    note about alcohol is there for the day alcohol is logged). A file that
    knows no substance at all (a profile on its own) has nothing to check
    against, and a term is not checked when a substance's definition
    failed: that problem is reported already.
    """
    medications = doc.profile.medications if doc.profile is not None else []
    known = known_terms(substances.values()) | {
        m.strip().casefold() for m in medications
    }
    failed = any(s.name.strip().casefold() not in substances for s in doc.substances)
    if failed:
        return
    terms: list[tuple[str, str]] = []
    for i, k in enumerate(doc.plan.breaks if doc.plan is not None else []):
        terms.extend(
            (f"plan.breaks[{i}].substances[{j}]", t)
            for j, t in enumerate(k.substances or [])
        )
    for i, r in enumerate(doc.profile.rules if doc.profile is not None else []):
        if r.substance is not None:
            terms.append((f"profile.rules[{i}].substance", r.substance))
    b.problems.extend(term_problems(terms, known))


def build(doc: Document) -> Bundle:
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
    _check_terms(b, doc, substances)
    if b.problems:
        raise LoadError(b.problems)
    return Bundle(
        plan=plan,
        profile=profile,
        substances=tuple(substances.values()),
        products=tuple(products.values()),
        log=log,
    )
