"""A time zone's UTC offsets as integer tables: localizing many wall times at once.

:func:`regimen._timezone.localize` asks ``zoneinfo`` once per wall time.
Expansion localizes the same wall time on thousands of days, and between
two changes of the zone's rules the answer only moves by whole days, so a
:class:`ZoneTable` holds the offsets as *segments*: from this local wall
time on (read with ``fold=0``: a time in a DST gap takes the offset before
the gap, an ambiguous one its first occurrence) the offset is this; from
this instant on, the UTC offset and ``fold`` of the local time are these.
A run of days at one wall time then becomes a few arithmetic progressions
of instants (:func:`localize_days`), with no per-day Python work.

The segment boundaries are a superset of every point where ``zoneinfo``'s
answer can change, taken from the very data it reads (the TZif file's
transitions, its POSIX TZ rule for later years, and the year boundaries at
which ``zoneinfo`` evaluates that rule), and every segment's value is
``zoneinfo``'s own answer at the segment's start: the tables are exact by
construction, whatever the zone. A zone whose data cannot be read that way
(not a ``ZoneInfo`` with a key, or an interpreter whose ``zoneinfo``
internals differ) gets no table (``None``), and the caller localizes one
wall time at a time.

>>> from zoneinfo import ZoneInfo
>>> from datetime import date
>>> day = date(2027, 3, 14).toordinal() - date(1970, 1, 1).toordinal()
>>> table = zone_table(ZoneInfo("America/New_York"), day - 1, day + 1)
>>> pieces = localize_days(table, range(day - 1, day + 2), 9_000_000_000, 0)  # 02:30
>>> [(list(days), offset // 3_600_000_000) for days, _us, offset, _fold in pieces]
[([20890], -5), ([20891], -4), ([20892], -4)]

The spring-forward day's 02:30 is read with the offset before the gap
(UTC-5), so it is the instant 03:30 at UTC-4; the next day's 02:30 is
read at UTC-4 itself.
"""

from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib import import_module
from typing import Final
from zoneinfo import ZoneInfo

__all__ = ["DAY_US", "Days", "ZoneTable", "localize_days", "zone_table"]

DAY_US: Final = 86_400_000_000
_SECOND: Final = 1_000_000
_DAY_S: Final = 86_400
_US: Final = timedelta(microseconds=1)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE: Final = datetime(1970, 1, 1)
_ORDINAL: Final = date(1970, 1, 1).toordinal()
#: Tables stop two days inside Python's date range, so no evaluation overflows.
_FIRST_S: Final = (date(1, 1, 3).toordinal() - _ORDINAL) * _DAY_S
_LAST_S: Final = (date(9999, 12, 29).toordinal() - _ORDINAL) * _DAY_S
#: Days (since 1970-01-01) of one run: a range or a sorted list.
Days = range | list[int]


class ZoneTable:
    """The offsets of *tz* for local wall times and instants from *lo* to *hi* (µs).

    ``wall_at[i]`` is the local time (µs since the naive epoch) from which
    ``wall_off[i]`` is the offset a wall time is read with (``fold=0``);
    ``utc_at[i]`` the instant from which ``utc_off[i]`` and ``utc_fold[i]``
    are the UTC offset and fold of the local time.
    """

    __slots__ = (
        "candidates",
        "hi",
        "lo",
        "tz",
        "utc_at",
        "utc_fold",
        "utc_off",
        "wall_at",
        "wall_off",
    )

    def __init__(
        self, tz: tzinfo, lo: int, hi: int, breaks: tuple[set[int], set[int]]
    ) -> None:
        self.tz, self.lo, self.hi = tz, lo, hi
        lo_s, hi_s = lo // _SECOND, hi // _SECOND
        walls, instants = breaks
        self.wall_at: list[int] = []
        self.wall_off: list[int] = []
        for s in sorted({lo_s} | {b for b in walls if lo_s < b <= hi_s}):
            offset = _wall_offset(tz, s)
            if not self.wall_off or self.wall_off[-1] != offset:
                self.wall_at.append(s * _SECOND)
                self.wall_off.append(offset)
        self.utc_at: list[int] = []
        self.utc_off: list[int] = []
        self.utc_fold: list[int] = []
        for s in sorted({lo_s} | {b for b in instants if lo_s < b <= hi_s}):
            offset, fold = _utc_state(tz, s)
            if not self.utc_off or (self.utc_off[-1], self.utc_fold[-1]) != (
                offset,
                fold,
            ):
                self.utc_at.append(s * _SECOND)
                self.utc_off.append(offset)
                self.utc_fold.append(fold)
        # Every instant at which anything zoneinfo says may change (also
        # dst() and tzname(), which it reads from the local time).
        offsets = set(self.wall_off) | set(self.utc_off)
        found = {b * _SECOND for b in instants if lo_s < b <= hi_s}
        found.update(b * _SECOND - o for b in walls for o in offsets)
        #: Sorted instants (µs) inside the table where *tz*'s answers may change.
        self.candidates = sorted(u for u in found if lo < u <= hi)


def _wall_offset(tz: tzinfo, seconds: int) -> int:
    offset = (_NAIVE + timedelta(seconds=seconds)).replace(tzinfo=tz).utcoffset()
    assert offset is not None
    return offset // _US


def _utc_state(tz: tzinfo, seconds: int) -> tuple[int, int]:
    at = (_EPOCH + timedelta(seconds=seconds)).astimezone(tz)
    offset = at.utcoffset()
    assert offset is not None
    return offset // _US, at.fold


def _year_start(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _ORDINAL) * _DAY_S


def _breaks(tz: tzinfo, first: int, last: int) -> tuple[set[int], set[int]] | None:
    """Return (wall, instant) seconds at which *tz*'s answers may change in years *first* .. *last*."""
    if isinstance(tz, timezone):
        return set(), set()
    if type(tz) is not ZoneInfo or tz.key is None:
        return None
    try:
        return _zoneinfo_breaks(tz.key, first, last)
    except Exception:
        return None


def _zoneinfo_breaks(key: str, first: int, last: int) -> tuple[set[int], set[int]]:
    # The data zoneinfo itself loads for *key*, read with its own loader.
    common = import_module("zoneinfo._common")
    path = import_module("zoneinfo._tzpath").find_tzfile(key)
    handle = common.load_tzdata(key) if path is None else open(path, "rb")  # noqa: SIM115
    with handle:
        trans_idx, trans_utc, utcoff, _isdst, _abbr, tz_str = common.load_data(handle)
    offsets = set(utcoff)
    walls: set[int] = set()
    instants: set[int] = set()
    lo, hi = (
        _year_start(first) - 2 * _DAY_S,
        _year_start(min(last + 1, 9999)) + 2 * _DAY_S,
    )
    for i, t in enumerate(trans_utc):
        if not lo <= t <= hi:
            continue
        after = utcoff[trans_idx[i]]
        around = offsets if i == 0 else {utcoff[trans_idx[i - 1]], after}
        # zoneinfo switches to its TZ rule strictly after the last transition.
        for step in (0, 1):
            instants.add(t + step)
            instants.update(t + step + abs(after - x) for x in around)
            walls.update(t + step + x for x in around)
    parse = import_module("zoneinfo._zoneinfo")._parse_tz_str
    rule = parse(tz_str.decode()) if tz_str else None
    if rule is not None and hasattr(rule, "transitions"):
        std = int(rule.std.utcoff.total_seconds())
        dst = int(rule.dst.utcoff.total_seconds())
        diff = abs(int(rule.dst_diff))
        for year in range(max(first - 1, 1), min(last + 1, 9999) + 1):
            start = _year_start(year)
            walls.add(start)
            instants.add(start)
            for t in rule.transitions(year):
                walls.update((t - diff, t, t + diff))
                for u in (t - std, t - dst):
                    instants.update((u - diff, u, u + diff))
    return walls, instants


@lru_cache(maxsize=64)
def _table(tz: tzinfo, first: int, last: int) -> ZoneTable | None:
    breaks = _breaks(tz, first, last)
    if breaks is None:
        return None
    lo = max(_year_start(first), _FIRST_S)
    hi = min(_year_start(last + 1) if last < 9999 else _LAST_S, _LAST_S)
    return ZoneTable(tz, lo * _SECOND, hi * _SECOND, breaks)


def zone_table(tz: tzinfo, first_day: int, last_day: int) -> ZoneTable | None:
    """Return a table of *tz* for wall times and instants of days *first_day* .. *last_day*.

    Days count from 1970-01-01; the table reaches three days beyond them
    either way (room for offsets and top-ups of up to a day), or is
    ``None`` when *tz* cannot be tabled.
    """
    first = date.fromordinal(max(first_day - 3 + _ORDINAL, 1)).year
    last = date.fromordinal(min(last_day + 3 + _ORDINAL, date.max.toordinal())).year
    return _table(tz, first, last)


def _from(days: Days, limit: int, start: int) -> int:
    """Return the first index from *start* on whose day is at least *limit*."""
    if isinstance(days, range):
        step = days.step
        found = -((days.start - limit) // step)
        return min(max(found, start), len(days))
    return bisect.bisect_left(days, limit, start)


def _plus(days: Days, shift: int) -> Days:
    """Return days * DAY_US + *shift* (a progression stays a range)."""
    if isinstance(days, range):
        return range(
            days.start * DAY_US + shift, days.stop * DAY_US + shift, days.step * DAY_US
        )
    return [d * DAY_US + shift for d in days]


def localize_days(
    table: ZoneTable, days: Days, wall: int, delta: int
) -> list[tuple[Days, Days, int, int]]:
    """Localize wall time *wall* (µs into the day) on each of *days*, plus *delta* µs.

    *days* are increasing day numbers since 1970-01-01 (a range with a
    positive step, or a sorted list). Returns pieces (their days, their
    instants in UTC µs, the UTC offset and fold there), in order: the
    instants of ``localize(day, wall, tz) + delta``, exactly. Raises
    ``ValueError`` if a wall time or instant falls outside the table.
    """
    out: list[tuple[Days, Days, int, int]] = []
    n = len(days)
    if not n:
        return out
    if not (
        table.lo <= days[0] * DAY_US + wall - 2 * DAY_US
        and days[-1] * DAY_US + wall + 3 * DAY_US < table.hi
    ):
        msg = "wall times outside the zone table"
        raise ValueError(msg)
    wall_at, wall_off = table.wall_at, table.wall_off
    utc_at, utc_off, utc_fold = table.utc_at, table.utc_off, table.utc_fold
    i = 0
    k = bisect.bisect_right(wall_at, days[0] * DAY_US + wall) - 1
    while i < n:
        j = (
            n
            if k + 1 == len(wall_at)
            else _from(days, -((wall - wall_at[k + 1]) // DAY_US), i)
        )
        if j > i:
            shift = wall - wall_off[k] + delta
            part = days[i:j]
            m = bisect.bisect_right(utc_at, part[0] * DAY_US + shift) - 1
            a = 0
            while a < len(part):
                b = (
                    len(part)
                    if m + 1 == len(utc_at)
                    else _from(part, -((shift - utc_at[m + 1]) // DAY_US), a)
                )
                if b > a:
                    piece = part[a:b]
                    out.append((piece, _plus(piece, shift), utc_off[m], utc_fold[m]))
                a = b
                m += 1
        i = j
        k += 1
    return out
