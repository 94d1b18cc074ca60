"""Summaries other programs consume: :func:`summarize` and :class:`Summary`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from typing import Any

import attrs

from . import _decimal
from ._dose import Meal
from ._format import moment
from ._plan import Plan
from ._profile import Profile
from ._quantity import Quantity
from ._report import Report
from ._series import local_day
from ._substance import Substance
from ._timeline import DoseEvent, Timeline
from ._units import Unit
from ._validate import validate, window

__all__ = ["DailyTotals", "ScheduleRow", "SubstanceSummary", "Summary", "summarize"]

_MEALS = {
    Meal.BEFORE: "before a meal",
    Meal.WITH: "with a meal",
    Meal.AFTER: "after a meal",
    Meal.EMPTY_STOMACH: "on an empty stomach",
}


@attrs.frozen
class ScheduleRow:
    """One line of the typical day: at *time* (local wall clock), *amount* of *item*.

    *days* is on how many days of the period it happens and *count* how
    many times in all (more than *days* when two entries share the time);
    *note* joins the dose's note, its meal relation and "as needed".
    """

    time: time
    item: str
    amount: Quantity
    note: str
    days: int
    as_needed: bool
    count: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "time": self.time.isoformat("minutes"),
            "item": self.item,
            "amount": str(self.amount),
            "note": self.note,
            "days": self.days,
            "count": self.count,
            "as_needed": self.as_needed,
        }


@attrs.frozen
class DailyTotals:
    """The smallest, mean and largest daily total over the days of use."""

    min: Quantity
    mean: Quantity
    max: Quantity

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-ready dict of exact amounts as text."""
        return {"min": str(self.min), "mean": str(self.mean), "max": str(self.max)}


@attrs.frozen
class SubstanceSummary:
    """Per-substance facts over the period: daily totals, use days, free days.

    *planned* counts doses that are not as-needed; *with_as_needed* counts
    every dose. Totals are in *unit*; contents that do not convert to it are
    left out and counted in *unconverted*.
    """

    name: str
    unit: Unit
    use_days: int
    free_days: int
    planned: DailyTotals | None
    with_as_needed: DailyTotals | None
    unconverted: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "name": self.name,
            "unit": self.unit.value,
            "use_days": self.use_days,
            "free_days": self.free_days,
            "daily": None if self.planned is None else self.planned.to_dict(),
            "daily_with_as_needed": (
                None if self.with_as_needed is None else self.with_as_needed.to_dict()
            ),
            "unconverted_events": self.unconverted,
        }


@attrs.frozen
class Summary:
    """What a plan or log amounts to: the typical day, daily totals, findings.

    :meth:`to_dict` is JSON-ready with stable keys (see the docs);
    :meth:`to_markdown` and :meth:`to_text` render it for people.
    """

    title: str
    timezone: str | None
    start: date | None
    end: date | None
    events: int
    rows: tuple[ScheduleRow, ...]
    substances: tuple[SubstanceSummary, ...]
    report: Report | None = None

    @property
    def days(self) -> int:
        """How many days the period covers (0 when empty)."""
        if self.start is None or self.end is None:
            return 0
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: ``title``, ``period``, ``schedule``, ``substances``, ``report``."""
        return {
            "title": self.title,
            "period": {
                "start": None if self.start is None else self.start.isoformat(),
                "end": None if self.end is None else self.end.isoformat(),
                "days": self.days,
                "timezone": self.timezone,
                "events": self.events,
            },
            "schedule": [r.to_dict() for r in self.rows],
            "substances": [s.to_dict() for s in self.substances],
            "report": None if self.report is None else self.report.to_dict(),
        }

    def _tables(self) -> list[tuple[str, list[str], list[list[str]]]]:
        rows = [
            [
                r.time.isoformat("minutes"),
                r.item,
                str(r.amount),
                _join(
                    r.note,
                    "" if r.days == self.days else f"on {r.days} of {self.days} days",
                ),
            ]
            for r in self.rows
        ]
        totals = []
        for s in self.substances:
            planned = s.planned
            extra = s.with_as_needed if s.with_as_needed != planned else None
            totals.append(
                [
                    s.name,
                    _short(planned.min) if planned else "-",
                    _short(planned.mean) if planned else "-",
                    _short(planned.max) if planned else "-",
                    _short(extra.max) if extra else "",
                    str(s.use_days),
                    str(s.free_days),
                ]
            )
        findings = []
        if self.report is not None:
            for f in self.report.findings:
                at = "" if f.at is None else moment(f.at)
                findings.append([f.severity.label, at, f.code, f.message])
        return [
            ("Typical day", ["time", "item", "amount", "note"], rows),
            (
                "Daily totals on days of use",
                [
                    "substance",
                    "min",
                    "mean",
                    "max",
                    "max with as-needed",
                    "use days",
                    "free days",
                ],
                totals,
            ),
            ("Findings", ["severity", "at", "code", "message"], findings),
        ]

    def _heading(self) -> str:
        where = f"{self.timezone}, " if self.timezone else ""
        if self.start is None or self.end is None:
            return f"{self.title}: no events"
        days = f"{self.days} day" + ("s" if self.days != 1 else "")
        doses = f"{self.events} dose" + ("s" if self.events != 1 else "")
        return f"{self.title}: {where}{self.start} to {self.end} ({days}, {doses})"

    def to_markdown(self) -> str:
        """Render as Markdown: a heading, then tables for the day, totals and findings."""
        out = [f"# {self.title}", "", self._heading().split(": ", 1)[1], ""]
        for title, header, rows in self._tables():
            if title == "Findings" and self.report is None:
                continue
            out += [f"## {title}", ""]
            if not rows:
                out += [
                    "None." if title == "Findings" else "Nothing in this period.",
                    "",
                ]
                continue
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join("---" for _ in header) + "|")
            out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
            out.append("")
        return "\n".join(out)

    def to_text(self) -> str:
        """Render as plain text with aligned columns, for a terminal."""
        out = [self._heading(), ""]
        for title, header, rows in self._tables():
            if title == "Findings" and self.report is None:
                continue
            out.append(title)
            if not rows:
                out += [
                    "  none" if title == "Findings" else "  nothing in this period",
                    "",
                ]
                continue
            widths = [
                max(len(x) for x in col) for col in zip(header, *rows, strict=True)
            ]
            for row in [header, *rows]:
                cells = [c.ljust(w) for c, w in zip(row, widths, strict=True)]
                out.append("  " + "  ".join(cells).rstrip())
            out.append("")
        return "\n".join(out)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def _short(q: Quantity) -> str:
    """Write a quantity rounded to two decimals, for display."""
    rounded = q.amount.quantize(Decimal("0.01"), context=_decimal.DIV)
    return str(Quantity(_decimal.trim(rounded), q.unit))


def _item(event: DoseEvent) -> str:
    product = event.product
    return f"{product.name} ({product.variant})" if product.variant else product.name


def _note(event: DoseEvent) -> str:
    dose = event.dose
    return _join(
        dose.note,
        _MEALS.get(dose.meal, "") if dose.meal else "",
        "as needed" if event.as_needed else "",
    )


def _rows(timeline: Timeline) -> tuple[ScheduleRow, ...]:
    groups: dict[tuple[Any, ...], set[date]] = {}
    keep: dict[tuple[Any, ...], DoseEvent] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for event in timeline:
        wall = event.at.timetz().replace(tzinfo=None)
        key = (wall, _item(event), str(event.amount), event.as_needed, _note(event))
        groups.setdefault(key, set()).add(event.at.date())
        keep.setdefault(key, event)
        counts[key] = counts.get(key, 0) + 1
    rows = [
        ScheduleRow(
            time=key[0],
            item=key[1],
            amount=keep[key].amount,
            note=key[4],
            days=len(days),
            as_needed=key[3],
            count=counts[key],
        )
        for key, days in groups.items()
    ]
    return tuple(sorted(rows, key=lambda r: (r.time, r.as_needed, r.item)))


def _totals(values: Iterable[Decimal], unit: Unit) -> DailyTotals | None:
    items = list(values)
    if not items:
        return None
    total = Decimal(0)
    for v in items:
        total = _decimal.EXACT.add(total, v)
    mean = _decimal.DIV.divide(total, Decimal(len(items)))
    return DailyTotals(
        min=Quantity(_decimal.trim(min(items)), unit),
        mean=Quantity(_decimal.trim(mean), unit),
        max=Quantity(_decimal.trim(max(items)), unit),
    )


def _substance_summary(
    substance: Substance, timeline: Timeline, day_start: time, days: int
) -> SubstanceSummary:
    unit: Unit | None = None
    planned: dict[date, Decimal] = {}
    everything: dict[date, Decimal] = {}
    unconverted = 0
    for event in timeline:
        quantity = event.contents.get(substance)
        if quantity is None:
            continue
        if unit is None:
            unit = quantity.unit
        if not quantity.unit.converts_to(unit):
            unconverted += 1
            continue
        amount = quantity.to(unit).amount
        day = local_day(event.at, day_start)
        everything[day] = _decimal.EXACT.add(everything.get(day, Decimal(0)), amount)
        if not event.as_needed:
            planned[day] = _decimal.EXACT.add(planned.get(day, Decimal(0)), amount)
    assert unit is not None  # the substance comes from the timeline
    use_days = len(planned)
    return SubstanceSummary(
        name=substance.name,
        unit=unit,
        use_days=use_days,
        free_days=max(days - use_days, 0),
        planned=_totals(planned.values(), unit),
        with_as_needed=_totals(everything.values(), unit),
        unconverted=unconverted,
    )


def summarize(
    subject: Plan | Timeline,
    profile: Profile | None = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
) -> Summary:
    """Summarize a plan (expanded between *start* and *end*) or a log.

    The summary has the typical-day rows (time, item, amount, note), daily
    totals per substance on days of use (min / mean / max, planned and with
    every as-needed dose), use days and free days per substance, and — when
    a *profile* is given — the :class:`~regimen.Report` of
    :func:`~regimen.validate`. Days are local calendar days starting at the
    profile's ``day_start``.

    >>> from regimen import Dose, Entry, Plan, Product, Schedule, Substance
    >>> kefir = Product("milk kefir", contents={Substance("kefir"): "1 fl oz"}, per="1 fl oz")
    >>> plan = Plan("mornings", timezone="Europe/Berlin", start="2027-01-01", end="2027-01-07",
    ...             entries=[Entry(Dose(kefir, "6 fl oz", meal="with"), Schedule.daily("08:00"))])
    >>> print(summarize(plan).to_text())
    mornings: Europe/Berlin, 2027-01-01 to 2027-01-07 (7 days, 7 doses)
    <BLANKLINE>
    Typical day
      time   item        amount   note
      08:00  milk kefir  6 fl oz  with a meal
    <BLANKLINE>
    Daily totals on days of use
      substance  min      mean     max      max with as-needed  use days  free days
      kefir      6 fl oz  6 fl oz  6 fl oz                      7         0
    <BLANKLINE>
    """
    timeline = window(subject, start, end)
    day_start = profile.day_start if profile is not None else time(0)
    first, last = timeline.first_day, timeline.last_day
    days = 0 if first is None or last is None else (last - first).days + 1
    title = subject.name if isinstance(subject, Plan) else "intake log"
    zone = subject.timezone if isinstance(subject, Plan) else _zone_of(timeline)
    report = None
    if profile is not None:
        report = validate(timeline, profile)
    return Summary(
        title=title,
        timezone=zone,
        start=first,
        end=last,
        events=len(timeline),
        rows=_rows(timeline),
        substances=tuple(
            _substance_summary(s, timeline, day_start, days)
            for s in timeline.substances
        ),
        report=report,
    )


def _zone_of(timeline: Timeline) -> str | None:
    zones = {str(e.at.tzinfo) for e in timeline}
    return zones.pop() if len(zones) == 1 else None
