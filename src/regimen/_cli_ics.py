"""``regimen import-ics``: read a calendar file into a plan file.

The map file is a plan file (TOML) with the substances and products, plus a
``[map]`` table from each event's SUMMARY to a product and an amount::

    [map]
    "Morning kefir" = { product = "milk kefir", amount = "6 fl oz" }

A calendar written by ``regimen ics`` needs no map: it carries its plan.
Exit status: 0 when every event was read, 1 when some were skipped (each
is named on standard error; the plan file holds the others), 2 when the
calendar or the map cannot be read.
"""

from __future__ import annotations

import argparse
import os
from typing import IO, Any

from ._cli_io import CommandError, PartialResult, parse_date, write_text
from ._dose import Dose
from ._errors import LoadError, RegimenError

__all__ = ["add_import_command", "import_ics_command", "read_map"]

_MAX_BYTES = 20_000_000


def read_map(text: str) -> dict[str, Dose]:
    """Read a map file: products (a plan file's tables) and ``[map]`` SUMMARY -> dose.

    Raises :class:`~regimen.LoadError` listing every problem with its path.

    >>> doses = read_map('''
    ... [[substances]]
    ... name = "kefir"
    ... [[products]]
    ... name = "milk kefir"
    ... per = "1 fl oz"
    ... contents = { kefir = "1 fl oz" }
    ... [map]
    ... "Kefir" = { product = "milk kefir", amount = "6 fl oz" }
    ... ''')
    >>> str(doses["Kefir"].amount)
    '6 fl oz'
    """
    from ._files._build import build  # noqa: PLC0415 - only this command needs it
    from ._files._structure import structure  # noqa: PLC0415
    from ._files._text import check_shape, parse  # noqa: PLC0415

    data = parse(text, "toml")
    if not isinstance(data, dict):
        raise LoadError(["(top level): expected a table of sections"])
    table: Any = data.pop("map", None)
    problems: list[str] = []
    if not isinstance(table, dict) or not table:
        problems.append(
            'map: missing; add a [map] table like "Kefir" = { product = "milk kefir", '
            'amount = "6 fl oz" }'
        )
        table = {}
    problems += check_shape(data)
    if problems:
        raise LoadError(problems)
    bundle = build(structure(data))
    products = {p.name.strip().casefold(): p for p in bundle.products}
    doses: dict[str, Dose] = {}
    for summary, item in table.items():
        where = f"map.{summary!r}"
        if not isinstance(item, dict) or set(item) - {"product", "amount"}:
            problems.append(f"{where}: expected {{ product = ..., amount = ... }}")
            continue
        product = products.get(str(item.get("product", "")).strip().casefold())
        if product is None:
            known = ", ".join(sorted(p.name for p in bundle.products)) or "none"
            problems.append(
                f"{where}.product: unknown product {item.get('product')!r} (known: {known})"
            )
            continue
        try:
            doses[summary] = Dose(product, item.get("amount"))  # type: ignore[arg-type]
        except (ValueError, TypeError, RegimenError) as error:
            problems.append(f"{where}.amount: {error}")
    if problems:
        raise LoadError(problems)
    return doses


def _read_text(path: str, what: str) -> str:
    try:
        if os.path.getsize(path) > _MAX_BYTES:
            msg = f"{what} {path} is larger than {_MAX_BYTES:,} bytes"
            raise CommandError(msg)
        with open(path, "rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read {what} {path} ({exc.strerror or exc})"
        raise CommandError(msg) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        msg = f"{what} {path} is not UTF-8 text"
        raise CommandError(msg) from None


def import_ics_command(
    args: argparse.Namespace, out: IO[str] | None, _stdin: IO[str] | None
) -> int:
    """Run ``regimen import-ics``."""
    from ._bundle import Bundle  # noqa: PLC0415 - each command imports its own
    from ._files._write import dumps  # noqa: PLC0415
    from ._ics_read import from_ics  # noqa: PLC0415

    doses = None if args.map is None else read_map(_read_text(args.map, "the map"))
    read = from_ics(
        _read_text(args.file, "the calendar"),
        doses=doses,
        timezone=args.timezone,
        name=args.name,
        end=args.until,
    )
    fmt = "json" if args.output.lower().endswith(".json") else "toml"
    text = dumps(Bundle(read.plan), format=fmt)
    if args.output == "-":
        write_text(out, text)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as exc:
            msg = f"cannot write {args.output} ({exc.strerror or exc})"
            raise CommandError(msg) from None
    if read.skipped:
        lines = [f"skipped {s}" for s in read.skipped]
        raise PartialResult("\n".join(lines))
    return 0


def add_import_command(commands: Any) -> None:
    """Add ``import-ics`` to the command parser's subcommands."""
    sub = commands.add_parser(
        "import-ics",
        help="read an iCalendar file into a plan file",
        description="Read the events of an iCalendar (.ics) file into a plan file. "
        "Events that cannot be read are named on standard error (exit status 1).",
    )
    sub.add_argument("file", metavar="FILE.ics")
    sub.add_argument(
        "--map",
        metavar="MAP.toml",
        help="products and a [map] table from SUMMARY to product and amount "
        "(not needed for a file regimen wrote)",
    )
    sub.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="plan file to write (.toml or .json); - for standard output",
    )
    sub.add_argument("--timezone", metavar="ZONE", help="the plan's IANA time zone")
    sub.add_argument("--name", metavar="NAME", help="the plan's name")
    sub.add_argument(
        "--until",
        type=parse_date,
        metavar="DATE",
        help="read events that repeat forever up to this date",
    )
    sub.set_defaults(run=import_ics_command)
