"""The exceptions regimen raises; every one derives from :class:`RegimenError`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._report import Report

__all__ = [
    "ExpansionError",
    "LoadError",
    "PlanViolationError",
    "RegimenError",
    "UnitError",
]


class RegimenError(Exception):
    """Base class of every error regimen raises on purpose.

    Catch it to handle any of them; the concrete errors also derive from the
    built-in exception that describes them (``ValueError`` for bad values), so
    code that already catches those keeps working.
    """


class UnitError(RegimenError, ValueError):
    """A unit is unknown or ambiguous, or two quantities cannot be combined.

    >>> from regimen import Quantity
    >>> Quantity.parse("2 oz")
    Traceback (most recent call last):
    ...
    regimen.UnitError: ambiguous unit 'oz' — write 'fl oz' for a volume, or give a weight in g (in '2 oz')
    """


class ExpansionError(RegimenError, ValueError):
    """Expanding a plan would produce an unbounded or too large timeline."""


class LoadError(RegimenError, ValueError):
    """A plan file could not be read; :attr:`problems` lists every problem.

    Each problem is a string that starts with the path of the offending value,
    for example ``plan.entries[2].dose.amount: ambiguous unit 'oz' ...``.
    """

    problems: tuple[str, ...]

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the plan file"
        super().__init__("\n  ".join([head + ":", *self.problems]))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


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


for _cls in (RegimenError, UnitError, ExpansionError, LoadError, PlanViolationError):
    _cls.__module__ = "regimen"
