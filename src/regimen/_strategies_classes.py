"""Hypothesis strategies for sourced dose classes and the limits built on them."""

from __future__ import annotations

from hypothesis import strategies as st

from ._dose_classes import DoseClasses
from ._quantity import Quantity
from ._rules_classes import DoseClassLimit
from ._strategies_base import check_strategy
from ._units import Unit

__all__ = ["dose_class_limits", "dose_classes"]

_NAMES = ("threshold", "light", "common", "strong", "heavy")
_SOURCES = st.sampled_from(
    ["example table A (illustrative)", "example table B (illustrative)"]
)


@st.composite
def dose_classes(draw: st.DrawFn) -> DoseClasses:
    """Draw sourced tables of one to five classes, rising thresholds in g or mg."""
    count = draw(st.integers(1, len(_NAMES)))
    start = len(_NAMES) - count if draw(st.booleans()) else 0
    names = _NAMES[start : start + count]
    steps = draw(st.lists(st.integers(1, 4000), min_size=count, max_size=count))
    unit = draw(st.sampled_from([Unit.MG, Unit.G]))
    total = 0
    thresholds = {}
    for name, step in zip(names, steps, strict=True):
        total += step
        amount = Quantity(total, Unit.MG).to(unit)
        thresholds[name] = amount
    return DoseClasses(source=draw(_SOURCES), thresholds=thresholds)


@st.composite
def dose_class_limits(
    draw: st.DrawFn, *, terms: st.SearchStrategy[str] | None = None
) -> DoseClassLimit:
    """Draw limits to a dose class of a substance named by *terms* (default: "kratom")."""
    if terms is not None:
        check_strategy(terms, "terms")
    term = draw(terms) if terms is not None else "kratom"
    return DoseClassLimit(
        term,
        above=draw(st.sampled_from(_NAMES[1:4])),
        according_to=draw(st.none() | _SOURCES),
        severity=draw(st.sampled_from(["error", "warning"])),
    )
