"""The ``regimen`` command (also ``python -m regimen``).

Exit status: 0 when all is well, 1 when ``check`` finds an error, 2 for
unreadable input or bad usage. Problems go to standard error as one plain
line (a :class:`~regimen.LoadError` lists each problem of the file on a line
of its own), never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

from ._cli_chart import add_chart
from ._cli_fhir import add_fhir_command
from ._cli_ics import add_import_command
from ._cli_io import (
    CommandError,
    Parser,
    PartialResult,
    days_in_range,
    flush,
    parse_date,
    parse_days,
    read_bundle,
    stamp_from,
    to_json,
    write_bytes,
    write_text,
)
from ._cli_moments import adherence_command, allowance_command
from ._cli_supply import add_supply_command
from ._errors import RegimenError
from ._format import moment, parse_duration
from ._limits import MIN_DATE
from ._plan import Plan
from ._timeline import Timeline

if TYPE_CHECKING:
    from ._bundle import Bundle

__all__ = ["main"]

Stream = IO[str] | None


def _window(
    args: argparse.Namespace, plan: Plan | None
) -> tuple[date | None, date | None]:
    start: date | None = args.start
    if args.days is None:
        return start, None
    first = start or (plan.start if plan is not None else None)
    if first is None:
        if args.days < 1:
            days_in_range(MIN_DATE, args.days)  # says "1 or more"
        msg = "--days needs --from when the file has no plan"
        raise CommandError(msg)
    return first, days_in_range(first, args.days)


def _subject(bundle: Bundle, use_log: bool) -> Plan | Timeline:
    if use_log or bundle.plan is None:
        if bundle.log is None:
            msg = "the file has neither a plan nor a log to work on"
            raise CommandError(msg)
        return bundle.log
    return bundle.plan


def _inputs(
    args: argparse.Namespace, stdin: Stream
) -> tuple[Bundle, Plan | Timeline, date | None, date | None]:
    """Read the file and pick what to work on: the bundle, the subject, the window."""
    bundle = read_bundle(args.file, stdin)
    subject = _subject(bundle, args.log)
    start, end = _window(args, bundle.plan)
    return bundle, subject, start, end


def _check(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._validate import validate  # noqa: PLC0415 - each command imports its own

    bundle, subject, start, end = _inputs(args, stdin)
    report = validate(subject, bundle.profile, start=start, end=end)
    if args.format == "json":
        text = to_json(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif not report.findings:
        text = "no findings\n"
    else:
        lines = []
        for f in report.findings:
            at = "" if f.at is None else f" {moment(f.at)}"
            lines.append(f"{f.severity.label}{at} [{f.code}] {f.message}\n")
        counts = (len(report.errors), len(report.warnings), len(report.infos))
        lines.append(
            f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info\n"
        )
        text = "".join(lines)
    write_text(out, text)
    return 0 if report.ok else 1


def _summary(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._cli_moments import _at  # noqa: PLC0415 - as `regimen adherence` reads --at
    from ._summary import summarize  # noqa: PLC0415 - each command imports its own
    from ._timezone import zone  # noqa: PLC0415

    bundle, subject, start, end = _inputs(args, stdin)
    # A plan with a log gets the adherence section, as of --at (default: now);
    # with stock counts or refills, the supply section (as of --at too).
    log = bundle.log if isinstance(subject, Plan) else None
    stocked = isinstance(subject, Plan) and bool(bundle.stock_counts or bundle.refills)
    if log is None and not stocked and args.at is not None:
        msg = (
            "--at is the moment of the adherence section, which needs a file "
            "with both a plan and a log (and no --log)"
        )
        raise CommandError(msg)
    at = None
    if isinstance(subject, Plan) and (log is not None or stocked):
        at = _at(args.at, zone(subject.timezone))
    summary = summarize(
        subject,
        bundle.profile,
        start=start,
        end=end,
        log=log,
        at=at,
        stock=bundle.stock_counts if stocked else None,
        refills=bundle.refills if stocked else (),
    )
    if args.format == "json":
        text = to_json(summary.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "md":
        text = summary.to_markdown()
    else:
        text = summary.to_text()
    write_text(out, text)
    return 0


def _ics(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._ics import to_ics  # noqa: PLC0415 - each command imports its own

    stamp = stamp_from(args.stamp, dict(os.environ))
    reminder = (
        None
        if args.reminder is None
        else parse_duration(args.reminder, field="--reminder")
    )
    _, subject, start, end = _inputs(args, stdin)
    text = to_ics(
        subject,
        start=start,
        end=end,
        reminder=reminder,
        stamp=stamp,
        recurring=not args.per_dose,
    )
    # RFC 5545 lines end in CRLF: bytes, so that no platform translates them.
    write_bytes(args.output, text.encode("utf-8"), out)
    return 0


def _schema(_args: argparse.Namespace, out: Stream, _stdin: Stream) -> int:
    from ._schema import schema  # noqa: PLC0415 - each command imports its own

    write_text(out, to_json(schema(), indent=2) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="regimen",
        description="Check, summarize and export intake plans. States facts; gives no advice.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "file",
            metavar="FILE",
            help="a plan file (TOML or .json); - for standard input",
        )
        sub.add_argument(
            "--from",
            dest="start",
            type=parse_date,
            metavar="DATE",
            help="first day (ISO date)",
        )
        sub.add_argument(
            "--days",
            type=parse_days,
            metavar="N",
            help="how many days from --from (or the plan's start)",
        )
        sub.add_argument(
            "--log",
            action="store_true",
            help="work on the file's log instead of its plan",
        )
        return sub

    check = command("check", "check a plan or log against the file's profile")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=_check)
    summary = command("summary", "summarize a plan or log")
    summary.add_argument("--format", choices=["text", "md", "json"], default="text")
    summary.add_argument(
        "--at",
        metavar="TIME",
        help="when the file has a plan and a log: the moment to work adherence "
        "out as of, an ISO date and time (default: now)",
    )
    summary.set_defaults(run=_summary)
    ics = command("ics", "export the dose events as iCalendar")
    ics.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write; - for standard output",
    )
    ics.add_argument(
        "--reminder",
        metavar="DURATION",
        help='an alarm that long before each dose, like "15 min"',
    )
    ics.add_argument(
        "--stamp",
        metavar="TIME",
        help="the DTSTAMP to write, an ISO date and time with offset "
        "(default: $SOURCE_DATE_EPOCH if set, else now)",
    )
    ics.add_argument(
        "--per-dose",
        action="store_true",
        help="one event per dose instead of recurring events",
    )
    ics.set_defaults(run=_ics)
    add_import_command(commands)
    allow = commands.add_parser(
        "allowance",
        help="what may still be taken of a substance at a moment",
        description="What may still be taken of a substance at a moment without breaking a rule.",
    )
    allow.add_argument("file", metavar="FILE")
    allow.add_argument("--substance", required=True, metavar="NAME")
    allow.add_argument("--at", metavar="TIME", help="ISO date and time (default: now)")
    allow.add_argument(
        "--log",
        action="store_true",
        help="count only the file's log, not the plan's doses still to come",
    )
    allow.add_argument(
        "--product", metavar="NAME", help="ask about a dose of this product"
    )
    allow.add_argument(
        "--horizon",
        type=parse_days,
        default=400,
        metavar="DAYS",
        help="how many days ahead to look for the earliest dose (default: 400)",
    )
    allow.add_argument("--format", choices=["text", "json"], default="text")
    allow.set_defaults(run=allowance_command)
    adh = commands.add_parser(
        "adherence",
        help="what was taken, missed or late compared with the plan, and what is due",
        description="Compare the file's log with its plan at a moment: taken, "
        "early, late, missed, due, upcoming and extra doses.",
    )
    adh.add_argument("file", metavar="FILE")
    adh.add_argument("--at", metavar="TIME", help="ISO date and time (default: now)")
    adh.add_argument(
        "--tolerance",
        metavar="DURATION",
        help='how far from its time a logged dose still counts, like "2 h" (default)',
    )
    adh.add_argument(
        "--match-by",
        choices=["product", "substance"],
        default="product",
        help="match logged doses by product (default) or by substance (a strain swap)",
    )
    adh.add_argument(
        "--rebase",
        action="store_true",
        help="count every-h-hours doses from the last dose taken",
    )
    adh.add_argument("--format", choices=["text", "md", "json", "csv"], default="text")
    adh.set_defaults(run=adherence_command)
    add_supply_command(commands)
    add_chart(commands)
    schema_cmd = commands.add_parser(
        "schema", help="print the JSON Schema of plan files"
    )
    schema_cmd.set_defaults(run=_schema)
    add_fhir_command(commands)
    return parser


def _say(err: Stream, text: str) -> None:
    """Write one message to standard error, if there is one to write to."""
    if err is None or err.closed:
        return
    try:
        err.write(text + "\n")
        err.flush()
    except (OSError, ValueError):
        pass


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    """Run the command line; return the exit status (see the module docstring).

    The streams default to :data:`sys.stdout`, :data:`sys.stderr` and
    :data:`sys.stdin`; a closed one is reported, not a crash.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    given = stdin if stdin is not None else sys.stdin
    try:
        args = _parser().parse_args(argv)
    except CommandError as exc:  # bad usage: the message names the command
        _say(err, str(exc))
        return 2
    except SystemExit as exc:  # --help and --version exit 0
        return int(exc.code or 0)
    args.stderr = err  # for notes a command prints beside its output
    try:
        status = int(args.run(args, out, given))
        flush(out)
    except PartialResult as exc:  # the work is done; what was left out is named
        flush(out)
        _say(err, f"regimen {args.command}: {exc}")
        return 1
    # Only errors caused by the input, the arguments or the streams: anything
    # else is a bug in regimen and keeps its traceback.
    except (RegimenError, ValueError, OSError) as exc:
        _say(err, f"regimen {args.command}: {exc}")
        return 2
    return status


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s status."""
    sys.exit(main())
