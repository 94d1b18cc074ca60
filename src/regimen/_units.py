"""Units of measure: mass, US customary and metric volume, and counts."""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Final

from ._errors import UnitError

__all__ = ["Dimension", "Unit"]


class Dimension(enum.Enum):
    """What a unit measures; units convert only within one dimension.

    Count units (capsules, tablets, ...) share :attr:`COUNT` but never
    convert to each other: two capsules are not two tablets.
    """

    MASS = "mass"
    VOLUME = "volume"
    COUNT = "count"


class Unit(enum.Enum):
    """A unit of measure, identified by its canonical spelling.

    ``Unit("µg")``, ``Unit("teaspoons")`` and ``Unit("fl. oz")`` accept the
    usual spellings; :meth:`parse` does the same and raises
    :class:`~regimen.UnitError` (naming the text and the fix) for unknown or
    ambiguous ones.

    >>> Unit("tsp").factor
    Decimal('4.92892159375')
    >>> Unit("capsules")
    <Unit.CAPSULE: 'capsule'>
    """

    MCG = "mcg"
    MG = "mg"
    G = "g"
    KG = "kg"
    ML = "ml"
    L = "l"
    TSP = "tsp"
    TBSP = "tbsp"
    FL_OZ = "fl oz"
    CUP = "cup"
    CAPSULE = "capsule"
    TABLET = "tablet"
    SERVING = "serving"
    DROP = "drop"
    PIECE = "piece"

    @property
    def dimension(self) -> Dimension:
        """What this unit measures."""
        return _DIMENSION[self]

    @property
    def factor(self) -> Decimal:
        """Size of one of this unit in the dimension's base (g, ml or 1)."""
        return _FACTOR[self]

    def converts_to(self, other: Unit) -> bool:
        """Tell whether amounts in this unit can be expressed in *other*.

        >>> Unit.G.converts_to(Unit.MCG), Unit.CAPSULE.converts_to(Unit.TABLET)
        (True, False)
        """
        if self is other:
            return True
        return self.dimension is other.dimension and self.dimension is not (
            Dimension.COUNT
        )

    def label(self, amount: Decimal) -> str:
        """Spell this unit after *amount*: words take a plural, symbols don't.

        >>> Unit.CAPSULE.label(Decimal(2)), Unit.G.label(Decimal(2))
        ('capsules', 'g')
        """
        if self in _WORDS and amount != 1:
            return self.value + "s"
        return self.value

    @classmethod
    def parse(cls, text: str) -> Unit:
        """Return the unit spelled *text*, or raise :class:`~regimen.UnitError`."""
        if isinstance(text, Unit):
            return text
        if not isinstance(text, str):
            msg = f"a unit must be a Unit or a str (got {text!r})"
            raise TypeError(msg)
        key = _normalize(text)
        try:
            return _SPELLINGS[key]
        except KeyError:
            pass
        if key in _AMBIGUOUS_OUNCE:
            msg = (
                f"ambiguous unit {text!r} — write 'fl oz' for a volume, "
                "or give a weight in g"
            )
            raise UnitError(msg) from None
        msg = f"unknown unit {text!r}; known units: {', '.join(u.value for u in cls)}"
        raise UnitError(msg) from None

    @classmethod
    def _missing_(cls, value: object) -> Unit | None:
        if isinstance(value, str):
            return _SPELLINGS.get(_normalize(value))
        return None


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("μ", "µ"))


_DIMENSION: Final = {
    **dict.fromkeys((Unit.MCG, Unit.MG, Unit.G, Unit.KG), Dimension.MASS),
    **dict.fromkeys(
        (Unit.ML, Unit.L, Unit.TSP, Unit.TBSP, Unit.FL_OZ, Unit.CUP),
        Dimension.VOLUME,
    ),
    **dict.fromkeys(
        (Unit.CAPSULE, Unit.TABLET, Unit.SERVING, Unit.DROP, Unit.PIECE),
        Dimension.COUNT,
    ),
}

# US customary volume, exact: 1 US fl oz = 29.5735295625 ml.
_FL_OZ_ML: Final = Decimal("29.5735295625")
_FACTOR: Final = {
    Unit.MCG: Decimal("0.000001"),
    Unit.MG: Decimal("0.001"),
    Unit.G: Decimal(1),
    Unit.KG: Decimal(1000),
    Unit.ML: Decimal(1),
    Unit.L: Decimal(1000),
    Unit.TSP: Decimal("4.92892159375"),  # fl oz / 6
    Unit.TBSP: Decimal("14.78676478125"),  # fl oz / 2
    Unit.FL_OZ: _FL_OZ_ML,
    Unit.CUP: Decimal("236.5882365"),  # 8 fl oz
    **dict.fromkeys(
        (Unit.CAPSULE, Unit.TABLET, Unit.SERVING, Unit.DROP, Unit.PIECE), Decimal(1)
    ),
}

_WORDS: Final = frozenset(
    {Unit.CUP, Unit.CAPSULE, Unit.TABLET, Unit.SERVING, Unit.DROP, Unit.PIECE}
)

_SPELLINGS: Final[dict[str, Unit]] = {
    **{u.value: u for u in Unit},
    **{u.value + "s": u for u in _WORDS},
    "µg": Unit.MCG,
    "ug": Unit.MCG,
    "microgram": Unit.MCG,
    "micrograms": Unit.MCG,
    "milligram": Unit.MG,
    "milligrams": Unit.MG,
    "gram": Unit.G,
    "grams": Unit.G,
    "kilogram": Unit.KG,
    "kilograms": Unit.KG,
    "milliliter": Unit.ML,
    "milliliters": Unit.ML,
    "millilitre": Unit.ML,
    "millilitres": Unit.ML,
    "liter": Unit.L,
    "liters": Unit.L,
    "litre": Unit.L,
    "litres": Unit.L,
    "teaspoon": Unit.TSP,
    "teaspoons": Unit.TSP,
    "tablespoon": Unit.TBSP,
    "tablespoons": Unit.TBSP,
    "fl. oz": Unit.FL_OZ,
    "fl. oz.": Unit.FL_OZ,
    "fl oz.": Unit.FL_OZ,
    "fl.oz": Unit.FL_OZ,
    "fluid ounce": Unit.FL_OZ,
    "fluid ounces": Unit.FL_OZ,
}

_AMBIGUOUS_OUNCE: Final = frozenset({"oz", "oz.", "ounce", "ounces"})
