"""supply() of a ten-year plan: time per call, next to the plan's expansion alone.

The protocol plan (six doses a day, four products, ~22,000 events) with
stock for every product, asked at the start of its third year, with and
without a log (the plan's own first two years). A call expands the plan
once and sums the events as scaled ints per distinct dose; the goal is a
call within about twice one expansion.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from _util import median_seconds
from bench_expand import ZONE, protocol_plan

from regimen import Timeline, supply


def main() -> None:
    """Print the time per supply() call and per expansion."""
    plan = protocol_plan(10)
    products = list(dict.fromkeys(e.dose.product for e in plan.entries))
    stock = {p: f"{20000 * p.per.amount} {p.per.unit.value}" for p in products}
    at = datetime(2029, 1, 1, 12, tzinfo=ZoneInfo(ZONE))
    timeline = plan.timeline()
    log = Timeline([e for e in timeline if e.at <= at])
    result = supply(plan, stock=stock, at=at, lead_time=timedelta(days=7))
    for p in result.products.values():
        print(f"  {p.product.name}: on hand {p.on_hand}, runs out {p.runs_out}")
    t_plain = median_seconds(
        lambda: supply(plan, stock=stock, at=at, lead_time=timedelta(days=7)), repeat=5
    )
    t_log = median_seconds(lambda: supply(plan, stock=stock, log=log, at=at), repeat=5)
    t_expand = median_seconds(plan.timeline, repeat=5)
    print(f"events: {len(timeline)}, logged: {len(log)}")
    print(f"supply (no log): {t_plain * 1000:.1f} ms per call (median of 5)")
    print(f"supply (with a two-year log): {t_log * 1000:.1f} ms per call (median of 5)")
    print(f"expansion alone: {t_expand * 1000:.1f} ms (median of 5)")
    print(f"ratio: {t_plain / t_expand:.2f} (goal <= 2.0)")


if __name__ == "__main__":
    main()
