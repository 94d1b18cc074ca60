"""Every event's local day number, from the timeline's columns, in one pass.

On numpy arrays when numpy is installed and the timeline is long, in
slices of pure Python otherwise; both give the same numbers (a property
test holds them to it). The numbers are proleptic ordinals, in an array of
8-byte integers: a plan of a million doses holds 8 MB of them, not the
36 MB of a list of ints.
"""

from __future__ import annotations

from array import array
from datetime import date
from typing import Final

from ._windows_np import MIN_EVENTS, kind_ids, numpy_or_none

__all__ = ["DAY_US", "EPOCH_ORDINAL", "day_numbers"]

DAY_US: Final = 86_400_000_000
EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
#: How many day numbers the pure-Python pass works out at a time.
_SLICE: Final = 1 << 16


def day_numbers(us: array[int], kind: array[int], offsets: list[int]) -> array[int]:
    """Return ``(us[i] + offsets[kind[i]]) // DAY_US + EPOCH_ORDINAL`` for every event.

    *us* are instants (µs since the epoch, UTC), *kind* each event's kind
    id, *offsets* each kind's UTC offset less the day start (µs).

    >>> list(day_numbers(array("q", [0, 3_600_000_000]), array("B", [0, 1]), [0, -7_200_000_000]))
    [719163, 719162]
    """
    np = numpy_or_none() if len(us) >= MIN_EVENTS else None
    if np is not None:  # the same numbers, worked out on arrays
        ids = kind_ids(np, kind)
        at = np.frombuffer(us, dtype=np.int64) + np.array(offsets, dtype=np.int64)[ids]
        return array("q", (at // DAY_US + EPOCH_ORDINAL).astype(np.int64).tobytes())
    found = array("q")
    # In slices: a list comprehension is the fastest loop, and a slice's
    # list is all that is held besides the array.
    for at in range(0, len(us), _SLICE):
        found.extend(
            [
                (u + offsets[k]) // DAY_US + EPOCH_ORDINAL
                for u, k in zip(
                    us[at : at + _SLICE], kind[at : at + _SLICE], strict=True
                )
            ]
        )
    return found
