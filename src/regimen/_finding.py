"""What validation reports: :class:`Severity`, :class:`Finding` and the :class:`Rule` protocol."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import (
    TYPE_CHECKING,
    Final,
    Protocol,
    TypeAlias,
    cast,
    runtime_checkable,
)

import attrs

from . import _decimal
from ._quantity import Quantity
from ._timeline import DoseEvent, Timeline
from ._validators import instance_of

if TYPE_CHECKING:
    from ._tables import (
        EventDict,
        FindingDict,
        InteractionTable,
        MeasureDict,
        RuleTable,
        UserRuleTable,
    )

__all__ = [
    "CODES",
    "LISTED_EVENTS",
    "Finding",
    "Measure",
    "Rule",
    "Severity",
    "rule_table",
    "to_severity",
    "trusted_finding",
]

#: How many of a finding's doses its dict lists (the first, in time order).
LISTED_EVENTS: Final = 50

#: The stable codes built-in checks use.
CODES = frozenset(
    {
        "max-amount",
        "max-doses",
        "min-interval",
        "max-consecutive-days",
        "break-cadence",
        "rotation",
        "avoid-tag",
        "interaction",
        "early-redose",
        "untested-product",
        "unknown-term",
        "unmatched-note-term",
        "on-break",
        "dose-class",
        "max-exposure",
    }
)

#: What a finding's ``measured`` and ``limit`` hold: an amount, a count or a duration.
Measure: TypeAlias = Quantity | int | timedelta


class Severity(enum.IntEnum):
    """How serious a finding is; ordered ``INFO < WARNING < ERROR``.

    >>> Severity.ERROR > Severity.WARNING > Severity.INFO
    True
    >>> Severity.parse("warning")
    <Severity.WARNING: 2>
    """

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in files and dicts (``"error"``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: Severity | str) -> Severity:
        """Return the severity for a Severity or its name, any case."""
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            try:
                return cls[value.strip().upper()]
            except KeyError:
                pass
        msg = f"severity must be one of 'error', 'warning', 'info' (got {value!r})"
        raise ValueError(msg)


def to_severity(value: Severity | str) -> Severity:
    """Convert a Severity or its name to a Severity (an attrs converter)."""
    return Severity.parse(value)


@runtime_checkable
class Rule(Protocol):
    """What a rule is: anything with ``check(timeline)`` returning findings.

    The built-in rules and :class:`~regimen.Interaction` are rules; write
    your own and put it in ``Profile.rules`` beside the built-in ones. A
    rule may also have ``to_table()`` returning its plan-file table, which
    :meth:`Finding.to_dict` then uses.
    """

    def check(self, timeline: Timeline) -> Iterable[Finding]:
        """Yield the findings this rule makes about *timeline*."""
        ...


def _code(value: str) -> str:
    if (
        not isinstance(value, str)
        or not value
        or not all(
            (part.isalnum() and part.islower()) or part.isdigit()
            for part in value.split("-")
        )
    ):
        msg = f"Finding.code must be a kebab-case id like 'max-amount' (got {value!r})"
        raise ValueError(msg)
    return value


def _events(value: Iterable[DoseEvent]) -> tuple[DoseEvent, ...]:
    return value if type(value) is tuple else tuple(value)


def _rule(_inst: object, _attribute: object, value: Rule | None) -> None:
    if value is not None and not callable(getattr(value, "check", None)):
        msg = f"Finding.rule must be a rule (with check(timeline)) or None (got {value!r})"
        raise TypeError(msg)


def _measure(
    _inst: object, attribute: attrs.Attribute[Measure | None], value: Measure | None
) -> None:
    if value is None or isinstance(value, Quantity | timedelta):
        return
    if isinstance(value, int) and not isinstance(value, bool):
        return
    msg = (
        f"Finding.{attribute.name} must be a Quantity, an int, a timedelta or None "
        f"(got {value!r})"
    )
    raise TypeError(msg)


def _count_unit(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"Finding.count_unit must name what is counted, like 'doses' (got {value!r})"
        raise ValueError(msg)
    return value.strip()


@attrs.frozen(kw_only=True)
class Finding:
    """One fact validation found: a stable *code*, a *severity*, a *message*.

    *at* is when it happens (aware), *events* the dose events involved,
    *rule* the rule (or interaction) that produced it (``None`` for the
    always-on checks). *as_needed_only* is true when the finding only occurs
    if every as-needed dose is taken, *upper_end_only* when it only occurs
    if the upper end of each dose range is taken; the message then says so. *measured*
    and *limit* are the numbers the message states (a Quantity, a count or a
    timedelta), for programs that want them without parsing text;
    *count_unit* says what a count counts (``"doses"``, ``"days"``).

    >>> f = Finding("max-doses", "error", "3 doses of kratom on 2027-01-03; limit 2",
    ...             measured=3, limit=2, count_unit="doses")
    >>> f.to_dict()["measured"]
    {'value': 3, 'unit': 'doses'}
    """

    code: str = attrs.field(kw_only=False, converter=_code)
    severity: Severity = attrs.field(kw_only=False, converter=to_severity)
    message: str = attrs.field(kw_only=False, validator=instance_of(str))
    at: datetime | None = attrs.field(default=None)
    events: tuple[DoseEvent, ...] = attrs.field(default=(), converter=_events)
    rule: Rule | None = attrs.field(default=None, eq=False, validator=_rule)
    as_needed_only: bool = attrs.field(default=False)
    upper_end_only: bool = attrs.field(default=False)
    measured: Measure | None = attrs.field(default=None, validator=_measure)
    limit: Measure | None = attrs.field(default=None, validator=_measure)
    count_unit: str = attrs.field(default="count", converter=_count_unit)
    key: object = attrs.field(default=None, eq=False, repr=False)
    """What makes this finding the same one in another run of the same rule
    (a day number, a run's first day, ...); validation compares findings by
    code, rule and key to tell those only the as-needed doses (or the upper
    ends of dose ranges) cause."""

    def to_dict(self) -> FindingDict:
        """Return a JSON-ready dict (stable keys; see :class:`FindingDict`)."""
        return self._dict(({}, {}))

    def _dict(self, memo: tuple[dict[int, EventDict], dict[int, str]]) -> FindingDict:
        """:meth:`to_dict`, each event's dict and each dose's amount worked out once per *memo*.

        A report shares one *memo* among its findings: a dose listed in many
        findings is written once, and its dict is the same object in each
        (treat the result as read-only, or copy it).
        """
        seen, amounts = memo
        events: list[EventDict] = []
        listed, total = self._listed(LISTED_EVENTS)
        for e in listed:
            known = seen.get(id(e))
            if known is None:
                dose = e.dose
                amount = amounts.get(id(dose))
                if amount is None:
                    amount = amounts[id(dose)] = dose.amount_text
                known = seen[id(e)] = {
                    "at": e.at.isoformat(),
                    "product": dose.product.name,
                    "amount": amount,
                    "as_needed": e.as_needed,
                    "note": e.note,
                }
            events.append(known)
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "at": None if self.at is None else self.at.isoformat(),
            "as_needed_only": self.as_needed_only,
            "upper_end_only": self.upper_end_only,
            "rule": None if self.rule is None else rule_table(self.rule),
            "measured": self._measure(self.measured),
            "limit": self._measure(self.limit),
            "events": events,
            "events_total": total,
        }

    def _listed(self, count: int) -> tuple[tuple[DoseEvent, ...], int]:
        """Return the first *count* events, and how many there are."""
        return self.events[:count], len(self.events)

    def _measure(self, value: Measure | None) -> MeasureDict | None:
        if value is None:
            return None
        if isinstance(value, Quantity):
            return {"value": _text(value.amount), "unit": value.unit.value}
        if isinstance(value, timedelta):
            micro = value // timedelta(microseconds=1)
            return {
                "value": _text(Decimal(micro).scaleb(-6, _decimal.EXACT)),
                "unit": "s",
            }
        return {"value": value, "unit": self.count_unit}


def trusted_finding(
    code: str,
    severity: Severity,
    message: str,
    *,
    at: datetime | None,
    events: tuple[DoseEvent, ...],
    rule: Rule | None,
    key: object,
    measured: Measure | None = None,
    limit: Measure | None = None,
    count_unit: str = "count",
    as_needed_only: bool = False,
    upper_end_only: bool = False,
) -> Finding:
    """Build a Finding from values a built-in rule knows are valid, skipping the checks.

    For rules that make thousands of findings (a limit passed every day of
    ten years); the result is equal to ``Finding(...)`` with the same values.
    """
    finding = object.__new__(Finding)
    put = object.__setattr__
    put(finding, "code", code)
    put(finding, "severity", severity)
    put(finding, "message", message)
    put(finding, "at", at)
    put(finding, "events", events)
    put(finding, "rule", rule)
    put(finding, "as_needed_only", as_needed_only)
    put(finding, "upper_end_only", upper_end_only)
    put(finding, "measured", measured)
    put(finding, "limit", limit)
    put(finding, "count_unit", count_unit)
    put(finding, "key", key)
    return finding


def _text(value: Decimal) -> str:
    return f"{_decimal.trim(value):f}"


def rule_table(rule: Rule) -> RuleTable | InteractionTable | UserRuleTable:
    """Return *rule* as it stands in a plan file, or its class name and repr.

    Built-in rules and interaction notes have ``to_table()``; so may a rule
    of your own. Anything else becomes ``{"type": <class name>, "repr": ...}``.
    """
    to_table = getattr(rule, "to_table", None)
    if callable(to_table):
        return cast("RuleTable | InteractionTable", to_table())
    return {"type": type(rule).__name__, "repr": repr(rule)}
