"""regimen: typed, exact models of intake plans.

Substances, products, doses, schedules and plans as frozen objects; plans
expand into timelines of dose events in real local time; rules check them
against limits the user sets; summaries report the facts. regimen states
facts about a plan and gives no medical advice of its own.
"""

from ._dose import Dose, Meal
from ._errors import (
    ExpansionError,
    LoadError,
    PlanViolationError,
    RegimenError,
    UnitError,
)
from ._product import Product
from ._quantity import Quantity
from ._substance import Substance
from ._units import Dimension, Unit

__all__ = [
    "Dimension",
    "Dose",
    "ExpansionError",
    "LoadError",
    "Meal",
    "PlanViolationError",
    "Product",
    "Quantity",
    "RegimenError",
    "Substance",
    "Unit",
    "UnitError",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("regimen")
    msg = f"module 'regimen' has no attribute {name!r}"
    raise AttributeError(msg)
