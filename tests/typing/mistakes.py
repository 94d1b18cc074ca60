"""Mistakes that must be type errors, each silenced by the exact error code.

Every line below is a mistake a user of regimen can make; mypy (with
``warn_unused_ignores``, part of ``--strict``) and pyright (with
``reportUnnecessaryTypeIgnoreComment``) both fail when one of them stops
being an error, or becomes an error of another kind. ``tests/test_typing.py``
runs both. The functions are never called.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

import regimen
import regimen.fhir
from regimen import (
    Break,
    Dose,
    Kinetics,
    MaxExposure,
    Plan,
    Product,
    Profile,
    Quantity,
    Report,
    Schedule,
    Severity,
    Substance,
    Timeline,
    adherence,
    allowance,
    loads,
    summarize,
    validate,
)
from regimen import strategies as rst


def _int(value: int) -> None: ...


def typos(plan: Plan) -> None:
    """Misspelt public names are errors, not ``Any``."""
    from regimen import validat  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]

    validat(plan)
    regimen.valdate(plan)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    regimen.Quantty("1 g")  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    _ = Severity.ERRORS  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    plan.timline()  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]


def wrong_types(plan: Plan, product: Product, when: datetime) -> None:
    """Arguments of the wrong type are refused."""
    Quantity("2", 5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Quantity([2], "g")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Dose(product, 2)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Dose(product, (2, 3))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _ = Dose(product, "2-3 g").low.upper()  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    Plan("p", timezone=3, start=date(2027, 1, 1))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Schedule.daily(8)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Schedule.spread("3")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Schedule.at_meals("breakfast", offset=30)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    adherence(plan, Timeline(), at=when, rebase="yes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Schedule.every_hours([8])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Schedule.every_hours(8, "06:00")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Plan("p", timezone="UTC", start=date(2027, 1, 1), meal_times=["07:00"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Schedule.rrule(["FREQ=DAILY"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    validate("plan.toml")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    summarize(plan, "profile")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    loads("", format="yaml")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Break.weekly(6, start=date(2027, 1, 1))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Break.cycle(5, 2, start=date(2027, 1, 1))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Break.rrule("FREQ=DAILY", date(2027, 1, 1))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    _ = Break.weekly("SU", start=date(2027, 1, 1)).end - date(2027, 1, 1)  # type: ignore[operator]  # pyright: ignore[reportOptionalOperand]
    Timeline([1, 2])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    allowance(plan, Profile(), "kratom", at=when)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    rst.plans(max_days="7")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _ = st.from_type(Plan).example().timezone.days  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]


def wrong_calls(plan: Plan, timeline: Timeline) -> None:
    """Keyword-only arguments, unknown and missing arguments are refused."""
    Plan("p", "UTC", date(2027, 1, 1))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Substance("kratom", colour="green")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    allowance(timeline, Profile(), "kratom")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    allowance(timeline, Profile(), "kratom", at=datetime(2027, 1, 1), plans=plan)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    allowance(timeline, Profile(), "kratom", at=datetime(2027, 1, 1), horizon=400)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    allowance(timeline, Profile(), "kratom", datetime(2027, 1, 1))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    validate(plan, None, date(2027, 1, 1))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def frozen(quantity: Quantity, plan: Plan, report: Report) -> None:
    """Frozen objects cannot be changed."""
    quantity.amount = Decimal(1)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    plan.timezone = "UTC"  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    report.findings[0].code = "other"  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


def results(quantity: Quantity, report: Report, timeline: Timeline) -> None:
    """Results are used as what they are."""
    _ = quantity + 1  # type: ignore[operator]  # pyright: ignore[reportOperatorIssue]
    _ = quantity * quantity  # type: ignore[operator]  # pyright: ignore[reportOperatorIssue]
    _int(quantity.amount)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    report.findings[0].rule.check(timeline)  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
    _ = report.to_dict()["okay"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]
    _int(report.findings[0].to_dict()["code"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _int(report.findings[0].at)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _ = report.findings[0].at - timedelta(hours=1)  # type: ignore[operator]  # pyright: ignore[reportOptionalOperand]


def adherence_mistakes(plan: Plan, timeline: Timeline) -> None:
    """Adherence takes a known matching mode and reports exact rates."""
    at = timeline[0].at
    regimen.adherence(plan, timeline, at=at, match_by="strain")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    regimen.adherence(plan, timeline, at)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    _int(regimen.adherence(plan, timeline, at=at).rate())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def supply_mistakes(plan: Plan, at: datetime) -> None:
    """supply() takes its moment by keyword, and amounts are not ints."""
    regimen.supply(plan, at)  # type: ignore[call-arg, arg-type]  # pyright: ignore[reportCallIssue]
    regimen.supply(plan, stock={"powder": "1 g"}, at=at)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    result = regimen.supply(plan, at=at)
    _int(result.products[plan.entries[0].dose.product].on_hand)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def dose_class_mistakes() -> None:
    """Name a table's source and thresholds, and a limit's class, by keyword."""
    regimen.DoseClasses("example", {"light": "1 g"})  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    regimen.DoseClassLimit("kratom", "common")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def calendar_mistakes(plan: Plan) -> None:
    """Calendar export and import take the documented argument types."""
    regimen.to_ics(plan, recurring="yes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    regimen.from_ics(b"BEGIN:VCALENDAR")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    regimen.from_ics("", doses={"Kefir": "2 g"})  # type: ignore[dict-item]  # pyright: ignore[reportArgumentType]
    _int(regimen.from_ics("").skipped[0].reason)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def exposure_mistakes(timeline: Timeline) -> None:
    """Model parameters are keywords with a source; estimates are floats."""
    regimen.exposure(timeline, "caffeine", "5 h")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Kinetics(half_life="5 h")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    MaxExposure("caffeine", "300 mg", kinetics="5 h")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    series = regimen.exposure(timeline, "caffeine", half_life="5 h", source="s")
    _int(series.peak.amount)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def travel_mistakes(plan: Plan, dose: Dose, schedule: Schedule) -> None:
    """Stays need their zone; an entry's clock is local or home."""
    regimen.Entry(dose, schedule, clock="away")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    regimen.Stay(date(2027, 3, 1), date(2027, 3, 9))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    plan.stays = ()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    _int(plan.zone_on(date(2027, 3, 1)))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def fhir_mistakes(plan: Plan, product: Product) -> None:
    """FHIR readers need their keywords; names are checked."""
    regimen.fhir.from_dosage({}, product, "UTC")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    regimen.fhir.from_dosag({}, product=product, timezone="UTC")  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    regimen.fhir.to_dosage(plan, profil=None)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
