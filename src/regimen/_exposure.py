"""Exposure estimates: :func:`exposure` and the series it returns, :class:`Exposure`.

A model estimate of how much of a substance is still present, from a
one-compartment, first-order model with parameters the caller supplies
with their source (:class:`~regimen.Kinetics`); see
:mod:`regimen._exposure_model` for the formulas. Never a measured level.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from . import _format
from ._errors import ExpansionError, UnitError
from ._exposure_model import Model
from ._kinetics import Kinetics
from ._limits import MAX_MOMENT, MIN_MOMENT
from ._series import Context, Series
from ._substance import Substance, term_of
from ._timeline import Timeline
from ._timezone import utc_us
from ._units import Unit

if TYPE_CHECKING:
    from ._tables import ExposureDict

__all__ = [
    "MAX_POINTS",
    "Exposure",
    "ExposurePoint",
    "doses_of",
    "exposure",
    "kinetics_of",
]

#: The most points one series may hold (ten years at 6-minute steps fit).
MAX_POINTS: Final = 1_000_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)


class ExposurePoint(NamedTuple):
    """One point of an exposure estimate: a moment and the estimated amount then."""

    at: datetime
    amount: float


def _floats(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(values)


def _moment(us: int, tz: tzinfo) -> datetime:
    return (_EPOCH + us * _US).astimezone(tz)


@attrs.frozen(eq=False)
class Exposure:
    r"""A model estimate of the amount of a substance present over time; not a measurement.

    Built by :func:`exposure`. Iterating gives :class:`ExposurePoint`\\ s
    (``at``, an aware datetime in :attr:`timezone`; ``amount``, a float in
    :attr:`unit`); :attr:`points` holds them all, :attr:`peak` the highest.
    :attr:`label` says what the numbers are: a one-compartment model's
    estimate with the given :attr:`kinetics`, never a measured level.
    """

    substance: str
    unit: Unit
    kinetics: Kinetics
    timezone: tzinfo = attrs.field(repr=False)
    _start: int = attrs.field(repr=False)
    _step: int = attrs.field(repr=False)
    _values: tuple[float, ...] = attrs.field(repr=False, converter=_floats)
    _points: list[tuple[ExposurePoint, ...]] = attrs.field(
        init=False, factory=list, repr=False
    )

    @property
    def label(self) -> str:
        """Say what the series is: a model estimate with its parameters and their source."""
        return (
            f"estimated amount of {self.substance} present ({self.unit.value}): "
            f"one-compartment model estimate with {self.kinetics.describe()}; "
            "not a measured level"
        )

    @property
    def step(self) -> timedelta:
        """The time between two points (elapsed time)."""
        return self._step * _US

    @property
    def values(self) -> tuple[float, ...]:
        """The estimated amounts alone, in :attr:`unit`, one per point."""
        return self._values

    @property
    def points(self) -> tuple[ExposurePoint, ...]:
        """Every point, in time order (built on first use)."""
        if not self._points:
            tz, start, step = self.timezone, self._start, self._step
            self._points.append(
                tuple(
                    ExposurePoint(_moment(start + i * step, tz), v)
                    for i, v in enumerate(self._values)
                )
            )
        return self._points[0]

    @property
    def peak(self) -> ExposurePoint:
        """The point with the highest estimate (the first of equals)."""
        values = self._values
        i = max(range(len(values)), key=values.__getitem__)
        return ExposurePoint(
            _moment(self._start + i * self._step, self.timezone), values[i]
        )

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[ExposurePoint]:
        return iter(self.points)

    def to_dict(self) -> ExposureDict:
        """Return the series JSON-ready: what it is, its parameters and its points.

        ``estimate`` is always ``True``; ``points`` are ``{"at": ISO 8601
        with offset, "amount": float}``.
        """
        return {
            "substance": self.substance,
            "unit": self.unit.value,
            "estimate": True,
            "label": self.label,
            "kinetics": dict(self.kinetics.to_table()),  # type: ignore[typeddict-item]
            "step": _format.duration(self.step),
            "points": [
                {"at": p.at.isoformat(), "amount": p.amount} for p in self.points
            ],
        }


def kinetics_of(
    timeline: Timeline,
    substance: str | Substance,
    kinetics: Kinetics | None,
    half_life: timedelta | str | None,
    options: dict[str, Any],
) -> Kinetics:
    """Resolve the parameters given to :func:`exposure` to one :class:`Kinetics`."""
    if kinetics is not None:
        if half_life is not None or any(v is not None for v in options.values()):
            msg = "give either kinetics= or half_life= (with source=), not both"
            raise TypeError(msg)
        if not isinstance(kinetics, Kinetics):
            msg = f"kinetics must be a Kinetics (got {kinetics!r})"
            raise TypeError(msg)
        return kinetics
    if half_life is not None:
        if options.get("source") is None:
            msg = (
                "exposure() needs source= saying where half_life and the other "
                "parameters come from"
            )
            raise TypeError(msg)
        given = {k: v for k, v in options.items() if v is not None}
        return Kinetics(half_life=half_life, **given)
    if isinstance(substance, Substance) and substance.kinetics is not None:
        return substance.kinetics
    term = term_of(substance, who="exposure()").casefold()
    found = {
        s.kinetics
        for s in timeline.substances
        if s.kinetics is not None and term in s._terms
    }
    if len(found) == 1:
        return found.pop()
    msg = (
        f"exposure() needs the model's parameters for {substance!r}: "
        "half_life= with source= (and optionally absorption_half_life=, "
        "bioavailability=), or kinetics=Kinetics(...)"
        + (", or one Kinetics on the substance" if not found else "")
    )
    raise TypeError(msg)


def doses_of(
    timeline: Timeline, term: str, unit: Unit | None
) -> tuple[Series, Unit | None, list[float]]:
    """Return *term*'s series in *unit* (default: its first dose's), and each dose as a float.

    Raises :class:`~regimen.UnitError` when some dose's contents do not
    convert to that unit (mass and volume mixed).
    """
    ctx = Context(timeline)
    if unit is None:
        plain = ctx.series(term)
        if not plain.events:
            return plain, None, []
        first = plain.events[0]
        unit = next(
            q.unit for s, q in first.contents.items() if term.casefold() in s._terms
        )
    series = ctx.series(term, unit)
    if series.mismatched:
        odd = series.mismatched[0]
        given = ", ".join(
            str(q) for s, q in odd.contents.items() if term.casefold() in s._terms
        )
        msg = (
            f"cannot estimate {term} in {unit.value}: {odd.product.name} at "
            f"{_format.moment(odd.at)} gives {given}, which does not convert "
            f"(mass and volume do not mix); estimate each dimension on its own"
        )
        raise UnitError(msg)
    scale = 10.0**series.scale
    return series, unit, [a / scale for a in series.amounts]


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        msg = f"{field} must be an aware datetime (got {value!r})"
        raise TypeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{field} must be an aware datetime, not naive (got {value.isoformat()}); attach a zone"
        raise ValueError(msg)
    return value


def exposure(
    timeline: Timeline,
    substance: str | Substance,
    *,
    half_life: timedelta | str | None = None,
    absorption_half_life: timedelta | str | None = None,
    bioavailability: Decimal | int | str | float | None = None,
    source: str | None = None,
    kinetics: Kinetics | None = None,
    unit: Unit | str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    step: timedelta | str = timedelta(hours=1),
) -> Exposure:
    """Estimate how much of *substance* is present from *start* to *end*, every *step*.

    A one-compartment, first-order model: each dose of *timeline*
    containing *substance* (a name, alias or class, or a
    :class:`~regimen.Substance`) is absorbed with *absorption_half_life*
    (``None``: at once), of which the fraction *bioavailability* counts,
    and eliminated with *half_life*; doses add up (superposition). Give the
    parameters with their *source*, or as ``kinetics=Kinetics(...)``, or
    carry them on the substance (``Substance(kinetics=...)``). The result
    is a model estimate with those parameters, never a measured level.

    Amounts are in *unit* (default: the unit of the first dose's contents);
    a dose whose contents do not convert to it raises
    :class:`~regimen.UnitError`. *start* and *end* are aware datetimes
    (default: the first dose, and the last dose plus five times the sum of
    the half-lives); points are *step* apart in elapsed time, in *start*'s
    zone (default: the first dose's). More than :data:`MAX_POINTS` points
    raise :class:`~regimen.ExpansionError`.

    >>> from regimen import Dose, DoseEvent, Product, Substance, Timeline
    >>> from zoneinfo import ZoneInfo
    >>> caffeine = Substance("caffeine")
    >>> coffee = Product("coffee", contents={caffeine: "95 mg"}, per="1 serving")
    >>> at = datetime(2027, 1, 4, 8, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> log = Timeline([DoseEvent(at, Dose(coffee, "2 serving"))])
    >>> series = exposure(log, "caffeine", half_life="5 h", source="example figure",
    ...                   end=at + timedelta(hours=10), step="5 h")
    >>> [(p.at.strftime("%H:%M"), round(p.amount, 1)) for p in series]
    [('08:00', 190.0), ('13:00', 95.0), ('18:00', 47.5)]
    >>> series.label
    'estimated amount of caffeine present (mg): one-compartment model estimate with half-life 5 h, bioavailability 1 (source: example figure); not a measured level'
    """
    if not isinstance(timeline, Timeline):
        msg = f"exposure() needs a Timeline (got {timeline!r}); expand a plan with plan.timeline()"
        raise TypeError(msg)
    options = {
        "absorption_half_life": absorption_half_life,
        "bioavailability": bioavailability,
        "source": source,
    }
    model_kinetics = kinetics_of(timeline, substance, kinetics, half_life, options)
    term = term_of(substance, who="exposure()")
    wanted = Unit.parse(unit) if isinstance(unit, str) else unit
    series, found_unit, amounts = doses_of(timeline, term, wanted)
    start = _aware(start, "start")
    end = _aware(end, "end")
    times = series.times
    if start is None:
        if not times:
            msg = f"no dose of {term} in the timeline; give start= and end="
            raise ValueError(msg)
        start = series.events[0].at
    if end is None:
        if not times:
            msg = f"no dose of {term} in the timeline; give end="
            raise ValueError(msg)
        lasting = model_kinetics.half_life + (
            model_kinetics.absorption_half_life or timedelta(0)
        )
        # in µs: past the last dose may be past year 9999, beyond datetime
        last_us = min(times[-1] + 5 * (lasting // _US), utc_us(MAX_MOMENT))
        end = _moment(last_us, UTC)
    step_td = _format.parse_duration(step, field="step")
    if step_td <= timedelta(0):
        msg = f"step must be longer than zero (got {step!r})"
        raise ValueError(msg)
    if not MIN_MOMENT <= start <= end <= MAX_MOMENT:
        msg = (
            f"start must be at or before end, both within the supported range "
            f"(got {start.isoformat()} to {end.isoformat()})"
        )
        raise ValueError(msg)
    t0, t1, h = utc_us(start), utc_us(end), step_td // _US
    count = (t1 - t0) // h + 1
    if count > MAX_POINTS:
        msg = (
            f"an exposure series from {start.isoformat()} to {end.isoformat()} every "
            f"{_format.duration(step_td)} would hold {count} points (at most "
            f"{MAX_POINTS}); use a longer step or a shorter span"
        )
        raise ExpansionError(msg)
    out_unit = found_unit or wanted
    if out_unit is None:
        msg = f"no dose of {term} in the timeline gives its unit; give unit="
        raise ValueError(msg)
    values = _sample(
        Model(model_kinetics), times=times, amounts=amounts, t0=t0, h=h, count=count
    )
    return Exposure(
        substance=term,
        unit=out_unit,
        kinetics=model_kinetics,
        timezone=start.tzinfo,  # type: ignore[arg-type]
        start=t0,
        step=h,
        values=values,
    )


def _sample(
    model: Model,
    *,
    times: Sequence[int],
    amounts: Sequence[float],
    t0: int,
    h: int,
    count: int,
) -> list[float]:
    """Return the estimate at ``t0 + i·h`` for each i below *count*: one step per point."""
    state = [0.0, 0.0]
    n = len(times)
    i = 0
    while i < n and times[i] <= t0:
        model.add(state, amounts[i], (t0 - times[i]) / 1e6)
        i += 1
    out = [model.value(state)]
    e1, phi, ed = model.stepper(h / 1e6)
    absorbing, factor = model.absorbing, model.factor
    t = t0
    y, x = state
    for _ in range(count - 1):
        t += h
        x = e1 * (phi * y + ed * x)
        y *= e1
        if i < n and times[i] <= t:
            state[0], state[1] = y, x
            while i < n and times[i] <= t:
                model.add(state, amounts[i], (t - times[i]) / 1e6)
                i += 1
            y, x = state
        out.append(factor * (x if absorbing else y))
    return out
