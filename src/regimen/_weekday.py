"""Days of the week: :class:`Weekday`."""

from __future__ import annotations

import enum

__all__ = ["Weekday"]


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
