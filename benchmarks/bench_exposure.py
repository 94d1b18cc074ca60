"""exposure() of a ten-year plan at hourly steps, and MaxExposure in validate and allowance.

The plan is the protocol table (three kratom doses a day, ten years: about
11,000 doses); the series has one point per hour (87,600 points). The
series costs one step per point and one term per dose. Also measured: one
validate() with a MaxExposure rule (its peaks in closed form), and one
allowance() asked a year into a year's log, where the rule is answered by
its definition. Model parameters here are made up for the benchmark.
"""

from __future__ import annotations

from datetime import timedelta

from _util import median_seconds
from bench_expand import protocol_plan

from regimen import Kinetics, MaxExposure, Profile, allowance, exposure, validate

KINETICS = Kinetics(
    half_life="10 h", absorption_half_life="1 h", source="benchmark figures"
)


def main() -> None:
    """Print the time per call of each."""
    plan = protocol_plan(10)
    timeline = plan.timeline()
    series = exposure(timeline, "kratom", kinetics=KINETICS, step="1 h")
    print(
        f"{len(timeline)} events, {len(series)} points; peak {series.peak.amount:.2f} g"
    )
    t_series = median_seconds(
        lambda: exposure(timeline, "kratom", kinetics=KINETICS, step="1 h"), repeat=5
    )
    print(f"exposure, 10 years hourly: {t_series * 1000:.1f} ms per call (median of 5)")
    t_points = median_seconds(
        lambda: exposure(timeline, "kratom", kinetics=KINETICS, step="1 h").points,
        repeat=3,
    )
    print(f"  with every point as (datetime, amount): {t_points * 1000:.1f} ms")
    profile = Profile(rules=[MaxExposure("kratom", "4 g", kinetics=KINETICS)])
    t_validate = median_seconds(lambda: validate(timeline, profile), repeat=3)
    found = len(validate(timeline, profile).findings)
    print(
        f"validate with MaxExposure, 10 years: {t_validate * 1000:.1f} ms ({found} findings)"
    )
    year = protocol_plan(1).timeline()
    at = year[-1].at - timedelta(hours=1)
    log = year.between(year[0].at, at)
    t_allow = median_seconds(
        lambda: allowance(log, profile, "kratom", at=at, horizon=timedelta(days=2)),
        repeat=3,
    )
    answer = allowance(log, profile, "kratom", at=at, horizon=timedelta(days=2))
    print(
        f"allowance with MaxExposure, one year's log: {t_allow * 1000:.1f} ms "
        f"(amount {answer.amount}, earliest {answer.earliest})"
    )


if __name__ == "__main__":
    main()
