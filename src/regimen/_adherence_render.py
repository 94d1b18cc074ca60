"""How an :class:`~regimen.Adherence` is written: dict, text, Markdown, CSV."""

from __future__ import annotations

import csv
import decimal
import io
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ._adherence_records import DoseRecords
from ._format import duration, moment

if TYPE_CHECKING:
    from ._adherence import Adherence, DoseRecord
    from ._timeline import DoseEvent

if TYPE_CHECKING:
    from ._tables import (
        AdherenceDict,
        DoseRecordDict,
        LoggedDict,
        RateDict,
    )

__all__ = [
    "render_csv",
    "render_markdown",
    "render_text",
    "to_dict",
]

_MICRO = timedelta(microseconds=1)


def _rate(records: DoseRecords, name: str | None = None) -> RateDict:
    """Taken and due planned doses (of product *name*, or all) and the share taken."""
    taken, due = records.tally(lambda dose: name is None or dose.product.name == name)
    share = None if not due else _percent(Fraction(taken, due))
    return {"taken": taken, "due": due, "rate": share}


def _rates(adherence: Adherence) -> tuple[RateDict, dict[str, RateDict]]:
    """Return the overall rate and the rate per product name (in order of appearance)."""
    records = adherence.doses
    assert isinstance(records, DoseRecords)  # Adherence's converter makes them
    names = records.product_names()
    return _rate(records), {name: _rate(records, name) for name in names}


def _percent(value: Fraction) -> str:
    """Write a share as a percentage rounded to one decimal (``"66.7%"``)."""
    tenths = round(value * 1000)
    return f"{tenths // 10}.{tenths % 10}%"


def _minutes(record: DoseRecord) -> str | None:
    """Write the delay in minutes, rounded to hundredths (``"-12.5"``)."""
    if record.delay is None:
        return None
    ctx = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN)
    value = ctx.divide(Decimal(record.delay // _MICRO), Decimal(60_000_000))
    text = format(value.quantize(Decimal("0.01"), context=ctx).normalize(ctx), "f")
    return "0" if text in ("-0", "0") else text


def _logged(event: DoseEvent) -> LoggedDict:
    return {
        "at": event.at.isoformat(),
        "product": event.product.name,
        "amount": event.dose.amount_text,
        "note": event.note,
    }


def _record(record: DoseRecord) -> DoseRecordDict:
    return {
        "planned": record.planned.at.isoformat(),
        "product": record.planned.product.name,
        "planned_amount": record.planned.dose.amount_text,
        "as_needed": record.planned.as_needed,
        "status": record.status.label,
        "taken": None if record.taken is None else _logged(record.taken),
        "delay_minutes": _minutes(record),
        "amount_difference": (
            None if record.amount_difference is None else str(record.amount_difference)
        ),
    }


def to_dict(adherence: Adherence) -> AdherenceDict:
    """Return the JSON-ready dict of *adherence*."""
    overall, products = _rates(adherence)
    return {
        "at": adherence.at.isoformat(),
        "tolerance": duration(adherence.tolerance),
        "on_time": duration(adherence.on_time),
        "counts": {status.label: n for status, n in adherence.counts().items()},
        "overall": overall,
        "products": products,
        "next_due": [_record(r) for r in adherence.next_due],
        "doses": [_record(r) for r in adherence.doses],
        "extra": [_logged(e) for e in adherence.extra],
    }


def _lines(adherence: Adherence) -> tuple[str, list[list[str]], list[list[str]]]:
    overall, products = _rates(adherence)
    head = (
        f"adherence as of {moment(adherence.at)}: {overall['taken']} of "
        f"{overall['due']} due doses taken"
        + (f" ({overall['rate']})" if overall["rate"] else "")
    )
    rates = [
        [name, str(r["taken"]), str(r["due"]), r["rate"] or "-"]
        for name, r in products.items()
    ]
    rows: list[list[str]] = []
    for record in adherence.doses:
        label = record.status.label
        if (
            label in ("taken", "upcoming", "skipped")
            and record.amount_difference is None
        ):
            continue
        rows.append(_row(record))
    for event in adherence.extra:
        rows.append(
            [
                "",
                moment(event.at.astimezone(adherence.at.tzinfo)),
                "extra",
                event.product.name,
                "",
                event.dose.amount_text,
                "",
            ]
        )
    return head, rates, rows


def _row(record: DoseRecord) -> list[str]:
    return [
        moment(record.planned.at),
        ""
        if record.taken is None
        else moment(record.taken.at.astimezone(record.planned.at.tzinfo)),
        record.status.label,
        record.planned.product.name,
        record.planned.dose.amount_text,
        "" if record.taken is None else record.taken.dose.amount_text,
        _minutes(record) or "",
    ]


_HEAD = ["scheduled", "actual", "status", "product", "planned", "taken", "delay (min)"]


def _next(adherence: Adherence) -> str:
    due = adherence.next_due
    if not due:
        return "nothing left to take in this period"
    items = ", ".join(f"{r.planned.dose}" for r in due)
    return f"{moment(due[0].planned.at)}: {items} ({due[0].status.label})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def render_text(adherence: Adherence) -> str:
    """Render *adherence* for a terminal."""
    head, rates, rows = _lines(adherence)
    out = [head, "", "Next due", f"  {_next(adherence)}", "", "By product"]
    out += _table(["product", "taken", "due", "rate"], rates) if rates else ["  none"]
    out += ["", "Not on time, missed, due and extra"]
    out += _table(_HEAD, rows) if rows else ["  none"]
    return "\n".join([*out, ""])


def _md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    return out + ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]


def render_markdown(adherence: Adherence) -> str:
    """Render *adherence* as Markdown."""
    head, rates, rows = _lines(adherence)
    out = [
        f"# {_md(head)}",
        "",
        "## Next due",
        "",
        _md(_next(adherence)),
        "",
        "## By product",
        "",
    ]
    out += _md_table(["product", "taken", "due", "rate"], rates) if rates else ["None."]
    out += ["", "## Not on time, missed, due and extra", ""]
    out += _md_table(_HEAD, rows) if rows else ["None."]
    return "\n".join([*out, ""])


def render_csv(adherence: Adherence) -> str:
    """Return the CSV export: a row per planned dose, then one per extra dose."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "scheduled",
            "actual",
            "status",
            "product",
            "planned_amount",
            "taken_amount",
            "delay_minutes",
        ]
    )
    for record in adherence.doses:
        writer.writerow(
            [
                record.planned.at.isoformat(),
                "" if record.taken is None else record.taken.at.isoformat(),
                record.status.label,
                record.planned.product.name,
                record.planned.dose.amount_text,
                "" if record.taken is None else record.taken.dose.amount_text,
                _minutes(record) or "",
            ]
        )
    for event in adherence.extra:
        writer.writerow(
            [
                "",
                event.at.isoformat(),
                "extra",
                event.product.name,
                "",
                event.dose.amount_text,
                "",
            ]
        )
    return buffer.getvalue()
