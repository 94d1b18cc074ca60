"""Dose classes in validation: the always-on ``dose-class`` infos and :class:`DoseClassLimit`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

import attrs

from . import _format
from ._dose_classes import DoseClasses
from ._finding import Finding, Severity, trusted_finding
from ._quantity import Quantity
from ._rules_base import BuiltinRule, to_term
from ._series import Context
from ._substance import Substance
from ._validators import optional_text

if TYPE_CHECKING:
    from ._tables import RuleTable

__all__ = ["DoseClassLimit", "class_label", "dose_class_findings", "dose_label"]


def _said(amount: Quantity) -> str:
    return _format.amount(amount.amount, amount.unit)


def class_label(substance: Substance, amount: Quantity) -> str:
    """Return the classes of one dose's *amount* of *substance*, table by table.

    One table: its class (``"strong"``); several: each, with ``/`` between
    them in the substance's order (``"strong / common"``); ``"-"`` for a
    table the amount is below every class of, or does not convert to;
    ``""`` when the substance has no table.
    """
    labels = []
    for table in substance.dose_classes:
        if not amount.unit.converts_to(next(iter(table.thresholds.values())).unit):
            labels.append("-")
            continue
        labels.append(table.classify(amount) or "-")
    return " / ".join(labels) if any(x != "-" for x in labels) else ""


def dose_label(contents: Mapping[Substance, Quantity]) -> str:
    """Return the class column of a summary row: each classed substance's classes.

    One classed substance: its label (:func:`class_label`); several: each
    after its name (``"kratom: strong; caffeine: light"``).
    """
    parts = [(s.name, class_label(s, a)) for s, a in contents.items() if s.dose_classes]
    parts = [(n, x) for n, x in parts if x]
    if len(parts) == 1:
        return parts[0][1]
    return "; ".join(f"{n}: {x}" for n, x in parts)


def dose_class_findings(ctx: Context) -> list[Finding]:
    """Return the ``dose-class`` infos: each distinct amount of a classed substance, by every table.

    One finding per (substance, table, amount in one dose), at the first
    dose of that amount, saying how many doses have it.
    """
    timeline = ctx.timeline
    if not len(timeline) or not any(s.dose_classes for s in timeline.substances):
        return []
    index = timeline._idx
    kinds, doses = index.kinds, index.table.doses
    counts = Counter(index.kind)
    groups: dict[tuple[Substance, DoseClasses, Quantity], tuple[int, int]] = {}
    for k, position in index.firsts().items():  # in order of first appearance
        dose = doses[kinds[k].dose]
        for substance, amount in dose.contents.items():
            for table in substance.dose_classes:
                key = (substance, table, amount)
                first, n = groups.get(key, (position, 0))
                groups[key] = (min(first, position), n + counts[k])
    findings = []
    for (substance, table, amount), (first, n) in groups.items():
        unit = next(iter(table.thresholds.values())).unit
        if not amount.unit.converts_to(unit):
            continue
        name = table.classify(amount)
        if name is None:
            continue
        event = index.event(first)
        doses_text = f"{n} dose" + ("s" if n != 1 else "")
        findings.append(
            trusted_finding(
                "dose-class",
                Severity.INFO,
                f"{_said(amount)} of {substance.name} is {name!r} according to "
                f"{table.source} ({doses_text} of this amount, the first "
                f"{_format.moment(event.at)})",
                at=event.at,
                events=(event,),
                rule=None,
                key=("dose-class", substance.name, table.source, amount),
                measured=amount,
                limit=table.thresholds[name],
            )
        )
    findings.sort(key=lambda f: (f.events[0]._us, f.message))
    return findings


def _class_name(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = (
            f"DoseClassLimit.above must name a dose class like 'common' (got {value!r})"
        )
        raise ValueError(msg)
    return value.strip()


@attrs.frozen(cache_hash=True, repr=False)
class DoseClassLimit(BuiltinRule):
    """No dose of *substance* in a class above *above*, by one of its sourced tables.

    The table is the one of the substance's :attr:`~regimen.Substance.dose_classes`
    whose ``source`` is *according_to* (case-insensitive), else its first.
    A dose whose amount of the substance reaches the threshold of the next
    class up is a ``dose-class`` finding of the rule's severity (one per
    dose), stating the amount, its class, the table's source and the limit;
    a dose exactly at that threshold is in the next class, so it counts.
    *substance* is a name, alias or class (each matching substance is
    checked); a matching substance without tables, a table without the
    class *above*, or no table from *according_to* is reported once as a
    finding, so a typo does not silence the limit. :func:`~regimen.allowance` answers it by its
    definition (the largest dose that adds no error).

    >>> DoseClassLimit("kratom", above="common").to_table()
    {'type': 'dose-class', 'substance': 'kratom', 'above': 'common'}
    """

    code: ClassVar[str] = "dose-class"

    substance: str = attrs.field(converter=to_term)
    above: str = attrs.field(kw_only=True, converter=_class_name)
    according_to: str | None = attrs.field(
        default=None, kw_only=True, converter=optional_text
    )

    def _table(self) -> RuleTable:
        table: RuleTable = {
            "type": self.code,
            "substance": self.substance,
            "above": self.above,
        }
        if self.according_to is not None:
            table["according_to"] = self.according_to
        return table

    def _chosen(self, substance: Substance) -> DoseClasses | str:
        """Return the table this rule uses for *substance*, or why there is none."""
        if self.according_to is None:
            return substance.dose_classes[0]
        wanted = self.according_to.casefold()
        for table in substance.dose_classes:
            if table.source.casefold() == wanted:
                return table
        sources = "; ".join(repr(t.source) for t in substance.dose_classes)
        return (
            f"no dose-class table of {substance.name} comes from "
            f"{self.according_to!r} (its tables: {sources})"
        )

    def _check(self, ctx: Context) -> list[Finding]:
        timeline = ctx.timeline
        if not len(timeline):
            return []
        term = self.substance.casefold()
        problems: list[Finding] = []
        bounds: dict[Substance, tuple[DoseClasses, Quantity] | None] = {}
        for substance in timeline.substances:
            if not substance.matches(term):
                continue
            if not substance.dose_classes:
                problems.append(
                    Finding(
                        "dose-class",
                        self.severity,
                        f"{substance.name} has no dose-class tables, so this limit "
                        "checks nothing of it; give it DoseClasses",
                        rule=self,
                    )
                )
                continue
            chosen = self._chosen(substance)
            problem = chosen if isinstance(chosen, str) else None
            bound = None
            if isinstance(chosen, DoseClasses):
                names = [n.casefold() for n in chosen.names]
                if self.above.casefold() not in names:
                    problem = (
                        f"the dose classes of {substance.name} by {chosen.source} "
                        f"have no class {self.above!r} (they are "
                        f"{', '.join(repr(n) for n in chosen.names)})"
                    )
                else:
                    i = names.index(self.above.casefold())
                    if i + 1 < len(names):
                        bound = (chosen, chosen.thresholds[chosen.names[i + 1]])
            bounds[substance] = bound
            if problem is not None:
                problems.append(
                    Finding("dose-class", self.severity, problem, rule=self)
                )
        index = timeline._idx
        doses = index.table.doses
        broken: dict[int, tuple[str, Quantity, Quantity]] = {}
        for k, kind in enumerate(index.kinds):  # once per kind, not per event
            for substance, amount in doses[kind.dose].contents.items():
                found = bounds.get(substance)
                if found is None:
                    continue
                table, limit = found
                if not amount.unit.converts_to(limit.unit) or amount < limit:
                    continue
                broken[k] = (
                    f"{_said(amount)} of {substance.name} is "
                    f"{table.classify(amount)!r} according to {table.source}; "
                    f"limit: {self.above!r} at most (below {_said(limit)})",
                    amount,
                    limit,
                )
        findings = problems
        if broken:
            kind_of = index.kind
            positions = [i for i in range(len(index)) if kind_of[i] in broken]
            for i, event in zip(positions, index.events_at(positions), strict=True):
                message, amount, limit = broken[kind_of[i]]
                findings.append(
                    trusted_finding(
                        "dose-class",
                        self.severity,
                        message,
                        at=event.at,
                        events=(event,),
                        rule=self,
                        key=event._us,
                        measured=amount,
                        limit=limit,
                    )
                )
        return findings
