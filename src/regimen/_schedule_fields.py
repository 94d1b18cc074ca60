"""What a :class:`~regimen.Schedule`'s fields accept: its kinds and their converters."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import timedelta
from typing import Final

from ._format import parse_duration
from ._meals import meal_names, signed_offset
from ._schedule_times import hours_period
from ._weekday import Weekday, to_weekdays

__all__ = ["KIND_KEYS"]


#: The keys a plan file's schedule table of each ``kind`` needs beside
#: ``times`` (every other of these keys must be absent): read by the loader
#: and written into the JSON Schema from this one table.
KIND_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "daily": (),
    "weekly": ("days",),
    "every": ("n_days",),
    "cycle": ("on_days", "off_days"),
    "rrule": ("rule",),
    "hours": ("every",),
}
_MAX_DAYS: Final = 100_000


class _Kind(enum.Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    EVERY = "every"
    CYCLE = "cycle"
    RRULE = "rrule"
    HOURS = "hours"


def _meals(values: Iterable[str]) -> tuple[str, ...]:
    return meal_names(values, field="Schedule.meals")


def _meal_offset(value: timedelta | str) -> timedelta:
    return signed_offset(value, field="Schedule.meal_offset")


def _period(value: timedelta | None) -> timedelta | None:
    return None if value is None else hours_period(value)


def _days(values: Iterable[Weekday | str] | Weekday | str) -> frozenset[Weekday]:
    return to_weekdays(values, field="Schedule.days")


def _weekday_gaps(days: frozenset[Weekday]) -> tuple[int, ...]:
    """For each weekday index, the days until the next chosen weekday (1 to 7)."""
    chosen = {d.index for d in days}
    return tuple(
        next(g for g in range(1, 8) if (w + g) % 7 in chosen) for w in range(7)
    )


def _count(value: int, *, field: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"{field} must be a whole number (got {value!r})"
        raise TypeError(msg)
    if not minimum <= value <= _MAX_DAYS:
        msg = f"{field} must be from {minimum} to {_MAX_DAYS} (got {value})"
        raise ValueError(msg)
    return value


def _offset(value: timedelta | str) -> timedelta:
    if isinstance(value, str):
        value = parse_duration(value, field="Schedule.offset")
    if not isinstance(value, timedelta):
        msg = (
            f"Schedule.offset must be a timedelta or text like '45 min' (got {value!r})"
        )
        raise TypeError(msg)
    if not timedelta(0) <= value <= timedelta(days=1):
        msg = f"Schedule.offset must be from 0 to 24 hours (got {value})"
        raise ValueError(msg)
    return value
