"""Hypothesis strategies for what a log records about supply: refills and stock counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from ._product import Product
from ._quantity import Quantity
from ._stock import Refill, StockCount
from ._strategies_base import DST_ZONES, check_strategy, products
from ._timezone import zone

__all__ = ["refills", "stock_counts"]

_BASE = datetime(2027, 3, 13, tzinfo=zone("UTC"))


def _amount(product: Product, *, zero: bool) -> st.SearchStrategy[Quantity]:
    """Amounts the product can be measured in: in its own unit, or in a linked one."""
    units = [product.per.unit]
    units += [u for pair in product.equivalents for u in (pair[0].unit, pair[1].unit)]
    return st.builds(
        Quantity,
        st.integers(0 if zero else 1, 500),
        st.sampled_from(sorted(set(units), key=lambda u: u.value)),
    )


def _records(
    draw: st.DrawFn, made: st.SearchStrategy[Product] | None, *, zero: bool
) -> tuple[Product, Quantity, datetime]:
    if made is not None:
        check_strategy(made, "products")
    product = draw(made if made is not None else products())
    amount = draw(_amount(product, zero=zero))
    minutes = draw(st.integers(0, 20 * 1440))
    where = zone(draw(st.sampled_from(DST_ZONES)))
    return product, amount, (_BASE + timedelta(minutes=minutes)).astimezone(where)


@st.composite
def refills(
    draw: st.DrawFn, *, products: st.SearchStrategy[Product] | None = None
) -> Refill:
    """Refills of a product (drawn from *products*), in its units, near a DST weekend."""
    product, amount, at = _records(draw, products, zero=False)
    return Refill(product, amount, at, note=draw(st.sampled_from(["", "pharmacy"])))


@st.composite
def stock_counts(
    draw: st.DrawFn, *, products: st.SearchStrategy[Product] | None = None
) -> StockCount:
    """Stock counts of a product (zero now and then), in its units, near a DST weekend."""
    product, amount, at = _records(draw, products, zero=True)
    return StockCount(product, amount, at)
