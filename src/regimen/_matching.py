"""Optimal matching of planned to logged moments: most matches, then least time apart.

Planned moments ``p`` and logged moments ``l`` (integer microseconds, both
sorted) may be paired when ``|p - l| <= tolerance``. :func:`match` returns a
pairing with the largest number of pairs and, among those, the smallest
total ``|p - l|``.

Because every planned moment has a window of the same width, some optimal
pairing never crosses (``p1 < p2`` paired with ``l2 < l1`` can be swapped
without losing a pair or adding time), so a dynamic programme over the two
sorted sequences finds it. Only the cells where a pair is possible are
visited (the band of each planned moment's window), so the work is the
number of feasible pairs, bounded by :data:`MAX_MATCHING_WORK`.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Sequence
from typing import Final

from ._errors import RegimenError

__all__ = ["MAX_MATCHING_WORK", "check_work", "match", "partners", "solve_rest"]

#: Most feasible (planned, logged) pairs one call may weigh: far above what
#: a log of ten years of daily doses needs (tens of thousands), low enough
#: that a call returns within seconds whatever it is given.
MAX_MATCHING_WORK: Final = 5_000_000


def match(
    planned: Sequence[int], logged: Sequence[int], tolerance: int
) -> list[tuple[int, int]]:
    """Return optimal ``(planned index, logged index)`` pairs, in time order.

    Raises :class:`~regimen.RegimenError` when the two sequences are so
    dense that more than :data:`MAX_MATCHING_WORK` pairs are possible.

    >>> match([0, 100, 200], [90, 190], 50)
    [(1, 0), (2, 1)]
    >>> match([0, 100], [60], 60)  # equally many pairs: the closer one wins
    [(1, 0)]
    """
    return [
        (i, j) for i, j in enumerate(partners(planned, logged, tolerance)) if j >= 0
    ]


def partners(
    planned: Sequence[int], logged: Sequence[int], tolerance: int
) -> list[int]:
    """Return, per planned moment, its logged partner's index in :func:`match`, or -1.

    >>> partners([0, 100, 200], [90, 190], 50)
    [-1, 0, 1]
    """
    n = len(planned)
    lo = [bisect.bisect_left(logged, p - tolerance) for p in planned]
    hi = [bisect.bisect_right(logged, p + tolerance) for p in planned]
    counts = list(map(operator.sub, hi, lo))
    check_work(n, len(logged), sum(counts))
    if not n:
        return []
    # The feasible pairs fall apart into independent groups: planned moments
    # i and i + 1 share a group when their logged ranges overlap (both ends
    # only grow with i, so a moment with no candidate is never inside one).
    # Most moments of a real log are alone with one candidate: they are
    # paired in bulk, and only the rest are solved one group at a time.
    joined = list(map(operator.lt, lo[1:], hi[:-1]))
    alone = list(
        map(operator.not_, map(operator.or_, [False, *joined], [*joined, False]))
    )
    out = [f if a and c == 1 else -1 for f, c, a in zip(lo, counts, alone, strict=True)]
    todo = [
        i
        for i, c, a in zip(range(n), counts, alone, strict=True)
        if c > 1 or (c and not a)
    ]
    solve_rest(planned, logged, tolerance, (lo, hi, joined), todo=todo, out=out)
    return out


def check_work(n: int, m: int, work: int) -> None:
    """Raise :class:`~regimen.RegimenError` when *work* pairs exceed the budget."""
    if work > MAX_MATCHING_WORK:
        msg = (
            f"matching {n} planned doses against {m} logged ones would "
            f"weigh {work} possible pairs (at most {MAX_MATCHING_WORK}); "
            "use a smaller tolerance or a shorter period"
        )
        raise RegimenError(msg)


def solve_rest(
    planned: Sequence[int],
    logged: Sequence[int],
    tolerance: int,
    ranges: tuple[Sequence[int], Sequence[int], Sequence[bool]],
    *,
    todo: Sequence[int],
    out: list[int],
) -> None:
    """Pair the planned moments in *todo* (in order) into *out*, group by group.

    *ranges* holds each planned moment's first and end candidate and
    whether it shares a group with the next. A moment alone in its group
    takes its closest candidate (the earlier on a tie); a larger group is
    solved by the dynamic programme.
    """
    lo, hi, joined = ranges
    n = len(lo)
    t = 0
    while t < len(todo):
        i = todo[t]
        k = i
        while k < n - 1 and joined[k]:
            k += 1
        first = lo[i]
        if k == i:
            p = planned[i]
            out[i] = min(range(first, hi[i]), key=lambda j: abs(logged[j] - p))
        else:
            for a, b in _dense(planned[i : k + 1], logged[first : hi[k]], tolerance):
                out[a + i] = b + first
        t += k - i + 1


def _dense(
    planned: Sequence[int], logged: Sequence[int], tolerance: int
) -> list[tuple[int, int]]:
    """Return the optimal pairs of one group of moments (the dynamic programme)."""
    n = len(planned)
    lo = [bisect.bisect_left(logged, p - tolerance) for p in planned]
    hi = [bisect.bisect_right(logged, p + tolerance) for p in planned]
    # A pair is worth `scale` minus its distance: one more pair always beats
    # any saving in time (k pairs are at most k * tolerance apart in all, and
    # k is at most the shorter sequence's length), and among equally many
    # pairs the closer ones win.
    scale = min(n, len(logged)) * tolerance + 1
    # Row i holds f(i, j) for j in [start_i, start_i + len(row_i) - 1]: the
    # best value using the first i planned and the first j logged moments.
    # Below start_i, f(i, j) is never needed; above, it equals the last cell.
    starts = [0]
    rows: list[list[int]] = [[0]]
    took: list[list[bool]] = [[False]]
    for i in range(n):
        first, last = lo[i], hi[i]  # logged[first:last] may pair with planned[i]
        prev, prev_start = rows[i], starts[i]

        def before(j: int, prev: list[int] = prev, prev_start: int = prev_start) -> int:
            k = j - prev_start
            return prev[k] if k < len(prev) else prev[-1]

        row = [before(first)]
        mark = [False]
        for j in range(first + 1, last + 1):
            skip = max(before(j), row[-1])
            pair = before(j - 1) + scale - abs(planned[i] - logged[j - 1])
            if pair > skip:
                row.append(pair)
                mark.append(True)
            else:
                row.append(skip)
                mark.append(False)
        starts.append(first)
        rows.append(row)
        took.append(mark)
    return _trace(rows, starts, took, n)


def _trace(
    rows: list[list[int]], starts: list[int], took: list[list[bool]], n: int
) -> list[tuple[int, int]]:
    """Walk back from f(n, last) along the choices that made each value."""
    pairs: list[tuple[int, int]] = []
    i, j = n, starts[n] + len(rows[n]) - 1
    while i > 0:
        row, start = rows[i], starts[i]
        k = min(j - start, len(row) - 1)  # above the row, the value is its last cell
        j = start + k
        if k == 0:
            i -= 1  # f(i, start) = f(i - 1, start)
        elif took[i][k]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif row[k - 1] == row[k]:
            j -= 1  # logged j - 1 stays unpaired
        else:
            i -= 1  # planned i - 1 stays unpaired
    pairs.reverse()
    return pairs
