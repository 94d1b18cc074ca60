"""A time zone's transitions over a span of instants, and its ``VTIMEZONE``.

:class:`ZoneSpan` finds the UTC offset changes of an IANA zone from the
zone database (``zoneinfo``) between two instants, once, and then answers
in integer microseconds what an iCalendar reader computes: the instant a
local date-time with this ``TZID`` means (RFC 5545 §3.3.5: a time in a gap
is read with the offset before the gap, an ambiguous one is its first
occurrence) and the local time and fold of an instant. :meth:`ZoneSpan.vtimezone`
writes the transitions as explicit observances, so a reader that uses the
``VTIMEZONE`` rather than its own database gets the same offsets.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from ._zone_table import zone_table

__all__ = ["DAY_US", "ZoneSpan", "local_text"]

DAY_US: Final = 86_400_000_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH: Final = datetime(1970, 1, 1)
_US: Final = timedelta(microseconds=1)
_SECOND: Final = 1_000_000


def local_text(local_us: int) -> str:
    """Write a local time (µs since the naive epoch) as ``20270101T080000``."""
    return (_NAIVE_EPOCH + local_us * _US).strftime("%Y%m%dT%H%M%S")


def _offset_text(offset_us: int) -> str:
    sign = "-" if offset_us < 0 else "+"
    seconds = abs(offset_us) // _SECOND
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


class ZoneSpan:
    """The offsets of zone *name* from *first_us* to *last_us* (µs since the epoch, UTC)."""

    __slots__ = ("_keys", "_starts", "initial", "name", "start_us", "transitions")

    def __init__(self, name: str, first_us: int, last_us: int) -> None:
        self.name = name
        tz = ZoneInfo(name)
        lo = first_us - 2 * DAY_US
        hi = last_us + 2 * DAY_US
        self.start_us = lo

        def state(us: int) -> tuple[int, int, str]:
            at = (_EPOCH + us * _US).astimezone(tz)
            offset, dst = at.utcoffset(), at.dst()
            assert offset is not None
            return offset // _US, (dst or timedelta(0)) // _US, at.tzname() or ""

        self.initial = state(lo)
        #: (instant µs, offset before, offset after, dst after, name after)
        self.transitions: list[tuple[int, int, int, int, str]] = []
        table = zone_table(tz, lo // DAY_US, hi // DAY_US)
        if table is not None:
            # The instants where zoneinfo's answers may change, exactly.
            before = self.initial
            for us in table.candidates[
                bisect.bisect_right(table.candidates, lo) : bisect.bisect_right(
                    table.candidates, hi
                )
            ]:
                after = state(us)
                if after != before:
                    self.transitions.append((us, before[0], *after))
                    before = after
        else:  # pragma: no cover - every IANA zone has a table
            self._probe(state, lo, hi)
        self._starts = [t for t, *_ in self.transitions]
        # Local times from which the offset after each transition applies (fold=0).
        self._keys = [t + max(x, y) for t, x, y, *_ in self.transitions]

    def _probe(
        self, state: Callable[[int], tuple[int, int, str]], lo: int, hi: int
    ) -> None:
        """Find the transitions by asking for the state day by day (and bisecting)."""
        before, us = self.initial, lo
        while us < hi:
            step = min(us + DAY_US, hi)
            after = state(step)
            if after != before:
                a, b = us, step  # state(a) == before, state(b) != before
                while b - a > _SECOND:
                    mid = (a + b) // 2 // _SECOND * _SECOND
                    if mid <= a:
                        break
                    if state(mid) == before:
                        a = mid
                    else:
                        b = mid
                after = state(b)
                self.transitions.append((b, before[0], after[0], after[1], after[2]))
                before, step = after, b
            us = step

    def instant(self, local_us: int) -> int:
        """Return the instant (µs, UTC) a reader gives the local time *local_us*.

        A time in a gap uses the offset before it (so it lands after the
        gap, as regimen moves it); an ambiguous one is its first occurrence.
        """
        i = bisect.bisect_right(self._keys, local_us) - 1
        offset = self.initial[0] if i < 0 else self.transitions[i][2]
        if i + 1 < len(self.transitions):
            t, x, _y, *_ = self.transitions[i + 1]
            if local_us - x < t:
                offset = x
        return local_us - offset

    def local(self, us: int) -> tuple[int, int]:
        """Return the local time (µs since the naive epoch) of instant *us*, and its fold."""
        i = bisect.bisect_right(self._starts, us) - 1
        if i < 0:
            return us + self.initial[0], 0
        t, x, y, *_ = self.transitions[i]
        local = us + y
        return local, int(y < x and local < t + x)

    def locals(self, instants: Iterable[int]) -> list[tuple[int, int, int]]:
        """Return (instant, local time, fold) for sorted *instants*, in one pass."""
        out: list[tuple[int, int, int]] = []
        starts = self._starts
        i = -1
        t_next = starts[0] if starts else None
        offset, overlap_end = self.initial[0], None
        for us in instants:
            while t_next is not None and us >= t_next:
                i += 1
                t, x, y, *_ = self.transitions[i]
                offset = y
                overlap_end = t + x if y < x else None
                t_next = starts[i + 1] if i + 1 < len(starts) else None
            local = us + offset
            out.append(
                (us, local, int(overlap_end is not None and local < overlap_end))
            )
        return out

    def vtimezone(self) -> list[str]:
        """Return the ``VTIMEZONE`` component's lines (unfolded, without CRLF)."""
        negative = self.initial[1] < 0 or any(d < 0 for *_, d, _n in self.transitions)

        def kind(dst: int) -> str:
            return "DAYLIGHT" if dst > 0 or (negative and dst == 0) else "STANDARD"

        offset, dst, name = self.initial
        lines = ["BEGIN:VTIMEZONE", f"TZID:{self.name}"]
        observances = [(self.start_us, offset, offset, dst, name)]
        observances += self.transitions
        for t, x, y, d, n in observances:
            lines += [
                f"BEGIN:{kind(d)}",
                f"DTSTART:{local_text(t + x)}",
                f"TZOFFSETFROM:{_offset_text(x)}",
                f"TZOFFSETTO:{_offset_text(y)}",
            ]
            if n:
                lines.append(f"TZNAME:{n}")
            lines.append(f"END:{kind(d)}")
        lines.append("END:VTIMEZONE")
        return lines
