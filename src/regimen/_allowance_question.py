"""What :func:`~regimen.allowance` is asked: the substance, the dose's form, what is checked.

Resolving the question once (the substance a name stands for, the rules'
terms, the product or the substance a dose is of, the log merged with the
plan's doses to come), so that :mod:`regimen._allowance` only answers it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from ._allowance_search import Asked, memo, moment_of
from ._finding import Rule
from ._limits import MAX_DATE, MIN_DATE
from ._plan import Plan
from ._product import Product
from ._profile import Profile
from ._quantity import Quantity
from ._rules import MaxAmount
from ._substance import Substance
from ._terms import known_terms, nearest, unknown_term_message
from ._timeline import Timeline
from ._timezone import utc_us
from ._units import Unit
from ._validate import profile_rules

__all__ = ["ask", "checked_timeline"]


def _known(
    log: Timeline, plan: Plan | None, product: Product | None, profile: Profile
) -> tuple[list[Substance], set[str]]:
    """Return the substances at hand (log, plan, product, medications) and their terms."""
    store = memo(log)
    cached = store.get("substances")
    if not isinstance(cached, tuple):
        cached = store["substances"] = log.substances
    substances = list(cached)
    if plan is not None:
        substances += plan.substances
    if product is not None:
        substances += product.substances
    substances += profile.medications
    return substances, set(known_terms(substances))


def _substance(
    substance: Substance | str, substances: list[Substance], terms: set[str]
) -> Substance:
    """Resolve the substance asked about; an unknown name is a ValueError."""
    if isinstance(substance, Substance):
        return substance
    if not isinstance(substance, str) or not substance.strip():
        msg = f"allowance() needs a Substance or a substance name (got {substance!r})"
        raise TypeError(msg)
    folded = substance.strip().casefold()
    for known in substances:
        if known.name.casefold() == folded:
            return known
    for known in substances:
        if known.matches(folded):
            return known
    if folded in terms:  # a medication given by name only
        return Substance(substance.strip())
    msg = f"allowance() substance: {unknown_term_message(substance, terms)}"
    if not nearest(folded, terms):  # not a typo: perhaps not logged yet
        msg += " (pass the Substance itself to ask about one the log does not hold)"
    raise ValueError(msg)


def _check_rule_terms(
    rules: Iterable[Rule], target: Substance, terms: set[str]
) -> None:
    """Refuse a rule whose term matches nothing known but looks like the target.

    A rule naming a substance absent from the log (kefir limits in a log of
    kratom) is fine; one whose term is close to a name, alias or class of
    the substance asked about is a typo that would silently drop a limit.
    """
    own = target._terms
    for rule in rules:
        term = getattr(rule, "substance", None)
        if not isinstance(term, str):
            continue
        folded = term.strip().casefold()
        if folded in terms or folded in own or not nearest(folded, own):
            continue
        message = unknown_term_message(term, terms | own)
        msg = f"{type(rule).__name__} in the profile: {message}"
        raise ValueError(msg)


def checked_timeline(
    log: Timeline, plan: Plan | None, at: datetime, until: int, tz: tzinfo
) -> tuple[Timeline, tuple[int, int]]:
    """Return the timeline checked and its covered days (ordinals, inclusive).

    With a plan, the merged timeline only changes when *at* passes a
    planned dose (or the horizon a day), so it is kept for the log and
    reused until then: its checks are then kept too.
    """
    t0 = utc_us(at)
    first = at.astimezone(tz).date()
    last = moment_of(until, tz).date()
    store = memo(log)
    days = store.get("days")
    if not isinstance(days, tuple):  # a log without start/end: found by a scan
        days = store["days"] = (log.first_day, log.last_day)
    log_first, log_last = days
    p0 = min(first, log_first) if log_first is not None else first
    p1 = max(last, log_last) if log_last is not None else last
    period = (p0.toordinal(), p1.toordinal())
    if plan is None or (plan.end is not None and plan.end < first):
        # The log itself, so that its checks are kept between calls; the
        # covered days are passed on to the rules that need them.
        return log, period
    if plan.stays:  # a planned date can be up to two dates off in another zone
        first = max(first - timedelta(days=2), MIN_DATE)
        last = min(last + timedelta(days=2), MAX_DATE)
    lo = max(plan.start, first)
    hi = last if plan.end is None else min(plan.end, last)
    if lo > hi:
        return log, period
    key = ("planned", id(plan), lo, hi)
    hit = store.get(key)
    if not (isinstance(hit, tuple) and hit[0] is plan):
        planned = tuple(e for e in plan.timeline(lo, hi) if not e.as_needed)
        hit = store[key] = (plan, planned, [e.timestamp_us for e in planned], {})
    _, planned, times, merged = hit
    assert isinstance(planned, tuple)
    assert isinstance(merged, dict)
    i = bisect.bisect_right(times, t0)  # the planned doses after *at*
    timeline = merged.get((i, period))
    if timeline is None:
        merged.clear()  # one merged timeline per plan window is enough
        timeline = merged[(i, period)] = Timeline(
            log.events + planned[i:], start=p0, end=p1
        )
    return timeline, period


def _dose_form(
    target: Substance, product: Product | None, profile: Profile
) -> tuple[Product, Unit]:
    """Return the product a dose is of, and the unit of its amounts."""
    if product is not None:
        if not any(s is target or s == target for s in product.contents) and not any(
            s.matches(target.name) for s in product.contents
        ):
            msg = (
                f"allowance() product: {product.name!r} does not contain "
                f"{target.name}; pass a product that does, or none"
            )
            raise ValueError(msg)
        return product, product.per.unit
    unit = next(
        (
            r.amount.unit
            for r in profile.rules
            if isinstance(r, MaxAmount) and target.matches(r.substance)
        ),
        Unit("g"),
    )
    one = Quantity(1, unit)
    return Product(target.name, contents={target: one}, per=one), unit


def ask(  # noqa: PLR0917 - the parts of the question, once checked
    log: Timeline,
    profile: Profile,
    substance: Substance | str,
    plan: Plan | None,
    product: Product | None,
    timeline: Timeline,
    tz: tzinfo,
    period: tuple[int, int],
) -> Asked:
    """Resolve the substance, check the rules' terms and build every check."""
    substances, terms = _known(log, plan, product, profile)
    target = _substance(substance, substances, terms)
    _check_rule_terms(profile.rules, target, terms)
    form, unit = _dose_form(target, product, profile)
    rules: list[Rule] = [*profile_rules(profile), *profile.interactions]
    if plan is not None:
        rules += plan.breaks
    return Asked(
        timeline=timeline,
        rules=rules,
        target=target,
        product=form,
        unit=unit,
        own_product=product is not None,
        tz=tz,
        period=period,
        day_start=profile.day_start,
        medications=profile.medications,
    )
