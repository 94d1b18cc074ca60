"""Converters for constructor arguments: the text forms the file format accepts.

A constructor field that holds a date accepts a :class:`~datetime.date` or
the ISO text a plan file uses (``"2027-01-31"``), and refuses dates outside
the supported range (:mod:`regimen._limits`). Fields that hold a moment
accept aware datetimes only. Every error is a ``ValueError`` or
``TypeError`` naming the field, the value given and the fix.
"""

from __future__ import annotations

from datetime import date, datetime

from ._limits import check_date, check_moment

__all__ = ["to_aware", "to_date", "to_optional_date"]


def to_date(value: date | str, *, field: str) -> date:
    """Return a date from a date or ISO text, within the supported range.

    >>> to_date("2027-01-31", field="Plan.start")
    datetime.date(2027, 1, 31)
    >>> to_date("9999-12-31", field="Plan.end")
    Traceback (most recent call last):
    ValueError: Plan.end must be between 0002-01-01 and 9998-12-31 (got 9999-12-31)
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return check_date(value, field)
    if isinstance(value, str):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            msg = f"{field} must be a date like '2027-01-31' (got {value!r})"
            raise ValueError(msg) from None
        return check_date(parsed, field)
    msg = (
        f"{field} must be a datetime.date or ISO text like '2027-01-31' (got {value!r})"
    )
    raise TypeError(msg)


def to_optional_date(value: date | str | None, *, field: str) -> date | None:
    """Return ``None`` for ``None``, else what :func:`to_date` returns.

    >>> to_optional_date(None, field="Entry.end") is None
    True
    """
    return None if value is None else to_date(value, field=field)


def to_aware(value: datetime, *, field: str, check_range: bool = False) -> datetime:
    """Return *value* if it is an aware datetime; else raise naming *field*.

    With *check_range*, the moment must also lie within the supported range.

    >>> to_aware(datetime(2027, 1, 1, 8), field="DoseEvent.at")
    Traceback (most recent call last):
    ValueError: DoseEvent.at must be an aware datetime (got naive 2027-01-01T08:00:00); attach its zone, e.g. at.replace(tzinfo=ZoneInfo('Europe/Berlin'))
    """
    if not isinstance(value, datetime):
        msg = f"{field} must be an aware datetime (got {value!r})"
        raise TypeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = (
            f"{field} must be an aware datetime (got naive {value.isoformat()}); "
            "attach its zone, e.g. at.replace(tzinfo=ZoneInfo('Europe/Berlin'))"
        )
        raise ValueError(msg)
    return check_moment(value, field) if check_range else value
