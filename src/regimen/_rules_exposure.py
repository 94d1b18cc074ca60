"""A limit on a model estimate: :class:`MaxExposure`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Final

import attrs

from . import _format
from ._exposure_model import Model, Peak, peaks
from ._finding import Finding, Severity
from ._kinetics import Kinetics
from ._limits import MAX_MOMENT
from ._quantity import Quantity
from ._rules_base import BuiltinRule, to_limit, to_term
from ._series import Context, pick
from ._substance import Substance
from ._validators import instance_of

if TYPE_CHECKING:
    from ._tables import RuleTable

__all__ = ["MaxExposure", "over_days", "peak_day", "rounded"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)
_LAST_US: Final = (MAX_MOMENT - _EPOCH) // _US


def rounded(value: float) -> Decimal:
    """Return an estimate to six significant digits, as findings state it."""
    return Decimal(f"{value:.6g}")


def peak_day(
    peak: Peak, zone: tzinfo | None, day_of: Callable[[datetime, int], int]
) -> tuple[datetime, int]:
    """Return a peak's moment in *zone* and the local day it counts for."""
    at = (_EPOCH + min(peak.us, _LAST_US) * _US).astimezone(zone)
    return at, day_of(at, peak.us)


def over_days(
    over: list[Peak],
    times: Sequence[int],
    zone_of: Callable[[int], tzinfo | None],
    day_of: Callable[[datetime, int], int],
) -> dict[int, tuple[float, datetime, dict[int, None]]]:
    """Group the peaks over the limit by local day: each day's highest and its doses.

    A day's doses are every dose of the groups whose peaks over the limit
    fall on that day (indices into *times*); *zone_of* gives the zone of a
    group's first dose, in which its peak's moment and day are read.
    """
    worst: dict[int, tuple[float, datetime, dict[int, None]]] = {}
    real: set[int] = set()  # the days whose highest is a maximum, not an end peak
    for peak in over:
        at, day = peak_day(peak, zone_of(peak.group), day_of)
        known = worst.get(day)
        involved = known[2] if known is not None else {}
        k = peak.group
        while k < len(times) and times[k] == times[peak.group]:
            involved[k] = None
            k += 1
        if known is None or (
            not peak.end and (day not in real or peak.value > known[0])
        ):
            worst[day] = (peak.value, at, involved)
            if not peak.end:
                real.add(day)
    return worst


@attrs.frozen(repr=False, init=False)
class MaxExposure(BuiltinRule):
    """At most *amount* of *substance* present at any moment, by a model estimate.

    The estimate is :func:`~regimen.exposure`'s: a one-compartment,
    first-order model with the given *kinetics* (or *half_life*,
    *absorption_half_life*, *bioavailability* and *kinetics_source*, which
    build one), summing every dose whose contents match *substance* (a
    name, alias or class) in *amount*'s unit. Its highest points are at
    doses and, with absorption, at one peak between two doses; a finding
    (``max-exposure``) reports, per local day, the highest estimate above
    the limit, at its moment, labelled as an estimate, with the doses
    whose stretch (from the dose to the next) has a high point over the
    limit that day: its start, its peak, or its end when it rises all the
    way to the next dose. Doses whose contents do
    not convert to the limit's unit are left out with a warning. *source*
    is where the limit comes from.

    >>> rule = MaxExposure("caffeine", "300 mg", half_life="5 h", kinetics_source="my notes")
    >>> rule.to_table()
    {'type': 'max-exposure', 'substance': 'caffeine', 'amount': '300 mg', 'kinetics': {'half_life': '5 h', 'source': 'my notes'}}
    """

    code: ClassVar[str] = "max-exposure"

    substance: str = attrs.field(converter=to_term)
    amount: Quantity = attrs.field(converter=to_limit)
    kinetics: Kinetics = attrs.field(kw_only=True, validator=instance_of(Kinetics))

    def __init__(
        self,
        substance: str | Substance,
        amount: Quantity | str,
        *,
        kinetics: Kinetics | None = None,
        half_life: timedelta | str | None = None,
        absorption_half_life: timedelta | str | None = None,
        bioavailability: Decimal | int | str | float = 1,
        kinetics_source: str | None = None,
        severity: Severity | str = Severity.ERROR,
        day_start: time | str | None = None,
        source: str | None = None,
    ) -> None:
        if kinetics is None:
            if half_life is None or kinetics_source is None:
                msg = (
                    "MaxExposure needs kinetics=Kinetics(...), or half_life= with "
                    "kinetics_source= (where the model's parameters come from)"
                )
                raise TypeError(msg)
            kinetics = Kinetics(
                half_life=half_life,
                absorption_half_life=absorption_half_life,
                bioavailability=bioavailability,
                source=kinetics_source,
            )
        elif half_life is not None or kinetics_source is not None:
            msg = "MaxExposure takes kinetics= or half_life= with kinetics_source=, not both"
            raise TypeError(msg)
        self.__attrs_init__(
            substance,
            amount,
            kinetics=kinetics,
            severity=severity,
            day_start=day_start,
            source=source,
        )

    def _table(self) -> RuleTable:
        return {
            "type": self.code,
            "substance": self.substance,
            "amount": str(self.amount),
            "kinetics": self.kinetics.to_table(),
        }

    def _check(self, ctx: Context) -> list[Finding]:
        series = ctx.series(self.substance, self.amount.unit)
        findings: list[Finding] = []
        seen: set[str] = set()
        for event in series.mismatched:
            if event.product.name in seen:
                continue
            seen.add(event.product.name)
            findings.append(
                Finding(
                    self.code,
                    Severity.WARNING,
                    f"{event.product.name} gives {self.substance} in units that do not "
                    f"convert to {self.amount.unit.value}, so it is left out of the "
                    "exposure estimate; give the product's contents in that dimension",
                    at=event.at,
                    events=(event,),
                    rule=self,
                    key=("mismatch", event.product.name),
                )
            )
        if not series.times:
            return findings
        scale = 10.0**series.scale
        amounts = [a / scale for a in series.amounts]
        over = peaks(
            Model(self.kinetics), series.times, amounts, float(self.amount.amount)
        )
        events = series.events
        worst = over_days(over, series.times, lambda g: events[g].at.tzinfo, ctx.day_of)
        described = (
            f"(one-compartment model estimate with {self.kinetics.describe()}, "
            f"not a measured level); limit {self.amount}"
        )
        for day, (value, at, involved) in worst.items():
            measured = Quantity(rounded(value), self.amount.unit)
            amount = _format.amount(Decimal(f"{value:.4g}"), self.amount.unit)
            findings.append(
                Finding(
                    self.code,
                    self.severity,
                    f"an estimated {amount} of {self.substance} present at "
                    f"{_format.moment(at)} {described}",
                    at=at,
                    events=pick(events, involved),
                    rule=self,
                    key=day,
                    measured=measured,
                    limit=self.amount,
                )
            )
        return findings
