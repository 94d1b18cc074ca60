"""validate() against the pandas pipeline a data-savvy user would write.

On the same ten-year protocol timeline (about 22,000 events) both compute
four checks: a rolling 24 h amount limit, a calendar-day amount limit, doses
per day and a minimum interval. The pandas side builds its DataFrame from
the same events (that is part of its cost, as it is of ours). Goals:
validate no slower than pandas (ratio <= 1.0), and ten times the events
costing at most twelve times the time.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from _util import PROFILE, median_seconds
from bench_expand import protocol_plan

from regimen import Timeline, validate


def with_pandas(timeline: Timeline) -> tuple[int, int, int, int]:
    """The same four checks with pandas; returns how many days each flags."""
    rows = [
        (
            e.at,
            e.at.date(),
            float(
                sum(
                    q.to("g").amount
                    for s, q in e.contents.items()
                    if s.name == "kratom"
                )
            ),
        )
        for e in timeline
        if any(s.name == "kratom" for s in e.contents)
    ]
    df = pd.DataFrame(rows, columns=["at", "day", "grams"])
    df["utc"] = pd.to_datetime([r[0] for r in rows], utc=True)
    df = df.set_index("utc")
    rolling = df["grams"].rolling("24h").sum()
    rolling_days = df["day"][rolling > 8].nunique()
    daily = df.groupby("day")["grams"].agg(["sum", "count"])
    day_amount = int((daily["sum"] > 6).sum())
    day_doses = int((daily["count"] > 3).sum())
    gaps = df.index.to_series().diff()
    interval_days = df["day"][gaps < pd.Timedelta(hours=4)].nunique()
    return int(rolling_days), day_amount, day_doses, int(interval_days)


def with_regimen(timeline: Timeline) -> tuple[int, int, int, int]:
    """validate() with the four rules; returns how many days each flags."""
    report = validate(timeline, PROFILE)
    counts = dict.fromkeys(PROFILE.rules, 0)
    for finding in report.findings:
        counts[finding.rule] += 1  # type: ignore[index]
    a, b, c, d = (counts[r] for r in PROFILE.rules)
    return a, b, c, d


def main() -> None:
    """Print both ratios."""
    timeline = protocol_plan(10).timeline()
    ours, theirs = with_regimen(timeline), with_pandas(timeline)
    assert ours == theirs, (ours, theirs)
    t_ours = median_seconds(lambda: with_regimen(timeline))
    t_pandas = median_seconds(lambda: with_pandas(timeline))
    print(f"events: {len(timeline)}; days flagged per rule: {ours}")
    print(f"regimen validate: {t_ours * 1000:.1f} ms (median of 7)")
    print(f"pandas pipeline:  {t_pandas * 1000:.1f} ms (median of 7)")
    print(f"ratio: {t_ours / t_pandas:.2f} (goal <= 1.0)")

    big = protocol_plan(100).timeline()
    t_big = median_seconds(lambda: with_regimen(big), repeat=3)
    print(
        f"10x events ({len(big)}): {t_big * 1000:.1f} ms; scaling {t_big / t_ours:.1f}x (goal <= 12x)"
    )


if __name__ == "__main__":
    main()
    _ = Decimal
