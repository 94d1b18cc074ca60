"""The ``regimen supply`` command: stock on hand, run-out and refills of a plan file.

Part of the ``regimen`` command (see :mod:`regimen._cli`); it imports the
library module it needs only when it runs.
"""

from __future__ import annotations

import argparse
from typing import IO, Any

from ._cli_io import CommandError, parse_date, read_bundle, to_json, write_text
from ._cli_moments import _at
from ._format import parse_duration
from ._timezone import zone

__all__ = ["add_supply_command"]

Stream = IO[str] | None


def supply_command(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._supply import supply  # noqa: PLC0415 - each command imports its own

    bundle = read_bundle(args.file, stdin)
    if bundle.plan is None:
        msg = "supply needs a file with a plan (and stock counts or refills in its log)"
        raise CommandError(msg)
    at = _at(args.at, zone(bundle.plan.timezone))
    lead = None if args.lead_time is None else parse_duration(args.lead_time)
    result = supply(
        bundle.plan,
        stock=bundle.stock_counts,
        log=bundle.log,
        refills=bundle.refills,
        at=at,
        until=args.until,
        lead_time=lead,
    )
    if args.format == "json":
        text = to_json(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "md":
        text = result.to_markdown()
    else:
        text = result.to_text()
    write_text(out, text)
    return 0


def add_supply_command(
    commands: argparse._SubParsersAction[Any],
) -> None:
    """Add ``supply`` to the subcommands."""
    sub = commands.add_parser(
        "supply",
        help="stock on hand, when it runs out, and what to order",
        description="Work out each product's stock at a moment from the file's stock "
        "counts, refills and log (or the plan, without a log), when it runs out "
        "(planned and worst case) and how many packages reach the horizon.",
    )
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--at", metavar="TIME", help="ISO date and time (default: now)")
    sub.add_argument(
        "--until",
        type=parse_date,
        metavar="DATE",
        help="the last day to count use and packages for (default: the plan's end)",
    )
    sub.add_argument(
        "--lead-time",
        metavar="DURATION",
        help='how long a refill takes to arrive, like "5 d"; gives order-by dates',
    )
    sub.add_argument("--format", choices=["text", "md", "json"], default="text")
    sub.set_defaults(run=supply_command)
