"""allowance() agrees with its definition, implemented literally with validate().

The definition (see :func:`regimen.allowance`): what is checked is the log
and the plan's doses after ``at`` up to the horizon, covering the days from
the log's first to the horizon's last, with the plan's breaks as rules. The
amount allowed is the largest dose whose addition at ``at`` makes
validation report no error finding it did not report without it; earliest
is the first moment some dose is allowed. The oracle below adds the dose,
calls :func:`validate` (and the breaks' ``check``), compares the error
findings, and probes every moment where an answer can change: all times in
the generated cases are whole hours, so probing each hour and the
microsecond after it visits every piece of time between two changes.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    AvoidTags,
    Break,
    BreakCadence,
    Dose,
    DoseEvent,
    Entry,
    Finding,
    Interaction,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Plan,
    Product,
    Profile,
    Quantity,
    Rotation,
    Schedule,
    Severity,
    Substance,
    Timeline,
    Weekday,
    allowance,
    validate,
)

from .helpers import KRATOM, MAENG_DA, RED_BALI, NoDosesAtNight

NY = ZoneInfo("America/New_York")
BASE = datetime(2027, 3, 13, 12, tzinfo=NY)  # the day before a DST change
HORIZON = timedelta(days=3)
TINY = Decimal("0.001")
US = timedelta(microseconds=1)
HOUR = timedelta(hours=1)
ALCOHOL = Substance("alcohol", classes={"depressant"})
BEER = Product("beer", contents={ALCOHOL: "14 g"}, per="1 serving")
TAGGED = Product("Kratom Latte", contents={KRATOM: "1 g"}, per="1 g", tags={"lactose"})
PRODUCTS = [MAENG_DA, RED_BALI, TAGGED]


@attrs.frozen
class Case:
    log: Timeline
    profile: Profile
    plan: Plan | None
    product: Product | None
    at: datetime


def checked(case: Case, at: datetime) -> Timeline:
    """Return the timeline the definition checks, for a question asked at *at*."""
    tz = NY if case.plan is not None else at.tzinfo
    assert tz is not None
    first = at.astimezone(tz).date()
    last = (at.astimezone(UTC) + HORIZON).astimezone(tz).date()
    events = list(case.log)
    if case.plan is not None:
        lo = max(case.plan.start, first)
        hi = last if case.plan.end is None else min(case.plan.end, last)
        if lo <= hi:
            events += [
                e
                for e in case.plan.timeline(lo, hi)
                if not e.as_needed and e.at.astimezone(UTC) > at.astimezone(UTC)
            ]
    start = min([first, *([case.log.first_day] if case.log.first_day else [])])
    end = max([last, *([case.log.last_day] if case.log.last_day else [])])
    return Timeline(events, start=start, end=end)


def findings(case: Case, timeline: Timeline) -> list[Finding]:
    found: list[Finding] = list(validate(timeline, case.profile).findings)
    for pause in case.plan.breaks if case.plan is not None else ():
        found += pause.check(timeline)
    return found


def errors(case: Case, timeline: Timeline) -> Counter[Finding]:
    return Counter(f for f in findings(case, timeline) if f.severity is Severity.ERROR)


def new_notes(case: Case, at: datetime, grams: Decimal) -> Counter[Finding]:
    """Return the warnings and infos a dose of *grams* at *at* adds."""
    base = checked(case, case.at)
    with_dose = Timeline([*base, dose(case, at, grams)], start=base.start, end=base.end)
    keep = Severity.ERROR
    after = Counter(f for f in findings(case, with_dose) if f.severity is not keep)
    return after - Counter(f for f in findings(case, base) if f.severity is not keep)


def dose(case: Case, at: datetime, grams: Decimal) -> DoseEvent:
    """Return the dose asked about, in the question's zone (the plan's, else at's)."""
    tz = NY if case.plan is not None else case.at.tzinfo
    product = case.product or Product("kratom", contents={KRATOM: "1 g"}, per="1 g")
    return DoseEvent(at.astimezone(tz), Dose(product, Quantity(grams, "g")))


def new_errors(case: Case, at: datetime, grams: Decimal) -> list[Finding]:
    """Return the error findings a dose of *grams* at *at* adds (the definition).

    What is checked is fixed by the question, asked at ``case.at``.
    """
    base = checked(case, case.at)
    with_dose = Timeline([*base, dose(case, at, grams)], start=base.start, end=base.end)
    before = errors(case, base)
    out = []
    for finding in errors(case, with_dose).elements():
        if before[finding] > 0:
            before[finding] -= 1
        else:
            out.append(finding)
    return out


def allowed(case: Case, at: datetime) -> bool:
    return not new_errors(case, at, TINY)


def probes(start: datetime, end: datetime) -> list[datetime]:
    """Each whole hour in [start, end) and the microsecond after it (start itself too)."""
    out = [start, start + US]
    t = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    while t < end.astimezone(UTC):
        if t >= start.astimezone(UTC):
            out += [t, t + US]
        t += HOUR
    return sorted({p.astimezone(UTC) for p in out if p < end.astimezone(UTC)})


def check_amount(
    case: Case, at: datetime, amount: Quantity | None, binding: object = None
) -> None:
    """At *at* a dose is allowed: *amount* passes, a little more does not (by *binding*)."""
    if amount is None:
        assert not new_errors(case, at, Decimal(50)), (
            "unbounded, yet 50 g breaks a rule"
        )
        return
    grams = amount.to("g").amount
    assert grams > 0
    assert not new_errors(case, at, grams)
    more = new_errors(case, at, grams + TINY)
    assert more, f"{amount} is not the most: {grams + TINY} g passes too"
    if binding is not None:
        assert binding in [f.rule for f in more]


hours = st.integers(-30, 40)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    events = []
    for h in draw(st.lists(hours, max_size=8)):
        kind = draw(st.sampled_from([*PRODUCTS, BEER]))
        amount = (
            "1 serving"
            if kind is BEER
            else draw(st.sampled_from(["0.5 g", "1 g", "2 g"]))
        )
        events.append(DoseEvent(BASE + h * HOUR, Dose(kind, amount)))
    severity = st.sampled_from([Severity.ERROR, Severity.ERROR, Severity.WARNING])
    own_start = st.sampled_from([None, None, time(4)])
    window = st.sampled_from(
        ["dose", "day", "week", timedelta(hours=6), timedelta(hours=24)]
    )
    rule = st.one_of(
        st.builds(
            MaxAmount,
            st.just("kratom"),
            st.sampled_from(["1 g", "2.5 g", "4 g"]),
            per=window,
            severity=severity,
            day_start=own_start,
        ),
        st.builds(
            MaxDoses,
            st.just("kratom"),
            st.integers(1, 3),
            per=st.sampled_from(["day", "week", timedelta(hours=6)]),
            severity=severity,
            day_start=own_start,
        ),
        st.builds(
            MinInterval,
            st.just("botanical"),
            st.sampled_from([timedelta(hours=2), timedelta(hours=5)]),
            severity=severity,
        ),
        st.builds(
            MaxConsecutiveDays, st.just("kratom"), st.integers(1, 2), severity=severity
        ),
        st.builds(
            BreakCadence,
            st.just("kratom"),
            days=st.just(1),
            every=st.integers(2, 3),
            severity=severity,
        ),
        st.builds(
            Rotation, st.just("kratom"), max_days=st.integers(1, 2), severity=severity
        ),
        st.builds(AvoidTags, st.just({"lactose"}), severity=severity),
        st.builds(NoDosesAtNight, severity=severity),
    )
    rules = draw(st.lists(rule, max_size=3))
    notes = draw(
        st.lists(
            st.builds(
                Interaction,
                st.just("kratom"),
                st.sampled_from(["alcohol", "depressant"]),
                severity=severity,
                within=st.sampled_from([timedelta(0), timedelta(hours=3)]),
                note=st.just("listed as a combination to avoid"),
            ),
            max_size=1,
        )
    )
    medications = draw(st.sampled_from([(), (), (ALCOHOL,)]))
    profile = Profile(
        rules=rules,
        interactions=notes,
        medications=medications,
        day_start=draw(st.sampled_from([time(0), time(2), time(2, 30)])),
    )
    plan = None
    if draw(st.booleans()):
        day = BASE.date() + timedelta(days=draw(st.integers(-1, 1)))
        plan = Plan(
            "p",
            timezone="America/New_York",
            start=BASE.date() - timedelta(days=1),
            end=draw(st.sampled_from([None, BASE.date() + timedelta(days=2)])),
            entries=[
                Entry(
                    Dose(MAENG_DA, "1 g"),
                    Schedule.daily(f"{draw(st.integers(6, 22)):02d}:00"),
                )
            ],
            breaks=draw(st.lists(breaks_around(day), max_size=2)),
        )
    product = draw(st.sampled_from([None, MAENG_DA, RED_BALI, TAGGED]))
    at = BASE + draw(hours) * HOUR
    zone = draw(st.sampled_from([NY, UTC]))
    return Case(Timeline(events), profile, plan, product, at.astimezone(zone))


def breaks_around(day: date) -> st.SearchStrategy[Break]:
    """One-off and repeating breaks of kratom near *day*, some reaching past the horizon."""
    until = st.sampled_from([None, day, day + timedelta(days=1)])
    kratom = ["kratom"]
    return st.one_of(
        st.just(Break(day, day, substances=kratom)),
        st.builds(
            lambda days, end: Break.weekly(days, start=day, end=end, substances=kratom),
            st.sets(st.sampled_from(list(Weekday)), min_size=1, max_size=3),
            until,
        ),
        st.builds(
            lambda on, off, end: Break.cycle(
                on_days=on,
                off_days=off,
                start=day - timedelta(days=1),
                end=end,
                substances=kratom,
            ),
            st.integers(1, 2),
            st.integers(1, 2),
            until,
        ),
        st.builds(
            lambda rule, end: Break.rrule(rule, start=day, end=end, substances=kratom),
            st.sampled_from(["FREQ=DAILY;INTERVAL=2", "FREQ=WEEKLY;BYDAY=SU,MO"]),
            until,
        ),
    )


@given(cases())
def test_allowance_is_its_definition(case: Case) -> None:
    """amount, limited_by, earliest, earliest_limited_by, amount_at_earliest and notes."""
    got = allowance(
        case.log,
        case.profile,
        KRATOM,
        at=case.at,
        plan=case.plan,
        product=case.product,
        horizon=HORIZON,
    )
    at = case.at
    if got.allowed_now:
        assert got.earliest == at
        assert got.earliest_limited_by is None
        assert got.amount_at_earliest == got.amount
        check_amount(case, at, got.amount, got.limited_by)
        assert Counter(got.notes) == new_notes(case, at, grams_or_one(got.amount))
        return
    assert got.amount == Quantity(0, "g")
    blocking = new_errors(case, at, TINY)
    assert blocking, "not allowed, yet a small dose adds no error"
    assert got.limited_by in [f.rule for f in blocking]
    end = at.astimezone(UTC) + HORIZON
    earliest = got.earliest
    stop = end if earliest is None else earliest.astimezone(UTC)
    for moment in probes(at, stop):
        assert not allowed(case, moment), f"{moment} allows a dose before {earliest}"
    if earliest is None:
        assert got.amount_at_earliest is None
        assert not allowed(case, end)
        assert got.notes == ()
        return
    assert earliest.tzinfo is at.tzinfo
    assert allowed(case, earliest)
    before = new_errors(
        case, earliest.astimezone(UTC) - US, TINY
    )  # elapsed, not wall time
    assert before
    assert got.earliest_limited_by in [f.rule for f in before]
    check_amount(case, earliest, got.amount_at_earliest)
    notes = new_notes(case, earliest, grams_or_one(got.amount_at_earliest))
    assert Counter(got.notes) == notes


def grams_or_one(amount: Quantity | None) -> Decimal:
    """Return the dose the notes are about: the amount allowed, or 1 g when unbounded."""
    return Decimal(1) if amount is None else amount.to("g").amount
