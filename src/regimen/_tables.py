"""The typed dicts regimen returns: rules as file tables, and every ``to_dict()``.

Only type checkers and :mod:`regimen.dicts` import this module, which keeps
the classes that return these dicts cheap to import. A built-in rule's :meth:`to_table` returns the table a plan file holds for
it under ``[[profile.rules]]`` (a :class:`RuleTable`), and
:meth:`Interaction.to_table <regimen.Interaction.to_table>` the table under
``[[interactions]]`` (an :class:`InteractionTable`): the same keys and text
forms :func:`regimen.loads` reads, with defaults left out. A rule of your own
without ``to_table`` is written as a :class:`UserRuleTable`.
"""

from __future__ import annotations

from typing import NotRequired, Required, TypedDict

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
    "ProductSupplyDict",
    "RateDict",
    "ReportDict",
    "RuleTable",
    "ScheduleRowDict",
    "StayDict",
    "SubstanceSummaryDict",
    "SummaryDict",
    "SupplyDict",
    "UserRuleTable",
]


class KineticsTable(TypedDict, total=False):
    """A model's parameters as a plan file holds them (a substance's or a rule's ``kinetics``).

    Half-lives are durations as text (``"5 h"``); ``bioavailability`` is
    decimal text, left out when it is 1; ``source`` is required.
    """

    half_life: Required[str]
    absorption_half_life: str
    bioavailability: str
    source: Required[str]


class RuleTable(TypedDict, total=False):
    """A rule as it stands in a plan file (``[[profile.rules]]``).

    ``type`` is the rule's code (``"max-amount"``); quantities, windows and
    times are text as a person writes them (``"8 g"``, ``"24 h"``,
    ``"04:00"``); ``severity`` is left out when it is ``"error"``,
    ``day_start`` and ``source`` when they are not set.
    """

    type: Required[str]
    substance: str
    amount: str
    count: int
    per: str
    interval: str
    days: int
    every: int
    max_days: int
    tags: list[str]
    above: str
    according_to: str
    kinetics: KineticsTable
    severity: str
    day_start: str
    source: str


class InteractionTable(TypedDict, total=False):
    """An interaction note as it stands in a plan file (``[[interactions]]``)."""

    a: Required[str]
    b: Required[str]
    severity: Required[str]
    within: Required[str]
    note: Required[str]
    source: str


class UserRuleTable(TypedDict):
    """A rule of your own without ``to_table``: its class name and its repr."""

    type: str
    repr: str


class MeasureDict(TypedDict):
    """A measured value or limit in JSON: a number and its unit.

    Amounts are ``{"value": "10.5", "unit": "g"}`` (the value is exact
    decimal text, as long as it needs to be); durations are seconds, also
    as exact decimal text: ``{"value": "86400", "unit": "s"}``; counts are
    an integer and what is counted: ``{"value": 3, "unit": "doses"}``.
    """

    value: str | int
    unit: str


class EventDict(TypedDict):
    """A dose event in a finding's JSON form."""

    at: str
    product: str
    amount: str
    as_needed: bool
    note: str


class FindingDict(TypedDict):
    """:meth:`Finding.to_dict`: JSON-ready, stable keys.

    ``at`` is ISO 8601 with its offset (or ``None``); ``rule`` is the rule
    as it stands in a plan file (see :func:`rule_table`), ``None`` for the
    always-on checks; ``measured`` and ``limit`` are :class:`MeasureDict`
    or ``None``. ``events`` lists the first
    :data:`~regimen._finding.LISTED_EVENTS` doses involved, in time order,
    and ``events_total`` says how many there are (a cadence over a month
    of doses every few minutes involves thousands; :attr:`Finding.events`
    holds them all).
    """

    code: str
    severity: str
    message: str
    at: str | None
    as_needed_only: bool
    upper_end_only: bool
    rule: RuleTable | InteractionTable | UserRuleTable | None
    measured: MeasureDict | None
    limit: MeasureDict | None
    events: list[EventDict]
    events_total: int


class CountsDict(TypedDict):
    """How many findings of each severity a report holds."""

    error: int
    warning: int
    info: int


class ReportDict(TypedDict):
    """:meth:`Report.to_dict`: ``ok``, the counts and every finding's dict."""

    ok: bool
    counts: CountsDict
    findings: list[FindingDict]


class ScheduleRowDict(TypedDict):
    """:meth:`ScheduleRow.to_dict`: a typical-day row, amounts as text.

    ``amount`` is written as in a plan file (``"3 g"``, or ``"2-3 g"`` for a
    dose range), ``low`` and ``high`` are its ends (equal for a fixed dose);
    ``first`` and ``last`` the ISO dates of the first and last day the row
    happens on (``None`` if on none).
    """

    time: str
    item: str
    amount: str
    low: str
    high: str
    note: str
    days: int
    first: str | None
    last: str | None
    count: int
    as_needed: bool
    dose_class: str


class DailyTotalsDict(TypedDict):
    """:meth:`DailyTotals.to_dict`: exact amounts as text (``"6.5 g"``).

    With dose ranges a total is written as a range from the low ends to the
    high ends: ``"4-6 g"``.
    """

    min: str
    mean: str
    max: str


class SubstanceSummaryDict(TypedDict):
    """:meth:`SubstanceSummary.to_dict`: one substance over the period."""

    name: str
    unit: str
    use_days: int
    free_days: int
    daily: DailyTotalsDict | None
    daily_with_as_needed: DailyTotalsDict | None
    unconverted_events: int
    events_outside_period: int


class StayDict(TypedDict):
    """A plan's stay in another zone, dates inclusive; ``name`` only when it has one."""

    start: str
    end: str
    timezone: str
    name: NotRequired[str]


class PeriodDict(TypedDict):
    """The ``period`` of :class:`SummaryDict`: dates as ISO text, or None.

    ``stays`` are the plan's stays in other zones that share a date with
    the period (empty for a log or a plan that stays home); ``home_clock``
    the items kept on the plan's zone during them.
    """

    start: str | None
    end: str | None
    days: int
    timezone: str | None
    events: int
    stays: list[StayDict]
    home_clock: list[str]


class SummaryDict(TypedDict):
    """:meth:`Summary.to_dict`: JSON-ready, with stable keys.

    ``report`` is ``None`` without a profile, ``adherence`` (an
    :class:`AdherenceDict`) ``None`` without a log compared with the plan.
    """

    title: str
    period: PeriodDict
    schedule: list[ScheduleRowDict]
    substances: list[SubstanceSummaryDict]
    report: ReportDict | None
    adherence: AdherenceDict | None
    supply: SupplyDict | None


class RateDict(TypedDict):
    """A rate as counts and a rounded share: ``taken`` of ``due``."""

    taken: int
    due: int
    rate: str | None


class LoggedDict(TypedDict):
    """A logged dose: when, which product, how much."""

    at: str
    product: str
    amount: str
    note: str


class DoseRecordDict(TypedDict):
    """One planned dose and what became of it."""

    planned: str
    product: str
    planned_amount: str
    as_needed: bool
    status: str
    taken: LoggedDict | None
    delay_minutes: str | None
    amount_difference: str | None


class AdherenceDict(TypedDict):
    """:meth:`Adherence.to_dict`: JSON-ready, with stable keys."""

    at: str
    tolerance: str
    on_time: str
    counts: dict[str, int]
    overall: RateDict
    products: dict[str, RateDict]
    next_due: list[DoseRecordDict]
    doses: list[DoseRecordDict]
    extra: list[LoggedDict]


class ProductSupplyDict(TypedDict):
    """:meth:`ProductSupply.to_dict`: exact amounts as text, moments as ISO text."""

    product: str
    unit: str
    package: str | None
    on_hand: str
    per_day: str
    needed: str
    needed_worst: str
    runs_out: str | None
    runs_out_worst: str | None
    order_by: str | None
    packages_needed: int | None
    packages_needed_worst: int | None


class SupplyDict(TypedDict):
    """:meth:`Supply.to_dict`: JSON-ready, with stable keys."""

    at: str
    until: str
    lead_time: str | None
    products: list[ProductSupplyDict]
    untracked: list[str]


class ExposurePointDict(TypedDict):
    """One point of an exposure estimate: ISO 8601 moment and estimated amount."""

    at: str
    amount: float


class ExposureDict(TypedDict):
    """:meth:`Exposure.to_dict <regimen.Exposure.to_dict>`: a model estimate, JSON-ready.

    ``estimate`` is always ``True`` and ``label`` says what the numbers are;
    ``unit`` is the amounts' unit, ``step`` the time between points.
    """

    substance: str
    unit: str
    estimate: bool
    label: str
    kinetics: KineticsTable
    step: str
    points: list[ExposurePointDict]
