"""The result of validation: :class:`Report`, and :class:`PlanViolationError`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import RegimenError
from ._finding import Finding, Severity
from ._finding_lazy import sort_keys

if TYPE_CHECKING:
    from ._tables import EventDict, FindingDict, ReportDict

__all__ = ["PlanViolationError", "Report"]


def _sorted(value: Iterable[Finding]) -> tuple[Finding, ...]:
    """Order by instant (UTC), severity (errors first), code, then message.

    Codes and messages are compared only between findings equal in the
    rest, so a finding whose message is worked out when read is not worked
    out here.
    """
    items = list(value)
    return tuple(_by(items, sort_keys(items), _by_code))


def _by_code(findings: list[Finding]) -> list[Finding]:
    return _by(findings, [f.code for f in findings], _by_message)


def _by_message(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=attrgetter("message"))


def _by(
    items: list[Finding],
    keys: Sequence[Any],
    ties: Callable[[list[Finding]], list[Finding]],
) -> list[Finding]:
    """Sort *items* stably by their *keys*; runs of equal keys are put in order by *ties*."""
    order = sorted(range(len(items)), key=keys.__getitem__)
    out = [items[k] for k in order]
    if len(set(keys)) == len(keys):  # no ties to put in order
        return out
    i, n = 0, len(order)
    while i < n:
        j = i + 1
        first = keys[order[i]]
        while j < n and keys[order[j]] == first:
            j += 1
        if j - i > 1:
            out[i:j] = ties(out[i:j])
        i = j
    return out


@attrs.frozen
class Report:
    """What validation found, findings sorted by time (then severity).

    ``report.ok`` is true when no finding is an error;
    :meth:`raise_for_errors` turns errors into a
    :class:`~regimen.PlanViolationError`.

    >>> Report([Finding("untested-product", "warning", "not lab tested")]).to_dict()["counts"]
    {'error': 0, 'warning': 1, 'info': 0}
    """

    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_sorted)

    @property
    def ok(self) -> bool:
        """True when no finding has severity ERROR."""
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings with severity ERROR."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings with severity WARNING."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """Findings with severity INFO."""
        return tuple(f for f in self.findings if f.severity is Severity.INFO)

    def codes(self) -> set[str]:
        """Return the set of codes present (handy in tests and filters)."""
        return {f.code for f in self.findings}

    def raise_for_errors(self) -> None:
        """Raise :class:`~regimen.PlanViolationError` if there is any error."""
        if self.errors:
            raise PlanViolationError(self)

    def to_dict(self) -> ReportDict:
        """Return a JSON-ready dict: ``ok``, counts and ``findings`` (see :class:`ReportDict`).

        A dose listed in several findings has one dict, shared by them: treat
        the result as read-only (or copy it).
        """
        return {
            "ok": self.ok,
            "counts": {
                "error": len(self.errors),
                "warning": len(self.warnings),
                "info": len(self.infos),
            },
            "findings": _finding_dicts(self.findings),
        }


def _finding_dicts(findings: tuple[Finding, ...]) -> list[FindingDict]:
    """Each finding's dict; a dose listed in several findings is written once, then shared.

    For a century of doses every few minutes a report lists hundreds of
    thousands of doses; one dict per dose, not per listing, keeps its
    JSON form within a few times the size of the text.
    """
    memo: tuple[dict[int, EventDict], dict[int, str]] = ({}, {})
    return [f._dict(memo) for f in findings]


class PlanViolationError(RegimenError):
    """Raised by :meth:`Report.raise_for_errors` when a report holds errors.

    :attr:`report` is the report, so callers can read every finding.
    """

    report: Report

    def __init__(self, report: Report) -> None:
        self.report = report
        lines = [f.message for f in report.errors]
        count = len(lines)
        head = f"{count} error{'s' if count != 1 else ''} in the checked plan"
        super().__init__("\n  ".join([head + ":", *lines]))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.report,))


PlanViolationError.__module__ = "regimen"
