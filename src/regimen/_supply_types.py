"""What :func:`~regimen.supply` returns: :class:`Supply` and :class:`ProductSupply`."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from . import _decimal
from ._format import duration, moment
from ._product import Product
from ._quantity import Quantity
from ._units import Unit

if TYPE_CHECKING:
    from ._tables import ProductSupplyDict, SupplyDict

__all__ = ["ProductSupply", "Supply"]


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@attrs.frozen
class ProductSupply:
    """The supply of one product as of a moment (see :func:`~regimen.supply`).

    Amounts are exact, in *unit* (the product's package unit, else the unit
    its stock was counted in). *on_hand* is what is left at the moment
    (negative when more was logged than stocked); *per_day* the mean
    planned use per day from that day to the horizon; *needed* and
    *needed_worst* the use after the moment up to the horizon, planned and
    worst case. *runs_out* is the moment of the first planned dose the stock
    cannot cover in full (``None``: it lasts to the horizon);
    *runs_out_worst* the same when every as-needed dose and the upper end
    of every range is taken. *order_by* is the local date a refill must be
    ordered by to arrive before *runs_out*, given the lead time (``None``
    without one, or when nothing runs out). *packages_needed* (and
    *packages_needed_worst*) count whole packages to buy to reach the
    horizon (``None`` when the product states no package).
    """

    product: Product
    unit: Unit
    on_hand: Quantity
    per_day: Quantity
    needed: Quantity
    needed_worst: Quantity
    runs_out: datetime | None
    runs_out_worst: datetime | None
    order_by: date | None
    packages_needed: int | None
    packages_needed_worst: int | None

    def to_dict(self) -> ProductSupplyDict:
        """Return a JSON-ready dict: exact amounts as text, moments as ISO text."""
        return {
            "product": self.product.name,
            "unit": self.unit.value,
            "package": None
            if self.product.package is None
            else str(self.product.package),
            "on_hand": str(self.on_hand),
            "per_day": str(self.per_day),
            "needed": str(self.needed),
            "needed_worst": str(self.needed_worst),
            "runs_out": _when(self.runs_out),
            "runs_out_worst": _when(self.runs_out_worst),
            "order_by": None if self.order_by is None else self.order_by.isoformat(),
            "packages_needed": self.packages_needed,
            "packages_needed_worst": self.packages_needed_worst,
        }


@attrs.frozen
class Supply:
    """Stock, use and run-out of each product of a plan, as of *at* up to *until*.

    *products* maps each product whose stock is known (a stock figure, a
    count or a refill) to its :class:`ProductSupply`, in the plan's order;
    *untracked* lists the plan's products with no stock known. *until* is
    the horizon (the last day, inclusive) and *lead_time* how long a refill
    takes to arrive.
    """

    at: datetime
    until: date
    lead_time: timedelta | None
    products: Mapping[Product, ProductSupply]
    untracked: tuple[Product, ...] = ()

    def to_dict(self) -> SupplyDict:
        """Return a JSON-ready dict: ``at``, ``until``, ``lead_time``, ``products``, ``untracked``."""
        return {
            "at": self.at.isoformat(),
            "until": self.until.isoformat(),
            "lead_time": None if self.lead_time is None else duration(self.lead_time),
            "products": [p.to_dict() for p in self.products.values()],
            "untracked": [p.name for p in self.untracked],
        }

    def _table(self) -> tuple[list[str], list[list[str]]]:
        header = ["product", "on hand", "per day", "runs out", "worst case"]
        if self.lead_time is not None:
            header.append("order by")
        header.append("packages to reach " + self.until.isoformat())
        rows = []
        for p in self.products.values():
            row = [
                p.product.name,
                _short(p.on_hand),
                _short(p.per_day),
                "-" if p.runs_out is None else moment(p.runs_out),
                "-" if p.runs_out_worst is None else moment(p.runs_out_worst),
            ]
            if self.lead_time is not None:
                row.append("-" if p.order_by is None else p.order_by.isoformat())
            row.append(_packages(p))
            rows.append(row)
        return header, rows

    def _heading(self) -> str:
        lead = ""
        if self.lead_time is not None:
            whole = (
                self.lead_time.days
                if self.lead_time % timedelta(days=1) == timedelta(0)
                else None
            )
            shown = f"{whole} d" if whole else duration(self.lead_time)
            lead = f", lead time {shown}"
        return f"Supply as of {moment(self.at)}, to {self.until.isoformat()}{lead}"

    def _untracked(self) -> str:
        names = ", ".join(p.name for p in self.untracked)
        return f"no stock known for {names}" if names else ""

    def to_text(self) -> str:
        """Render as plain text with aligned columns ('-': does not run out by the horizon)."""
        header, rows = self._table()
        out = [self._heading()]
        if rows:
            widths = [
                max(len(x) for x in col) for col in zip(header, *rows, strict=True)
            ]
            for row in [header, *rows]:
                cells = [c.ljust(w) for c, w in zip(row, widths, strict=True)]
                out.append("  " + "  ".join(cells).rstrip())
        else:
            out.append("  no product with a known stock")
        if self.untracked:
            out.append(f"  ({self._untracked()})")
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        """Render as a Markdown section with a table."""
        header, rows = self._table()
        out = ["## Supply", "", self._heading().removeprefix("Supply "), ""]
        if rows:
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join("---" for _ in header) + "|")
            out += [
                "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
                for row in rows
            ]
        else:
            out.append("No product with a known stock.")
        out.append("")
        if self.untracked:
            out += [f"* {self._untracked()}", ""]
        return "\n".join(out)


def _packages(p: ProductSupply) -> str:
    if p.packages_needed is None or p.packages_needed_worst is None:
        return "-"
    if p.packages_needed == p.packages_needed_worst:
        return str(p.packages_needed)
    return f"{p.packages_needed} ({p.packages_needed_worst} worst case)"


#: Rounds for display (never traps: a shown amount may be inexact).
_ROUND: Final = decimal.Context(
    prec=2000, rounding=decimal.ROUND_HALF_EVEN, Emin=-2500, Emax=2500
)


def _short(q: Quantity) -> str:
    """Write a quantity rounded to two decimals, for display."""
    rounded = q.amount.quantize(Decimal("0.01"), context=_ROUND)
    return str(Quantity(_decimal.trim(rounded), q.unit))
