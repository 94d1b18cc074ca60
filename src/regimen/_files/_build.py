"""Turning documents into domain objects, resolving names, every problem with its path."""

from __future__ import annotations

from functools import partial

from .._bundle import Bundle
from .._dose import Dose
from .._dose_classes import DoseClasses
from .._errors import LoadError
from .._interaction import Interaction
from .._meals import MealTimes
from .._plan import Break, Entry, Plan
from .._product import Product
from .._profile import Profile
from .._rrule import RecurrenceRule
from .._stay import Stay, check_clock
from .._stock import Refill, StockCount
from .._substance import Substance
from .._terms import known_terms
from .._timeline import Timeline
from ._build_log import log as build_log
from ._build_parts import kinetics
from ._build_parts import rule as build_rule
from ._build_parts import schedule as build_schedule
from ._builder import Builder
from ._docs import (
    BreakDoc,
    Document,
    PlanDoc,
    ProductDoc,
    ProfileDoc,
    SubstanceDoc,
    term_problems,
)

__all__ = ["build"]


def _break(b: Builder, where: str, doc: BreakDoc) -> Break | None:
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


def _substances(b: Builder, docs: list[SubstanceDoc]) -> dict[str, Substance]:
    out: dict[str, Substance] = {}
    for i, s in enumerate(docs):
        tables = [
            b.attempt(
                f"substances[{i}].dose_classes[{j}]",
                lambda t=t: DoseClasses(source=t.source, thresholds=t.thresholds),  # type: ignore[misc]
            )
            for j, t in enumerate(s.dose_classes)
        ]
        if any(t is None for t in tables):
            b.broken.add(s.name.strip().casefold())
            continue
        made = b.attempt(
            f"substances[{i}]",
            lambda s=s, tables=tables: Substance(  # type: ignore[misc]
                s.name,
                classes=s.classes,
                aliases=s.aliases,
                onset=s.onset,
                duration=s.duration,
                notes=s.notes,
                source=s.source,
                dose_classes=tables,
                kinetics=None if s.kinetics is None else kinetics(s.kinetics),
            ),
        )
        b.register(out, f"substances[{i}]", s.name, made)
    return out


def _products(
    b: Builder, docs: list[ProductDoc], substances: dict[str, Substance]
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
                package=p.package,
                tags=p.tags,
                equivalents=[tuple(pair) for pair in p.equivalents],
                lab_tested=p.lab_tested,
                notes=p.notes,
                source=p.source,
            ),
        )
        b.register(out, f"products[{i}]", p.name, made)
    return out


def _plan(b: Builder, doc: PlanDoc, products: dict[str, Product]) -> Plan | None:
    entries: list[Entry | None] = []
    for i, e in enumerate(doc.entries):
        where = f"plan.entries[{i}]"
        product = b.lookup(f"{where}.dose.product", e.dose.product, products, "product")
        schedule = b.attempt(f"{where}.schedule", partial(build_schedule, e.schedule))
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
    meal_times = b.attempt("plan.meal_times", lambda: MealTimes.of(doc.meal_times))
    stays = [
        b.attempt(
            f"plan.stays[{i}]",
            lambda k=k: Stay(k.start, k.end, k.timezone, name=k.name),  # type: ignore[misc]
        )
        for i, k in enumerate(doc.stays)
    ]
    if any(x is None for x in (*entries, *breaks, *stays)) or meal_times is None:
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
            meal_times=meal_times,
        ),
    )


def _profile(
    b: Builder,
    doc: ProfileDoc,
    interactions: list[Interaction],
    substances: dict[str, Substance],
) -> Profile | None:
    rules = [
        b.attempt(f"profile.rules[{i}]", lambda r=r: build_rule(r))  # type: ignore[misc]
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


def _check_terms(b: Builder, doc: Document, substances: dict[str, Substance]) -> None:
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
    b = Builder()
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
    log: Timeline | None = None
    refills: list[Refill] = []
    counts: list[StockCount] = []
    if doc.log:
        log, refills, counts = build_log(b, doc.log, products, plan)
        if not len(log):
            log = None
    _check_terms(b, doc, substances)
    if b.problems:
        raise LoadError(b.problems)
    return Bundle(
        plan=plan,
        profile=profile,
        substances=tuple(substances.values()),
        products=tuple(products.values()),
        log=log,
        refills=refills,
        stock_counts=counts,
    )
