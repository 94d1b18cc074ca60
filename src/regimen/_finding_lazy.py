r"""Findings whose message, moment and events are worked out when first read.

A limit passed every day of a hundred years makes tens of thousands of
findings, and most callers read only a few of them whole (``report.ok``,
the counts, the first messages). :func:`lazy_finding` builds a
:class:`~regimen.Finding` that knows its code, severity, rule, key and
numbers at once, and its *message*, *at* and *events* from a callable run
on first read. It is a :class:`~regimen.Finding` in every way a caller can
tell: equal to and hashing like the plain finding with the same values,
the same ``repr``, and it pickles, copies and ``attrs.evolve``\\ s as one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final

from ._finding import Finding, Measure, Rule, Severity, trusted_finding
from ._timezone import utc_us

if TYPE_CHECKING:
    from ._timeline import DoseEvent

__all__ = ["NO_MOMENT", "Detail", "Maker", "Run", "lazy_finding", "sort_keys"]

#: What a lazy finding's maker returns: its message, moment and events.
Detail = tuple[str, "datetime | None", "tuple[DoseEvent, ...]"]
#: Works out a lazy finding's :data:`Detail` from the finding and its number.
Maker = Callable[[Finding, int], Detail]

_SLOTS: Final = {
    name: Finding.__dict__[name]
    for name in (
        "code",
        "severity",
        "message",
        "at",
        "events",
        "rule",
        "as_needed_only",
        "upper_end_only",
        "measured",
        "limit",
        "count_unit",
        "key",
    )
}
_MESSAGE: Final = _SLOTS["message"]
_AT: Final = _SLOTS["at"]
_EVENTS: Final = _SLOTS["events"]
_NEVER: Final = utc_us(datetime.min.replace(tzinfo=UTC)) - 1
#: The ``us`` of a lazy finding without a moment (its ``at`` is ``None``).
NO_MOMENT: Final = _NEVER


class Run:
    """What every lazy finding of one rule's run shares: its maker and fixed fields."""

    __slots__ = (
        "as_needed_only",
        "code",
        "count_unit",
        "fill",
        "limit",
        "rule",
        "severity",
        "upper_end_only",
    )

    def __init__(
        self,
        fill: Maker,
        *,
        code: str,
        severity: Severity,
        rule: Rule | None,
        limit: Measure | None = None,
        count_unit: str = "count",
    ) -> None:
        self.fill = fill
        self.code = code
        self.severity = severity
        self.rule = rule
        self.limit = limit
        self.count_unit = count_unit
        self.as_needed_only = False
        self.upper_end_only = False


def _filled(name: str, slot: Any) -> property:
    def get(self: _LazyFinding) -> Any:
        try:
            return slot.__get__(self, None)
        except AttributeError:
            message, at, events = self._run.fill(self, self._arg)
            _MESSAGE.__set__(self, message)
            _AT.__set__(self, at)
            _EVENTS.__set__(self, events)
            return slot.__get__(self, None)

    return property(get, doc=f"The finding's {name} (worked out when first read).")


def _shared(name: str) -> property:
    return property(attrgetter(f"_run.{name}"), doc=f"The finding's {name}.")


class _LazyFinding(Finding):
    """A :class:`~regimen.Finding` whose message, at and events are computed on first read."""

    __slots__ = ("_arg", "_run", "_sort", "_us")

    _run: Run
    _arg: int
    _us: int
    _sort: int

    message = _filled("message", _MESSAGE)
    at = _filled("at", _AT)
    events = _filled("events", _EVENTS)
    code = _shared("code")
    severity = _shared("severity")
    rule = _shared("rule")
    limit = _shared("limit")
    count_unit = _shared("count_unit")
    as_needed_only = _shared("as_needed_only")
    upper_end_only = _shared("upper_end_only")

    def __new__(cls, *args: Any, **kwargs: Any) -> Finding:  # type: ignore[misc]
        # attrs.evolve() calls the class: it gets a plain, checked Finding.
        return Finding(*args, **kwargs)

    def _plain(self) -> Finding:
        return trusted_finding(
            self.code,
            self.severity,
            self.message,
            at=self.at,
            events=self.events,
            rule=self.rule,
            key=self.key,
            measured=self.measured,
            limit=self.limit,
            count_unit=self.count_unit,
            as_needed_only=self.as_needed_only,
            upper_end_only=self.upper_end_only,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return Finding.__eq__(self._plain(), _plain(other))

    __hash__ = Finding.__hash__

    def __repr__(self) -> str:
        return repr(self._plain())

    def __reduce__(self) -> tuple[Any, ...]:
        plain = self._plain()
        return (_rebuilt, tuple(slot.__get__(plain, None) for slot in _SLOTS.values()))


_new = object.__new__
_set_run = _LazyFinding.__dict__["_run"].__set__
_set_arg = _LazyFinding.__dict__["_arg"].__set__
_set_us = _LazyFinding.__dict__["_us"].__set__
_set_sort = _LazyFinding.__dict__["_sort"].__set__
_set_key = _SLOTS["key"].__set__
_set_measured = _SLOTS["measured"].__set__


def _plain(finding: Finding) -> Finding:
    return finding._plain() if isinstance(finding, _LazyFinding) else finding


def _rebuilt(*values: object) -> Finding:
    finding = object.__new__(Finding)
    for slot, value in zip(_SLOTS.values(), values, strict=True):
        slot.__set__(finding, value)
    return finding


def lazy_finding(
    run: Run, arg: int, *, us: int, key: object, measured: Measure | None = None
) -> Finding:
    """Build a Finding of *run* whose message, at and events ``run.fill(finding, arg)`` gives.

    One :class:`Run` serves every finding of a rule's run (no closure per
    finding); *arg* is what its maker needs besides the finding's key and
    measure. *us* is the finding's moment in µs since the epoch (UTC),
    which orders reports without working it out. Like
    :func:`~regimen._finding.trusted_finding`, for built-in rules whose
    values are known to be valid.
    """
    finding = _new(_LazyFinding)
    _set_run(finding, run)
    _set_arg(finding, arg)
    _set_us(finding, us)
    _set_sort(finding, us * 4 + 3 - run.severity)
    _set_key(finding, key)
    _set_measured(finding, measured)
    return finding


def sort_keys(findings: list[Finding]) -> list[int]:
    """Return what orders each finding before code and message: instant, then severity.

    ``us * 4 + (3 - severity)`` (errors first at the same instant); findings
    without a moment come first. A lazy finding is ordered without being
    worked out.
    """
    lazy = _LazyFinding
    return [f._sort if type(f) is lazy else _sort_key(f) for f in findings]


def _sort_key(finding: Finding) -> int:
    at = finding.at
    us = _NEVER if at is None else utc_us(at)
    return us * 4 + 3 - finding.severity
