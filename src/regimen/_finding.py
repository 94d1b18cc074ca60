"""What validation reports: :class:`Severity` and :class:`Finding`."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from ._format import duration
from ._timeline import DoseEvent
from ._validators import instance_of

__all__ = ["CODES", "Finding", "Severity", "to_severity"]

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
    }
)


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


@attrs.frozen(kw_only=True)
class Finding:
    """One fact validation found: a stable *code*, a *severity*, a *message*.

    *at* is when it happens (aware), *events* the dose events involved,
    *rule* the rule (or interaction) that produced it (``None`` for the
    always-on checks). *as_needed_only* is true when the finding only occurs
    if every as-needed dose is taken; the message then says so. *measured*
    and *limit* are the numbers the message states (a Quantity, a count or a
    timedelta), for programs that want them without parsing text.
    """

    code: str = attrs.field(kw_only=False, converter=_code)
    severity: Severity = attrs.field(kw_only=False, converter=to_severity)
    message: str = attrs.field(kw_only=False, validator=instance_of(str))
    at: datetime | None = attrs.field(default=None)
    events: tuple[DoseEvent, ...] = attrs.field(default=(), converter=_events)
    rule: object | None = attrs.field(default=None, eq=False)
    as_needed_only: bool = attrs.field(default=False)
    measured: object = attrs.field(default=None)
    limit: object = attrs.field(default=None)
    key: object = attrs.field(default=None, eq=False, repr=False)
    """What makes this finding the same one in another run of the same rule
    (a day number, a run's first day, ...); validation compares findings by
    code, rule and key to tell those only the as-needed doses cause."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (stable keys; see the docs)."""
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "at": None if self.at is None else self.at.isoformat(),
            "as_needed_only": self.as_needed_only,
            "rule": None if self.rule is None else repr(self.rule),
            "measured": None if self.measured is None else _plain(self.measured),
            "limit": None if self.limit is None else _plain(self.limit),
            "events": [
                {
                    "at": e.at.isoformat(),
                    "product": e.product.name,
                    "amount": str(e.amount),
                    "as_needed": e.as_needed,
                    "note": e.note,
                }
                for e in self.events
            ],
        }


def _plain(value: object) -> str | int:
    if isinstance(value, int):
        return value
    if isinstance(value, timedelta):
        return duration(value)
    return str(value)
