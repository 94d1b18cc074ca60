"""How :func:`~regimen.allowance` weighs one more dose against a :class:`~regimen.MaxExposure`.

The rule is answered by its definition, like a rule of one's own: a dose is
allowed when adding it creates no error finding the rule did not report
without it. Instead of building a timeline with the dose and running the
rule over it, :class:`ExposureProbe` keeps the rule's series (instants,
amounts, zones) and its findings' contents per day, and recomputes only the
peaks from the dose on, with the very functions the rule's check uses
(:func:`~regimen._exposure_model.peaks`,
:func:`~regimen._rules_exposure.over_days`), so both agree by construction.
"""

from __future__ import annotations

import bisect
from datetime import time, tzinfo
from decimal import Decimal
from fractions import Fraction

from ._allowance_checks import content_per_unit
from ._exposure_model import Model, Peak, advance, group_peaks, peaks
from ._finding import Severity
from ._product import Product
from ._rules_exposure import MaxExposure, over_days, peak_day, rounded
from ._series import Context
from ._timeline import Timeline
from ._timezone import utc_us
from ._units import Unit

__all__ = ["ExposureAsking", "ExposureProbe"]

#: A day's finding, as far as equality goes: the estimate as stated, its
#: instant, and which doses it lists (by place in the series, or "new").
_Key = tuple[Decimal, int, frozenset[object]]


class ExposureProbe:
    """A :class:`~regimen.MaxExposure` over one timeline, ready to weigh one more dose.

    A dose at *t* changes the estimate from *t* on only, and its share
    decays: the walk starts at the dose group before *t* (whose peak
    between doses the new dose may cut) and stops at the first dose group
    whose state is again exactly the one without the dose, after which
    every peak is the same. Only the days whose peaks were recomputed can
    hold a new finding.
    """

    def __init__(self, rule: MaxExposure, timeline: Timeline, day_start: time) -> None:
        self.rule = rule
        self.ctx = ctx = Context(timeline, rule.day_start or day_start)
        series = ctx.series(rule.substance, rule.amount.unit)
        self.scale = series.scale
        factor = 10.0**series.scale
        self.times = list(series.times)
        self.amounts = [a / factor for a in series.amounts]
        self.zones = [e.at.tzinfo for e in series.events]
        self.model = Model(rule.kinetics)
        self.limit = float(rule.amount.amount)
        self.states: list[tuple[int, float, float]] = []
        self.peaks = peaks(
            self.model, self.times, self.amounts, self.limit, self.states
        )
        self.group_times = [self.times[first] for first, _, _ in self.states]
        self.state_at = {first: (y, x) for first, y, x in self.states}
        self.peak_groups = [p.group for p in self.peaks]
        self.before = self._keys(self.peaks, self.times, self.zones, -1)
        self.peak_days: list[int] = []
        self.by_day: dict[int, list[int]] = {}
        for j, peak in enumerate(self.peaks):
            day = self._day(peak, self.zones)
            self.peak_days.append(day)
            self.by_day.setdefault(day, []).append(j)

    def _day(self, peak: Peak, zones: list[tzinfo | None]) -> int:
        return peak_day(peak, zones[peak.group], self.ctx.day_of)[1]

    def _keys(
        self,
        found: list[Peak],
        times: list[int],
        zones: list[tzinfo | None],
        new: int,
    ) -> dict[int, _Key]:
        days = over_days(found, times, zones.__getitem__, self.ctx.day_of)
        out: dict[int, _Key] = {}
        for day, (value, at, involved) in days.items():
            listed = frozenset(
                "new" if k == new else (k - 1 if new != -1 and k > new else k)
                for k in involved
            )
            out[day] = (rounded(value), utc_us(at), listed)
        return out

    def asking(self, product: Product, unit: Unit) -> ExposureAsking:
        """Return this probe for doses of *product* measured in *unit*."""
        per = content_per_unit(
            product, unit, self.rule.substance, self.rule.amount.unit
        )
        return ExposureAsking(self, per)

    def new_errors(self, us: int, amount: float, zone: tzinfo) -> bool:
        """Tell whether a dose holding *amount* (in the limit's unit) at *us* adds an error finding."""
        k = bisect.bisect_right(self.times, us)  # after doses of the same instant
        times = [*self.times[:k], us, *self.times[k:]]
        amounts = [*self.amounts[:k], amount, *self.amounts[k:]]
        zones = [*self.zones[:k], zone, *self.zones[k:]]
        # Walk from the group before the dose's instant (from its own state).
        g = bisect.bisect_left(self.group_times, us)
        model, limit = self.model, self.limit
        if g >= 2:
            start, y, x = self.states[g - 1][0], *self.states[g - 2][1:]
            prev: int | None = self.group_times[g - 2]
        else:
            start, y, x, prev = 0, 0.0, 0.0, None
        out: list[Peak] = []
        i, n = start, len(times)
        stop = n  # first index (new places) from which nothing changes
        while i < n:
            now = times[i]
            if prev is not None:
                y, x = advance(model, y, x, now - prev)
            first = i
            while i < n and times[i] == now:
                y += amounts[i]
                i += 1
            prev = now
            if first > k and self.state_at[first - 1] == (y, x):
                stop = first
                break
            until = times[i] if i < n else None
            group_peaks(model, first, now, (y, x), until=until, above=limit, out=out)
        # The peaks without the dose: unchanged before *start* and from *stop* on.
        lo = bisect.bisect_left(self.peak_groups, start)
        hi = (
            bisect.bisect_left(self.peak_groups, stop - 1)
            if stop < n
            else len(self.peaks)
        )
        new_days = [self._day(p, zones) for p in out]
        for day in {*new_days, *self.peak_days[lo:hi]}:
            kept = self.by_day.get(day, [])
            on_day = [
                *(self.peaks[j] for j in kept if j < lo),
                *(p for p, d in zip(out, new_days, strict=True) if d == day),
                *(self.peaks[j].moved(1) for j in kept if j >= hi),
            ]
            after = self._keys(on_day, times, zones, k).get(day)
            if after is not None and after != self.before.get(day):
                return True
        return False


class ExposureAsking:
    """An :class:`ExposureProbe` about doses of one product: amounts in the product's unit."""

    def __init__(self, probe: ExposureProbe, per_unit: Fraction | None) -> None:
        self.probe = probe
        self.per_unit = per_unit

    def new_errors(self, us: int, amount: Fraction, zone: tzinfo) -> bool:
        """Tell whether *amount* of the product at *us* adds an error finding.

        A product whose contents do not convert to the limit's unit is not
        counted by the rule (it only warns), nor is one without the
        substance; a warning-level rule adds no error.
        """
        probe = self.probe
        if (
            not self.per_unit
            or amount <= 0
            or probe.rule.severity is not Severity.ERROR
        ):
            return False
        return probe.new_errors(us, float(amount * self.per_unit), zone)
