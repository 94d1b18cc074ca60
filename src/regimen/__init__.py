"""regimen: typed, exact models of intake plans.

Substances, products, doses, schedules and plans as frozen objects; plans
expand into timelines of dose events in real local time; rules check them
against limits the user sets; summaries report the facts. regimen states
facts about a plan and gives no medical advice of its own.

The domain objects load with the package; validation, summaries, files and
exports load on first use (``regimen.validate`` and ``from regimen import
validate`` both work), which keeps ``import regimen`` fast.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._dose import Dose, Meal
from ._dose_classes import DoseClasses
from ._errors import (
    ExpansionError,
    LoadError,
    RegimenError,
    UnitError,
)
from ._kinetics import Kinetics
from ._meals import MealTimes
from ._plan import Break, Entry, Plan
from ._product import Product
from ._quantity import Quantity
from ._schedule import Schedule
from ._stay import Stay
from ._substance import Substance
from ._timeline import DoseEvent, Timeline
from ._units import Dimension, Unit
from ._weekday import Weekday

if TYPE_CHECKING:
    from ._adherence import Adherence, DoseRecord, DoseStatus, adherence
    from ._allowance import Allowance, allowance
    from ._builders import ramp, rotate, top_ups
    from ._bundle import Bundle
    from ._exposure import Exposure, ExposurePoint, exposure
    from ._finding import Finding, Severity
    from ._ics import to_ics
    from ._ics_read import CalendarEvent, CalendarImport, SkippedEvent, from_ics
    from ._interaction import Interaction
    from ._io import dumps, load, loads
    from ._profile import Profile
    from ._report import PlanViolationError, Report
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
    from ._rules_classes import DoseClassLimit
    from ._rules_exposure import MaxExposure
    from ._stock import Refill, StockCount
    from ._summary import DailyTotals, ScheduleRow, SubstanceSummary, Summary, summarize
    from ._supply import ProductSupply, Supply, supply
    from ._validate import validate

    __version__: str

__all__ = [
    "Adherence",
    "Allowance",
    "AvoidTags",
    "Break",
    "BreakCadence",
    "Bundle",
    "CalendarEvent",
    "CalendarImport",
    "DailyTotals",
    "Dimension",
    "Dose",
    "DoseClassLimit",
    "DoseClasses",
    "DoseEvent",
    "DoseRecord",
    "DoseStatus",
    "Entry",
    "ExpansionError",
    "Exposure",
    "ExposurePoint",
    "Finding",
    "Interaction",
    "Kinetics",
    "LoadError",
    "MaxAmount",
    "MaxConsecutiveDays",
    "MaxDoses",
    "MaxExposure",
    "Meal",
    "MealTimes",
    "MinInterval",
    "Plan",
    "PlanViolationError",
    "Product",
    "ProductSupply",
    "Profile",
    "Quantity",
    "Refill",
    "RegimenError",
    "Report",
    "Rotation",
    "Rule",
    "Schedule",
    "ScheduleRow",
    "Severity",
    "SkippedEvent",
    "Stay",
    "StockCount",
    "Substance",
    "SubstanceSummary",
    "Summary",
    "Supply",
    "Timeline",
    "Unit",
    "UnitError",
    "Weekday",
    "adherence",
    "allowance",
    "dumps",
    "exposure",
    "from_ics",
    "load",
    "loads",
    "ramp",
    "rotate",
    "summarize",
    "supply",
    "to_ics",
    "top_ups",
    "validate",
]

#: Public names whose modules load on first use: name -> module.
_LAZY = {
    "Adherence": "._adherence",
    "DoseRecord": "._adherence",
    "DoseStatus": "._adherence",
    "adherence": "._adherence",
    "Allowance": "._allowance",
    "allowance": "._allowance",
    "ramp": "._builders",
    "rotate": "._builders",
    "top_ups": "._builders",
    "Bundle": "._bundle",
    "Exposure": "._exposure",
    "ExposurePoint": "._exposure",
    "exposure": "._exposure",
    "Finding": "._finding",
    "Severity": "._finding",
    "to_ics": "._ics",
    "CalendarEvent": "._ics_read",
    "CalendarImport": "._ics_read",
    "SkippedEvent": "._ics_read",
    "from_ics": "._ics_read",
    "Interaction": "._interaction",
    "dumps": "._io",
    "load": "._io",
    "loads": "._io",
    "Profile": "._profile",
    "PlanViolationError": "._report",
    "Report": "._report",
    "AvoidTags": "._rules",
    "BreakCadence": "._rules",
    "MaxAmount": "._rules",
    "MaxConsecutiveDays": "._rules",
    "MaxDoses": "._rules",
    "MinInterval": "._rules",
    "Rotation": "._rules",
    "Rule": "._rules",
    "DoseClassLimit": "._rules_classes",
    "Refill": "._stock",
    "StockCount": "._stock",
    "ProductSupply": "._supply",
    "Supply": "._supply",
    "supply": "._supply",
    "MaxExposure": "._rules_exposure",
    "DailyTotals": "._summary",
    "ScheduleRow": "._summary",
    "SubstanceSummary": "._summary",
    "Summary": "._summary",
    "summarize": "._summary",
    "validate": "._validate",
}


if not TYPE_CHECKING:
    # Hidden from type checkers: they see the imports above, so a typo such
    # as ``regimen.valdate`` is a type error instead of ``Any``.

    def __getattr__(name: str) -> Any:
        if name == "__version__":
            from importlib.metadata import version

            return version("regimen")
        module = _LAZY.get(name)
        if module is None:
            msg = f"module 'regimen' has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
