"""The adherence section of a :class:`~regimen.Summary`, as text and Markdown.

The figures are those of ``regimen adherence``: the same tally, rates per
product and "next due" line, from :mod:`regimen._adherence_render`. This
module only lays them out as one section of a summary (the per-dose list
stays with :meth:`Adherence.to_text <regimen.Adherence.to_text>`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._adherence_render import _md, _md_table, _next, _rates, _table
from ._format import moment

if TYPE_CHECKING:
    from ._adherence import Adherence

__all__ = ["adherence_markdown", "adherence_text"]

_HEAD = ["product", "taken", "due", "rate"]

#: How each status reads in the "by status" line (the dicts keep the labels).
_WORDS = {"taken": "taken on time"}


def _statuses(adherence: Adherence) -> str:
    """Write how many planned doses have each status, and the extra ones: ``"2 late; 1 extra"``."""
    parts = [
        f"{n} {_WORDS.get(status.label, status.label)}"
        for status, n in adherence.counts().items()
        if n
    ]
    extra = f"{len(adherence.extra)} extra" if adherence.extra else ""
    return "; ".join(p for p in (", ".join(parts), extra) if p) or "none"


def _facts(adherence: Adherence) -> tuple[str, list[str], list[list[str]]]:
    """Return the section's title, its lines and its rows of rates per product."""
    overall, products = _rates(adherence)
    if overall["due"]:
        share = (
            f"{overall['taken']} of {overall['due']} due doses taken "
            f"({overall['rate']})"
        )
    else:
        share = "nothing due yet to rate"
    lines = [
        f"overall: {share}",
        f"by status: {_statuses(adherence)}",
        f"next due: {_next(adherence)}",
    ]
    rows = [
        [name, str(r["taken"]), str(r["due"]), r["rate"] or "-"]
        for name, r in products.items()
    ]
    return f"Adherence as of {moment(adherence.at)}", lines, rows


def adherence_text(adherence: Adherence) -> list[str]:
    """Return the section's lines for :meth:`Summary.to_text`, ending in a blank one."""
    title, lines, rows = _facts(adherence)
    out = [title, *(f"  {line}" for line in lines)]
    if rows:
        out += _table(_HEAD, rows)
    return [*out, ""]


def adherence_markdown(adherence: Adherence) -> list[str]:
    """Return the section's lines for :meth:`Summary.to_markdown`, ending in a blank one."""
    title, lines, rows = _facts(adherence)
    out = [f"## {_md(title)}", "", *(f"* {_md(line)}" for line in lines), ""]
    if rows:
        out += [*_md_table(_HEAD, rows), ""]
    return out
