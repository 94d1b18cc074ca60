"""The code tables of HL7 FHIR R4 dosage that regimen reads and writes.

Facts from the FHIR R4 specification (Timing, Dosage, the EventTiming and
TimingAbbreviation value sets) and UCUM; only the tables live here, the
reading and writing are in ``_fhir_read`` and ``_fhir_write``.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Final

from ._meals import FHIR_WHEN
from ._units import Unit
from ._weekday import Weekday

__all__ = [
    "DAY_OF_WEEK",
    "DEFAULT_CODE_TIMES",
    "DEFAULT_MEAL_TIMES",
    "EVENT_MOMENTS",
    "EVENT_TIMING",
    "FIXED_PERIOD",
    "PERIOD_UNITS",
    "TIMING_ABBREVIATIONS",
    "UCUM_UNITS",
    "UNIT_TO_UCUM",
]

#: UCUM units of time FHIR uses in ``periodUnit``, ``durationUnit`` and
#: Duration codes. ``mo`` and ``a`` are calendar months and years.
PERIOD_UNITS: Final = ("s", "min", "h", "d", "wk", "mo", "a")

#: The fixed-length units of time as timedeltas (``mo`` and ``a`` vary).
FIXED_PERIOD: Final[dict[str, timedelta]] = {
    "s": timedelta(seconds=1),
    "min": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "wk": timedelta(weeks=1),
}

#: What people write for a unit of time instead of the UCUM code, and the fix.
PERIOD_TYPOS: Final[dict[str, str]] = {
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "sec": "s",
    "second": "s",
    "minute": "min",
    "minutes": "min",
    "m": "min",
    "day": "d",
    "days": "d",
    "w": "wk",
    "week": "wk",
    "weeks": "wk",
    "month": "mo",
    "months": "mo",
    "y": "a",
    "yr": "a",
    "year": "a",
    "years": "a",
}

#: FHIR ``dayOfWeek`` codes.
DAY_OF_WEEK: Final[dict[str, Weekday]] = {
    "mon": Weekday.MO,
    "tue": Weekday.TU,
    "wed": Weekday.WE,
    "thu": Weekday.TH,
    "fri": Weekday.FR,
    "sat": Weekday.SA,
    "sun": Weekday.SU,
}

#: UCUM codes (``Quantity.code`` with system ``http://unitsofmeasure.org``)
#: and the regimen unit each means. Curly-brace annotations are UCUM's
#: "unity with a note"; the usual ones for dose forms are listed.
UCUM_UNITS: Final[dict[str, Unit]] = {
    "ug": Unit.MCG,
    "mcg": Unit.MCG,
    "mg": Unit.MG,
    "g": Unit.G,
    "kg": Unit.KG,
    "mL": Unit.ML,
    "ml": Unit.ML,
    "L": Unit.L,
    "l": Unit.L,
    "[tsp_us]": Unit.TSP,
    "[tbs_us]": Unit.TBSP,
    "[foz_us]": Unit.FL_OZ,
    "[cup_us]": Unit.CUP,
    "{tablet}": Unit.TABLET,
    "{tbl}": Unit.TABLET,
    "{tab}": Unit.TABLET,
    "{capsule}": Unit.CAPSULE,
    "{cap}": Unit.CAPSULE,
    "{capsules}": Unit.CAPSULE,
    "{tablets}": Unit.TABLET,
    "[drp]": Unit.DROP,
    "{drop}": Unit.DROP,
    "{drops}": Unit.DROP,
    "{serving}": Unit.SERVING,
    # HL7 v3 orderableDrugForm codes, which FHIR examples also use for units
    "TAB": Unit.TABLET,
    "CAP": Unit.CAPSULE,
    "DROP": Unit.DROP,
    "OPDROP": Unit.DROP,
    "{piece}": Unit.PIECE,
}

#: The UCUM code regimen writes for each of its units.
UNIT_TO_UCUM: Final[dict[Unit, str]] = {
    Unit.MCG: "ug",
    Unit.MG: "mg",
    Unit.G: "g",
    Unit.KG: "kg",
    Unit.ML: "mL",
    Unit.L: "L",
    Unit.TSP: "[tsp_us]",
    Unit.TBSP: "[tbs_us]",
    Unit.FL_OZ: "[foz_us]",
    Unit.CUP: "[cup_us]",
    Unit.TABLET: "{tablet}",
    Unit.CAPSULE: "{capsule}",
    Unit.DROP: "[drp]",
    Unit.SERVING: "{serving}",
    Unit.PIECE: "{piece}",
}

#: FHIR R4 EventTiming codes (``timing.repeat.when``) for moments of the
#: day that are not a meal, waking or sleep, and the word regimen gives each;
#: the meal, waking and sleep codes are ``regimen._meals.FHIR_WHEN``.
EVENT_MOMENTS: Final[dict[str, str]] = {
    "MORN": "morning",
    "MORN.early": "early morning",
    "MORN.late": "late morning",
    "NOON": "noon",
    "AFT": "afternoon",
    "AFT.early": "early afternoon",
    "AFT.late": "late afternoon",
    "EVE": "evening",
    "EVE.early": "early evening",
    "EVE.late": "late evening",
    "NIGHT": "night",
    "PHS": "after sleep",
}

#: Every EventTiming code of FHIR R4 that regimen reads.
EVENT_TIMING: Final = (*FHIR_WHEN, *EVENT_MOMENTS)

#: Times regimen assumes for the moments of :data:`EVENT_MOMENTS` when the
#: caller's ``meal_times`` do not name them (each use is an assumption).
DEFAULT_MEAL_TIMES: Final[dict[str, time]] = {
    "morning": time(9, 0),
    "early morning": time(7, 0),
    "late morning": time(11, 0),
    "noon": time(12, 0),
    "afternoon": time(15, 0),
    "early afternoon": time(13, 0),
    "late afternoon": time(17, 0),
    "evening": time(19, 0),
    "early evening": time(18, 0),
    "late evening": time(21, 0),
    "night": time(23, 0),
    "after sleep": time(7, 0),
}

#: FHIR R4 TimingAbbreviation codes: (times per day or None, days between
#: dose days, hours between doses or None).
TIMING_ABBREVIATIONS: Final[dict[str, str]] = {
    "BID": "two times a day",
    "TID": "three times a day",
    "QID": "four times a day",
    "AM": "every morning",
    "PM": "every afternoon",
    "QD": "every day",
    "QOD": "every other day",
    "Q1H": "every hour",
    "Q2H": "every 2 hours",
    "Q3H": "every 3 hours",
    "Q4H": "every 4 hours",
    "Q6H": "every 6 hours",
    "Q8H": "every 8 hours",
    "BED": "at bedtime",
    "WK": "weekly",
    "MO": "monthly",
}

#: The clock times regimen assumes for the abbreviations that FHIR leaves
#: to "institution specified times"; the caller overrides any of them with
#: ``code_times``, and every use is listed in the assumptions.
DEFAULT_CODE_TIMES: Final[dict[str, tuple[time, ...]]] = {
    "QD": (time(8),),
    "QOD": (time(8),),
    "BID": (time(8), time(20)),
    "TID": (time(8), time(14), time(20)),
    "QID": (time(8), time(12), time(16), time(20)),
    "BED": (time(22),),
    "WK": (time(8),),
    "MO": (time(8),),
    "Q1H": (time(0),),
    "Q2H": (time(0),),
    "Q3H": (time(0),),
    "Q4H": (time(0),),
    "Q6H": (time(0),),
    "Q8H": (time(6),),
}
