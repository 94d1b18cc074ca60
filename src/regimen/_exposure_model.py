"""The one-compartment, first-order model behind exposure estimates, in floats.

One dose *D* taken at age 0 leaves, at age *s* (seconds), the amount

* ``F·D·exp(-ke·s)`` without absorption (present in full at once);
* ``F·D·ka/(ka - ke)·(exp(-ke·s) - exp(-ka·s))`` with first-order absorption
  (the Bateman function), and its limit ``F·D·k·s·exp(-k·s)`` when
  ``ka = ke = k``,

with ``ke``, ``ka`` the rates of the elimination and absorption half-lives
(``ln 2 / half-life``) and *F* the bioavailability. The Bateman function is
symmetric in the two rates apart from the factor ``ka``, so it is computed as
``F·ka·D·exp(-k1·s)·phi(s)`` with ``k1 = min(ka, ke)``, ``d = |ka - ke|`` and
``phi(s) = (1 - exp(-d·s)) / d`` (``s`` when ``d = 0``): no cancellation
when the rates are close, no overflow when absorption is slower than
elimination, and the equal case is the formula's own ``d = 0`` value.

Sums over doses go by a running state ``(y, x)`` with ``y = Σ D·exp(-k1·s)``
and ``x = Σ D·exp(-k1·s)·phi(s)``, which a step of ``h`` seconds advances as
``x ← exp(-k1·h)·(phi(h)·y + exp(-d·h)·x)``, ``y ← exp(-k1·h)·y`` (from
``phi(s + h) = phi(h) + exp(-d·h)·phi(s)``), so a series costs one step per
point and one term per dose.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from ._kinetics import Kinetics

__all__ = ["Model", "Peak", "advance", "group_peaks", "peaks"]

_LN2: Final = math.log(2)


class Model:
    """The rates of a :class:`~regimen.Kinetics`, ready for arithmetic in seconds."""

    __slots__ = ("absorbing", "d", "factor", "k1")

    def __init__(self, kinetics: Kinetics) -> None:
        ke = _LN2 / kinetics.half_life.total_seconds()
        f = float(kinetics.bioavailability)
        if kinetics.absorption_half_life is None:
            self.absorbing = False
            self.k1, self.d, self.factor = ke, 0.0, f
        else:
            ka = _LN2 / kinetics.absorption_half_life.total_seconds()
            self.absorbing = True
            self.k1 = min(ka, ke)
            self.d = abs(ka - ke)
            self.factor = f * ka

    def phi(self, s: float) -> float:
        """Return ``(1 - exp(-d·s)) / d`` (``s`` when ``d = 0``)."""
        return -math.expm1(-self.d * s) / self.d if self.d else s

    def single(self, dose: float, s: float) -> float:
        """Return the estimate left by one *dose* at age *s* seconds (0 before it)."""
        if s < 0:
            return 0.0
        if not self.absorbing:
            return self.factor * dose * math.exp(-self.k1 * s)
        return self.factor * dose * math.exp(-self.k1 * s) * self.phi(s)

    def add(self, state: list[float], dose: float, s: float) -> None:
        """Add to *state* a *dose* taken *s* seconds (at least 0) before its moment."""
        e = dose * math.exp(-self.k1 * s)
        state[0] += e
        if self.absorbing:
            state[1] += e * self.phi(s)

    def stepper(self, h: float) -> tuple[float, float, float]:
        """Return the factors that advance a state by *h* seconds."""
        return math.exp(-self.k1 * h), self.phi(h), math.exp(-self.d * h)

    def value(self, state: list[float]) -> float:
        """Return the estimate a state stands for."""
        return self.factor * (state[1] if self.absorbing else state[0])

    def peak_after(self, y: float, x: float) -> float:
        """Return the age (seconds, > 0) of the one maximum of ``y, x`` left alone; 0 if none.

        Left alone the estimate is ``a·exp(-k1·s) + b·exp(-k2·s)``, which
        has at most one critical point: it rises to a peak when absorption
        still outweighs elimination, else it only falls.
        """
        if not self.absorbing or y <= 0:
            return 0.0
        k1, d = self.k1, self.d
        if d == 0:
            s = 1 / k1 - x / y
        else:
            ratio = d * x / y
            if ratio >= 1:
                return 0.0
            s = (math.log1p(d / k1) + math.log1p(-ratio)) / d
        return s if s > 0 else 0.0

    def after(self, y: float, x: float, s: float) -> float:
        """Return the estimate *s* seconds after the state ``(y, x)``, with no dose between."""
        e1 = math.exp(-self.k1 * s)
        if not self.absorbing:
            return self.factor * e1 * y
        return self.factor * e1 * (self.phi(s) * y + math.exp(-self.d * s) * x)


class Peak:
    """A local maximum of the estimate: at a dose group or between two of them.

    *group* is the index of the first dose of the group it follows; *us* its
    instant (µs since the epoch, UTC; a peak between doses is put on the
    nearest whole minute, the estimate being no more exact than that);
    *value* the estimate there. An *end* peak stands for an interval that
    rises until the next dose group: its value is approached at the next
    group's instant (where that group's own peak is at least as high), so
    it marks the group as over the limit without being a maximum itself.
    """

    __slots__ = ("end", "group", "us", "value")

    def __init__(self, group: int, us: int, value: float, *, end: bool = False) -> None:
        self.group = group
        self.us = us
        self.value = value
        self.end = end

    def moved(self, shift: int) -> Peak:
        """Return the same peak with its group *shift* places later."""
        return Peak(self.group + shift, self.us, self.value, end=self.end)


_MINUTE: Final = 60_000_000


def advance(model: Model, y: float, x: float, us: int) -> tuple[float, float]:
    """Return the state ``(y, x)`` *us* microseconds later, with no dose between."""
    e1, phi, ed = model.stepper(us / 1e6)
    return e1 * y, e1 * (phi * y + ed * x)


def group_peaks(
    model: Model,
    group: int,
    now: int,
    state: tuple[float, float],
    *,
    until: int | None,
    above: float,
    out: list[Peak],
) -> None:
    """Append the peaks above *above* of the interval from a dose group at *now* to *until*.

    The interval's highest point is at *now*, at the one peak inside it,
    or approached at *until* (an *end* peak).

    *state* is the state once the group's doses count; *until* the next
    group's instant (``None``: none follows).
    """
    y, x = state
    here = model.factor * (x if model.absorbing else y)
    if here > above:
        out.append(Peak(group, now, here))
    s = model.peak_after(y, x)
    if s > 0:
        us = now + round(s * 1e6)
        if until is not None and us >= until:  # rises all the way to the next dose
            top = model.after(y, x, (until - now) / 1e6)
            if top > above:
                out.append(Peak(group, until, top, end=True))
        elif us > now:
            top = model.after(y, x, (us - now) / 1e6)
            if top > above:
                shown = max(now, (us + _MINUTE // 2) // _MINUTE * _MINUTE)
                out.append(Peak(group, shown, top))


def peaks(
    model: Model,
    times: Sequence[int],
    amounts: Sequence[float],
    above: float,
    states: list[tuple[int, float, float]] | None = None,
) -> list[Peak]:
    """Return every local maximum above *above*, in time order.

    The estimate's highest points are at doses (the moment a dose is
    taken, once all doses of that instant count) and, with absorption, at
    the one peak an interval between doses may hold; its supremum over all
    time is the largest of them. *times* are sorted instants (µs, UTC),
    *amounts* the doses in the estimate's unit. With *states*, each
    group's first index and state ``(y, x)`` once its doses count are
    appended to it.
    """
    out: list[Peak] = []
    y = x = 0.0
    n = len(times)
    i = 0
    prev = 0
    while i < n:
        now = times[i]
        if i:
            y, x = advance(model, y, x, now - prev)
        first = i
        while i < n and times[i] == now:
            y += amounts[i]
            i += 1
        prev = now
        if states is not None:
            states.append((first, y, x))
        until = times[i] if i < n else None
        group_peaks(model, first, now, (y, x), until=until, above=above, out=out)
    return out
