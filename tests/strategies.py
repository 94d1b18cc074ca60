"""Hypothesis strategies for the project's own tests (low-level pieces)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from regimen import Dimension, Quantity, Unit

units = st.sampled_from(list(Unit))
mass_units = st.sampled_from([u for u in Unit if u.dimension is Dimension.MASS])
volume_units = st.sampled_from([u for u in Unit if u.dimension is Dimension.VOLUME])


def amounts(
    *, min_value: str = "-1000000", max_value: str = "1000000", places: int = 6
) -> st.SearchStrategy[Decimal]:
    """Finite decimals with at most *places* fractional digits."""
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def quantities_in(
    unit_strategy: st.SearchStrategy[Unit], *, min_value: str = "-1000000"
) -> st.SearchStrategy[Quantity]:
    """Quantities with amounts from :func:`amounts` in the given units."""
    return st.builds(Quantity, amounts(min_value=min_value), unit_strategy)
