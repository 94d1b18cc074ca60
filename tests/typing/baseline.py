"""Public-API usage that must type-check cleanly with mypy --strict and pyright strict.

Each ``assert_type`` pins a return type of the public API; a change that
loosens one (to ``Any``, ``object`` or a wider union) fails the typing test
in ``tests/test_typing.py``. The functions are never called.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, assert_type

from hypothesis import strategies as st
from matplotlib.figure import Figure

import regimen
import regimen.fhir
from regimen import (
    Adherence,
    Allowance,
    AvoidTags,
    Break,
    BreakCadence,
    Bundle,
    DailyTotals,
    Dimension,
    Dose,
    DoseEvent,
    DoseRecord,
    DoseStatus,
    Entry,
    ExpansionError,
    Exposure,
    ExposurePoint,
    Finding,
    Interaction,
    Kinetics,
    LoadError,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MaxExposure,
    Meal,
    MealTimes,
    MinInterval,
    Plan,
    PlanViolationError,
    Product,
    Profile,
    Quantity,
    RegimenError,
    Report,
    Rotation,
    Rule,
    Schedule,
    ScheduleRow,
    Severity,
    Substance,
    SubstanceSummary,
    Summary,
    Timeline,
    Unit,
    UnitError,
    Weekday,
    adherence,
    allowance,
    charts,
    dumps,
    exposure,
    load,
    loads,
    ramp,
    rotate,
    summarize,
    to_ics,
    top_ups,
    validate,
)
from regimen import strategies as rst
from regimen.dicts import (
    ExposureDict,
    KineticsTable,
    ReportDict,
    RuleTable,
    SummaryDict,
)


def quantities() -> None:
    """Quantity arithmetic stays a Quantity; ratios are Decimals."""
    g = Quantity("2.5", "g")
    mg = Quantity.parse("500 mg")
    assert_type(g, Quantity)
    assert_type(mg, Quantity)
    assert_type(g + mg, Quantity)
    assert_type(g - mg, Quantity)
    assert_type(-g, Quantity)
    assert_type(abs(g), Quantity)
    assert_type(g * 2, Quantity)
    assert_type(2 * g, Quantity)
    assert_type(g * Decimal("1.5"), Quantity)
    assert_type(g / 2, Quantity)
    assert_type(g.to("mg"), Quantity)
    assert_type(g.to(Unit.MCG), Quantity)
    assert_type(g.ratio(mg), Decimal)
    assert_type(g < mg, bool)
    assert_type(g == mg, bool)
    assert_type(g.amount, Decimal)
    assert_type(g.unit, Unit)
    assert_type(g.dimension, Dimension)
    assert_type(Unit.parse("tsp"), Unit)
    assert_type(Unit.TSP.factor, Decimal)
    assert_type(Unit.G.converts_to(Unit.MG), bool)
    assert_type(str(g), str)


def domain() -> tuple[Plan, Profile]:
    """Substances, products, doses, schedules and plans build with their types."""
    kratom = Substance("kratom", classes={"botanical"}, onset=timedelta(minutes=45))
    kefir = Substance("kefir", classes=frozenset({"probiotic"}))
    powder = Product(
        "Maeng Da",
        contents={kratom: "1 g"},
        per="1 g",
        equivalents=[("1 tsp", "2 g")],
        variant="white",
        lab_tested=True,
    )
    milk = Product("milk kefir", contents={kefir: Quantity(1, "fl oz")}, per="1 fl oz")
    assert_type(powder.contents, Mapping[Substance, Quantity])
    assert_type(powder.contents_of("2 g"), Mapping[Substance, Quantity])
    assert_type(powder.substances, tuple[Substance, ...])
    assert_type(kratom.matches("botanical"), bool)
    assert_type(kratom.onset, timedelta | None)

    dose = Dose(powder, "2 g", meal=Meal.AFTER)
    assert_type(dose.amount, Quantity)
    assert_type(dose.contents, Mapping[Substance, Quantity])
    assert_type(dose.meal, Meal | None)
    ranged = Dose(powder, "2-3 g")
    assert_type(ranged.low, Quantity)
    assert_type(ranged.high, Quantity)
    assert_type(ranged.is_range, bool)
    assert_type(ranged.amount_text, str)
    assert_type(ranged.at_low_end(), Dose)
    assert_type(Dose(powder, (Quantity(2, "g"), "3 g")), Dose)

    morning = Schedule.daily("08:00", time(20))
    weekly = Schedule.weekly([Weekday.MO, "we"], "08:30")
    assert_type(morning, Schedule)
    assert_type(weekly, Schedule)
    assert_type(Schedule.every(2, "08:00"), Schedule)
    assert_type(Schedule.cycle(5, 2, "08:00"), Schedule)
    assert_type(Schedule.rrule("FREQ=WEEKLY;BYDAY=MO", "08:00"), Schedule)
    assert_type(Schedule.spread(3, ("08:00", time(22)), days=["MO"]), Schedule)
    assert_type(Schedule.at_meals("breakfast", offset="-30 min"), Schedule)
    assert_type(Schedule.every_hours(8, first="06:00"), Schedule)
    assert_type(Schedule.every_hours(timedelta(minutes=90)).period, timedelta | None)
    assert_type(Schedule.at_meals("dinner").meals, tuple[str, ...])
    assert_type(MealTimes(breakfast="07:00").breakfast, time)
    assert_type(MealTimes.of({"lunch": "12:00"}), MealTimes)
    lines = Schedule.rrule("DTSTART:20270301T090000\nRRULE:FREQ=DAILY;COUNT=3")
    assert_type(lines, Schedule)
    assert_type(
        lines.occurrences(date(2027, 3, 1), date(2027, 3, 9), anchor=date(2027, 3, 1)),
        Iterator[tuple[date, tuple[time, ...]]],
    )

    entries = [
        Entry(dose, morning),
        Entry(Dose(milk, "6 fl oz"), weekly, start=date(2027, 1, 2)),
    ]
    assert_type(entries[0].dose, Dose)
    ramped = ramp(
        powder,
        start=Quantity(2, "g"),
        until=Quantity(1, "g"),
        step=Quantity("0.5", "g"),
        every=timedelta(days=3),
        schedule=morning,
        first_day=date(2027, 1, 1),
        hold_until=date(2027, 2, 1),
        last_day="2027-02-28",
    )
    rotated = rotate(
        [powder],
        amount=Quantity(2, "g"),
        schedule=morning,
        every=timedelta(days=1),
        first_day=date(2027, 1, 1),
        last_day=date(2027, 1, 7),
    )
    session = top_ups(
        powder,
        first=Quantity(1, "g"),
        step=Quantity("0.5", "g"),
        every=timedelta(minutes=45),
        up_to=Quantity(3, "g"),
        schedule=morning,
        first_day=date(2027, 1, 1),
        last_day="2027-01-14",
    )
    for built in (ramped, rotated, session):
        assert_type(built[0], Entry)

    plan = Plan(
        "daily",
        timezone="America/New_York",
        start=date(2027, 1, 1),
        end=date(2027, 1, 31),
        entries=[*entries, *ramped],
        breaks=[Break(date(2027, 1, 10), date(2027, 1, 12), reason="rest")],
    )
    assert_type(plan.entries, tuple[Entry, ...])
    assert_type(plan.timezone, str)

    rules: list[Rule] = [
        MaxAmount("kratom", "8 g", per="day"),
        MaxDoses("kratom", 3, per=timedelta(hours=24)),
        MinInterval("kratom", timedelta(hours=4)),
        MaxConsecutiveDays("kratom", 5),
        BreakCadence("kratom", days=3, every=30),
        Rotation("kratom", max_days=3),
        AvoidTags({"lactose"}),
    ]
    profile = Profile(
        rules=rules,
        interactions=[
            Interaction(
                "kratom",
                "alcohol",
                severity=Severity.ERROR,
                within=timedelta(hours=6),
                note="do not combine",
            )
        ],
        medications=["sertraline"],
        day_start=time(4),
    )
    assert_type(profile.rules, tuple[Rule, ...])
    return plan, profile


def timelines_and_reports(plan: Plan, profile: Profile) -> None:
    """Expansion, validation, allowance and summaries return their public types."""
    timeline = plan.timeline()
    assert_type(timeline, Timeline)
    assert_type(plan.timeline(date(2027, 1, 1), date(2027, 1, 7)), Timeline)
    assert_type(timeline[0], DoseEvent)
    assert_type(timeline[1:], Timeline)
    events: Sequence[DoseEvent] = timeline
    assert_type(events[0], DoseEvent)
    assert_type(timeline.of("kratom"), Timeline)
    event = timeline[0]
    assert_type(event.at, datetime)
    assert_type(event.dose, Dose)
    assert_type(event.amount, Quantity)
    assert_type(event.product, Product)
    assert_type(event.contents, Mapping[Substance, Quantity])
    assert_type(Timeline([event]), Timeline)

    report = validate(plan, profile)
    assert_type(report, Report)
    assert_type(validate(timeline), Report)
    assert_type(report.ok, bool)
    assert_type(report.findings, tuple[Finding, ...])
    assert_type(report.errors, tuple[Finding, ...])
    report.raise_for_errors()
    finding = report.findings[0]
    assert_type(finding.code, str)
    assert_type(finding.severity, Severity)
    assert_type(finding.message, str)
    assert_type(finding.at, datetime | None)
    assert_type(finding.events, tuple[DoseEvent, ...])
    assert_type(finding.rule, Rule | None)
    assert_type(finding.measured, Quantity | int | timedelta | None)
    assert_type(finding.limit, Quantity | int | timedelta | None)
    if finding.rule is not None:
        assert_type(finding.rule.check(timeline), Iterable[Finding])
    assert_type(Severity.ERROR > Severity.WARNING, bool)

    asked = allowance(timeline, profile, "kratom", at=event.at)
    assert_type(asked, Allowance)
    assert_type(asked.amount, Quantity | None)
    assert_type(asked.earliest, datetime | None)
    assert_type(asked.limited_by, Rule | None)
    assert_type(asked.earliest_limited_by, Rule | None)
    assert_type(asked.amount_at_earliest, Quantity | None)
    assert_type(asked.allowed_now, bool)
    assert_type(asked.notes, tuple[Finding, ...])
    planned = allowance(
        timeline,
        profile,
        "kratom",
        at=event.at,
        plan=plan,
        product=event.product,
        horizon=timedelta(days=30),
    )
    assert_type(planned, Allowance)
    assert_type(plan.breaks[0].check(timeline), list[Finding])
    sundays = Break.weekly(
        [Weekday.SU, "SA"], start=date(2027, 1, 1), substances=["kratom"]
    )
    monthly = Break.rrule("FREQ=MONTHLY;BYMONTHDAY=1,2,3", start="2027-01-01")
    cycle = Break.cycle(on_days=5, off_days=2, start=date(2027, 1, 1), end=None)
    for pause in (sundays, monthly, cycle):
        assert_type(pause, Break)
        assert_type(pause.end, date | None)
        assert_type(pause.kind, str)
        assert_type(pause.includes(date(2027, 1, 3)), bool)
        assert_type(pause.weekdays, frozenset[Weekday])
        assert_type(list(pause.days(date(2027, 1, 1), date(2027, 1, 31))), list[date])
        assert_type(
            next(pause.runs(date(2027, 1, 1), date(2027, 1, 31))), tuple[date, date]
        )

    result = adherence(plan, timeline, at=event.at)
    assert_type(result, Adherence)
    assert_type(result.doses, Sequence[DoseRecord])
    assert_type(result.doses[0].status, DoseStatus)
    assert_type(result.doses[0].taken, DoseEvent | None)
    assert_type(result.doses[0].delay, timedelta | None)
    assert_type(result.extra, tuple[DoseEvent, ...])
    assert_type(result.rate("kratom"), Fraction | None)
    assert_type(result.next_due, tuple[DoseRecord, ...])
    rebased = adherence(plan, timeline, at=event.at, rebase=True)
    assert_type(rebased.doses[0].rebased, bool)
    assert_type(plan.meal_times, MealTimes)
    assert_type(result.to_dict()["overall"]["taken"], int)
    assert_type(result.to_csv(), str)

    summary = summarize(plan, profile)
    assert_type(summary, Summary)
    assert_type(summarize(timeline), Summary)
    assert_type(summary.to_markdown(), str)
    assert_type(summary.to_text(), str)
    assert_type(summary.rows, tuple[ScheduleRow, ...])
    assert_type(summary.substances, tuple[SubstanceSummary, ...])
    totals = summary.substances[0].planned
    assert_type(totals, DailyTotals | None)
    if totals is not None:
        assert_type(totals.max_low, Quantity)
    assert_type(summary.rows[0].first, date | None)
    assert_type(summary.rows[0].low, Quantity)
    assert_type(summary.rows[0].amount_text, str)
    assert_type(to_ics(plan), str)
    assert_type(to_ics(plan, recurring=False, duration=timedelta(minutes=1)), str)
    read = regimen.from_ics("", doses={"Kefir": plan.entries[0].dose})
    assert_type(read, regimen.CalendarImport)
    assert_type(read.plan, Plan)
    assert_type(read.entries, tuple[Entry, ...])
    assert_type(read.skipped, tuple[regimen.SkippedEvent, ...])
    assert_type(read.skipped[0].uid, str)

    def dose_of(event: regimen.CalendarEvent) -> Dose | None:
        assert_type(event.start, datetime)
        assert_type(event.properties, Mapping[str, str])
        return None

    assert_type(regimen.from_ics("", doses=dose_of, end=date(2027, 1, 1)).plan, Plan)


def dicts(report: Report, summary: Summary) -> None:
    """Every to_dict() is typed key by key, not ``dict[str, Any]``."""
    as_dict = report.to_dict()
    assert_type(as_dict, ReportDict)
    assert_type(summary.to_dict(), SummaryDict)
    assert_type(as_dict["ok"], bool)
    assert_type(as_dict["counts"]["error"], int)
    finding = as_dict["findings"][0]
    assert_type(finding["code"], str)
    assert_type(finding["message"], str)
    assert_type(finding["at"], str | None)
    assert_type(report.findings[0].to_dict()["severity"], str)
    summary_dict = summary.to_dict()
    assert_type(summary_dict["title"], str)
    assert_type(summary_dict["period"]["days"], int)
    assert_type(summary_dict["period"]["start"], str | None)
    row = summary_dict["schedule"][0]
    assert_type(row["time"], str)
    assert_type(row["count"], int)
    assert_type(row["low"], str)
    assert_type(row["high"], str)
    assert_type(row["first"], str | None)
    assert_type(row["last"], str | None)
    assert_type(finding["upper_end_only"], bool)
    per_substance = summary_dict["substances"][0]
    assert_type(per_substance["use_days"], int)
    daily = per_substance["daily"]
    if daily is not None:
        assert_type(daily["max"], str)
    assert_type(summary.rows[0].to_dict()["amount"], str)
    assert_type(summary.substances[0].to_dict()["name"], str)
    if summary_dict["report"] is not None:
        assert_type(summary_dict["report"]["ok"], bool)


def files(text: str) -> None:
    """Files load into a Bundle and dump back to text."""
    bundle = loads(text)
    assert_type(bundle, Bundle)
    assert_type(loads(text, format="json"), Bundle)
    assert_type(load("plan.toml"), Bundle)
    assert_type(dumps(bundle), str)
    assert_type(dumps(bundle, format="json"), str)
    assert_type(bundle.plan, Plan | None)
    assert_type(bundle.profile, Profile | None)
    assert_type(bundle.substances, tuple[Substance, ...])
    assert_type(bundle.products, tuple[Product, ...])
    assert_type(bundle.log, Timeline | None)


def errors() -> None:
    """Catch the error classes by their documented bases."""
    try:
        loads("")
    except LoadError as exc:
        assert_type(exc.problems, tuple[str, ...])
    except PlanViolationError as exc:
        assert_type(exc.report, Report)
    except (UnitError, ExpansionError) as exc:
        assert_type(exc, UnitError | ExpansionError)
    except RegimenError:
        pass


def lazy_names(plan: Plan) -> None:
    """Lazily loaded names are typed through the module too."""
    assert_type(regimen.validate(plan), Report)
    assert_type(regimen.summarize(plan), Summary)
    assert_type(regimen.Report, type[Report])
    assert_type(regimen.__version__, str)


def strategies() -> None:
    """Strategies are typed SearchStrategy objects of the public classes."""
    assert_type(rst.quantities(), st.SearchStrategy[Quantity])
    assert_type(rst.substances(), st.SearchStrategy[Substance])
    assert_type(rst.products(), st.SearchStrategy[Product])
    assert_type(rst.doses(), st.SearchStrategy[Dose])
    assert_type(rst.schedules(), st.SearchStrategy[Schedule])
    assert_type(rst.entries(), st.SearchStrategy[Entry])
    assert_type(rst.plans(), st.SearchStrategy[Plan])
    assert_type(rst.timelines(), st.SearchStrategy[Timeline])
    assert_type(rst.profiles(), st.SearchStrategy[Profile])
    assert_type(rst.bundles(), st.SearchStrategy[Bundle])
    assert_type(st.from_type(Plan), st.SearchStrategy[Plan])


def supply_results(plan: Plan, at: datetime) -> None:
    """supply() and its records are typed exactly."""
    powder = plan.entries[0].dose.product
    assert_type(powder.package, Quantity | None)
    refill = regimen.Refill(powder, "250 g", at)
    count = regimen.StockCount(powder, "40 g", at)
    result = regimen.supply(
        plan, stock=[count], refills=[refill], at=at, lead_time=timedelta(days=5)
    )
    assert_type(result, regimen.Supply)
    assert_type(regimen.supply(plan, stock={powder: "1 g"}, at=at), regimen.Supply)
    p = result.products[powder]
    assert_type(p, regimen.ProductSupply)
    assert_type(p.on_hand, Quantity)
    assert_type(p.runs_out, datetime | None)
    assert_type(p.order_by, date | None)
    assert_type(p.packages_needed, int | None)
    assert_type(result.to_dict()["products"][0]["on_hand"], str)
    assert_type(rst.refills(), st.SearchStrategy[regimen.Refill])
    assert_type(rst.stock_counts(), st.SearchStrategy[regimen.StockCount])


def dose_class_results(substance: Substance, timeline: Timeline) -> None:
    """Dose classes and their limit are typed exactly."""
    table = regimen.DoseClasses(source="example", thresholds={"light": "1 g"})
    assert_type(table.classify(Quantity.parse("2 g")), str | None)
    assert_type(table.thresholds, Mapping[str, Quantity])
    assert_type(substance.dose_classes, tuple[regimen.DoseClasses, ...])
    rule = regimen.DoseClassLimit("kratom", above="common")
    assert_type(list(rule.check(timeline)), list[regimen.Finding])
    assert_type(rst.dose_classes(), st.SearchStrategy[regimen.DoseClasses])
    assert_type(rst.dose_class_limits(), st.SearchStrategy[regimen.DoseClassLimit])


def exposure_estimates(timeline: Timeline, caffeine: Substance, plan: Plan) -> None:
    """Exposure estimates, their limit and the charts are typed."""
    k = Kinetics(
        half_life="5 h", absorption_half_life=timedelta(minutes=45), source="s"
    )
    assert_type(k.half_life, timedelta)
    assert_type(k.absorption_half_life, timedelta | None)
    assert_type(k.bioavailability, Decimal)
    assert_type(k.to_table(), KineticsTable)
    assert_type(caffeine.kinetics, Kinetics | None)
    series = exposure(timeline, caffeine, half_life="5 h", source="s", step="15 min")
    assert_type(series, Exposure)
    assert_type(exposure(timeline, "caffeine", kinetics=k), Exposure)
    assert_type(series.points, tuple[ExposurePoint, ...])
    assert_type(series.peak, ExposurePoint)
    assert_type(series.peak.at, datetime)
    assert_type(series.peak.amount, float)
    assert_type(series.values, tuple[float, ...])
    assert_type(series.unit, Unit)
    assert_type(series.label, str)
    assert_type(series.to_dict(), ExposureDict)
    for point in series:
        assert_type(point, ExposurePoint)
    rule = MaxExposure("caffeine", "300 mg", kinetics=k, severity="warning")
    assert_type(rule.kinetics, Kinetics)
    assert_type(rule.amount, Quantity)
    assert_type(rule.to_table(), RuleTable)
    assert_type(
        MaxExposure("caffeine", "300 mg", half_life="5 h", kinetics_source="s"),
        MaxExposure,
    )
    assert_type(rst.kinetics(), st.SearchStrategy[Kinetics])
    assert_type(rst.max_exposures(), st.SearchStrategy[MaxExposure])
    assert_type(charts.exposure_chart(series, limit="300 mg"), Figure)
    assert_type(charts.totals_chart(plan, Profile(rules=[rule])), Figure)
    assert_type(
        charts.adherence_chart(adherence(plan, timeline, at=series.peak.at)), Figure
    )


def travel(dose: Dose, schedule: Schedule) -> None:
    """Stays abroad and entries on home clock."""
    from typing import Literal

    stay = regimen.Stay(date(2027, 3, 20), "2027-03-27", "Asia/Tokyo", name="Tokyo")
    assert_type(stay, regimen.Stay)
    assert_type(stay.start, date)
    assert_type(stay.timezone, str)
    assert_type(stay.covers(date(2027, 3, 21)), bool)
    entry = Entry(dose, schedule, clock="home")
    assert_type(entry.clock, Literal["local", "home"])
    plan = Plan(
        "trip",
        timezone="America/Los_Angeles",
        start="2027-03-01",
        end="2027-03-31",
        entries=[entry],
        stays=[stay],
    )
    assert_type(plan.stays, tuple[regimen.Stay, ...])
    assert_type(plan.zone_on("2027-03-21"), str)
    assert_type(regimen.summarize(plan).stays, tuple[regimen.Stay, ...])
    assert_type(regimen.summarize(plan).home_clock, tuple[str, ...])
    assert_type(
        regimen.summarize(plan).to_dict()["period"]["stays"][0]["timezone"], str
    )


def fhir(plan: Plan, product: Product, profile: Profile) -> None:
    """FHIR in and out: a typed reading, plain dicts out."""
    reading = regimen.fhir.from_dosage(
        {}, product=product, timezone="UTC", start="2027-01-01"
    )
    assert_type(reading, regimen.fhir.Reading)
    assert_type(reading.entries, tuple[Entry, ...])
    assert_type(reading.assumptions, tuple[str, ...])
    assert_type(reading.plan("x"), Plan)
    assert_type(reading.profile(), Profile)
    assert_type(regimen.fhir.to_dosage(plan, profile=profile), list[dict[str, Any]])
