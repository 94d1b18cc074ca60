"""What a summary holds: :class:`Summary` and its rows, with their renderings.

:func:`~regimen.summarize` (in :mod:`regimen._summary`) builds them; every
``to_dict()`` returns a documented :class:`~typing.TypedDict`.
"""

from __future__ import annotations

import decimal
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from . import _decimal
from ._dose import amount_text
from ._format import moment
from ._quantity import Quantity
from ._report import Report
from ._summary_render import adherence_markdown, adherence_text
from ._units import Unit

if TYPE_CHECKING:
    from ._adherence import Adherence
    from ._stay import Stay
    from ._tables import (
        DailyTotalsDict,
        ScheduleRowDict,
        SubstanceSummaryDict,
        SummaryDict,
    )

__all__ = [
    "DailyTotals",
    "ScheduleRow",
    "SubstanceSummary",
    "Summary",
]


def _same(attribute: str) -> Any:
    """Default a field to the value of *attribute* (a range's low end to its high end)."""
    return attrs.Factory(lambda self: getattr(self, attribute), takes_self=True)


@attrs.frozen
class ScheduleRow:
    """One line of the typical day: at *time* (local wall clock), *amount* of *item*.

    *days* is on how many days of the period it happens and *count* how
    many times in all (more than *days* when two entries share the time);
    *note* joins the dose's note, its meal relation and "as needed". For a
    dose range, *low* is its low end and *amount* its high end (*low* is
    *amount* for a fixed dose). *first* and *last* are the first and last
    of the period's days the row happens on (``None`` if on none): a plan in
    phases (a titration, a taper, then maintenance) has a row per phase
    and amount, each with its dates.
    """

    time: time
    item: str
    amount: Quantity
    note: str
    days: int
    as_needed: bool
    count: int
    low: Quantity = attrs.field(default=_same("amount"), kw_only=True)
    first: date | None = attrs.field(default=None, kw_only=True)
    last: date | None = attrs.field(default=None, kw_only=True)

    @property
    def amount_text(self) -> str:
        """The amount as a person writes it: ``"3 g"``, or ``"2-3 g"`` for a range."""
        return amount_text(self.low, self.amount)

    def to_dict(self) -> ScheduleRowDict:
        """Return a JSON-ready dict (``amount`` as written, ``"2-3 g"`` for a range)."""
        return {
            "time": self.time.isoformat("minutes"),
            "item": self.item,
            "amount": self.amount_text,
            "low": str(self.low),
            "high": str(self.amount),
            "note": self.note,
            "days": self.days,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
            "count": self.count,
            "as_needed": self.as_needed,
        }


@attrs.frozen
class DailyTotals:
    """The smallest, mean and largest daily total over the days of use.

    *min*, *mean* and *max* count every dose range at its high end,
    *min_low*, *mean_low* and *max_low* at its low end (the same when there
    are no ranges).
    """

    min: Quantity
    mean: Quantity
    max: Quantity
    min_low: Quantity = attrs.field(default=_same("min"), kw_only=True)
    mean_low: Quantity = attrs.field(default=_same("mean"), kw_only=True)
    max_low: Quantity = attrs.field(default=_same("max"), kw_only=True)

    def to_dict(self) -> DailyTotalsDict:
        """Return a JSON-ready dict of exact amounts as text (``"4-6 g"`` with ranges)."""
        return {
            "min": amount_text(self.min_low, self.min),
            "mean": amount_text(self.mean_low, self.mean),
            "max": amount_text(self.max_low, self.max),
        }


@attrs.frozen
class SubstanceSummary:
    """Per-substance facts over the period: daily totals, use days, free days.

    *planned* counts doses that are not as-needed; *with_as_needed* counts
    every dose. Totals are in *unit*; contents that do not convert to it are
    left out and counted in *unconverted*. Days are the summary's days
    (the plan's, or the window's), each beginning at the profile's
    ``day_start``; a dose that counts for a day outside them (a 00:30 dose
    on the first day, with days that begin at 04:00, counts for the day
    before) is left out of the daily figures and counted in *outside*.
    """

    name: str
    unit: Unit
    use_days: int
    free_days: int
    planned: DailyTotals | None
    with_as_needed: DailyTotals | None
    unconverted: int = 0
    outside: int = 0

    def to_dict(self) -> SubstanceSummaryDict:
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
            "events_outside_period": self.outside,
        }


@attrs.frozen
class Summary:
    """What a plan or log amounts to: the typical day, daily totals, findings.

    *report* is the :class:`~regimen.Report` when a profile was given;
    *adherence* the :class:`~regimen.Adherence` of the period when a log
    was compared with the plan (see :func:`~regimen.summarize`), else
    ``None``. *stays* are the plan's :class:`~regimen.Stay` objects that
    share a date with the period (the typical day's times are wall-clock
    times in whichever zone is in force, so they read the same abroad);
    *home_clock* the items of entries that keep the plan's zone during
    them (``Entry(clock="home")``), whose times are home times. :meth:`to_dict` is JSON-ready with stable keys (see the docs);
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
    adherence: Adherence | None = None
    stays: tuple[Stay, ...] = ()
    home_clock: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        """How many days the period covers (0 when empty)."""
        if self.start is None or self.end is None:
            return 0
        return (self.end - self.start).days + 1

    def to_dict(self) -> SummaryDict:
        """Return a JSON-ready dict: ``title``, ``period``, ``schedule``, ``substances``, ``report``, ``adherence``.

        ``adherence`` is :meth:`Adherence.to_dict <regimen.Adherence.to_dict>`
        (what ``regimen adherence --format json`` prints), or ``None``.
        """
        return {
            "title": self.title,
            "period": {
                "start": None if self.start is None else self.start.isoformat(),
                "end": None if self.end is None else self.end.isoformat(),
                "days": self.days,
                "timezone": self.timezone,
                "events": self.events,
                "stays": [s.to_table() for s in self.stays],
                "home_clock": list(self.home_clock),
            },
            "schedule": [r.to_dict() for r in self.rows],
            "substances": [s.to_dict() for s in self.substances],
            "report": None if self.report is None else self.report.to_dict(),
            "adherence": None if self.adherence is None else self.adherence.to_dict(),
        }

    def _phased(self) -> bool:
        """Whether rows show their dates: some row starts or stops a week or more inside the period.

        (A weekly row that runs the whole period starts within its first
        week and stops within its last, and needs no dates.)
        """
        if self.start is None or self.end is None:
            return False
        return any(
            r.first is not None
            and r.last is not None
            and ((r.first - self.start).days >= 7 or (self.end - r.last).days >= 7)
            for r in self.rows
        )

    def _row(self, r: ScheduleRow, *, dated: bool) -> list[str]:
        span = self.days
        cells = [r.time.isoformat("minutes"), r.item, r.amount_text]
        if dated and r.first is not None and r.last is not None:
            span = (r.last - r.first).days + 1
            when = str(r.first) if r.first == r.last else f"{r.first} to {r.last}"
            cells.insert(0, when)
        elif dated:
            cells.insert(0, "-")
        note = "" if r.days == span else f"on {r.days} of {span} days"
        return [*cells, _join(r.note, note)]

    def _tables(self) -> list[tuple[str, list[str], list[list[str]]]]:
        dated = self._phased()
        rows = [self._row(r, dated=dated) for r in self.rows]
        totals = []
        for s in self.substances:
            planned = s.planned
            extra = s.with_as_needed if s.with_as_needed != planned else None
            totals.append(
                [
                    s.name,
                    _short(planned.min_low, planned.min) if planned else "-",
                    _short(planned.mean_low, planned.mean) if planned else "-",
                    _short(planned.max_low, planned.max) if planned else "-",
                    _short(extra.max_low, extra.max) if extra else "",
                    str(s.use_days),
                    str(s.free_days),
                ]
            )
        day = ["time", "item", "amount", "note"]
        findings = []
        if self.report is not None:
            for f in self.report.findings:
                at = "" if f.at is None else moment(f.at)
                findings.append([f.severity.label, at, f.code, f.message])
        return [
            ("Typical day", ["dates", *day] if dated else day, rows),
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

    def _footnotes(self) -> list[str]:
        notes = []
        for s in self.substances:
            if s.outside:
                doses = f"{s.outside} dose" + (
                    "s count" if s.outside != 1 else " counts"
                )
                notes.append(
                    f"{s.name}: {doses} for a day outside the period "
                    "and not in these totals"
                )
        return notes

    def _heading(self) -> str:
        where = f"{self.timezone}, " if self.timezone else ""
        if self.start is None or self.end is None:
            return f"{self.title}: no events"
        days = f"{self.days} day" + ("s" if self.days != 1 else "")
        doses = f"{self.events} dose" + ("s" if self.events != 1 else "")
        return f"{self.title}: {where}{self.start} to {self.end} ({days}, {doses})"

    def _travel(self) -> str:
        """Return the line listing the stays ('' when there are none)."""
        if not self.stays:
            return ""
        line = "Stays: " + "; ".join(s.describe() for s in self.stays)
        if self.home_clock and self.timezone:
            line += f"; on {self.timezone} time: " + ", ".join(self.home_clock)
        return line

    def to_markdown(self) -> str:
        """Render as Markdown: a heading, then tables for the day, totals, findings and adherence."""
        out = [f"# {self.title}", "", self._heading().split(": ", 1)[1], ""]
        if self.stays:
            out += [_md(self._travel()), ""]
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
            if title.startswith("Daily totals") and self._footnotes():
                out += [*(f"* {_md(n)}" for n in self._footnotes()), ""]
        if self.adherence is not None:
            out += adherence_markdown(self.adherence)
        return "\n".join(out)

    def to_text(self) -> str:
        """Render as plain text with aligned columns, for a terminal.

        With an adherence, a last section gives the rates per product, the
        doses by status and the next due dose, as of its moment.
        """
        out = [self._heading(), ""]
        if self.stays:
            out += [self._travel(), ""]
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
            if title.startswith("Daily totals"):
                out += [f"  ({n})" for n in self._footnotes()]
            out.append("")
        if self.adherence is not None:
            out += adherence_text(self.adherence)
        return "\n".join(out)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


#: Rounds for display (never traps: a shown amount may be inexact).
_ROUND: Final = decimal.Context(
    prec=2000, rounding=decimal.ROUND_HALF_EVEN, Emin=-2500, Emax=2500
)


def _short(low: Quantity, high: Quantity) -> str:
    """Write an amount or range rounded to two decimals, for display (``"4-6 g"``)."""
    return amount_text(_rounded(low), _rounded(high))


def _rounded(q: Quantity) -> Quantity:
    rounded = q.amount.quantize(Decimal("0.01"), context=_ROUND)
    return Quantity(_decimal.trim(rounded), q.unit)
