"""FHIR dosages as regimen entries and rules: :class:`Reading` and :func:`from_dosage`.

Reads with ``_fhir_read``, places each Timing with ``_fhir_timing``, then
builds entries (one per meal relation and per phase), cuts them where a
``count`` or a bounding moment ends them, and turns the ``maxDosePer*``
elements into limits of each substance of the product.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

import attrs

from ._dose import Dose, Meal
from ._errors import LoadError, RegimenError
from ._fhir_cut import MAX_COUNT, cut, start_at
from ._fhir_limits import limits, quantity
from ._fhir_read import Dosage, read_dosages
from ._fhir_timing import Pattern, TimingProblemError, length, pattern
from ._meals import MealTimes
from ._plan import Entry, Plan
from ._product import Product
from ._profile import Profile
from ._quantity import Quantity
from ._rules_window import MaxAmount, MaxDoses
from ._schedule import Schedule, parse_time
from ._timezone import check_zone, zone

__all__ = ["Reading", "from_dosage"]


@attrs.frozen(kw_only=True)
class Reading:
    """FHIR dosages read as regimen entries and rules, with every assumption made.

    :attr:`entries` go into a :class:`~regimen.Plan` and :attr:`rules` into
    a :class:`~regimen.Profile`; :meth:`plan` and :meth:`profile` build
    both. :attr:`assumptions` lists, in words, each choice FHIR left open
    (clock times of codes such as BID, meal times, how a month was read).
    """

    entries: tuple[Entry, ...]
    rules: tuple[MaxAmount | MaxDoses, ...]
    assumptions: tuple[str, ...]
    timezone: str
    start: date
    end: date | None
    meal_times: MealTimes

    def plan(self, name: str, *, end: date | None = None) -> Plan:
        """Return a plan holding the entries, in the reading's zone and dates."""
        return Plan(
            name,
            timezone=self.timezone,
            start=self.start,
            end=end if end is not None else self.end,
            entries=self.entries,
            meal_times=self.meal_times,
        )

    def profile(self) -> Profile:
        """Return a profile holding the rules the dosages carry."""
        return Profile(rules=self.rules)


@attrs.define
class _Context:
    product: Product
    timezone: str
    meal_times: MealTimes
    moments: Mapping[str, time]
    code_times: Mapping[str, tuple[time, ...]]
    said: list[str]
    problems: list[str]


def _in_product(q: Quantity, d: Dosage, ctx: _Context) -> Quantity:
    """Return *q* in the product's own units, converting a strength ("500 mg") if needed."""
    try:
        ctx.product.contents_of(q)
    except RegimenError:
        pass
    else:
        return q
    (substance, content), *others = ctx.product.contents.items()
    if others or not q.unit.converts_to(content.unit):
        return q  # Dose reports what cannot be measured
    out = ctx.product.per * q.ratio(content)
    ctx.said.append(
        f"{d.path}: {q} read as {out} of {ctx.product.name} "
        f"({content} of {substance.name} per {ctx.product.per})"
    )
    return out


def _dose(d: Dosage, ctx: _Context, meal: Meal | None) -> Dose:
    if d.dose_low is None or d.dose_high is None:
        ctx.said.append(
            f"{d.path}: no dose given; read as {ctx.product.per} of the product"
        )
        return Dose(ctx.product, ctx.product.per, meal=meal)
    low = _in_product(quantity(d.dose_low), d, ctx)
    high = _in_product(quantity(d.dose_high), d, ctx)
    if low == high:
        return Dose(ctx.product, low, meal=meal)
    if low.unit is not high.unit:
        high = high.to(low.unit)
    return Dose(ctx.product, f"{low.amount}-{high.amount} {low.unit.value}", meal=meal)


def _local(moment: datetime | date, ctx: _Context) -> tuple[date, time | None]:
    if isinstance(moment, datetime):
        local = moment.astimezone(zone(ctx.timezone))
        return local.date(), local.time().replace(tzinfo=None)
    return moment, None


def _schedules(
    p: Pattern, d: Dosage, ctx: _Context
) -> list[tuple[Schedule, Meal | None]]:
    days = sorted(p.days, key=lambda w: w.index)
    out: list[tuple[Schedule, Meal | None]] = []
    if p.every is not None:
        if days:
            raise TimingProblemError(
                "dayOfWeek", "doses every few hours cannot be kept to weekdays"
            )
        out.append((Schedule.every_hours(p.every, first=p.first or time(8)), None))
    for (offset, meal), group in itertools.groupby(
        sorted(p.meals, key=lambda m: (m[1], m[2] is None, str(m[2]))),
        key=lambda m: (m[1], m[2]),
    ):
        names = [name for name, _, _ in group]
        if p.every_days > 1:
            out.append((_meals_every(names, offset, p.every_days, ctx), meal))
            continue
        out.append((Schedule.at_meals(*names, offset=offset, days=days or None), meal))
    if p.times:
        if p.rule is not None:
            byday = ",".join(w.value for w in days)
            rule = p.rule + (f";BYDAY={byday}" if byday else "")
            out.append((Schedule.rrule(rule, *p.times), None))
        elif p.every_days > 1:
            out.append((Schedule.every(p.every_days, *p.times), None))
        elif days:
            out.append((Schedule.weekly(days, *p.times), None))
        else:
            out.append((Schedule.daily(*p.times), None))
    return out


def _meals_every(
    names: list[str], offset: timedelta, every: int, ctx: _Context
) -> Schedule:
    """Meal-anchored doses every *every* days, at the person's meal clock times."""
    clocks = []
    for name in names:
        at = datetime.combine(date(2000, 1, 1), getattr(ctx.meal_times, name)) + offset
        if at.date() != date(2000, 1, 1):
            raise TimingProblemError("offset", f"{name} plus the offset leaves the day")
        clocks.append(at.time())
    shown = ", ".join(c.isoformat("minutes") for c in clocks)
    ctx.said.append(
        f"{', '.join(names)} every {every} days read as {shown} from the meal times "
        "(regimen follows meal times only in daily and weekday schedules)"
    )
    return Schedule.every(every, *clocks)


def _end(d: Dosage, start: date, ctx: _Context) -> tuple[date | None, datetime | None]:
    r = d.repeat
    if r is None:
        return None, None
    if r.bounds_end is not None:
        day, at = _local(r.bounds_end, ctx)
        if at is not None:
            assert isinstance(r.bounds_end, datetime)
            return day, r.bounds_end
        return day, None
    if r.bounds_duration is None:
        return None, None
    value, unit = r.bounds_duration
    if unit in {"d", "wk"}:
        days = value * (7 if unit == "wk" else 1)
        if days == days.to_integral_value():
            return start + timedelta(days=int(days) - 1), None
    if unit in {"mo", "a"} and value == value.to_integral_value():
        months = int(value) * (12 if unit == "a" else 1)
        year, month = divmod(start.month - 1 + months, 12)
        last = _add_months(start, year, month)
        ctx.said.append(
            f"{d.path}: {value} {unit} read as until {last} (calendar {unit})"
        )
        return last, None
    bound = length(value, unit, "repeat.boundsDuration")
    return None, datetime.combine(start, time(), zone(ctx.timezone)) + bound


def _add_months(start: date, years: int, month0: int) -> date:
    year = start.year + years
    for day in range(start.day, 0, -1):
        try:
            return date(year, month0 + 1, day) - timedelta(days=1)
        except ValueError:
            continue
    return start  # pragma: no cover - day 1 always exists


def _dosage_entries(d: Dosage, ctx: _Context, phase_start: date | None) -> list[Entry]:
    r = d.repeat
    first: time | None = None
    start = phase_start
    if r is not None and r.bounds_start is not None:
        start, first = _local(r.bounds_start, ctx)
    source = f"FHIR {d.path}" + (f": {d.text}" if d.text else "")
    entries: list[Entry] = []
    for i, moment in enumerate(d.events):
        day, at = _local(moment, ctx)
        if at is None:
            at = ctx.code_times.get("QD", (time(8),))[0]
            ctx.said.append(
                f"{d.path}.timing.event[{i}] has no time; read as {at.isoformat('minutes')}"
            )
        entries.append(
            Entry(
                _dose(d, ctx, None),
                Schedule.daily(at),
                start=day,
                end=day,
                as_needed=d.as_needed,
                source=source,
            )
        )
    if d.events and r is None and d.code is None:
        return entries
    if start is None:
        raise TimingProblemError(
            "repeat.boundsPeriod.start",
            "no start date: give boundsPeriod.start, or pass start= to from_dosage",
        )
    p = pattern(
        r,
        d.code,
        meal_times=ctx.moments,
        code_times=ctx.code_times,
        first=first,
        said=ctx.said,
    )
    end, until = _end(d, start, ctx)
    for schedule, meal in _schedules(p, d, ctx):
        entries.append(
            Entry(
                _dose(d, ctx, meal),
                schedule,
                start=start,
                end=end,
                as_needed=d.as_needed,
                source=source,
            )
        )
    count = r.count if r is not None else None
    if r is not None and r.count_max is not None:
        ctx.said.append(
            f"{d.path}: countMax {r.count_max}: the plan stops after count ({r.count})"
        )
    if count is not None and count > MAX_COUNT:
        raise TimingProblemError(
            "repeat.count", f"{count} doses; at most {MAX_COUNT} are read"
        )
    since = r.bounds_start if r is not None else None
    if first is not None and p.every is None and isinstance(since, datetime):
        entries = start_at(
            entries, timezone=ctx.timezone, meal_times=ctx.meal_times, since=since
        )
    if count is not None or until is not None:
        entries = cut(
            entries,
            timezone=ctx.timezone,
            meal_times=ctx.meal_times,
            count=count,
            until=until,
        )
    return entries


def from_dosage(
    dosage: Mapping[str, object] | Sequence[Mapping[str, object]],
    *,
    product: Product,
    timezone: str,
    start: date | str | None = None,
    meal_times: Mapping[str, time | str] | None = None,
    code_times: Mapping[str, Sequence[time | str]] | None = None,
) -> Reading:
    """Read FHIR R4 ``Dosage`` JSON (one, a list, or a MedicationRequest) as entries and rules.

    Raises :class:`~regimen.LoadError` listing every problem with its path.
    """
    name = check_zone(timezone, field="from_dosage timezone")
    meals = {
        k: v for k, v in (meal_times or {}).items() if k in attrs.fields_dict(MealTimes)
    }
    moments = {
        k: parse_time(v, field=f"meal_times[{k!r}]")
        for k, v in (meal_times or {}).items()
    }
    times = {
        k: tuple(parse_time(t, field=f"code_times[{k!r}]") for t in v)
        for k, v in (code_times or {}).items()
    }
    ctx = _Context(product, name, MealTimes.of(meals), moments, times, [], [])
    dosages = read_dosages(dosage)
    first = None if start is None else Plan("x", timezone="UTC", start=start).start
    phases = sorted(
        {d.sequence for d in dosages}, key=lambda s: (s is not None, s or 0)
    )
    entries: list[Entry] = []
    rules: list[MaxAmount | MaxDoses] = []
    phase_start = first
    for seq in phases:
        ends: list[date | None] = []
        begins: list[date] = []
        for d in (x for x in dosages if x.sequence == seq):
            try:
                made = _dosage_entries(d, ctx, phase_start)
            except TimingProblemError as exc:
                ctx.problems.append(f"{d.path}.timing.{exc.where}: {exc}")
                continue
            except (ValueError, TypeError) as exc:
                ctx.problems.append(f"{d.path}: {exc}")
                continue
            entries += made
            ends += [e.end for e in made] or [phase_start]
            begins += [e.start for e in made if e.start is not None]
        span = None
        rules_of = [x for x in dosages if x.sequence == seq]
        begin = phase_start if phase_start is not None else min(begins, default=None)
        if ends and all(e is not None for e in ends) and begin is not None:
            phase_end = max(e for e in ends if e is not None)
            span = phase_end - begin + timedelta(days=1)
            phase_start = phase_end + timedelta(days=1)
        elif seq != phases[-1]:
            ctx.problems.append(
                f"{rules_of[0].path}: phase {seq} has no end, so the next phase cannot start; "
                "give it boundsDuration, boundsPeriod.end or count"
            )
        for d in rules_of:
            rules += limits(d, ctx.product, span, ctx.said, ctx.problems)
    if ctx.problems:
        raise LoadError(ctx.problems, "the FHIR dosage")
    starts = [e.start for e in entries if e.start is not None]
    if not starts:
        raise LoadError(["dosage: no dose could be placed in time"], "the FHIR dosage")
    ends = [e.end for e in entries]
    return Reading(
        entries=tuple(entries),
        rules=tuple(
            {attrs.evolve(r, source=None): r for r in reversed(rules)}.values()
        )[::-1],
        assumptions=tuple(dict.fromkeys(ctx.said)),
        timezone=name,
        start=min(starts),
        end=None if any(e is None for e in ends) else max(e for e in ends if e),
        meal_times=ctx.meal_times,
    )
