"""Days of the week: :class:`Weekday`."""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = ["Weekday", "to_weekdays"]


class Weekday(enum.Enum):
    """A day of the week, by its RFC 5545 two-letter code.

    ``Weekday("mo")``, ``Weekday("Monday")`` and ``Weekday.MO`` are the same;
    :attr:`index` is Python's ``date.weekday()`` number (Monday is 0).

    >>> Weekday("friday"), Weekday.FR.index
    (<Weekday.FR: 'FR'>, 4)
    """

    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"

    @property
    def index(self) -> int:
        """Python's weekday number: Monday is 0, Sunday is 6."""
        return _ORDER.index(self)

    @classmethod
    def _missing_(cls, value: object) -> Weekday | None:
        if isinstance(value, str):
            key = value.strip().upper()
            for day in cls:
                if key in {day.value, _NAMES[day]}:
                    return day
        return None


_ORDER = tuple(Weekday)
_NAMES = {
    Weekday.MO: "MONDAY",
    Weekday.TU: "TUESDAY",
    Weekday.WE: "WEDNESDAY",
    Weekday.TH: "THURSDAY",
    Weekday.FR: "FRIDAY",
    Weekday.SA: "SATURDAY",
    Weekday.SU: "SUNDAY",
}


def to_weekdays(
    values: Iterable[Weekday | str] | Weekday | str, *, field: str
) -> frozenset[Weekday]:
    """Return the weekdays of *values* (``Weekday`` members or ``"MO"`` .. ``"SU"``).

    Raises ``ValueError`` naming *field* for anything else.

    >>> sorted(d.value for d in to_weekdays(["MO", Weekday.FR], field="days"))
    ['FR', 'MO']
    """
    if isinstance(values, Weekday | str):
        values = [values]
    out: set[Weekday] = set()
    for v in values:
        try:
            out.add(v if isinstance(v, Weekday) else Weekday(v))
        except ValueError:
            msg = f"{field}: {v!r} is not a weekday; use MO, TU, WE, TH, FR, SA or SU"
            raise ValueError(msg) from None
    return frozenset(out)
