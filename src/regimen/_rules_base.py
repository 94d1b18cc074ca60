"""What the built-in rules share: argument converters, the base class, the file form."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time, timedelta
from typing import TYPE_CHECKING, ClassVar, Final, Literal, TypeAlias

import attrs

from . import _format
from ._finding import Finding, Severity, to_severity
from ._quantity import Quantity
from ._schedule import time_of_day
from ._series import Context
from ._substance import Substance, term_of
from ._timeline import Timeline
from ._validators import optional_text

if TYPE_CHECKING:
    from ._tables import RuleTable

__all__ = [
    "US",
    "BuiltinRule",
    "Per",
    "context",
    "day_label",
    "per_text",
    "to_limit",
    "to_per",
    "to_positive_int",
    "to_positive_time",
    "to_term",
]

Per: TypeAlias = Literal["dose", "day", "week"] | timedelta
US: Final = timedelta(microseconds=1)


def to_term(value: str | Substance) -> str:
    """Convert a rule's substance argument to the term it names."""
    return term_of(value, who="a rule")


def to_limit(value: Quantity | str) -> Quantity:
    """Convert a limit to a Quantity above zero."""
    q = value if isinstance(value, Quantity) else Quantity.parse(value)
    if q.amount <= 0:
        msg = f"a limit must be above zero (got {q})"
        raise ValueError(msg)
    return q


def to_per(value: Per | str) -> Per:
    """Convert a ``per`` argument: ``"dose"``, ``"day"``, ``"week"`` or a window."""
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            msg = f"per must be a window longer than zero (got {value})"
            raise ValueError(msg)
        return value
    if value == "dose":
        return "dose"
    if value == "day":
        return "day"
    if value == "week":
        return "week"
    if isinstance(value, str):
        try:
            return to_per(_format.parse_duration(value, field="per"))
        except ValueError:
            pass
    msg = f"per must be 'dose', 'day', 'week' or a window like timedelta(hours=24) (got {value!r})"
    raise ValueError(msg)


def per_text(value: Per) -> str:
    """Write *per* the way a plan file holds it (``"day"``, ``"24 h"``)."""
    return _format.duration(value) if isinstance(value, timedelta) else value


def to_positive_int(value: int) -> int:
    """Check a whole number of at least 1."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        msg = f"must be a whole number of at least 1 (got {value!r})"
        raise ValueError(msg)
    return value


def to_positive_time(value: timedelta | str) -> timedelta:
    """Convert an interval (a timedelta or ``"4 h"``) longer than zero."""
    d = _format.parse_duration(value, field="interval")
    if d <= timedelta(0):
        msg = f"must be longer than zero (got {value!r})"
        raise ValueError(msg)
    return d


def _day_start(value: time | str | None) -> time | None:
    if value is None:
        return None
    return time_of_day(
        value,
        field="day_start",
        expected="a naive datetime.time, text like '04:00' or None",
    )


def context(timeline: Timeline, day_start: time | None) -> Context:
    """Return a fresh validation context, checking that *timeline* is a Timeline."""
    if not isinstance(timeline, Timeline):
        msg = f"check() needs a Timeline (got {timeline!r}); expand a plan with plan.timeline()"
        raise TypeError(msg)
    return Context(timeline, day_start or time(0))


def day_label(ctx: Context, number: int) -> str:
    """Name the local day *number*, with its start when days do not start at midnight."""
    day = ctx.day_to_date(number).isoformat()
    if ctx.day_start != time(0):
        return f"the day {day} (from {ctx.day_start.strftime('%H:%M')})"
    return day


@attrs.frozen(cache_hash=True, repr=False)
class BuiltinRule:
    """What the built-in rules share: severity, day start, source, ``check`` and ``to_table``."""

    code: ClassVar[str]

    severity: Severity = attrs.field(
        default=Severity.ERROR, kw_only=True, converter=to_severity
    )
    day_start: time | None = attrs.field(
        default=None, kw_only=True, converter=_day_start
    )
    source: str | None = attrs.field(
        default=None, kw_only=True, converter=optional_text
    )

    def check(self, timeline: Timeline) -> Iterable[Finding]:
        """Yield the findings this rule makes about *timeline*."""
        return self._check(context(timeline, self.day_start))

    def _check(self, ctx: Context) -> list[Finding]:
        raise NotImplementedError

    def to_table(self) -> RuleTable:
        """Return the rule as it stands in a plan file (``[[profile.rules]]``).

        :func:`regimen.loads` reads the table back to an equal rule;
        defaults (severity ``"error"``, no ``day_start``, no ``source``) are
        left out.
        """
        table = self._table()
        if self.severity is not Severity.ERROR:
            table["severity"] = self.severity.label
        if self.day_start is not None:
            table["day_start"] = _format.clock(self.day_start)
        if self.source is not None:
            table["source"] = self.source
        return table

    def _table(self) -> RuleTable:
        raise NotImplementedError

    def __repr__(self) -> str:
        # The rule's own fields first, the shared keyword options last.
        fields = attrs.fields(type(self))
        shared = ("severity", "day_start", "source")
        ordered = [f for f in fields if f.name not in shared and f.init]
        ordered += [f for f in fields if f.name in shared]
        args = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in ordered)
        return f"{type(self).__name__}({args})"
