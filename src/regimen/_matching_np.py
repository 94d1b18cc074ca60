"""Adherence's grouping and matching over numpy arrays, for long plans when numpy is installed.

The same partners as :func:`regimen._matching.partners` per group (a
property test holds them to it): candidate ranges come from
``searchsorted``, the moments alone with one candidate are paired in bulk,
and the rest go to the same exact solver as the pure-Python path. Without
numpy, for short inputs, or when instants plus the tolerance could leave
64 bits, :func:`hits` returns ``None`` and the caller keeps to pure Python.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any, Final

from ._matching import check_work, solve_rest
from ._windows_np import numpy_or_none

__all__ = ["MIN_DOSES", "hits"]

#: Fewer planned doses are matched in pure Python: converting would cost more.
MIN_DOSES: Final = 2048
_SAFE: Final = 1 << 62


def _column(np: Any, values: array[int], count: int) -> Any:
    return np.frombuffer(values, dtype=values.typecode, count=count).astype(np.int64)


def hits(
    planned: tuple[array[int], array[int], Sequence[int]],
    logged: tuple[array[int], array[int], Sequence[int]],
    *,
    n: int,
    m: int,
    groups: int,
    tolerance: int,
) -> array[int] | None:
    """Return, per planned dose of the first *n*, its matched logged dose or -1.

    *planned* and *logged* are (instants, kind ids, group of each kind),
    groups numbered from 0 to *groups* - 1; only the first *n* planned and
    *m* logged doses take part, each matched within its group. ``None``
    when pure Python must do it.
    """
    np = numpy_or_none()
    if np is None or n < MIN_DOSES or not m:
        return None
    p_us, l_us = _column(np, planned[0], n), _column(np, logged[0], m)
    ends = (p_us[0], p_us[-1], l_us[0], l_us[-1])
    if max(abs(int(u)) for u in ends) + tolerance >= _SAFE:
        return None
    p_group = np.asarray(planned[2], dtype=np.int64)[_column(np, planned[1], n)]
    l_group = np.asarray(logged[2], dtype=np.int64)[_column(np, logged[1], m)]
    out = np.full(n, -1, dtype=np.int64)
    for g in range(groups):
        ps, ls = np.flatnonzero(p_group == g), np.flatnonzero(l_group == g)
        if len(ps) and len(ls):
            found = _partners(np, p_us[ps], l_us[ls], tolerance)
            ok = found >= 0
            out[ps[ok]] = ls[found[ok]]
    result = array("q")
    result.frombytes(out.tobytes())
    return result


def _partners(np: Any, planned: Any, logged: Any, tolerance: int) -> Any:
    """Return each planned moment's partner index in *logged*, or -1 (int64 array)."""
    lo = np.searchsorted(logged, planned - tolerance, side="left")
    hi = np.searchsorted(logged, planned + tolerance, side="right")
    counts = hi - lo
    check_work(len(planned), len(logged), int(counts.sum()))
    joined = lo[1:] < hi[:-1]
    alone = np.ones(len(planned), dtype=bool)
    alone[1:] &= ~joined
    alone[:-1] &= ~joined
    out = np.where(alone & (counts == 1), lo, -1)
    todo = np.flatnonzero((counts > 1) | ((counts > 0) & ~alone))
    if len(todo):
        rest = out.tolist()
        solve_rest(
            planned.tolist(),
            logged.tolist(),
            tolerance,
            (lo.tolist(), hi.tolist(), joined.tolist()),
            todo=todo.tolist(),
            out=rest,
        )
        out = np.asarray(rest, dtype=np.int64)
    return out
