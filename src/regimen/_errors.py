"""The exceptions regimen raises; every one derives from :class:`RegimenError`.

:class:`~regimen.PlanViolationError` lives beside the report it carries
(``regimen._report``), so this module depends on nothing else in regimen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

__all__ = [
    "ExpansionError",
    "LoadError",
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
    The message shows the first :data:`SHOWN` problems and how many more
    there are; :attr:`problems` holds them all.
    """

    #: How many problems the message shows.
    SHOWN: ClassVar[int] = 50

    problems: tuple[str, ...]
    #: What was being read, for the message (``"the plan file"``).
    what: str

    def __init__(self, problems: Iterable[str], what: str = "the plan file") -> None:
        self.problems = tuple(problems)
        self.what = what
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {what}"
        lines = [head + ":", *self.problems[: self.SHOWN]]
        if count > self.SHOWN:
            more = count - self.SHOWN
            lines.append(
                f"... and {more} more problem{'s' if more != 1 else ''} "
                "(LoadError.problems lists all)"
            )
        super().__init__("\n  ".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems, self.what))


for _cls in (RegimenError, UnitError, ExpansionError, LoadError):
    _cls.__module__ = "regimen"
