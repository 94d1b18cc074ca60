"""Travel: :class:`Stay`, a span of dates spent in another time zone.

During a stay the wall-clock schedules of a plan are read in the stay's
zone: a dose at 08:00 is taken at 08:00 where the person is. The rule is
by date, so that each (day, time) gives exactly one dose: the stay's zone
applies on every date from its start to its end (both inclusive), the
plan's own zone on every other date. An entry with ``clock="home"`` keeps
the plan's zone throughout (see :class:`~regimen.Entry`).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Literal

import attrs

from ._convert import to_date
from ._timezone import check_zone, zone
from ._validators import instance_of, to_tuple

if TYPE_CHECKING:
    from ._plan import Plan
    from ._product import Product
    from ._tables import StayDict

__all__ = [
    "Clock",
    "Stay",
    "ZonesByDay",
    "check_clock",
    "check_stays",
    "latest_date",
    "local_date",
    "travel",
    "zone_at",
    "zone_on",
    "zones_by_day",
]

#: How an entry's wall-clock times follow travel: ``"local"`` (the zone in
#: force that day) or ``"home"`` (always the plan's zone).
Clock = Literal["local", "home"]


def check_clock(value: object, *, field: str = "Entry.clock") -> Clock:
    """Return *value* if it is ``"local"`` or ``"home"``; else raise ``ValueError`` naming *field*.

    >>> check_clock("home")
    'home'
    """
    if value == "local":
        return "local"
    if value == "home":
        return "home"
    msg = (
        f"{field} must be 'local' (follow the plan's stays) or 'home' "
        f"(keep the plan's time zone while travelling) (got {value!r})"
    )
    raise ValueError(msg)


def _stay_start(value: date | str) -> date:
    return to_date(value, field="Stay.start")


def _stay_end(value: date | str) -> date:
    return to_date(value, field="Stay.end")


def _stay_zone(value: str) -> str:
    return check_zone(value, field="Stay.timezone")


@attrs.frozen
class Stay:
    """Days spent in another IANA time zone, *start* to *end* (both inclusive).

    On each of these dates the plan's wall-clock times (``08:00``) are read
    in *timezone*, checked against the IANA database as
    :attr:`Plan.timezone <regimen.Plan.timezone>` is. *name* says where
    (``"Tokyo"``); it is shown in summaries. Dates may be ISO text.

    >>> Stay("2027-03-20", "2027-03-27", "Asia/Tokyo", name="Tokyo").covers(
    ...     date(2027, 3, 27))
    True
    >>> Stay("2027-03-20", "2027-03-19", "Asia/Tokyo")
    Traceback (most recent call last):
    ...
    ValueError: Stay.end (2027-03-19) is before Stay.start (2027-03-20); dates are inclusive
    """

    start: date = attrs.field(converter=_stay_start)
    end: date = attrs.field(converter=_stay_end)
    timezone: str = attrs.field(converter=_stay_zone)
    name: str = attrs.field(default="", kw_only=True, validator=instance_of(str))

    @end.validator
    def _check_end(self, _attribute: object, value: date) -> None:
        if value < self.start:
            msg = (
                f"Stay.end ({value}) is before Stay.start ({self.start}); "
                "dates are inclusive"
            )
            raise ValueError(msg)

    def covers(self, day: date) -> bool:
        """Tell whether *day* is one of the stay's dates (both ends count)."""
        return self.start <= day <= self.end

    def describe(self) -> str:
        """Say the stay in words, as summaries list it.

        >>> Stay("2027-03-20", "2027-03-27", "Asia/Tokyo", name="Tokyo").describe()
        '2027-03-20 to 2027-03-27 in Asia/Tokyo (Tokyo)'
        """
        where = f" ({self.name})" if self.name else ""
        return f"{self.start} to {self.end} in {self.timezone}{where}"

    def to_table(self) -> StayDict:
        """Return the stay as a table, as files and summaries write it.

        >>> Stay("2027-03-20", "2027-03-27", "Asia/Tokyo").to_table()
        {'start': '2027-03-20', 'end': '2027-03-27', 'timezone': 'Asia/Tokyo'}
        """
        table: StayDict = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "timezone": self.timezone,
        }
        if self.name:
            table["name"] = self.name
        return table


def check_stays(value: Iterable[Stay]) -> tuple[Stay, ...]:
    """Return the stays as a tuple sorted by date; refuse non-stays and overlaps.

    Two stays overlap when they share a date: a person is in one zone on a
    given day. Stays may follow each other directly (one ends on the 9th,
    the next starts on the 10th).

    >>> check_stays([Stay("2027-03-01", "2027-03-05", "Asia/Tokyo"),
    ...              Stay("2027-03-05", "2027-03-09", "Asia/Seoul")])
    Traceback (most recent call last):
    ...
    ValueError: Plan.stays[1] (2027-03-05 to 2027-03-09 in Asia/Seoul) overlaps Plan.stays[0] (2027-03-01 to 2027-03-05 in Asia/Tokyo) on 2027-03-05; stays must not share a date: end one before the next starts
    """
    items = to_tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, Stay):
            msg = f"Plan.stays[{i}] must be a Stay (got {item!r})"
            raise TypeError(msg)
    order = sorted(range(len(items)), key=lambda i: (items[i].start, items[i].end))
    for a, b in itertools.pairwise(order):
        if items[b].start <= items[a].end:
            first, second = sorted((a, b))
            msg = (
                f"Plan.stays[{second}] ({items[second].describe()}) overlaps "
                f"Plan.stays[{first}] ({items[first].describe()}) on "
                f"{items[b].start}; stays must not share a date: end one "
                "before the next starts"
            )
            raise ValueError(msg)
    return tuple(items[i] for i in order)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def zone_on(stays: Sequence[Stay], home: str, day: date) -> str:
    """Return the zone in force on *day*: the stay's covering it, else *home*.

    *stays* are sorted and disjoint (as :func:`check_stays` returns them).

    >>> zone_on([Stay("2027-03-20", "2027-03-27", "Asia/Tokyo")], "UTC", date(2027, 3, 28))
    'UTC'
    """
    k = bisect.bisect_right([s.start for s in stays], day) - 1
    return stays[k].timezone if k >= 0 and day <= stays[k].end else home


class ZonesByDay:
    """The zone (a ``ZoneInfo``) in force on each date: a stay's, else the plan's.

    :meth:`pieces` splits a span of day numbers (days since 1970-01-01)
    into the runs of days with one zone.
    """

    __slots__ = ("base", "ends", "starts", "tzs")

    def __init__(self, stays: Sequence[Stay], home: str) -> None:
        self.starts = [s.start for s in stays]
        self.ends = [s.end for s in stays]
        self.tzs = [zone(s.timezone) for s in stays]
        self.base = zone(home)

    def pieces(self, first: int, last: int) -> list[tuple[int, int, tzinfo]]:
        """Return (first day, last day, zone) runs covering day numbers *first* .. *last*."""
        out: list[tuple[int, int, tzinfo]] = []
        day = first
        for start, end, tz in zip(self.starts, self.ends, self.tzs, strict=True):
            a, b = start.toordinal() - _EPOCH_ORDINAL, end.toordinal() - _EPOCH_ORDINAL
            if b < day:
                continue
            if a > last:
                break
            if a > day:
                out.append((day, a - 1, self.base))
            out.append((max(a, day), min(b, last), tz))
            day = b + 1
            if day > last:
                return out
        out.append((day, last, self.base))
        return out


def zones_by_day(stays: Sequence[Stay], home: str) -> ZonesByDay:
    """Return the zone in force on each date (see :class:`ZonesByDay`)."""
    return ZonesByDay(stays, home)


def zone_at(stays: Sequence[Stay], home: str, moment: datetime) -> str:
    """Return the zone in force at an aware *moment*.

    A stay's zone applies when the moment's date *in that zone* is one of
    the stay's dates (the first such stay in date order); otherwise the
    plan's zone. It is what a logged dose or a question asked "now" is read
    in; planned doses follow the date rule of :func:`zone_on`.

    >>> from datetime import UTC
    >>> tokyo = [Stay("2027-03-20", "2027-03-27", "Asia/Tokyo")]
    >>> zone_at(tokyo, "America/Los_Angeles", datetime(2027, 3, 19, 16, tzinfo=UTC))
    'Asia/Tokyo'
    """
    for stay in stays:
        if stay.covers(moment.astimezone(zone(stay.timezone)).date()):
            return stay.timezone
    return home


def latest_date(stays: Sequence[Stay], home: str, moment: datetime) -> date:
    """Return the latest date *moment* has in the plan's zone or any stay's.

    The last date whose planned doses can come at or before *moment*
    (a zone further east is on a later date already).

    >>> from datetime import UTC
    >>> tokyo = [Stay("2027-03-20", "2027-03-27", "Asia/Tokyo")]
    >>> latest_date(tokyo, "America/Los_Angeles", datetime(2027, 3, 21, 20, tzinfo=UTC))
    datetime.date(2027, 3, 22)
    """
    return max(
        moment.astimezone(zone(name)).date()
        for name in (home, *(s.timezone for s in stays))
    )


def local_date(stays: Sequence[Stay], home: str, moment: datetime) -> date:
    """Return the date of *moment* in the zone in force then (see :func:`zone_at`)."""
    return moment.astimezone(zone(zone_at(stays, home, moment))).date()


def travel(
    plan: Plan, first: date | None, last: date | None, item: Callable[[Product], str]
) -> tuple[tuple[Stay, ...], tuple[str, ...]]:
    """Return the stays sharing a date with *first* .. *last*, and the home-clock items.

    The items (named by *item*) are those of entries with ``clock="home"``,
    listed only when some stay is in the period; none when either date is
    ``None``.
    """
    if first is None or last is None:
        return (), ()
    stays = tuple(s for s in plan.stays if s.start <= last and s.end >= first)
    if not stays:
        return (), ()
    home = (item(e.dose.product) for e in plan.entries if e.clock == "home")
    return stays, tuple(dict.fromkeys(home))
