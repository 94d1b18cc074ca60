"""The ``regimen fhir`` command: ``import`` FHIR Dosage JSON into a plan file, ``export`` one.

``regimen fhir import DOSAGE.json --with FILE --product NAME`` reads the
dosages (one, a list, or a MedicationRequest) for a product defined in a
plan file and writes a plan file with the entries and the limits; every
assumption made goes to standard error, one a line. ``regimen fhir export
FILE [--fhir-version R5]`` writes the file's plan and profile limits as FHIR
R4 (or R5) Dosage JSON.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal
from typing import IO, Any

from ._cli_io import CommandError, parse_date, read_bundle, to_json, write_bytes
from ._errors import LoadError

__all__ = ["add_fhir_command"]

Stream = IO[str] | None


def _refuse_constant(text: str) -> Decimal:
    msg = f"{text} is not a number FHIR allows"
    raise ValueError(msg)


def _read_json(path: str, stdin: Stream) -> Any:
    """Read FHIR JSON, bounded like a plan file, numbers kept exact."""
    import json  # noqa: PLC0415 - each command imports its own

    from ._cli_io import _check_regular, _read_stdin  # noqa: PLC0415
    from ._files._text import read_file  # noqa: PLC0415

    if path == "-":
        raw = _read_stdin(stdin)
    else:
        _check_regular(path)
        raw = read_file(path)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(
            text.removeprefix("\ufeff"),
            parse_float=Decimal,
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise LoadError([f"{path}: nested too deeply"], "the FHIR dosage") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError([f"{path}: not valid JSON: {exc}"], "the FHIR dosage") from None


def _import(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._bundle import Bundle  # noqa: PLC0415 - each command imports its own
    from ._fhir_map import from_dosage  # noqa: PLC0415
    from ._io import dumps  # noqa: PLC0415

    bundle = read_bundle(args.with_file, None)
    products = {p.name: p for p in bundle.products}
    if args.product not in products:
        known = ", ".join(repr(n) for n in products) or "none"
        msg = f"--product {args.product!r} is not a product of {args.with_file} (it has {known})"
        raise CommandError(msg)
    zone = args.timezone or (bundle.plan.timezone if bundle.plan is not None else None)
    if zone is None:
        msg = "--timezone is needed when the --with file has no plan"
        raise CommandError(msg)
    start: date | None = args.start
    meals = None
    if bundle.plan is not None:
        meals = {
            name: getattr(bundle.plan.meal_times, name)
            for name in ("wake", "breakfast", "lunch", "dinner", "bedtime")
        }
    reading = from_dosage(
        _read_json(args.dosage, stdin),
        product=products[args.product],
        timezone=zone,
        start=start,
        meal_times=meals,
    )
    profile = reading.profile()
    plan = reading.plan(args.name)
    text = dumps(Bundle(plan, profile, products=bundle.products), format=args.format)
    write_bytes(args.output, text.encode("utf-8"), out)
    err = getattr(args, "stderr", None) or sys.stderr
    for assumption in reading.assumptions:
        print(f"assumed: {assumption}", file=err)
    return 0


def _export(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._fhir_write import to_dosage  # noqa: PLC0415 - each command imports its own

    bundle = read_bundle(args.file, stdin)
    if bundle.plan is None:
        msg = f"{args.file} has no plan to export"
        raise CommandError(msg)
    dosages = to_dosage(bundle.plan, profile=bundle.profile, version=args.fhir_version)
    write_bytes(args.output, (to_json(dosages, indent=2) + "\n").encode("utf-8"), out)
    return 0


def add_fhir_command(commands: Any) -> None:
    """Add ``fhir import`` and ``fhir export`` to the command's subparsers."""
    fhir = commands.add_parser(
        "fhir",
        help="read or write HL7 FHIR R4 Dosage JSON",
        description="Read FHIR R4 Dosage JSON into a plan file, or write a plan as FHIR.",
    )
    actions = fhir.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = actions.add_parser(
        "import",
        help="read FHIR Dosage JSON into a plan file",
        description="Read FHIR Dosage JSON (one, a list, or a MedicationRequest) for a "
        "product of a plan file, and write a plan file with its entries and limits. "
        "Every assumption made is printed to standard error.",
    )
    imp.add_argument(
        "dosage", metavar="DOSAGE.json", help="the FHIR JSON; - for standard input"
    )
    imp.add_argument(
        "--with",
        dest="with_file",
        required=True,
        metavar="FILE",
        help="a plan file that defines the product (and its zone and meal times)",
    )
    imp.add_argument(
        "--product", required=True, metavar="NAME", help="the product the dosage is for"
    )
    imp.add_argument(
        "--timezone",
        metavar="ZONE",
        help="IANA zone (default: the --with file's plan's)",
    )
    imp.add_argument(
        "--from",
        dest="start",
        type=parse_date,
        metavar="DATE",
        help="start date when the dosage has no bounds",
    )
    imp.add_argument("--name", default="from FHIR", help="the new plan's name")
    imp.add_argument("--format", choices=["toml", "json"], default="toml")
    imp.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="where to write (default: -)"
    )
    imp.set_defaults(run=_import)
    exp = actions.add_parser(
        "export",
        help="write a plan file's plan as FHIR R4 (or R5) Dosage JSON",
        description="Write the file's plan entries, with its profile's limits, as FHIR R4 "
        "(or, with --fhir-version R5, R5) Dosage JSON (a list, one per entry).",
    )
    exp.add_argument("file", metavar="FILE", help="a plan file; - for standard input")
    exp.add_argument(
        "--fhir-version",
        choices=["R4", "R5"],
        default="R4",
        help="R4 (asNeededBoolean, one maxDosePerPeriod) or R5 (asNeeded, a list); "
        "default: R4",
    )
    exp.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="where to write (default: -)"
    )
    exp.set_defaults(run=_export)
