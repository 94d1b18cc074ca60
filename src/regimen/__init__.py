"""regimen: typed, exact models of intake plans.

Substances, products, doses, schedules and plans as frozen objects; plans
expand into timelines of dose events in real local time; rules check them
against limits the user sets; summaries report the facts. regimen states
facts about a plan and gives no medical advice of its own.
"""

from ._allowance import Allowance, allowance
from ._builders import ramp, rotate, top_ups
from ._bundle import Bundle
from ._dose import Dose, Meal
from ._errors import (
    ExpansionError,
    LoadError,
    PlanViolationError,
    RegimenError,
    UnitError,
)
from ._finding import Finding, Severity
from ._ics import to_ics
from ._interaction import Interaction
from ._io import dumps, load, loads
from ._plan import Break, Entry, Plan
from ._product import Product
from ._profile import Profile
from ._quantity import Quantity
from ._report import Report
from ._rules import (
    AvoidTags,
    BreakCadence,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
    Rule,
)
from ._schedule import Schedule
from ._substance import Substance
from ._summary import DailyTotals, ScheduleRow, SubstanceSummary, Summary, summarize
from ._timeline import DoseEvent, Timeline
from ._units import Dimension, Unit
from ._validate import validate
from ._weekday import Weekday

__all__ = [
    "Allowance",
    "AvoidTags",
    "Break",
    "BreakCadence",
    "Bundle",
    "DailyTotals",
    "Dimension",
    "Dose",
    "DoseEvent",
    "Entry",
    "ExpansionError",
    "Finding",
    "Interaction",
    "LoadError",
    "MaxAmount",
    "MaxConsecutiveDays",
    "MaxDoses",
    "Meal",
    "MinInterval",
    "Plan",
    "PlanViolationError",
    "Product",
    "Profile",
    "Quantity",
    "RegimenError",
    "Report",
    "Rotation",
    "Rule",
    "Schedule",
    "ScheduleRow",
    "Severity",
    "Substance",
    "SubstanceSummary",
    "Summary",
    "Timeline",
    "Unit",
    "UnitError",
    "Weekday",
    "allowance",
    "dumps",
    "load",
    "loads",
    "ramp",
    "rotate",
    "summarize",
    "to_ics",
    "top_ups",
    "validate",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("regimen")
    msg = f"module 'regimen' has no attribute {name!r}"
    raise AttributeError(msg)
