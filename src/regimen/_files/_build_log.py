"""Building a log (doses, refills, stock counts) from its documents."""

from __future__ import annotations

from datetime import datetime

from .._dose import Dose
from .._plan import Plan
from .._product import Product
from .._stock import Refill, StockCount
from .._timeline import DoseEvent, Timeline
from .._timezone import zone
from ._builder import Builder
from ._docs import (
    LogDoc,
)

__all__ = ["log"]


def _log_moment(
    b: Builder, where: str, item: LogDoc, plan: Plan | None
) -> datetime | None:
    at = item.at
    if item.timezone is not None:
        local = zone(item.timezone)
        return at.replace(tzinfo=local) if at.tzinfo is None else at.astimezone(local)
    if at.tzinfo is None:
        if plan is None:
            b.problems.append(
                f"{where}.at: give a UTC offset (like 2027-01-03T08:30-05:00), or a plan "
                "whose time zone applies"
            )
            return None
        return at.replace(tzinfo=zone(plan.timezone))
    return at


_LOG_KINDS = ("dose", "refill", "stock")


def log(
    b: Builder, docs: list[LogDoc], products: dict[str, Product], plan: Plan | None
) -> tuple[Timeline, list[Refill], list[StockCount]]:
    events: list[DoseEvent] = []
    refills: list[Refill] = []
    counts: list[StockCount] = []
    for i, item in enumerate(docs):
        where = f"log[{i}]"
        given = [k for k in _LOG_KINDS if getattr(item, k) is not None]
        if len(given) != 1:
            b.problems.append(
                f"{where}: give exactly one of dose, refill or stock (got "
                f"{', '.join(given) or 'none'})"
            )
            continue
        kind = given[0]
        if kind != "dose" and item.as_needed:
            b.problems.append(f"{where}.as_needed: applies to a dose, not a {kind}")
            continue
        part = getattr(item, kind)
        product = b.lookup(f"{where}.{kind}.product", part.product, products, "product")
        at = _log_moment(b, where, item, plan)
        if product is None or at is None:
            continue
        if kind == "dose":
            event = b.attempt(
                where,
                lambda at=at, product=product, item=item, d=part: DoseEvent(  # type: ignore[misc]
                    at,
                    Dose(product, d.amount, meal=d.meal, note=d.note),
                    as_needed=item.as_needed,
                    note=item.note,
                ),
            )
            if event is not None:
                events.append(event)
        else:
            cls = Refill if kind == "refill" else StockCount
            record = b.attempt(
                f"{where}.{kind}",
                lambda cls=cls, at=at, product=product, item=item, d=part: cls(  # type: ignore[misc]
                    product, d.amount, at, note=item.note
                ),
            )
            if record is not None:
                if isinstance(record, Refill):
                    refills.append(record)
                else:
                    counts.append(record)
    return Timeline(events), refills, counts
