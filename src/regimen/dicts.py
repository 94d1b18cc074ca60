"""The shapes of what every ``to_dict()`` returns, as typed dicts (``TypedDict``).

For code that consumes regimen's JSON-ready dicts and wants a type checker
to know their keys::

    from regimen.dicts import SummaryDict

    def show(data: SummaryDict) -> str:
        return data["title"]

Importing this module loads validation, summaries and adherence; ``import
regimen`` alone does not.

>>> from regimen.dicts import ReportDict
>>> sorted(ReportDict.__annotations__)
['counts', 'findings', 'ok']
"""

from ._tables import (
    AdherenceDict,
    CountsDict,
    DailyTotalsDict,
    DoseRecordDict,
    EventDict,
    ExposureDict,
    ExposurePointDict,
    FindingDict,
    InteractionTable,
    KineticsTable,
    LoggedDict,
    MeasureDict,
    PeriodDict,
    RateDict,
    ReportDict,
    RuleTable,
    ScheduleRowDict,
    StayDict,
    SubstanceSummaryDict,
    SummaryDict,
    UserRuleTable,
)

__all__ = [
    "AdherenceDict",
    "CountsDict",
    "DailyTotalsDict",
    "DoseRecordDict",
    "EventDict",
    "ExposureDict",
    "ExposurePointDict",
    "FindingDict",
    "InteractionTable",
    "KineticsTable",
    "LoggedDict",
    "MeasureDict",
    "PeriodDict",
    "RateDict",
    "ReportDict",
    "RuleTable",
    "ScheduleRowDict",
    "StayDict",
    "SubstanceSummaryDict",
    "SummaryDict",
    "UserRuleTable",
]
