"""The window and gap sweeps over numpy arrays, for long series when numpy is installed.

The same answers as the pure-Python sweeps in :mod:`regimen._windows` and
:func:`regimen._rules_window.gaps` (a property test holds them to it), in
the same order, for series whose local days never go back (one time zone,
the usual case) and whose integers fit in 64 bits with room to sum; for
anything else, and without numpy, :func:`arrays` returns ``None`` and the
caller keeps to pure Python. numpy is imported on first use only, so
``import regimen`` never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ._series import Series

__all__ = [
    "MIN_EVENTS",
    "arrays",
    "gap_rows",
    "kind_ids",
    "numpy_or_none",
    "ones",
    "window_rows",
]

#: Shorter series are swept in pure Python: converting them would cost more.
MIN_EVENTS: Final = 2048
#: Integers at most this large (and their sums) stay exact in int64.
_SAFE: Final = 1 << 62

_np: Any = None
_missing = False


def numpy_or_none() -> Any:
    """Return the numpy module, imported on first use, or ``None`` when not installed."""
    global _np, _missing  # noqa: PLW0603 - one lazy import
    if _np is None and not _missing:
        try:
            import numpy  # noqa: PLC0415 - optional, imported on first use

            _np = numpy
        except ImportError:
            _missing = True
    return _np


_numpy = numpy_or_none  # the sweeps' own name (tests stand in for it)


def arrays(series: Series, values: list[int] | None) -> tuple[Any, Any, Any] | None:
    """Return (times, days, values) as int64 arrays, or ``None`` when pure Python must do.

    *values* ``None`` counts doses (each 1). ``None`` is returned without
    numpy, for short series, when the local days go back somewhere, or when
    a value, sum or instant does not fit in 64 bits with room to spare.
    Times and days are converted once per series and kept on it.
    """
    n = len(series.times)
    if n < MIN_EVENTS:
        return None
    np = _numpy()
    if np is None:
        return None
    cached = series.cache.get("np")
    if cached is None:
        times = np.array(series.times, dtype=np.int64)
        days = np.array(series.days, dtype=np.int64)
        ordered = bool(np.all(days[1:] >= days[:-1]))
        cached = series.cache["np"] = (times, days, ordered)
    times, days, ordered = cached
    if not ordered:
        return None
    if values is None or values is series.cache.get("ones"):
        return times, days, np.ones(n, dtype=np.int64)
    if values is series.amounts:  # converted (and checked) once per series
        found = series.cache.get("np amounts")
        if found is None:
            found = series.cache["np amounts"] = _checked(np, values)
        return None if found is False else (times, days, found)
    found = _checked(np, values)
    return None if found is False else (times, days, found)


def kind_ids(np: Any, kind: Any) -> Any:
    """View a timeline's kind ids (an unsigned ``array``) as a numpy array, without a copy."""
    return np.frombuffer(kind, dtype=f"u{kind.itemsize}")


def ones(series: Series) -> list[int]:
    """Return a list of 1 per event of *series* (made once, kept on it): dose counts."""
    found: list[int] | None = series.cache.get("ones")
    if found is None:
        found = series.cache["ones"] = [1] * len(series.times)
    return found


def _checked(np: Any, values: list[int]) -> Any:
    """*values* as an int64 array, or ``False`` when they or their sum would not fit."""
    if sum(values) >= _SAFE or min(values) < 0:
        return False
    return np.array(values, dtype=np.int64)


def _first_per_day(np: Any, days: Any, *keys: Any) -> Any:
    """Positions (into *days*) of the first row of each day, rows ordered by *keys* within it."""
    order = np.lexsort((*reversed(keys), days))
    ordered_days = days[order]
    starts = np.empty(len(order), dtype=bool)
    starts[:1] = True
    np.not_equal(ordered_days[1:], ordered_days[:-1], out=starts[1:])
    return order[starts]


def _ends(np: Any, times: Any) -> Any:
    """For each row, one past the last row at its instant (*times* in order)."""
    if bool(np.all(times[1:] != times[:-1])):
        return np.arange(1, len(times) + 1, dtype=np.int64)
    return np.searchsorted(times, times, side="right")


def window_rows(
    data: tuple[Any, Any, Any], per: str | int, limit: int
) -> tuple[list[int], list[int], list[int]] | None:
    """Days, totals and lasts of each day's worst window over *limit*, as the pure sweep gives.

    Three lists (one column each, not a tuple per day: tens of thousands
    of small tuples cost more than the sweep). *per* is ``"dose"``,
    ``"day"`` or a rolling width in µs (``"week"`` stays in pure Python:
    ``None``).
    """
    np = _numpy()
    times, days, values = data
    if limit >= _SAFE or limit < 0:
        return None
    n = len(values)
    if per == "day":
        bounds = np.flatnonzero(days[1:] != days[:-1]) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [n])) - 1
        totals = np.add.reduceat(values, starts)
        over = totals > limit
        return days[starts][over].tolist(), totals[over].tolist(), ends[over].tolist()
    if per == "dose":
        idx = np.flatnonzero(values > limit)
        # The largest dose of each day, the first of equals.
        pick = _first_per_day(np, days[idx], -values[idx], idx)
        chosen = idx[pick]
        return days[chosen].tolist(), values[chosen].tolist(), chosen.tolist()
    if not isinstance(per, int) or per >= _SAFE:
        return None
    if int(times[0]) - per < -_SAFE:
        return None
    # The window (t - per, t] ending at each event's instant, all of that
    # instant's events in it.
    ends = _ends(np, times)
    starts = np.searchsorted(times, times - per, side="right")
    prefix = np.concatenate(([0], np.cumsum(values)))
    totals = prefix[ends] - prefix[starts]
    idx = np.flatnonzero(totals > limit)
    # Each day's largest total, the first event of equals.
    pick = _first_per_day(np, days[idx], -totals[idx], idx)
    chosen = idx[pick]
    return days[chosen].tolist(), totals[chosen].tolist(), (ends[chosen] - 1).tolist()


def gap_rows(
    data: tuple[Any, Any, Any], need: int
) -> tuple[list[int], list[int]] | None:
    """Days and later doses *i* of each day's shortest gap under *need* µs, as two lists.

    As the pure sweep gives them, in the order of the days.
    """
    np = _numpy()
    times, days, _ = data
    if need >= _SAFE:
        return None
    gaps = times[1:] - times[:-1]
    idx = np.flatnonzero(gaps < need) + 1
    pick = _first_per_day(np, days[idx], gaps[idx - 1], idx)
    chosen = idx[pick]
    return days[chosen].tolist(), chosen.tolist()
