"""Model parameters for exposure estimates: :class:`Kinetics`."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from . import _decimal, _format

if TYPE_CHECKING:
    from ._tables import KineticsTable

__all__ = ["MAX_HALF_LIFE", "Kinetics"]

_ORDER: Final = ("half_life", "absorption_half_life", "bioavailability", "source")

#: The longest half-life a model accepts (beyond it nothing decays in a plan's span).
MAX_HALF_LIFE: Final = timedelta(days=3650)


def _half_life(value: timedelta | str | None, field: str) -> timedelta | None:
    if value is None:
        return None
    d = _format.parse_duration(value, field=field)
    if not timedelta(0) < d <= MAX_HALF_LIFE:
        msg = f"{field} must be longer than zero and at most 3650 d (got {_format.duration(d)})"
        raise ValueError(msg)
    return d


def _elimination(value: timedelta | str) -> timedelta:
    out = _half_life(value, "Kinetics.half_life")
    assert out is not None
    return out


def _absorption(value: timedelta | str | None) -> timedelta | None:
    return _half_life(value, "Kinetics.absorption_half_life")


def _bioavailability(value: Decimal | int | str | float) -> Decimal:
    number = _decimal.to_decimal(value, field="Kinetics.bioavailability")
    if not 0 < number <= 1:
        msg = (
            "Kinetics.bioavailability must be a fraction above 0 and at most 1 "
            f"(got {_decimal.show(value)})"
        )
        raise ValueError(msg)
    return number


def _source(value: str) -> str:
    if not isinstance(value, str):
        msg = f"Kinetics.source must be text saying where the parameters come from (got {value!r})"
        raise TypeError(msg)
    if not value.strip():
        msg = "Kinetics.source must say where the parameters come from (got an empty text)"
        raise ValueError(msg)
    return value.strip()


@attrs.frozen(kw_only=True, cache_hash=True)
class Kinetics:
    """The parameters of a one-compartment, first-order model of one substance.

    *half_life* is the elimination half-life; *absorption_half_life* the
    first-order absorption half-life (``None``: a dose is present in full
    the moment it is taken); *bioavailability* the fraction of a dose that
    is absorbed, above 0 and at most 1. Half-lives are timedeltas or text
    like ``"5 h"``, longer than zero and at most 3650 days. *source* is
    required: where these numbers come from. regimen supplies no parameters
    of its own; estimates made with them are a model's, not measurements.

    >>> k = Kinetics(half_life="5 h", absorption_half_life="45 min", source="my notes")
    >>> k.describe()
    'half-life 5 h, absorption half-life 45 min, bioavailability 1 (source: my notes)'
    >>> k.to_table()
    {'half_life': '5 h', 'absorption_half_life': '45 min', 'source': 'my notes'}
    """

    half_life: timedelta = attrs.field(converter=_elimination)
    absorption_half_life: timedelta | None = attrs.field(
        default=None, converter=_absorption
    )
    bioavailability: Decimal = attrs.field(
        default=Decimal(1), converter=_bioavailability
    )
    source: str = attrs.field(converter=_source)

    def describe(self) -> str:
        """Return the parameters in words, with the source."""
        parts = [f"half-life {_format.duration(self.half_life)}"]
        if self.absorption_half_life is not None:
            parts.append(
                f"absorption half-life {_format.duration(self.absorption_half_life)}"
            )
        parts.append(f"bioavailability {_decimal.trim(self.bioavailability):f}")
        return f"{', '.join(parts)} (source: {self.source})"

    def to_table(self) -> KineticsTable:
        """Return the parameters as a plan file holds them (defaults left out)."""
        table: KineticsTable = {
            "half_life": _format.duration(self.half_life),
            "source": self.source,
        }
        if self.absorption_half_life is not None:
            table["absorption_half_life"] = _format.duration(self.absorption_half_life)
        if self.bioavailability != 1:
            table["bioavailability"] = f"{_decimal.trim(self.bioavailability):f}"
        return {k: table[k] for k in _ORDER if k in table}  # type: ignore[return-value]
