"""Checking a plan or a log: :func:`validate` and the always-on checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

import attrs

from . import _format
from ._errors import ExpansionError
from ._finding import Finding, Rule, Severity
from ._limits import MAX_FINDINGS, MAX_VALIDATION_WORK
from ._plan import Plan, parse_date
from ._profile import Profile
from ._ranges import any_range, at_low_end
from ._report import Report
from ._rules import AvoidTags, BuiltinRule, gaps
from ._rules_classes import dose_class_findings
from ._series import Context
from ._terms import known_terms, nearest, unknown_term_message
from ._timeline import Timeline

__all__ = [
    "always_on",
    "checked",
    "profile_rules",
    "term_findings",
    "validate",
    "window",
]

_AS_NEEDED = " (if all as-needed doses are taken)"
_UPPER_END = " (if the upper end of each range is taken)"


def window(
    subject: Plan | Timeline, start: date | str | None, end: date | str | None
) -> Timeline:
    """Return the timeline of *subject* between *start* and *end* (inclusive dates)."""
    first = None if start is None else parse_date(start, field="start")
    last = None if end is None else parse_date(end, field="end")
    if isinstance(subject, Plan):
        return subject.timeline(first, last)
    if isinstance(subject, Timeline):
        if first is None and last is None:
            return subject
        return subject._within(first, last)
    msg = f"validate() checks a Plan or a Timeline (got {subject!r})"
    raise TypeError(msg)


def _early_redose(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for substance in ctx.timeline.substances:
        if substance.onset is None:
            continue
        series = ctx.series(substance.name)
        # Only events of this very substance (a name can be shared by classes).
        found = gaps(
            substance.name,
            None,
            ctx,
            series,
            substance.onset,
            "early-redose",
            Severity.WARNING,
            what="its onset is",
        )
        findings.extend(found)
    return findings


def _untested(ctx: Context) -> list[Finding]:
    seen: set[str] = set()
    findings = []
    for event in ctx.timeline._first_of_kinds():  # each product's first dose among them
        product = event.product
        if product.lab_tested is False and product.name not in seen:
            seen.add(product.name)
            findings.append(
                Finding(
                    "untested-product",
                    Severity.WARNING,
                    f"{product.name} is recorded as not lab tested (first taken "
                    f"{_format.moment(event.at)})",
                    at=event.at,
                    events=(event,),
                    key=product.name,
                )
            )
    return findings


def always_on(ctx: Context) -> list[Finding]:
    """Return the findings of the checks always made: ``early-redose``, ``untested-product``, ``dose-class``."""
    return [*_early_redose(ctx), *_untested(ctx), *dose_class_findings(ctx)]


def profile_rules(profile: Profile) -> list[Rule]:
    """Return the profile's rules, its avoided tags as one more (built once per call).

    A built-in rule equal to one before it is left out: it would repeat its
    findings.
    """
    seen: set[BuiltinRule] = set()
    rules: list[Rule] = []
    for rule in profile.rules:
        if isinstance(rule, BuiltinRule):
            if rule in seen:
                continue
            seen.add(rule)
        rules.append(rule)
    if profile.avoid_tags:
        rules.append(AvoidTags(profile.avoid_tags))
    return rules


def _budget(timeline: Timeline, profile: Profile, rules: list[Rule]) -> None:
    """Refuse a validation whose work has no useful bound, before doing any."""
    checks = len(rules) + len(profile.interactions)
    work = checks * len(timeline)
    if work > MAX_VALIDATION_WORK:
        msg = (
            f"validation would weigh {checks} rules and notes against "
            f"{len(timeline)} dose events ({work} pairs; at most "
            f"{MAX_VALIDATION_WORK}); check a shorter window (start/end, or "
            "--from/--days) or use fewer rules"
        )
        raise ExpansionError(msg)


def _too_many(findings: list[Finding]) -> None:
    if len(findings) > MAX_FINDINGS:
        msg = (
            f"validation stopped after {len(findings)} findings (at most "
            f"{MAX_FINDINGS}); check a shorter window (start/end, or "
            "--from/--days)"
        )
        raise ExpansionError(msg)


def _run(timeline: Timeline, profile: Profile, rules: list[Rule]) -> list[Finding]:
    _budget(timeline, profile, rules)
    ctx = Context(timeline, profile.day_start)
    findings: list[Finding] = []
    for rule in rules:
        _too_many(findings)
        if isinstance(rule, BuiltinRule):
            if rule.day_start is not None and rule.day_start != ctx.day_start:
                findings.extend(rule._check(Context(timeline, rule.day_start)))
            else:
                findings.extend(rule._check(ctx))
        else:
            findings.extend(_checked(rule, timeline))
    for interaction in profile.interactions:
        _too_many(findings)
        findings.extend(interaction._check(ctx, profile.medications))
    findings.extend(always_on(ctx))
    _too_many(findings)
    return findings


def _checked(rule: Rule, timeline: Timeline) -> Iterable[Finding]:
    result = rule.check(timeline)
    out = list(result)
    for i, item in enumerate(out):
        if not isinstance(item, Finding):
            msg = f"rule {rule!r} returned {item!r} at position {i}; check() must yield Findings"
            raise TypeError(msg)
    return out


def term_findings(subject: Plan | Timeline, profile: Profile) -> list[Finding]:
    """Report the substance terms that match nothing known to what is checked.

    Known are the substances of *subject* (every entry of a plan, every
    event of a log, whatever window is checked) and the profile's
    medications. A built-in rule's substance or a break's substances that
    match none of them is an ``unknown-term`` error (a typo there would
    silence a limit); an interaction note's term is an
    ``unmatched-note-term`` info (the note may be there for the day that
    substance is taken). Avoided tags are not substance terms.
    """
    known = known_terms([*subject.substances, *profile.medications])
    findings: list[Finding] = []

    def unknown(term: str, where: str, rule: Rule | None) -> None:
        if term.strip().casefold() not in known:
            message = f"{where}: {unknown_term_message(term, known)}"
            findings.append(
                Finding("unknown-term", Severity.ERROR, message, rule=rule, key=where)
            )

    for i, rule in enumerate(profile.rules):
        term = getattr(rule, "substance", None)
        if isinstance(rule, BuiltinRule) and isinstance(term, str):
            unknown(
                term, f"profile.rules[{i}] ({type(rule).__name__}) checks nothing", rule
            )
    if isinstance(subject, Plan):
        for i, pause in enumerate(subject.breaks):
            for term in pause.substances or ():
                unknown(term, f"plan.breaks[{i}] ({pause.describe()})", None)
    for i, note in enumerate(profile.interactions):
        for term in dict.fromkeys((note.a, note.b)):
            if term.strip().casefold() in known:
                continue
            close = nearest(term, known)
            hint = (
                "; did you mean " + " or ".join(repr(c) for c in close) + "?"
                if close
                else ""
            )
            where = f"interactions[{i}]"
            findings.append(
                Finding(
                    "unmatched-note-term",
                    Severity.INFO,
                    f"{where}: {term.strip()!r} matches no substance, alias or class checked "
                    f"here or among the medications, so the note cannot fire yet{hint}",
                    rule=note,
                    key=(where, term),
                )
            )
    return findings


def _key(finding: Finding) -> object:
    """Identify a finding across the runs with and without as-needed doses."""
    if finding.key is None:
        return (finding.code, id(finding.rule), finding.at, finding.message)
    return (finding.code, id(finding.rule), finding.key)


def validate(
    subject: Plan | Timeline,
    profile: Profile | None = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
) -> Report:
    """Check a plan (expanded between *start* and *end*) or a log against *profile*.

    Always on, even without a profile: ``early-redose`` (a substance taken
    again before its ``onset`` has passed) and ``untested-product``
    (products recorded as not lab tested), both warnings, and for a
    substance with :attr:`~regimen.Substance.dose_classes` a ``dose-class``
    info per amount in one dose and table: the class it falls in by every
    table, naming the table's source. When the subject
    has as-needed doses it is checked without them and with all of them; a
    finding that only the as-needed doses cause says so in its message and
    has ``as_needed_only=True``. Likewise, a plan or log with dose ranges
    (``"2-3 g"``) is checked at the upper end of each range (a dose's
    :attr:`~regimen.Dose.amount`) and at the lower end: a finding absent at
    the lower end says "(if the upper end of each range is taken)" and has
    ``upper_end_only=True``. Every substance term of a built-in rule or
    a break must name a substance of *subject* or a medication of the
    profile: one that does not is an ``unknown-term`` error naming the
    nearest known names (an interaction note's term that matches nothing is
    an ``unmatched-note-term`` info). A built-in rule listed more than
    once (equal rules) is checked once: its findings are not repeated. Raises
    :class:`~regimen.ExpansionError` for an open plan without *end*, and
    when the work has no useful bound: more than
    :data:`~regimen._limits.MAX_VALIDATION_WORK` (rule, event) pairs to
    weigh, or more than :data:`~regimen._limits.MAX_FINDINGS` findings.

    >>> from datetime import timedelta
    >>> from regimen import (Dose, Entry, MaxAmount, Plan, Product, Profile,
    ...                      Schedule, Substance)
    >>> kratom = Substance("kratom")
    >>> powder = Product("Maeng Da", contents={kratom: "1 g"}, per="1 g")
    >>> plan = Plan("p", timezone="America/New_York", start="2027-01-03", end="2027-01-03",
    ...             entries=[Entry(Dose(powder, "3.5 g"), Schedule.daily("08:00", "14:00", "20:00"))])
    >>> report = validate(plan, Profile(rules=[MaxAmount("kratom", "8 g", per=timedelta(hours=24))]))
    >>> report.ok, [f.message for f in report.findings]
    (False, ['10.5 g of kratom in the 24 h ending 2027-01-03 20:00 EST; limit 8 g'])
    """
    if profile is None:
        profile = Profile()
    _check_profile(profile)
    return checked(subject, window(subject, start, end), profile)


def _check_profile(profile: object) -> None:
    if not isinstance(profile, Profile):
        msg = f"validate() needs a Profile or None (got {profile!r})"
        raise TypeError(msg)


def checked(subject: Plan | Timeline, timeline: Timeline, profile: Profile) -> Report:
    """Validate *timeline*, already expanded or narrowed from *subject*.

    What :func:`validate` does once it has the timeline; for callers (like
    :func:`~regimen.summarize`) that need the timeline themselves, so the
    plan is expanded once and the report still sees the plan's breaks and
    substances.
    """
    _check_profile(profile)
    terms = term_findings(subject, profile)
    # One list of rule objects for every run: findings are matched by rule identity.
    rules = profile_rules(profile)
    findings = _with_as_needed(timeline, profile, rules)
    if any_range(timeline):
        low = _with_as_needed(at_low_end(timeline), profile, rules)
        findings = _marked(findings, low, _UPPER_END, "upper_end_only")
    return Report([*terms, *findings])


def _with_as_needed(
    timeline: Timeline, profile: Profile, rules: list[Rule]
) -> list[Finding]:
    """Run the rules with and without the as-needed doses; mark what only they cause."""
    full = _run(timeline, profile, rules)
    if not timeline._any_as_needed:
        return full
    base = _run(timeline.without_as_needed(), profile, rules)
    marked = _marked(full, base, _AS_NEEDED, "as_needed_only")
    full_keys = {_key(f) for f in full}
    return [*marked, *(f for f in base if _key(f) not in full_keys)]


def _marked(
    findings: list[Finding],
    base: list[Finding],
    suffix: str,
    flag: Literal["as_needed_only", "upper_end_only"],
) -> list[Finding]:
    """Return *findings*, those absent from *base* marked: *suffix* on the message, *flag* set.

    How validation tells the findings that only occur when something more
    is taken (every as-needed dose; the upper end of each range) from those
    that occur without it.
    """
    base_keys = {_key(f) for f in base}
    return [
        f
        if _key(f) in base_keys
        else attrs.evolve(
            f,
            message=f.message + suffix,
            as_needed_only=f.as_needed_only or flag == "as_needed_only",
            upper_end_only=f.upper_end_only or flag == "upper_end_only",
        )
        for f in findings
    ]
